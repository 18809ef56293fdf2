//! The load generator in short (`peergrid load`, as an operator runs it against a development
//! node: docs/benchmarks.md has the long run's figures), and the block budget's measurement
//! on the blocks it filled: `peergrid-node benchmark-import` imports them again, as a validator
//! that did not author them, and reports their import times by what they carry.

use crate::common::{cli_binary, run_node, Node, TempDir};
use std::{process::Command, time::Duration};

const START_TIMEOUT: Duration = Duration::from_secs(120);
const STOP_TIMEOUT: Duration = Duration::from_secs(60);

#[tokio::test(flavor = "multi_thread")]
async fn a_short_load_puts_every_transaction_on_chain_and_its_blocks_imports_are_measured() {
	let dir = TempDir::new("load");
	let mut node = Node::start(dir.path(), &["--dev", "--state-pruning", "archive"]);
	node.wait_for_rpc(START_TIMEOUT).await;
	let output = Command::new(cli_binary())
		.args(["--url", &node.url(), "--signer", "dev:alice", "load", "--meters", "64"])
		.args(["--intervals", "8", "--orders", "200", "--transfers", "400", "--zones", "2"])
		.output()
		.expect("peergrid runs");
	let (stdout, stderr) = (String::from_utf8_lossy(&output.stdout), &output.stderr);
	let stderr = String::from_utf8_lossy(stderr);
	assert!(output.status.success(), "{stdout}\n{stderr}\n{}", node.tail());
	// Every transaction submitted is on chain, none failed: 64 meters' 8 readings, half of
	// the batches signed reading by reading and half as a whole.
	for row in [
		"| readings, signed one by one | 256 | 256 | 0 |",
		"| readings, batch-signed | 256 | 256 | 0 |",
		"| orders | 200 | 200 | 0 |",
		"| trades | 0 | 100 | 0 |",
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
	for kind in ["readings, signed one by one", "readings, batch-signed", "orders", "transfers"] {
		let row = stdout.lines().find(|l| l.starts_with(&format!("| {kind} | ")));
		let cells: Vec<_> = row.expect(kind).split('|').map(str::trim).collect();
		let blocks: u32 = cells[2].parse().expect("blocks");
		let p99: f64 = cells[5].parse().expect("ms");
		assert!(blocks > 0 && p99 > 0.0, "{stdout}");
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
