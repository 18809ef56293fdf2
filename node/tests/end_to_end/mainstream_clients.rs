//! End-to-end: blocks that mainstream wallets and explorers decode, unmodified. A dev node plays
//! the demo (`scripts/demo.sh`: meters registered, a day of oracle-signed readings sent as
//! fee-less general transactions, orders that trade, credits retired, the next day's delivery
//! auction orders signed by the households and relayed in a fee-less batch), a consortium motion
//! executes, and a relayer written in JavaScript (`scripts/js/relay-readings.mjs`) submits a
//! reading as a general transaction it built itself, and learns the pool's reasons for refusing
//! bad ones. Then `scripts/js/decode-blocks.mjs` decodes every extrinsic and every event of every
//! block with polkadot.js (`@polkadot/api` 16.5, what polkadot.js Apps runs on) and with
//! polkadot-api (PAPI), from the runtime's metadata alone. Both must decode everything (each
//! decoding is checked by encoding it again to the block's bytes), agree on every name, and
//! name the pallets, calls, events and fields that the chain's users meet (`docs/wallets.md`).

use crate::common::{cli_binary, current_interval, Node, TempDir};
use serde_json::{json, Value};
use std::{collections::BTreeSet, path::Path, process::Command, time::Duration};

/// Runs `program` with `args` from the repository's root: its exit code, standard output, and
/// standard error (for the assertions' messages).
fn run(program: &Path, args: &[&str]) -> (Option<i32>, String, String) {
	let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("node/ is in the repository");
	let output = Command::new(program)
		.args(args)
		.current_dir(root)
		.env("PEERGRID_CLI", cli_binary())
		.output()
		.unwrap_or_else(|e| panic!("{} runs: {e}", program.display()));
	let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
	let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
	if output.status.code() == Some(1) || output.status.code().is_none() {
		panic!("{} {args:?} failed:\n{stdout}\n{stderr}", program.display());
	}
	(output.status.code(), stdout, stderr)
}

/// Runs `program` with `args`, which must succeed: its standard output.
fn succeeds(program: impl AsRef<Path>, args: &[&str]) -> String {
	let (code, out, err) = run(program.as_ref(), args);
	assert_eq!(code, Some(0), "{} {args:?}:\n{out}\n{err}", program.as_ref().display());
	out
}

/// An extrinsic as a client names it: kind (bare, signed, general), "Pallet.call", field names.
type Call = (String, String, String);
/// An event as a client names it: "Pallet.Event", field names.
type Event = (String, String);

/// One client's view of the blocks: every extrinsic and every event, by name.
fn view(blocks: &Value) -> (BTreeSet<Call>, BTreeSet<Event>) {
	let text = |v: &Value| v.as_str().expect("a name").to_string();
	let fields = |v: &Value| {
		v["fields"].as_array().expect("fields").iter().map(text).collect::<Vec<_>>().join(",")
	};
	let (mut calls, mut events) = (BTreeSet::new(), BTreeSet::new());
	for block in blocks.as_array().expect("blocks") {
		for x in block["extrinsics"].as_array().expect("extrinsics") {
			calls.insert((text(&x["kind"]), text(&x["call"]), fields(x)));
		}
		for e in block["events"].as_array().expect("events") {
			events.insert((text(&e["event"]), fields(e)));
		}
	}
	(calls, events)
}

#[tokio::test(flavor = "multi_thread")]
async fn polkadot_js_and_papi_decode_every_extrinsic_and_event() {
	let dir = TempDir::new("mainstream");
	let mut node = Node::start(dir.path(), &["--dev"]);
	node.wait_for_rpc(Duration::from_secs(120)).await;
	let ws = format!("ws://127.0.0.1:{}", node.rpc_port);
	let cli = |args: &[&str]| succeeds(cli_binary(), &[&["--url", &ws][..], args].concat());

	succeeds("bash", &["scripts/demo.sh", &ws]);
	// A motion of the consortium (Alice is the dev chain's only member: it executes at once).
	let eve = "5HGjWAeFDfFCWPsjFQdVV2Msvz2XtMktvgocEZcCj68kUMaw";
	cli(&["--signer", "dev:alice", "oracle", "authorize", eve, "--zones", "1"]);

	// The JavaScript relayer: a reading of a new meter, signed by the oracle Ferdie, sent as a
	// general transaction; then the pool's refusals of bad ones, as the relayer sees them.
	let external_id = format!("JS-{}", node.rpc_port);
	cli(&[
		"--signer",
		"dev:alice",
		"meter",
		"register",
		"--zone",
		"0",
		"--external-id",
		&external_id,
	]
	.into_iter()
	.chain(["--owner", eve, "--kind", "bidirectional", "--capacity-w", "5000"])
	.collect::<Vec<_>>());
	let meter = node.call("energy_meter", json!([external_id])).await["id"].to_string();
	// Intervals by the chain's own clock (its best block's timestamp), as the pool judges them:
	// the last that has ended, and one that has not.
	let current = current_interval(&node.client().await).await;
	let ended = (current - 1).to_string();
	let relay_as = |signing: &str, oracle: &str, meter: &str, interval: &str, imported: &str| {
		let script = "scripts/js/relay-readings.mjs";
		run(Path::new("node"), &[script, &ws, oracle, meter, interval, imported, "3400", signing])
	};
	let relay = |oracle: &str, meter: &str, interval: &str, imported: &str| {
		relay_as("reading", oracle, meter, interval, imported)
	};
	// The interval before, signed on its own; the last ended, in a batch signed as a whole.
	let before = (current - 2).to_string();
	let (code, relayed, err) = relay("//Ferdie", &meter, &before, "1100");
	assert_eq!(code, Some(0), "{relayed}\n{err}");
	assert!(relayed.contains("readings.ReadingAccepted"), "{relayed}");
	let (code, relayed, err) = relay_as("batch", "//Ferdie", &meter, &ended, "1200");
	assert_eq!(code, Some(0), "{relayed}\n{err}");
	assert!(relayed.starts_with("0x") && relayed.contains("readings.ReadingAccepted"), "{relayed}");
	let read = node.call("energy_meter", json!([external_id])).await;
	assert_eq!(read["lastInterval"].to_string(), ended, "{read}");
	assert_eq!(read["registers"], json!({"importedWh": 1200, "exportedWh": 3400}), "{read}");
	let next = (current + 1).to_string();
	for (oracle, meter, interval, imported, refusal) in [
		// The same reading again: a replay (the interval is not newer than the meter's last).
		(
			"//Ferdie",
			meter.as_str(),
			ended.as_str(),
			"1200",
			"1010: Invalid Transaction: Transaction is outdated",
		),
		// An interval that has not ended.
		(
			"//Ferdie",
			&meter,
			&next,
			"1300",
			"1010: Invalid Transaction: Transaction will be valid in the future",
		),
		// A meter the chain does not know: the pallet's error 0, UnknownMeter.
		("//Ferdie", "999999", &ended, "1200", "1010: Invalid Transaction: Custom error: 0"),
		// A key that is no oracle: error 2, UnknownOracle.
		("//Bob", &meter, &ended, "1300", "1010: Invalid Transaction: Custom error: 2"),
	] {
		let (code, out, err) = relay(oracle, meter, interval, imported);
		assert_eq!(code, Some(2), "{out}\n{err}");
		assert!(out.contains(&format!("refused: {refusal}")), "expected {refusal}, got:\n{out}");
	}
	let best = node.block_number(false).await;

	let http = format!("http://127.0.0.1:{}", node.rpc_port);
	let decoded = succeeds("node", &["scripts/js/decode-blocks.mjs", &http, &best.to_string()]);
	let decoded: Value = serde_json::from_str(&decoded).expect("decode-blocks prints JSON");
	assert_eq!(decoded["failures"], json!([]), "{decoded}");
	assert_eq!(decoded["papi"], decoded["polkadotJs"], "the two clients disagree");
	let (calls, events) = view(&decoded["papi"]);

	let call = |kind: &str, name: &str, fields: &str| (kind.into(), name.into(), fields.into());
	for expected in [
		call("bare", "Timestamp.set", "now"),
		call("general", "Readings.submit_readings", "readings"),
		call("general", "Readings.submit_batch", "oracle,readings,signature"),
		call("signed", "Meters.register_meter", "zone,external_id,owner,kind,capacity_w,baseline"),
		call("signed", "Market.place_order", "side,zone,amount,price,expires_at"),
		call("signed", "Credits.retire", "amount"),
		call("general", "Auction.submit_orders", "orders"),
		call("signed", "Auction.set_standing_order", "id,terms"),
		call("signed", "Consortium.propose", "threshold,proposal,length_bound"),
	] {
		assert!(calls.contains(&expected), "no {expected:?} among {calls:#?}");
	}
	let names: BTreeSet<&str> = events.iter().map(|(name, _)| name.as_str()).collect();
	for expected in [
		"System.ExtrinsicSuccess",
		"Meters.MeterRegistered",
		"Readings.ReadingAccepted",
		"Credits.Minted",
		"Market.OrderPlaced",
		"Market.Trade",
		"Credits.Retired",
		"Auction.OrderPlaced",
		"Auction.StandingOrderSet",
		"Consortium.Executed",
		"Meters.OracleAuthorized",
		"TransactionPayment.TransactionFeePaid",
	] {
		assert!(names.contains(expected), "no {expected} among {names:#?}");
	}
	assert!(node.stop(Duration::from_secs(60)).success());
}
