//! End-to-end: the interfaces wallets, oracles and regulators use, against a running dev node.
//! Every `peergrid` command runs as a user runs it (a separate process, over WebSocket), and
//! every `energy_` JSON-RPC method is called over HTTP as `docs/rpc.md` shows with curl; the
//! methods that moved to the indexer (`energy_recentTrades`, `energy_zoneTotals`) are gone.
//! Bad input (an unauthorized origin, an unknown meter, a replayed or unsigned reading, an
//! order that would overdraw, a key file others can read) fails with the error named in words
//! and changes nothing.

use crate::common::{account as client_account, json_of, peergrid, Node, TempDir};
use peergrid_client::{api::peergrid, node::Node as Client};
use peergrid_runtime::{AccountId, MILLI_UNIT};
use serde_json::{json, Value};
use sp_keyring::Sr25519Keyring;
use std::{os::unix::fs::PermissionsExt, path::Path, time::Duration};

const TIMEOUT: Duration = Duration::from_secs(120);

/// The JSON-RPC `result` of a call over HTTP, as a regulator's script makes it with curl.
fn call(node: &Node, method: &str, params: Value) -> Value {
	node.curl(method, params).unwrap_or_else(|e| panic!("{method} failed: {e}\n{}", node.tail()))
}

/// The JSON-RPC error of a call over HTTP that must fail.
fn rpc_error(node: &Node, method: &str, params: Value) -> Value {
	match node.curl(method, params) {
		Err(error) => error,
		Ok(result) => panic!("{method} should fail, got {result}"),
	}
}

/// The free and reserved GRID of `who` at block `number`, as a wallet reads its balance.
async fn grid_at(client: &Client, who: Sr25519Keyring, number: u64) -> (u128, u128) {
	let number = u32::try_from(number).expect("a block number");
	let at = client.hash_of(number).await.expect("readable").expect("the block exists");
	let info = peergrid::storage().system().account(client_account(who));
	let info = client.storage(&info, Some(at)).await.expect("readable").expect("an account");
	(info.data.free, info.data.reserved)
}

/// A readings file whose meters are named by the utility's identifiers (`external_id`) or by
/// chain numbers (`meter_id`).
fn write_csv(dir: &Path, name: &str, column: &str, rows: &[String]) -> String {
	let path = dir.join(name);
	let text = format!("{column},interval,imported_wh,exported_wh\n{}\n", rows.join("\n"));
	std::fs::write(&path, text).expect("writable");
	path.to_string_lossy().into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn wallets_oracles_and_regulators_work_through_the_cli_and_the_energy_rpc() {
	let dir = TempDir::new("wallet");
	let mut node = Node::start(dir.path(), &["--dev"]);
	node.wait_for_rpc(TIMEOUT).await;
	node.wait_for_finalized(1, TIMEOUT).await;
	let url = format!("ws://127.0.0.1:{}", node.rpc_port);
	// A command line, split at spaces (no argument here has one).
	let pg = |line: &str| peergrid(&url, &line.split_whitespace().collect::<Vec<_>>());
	let account = |who: &str| call(&node, "energy_account", json!([who]));
	let bob = Sr25519Keyring::Bob.to_account_id().to_string();
	let dave = Sr25519Keyring::Dave.to_account_id().to_string();

	// Keys: a new key file readable by its owner only; a readable one is refused.
	let key = dir.path().join("oracle.key");
	let key_arg = format!("file:{}", key.display());
	let address = pg(&format!("key new {}", key.to_string_lossy())).succeeded("key new");
	assert_eq!(std::fs::metadata(&key).expect("written").permissions().mode() & 0o777, 0o600);
	let shown = pg(&format!("--signer {key_arg} key show")).succeeded("key show");
	assert_eq!(shown.trim(), address.trim());
	assert!(pg(&format!("key new {}", key.to_string_lossy()))
		.failed("overwrite")
		.contains("exists"));
	std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).expect("chmod");
	let exposed = pg(&format!("--signer {key_arg} key show")).failed("exposed key");
	assert!(exposed.contains("can be read by others"), "{exposed}");
	std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).expect("chmod");
	assert!(pg("--signer dev:nobody key show").failed("dev key").contains("no development key"));

	// Zones and oracles are consortium decisions: by sudo on the dev chain, or by a motion
	// (Alice is the only member, so hers passes as she proposes it). Bob is neither.
	let out = pg("--signer dev:alice zone create West --operator alice --via sudo")
		.succeeded("zone create by sudo");
	assert!(
		out.contains("Meters.ZoneCreated { zone: 2, name: \"West\", operator: alice }"),
		"{out}"
	);
	let out = pg("--signer dev:alice zone create East --operator charlie")
		.succeeded("zone create by motion");
	assert!(out.contains("Meters.ZoneCreated { zone: 3"), "{out}");
	let refused = pg("--signer dev:bob zone create Rogue --operator bob --via sudo")
		.failed("zone create by a non-sudo account");
	assert!(refused.contains("Sudo.RequireSudo"), "{refused}");
	assert!(node.curl("energy_orderBook", json!([4])).is_err(), "no zone was created");
	pg("--signer dev:alice oracle authorize ferdie --zones 0,1,2 --via sudo")
		.succeeded("oracle authorize");

	// Meters: the zone's operator registers them; anyone else is refused.
	for (id, owner, kind) in
		[("NBH-BOB", "bob", "bidirectional"), ("NBH-DAVE", "dave", "consumption")]
	{
		pg(&format!(
			"--signer dev:alice meter register --zone 2 --external-id {id} --owner {owner} \
			 --kind {kind} --capacity-w 6000"
		))
		.succeeded("meter register");
	}
	let refused = pg("--signer dev:bob meter register --zone 2 --external-id NBH-ROGUE \
		--owner bob --kind production --capacity-w 1000")
	.failed("meter register by a non-operator");
	assert!(refused.contains("Meters.NotZoneOperator: Only the zone's operator"), "{refused}");
	assert_eq!(call(&node, "energy_meter", json!(["NBH-ROGUE"])), Value::Null);
	let meter = call(&node, "energy_meter", json!(["NBH-BOB"]));
	assert_eq!((meter["zone"].clone(), meter["kind"].clone()), (json!(2), json!("Bidirectional")));
	let bob_meter = meter["id"].as_u64().expect("a number");
	assert_eq!(call(&node, "energy_meter", json!([bob_meter])), meter, "by number or external id");

	// Readings: a CSV signed by the oracle, meters by their external ids, in a batch the
	// oracle pays for: the block accepts the good readings and rejects the repeated row.
	let interval = std::time::SystemTime::now()
		.duration_since(std::time::UNIX_EPOCH)
		.expect("after 1970")
		.as_secs()
		/ 900;
	let (first, last) = (interval - 4, interval - 1);
	let mut rows = Vec::new();
	for (n, i) in (first..=last).enumerate() {
		let n = n as u64;
		rows.push(format!("NBH-BOB,{i},{},{}", 100 * n, 1_000 * n));
		rows.push(format!("NBH-DAVE,{i},{},0", 700 * n));
	}
	rows.push(format!("NBH-DAVE,{last},9999,0"));
	let day = write_csv(dir.path(), "day.csv", "external_id", &rows);
	let run = pg(&format!("--signer dev:ferdie readings submit {day} --pay"));
	assert!(!run.ok, "a file with rejected readings fails the command");
	assert!(run.out.contains("8 readings accepted, 1 rejected"), "{}", run.out);
	assert!(run.out.contains("Readings.IntervalNotNewer"), "{}", run.out);
	let meter = call(&node, "energy_meter", json!(["NBH-BOB"]));
	assert_eq!(meter["readings"], 4);
	assert_eq!(meter["creditsMintedWh"], 3_000, "the first reading sets the baseline");
	assert_eq!(meter["lastInterval"], last);
	assert_eq!(meter["registers"], json!({"importedWh": 300, "exportedWh": 3000}));
	// A meter by chain number that does not exist: refused by the pool, and named (each
	// reading signed on its own here; the batches above were signed as a whole).
	let csv = write_csv(dir.path(), "numbers.csv", "meter_id", &[format!("99,{last},1,0")]);
	let unknown = pg(&format!("--signer dev:ferdie readings submit {csv} --per-reading"));
	assert!(!unknown.ok && unknown.out.contains("meter 99 interval"), "{}", unknown.out);
	assert!(unknown.out.contains("Readings.UnknownMeter"), "{}", unknown.out);
	// The old, ambiguous header is refused before anything is signed.
	let old = dir.path().join("old.csv");
	std::fs::write(&old, format!("meter,interval,imported_wh,exported_wh\n4,{last},1,0\n"))
		.expect("writable");
	let refused = pg(&format!("--signer dev:ferdie readings submit {}", old.display()));
	assert!(refused.failed("old header").contains("`external_id`"));
	// Resubmitted fee-less, the pool refuses the batch; split down to single readings, each is
	// refused as a replay and named: nothing changes.
	let replay = pg(&format!("--signer dev:ferdie readings submit {day}"));
	assert!(replay.out.contains("0 readings accepted, 9 rejected"), "{}", replay.out);
	assert_eq!(replay.out.matches("Readings.IntervalNotNewer").count(), 9, "{}", replay.out);
	assert_eq!(call(&node, "energy_meter", json!(["NBH-BOB"]))["readings"], 4);
	// Signed by a key that is no oracle: refused, and named.
	let csv = write_csv(
		dir.path(),
		"rogue.csv",
		"external_id",
		&[format!("NBH-BOB,{interval},999,99999")],
	);
	let rogue = pg(&format!("--signer {key_arg} readings submit {csv}"));
	assert!(!rogue.ok && rogue.out.contains("Readings.UnknownOracle"), "{}", rogue.out);
	let csv =
		write_csv(dir.path(), "unknown.csv", "external_id", &[format!("NBH-NONE,{last},1,1")]);
	let unknown = pg(&format!("--signer dev:ferdie readings submit {csv}")).failed("unknown id");
	assert!(unknown.contains("no meter has the external id \"NBH-NONE\""), "{unknown}");
	// A utility's all-digit serial is an external id, never chain meter number 1 (Charlie's
	// demo meter, whose owner would otherwise be credited).
	pg("--signer dev:alice meter register --zone 2 --external-id 1 --owner eve \
		--kind consumption --capacity-w 6000")
	.succeeded("meter register with an all-digit serial");
	let charlie_meter = call(&node, "energy_meter", json!([1]));
	let csv = write_csv(dir.path(), "serial.csv", "external_id", &[format!("1,{},0,0", first - 1)]);
	pg(&format!("--signer dev:ferdie readings submit {csv}")).succeeded("the serial's reading");
	assert_eq!(call(&node, "energy_meter", json!(["1"]))["readings"], 1, "the serial's meter");
	assert_eq!(call(&node, "energy_meter", json!([1])), charlie_meter, "chain meter 1 untouched");

	let position = account(&bob);
	assert_eq!(
		(position["mintedWh"].clone(), position["freeWh"].clone()),
		(json!(3_000), json!(3_000))
	);
	assert_eq!(account(&dave)["consumedWh"], 2_100);
	let dave_meter = call(&node, "energy_meter", json!(["NBH-DAVE"]));
	assert_eq!(
		(dave_meter["readings"].clone(), dave_meter["consumptionWh"].clone()),
		(json!(4), json!(2_100)),
		"the repeated row changed nothing"
	);

	// The market: Bob sells, Dave buys part; an overdraw and a cancel of no order fail.
	pg("--signer dev:bob order place sell --zone 2 --amount-wh 1000 --price 0.15")
		.succeeded("sell");
	let before_trade = node.block_number(false).await;
	let out = pg("--signer dev:dave order place buy --zone 2 --amount-wh 400 --price 0.16")
		.succeeded("buy");
	let after_trade = node.block_number(false).await;
	// The trade, as its event says (the chain keeps no other record of it): at the ask's
	// price, with no grid fee within a zone, which goes to zone 2's operator.
	let traded = format!(
		"buyer: dave, seller: bob, seller_zone: 2, buyer_zone: 2, amount: 400, price: {}, \
		 fee: 0, fee_to: alice }}",
		150 * MILLI_UNIT
	);
	assert!(out.contains("Market.Trade {") && out.contains(&traded), "{out}");
	let out = pg("--signer dev:dave order place buy --zone 2 --amount-wh 500 --price 0.1")
		.succeeded("a bid that rests");
	let resting = out
		.split("Market.OrderPlaced { order: ")
		.nth(1)
		.and_then(|rest| rest.split(',').next())
		.expect("the new order's id")
		.to_string();
	let overdraw =
		pg("--signer dev:bob order place sell --zone 2 --amount-wh 1000000 --price 0.15")
			.failed("overdraw");
	assert!(
		overdraw.contains("Market.InsufficientCredits: The seller has fewer free credits"),
		"{overdraw}"
	);
	let bad_price = pg("--signer dev:bob order place sell --zone 2 --amount-wh 100 --price cheap")
		.failed("bad price");
	assert!(bad_price.contains("not an amount of GRID"), "{bad_price}");

	let book = call(&node, "energy_orderBook", json!([2]));
	assert_eq!(
		book,
		json!({
			"zone": 2,
			"bids": [{"price": (100 * MILLI_UNIT).to_string(), "amountWh": 500, "orders": 1}],
			"asks": [{"price": (150 * MILLI_UNIT).to_string(), "amountWh": 600, "orders": 1}],
		})
	);
	// 400 Wh at 0.15 GRID per kWh: Bob, who sent nothing meanwhile, was paid exactly that; Dave
	// paid it (and his transaction's fee), and holds nothing once his bid is filled.
	let value = 400 * 150 * MILLI_UNIT / 1000;
	let client = node.client().await;
	let bob_grid = grid_at(&client, Sr25519Keyring::Bob, before_trade).await;
	assert_eq!(grid_at(&client, Sr25519Keyring::Bob, after_trade).await.0, bob_grid.0 + value);
	let dave_grid = grid_at(&client, Sr25519Keyring::Dave, before_trade).await;
	let dave_after = grid_at(&client, Sr25519Keyring::Dave, after_trade).await;
	assert!(dave_after.0 <= dave_grid.0 - value, "{dave_grid:?} then {dave_after:?}");
	assert_eq!(dave_after.1, dave_grid.1, "the filled bid holds nothing");
	// The credits moved from Bob's sell order to Dave.
	let seller = account(&bob);
	assert_eq!((seller["freeWh"].clone(), seller["heldWh"].clone()), (json!(2_000), json!(600)));
	assert_eq!(account(&dave)["freeWh"], 400);
	// The trading totals are gone from the account's position: the indexer keeps them.
	for gone in ["boughtWh", "soldWh", "paid", "received"] {
		assert!(seller.get(gone).is_none(), "{gone} in {seller}");
	}

	pg(&format!("--signer dev:dave order cancel {resting}")).succeeded("cancel");
	let again = pg(&format!("--signer dev:dave order cancel {resting}")).failed("cancel twice");
	assert!(again.contains("Market.UnknownOrder"), "{again}");
	assert_eq!(call(&node, "energy_orderBook", json!([2]))["bids"], json!([]));

	// Credits: a transfer, a retirement against consumption, and one beyond it.
	pg("--signer dev:bob credits transfer eve --amount-wh 100").succeeded("transfer");
	pg("--signer dev:dave credits retire --amount-wh 400").succeeded("retire");
	let too_much = pg("--signer dev:eve credits retire --amount-wh 100").failed("retire");
	assert!(too_much.contains("Credits.ExceedsUncoveredConsumption"), "{too_much}");
	let buyer = account(&dave);
	assert_eq!(
		(buyer["retiredWh"].clone(), buyer["uncoveredWh"].clone()),
		(json!(400), json!(1_700))
	);

	// Queries print what the RPC answers.
	let queried = json_of(&pg("query account dave").succeeded("query account"));
	assert_eq!(queried, account(&dave));
	let queried = json_of(&pg("--signer dev:bob query account").succeeded("own account"));
	assert_eq!(queried, account(&bob));
	assert_eq!(
		json_of(&pg("query meter --external-id NBH-DAVE").succeeded("query meter")),
		call(&node, "energy_meter", json!(["NBH-DAVE"]))
	);
	assert_eq!(
		json_of(&pg("query book 2").succeeded("query book")),
		call(&node, "energy_orderBook", json!([2]))
	);
	let summary = pg("summary bob dave").succeeded("summary");
	let header = summary.lines().next().expect("a header");
	assert_eq!(
		header.split_whitespace().collect::<Vec<_>>(),
		["account", "produced", "retired", "consumed", "uncovered", "credits"]
	);
	let bob_row = summary.lines().find(|l| l.starts_with("bob")).expect("a row for bob");
	assert_eq!(
		bob_row.split_whitespace().collect::<Vec<_>>(),
		["bob", "3.000", "0.000", "0.300", "0.300", "2.500"]
	);

	// Regulators' errors: an unknown zone, a bad address. A zone's trades and totals moved to
	// the indexer's API: the node no longer has the methods, as a wallet that still calls them
	// learns.
	let error = rpc_error(&node, "energy_orderBook", json!([99]));
	assert_eq!(
		(error["code"].clone(), error["message"].clone()),
		(json!(2), json!("zone 99 does not exist"))
	);
	for (method, params) in
		[("energy_recentTrades", json!([2])), ("energy_zoneTotals", json!([2, first, last]))]
	{
		let error = rpc_error(&node, method, params);
		assert_eq!(error["code"], -32601, "{method}: method not found, not {error}");
	}
	let error = rpc_error(&node, "energy_account", json!(["not-an-address"]));
	assert_eq!(
		(error["code"].clone(), error["message"].clone()),
		(json!(-32602), json!("Invalid params"))
	);
	assert_eq!(error["data"], json!("Base 58 requirement is violated"), "the reason: {error}");
	let error = rpc_error(&node, "energy_meter", json!([true]));
	assert_eq!(
		(error["code"].clone(), error["message"].clone()),
		(json!(-32602), json!("Invalid params"))
	);
	let why = error["data"].as_str().unwrap_or_default();
	assert!(why.starts_with("a meter: its number on the chain (a JSON number) or"), "{error}");
	assert_eq!(call(&node, "energy_meter", json!([12_345])), Value::Null);
	let nobody = call(&node, "energy_account", json!([AccountId::from([7u8; 32]).to_string()]));
	assert_eq!((nobody["freeWh"].clone(), nobody["meters"].clone()), (json!(0), json!([])));

	// Audit exports: the trade, and every accepted and rejected reading, as CSV (of the
	// finalized blocks).
	let best = node.block_number(false).await;
	node.wait_for_finalized(best, TIMEOUT).await;
	let trades_csv = dir.path().join("trades.csv");
	pg(&format!("export trades --out {}", trades_csv.to_string_lossy())).succeeded("export trades");
	let text = std::fs::read_to_string(&trades_csv).expect("written");
	let lines: Vec<&str> = text.lines().collect();
	assert_eq!(lines.len(), 2, "{text}");
	assert!(lines[0].starts_with("block,timestamp,buy_order,sell_order,buyer,seller"));
	let fields: Vec<&str> = lines[1].split(',').collect();
	assert_eq!(
		(fields[4], fields[5], fields[8], fields[9], fields[10]),
		(dave.as_str(), bob.as_str(), "400", "0.15", "0")
	);
	let readings = pg("export readings").succeeded("export readings");
	// The block rejected one reading (of the paid batch); the pool refused the others, which
	// never reached a block.
	assert_eq!(readings.lines().filter(|l| l.contains(",accepted,")).count(), 9, "{readings}");
	assert_eq!(
		readings.lines().filter(|l| l.contains(",rejected Readings.IntervalNotNewer")).count(),
		1,
		"{readings}"
	);

	// Watching: the events of finalized blocks as they come, by pallet.
	let watch_url = url.clone();
	let watcher = std::thread::spawn(move || {
		peergrid(&watch_url, &["watch", "--pallet", "Credits", "--blocks", "6"])
	});
	tokio::time::sleep(Duration::from_secs(2)).await;
	pg("--signer dev:bob credits transfer charlie --amount-wh 7").succeeded("transfer");
	let watched = watcher.join().expect("the watcher ends").succeeded("watch");
	assert!(
		watched.contains("Credits.Transferred { from: bob, to: charlie, amount: 7 }"),
		"{watched}"
	);
	assert!(!watched.contains("Market."), "only the pallet asked for: {watched}");

	// Motions: with one member a motion passes as proposed; votes on none are refused.
	let hash = format!("0x{}", "11".repeat(32));
	let vote = pg(&format!("--signer dev:alice motion vote {hash} 0")).failed("vote on nothing");
	assert!(vote.contains("Consortium.ProposalMissing"), "{vote}");
	assert!(pg(&format!("--signer dev:alice motion close {hash} 0"))
		.failed("close")
		.contains("no open motion"));

	assert!(node.stop(Duration::from_secs(60)).success());
}
