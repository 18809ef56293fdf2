//! The load generator in short (`peergrid load`, as an operator runs it against a development
//! node: docs/benchmarks.md has the long run's figures), and the block budget's measurement
//! on the blocks it filled: `peergrid-node benchmark-import` imports them again, as a validator
//! that did not author them, and reports their import times by what they carry.

use crate::common::{cli_binary, run_node, Node, TempDir};
use std::{path::Path, process::Command, time::Duration};

const START_TIMEOUT: Duration = Duration::from_secs(120);
const STOP_TIMEOUT: Duration = Duration::from_secs(60);

/// An archive development node in `dir` that has carried `peergrid load` with `plan` (the
/// options after `load`), and the load's report.
pub async fn loaded_archive_node(dir: &Path, plan: &[&str]) -> (Node, String) {
	let mut node = Node::start(dir, &["--dev", "--state-pruning", "archive"]);
	node.wait_for_rpc(START_TIMEOUT).await;
	let output = Command::new(cli_binary())
		.args(["--url", &node.url(), "--signer", "dev:alice", "load"])
		.args(plan)
		.output()
		.expect("peergrid runs");
	let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
	let stderr = String::from_utf8_lossy(&output.stderr);
	assert!(output.status.success(), "{stdout}\n{stderr}\n{}", node.tail());
	(node, stdout)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_short_load_puts_every_transaction_on_chain_and_its_blocks_imports_are_measured() {
	let dir = TempDir::new("load");
	let plan = ["--meters", "64", "--intervals", "8", "--orders", "200", "--transfers", "400"];
	let plan = [&plan[..], &["--auction-orders", "200"]].concat();
	let (node, stdout) =
		loaded_archive_node(dir.path(), &[&plan[..], &["--zones", "2"]].concat()).await;
	// Every transaction submitted is on chain, none failed: 64 meters' 8 readings, half of
	// the batches signed reading by reading and half as a whole.
	for row in [
		"| readings, signed one by one | 256 | 256 | 0 |",
		"| readings, batch-signed | 256 | 256 | 0 |",
		"| orders | 200 | 200 | 0 |",
		"| trades | 0 | 100 | 0 |",
		"| auction orders, relayed | 200 | 200 | 0 |",
		"| transfers | 400 | 400 | 0 |",
	] {
		assert!(stdout.contains(row), "no `{row}` in:\n{stdout}");
	}
	// Each kind's limit is named: weight, the client, or something else.
	assert!(stdout.contains("| median block fill | limit |"), "{stdout}");
	let best = node.block_number(false).await;
	assert!(node.stop(STOP_TIMEOUT).success());

	// Every block imported again on its parent's state, kept by the archive node.
	let data = dir.path().join("data");
	let data = data.to_str().expect("UTF-8");
	let import = |extra: &[&str]| {
		let mut args = vec!["benchmark-import", "--dev", "--base-path", data];
		args.extend(["--state-pruning", "archive"]);
		args.extend(extra);
		run_node(&args)
	};
	let to = best.to_string();
	let (status, stdout, stderr) = import(&["--to", &to, "--full", "0"]);
	assert!(status.success(), "{stdout}\n{stderr}");
	let rows: Vec<_> =
		stdout.lines().filter(|l| l.starts_with("| ") && l.contains(" % |")).collect();
	for number in 1..=best {
		assert!(rows.iter().any(|r| r.starts_with(&format!("| {number} | "))), "{stdout}");
	}
	// The summary: each kind of load in blocks of its own, with its import times.
	let kinds = ["readings, signed one by one", "readings, batch-signed", "orders", "transfers"];
	for kind in kinds.into_iter().chain(["auction orders, relayed"]) {
		let row = stdout.lines().find(|l| l.starts_with(&format!("| {kind} | ")));
		let cells: Vec<_> = row.expect(kind).split('|').map(str::trim).collect();
		let blocks: u32 = cells[2].parse().expect("blocks");
		let p99: f64 = cells[5].parse().expect("ms");
		assert!(blocks > 0 && p99 > 0.0, "{stdout}");
	}
	// Times a network measured (as scripts/load-network.sh writes them) set beside the same
	// blocks, by kind: each block imported in 100 ms by one validator and 300 ms by another,
	// built in 50 ms.
	let network = dir.path().join("network.tsv");
	let lines: String = (1..=best)
		.map(|n| {
			format!("{n}\tbob\timport\t100.0\n{n}\tcharlie\timport\t300\n{n}\talice\tbuild\t50\n")
		})
		.collect();
	std::fs::write(&network, lines).expect("written");
	let network = network.to_str().expect("UTF-8");
	let (status, stdout, stderr) = import(&["--to", &to, "--full", "0", "--network", network]);
	assert!(status.success(), "{stdout}\n{stderr}");
	let (_, on_network) = stdout.split_once("the same blocks on the network").expect("its table");
	let kinds = ["readings, signed one by one", "readings, batch-signed", "orders", "transfers"];
	for kind in kinds.into_iter().chain(["auction orders, relayed"]) {
		let row = on_network.lines().find(|l| l.starts_with(&format!("| {kind} | ")));
		let cells: Vec<_> = row.expect(kind).split('|').map(str::trim).collect();
		let blocks: usize = cells[2].parse().expect("blocks");
		// Two imports a block; p50, p99 and slowest of them; the build's p50 and slowest.
		assert_eq!(cells[3], (2 * blocks).to_string(), "{on_network}");
		assert_eq!(cells[4..7], ["100.0", "300.0", "300.0"], "{on_network}");
		assert_eq!(cells[8..10], ["50.0", "50.0"], "{on_network}");
	}
	// A malformed line is refused with its number; a file of other blocks' times too.
	let bad = dir.path().join("bad.tsv");
	for (text, error) in [
		("1\tbob\timport\t5\n2\tbob\tverify\t5\n", "line 2: `verify` is neither"),
		("1\tbob\timport\tfast\n", "line 1: "),
		("1\tbob\timport\t-5\n", "line 1: -5 ms is not a time"),
		("999999\tbob\timport\t5\n", "has no import time of any of these blocks"),
	] {
		std::fs::write(&bad, text).expect("written");
		let bad = bad.to_str().expect("UTF-8");
		// Refused before the blocks are imported again: one block suffices.
		let (status, _, stderr) =
			import(&["--from", "1", "--to", "1", "--full", "0", "--network", bad]);
		assert!(!status.success() && stderr.contains(error), "{text:?}: {stderr}");
	}
	// Bad ranges are refused with the reason.
	// Far ahead of the best block, which may have grown while the node stopped.
	let ahead = (best + 1_000).to_string();
	for bad in [&["--from", "0"][..], &["--to", &ahead], &["--from", "3", "--to", "2"]] {
		let (status, _, stderr) = import(bad);
		assert!(!status.success(), "{bad:?}");
		assert!(stderr.contains("--from must be at least 1, at most --to"), "{bad:?}: {stderr}");
	}
}
