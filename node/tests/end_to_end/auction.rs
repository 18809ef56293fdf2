//! End-to-end: the delivery auction through the `peergrid` command-line client on a running
//! dev node, as a household's app, a relayer and a regulator use it. Bob offers an interval of
//! his rooftop solar ahead; Dave signs a bid that a relayer submits without a key; a batch with
//! a bad order is split until the bad one is refused alone and named; a cancelled order's
//! nonce stays used; `auction show`, `auction results`, `auction orders` (the `energy_auction`
//! and `energy_auctionOrders` methods) and the holds on chain say where each stands. Clearing and
//! settlement come at gate closure, an hour of real time after the window opens: the runtime
//! test (`runtime/tests/runtime/auction.rs`) runs that part in real blocks, and with it the
//! standing orders' entering at gate closure; here a household sets, replaces, lists and
//! cancels its standing order, and bad ones are refused with their reason.

use crate::common::{account, current_interval, json_of, peergrid, Node, TempDir};
use peergrid_client::api::peergrid as api;
use peergrid_runtime::MILLI_UNIT;
use serde_json::{json, Value};
use sp_keyring::Sr25519Keyring::{Bob, Dave};
use std::time::Duration;

const TIMEOUT: Duration = Duration::from_secs(120);

#[tokio::test(flavor = "multi_thread")]
async fn orders_are_placed_signed_relayed_and_cancelled_through_the_cli() {
	let dir = TempDir::new("auction");
	let mut node = Node::start(dir.path(), &["--dev"]);
	node.wait_for_rpc(TIMEOUT).await;
	let client = node.client().await;
	let url = node.url();
	let pg = |args: &[&str]| peergrid(&url, args);
	// `peergrid` with `first` and then `then`.
	let pg2 = |first: &[&str], then: &[String]| {
		let then: Vec<&str> = then.iter().map(String::as_str).collect();
		peergrid(&url, &[first, &then[..]].concat())
	};
	// Six intervals ahead: open, and still open minutes from now.
	let interval = (current_interval(&client).await + 6).to_string();
	let order = |side: &str, meter: &str, wh: &str, price: &str, nonce: &str| -> Vec<String> {
		let at = ["--zone", "0", "--interval", &interval, "--meter", meter, "--quantity-wh", wh];
		[&[side][..], &at[..], &["--price", price, "--nonce", nonce]]
			.concat()
			.into_iter()
			.map(str::to_string)
			.collect()
	};

	// Bob offers 1 kWh of his PV (meter 0, North) at 0.12 GRID a kWh; his collateral is held.
	let offer = order("offer", "0", "1000", "0.12", "1");
	let out = pg2(&["--signer", "dev:bob", "auction", "place"], &offer).succeeded("Bob's offer");
	assert!(out.contains("Auction.OrderPlaced"), "{out}");

	// Dave's app signs his bid (meter 2, North) and a second one naming Bob's meter; a relayer
	// with no key submits both. The pool refuses the batch whole, the relayer splits it: the
	// good bid goes in, the bad one is refused alone, by name.
	let sign = |args: Vec<String>| {
		let out = pg2(&["--signer", "dev:dave", "auction", "sign"], &args);
		out.succeeded("signing").trim().to_string()
	};
	let good = sign(order("bid", "2", "1200", "0.2", "5"));
	let bad = sign(order("bid", "0", "100", "0.2", "6"));
	assert!(good.starts_with("0x") && !good.contains('\n'), "one line of hex: {good}");
	let file = dir.path().join("orders.hex");
	std::fs::write(&file, format!("{good}\n{bad}\n")).expect("the orders file");
	let relay = pg(&["auction", "relay", file.to_str().expect("UTF-8")]);
	let err = relay.err.clone();
	let out = relay.out.clone();
	relay.failed("a batch with an order of someone else's meter");
	assert!(out.contains("1 orders placed, 1 rejected"), "{out}");
	assert!(out.contains("nonce 6: refused by the pool: Auction.NotYourMeter"), "{out}");
	assert!(err.contains("1 of 2 orders were not placed"), "{err}");
	// Relayed again, the placed order is refused: the pool knows its very bytes; and another
	// order under its nonce is refused for the used nonce.
	let other = sign(order("bid", "2", "1100", "0.2", "5"));
	std::fs::write(&file, format!("{good}\n{other}\n")).expect("the orders file");
	let again = pg(&["auction", "relay", file.to_str().expect("UTF-8")]);
	let out = again.out.clone();
	again.failed("a replayed order");
	assert!(out.contains("0 orders placed, 2 rejected"), "{out}");
	// The replay is refused as already submitted (the pool keeps a transaction's hash for a
	// while after its block) or, once the pool forgot it, as a used nonce, like the other.
	assert_eq!(out.matches("nonce 5: refused by the pool: ").count(), 2, "{out}");
	assert!(out.contains("nonce 5: refused by the pool: Auction.NonceUsed"), "{out}");

	// Dave's escrow is his bid at its limit, 1.2 kWh at 0.2 GRID, and the order deposit.
	let deposit = 10 * MILLI_UNIT;
	let hold = |who| {
		let client = &client;
		async move {
			let holds = api::storage().balances().holds(account(who));
			let best = client.best_hash().await.expect("the best block");
			let holds = client.storage(&holds, Some(best)).await.expect("readable");
			holds.map_or(0, |h| h.0.iter().map(|h| h.amount).sum::<u128>())
		}
	};
	assert_eq!(hold(Dave).await, 1_200 * 200 * MILLI_UNIT / 1_000 + deposit);
	let collateral = 1_000 * 300 * MILLI_UNIT / 1_000;
	assert_eq!(hold(Bob).await, collateral + deposit, "the collateral: 0.3 a kWh");

	// A regulator's view of the auction: its curves, and where it would clear now: 1 kWh at
	// the offer's 0.12 (at 0.2 as much would trade, with the same surplus: the lower price).
	let show = pg(&["auction", "show", "--zone", "0", "--interval", &interval]).succeeded("show");
	let state = json_of(&show);
	assert_eq!((&state["stage"], &state["orders"]), (&json!("open"), &json!(2)), "{show}");
	assert_eq!(state["bids"], json!([{ "price": "200000000000", "energyWh": 1200 }]), "{show}");
	assert_eq!(state["offers"], json!([{ "price": "120000000000", "energyWh": 1000 }]), "{show}");
	let indicative = json!({ "price": "120000000000", "volumeWh": 1000 });
	assert_eq!((&state["indicative"], &state["result"]), (&indicative, &Value::Null), "{show}");
	assert_eq!(
		state,
		node.call("energy_auction", json!([0, interval.parse::<u64>().expect("a number")])).await
	);
	let results = ["auction", "results", "--zone", "0", "--interval", &interval, "--count", "2"];
	let table = pg(&results).succeeded("the results");
	let row = table.lines().find(|l| l.trim_start().starts_with(&interval)).unwrap_or_default();
	assert!(row.contains("open") && row.contains("0.12") && row.contains("indicative"), "{table}");
	// Bad questions get a precise error.
	let error = |method, params| node.curl(method, params).expect_err("a bad question");
	// Dave's positions, as his wallet asks for them.
	let dave = pg(&["auction", "orders", "dev:dave", "--zone", "0", "--interval", &interval]);
	let answer = json_of(&dave.succeeded("Dave's orders"));
	assert_eq!(answer["next"], Value::Null, "all read: {answer}");
	let dave = &answer["orders"];
	let escrow = (1_200 * 200 * MILLI_UNIT / 1_000 + 10 * MILLI_UNIT).to_string();
	assert_eq!(dave.as_array().map(Vec::len), Some(1), "{dave}");
	assert_eq!(
		(&dave[0]["side"], &dave[0]["nonce"], &dave[0]["quantityWh"]),
		(&json!("bid"), &json!(5), &json!(1200))
	);
	assert_eq!(dave[0]["held"], json!(escrow), "{dave}");
	let no_zone = error("energy_auctionOrders", json!([account(Dave).to_string(), 9, 1]));
	assert_eq!(no_zone["code"], json!(2), "{no_zone}");
	let no_zone = error("energy_auction", json!([9, 1]));
	assert_eq!(
		(&no_zone["code"], &no_zone["message"]),
		(&json!(2), &json!("zone 9 does not exist"))
	);
	let dave_id = account(Dave).to_string();
	let none = error("energy_auctionOrders", json!([dave_id, 0, 1, 0]));
	assert_eq!(
		(&none["code"], &none["message"], &none["data"]),
		(&json!(-32602), &json!("Invalid params"), &json!("count is 1 to 192 intervals"))
	);
	// An app signs a day of the same order ahead: a line an interval.
	let day = pg2(
		&["--signer", "dev:dave", "auction", "sign", "--count", "3"],
		&order("bid", "2", "100", "0.2", "9"),
	);
	assert_eq!(day.succeeded("three intervals").lines().count(), 3);

	// Bob cancels: his collateral comes back (the deposit stays until clearing), and his nonce
	// stays used.
	let cancel =
		["auction", "cancel", "offer", "--zone", "0", "--interval", &interval, "--nonce", "1"];
	pg(&[&["--signer", "dev:bob"][..], &cancel].concat()).succeeded("the cancellation");
	assert_eq!(hold(Bob).await, deposit);
	let show = pg(&["auction", "show", "--zone", "0", "--interval", &interval]).succeeded("show");
	let state = json_of(&show);
	assert_eq!((&state["offers"], &state["indicative"]), (&json!([]), &Value::Null), "{show}");
	let again = pg2(&["--signer", "dev:bob", "auction", "place"], &offer);
	let err = again.failed("an order with a used nonce");
	assert!(err.contains("Auction.NonceUsed"), "{err}");
	let err = pg(&[&["--signer", "dev:bob"][..], &cancel].concat()).failed("a second cancellation");
	assert!(err.contains("Auction.AlreadyCancelled"), "{err}");

	// Bad input is refused before anything is sent, or by the chain with its reason.
	let past = ["--zone", "0", "--interval", "+1", "--meter", "0", "--quantity-wh", "10"];
	let closed = [&["--signer", "dev:bob", "auction", "place", "offer"][..], &past[..]].concat();
	let err = pg(&[&closed[..], &["--price", "0.1"]].concat()).failed("an order past its gate");
	assert!(err.contains("Auction.GateClosed"), "{err}");
	let err =
		pg(&["auction", "show", "--zone", "0", "--interval", "soon"]).failed("a bad interval");
	assert!(err.contains("interval \"soon\""), "{err}");
	assert!(node.stop(TIMEOUT).success());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_standing_order_is_set_replaced_listed_and_cancelled_through_the_cli() {
	let dir = TempDir::new("standing");
	let mut node = Node::start(dir.path(), &["--dev"]);
	node.wait_for_rpc(TIMEOUT).await;
	let client = node.client().await;
	let url = node.url();
	let bob = |args: &[&str]| {
		peergrid(&url, &[&["--signer", "dev:bob", "auction", "standing"][..], args].concat())
	};
	let held = || {
		let client = &client;
		async move {
			let holds = api::storage().balances().holds(account(Bob));
			let best = client.best_hash().await.expect("the best block");
			let holds = client.storage(&holds, Some(best)).await.expect("readable");
			holds.map_or(0, |h| h.0.iter().map(|h| h.amount).sum::<u128>())
		}
	};
	let list = || json_of(&bob(&["list", "--zone", "0"]).succeeded("Bob's standing orders"));
	let offer = ["set", "offer", "--zone", "0", "--meter", "0", "--price", "0.1", "--id", "1"];

	// Bob offers half a kWh of his PV every quarter of an hour from 09:00 to 15:00 UTC; the
	// deposit, 1 GRID, is held; the first interval it enters is the first whose gate is open.
	let out = bob(&[&offer[..], &["--quantity-wh", "500", "--hours", "9-15"]].concat());
	let out = out.succeeded("Bob's standing offer");
	assert!(out.contains("Auction.StandingOrderSet"), "{out}");
	assert_eq!(held().await, 1_000 * MILLI_UNIT, "the standing deposit");
	let first = current_interval(&client).await;
	let listed = list();
	assert_eq!(
		(&listed["zone"], &listed["account"]),
		(&json!(0), &json!(account(Bob).to_string()))
	);
	let [order] = listed["orders"].as_array().map(Vec::as_slice).unwrap_or_default() else {
		panic!("one standing order: {listed}");
	};
	let expected = json!({ "id": 1, "side": "offer", "meter": 0, "quantityWh": 500,
		"price": "0.1", "hours": "9-15", "from": order["from"], "deposit": "1" });
	assert_eq!(order, &expected);
	let from = order["from"].as_u64().expect("an interval");
	assert!(from > first && from <= first + 6, "the next gate's interval: {from} after {first}");

	// Set again, its terms are replaced: every hour, 600 Wh; the deposit is not taken twice.
	let out = bob(&[&offer[..], &["--quantity-wh", "600"]].concat()).succeeded("new terms");
	assert!(out.contains("Auction.StandingOrderSet"), "{out}");
	assert_eq!(held().await, 1_000 * MILLI_UNIT, "one deposit");
	let order = &list()["orders"][0];
	assert_eq!((&order["hours"], &order["quantityWh"]), (&json!("all"), &json!(600)));

	// Bad standing orders are refused with their reason, and change nothing.
	let err = bob(&[&offer[..], &["--quantity-wh", "500", "--hours", "25"]].concat())
		.failed("an hour past the day's");
	assert!(err.contains("\"25\" is not an hour of the day"), "{err}");
	let dave_meter = ["set", "bid", "--zone", "0", "--meter", "2", "--price", "0.2"];
	let err = bob(&[&dave_meter[..], &["--quantity-wh", "500", "--id", "2"]].concat())
		.failed("Dave's meter");
	assert!(err.contains("Auction.NotYourMeter"), "{err}");
	let reserved = (1u64 << 63).to_string();
	let err = bob(&[
		"set",
		"offer",
		"--zone",
		"0",
		"--meter",
		"0",
		"--price",
		"0.1",
		"--quantity-wh",
		"500",
		"--id",
		&reserved,
	])
	.failed("a reserved id");
	assert!(err.contains("Auction.ReservedNonce"), "{err}");
	let err = bob(&["cancel", "--zone", "0", "--id", "7"]).failed("no such standing order");
	assert!(err.contains("Auction.UnknownStanding"), "{err}");
	assert_eq!(list()["orders"].as_array().map(Vec::len), Some(1), "still the one");
	assert_eq!(held().await, 1_000 * MILLI_UNIT);

	// Cancelled, it is gone and its deposit is released.
	let out = bob(&["cancel", "--zone", "0", "--id", "1"]).succeeded("the cancellation");
	assert!(out.contains("Auction.StandingOrderCancelled"), "{out}");
	assert_eq!((held().await, list()["orders"].clone()), (0, json!([])));
	assert!(node.stop(TIMEOUT).success());
}
