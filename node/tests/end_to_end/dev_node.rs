//! End-to-end: a real `peergrid-node --dev` process, driven over JSON-RPC as a wallet would,
//! and the node's maintenance subcommands on the database it leaves behind.

use crate::common::{run_node, Node, TempDir};
use codec::Decode;
use peergrid_client::api::METADATA;
use serde_json::json;
use std::time::{Duration, Instant};

/// Alice's address (the dev chain's validator and sudo key), SS58 prefix 42.
const ALICE: &str = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";

/// Generous bounds for liveness only: a loaded CI machine may be slow, never stuck.
const START_TIMEOUT: Duration = Duration::from_secs(120);
const FINALITY_TIMEOUT: Duration = Duration::from_secs(180);
const STOP_TIMEOUT: Duration = Duration::from_secs(60);

#[tokio::test(flavor = "multi_thread")]
async fn dev_node_produces_and_finalizes_blocks_and_stops_cleanly() {
	let dir = TempDir::new("dev");
	let mut node = Node::start(dir.path(), &["--dev"]);
	node.wait_for_rpc(START_TIMEOUT).await;

	// What a wallet reads first: the chain, its token and its runtime.
	assert_eq!(node.call("system_chain", json!([])).await, json!("PeerGrid Development"));
	let properties = node.call("system_properties", json!([])).await;
	assert_eq!(properties["tokenSymbol"], json!("GRID"));
	assert_eq!(properties["tokenDecimals"], json!(12));
	assert_eq!(properties["ss58Format"], json!(42));
	assert_eq!(
		node.call("state_getRuntimeVersion", json!([])).await["specName"],
		json!("peergrid")
	);
	// The metadata the node serves (from its Wasm runtime) is the one `peergrid-client` was
	// generated from.
	let served =
		node.call("state_call", json!(["Metadata_metadata_at_version", "0x10000000"])).await;
	let served = sp_core::bytes::from_hex(served.as_str().expect("hex")).expect("hex");
	let served = Option::<Vec<u8>>::decode(&mut &served[..]).expect("Option<OpaqueMetadata>");
	assert!(
		served.as_deref() == Some(METADATA),
		"the node serves other metadata than client/metadata/peergrid.scale: run scripts/metadata.sh"
	);

	// The standard methods and the node's own ones are served.
	let methods = node.call("rpc_methods", json!([])).await;
	let methods: Vec<&str> =
		methods["methods"].as_array().expect("a list").iter().filter_map(|m| m.as_str()).collect();
	for method in [
		"author_submitExtrinsic",
		"author_rotateKeys",
		"chain_getFinalizedHead",
		"chain_subscribeNewHeads",
		"state_getStorage",
		"state_getMetadata",
		"system_health",
		"system_accountNextIndex",
		"payment_queryInfo",
		"payment_queryFeeDetails",
	] {
		assert!(methods.contains(&method), "{method} is not served");
	}
	assert_eq!(node.call("system_accountNextIndex", json!([ALICE])).await, json!(0));

	// Blocks are authored and finalized.
	let started = Instant::now();
	let start_block = node.block_number(false).await;
	let best = node.wait_for_finalized(3, FINALITY_TIMEOUT).await;
	let elapsed = started.elapsed();
	let finalized = node.block_number(true).await;
	assert!(finalized >= 3 && best >= finalized);
	eprintln!(
		"observed: {} blocks in {:.1}s ({:.1}s per block), finality lag {} block(s)",
		best - start_block,
		elapsed.as_secs_f64(),
		elapsed.as_secs_f64() / (best - start_block).max(1) as f64,
		best - finalized,
	);

	// An operator's Prometheus sees the same.
	let metrics = node.metrics();
	assert!(metrics.contains("substrate_block_height{status=\"finalized\""), "{metrics}");

	let status = node.stop(STOP_TIMEOUT);
	assert!(status.success(), "SIGTERM should stop the node cleanly, got {status}");

	// The database it left behind serves the maintenance subcommands.
	let data = dir.path().join("data");
	let data = data.to_string_lossy();
	let exported = dir.path().join("blocks.bin");
	let exported = exported.to_string_lossy();
	let (status, _, stderr) = run_node(&[
		"export-blocks",
		"--chain=dev",
		"--base-path",
		&data,
		"--from=1",
		"--to=3",
		"--binary",
		&exported,
	]);
	assert!(status.success(), "export-blocks failed: {stderr}");
	assert!(std::fs::metadata(&*exported).expect("blocks exported").len() > 0);

	let other = dir.path().join("imported");
	let other = other.to_string_lossy();
	let (status, _, stderr) =
		run_node(&["import-blocks", "--chain=dev", "--base-path", &other, "--binary", &exported]);
	assert!(status.success(), "import-blocks failed: {stderr}");
	assert!(stderr.contains("Imported 3 blocks"), "{stderr}");

	let (status, _, stderr) =
		run_node(&["purge-chain", "--chain=dev", "--base-path", &other, "-y"]);
	assert!(status.success(), "purge-chain failed: {stderr}");
	assert!(!std::path::Path::new(&*other).join("chains/peergrid_dev/paritydb/full").exists());
}

#[test]
fn build_spec_describes_the_local_consortium() {
	let (status, spec, stderr) = run_node(&["build-spec", "--chain=local"]);
	assert!(status.success(), "{stderr}");
	let spec: serde_json::Value = serde_json::from_str(&spec).expect("the spec is JSON");
	assert_eq!(spec["id"], json!("peergrid_local"));
	assert_eq!(spec["properties"]["tokenSymbol"], json!("GRID"));
	let patch = &spec["genesis"]["runtimeGenesis"]["patch"];
	// Four utilities: members, validators with their session keys, admitted nodes; no sudo.
	let four = Some(4);
	assert_eq!(patch["session"]["keys"].as_array().map(Vec::len), four, "{patch}");
	assert_eq!(patch["validators"]["validators"].as_array().map(Vec::len), four, "{patch}");
	assert_eq!(patch["consortiumMembership"]["members"].as_array().map(Vec::len), four);
	assert_eq!(patch["nodeAuthorization"]["nodes"].as_array().map(Vec::len), four);
	assert_eq!(patch["sudo"]["key"], json!(null), "no sudo key outside the dev chain");

	let (status, raw, stderr) = run_node(&["build-spec", "--chain=local", "--raw"]);
	assert!(status.success(), "{stderr}");
	let raw: serde_json::Value = serde_json::from_str(&raw).expect("the raw spec is JSON");
	assert!(raw["genesis"]["raw"]["top"].as_object().is_some_and(|top| !top.is_empty()));
}

#[test]
fn key_subcommands_inspect_keys_and_make_a_node_identity() {
	let (status, out, stderr) = run_node(&["key", "inspect", "//Alice"]);
	assert!(status.success(), "{stderr}");
	assert!(out.contains(ALICE), "{out}");

	let dir = TempDir::new("key");
	let key_file = dir.path().join("node-key");
	let (status, _, peer_id) =
		run_node(&["key", "generate-node-key", "--file", &key_file.to_string_lossy()]);
	assert!(status.success(), "{peer_id}");
	assert!(peer_id.trim().starts_with("12D3KooW"), "a libp2p peer id: {peer_id}");
	assert_eq!(std::fs::read_to_string(&key_file).expect("key written").trim().len(), 64);
}

/// A regulator's node keeps every block's state (`--state-pruning archive`, as the run command
/// and the zombienet regulator's node do): queries `at` an old block answer after the pruning
/// window has passed it, where a pruning node has discarded that state. (A default node keeps
/// 256 blocks, 25 minutes: too long for this test, which shows the same with a window of 4.)
#[tokio::test(flavor = "multi_thread")]
async fn an_archive_node_answers_queries_at_blocks_a_pruning_node_has_discarded() {
	let (archive_dir, pruning_dir) = (TempDir::new("archive"), TempDir::new("pruning"));
	let mut archive = Node::start(archive_dir.path(), &["--dev", "--state-pruning", "archive"]);
	let mut pruning = Node::start(pruning_dir.path(), &["--dev", "--state-pruning", "4"]);
	archive.wait_for_rpc(START_TIMEOUT).await;
	pruning.wait_for_rpc(START_TIMEOUT).await;
	archive.wait_for_finalized(8, FINALITY_TIMEOUT).await;
	pruning.wait_for_finalized(8, FINALITY_TIMEOUT).await;
	let at_block_1 = async |node: &Node| {
		let hash = node.call("chain_getBlockHash", json!([1])).await;
		node.rpc("energy_account", json!([ALICE, hash])).await
	};
	let answer = at_block_1(&archive).await.expect("the archive node keeps block 1's state");
	assert!(answer["freeWh"].is_u64(), "{answer}");
	let discarded =
		at_block_1(&pruning).await.expect_err("a pruning node discarded block 1's state");
	assert!(format!("{discarded:?}").contains("discarded"), "{discarded:?}");
	assert!(archive.stop(STOP_TIMEOUT).success());
	assert!(pruning.stop(STOP_TIMEOUT).success());
}

#[test]
fn the_clients_metadata_is_what_peergrid_node_metadata_writes() {
	let dir = TempDir::new("metadata");
	let file = dir.path().join("peergrid.scale");
	let (status, _, stderr) = run_node(&["metadata", file.to_str().expect("a UTF-8 path")]);
	assert!(status.success(), "peergrid-node metadata failed: {stderr}");
	let written = std::fs::read(&file).expect("the metadata file was written");
	assert!(written.starts_with(b"meta"), "RuntimeMetadataPrefixed starts with the magic `meta`");
	assert_eq!(written.get(4), Some(&16), "metadata version 16");
	assert!(
		written == METADATA,
		"client/metadata/peergrid.scale is not this runtime's metadata: run scripts/metadata.sh"
	);
	let (status, _, stderr) = run_node(&["metadata", "/nonexistent/dir/peergrid.scale"]);
	assert!(!status.success(), "{stderr}");
	assert!(
		stderr.starts_with("Error: Invalid input: /nonexistent/dir/peergrid.scale: "),
		"{stderr}"
	);
}

#[test]
fn benchmark_db_measures_reads_and_writes_and_writes_the_runtimes_database_weights() {
	let dir = TempDir::new("benchmark-db");
	let state = dir.path().join("state");
	let output = dir.path().join("db.rs");
	let args = |extra: &[&str]| {
		let mut args = vec!["benchmark-db", "--path", state.to_str().expect("UTF-8")];
		args.extend(["--accounts", "500", "--meters", "1500", "--reads", "300"]);
		args.extend(["--write-batches", "4", "--batch", "50"]);
		args.extend(extra);
		run_node(&args)
	};
	let (status, stdout, stderr) = args(&["--output", output.to_str().expect("UTF-8")]);
	assert!(status.success(), "{stdout}\n{stderr}");
	assert!(stdout.contains("building a state of 4000 entries"), "{stdout}");
	assert!(stdout.contains("| read, uncached, µs (300 keys a round, each once) |"), "{stdout}");
	assert!(stdout.contains("| write, µs a key (4 batches of 50 keys a round) |"), "{stdout}");
	// Three rounds by default, each reported for reads and for writes.
	assert_eq!(stdout.matches("| round 3 |").count(), 2, "{stdout}");
	assert!(!stdout.contains("| round 4 |"), "{stdout}");
	assert!(stdout.contains("median of the rounds' means: read "), "{stdout}");
	let weights = std::fs::read_to_string(&output).expect("the weights were written");
	let figure = |what: &str| -> u64 {
		let line = weights.lines().find(|l| l.trim_start().starts_with(what)).expect(what);
		let digits: String = line.chars().filter(char::is_ascii_digit).collect();
		digits.parse().expect("a number of ns")
	};
	assert!(weights.contains("pub const PeergridDbWeight: RuntimeDbWeight"), "{weights}");
	assert!(figure("read:") > 0 && figure("write:") > 0, "{weights}");
	// The weights are the printed medians (µs to 2 places: within 10 ns), at margin 1.
	let medians = stdout.split("median of the rounds' means: read ").nth(1).expect("medians");
	let printed = |at: usize| -> f64 {
		let figure = medians.split_whitespace().nth(at).expect("a figure");
		figure.parse::<f64>().expect("µs") * 1000.0
	};
	assert!((figure("read:") as f64 - printed(0)).abs() <= 10.0, "{stdout}\n{weights}");
	assert!((figure("write:") as f64 - printed(3)).abs() <= 10.0, "{stdout}\n{weights}");
	// The state is built once: a second run reads and writes the same database, and prints
	// the weights when given no file.
	let (status, stdout, stderr) = args(&[]);
	assert!(status.success(), "{stdout}\n{stderr}");
	assert!(!stdout.contains("building"), "{stdout}");
	assert!(stdout.contains("pub const PeergridDbWeight"), "{stdout}");
	let state = state.to_str().expect("UTF-8");
	let refused = |bad: &[&str], why: &str| {
		let mut args = vec!["benchmark-db", "--path", state, "--accounts", "500"];
		args.extend(["--meters", "1500"]);
		args.extend(bad);
		let (status, _, stderr) = run_node(&args);
		assert!(!status.success() && stderr.contains(why), "{bad:?}: {stderr}");
	};
	let bad_option =
		"Error: Invalid input: --rounds, --reads, --write-batches and --batch must be positive";
	refused(&["--margin", "0.5"], bad_option);
	refused(&["--margin", "NaN"], bad_option);
	refused(&["--batch", "0"], bad_option);
	refused(&["--rounds", "0"], bad_option);
	// 3 rounds of 1,334 distinct keys are more than the state's 4,000.
	let too_many = "--reads × --rounds is at most the state's 4000 entries";
	refused(&["--reads", "1334"], too_many);
	refused(&["--reads", "1000", "--rounds", "5"], too_many);
}
