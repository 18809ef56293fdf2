//! The four-utility consortium of `local-consortium.toml` under faults, on zombienet-sdk's
//! native provider (local processes and addresses only), driven over JSON-RPC as wallets and
//! regulators drive it:
//!
//! 1. the validators finalize blocks and see each other; the regulator's node, which the chain
//!    does not admit yet (node authorization), gets no peer and falls behind; the consortium
//!    admits it by a two-thirds vote and it syncs;
//! 2. the energy flow (an oracle authorized by a consortium motion, meters registered,
//!    oracle-signed readings, a trade, a retirement) works through the regulator's RPC node
//!    while one validator is down;
//! 3. one validator stopped: blocks and finality continue (3 of 4 is more than two thirds);
//!    restarted, it catches up and agrees with the others on the finalized chain;
//! 4. two validators stopped: finality stalls while blocks are still authored, and resumes once
//!    they are back, with no conflicting finalized blocks on any node;
//! 5. a node restarted loses nothing: the readings, credits and orders submitted before the
//!    restart are all in its state after it;
//! 6. the consortium votes a validator out: after the session change it authors no more
//!    blocks while the other three go on; voted back in, it authors again.
//!
//! One network serves the six phases in that order (spawning one takes about a minute on two
//! cores). The processes are killed and the network's directory removed whether the test passes
//! or fails; on failure the tail of every node's log is printed.
//!
//! Needs `peergrid-node` on `PATH` (`scripts/test.sh` puts the release build there).

use codec::{Decode, Encode};
use std::{
	path::{Path, PathBuf},
	time::{Duration, Instant},
};
use zombienet_sdk::{
	subxt::{
		backend::legacy::{rpc_methods::BlockNumber, LegacyRpcMethods},
		blocks::ExtrinsicEvents,
		dynamic::{self, Value},
		ext::{
			scale_value::{Composite, ValueDef},
			subxt_rpcs::client::RpcParams,
		},
		tx::{Payload, TxStatus},
		utils::AccountId32,
		OnlineClient, PolkadotConfig,
	},
	subxt_signer::{
		sr25519::{dev, Keypair},
		SecretUri,
	},
	GlobalSettingsBuilder, LocalFileSystem, Network, NetworkConfig, NetworkConfigExt, NetworkNode,
};

type Client = OnlineClient<PolkadotConfig>;

/// How long a finality wait may take. Three of four voters finalize within seconds as a rule,
/// but when one is down none of the rest is spare: a vote lost in gossip (a peer that had not yet
/// moved to the round drops it) is sent again only by GRANDPA's rebroadcast, every five minutes
/// (`REBROADCAST_AFTER` in sc-consensus-grandpa). Finality then pauses, and resumes without loss.
const FINALITY: Duration = Duration::from_secs(6 * 60);
type Rpc = LegacyRpcMethods<PolkadotConfig>;
type Hash = zombienet_sdk::subxt::utils::H256;

const VALIDATORS: [&str; 4] = ["alice", "bob", "charlie", "dave"];
const REGULATOR: &str = "regulator";
/// Prometheus: how many blocks a node has authored since it started.
const BLOCKS_AUTHORED: &str = "substrate_proposer_block_constructed_count";
/// Settlement intervals are 15 minutes.
const INTERVAL_SECONDS: u64 = 900;
/// GRID has 12 decimals; prices are per kWh.
const MILLI_GRID: u128 = 1_000_000_000;

/// The network's directory: removed when the test ends, however it ends; on a failure the tail
/// of each node's log is printed first.
struct Workspace(PathBuf);

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

/// A node's JSON-RPC, as a client sees it.
struct Node {
	name: &'static str,
	rpc: Rpc,
}

impl Node {
	/// Connects to the node's RPC, waiting up to a minute for a (re)started node to serve it.
	async fn connect(network: &Network<LocalFileSystem>, name: &'static str) -> Node {
		let node = network.get_node(name).expect("the node is in the network");
		let start = Instant::now();
		loop {
			match node.rpc().await {
				Ok(client) => return Node { name, rpc: Rpc::new(client) },
				Err(e) if start.elapsed() > Duration::from_secs(60) => {
					panic!("{name}'s RPC does not answer: {e}")
				}
				Err(_) => tokio::time::sleep(Duration::from_millis(500)).await,
			}
		}
	}

	async fn best(&self) -> u32 {
		self.rpc.chain_get_header(None).await.expect("a header").expect("a best block").number
	}

	async fn finalized(&self) -> u32 {
		let hash = self.rpc.chain_get_finalized_head().await.expect("a finalized head");
		self.rpc.chain_get_header(Some(hash)).await.expect("a header").expect("known").number
	}

	async fn hash_at(&self, number: u32) -> Option<Hash> {
		self.rpc.chain_get_block_hash(Some(BlockNumber::from(number))).await.expect("answers")
	}

	async fn peers(&self) -> usize {
		self.rpc.system_health().await.expect("health").peers
	}

	/// Whether the node is catching up with the chain. Its transaction pool validates against
	/// the block it had when the catching up began, so a wallet waits until it has caught up.
	async fn is_syncing(&self) -> bool {
		self.rpc.system_health().await.expect("health").is_syncing
	}
}

/// Polls `check` every second until it holds, or fails the test after `timeout`.
async fn eventually<F, Fut>(what: &str, timeout: Duration, mut check: F)
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

async fn nodes(network: &Network<LocalFileSystem>, names: &[&'static str]) -> Vec<Node> {
	let mut nodes = Vec::new();
	for name in names {
		nodes.push(Node::connect(network, name).await);
	}
	nodes
}

/// Waits until every node in `nodes` has finalized at least `target`.
async fn all_finalize(nodes: &[Node], target: u32, timeout: Duration) {
	for node in nodes {
		let what = format!("{} finalizes block {target}", node.name);
		eventually(&what, timeout, || async { node.finalized().await >= target }).await;
	}
}

/// The finalized chains of all `nodes` agree, block by block, up to the lowest finalized height.
async fn finalized_chains_agree(nodes: &[Node]) -> u32 {
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

fn network_node<'a>(network: &'a Network<LocalFileSystem>, name: &str) -> &'a NetworkNode {
	network.get_node(name).expect("the node is in the network")
}

#[tokio::test(flavor = "multi_thread")]
async fn the_consortium_survives_faults_and_loses_nothing() {
	let dir = std::env::temp_dir().join(format!("peergrid-zombienet-{}", std::process::id()));
	let _workspace = Workspace(dir.clone());
	let settings = GlobalSettingsBuilder::new()
		.with_base_dir(&dir)
		.with_node_spawn_timeout(180)
		.with_network_spawn_timeout(600)
		.build()
		.expect("valid settings");
	let definition = concat!(env!("CARGO_MANIFEST_DIR"), "/local-consortium.toml");
	let network = NetworkConfig::load_from_toml_with_settings(definition, &settings)
		.expect("the network definition loads")
		.spawn_native()
		.await
		.expect("the network spawns");
	let all: Vec<&'static str> = VALIDATORS.iter().copied().chain([REGULATOR]).collect();
	let everyone = nodes(&network, &all).await;

	println!("1. validators finalize; the regulator's node is admitted only by a vote");
	let validators = nodes(&network, &VALIDATORS).await;
	all_finalize(&validators, 3, Duration::from_secs(180)).await;
	for node in &validators {
		let what = format!("{} sees the three other validators", node.name);
		eventually(&what, Duration::from_secs(60), || async { node.peers().await == 3 }).await;
	}
	let outsider = &everyone[4];
	eventually("the unadmitted regulator node has no peer", Duration::from_secs(60), || async {
		outsider.peers().await == 0
	})
	.await;
	let (behind, ahead) = (outsider.best().await, validators[0].best().await);
	tokio::time::sleep(Duration::from_secs(18)).await;
	assert_eq!(outsider.best().await, behind, "the unadmitted node syncs nothing");
	assert!(validators[0].best().await > ahead, "the validators go on");
	println!("  the regulator's node stays at block {behind} with no peer");
	let alice_client =
		network_node(&network, "alice").wait_client::<PolkadotConfig>().await.expect("a client");
	// The regulator asks its node for its peer id, as `docs/operators.md` shows.
	let regulator_rpc = network_node(&network, REGULATOR).rpc().await.expect("an RPC client");
	let peer_id: String = regulator_rpc
		.request("system_localPeerId", RpcParams::new())
		.await
		.expect("the node's peer id");
	let peer_bytes = bs58::decode(&peer_id).into_vec().expect("a base58 peer id");
	let admit = Composite::named([
		("node", Value::from_bytes(peer_bytes)),
		("owner", Value::unnamed_variant("Id", [account(&id(&regulator_key()))])),
	]);
	consortium_decides(&alice_client, "NodeAuthorization", "add_well_known_node", admit).await;
	for node in &everyone {
		let what = format!("{} sees the four other nodes", node.name);
		eventually(&what, Duration::from_secs(120), || async { node.peers().await == 4 }).await;
	}
	all_finalize(&everyone, validators[0].finalized().await, FINALITY).await;
	let target = validators[0].best().await;
	eventually("the regulator's node has caught up", Duration::from_secs(120), || async {
		!outsider.is_syncing().await && outsider.best().await >= target
	})
	.await;
	// Blocks imported while catching up do not reach the transaction pool: it validates
	// against the blocks it has seen, so a wallet waits for the node to import new ones.
	let caught_up = outsider.best().await;
	eventually("the regulator's node imports new blocks", Duration::from_secs(60), || async {
		outsider.best().await >= caught_up + 2
	})
	.await;
	finalized_chains_agree(&everyone).await;

	println!("2. the energy flow works through the regulator's node while dave is down");
	network_node(&network, "dave").pause().await.expect("dave pauses");
	let regulator =
		network_node(&network, REGULATOR).wait_client::<PolkadotConfig>().await.expect("a client");
	let market = energy_flow(&regulator).await;
	network_node(&network, "dave").restart(None).await.expect("dave restarts");

	println!("3. one validator down: blocks and finality continue; back, it catches up");
	let dave = Node::connect(&network, "dave").await;
	all_finalize(&[dave], everyone[0].finalized().await, FINALITY).await;
	network_node(&network, "bob").pause().await.expect("bob pauses");
	let others = nodes(&network, &["alice", "charlie", "dave", REGULATOR]).await;
	let target = others[0].finalized().await + 4;
	all_finalize(&others, target, FINALITY).await;
	network_node(&network, "bob").restart(None).await.expect("bob restarts");
	let bob = Node::connect(&network, "bob").await;
	all_finalize(&[bob], target, FINALITY).await;
	let agreed = finalized_chains_agree(&nodes(&network, &all).await).await;
	println!("  the five nodes agree on finalized blocks 1 to {agreed}");

	println!("4. two validators down: finality stalls; back, it resumes without conflict");
	for name in ["charlie", "dave"] {
		network_node(&network, name).pause().await.expect("pauses");
	}
	let up = nodes(&network, &["alice", "bob", REGULATOR]).await;
	// A round under way may still complete; after that, nothing more is finalized.
	tokio::time::sleep(Duration::from_secs(12)).await;
	let stalled = up[0].finalized().await;
	let best_then = up[0].best().await;
	tokio::time::sleep(Duration::from_secs(36)).await;
	for node in &up {
		assert!(node.finalized().await <= stalled, "{} finalized past the stall", node.name);
	}
	assert!(up[0].best().await > best_then, "alice and bob still author blocks");
	println!("  finality stalled at {stalled} while the best block went past {best_then}");
	for name in ["charlie", "dave"] {
		network_node(&network, name).restart(None).await.expect("restarts");
	}
	let everyone = nodes(&network, &all).await;
	all_finalize(&everyone, best_then + 2, FINALITY).await;
	let agreed = finalized_chains_agree(&everyone).await;
	println!("  finality resumed: all five agree on finalized blocks 1 to {agreed}");

	println!("5. a node restarted loses nothing");
	let before = market.snapshot(&regulator).await;
	network_node(&network, REGULATOR).restart(None).await.expect("the regulator restarts");
	let regulator =
		network_node(&network, REGULATOR).wait_client::<PolkadotConfig>().await.expect("a client");
	let after = market.snapshot(&regulator).await;
	assert_eq!(after, before, "the regulator's node kept every reading, credit and order");
	let restarted = Node::connect(&network, REGULATOR).await;
	let target = nodes(&network, &["alice"]).await[0].finalized().await;
	all_finalize(&[restarted], target, FINALITY).await;

	println!("6. the consortium votes dave out and back in, at session boundaries");
	let dave_node = network_node(&network, "dave");
	let authored = || async {
		dave_node.reports(BLOCKS_AUTHORED).await.expect("dave's metrics answer") as u64
	};
	eventually("dave authors blocks", Duration::from_secs(60), || async { authored().await > 0 })
		.await;
	let dave = Composite::named([("validator", account(&id(&dev::dave())))]);
	consortium_decides(&alice_client, "Validators", "remove_validator", dave.clone()).await;
	eventually("the session change takes dave out", Duration::from_secs(180), || async {
		!session_validators(&alice_client).await.contains(&id(&dev::dave()))
	})
	.await;
	// Blocks in flight at the session change may still be dave's; after that, none is.
	tokio::time::sleep(Duration::from_secs(12)).await;
	let (count, best, finalized) =
		(authored().await, everyone[0].best().await, everyone[0].finalized().await);
	tokio::time::sleep(Duration::from_secs(48)).await;
	assert_eq!(authored().await, count, "dave authored a block after leaving the set");
	assert!(everyone[0].best().await >= best + 6, "the other three go on authoring");
	assert!(everyone[0].finalized().await > finalized, "and finalizing, three of three");
	println!(
		"  dave authored nothing for 48 s; the chain went from {best} to {}",
		everyone[0].best().await
	);

	consortium_decides(&alice_client, "Validators", "add_validator", dave).await;
	eventually("the session change brings dave back", Duration::from_secs(180), || async {
		session_validators(&alice_client).await.contains(&id(&dev::dave()))
	})
	.await;
	eventually("dave authors again", Duration::from_secs(90), || async {
		authored().await > count
	})
	.await;
	let everyone = nodes(&network, &all).await;
	all_finalize(&everyone, everyone[0].best().await, FINALITY).await;
	finalized_chains_agree(&everyone).await;

	network.destroy().await.expect("the network stops");
}

/// What the energy flow left on chain: the test's accounts and ids.
struct Market {
	eve: AccountId32,
	ferdie: AccountId32,
	order: u64,
	meters: [u64; 2],
}

/// The state the energy flow created, read from one node at its best block.
#[derive(Debug, PartialEq)]
struct Snapshot {
	credits: Vec<Option<Vec<u8>>>,
	order: Option<Vec<u8>>,
	readings: Vec<Option<Vec<u8>>>,
}

impl Market {
	async fn snapshot(&self, client: &Client) -> Snapshot {
		Snapshot {
			credits: vec![
				raw(client, "Credits", "Accounts", vec![account(&self.eve)]).await,
				raw(client, "Credits", "Accounts", vec![account(&self.ferdie)]).await,
			],
			order: raw(client, "Market", "Orders", vec![Value::u128(self.order.into())]).await,
			readings: vec![
				raw(client, "Readings", "MeterStates", vec![Value::u128(self.meters[0].into())])
					.await,
				raw(client, "Readings", "MeterStates", vec![Value::u128(self.meters[1].into())])
					.await,
			],
		}
	}
}

/// The SCALE bytes at a storage entry, at the best block.
async fn raw(client: &Client, pallet: &str, entry: &str, keys: Vec<Value>) -> Option<Vec<u8>> {
	let address = dynamic::storage(pallet, entry, keys);
	client
		.storage()
		.at_latest()
		.await
		.expect("the best block")
		.fetch(&address)
		.await
		.expect("storage answers")
		.map(|value| value.encoded().to_vec())
}

fn account(who: &AccountId32) -> Value {
	Value::from_bytes(who.0)
}

fn id(who: &Keypair) -> AccountId32 {
	who.public_key().to_account_id()
}

/// Submits `call` signed by `signer` and waits until it is finalized and succeeded.
async fn submit(
	client: &Client,
	signer: &Keypair,
	call: &impl Payload,
	what: &str,
) -> ExtrinsicEvents<PolkadotConfig> {
	let start = Instant::now();
	let events = client
		.tx()
		.sign_and_submit_then_watch_default(call, signer)
		.await
		.unwrap_or_else(|e| panic!("{what}: submitted: {e:?}"))
		.wait_for_finalized_success()
		.await
		.unwrap_or_else(|e| panic!("{what}: finalized and succeeded: {e}"));
	println!("  ok after {:>3} s: {what}", start.elapsed().as_secs());
	events
}

/// Submits `call` signed by `signer` and waits until it is in a best block and succeeded: for
/// the votes of a motion, which the close needs only in the best chain. (subxt takes the
/// signer's nonce from the finalized block, so a signer's next transaction must wait for
/// finality.)
async fn submit_in_block(client: &Client, signer: &Keypair, call: &impl Payload, what: &str) {
	let start = Instant::now();
	let mut progress = client
		.tx()
		.sign_and_submit_then_watch_default(call, signer)
		.await
		.unwrap_or_else(|e| panic!("{what}: submitted: {e}"));
	while let Some(status) = progress.next().await {
		match status.unwrap_or_else(|e| panic!("{what}: {e}")) {
			TxStatus::InBestBlock(block) | TxStatus::InFinalizedBlock(block) => {
				block.wait_for_success().await.unwrap_or_else(|e| panic!("{what}: failed: {e}"));
				println!("  ok after {:>3} s: {what}", start.elapsed().as_secs());
				return;
			}
			TxStatus::Error { message }
			| TxStatus::Invalid { message }
			| TxStatus::Dropped { message } => panic!("{what}: {message}"),
			_ => {}
		}
	}
	panic!("{what}: the node stopped reporting the transaction's status");
}

/// The consortium decides `pallet.call(fields)` by a motion for three of its four members:
/// alice proposes, she, bob and charlie approve (a proposal carries no vote), and dave's account
/// closes it. Panics unless the call was then executed and succeeded.
async fn consortium_decides(client: &Client, pallet: &str, call: &str, fields: Composite<()>) {
	let what = format!("{pallet}.{call}");
	let encoded = client
		.tx()
		.call_data(&dynamic::tx(pallet, call, fields.clone()))
		.expect("the call encodes");
	let hash = sp_crypto_hashing::blake2_256(&encoded);
	let index = raw(client, "Consortium", "ProposalCount", vec![])
		.await
		.map_or(0, |b| u32::decode(&mut &b[..]).expect("a u32"));
	let propose = dynamic::tx(
		"Consortium",
		"propose",
		Composite::named([
			("threshold", Value::u128(3)),
			("proposal", Value::unnamed_variant(pallet, [Value::variant(call, fields)])),
			("length_bound", Value::u128(encoded.len() as u128)),
		]),
	);
	submit(client, &dev::alice(), &propose, &format!("alice proposes {what}")).await;
	let vote = dynamic::tx(
		"Consortium",
		"vote",
		Composite::named([
			("proposal", Value::from_bytes(hash)),
			("index", Value::u128(index.into())),
			("approve", Value::bool(true)),
		]),
	);
	let (alice, bob, charlie) = (dev::alice(), dev::bob(), dev::charlie());
	tokio::join!(
		submit_in_block(client, &alice, &vote, "alice approves"),
		submit_in_block(client, &bob, &vote, "bob approves"),
		submit_in_block(client, &charlie, &vote, "charlie approves"),
	);
	let close = dynamic::tx(
		"Consortium",
		"close",
		Composite::named([
			("proposal_hash", Value::from_bytes(hash)),
			("index", Value::u128(index.into())),
			(
				"proposal_weight_bound",
				Value::named_composite([
					("ref_time", Value::u128(100_000_000_000)),
					("proof_size", Value::u128(1_000_000)),
				]),
			),
			("length_bound", Value::u128(encoded.len() as u128)),
		]),
	);
	let events = submit(client, &dev::dave(), &close, "dave closes the motion").await;
	let executed = events
		.iter()
		.map(|e| e.expect("the events decode"))
		.find(|e| e.pallet_name() == "Consortium" && e.variant_name() == "Executed")
		.unwrap_or_else(|| panic!("{what}: the motion was executed"));
	let fields = executed.field_values().expect("the event's fields decode");
	let result = fields.values().nth(1).expect("Executed { proposal_hash, result }");
	assert!(
		matches!(&result.value, ValueDef::Variant(v) if v.name == "Ok"),
		"{what}: the consortium's call failed: {result}"
	);
}

/// The validators of the current session.
async fn session_validators(client: &Client) -> Vec<AccountId32> {
	let bytes = raw(client, "Session", "Validators", vec![]).await.unwrap_or_default();
	<Vec<[u8; 32]>>::decode(&mut &bytes[..])
		.expect("accounts")
		.into_iter()
		.map(AccountId32)
		.collect()
}

/// The regulator's account: it owns the regulator's admitted node.
fn regulator_key() -> Keypair {
	let uri: SecretUri = "//Regulator".parse().expect("a dev secret URI");
	Keypair::from_uri(&uri).expect("a dev key")
}

/// A meter reading as the runtime encodes it.
#[derive(Encode, Decode)]
struct Reading {
	meter: u64,
	interval: u64,
	imported_wh: u64,
	exported_wh: u64,
}

/// A reading signed by `oracle` for the chain `genesis`, as `pallet-readings` documents it:
/// sr25519 over `"peergrid/reading/v1" ++ genesis ++ SCALE(reading)`.
fn signed_reading(oracle: &Keypair, genesis: Hash, reading: Reading) -> Value {
	let mut payload = b"peergrid/reading/v1".to_vec();
	payload.extend_from_slice(genesis.as_bytes());
	payload.extend(reading.encode());
	let signature = oracle.sign(&payload);
	Value::named_composite([
		(
			"reading",
			Value::named_composite([
				("meter", Value::u128(reading.meter.into())),
				("interval", Value::u128(reading.interval.into())),
				("imported_wh", Value::u128(reading.imported_wh.into())),
				("exported_wh", Value::u128(reading.exported_wh.into())),
			]),
		),
		("oracle", account(&id(oracle))),
		("signature", Value::unnamed_variant("Sr25519", [Value::from_bytes(signature.0)])),
	])
}

fn register_meter(
	owner: &Keypair,
	external_id: &str,
	kind: &str,
	baseline_interval: u64,
) -> Composite<()> {
	Composite::named([
		("zone", Value::u128(0)),
		("external_id", Value::from_bytes(external_id.as_bytes())),
		("owner", account(&id(owner))),
		("kind", Value::unnamed_variant(kind, [])),
		("capacity_w", Value::u128(5_000)),
		(
			"baseline",
			Value::unnamed_variant(
				"Some",
				[Value::named_composite([
					("interval", Value::u128(baseline_interval.into())),
					(
						"registers",
						Value::named_composite([
							("imported_wh", Value::u128(0)),
							("exported_wh", Value::u128(0)),
						]),
					),
				])],
			),
		),
	])
}

/// The `u64` stored at a plain storage value, if any.
async fn stored_u64(client: &Client, pallet: &str, entry: &str) -> Option<u64> {
	raw(client, pallet, entry, vec![]).await.map(|b| u64::decode(&mut &b[..]).expect("a u64"))
}

/// Through one node: the consortium (a motion) authorizes Ferdie's key as the oracle
/// of zone A; Alice, its operator, registers Eve's rooftop solar and Ferdie's household meter;
/// Ferdie relays two intervals of their signed readings; Eve sells credits, Ferdie buys some
/// and retires them against his consumption.
async fn energy_flow(client: &Client) -> Market {
	let (alice, eve, ferdie) = (dev::alice(), dev::eve(), dev::ferdie());
	let genesis = client.genesis_hash();
	let now_ms = stored_u64(client, "Timestamp", "Now").await.expect("the chain has a clock");
	let now = now_ms / 1000 / INTERVAL_SECONDS;
	let next_meter = stored_u64(client, "Meters", "NextMeterId").await.unwrap_or(0);
	let meters = [next_meter, next_meter + 1];

	let authorize = Composite::named([
		("oracle", account(&id(&ferdie))),
		("zones", Value::unnamed_composite([Value::u128(0)])),
	]);
	consortium_decides(client, "Meters", "authorize_oracle", authorize).await;
	let eve_pv = register_meter(&eve, "ZN-EVE-PV", "Bidirectional", now - 5);
	submit(client, &alice, &dynamic::tx("Meters", "register_meter", eve_pv), "Eve's meter").await;
	let ferdie_home = register_meter(&ferdie, "ZN-FERDIE", "Consumption", now - 5);
	let call = dynamic::tx("Meters", "register_meter", ferdie_home);
	submit(client, &alice, &call, "Ferdie's meter").await;

	let readings = vec![
		signed_reading(&ferdie, genesis, reading(meters[0], now - 4, 0, 1_000)),
		signed_reading(&ferdie, genesis, reading(meters[1], now - 4, 1_200, 0)),
		signed_reading(&ferdie, genesis, reading(meters[0], now - 3, 0, 2_000)),
		signed_reading(&ferdie, genesis, reading(meters[1], now - 3, 2_400, 0)),
	];
	let batch =
		dynamic::tx("Readings", "submit_readings", vec![Value::unnamed_composite(readings)]);
	submit(client, &ferdie, &batch, "four signed readings relayed").await;

	let next_order = stored_u64(client, "Market", "NextOrderId").await.unwrap_or(0);
	let order = |side: &str, amount: u64, price: u128| {
		dynamic::tx(
			"Market",
			"place_order",
			Composite::named([
				("side", Value::unnamed_variant(side, [])),
				("zone", Value::u128(0)),
				("amount", Value::u128(amount.into())),
				("price", Value::u128(price)),
				("expires_at", Value::unnamed_variant("None", [])),
			]),
		)
	};
	submit(client, &eve, &order("Sell", 1_500, 150 * MILLI_GRID), "Eve offers 1.5 kWh").await;
	submit(client, &ferdie, &order("Buy", 1_000, 200 * MILLI_GRID), "Ferdie buys 1 kWh").await;
	let retire = dynamic::tx("Credits", "retire", vec![Value::u128(1_000)]);
	submit(client, &ferdie, &retire, "Ferdie retires 1 kWh").await;

	let market = Market { eve: id(&eve), ferdie: id(&ferdie), order: next_order, meters };
	let state = market.snapshot(client).await;
	// An account's record: free, held, minted, metered, retired (Wh).
	let credits = |bytes: &Option<Vec<u8>>| {
		bytes.as_ref().map(|b| {
			<(u64, u64, u64, u64, u64)>::decode(&mut &b[..]).expect("an account's credits")
		})
	};
	let eve = credits(&state.credits[0]).expect("Eve has credits");
	assert_eq!((eve.0, eve.1, eve.2), (500, 500, 2_000), "Eve: 2,000 minted, 1,500 offered");
	assert_eq!(
		credits(&state.credits[1]),
		Some((0, 0, 0, 2_400, 1_000)),
		"Ferdie retired all he bought: 1,000 Wh of the 2,400 metered"
	);
	assert!(state.order.is_some(), "Eve's order rests with 500 Wh");
	assert!(state.readings.iter().all(Option::is_some), "both meters' readings are recorded");
	market
}

fn reading(meter: u64, interval: u64, imported_wh: u64, exported_wh: u64) -> Reading {
	Reading { meter, interval, imported_wh, exported_wh }
}
