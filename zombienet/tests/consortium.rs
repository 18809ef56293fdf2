//! The four-utility consortium of `local-consortium.toml` under faults, on zombienet-sdk's
//! native provider (local processes and addresses only), driven through `peergrid-client` as
//! wallets and regulators drive it:
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
//!    blocks while the other three go on; voted back in, it authors again;
//! 7. under a load of oracle-signed readings (`common::load`), a validator is killed with
//!    SIGKILL again and again, each time restarted on its database: it keeps every block it
//!    had finalized, and killed again while it catches up, it still catches up;
//! 8. still under the load, the runtime is upgraded to the next `spec_version`: refused
//!    without a motion, authorized by one and applied; every node runs the new runtime, blocks
//!    and finality go on, the energy flow's meters, credits and order are unchanged, readings
//!    and orders still go through; at the end every node holds every reading the load
//!    delivered and the credits they minted, at the same finalized block;
//! 9. once block 1 is more than 256 finalized blocks old, the regulator's archive
//!    node answers `energy_` queries at block 1 and exports every trade; a validator, which
//!    keeps 256 blocks of state, refuses both ("State already discarded").
//!
//! One network serves the nine phases in that order (spawning one takes about a minute on two
//! cores). It runs the runtime with 2-second blocks (feature `fast-blocks`), so that what takes
//! a number of blocks takes a third of the time. The processes are killed and the network's
//! directory removed whether the test passes or fails; on failure the tail of every node's log
//! is printed.
//!
//! Needs `peergrid-node` and `peergrid` on `PATH` and, in `PEERGRID_TEST_RUNTIMES`, the directory
//! of the runtimes to start on and upgrade to (`scripts/test.sh` builds them all:
//! `scripts/test-runtimes.sh`).

mod common;

use common::{
	all_finalize,
	chain::{
		consortium_decides, id, key, regulator_key, session_validators, submit, submit_refused,
	},
	connect,
	energy::{energy_flow, Market},
	eventually, finalized_chains_agree,
	load::Load,
	network_node, nodes, Client, Node, Runtimes, Workspace, BLOCK, BLOCKS_AUTHORED, FINALITY,
	REGULATOR, VALIDATORS,
};
use peergrid_client::api::{
	peergrid,
	runtime_types::{
		frame_system::pallet::Call as System,
		pallet_node_authorization::pallet::Call as NodeAuthorization,
		pallet_validators::pallet::Call as Validators,
		peergrid_runtime::consortium_root::pallet::Call as ConsortiumRoot, sp_core::OpaquePeerId,
	},
	DispatchError, RuntimeCall,
};
use serde_json::json;
use std::time::Duration;
use zombienet_sdk::{LocalFileSystem, Network, NetworkConfigExt};

#[tokio::test(flavor = "multi_thread")]
async fn the_consortium_survives_faults_and_loses_nothing() {
	let runtimes = Runtimes::from_env();
	let workspace = Workspace::new();
	let network =
		workspace.network(&runtimes.genesis).spawn_native().await.expect("the network spawns");
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
	tokio::time::sleep(BLOCK * 3).await;
	assert_eq!(outsider.best().await, behind, "the unadmitted node syncs nothing");
	assert!(validators[0].best().await > ahead, "the validators go on");
	println!("  the regulator's node stays at block {behind} with no peer");
	let alice_client = connect(&network, "alice", true).await;
	let period = peergrid::constants().timestamp().minimum_period();
	let period = alice_client.constant(&period).expect("the clock's constant");
	assert_eq!(
		u128::from(period) * 2,
		BLOCK.as_millis(),
		"the network runs the runtime of {BLOCK:?} blocks"
	);
	// The regulator asks its node for its peer id, as `docs/operators.md` shows.
	let peer_id = outsider.peer_id().await;
	let peer_bytes = bs58::decode(&peer_id).into_vec().expect("a base58 peer id");
	let admit = NodeAuthorization::add_well_known_node {
		node: OpaquePeerId(peer_bytes),
		owner: id(&regulator_key()).into(),
	};
	let admit = RuntimeCall::NodeAuthorization(admit);
	consortium_decides(&alice_client, admit, "NodeAuthorization.add_well_known_node").await;
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
	let regulator = connect(&network, REGULATOR, true).await;
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
	// A round under way may still complete (GRANDPA's gossip, not the block time, sets how
	// long that takes); after that, nothing more is finalized.
	tokio::time::sleep(Duration::from_secs(6)).await;
	let stalled = up[0].finalized().await;
	let best_then = up[0].best().await;
	tokio::time::sleep(BLOCK * 10).await;
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
	let regulator = connect(&network, REGULATOR, true).await;
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
	let dave = id(&key("//Dave"));
	let remove = RuntimeCall::Validators(Validators::remove_validator { validator: dave.clone() });
	consortium_decides(&alice_client, remove, "Validators.remove_validator").await;
	eventually("the session change takes dave out", Duration::from_secs(180), || async {
		!session_validators(&alice_client).await.contains(&dave)
	})
	.await;
	// Blocks in flight at the session change may still be dave's; after that, none is.
	tokio::time::sleep(BLOCK * 3).await;
	let (count, best, finalized) =
		(authored().await, everyone[0].best().await, everyone[0].finalized().await);
	tokio::time::sleep(BLOCK * 12).await;
	assert_eq!(authored().await, count, "dave authored a block after leaving the set");
	assert!(everyone[0].best().await >= best + 10, "the other three go on authoring");
	assert!(everyone[0].finalized().await > finalized, "and finalizing, three of three");
	println!(
		"  dave authored nothing for 12 slots; the chain went from {best} to {}",
		everyone[0].best().await
	);

	let add = RuntimeCall::Validators(Validators::add_validator { validator: dave.clone() });
	consortium_decides(&alice_client, add, "Validators.add_validator").await;
	eventually("the session change brings dave back", Duration::from_secs(180), || async {
		session_validators(&alice_client).await.contains(&dave)
	})
	.await;
	eventually("dave authors again", Duration::from_secs(90), || async {
		authored().await > count
	})
	.await;
	let everyone = nodes(&network, &all).await;
	all_finalize(&everyone, everyone[0].best().await, FINALITY).await;
	finalized_chains_agree(&everyone).await;

	println!("7. under a readings load, a validator killed (SIGKILL) again and again");
	let load = Load::start(connect(&network, REGULATOR, false).await).await;
	killed_under_load(&network, &load).await;

	println!("8. under the load, the runtime upgraded by a consortium motion");
	upgrade_by_motion(&network, &alice_client, &market, &load, &runtimes.next).await;
	let (delivered, loaded) = load.stop().await;
	let everyone = nodes(&network, &all).await;
	// The load's last batch is in the regulator's best block: wait for the highest best block.
	let mut target = 0;
	for node in &everyone {
		target = target.max(node.best().await);
	}
	all_finalize(&everyone, target, FINALITY).await;
	let at = everyone[0].hash_at(target).await.expect("a finalized block");
	let regulator = connect(&network, REGULATOR, true).await;
	loaded.check(&regulator, at, &delivered).await;
	let expected = loaded.state_at(&regulator, at).await;
	for name in VALIDATORS {
		let held = loaded.state_at(&connect(&network, name, true).await, at).await;
		assert_eq!(held, expected, "{name} holds every reading and credit of the load");
	}
	println!(
		"  the load: {} readings in {} batches ({} sent again), all on every node at block {target}",
		delivered.readings, delivered.batches, delivered.resent
	);
	finalized_chains_agree(&everyone).await;

	println!("9. history older than a validator's 256 blocks of state, on the regulator's node");
	history_stays_readable(&network).await;

	network.destroy().await.expect("the network stops");
}

/// Phase 9: once block 1 is older than the 256 blocks of state a validator keeps (the default
/// pruning), the regulator's archive node still answers `energy_` queries at block 1
/// and exports every trade of the chain with `peergrid export trades`; a validator refuses both.
async fn history_stays_readable(network: &Network<LocalFileSystem>) {
	let alice = Node::connect(network, "alice").await;
	eventually("block 1 is 260 finalized blocks old", Duration::from_secs(1200), || async {
		alice.finalized().await > 261
	})
	.await;
	let block_1 = alice.hash_at(1).await.expect("block 1");
	let eve = id(&key("//Eve")).to_string();
	let at_block_1 = |name: &'static str| {
		let (eve, network) = (eve.clone(), network);
		async move {
			let node = Node::connect(network, name).await;
			node.client.call("energy_account", vec![json!(eve), json!(block_1)]).await
		}
	};
	let answer = at_block_1(REGULATOR).await.expect("the regulator's node answers at block 1");
	assert!(answer["freeWh"].is_u64(), "an account's position: {answer}");
	let refused = at_block_1("alice").await.expect_err("alice discarded block 1's state");
	// Error 1, "the runtime could not answer", with the reason in its data.
	assert!(refused.contains("discarded"), "{refused}");

	let export = |name: &str| {
		let url = network_node(network, name).ws_uri().to_string();
		std::process::Command::new("peergrid")
			.args(["--url", &url, "export", "trades"])
			.output()
			.expect("the peergrid CLI runs (it is on PATH with the node)")
	};
	let archive = export(REGULATOR);
	assert!(archive.status.success(), "{}", String::from_utf8_lossy(&archive.stderr));
	let csv = String::from_utf8(archive.stdout).expect("CSV is text");
	let trades = csv.lines().skip(1).count();
	assert_eq!(trades, 2, "the energy flow's trade and the one after the upgrade:\n{csv}");
	let pruned = export("alice");
	let why = String::from_utf8_lossy(&pruned.stderr);
	assert!(!pruned.status.success() && why.contains("discarded"), "alice's export: {why}");
	println!(
		"  at block {}: the regulator's node answers at block 1 and exports {trades} trades; \
		 alice refuses both ({})",
		alice.finalized().await,
		String::from_utf8_lossy(&pruned.stderr).trim()
	);
}

/// Phase 7: charlie's validator is stopped long enough to fall behind, killed (SIGKILL) and
/// restarted on its database, then killed again while it catches up; three times, at different
/// moments of its restart. It never loses a block it had finalized, and catches up at the end.
async fn killed_under_load(network: &Network<LocalFileSystem>, load: &Load) {
	let charlie = network_node(network, "charlie");
	let alice = Node::connect(network, "alice").await;
	let since = load.accepted();
	let delays = [Duration::from_millis(500), Duration::from_secs(2), Duration::from_secs(5)];
	for (kill, after) in delays.into_iter().enumerate() {
		let node = Node::connect(network, "charlie").await;
		let finalized = node.finalized().await;
		// Stopped for five blocks, so that it has blocks to import when it comes back.
		charlie.pause().await.expect("charlie pauses");
		tokio::time::sleep(BLOCK * 5).await;
		charlie.restart(None).await.expect("charlie is killed and restarted");
		let node = Node::connect(network, "charlie").await;
		let kept = node.finalized().await;
		assert!(
			kept >= finalized,
			"charlie lost finalized blocks: {kept} after, {finalized} before"
		);
		tokio::time::sleep(after).await;
		let (best, ahead) = (node.best().await, alice.best().await);
		let before = node.finalized().await;
		charlie.restart(None).await.expect("charlie is killed again and restarted");
		let again = Node::connect(network, "charlie").await.finalized().await;
		assert!(again >= before, "charlie lost finalized blocks: {again} after, {before} before");
		println!(
			"  kill {}: finalized {finalized} kept ({kept} after the restart); killed again {} ms \
			 after starting, at block {best} of {ahead}: finalized {before} kept ({again} after)",
			kill + 1,
			after.as_millis()
		);
	}
	let charlie = Node::connect(network, "charlie").await;
	all_finalize(&[charlie], alice.finalized().await, FINALITY).await;
	load.advances(since, 64, "the load's readings go on through the kills").await;
}

/// Phase 8: the runtime `next.wasm` (the same code as `spec_version + 1`) is
/// refused without a motion, authorized by one and applied, while the load's readings flow.
async fn upgrade_by_motion(
	network: &Network<LocalFileSystem>,
	alice_client: &Client,
	market: &Market,
	load: &Load,
	code: &[u8],
) {
	let code_hash = sp_crypto_hashing::blake2_256(code);
	let all: Vec<&'static str> = VALIDATORS.iter().copied().chain([REGULATOR]).collect();
	let everyone = nodes(network, &all).await;
	let running = everyone[0].spec_version().await;

	let authorize = peergrid::tx().system().authorize_upgrade(code_hash.into());
	let apply = peergrid::tx().system().apply_authorized_upgrade(code.to_vec());
	let (alice, bob) = (key("//Alice"), key("//Bob"));
	let (alone, unauthorized) = tokio::join!(
		submit_refused(alice_client, &alice, &authorize),
		submit_refused(alice_client, &bob, &apply),
	);
	assert!(
		matches!(alone, DispatchError::BadOrigin),
		"a member alone cannot authorize an upgrade"
	);
	let (unauthorized, nothing) = (
		alice_client.describe(&unauthorized),
		alice_client.named_error("System", "NothingAuthorized"),
	);
	assert_eq!(Some(&unauthorized), nothing.as_ref(), "nobody applies an unauthorized runtime");
	assert_eq!(everyone[0].spec_version().await, running, "nothing was upgraded");
	println!("  refused without a motion: authorize (BadOrigin), apply ({unauthorized})");

	let regulator = connect(network, REGULATOR, true).await;
	let before = market.snapshot(&regulator).await;
	let upgrade = System::authorize_upgrade { code_hash: code_hash.into() };
	let dispatch = ConsortiumRoot::dispatch { call: Box::new(RuntimeCall::System(upgrade)) };
	let dispatch = RuntimeCall::ConsortiumRoot(dispatch);
	consortium_decides(alice_client, dispatch, "ConsortiumRoot.dispatch(System.authorize_upgrade)")
		.await;
	let applied = submit(alice_client, &bob, &apply, "bob applies the authorized runtime").await;
	let updated = applied.find::<peergrid::system::events::CodeUpdated>().expect("decodes");
	assert_eq!(updated.len(), 1, "the code is updated");
	let accepted = load.accepted();
	for node in &everyone {
		let what = format!("{} runs spec_version {}", node.name, running + 1);
		let upgraded = || async { node.spec_version().await == running + 1 };
		eventually(&what, Duration::from_secs(60), upgraded).await;
	}
	let upgraded = everyone[0].best().await;
	all_finalize(&everyone, upgraded + 4, FINALITY).await;
	let regulator = connect(network, REGULATOR, true).await;
	assert_eq!(market.snapshot(&regulator).await, before, "every meter, credit and order kept");
	load.advances(accepted, 64, "readings go through the new runtime").await;
	let trades = market.ferdie_buys(&regulator, 200, "Ferdie buys 200 Wh of Eve's offer").await;
	assert_eq!(trades, 1, "an order trades on the new runtime");
}
