//! What the consortium test is made of: the network's nodes as a client sees them, waiting for
//! what must eventually hold, transactions and motions (`chain`), the energy flow (`energy`)
//! and a load of oracle-signed readings (`load`).

pub mod chain;
pub mod energy;
pub mod load;

use serde_json::Value;
use std::{
	path::{Path, PathBuf},
	time::{Duration, Instant},
};
use zombienet_sdk::{GlobalSettingsBuilder, LocalFileSystem, Network, NetworkConfig, NetworkNode};

/// A wallet's, an oracle's or a regulator's connection to a node: `peergrid-client`, the
/// library the `peergrid` CLI is built on, with the API generated from the runtime's metadata.
pub type Client = peergrid_client::node::Node;
pub type Hash = peergrid_client::api::Hash;

/// The block time of the runtime the network runs (`genesis.wasm` of `scripts/test-runtimes.sh`,
/// the runtime's feature `fast-blocks`); the test checks it against the chain's own clock.
pub const BLOCK: Duration = Duration::from_secs(2);

/// How long a finality wait may take. Three of four voters finalize within seconds as a rule,
/// but when one is down none of the rest is spare: a vote lost in gossip (a peer that had not yet
/// moved to the round drops it) is sent again only by GRANDPA's rebroadcast, every five minutes
/// (`REBROADCAST_AFTER` in sc-consensus-grandpa). Finality then pauses, and resumes without loss.
pub const FINALITY: Duration = Duration::from_secs(6 * 60);

pub const VALIDATORS: [&str; 4] = ["alice", "bob", "charlie", "dave"];
pub const REGULATOR: &str = "regulator";
/// Prometheus: how many blocks a node has authored since it started.
pub const BLOCKS_AUTHORED: &str = "substrate_proposer_block_constructed_count";
/// GRID has 12 decimals; prices are per kWh.
pub const GRID: u128 = 1_000_000_000_000;
pub const MILLI_GRID: u128 = GRID / 1_000;

/// The network's directory and its definition beside it: removed when the test ends, however
/// it ends; on a failure the tail of each node's log is printed first.
pub struct Workspace(pub PathBuf);

impl Workspace {
	pub fn new() -> Workspace {
		Workspace(std::env::temp_dir().join(format!("peergrid-zombienet-{}", std::process::id())))
	}

	/// The network of `local-consortium.toml`, started on the runtime `genesis` (zombienet's
	/// `wasm_override` puts it in the chain spec the node builds) instead of the node's own.
	pub fn network(&self, genesis: &Path) -> NetworkConfig {
		let template = concat!(env!("CARGO_MANIFEST_DIR"), "/local-consortium.toml");
		let text = std::fs::read_to_string(template).expect("the network definition reads");
		let runtime = format!("[relaychain]\nwasm_override = \"{}\"\n", genesis.display());
		let definition = self.0.with_extension("toml");
		std::fs::write(&definition, text.replacen("[relaychain]\n", &runtime, 1))
			.expect("the network definition writes");
		let settings = GlobalSettingsBuilder::new()
			.with_base_dir(&self.0)
			.with_node_spawn_timeout(180)
			.with_network_spawn_timeout(600)
			.build()
			.expect("valid settings");
		let definition = definition.to_str().expect("a UTF-8 path");
		NetworkConfig::load_from_toml_with_settings(definition, &settings)
			.expect("the network definition loads")
	}
}

impl Drop for Workspace {
	fn drop(&mut self) {
		if std::thread::panicking() {
			for log in logs(&self.0) {
				let text = std::fs::read_to_string(&log).unwrap_or_default();
				let tail: Vec<&str> = text.lines().rev().take(40).collect();
				eprintln!("==== {} (last 40 lines)", log.display());
				for line in tail.into_iter().rev() {
					eprintln!("{line}");
				}
			}
		}
		let _ = std::fs::remove_dir_all(&self.0);
		let _ = std::fs::remove_file(self.0.with_extension("toml"));
	}
}

/// The runtimes of `scripts/test-runtimes.sh` (the directory `PEERGRID_TEST_RUNTIMES`): the
/// network starts on `genesis` (2-second blocks) and is upgraded to `next` (`spec_version` + 1).
/// Read at the start, so that a missing one fails at once.
pub struct Runtimes {
	pub genesis: PathBuf,
	pub next: Vec<u8>,
}

impl Runtimes {
	pub fn from_env() -> Runtimes {
		let dir = std::env::var("PEERGRID_TEST_RUNTIMES").expect(
			"PEERGRID_TEST_RUNTIMES names the directory of the test's runtimes \
			 (scripts/test-runtimes.sh prints it)",
		);
		let dir = PathBuf::from(dir);
		let genesis = dir.join("genesis.wasm");
		assert!(genesis.is_file(), "{}: no such runtime", genesis.display());
		let next = dir.join("next.wasm");
		let next = std::fs::read(&next).unwrap_or_else(|e| panic!("{}: {e}", next.display()));
		Runtimes { genesis, next }
	}
}

fn logs(dir: &Path) -> Vec<PathBuf> {
	let mut found = Vec::new();
	if let Ok(entries) = std::fs::read_dir(dir) {
		for entry in entries.flatten() {
			let path = entry.path();
			if path.is_dir() {
				found.extend(logs(&path));
			} else if path.extension().is_some_and(|e| e == "log") {
				found.push(path);
			}
		}
	}
	found
}

/// A connection to the node `name`, once its RPC answers (a node just (re)started takes a moment,
/// up to a minute): transactions through it are followed until their block is finalized, or
/// with `finalized` false only until a block includes them.
pub async fn connect(network: &Network<LocalFileSystem>, name: &str, finalized: bool) -> Client {
	let url = network_node(network, name).ws_uri().to_string();
	let start = Instant::now();
	loop {
		match Client::connect(&url, finalized).await {
			Ok(client) => return client,
			Err(e) if start.elapsed() > Duration::from_secs(60) => {
				panic!("{name}'s RPC does not answer: {e}")
			}
			Err(_) => tokio::time::sleep(Duration::from_millis(500)).await,
		}
	}
}

/// A node as the test watches it: its blocks, peers and runtime.
pub struct Node {
	pub name: &'static str,
	pub client: Client,
}

impl Node {
	/// The node `name`, once a client can connect to it ([`connect`], following finality).
	pub async fn connect(network: &Network<LocalFileSystem>, name: &'static str) -> Node {
		Node { name, client: connect(network, name, true).await }
	}

	pub async fn best(&self) -> u32 {
		self.client.best_number().await.unwrap_or_else(|e| panic!("{}: {e}", self.name))
	}

	pub async fn finalized(&self) -> u32 {
		self.client.finalized_number().await.unwrap_or_else(|e| panic!("{}: {e}", self.name))
	}

	pub async fn hash_at(&self, number: u32) -> Option<Hash> {
		self.client.hash_of(number).await.unwrap_or_else(|e| panic!("{}: {e}", self.name))
	}

	async fn ask(&self, method: &str) -> Value {
		self.client.call(method, vec![]).await.unwrap_or_else(|e| panic!("{}: {e}", self.name))
	}

	pub async fn peers(&self) -> u64 {
		self.ask("system_health").await["peers"].as_u64().expect("a number of peers")
	}

	/// The `spec_version` of the runtime the node runs at its best block.
	pub async fn spec_version(&self) -> u64 {
		self.ask("state_getRuntimeVersion").await["specVersion"].as_u64().expect("a version")
	}

	/// Whether the node is catching up with the chain. Its transaction pool validates against
	/// the block it had when the catching up began, so a wallet waits until it has caught up.
	pub async fn is_syncing(&self) -> bool {
		self.ask("system_health").await["isSyncing"].as_bool().expect("true or false")
	}

	/// The node's libp2p peer id, as its operator asks for it (`docs/operators.md`).
	pub async fn peer_id(&self) -> String {
		self.ask("system_localPeerId").await.as_str().expect("a base58 peer id").to_string()
	}
}

/// Polls `check` every second until it holds, or fails the test after `timeout`.
pub async fn eventually<F, Fut>(what: &str, timeout: Duration, mut check: F)
where
	F: FnMut() -> Fut,
	Fut: std::future::Future<Output = bool>,
{
	let start = Instant::now();
	while !check().await {
		assert!(start.elapsed() < timeout, "timed out after {timeout:?} waiting until {what}");
		tokio::time::sleep(Duration::from_secs(1)).await;
	}
	println!("  ok after {:>3} s: {what}", start.elapsed().as_secs());
}

pub async fn nodes(network: &Network<LocalFileSystem>, names: &[&'static str]) -> Vec<Node> {
	let mut nodes = Vec::new();
	for name in names {
		nodes.push(Node::connect(network, name).await);
	}
	nodes
}

/// Waits until every node in `nodes` has finalized at least `target`.
pub async fn all_finalize(nodes: &[Node], target: u32, timeout: Duration) {
	for node in nodes {
		let what = format!("{} finalizes block {target}", node.name);
		eventually(&what, timeout, || async { node.finalized().await >= target }).await;
	}
}

/// The finalized chains of all `nodes` agree, block by block, up to the lowest finalized height.
pub async fn finalized_chains_agree(nodes: &[Node]) -> u32 {
	let mut lowest = u32::MAX;
	for node in nodes {
		lowest = lowest.min(node.finalized().await);
	}
	for number in 1..=lowest {
		let expected = nodes[0].hash_at(number).await;
		assert!(expected.is_some(), "{} knows its finalized block {number}", nodes[0].name);
		for node in &nodes[1..] {
			assert_eq!(node.hash_at(number).await, expected, "{} at {number}", node.name);
		}
	}
	lowest
}

pub fn network_node<'a>(network: &'a Network<LocalFileSystem>, name: &str) -> &'a NetworkNode {
	network.get_node(name).expect("the node is in the network")
}
