//! End-to-end: the local consortium (`--chain local`), four utilities' validators on one
//! machine, connects, authors and finalizes blocks together, and refuses a node it has not
//! admitted.

use crate::common::{Node, TempDir};
use serde_json::json;
use std::time::{Duration, Instant};

/// The validators' network keys: `sha256(name)`, the keys the `local_testnet` preset admits
/// (node authorization). A validator of a live chain refuses to make one up.
const NODE_KEYS: [&str; 4] = [
	"2bd806c97f0e00af1a1fc3328fa763a9269723c8db8fac4f93af71db186d6e90",
	"81b637d8fcd2c6da6359e6963113a1170de795e4b725b84d1e0b4cfd9ec58ce9",
	"b9dd960c1753459a78115d3cb845a57d924b6877e805b08bd01086ccdf34433c",
	"61ea0803f8853523b777d414ace3130cd4d3f92de2cd7ff8695c337d79c2eeee",
];
/// The libp2p peer id of Alice's node key: the others' bootnode.
const ALICE_PEER_ID: &str = "12D3KooWQCkBm1BYtkHpocxCwMgR8yjitEeHGx8spzcDLGt2gkBm";

#[tokio::test(flavor = "multi_thread")]
async fn four_validators_author_and_finalize_together() {
	let names = ["alice", "bob", "charlie", "dave"];
	let dirs: Vec<TempDir> = names.iter().map(|n| TempDir::new(n)).collect();

	let alice =
		Node::start(dirs[0].path(), &["--chain=local", "--alice", "--node-key", NODE_KEYS[0]]);
	let bootnode = format!("/ip4/127.0.0.1/tcp/{}/p2p/{ALICE_PEER_ID}", alice.p2p_port);
	let mut nodes = vec![alice];
	for i in 1..names.len() {
		let validator = format!("--{}", names[i]);
		nodes.push(Node::start(
			dirs[i].path(),
			&["--chain=local", &validator, "--node-key", NODE_KEYS[i], "--bootnodes", &bootnode],
		));
	}
	for node in &mut nodes {
		node.wait_for_rpc(Duration::from_secs(120)).await;
	}
	assert_eq!(nodes[0].call("system_chain", json!([])).await, json!("PeerGrid Local Consortium"));

	// Every node finalizes: finality needs more than two thirds of the four validators.
	for node in &mut nodes {
		node.wait_for_finalized(3, Duration::from_secs(240)).await;
	}
	// Each validator comes to see the other three (discovery may take a moment after finality).
	for node in &nodes {
		let deadline = Instant::now() + Duration::from_secs(60);
		while node.call("system_health", json!([])).await["peers"] != json!(3) {
			assert!(Instant::now() < deadline, "a validator does not see the other three");
			tokio::time::sleep(Duration::from_millis(500)).await;
		}
	}

	// A node whose key the chain does not admit (node authorization) gets no peer and never
	// syncs, while the validators go on. (Its bootnode address is the one through which bob,
	// charlie and dave found alice above.)
	let intruder_dir = TempDir::new("intruder");
	let mut intruder =
		Node::start(intruder_dir.path(), &["--chain=local", "--bootnodes", &bootnode]);
	intruder.wait_for_rpc(Duration::from_secs(60)).await;
	let validators_at = nodes[0].block_number(false).await;
	tokio::time::sleep(Duration::from_secs(20)).await;
	assert!(nodes[0].block_number(false).await > validators_at, "the validators go on");
	assert_eq!(
		intruder.call("system_health", json!([])).await["peers"],
		json!(0),
		"{}",
		intruder.tail()
	);
	assert_eq!(intruder.block_number(false).await, 0, "an unadmitted node syncs nothing");
	assert!(intruder.stop(Duration::from_secs(60)).success());

	// The four agree on the finalized chain.
	let mut hash_of_block_3 = Vec::new();
	for node in &nodes {
		hash_of_block_3.push(node.call("chain_getBlockHash", json!([3])).await);
	}
	assert!(hash_of_block_3.windows(2).all(|w| w[0] == w[1]), "{hash_of_block_3:?}");

	// Authorship rotates: Aura gives slot `s` to validator `s % 4`, and blocks 1..=3 come from
	// more than one of them.
	let mut authors = std::collections::BTreeSet::new();
	for number in 1..=3 {
		authors.insert(aura_slot(&nodes[0], number).await % 4);
	}
	assert!(authors.len() > 1, "Aura slots rotate among the validators: {authors:?}");

	for node in nodes {
		assert!(node.stop(Duration::from_secs(60)).success());
	}
}

/// The Aura slot of block `number`, from its pre-runtime digest: `0x06`, the engine id `aura`,
/// the length 8 (compact `0x20`) and the slot as a little-endian u64.
async fn aura_slot(node: &Node, number: u64) -> u64 {
	let hash = node.call("chain_getBlockHash", json!([number])).await;
	let header = node.call("chain_getHeader", json!([hash])).await;
	let log = header["digest"]["logs"][0].as_str().expect("a digest log").to_string();
	let slot = log.strip_prefix("0x066175726120").expect("an Aura pre-runtime digest");
	let bytes: Vec<u8> = (0..slot.len())
		.step_by(2)
		.map(|i| u8::from_str_radix(&slot[i..i + 2], 16).expect("hex"))
		.collect();
	u64::from_le_bytes(bytes.try_into().expect("8 bytes"))
}
