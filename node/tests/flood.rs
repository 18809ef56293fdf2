//! A flood of invalid transactions against a running node, from many connections at once:
//! oracle-signed reading batches with bad signatures and replays of batches already in blocks
//! (fee-less general transactions, which cost their sender nothing), and transfers signed by
//! accounts that cannot pay. While it lasts, an honest relayer sends a reading every block.
//!
//! The node must refuse every invalid transaction at its pool, keep producing and finalizing
//! blocks, put each honest reading in a block within a few blocks, and keep its memory bounded.
//! The test command runs 30 seconds of it; `PEERGRID_FLOOD_SECONDS` sets a longer run (up to an
//! hour: the honest relayer reads the past 650 intervals of one meter), whose figures are in
//! `docs/reliability.md` (`scripts/flood.sh`).

mod common;

use common::{
	chain::{readings, wait_until, Chain, Extrinsics},
	rpc::{Rpc, RpcError},
	Node, TempDir,
};
use pallet_readings::Reading;
use peergrid_client::Mortality;
use peergrid_runtime::{genesis_config_presets::demo, RuntimeCall, UncheckedExtrinsic, UNIT};
use sp_core::{sr25519, Pair, H256};
use sp_keyring::Sr25519Keyring;
use std::{
	sync::{
		atomic::{AtomicBool, Ordering},
		Arc,
	},
	time::{Duration, Instant},
};

const TIMEOUT: Duration = Duration::from_secs(120);
/// Connections flooding the node at once.
const FLOODERS: usize = 8;
/// The honest meter: the demo's meter 0 (Bob's rooftop solar, no baseline yet).
const METER: u64 = 0;
/// How many blocks an honest reading may wait for one: the flood must not crowd it out.
const MAX_DELAY_BLOCKS: u64 = 3;
/// How much the node's resident memory may grow during the flood.
const MAX_GROWTH_MIB: u64 = 256;

/// What the flood sent and how the node answered.
#[derive(Default, Debug)]
struct Sent {
	/// Refused by the pool as invalid (JSON-RPC 1010), as every one must be.
	refused: u64,
	/// Refused unchecked, as a transaction the pool knew: temporarily banned (1012) or already
	/// imported (1013).
	known: u64,
	/// Not answered otherwise (the RPC server busy, a connection refused).
	other: u64,
	/// The first of those, for the report.
	other_sample: Option<String>,
	/// Accepted into the pool: none may be.
	accepted: u64,
}

impl std::ops::Add for Sent {
	type Output = Sent;
	fn add(self, o: Sent) -> Sent {
		Sent {
			refused: self.refused + o.refused,
			known: self.known + o.known,
			other: self.other + o.other,
			other_sample: self.other_sample.or(o.other_sample),
			accepted: self.accepted + o.accepted,
		}
	}
}

#[test]
fn a_flood_of_invalid_transactions_stops_neither_blocks_nor_honest_readings() {
	let seconds: u64 = std::env::var("PEERGRID_FLOOD_SECONDS")
		.map_or(30, |s| s.parse().expect("PEERGRID_FLOOD_SECONDS is a number of seconds"));
	assert!(seconds <= 3600, "the honest relayer has an hour of past intervals to read");
	let dir = TempDir::new("flood");
	let mut node = Node::start(dir.path(), &["--dev"]);
	node.wait_for_rpc(TIMEOUT);
	let chain = Chain::connect(node.client.clone()).expect("the node answers");
	wait_until(TIMEOUT, || Ok(chain.now()? > 0)).expect("the first block sets the chain's clock");
	let genesis = chain.extrinsics.genesis;
	let oracle = demo::oracle().pair();
	let start_interval = chain.current_interval().expect("the chain's clock") - 650;

	// The honest relayer's first batch: the meter's baseline. Its replays are part of the flood.
	let honest = |interval: u64| {
		let exported_wh = (interval - start_interval) * 100;
		let reading = Reading { meter: METER, interval, imported_wh: 0, exported_wh };
		chain.extrinsics.general(
			readings::batch(vec![readings::sign(genesis, &oracle, reading)]).expect("one reading"),
		)
	};
	let first = honest(start_interval);
	chain.submit(&first).expect("the pool takes the first honest batch");
	wait_for_reading(&chain, start_interval);

	let born = chain.mortality().expect("the node names its blocks");
	let pid = node.pid();
	let rss_before = resident_mib(pid);
	let (best_before, finalized_before) = (node.block_number(false), node.block_number(true));
	let flooding = Arc::new(AtomicBool::new(true));
	let flooders: Vec<_> = (0..FLOODERS)
		.map(|i| {
			let flooder = Flooder {
				rpc: Rpc::local(node.rpc_port),
				extrinsics: chain.extrinsics,
				born,
				oracle: oracle.clone(),
				replayed: first.clone(),
				seed: i as u64,
				start: start_interval,
			};
			let flooding = flooding.clone();
			std::thread::spawn(move || flooder.run(&flooding))
		})
		.collect();

	// The honest relayer: one reading a block, each waited for.
	let (started, mut interval, mut delays, mut rss_peak) =
		(Instant::now(), start_interval, Vec::new(), rss_before);
	while started.elapsed() < Duration::from_secs(seconds) {
		interval += 1;
		let sent_at = node.block_number(false);
		chain.submit(&honest(interval)).expect("the pool takes an honest batch in a flood");
		wait_for_reading(&chain, interval);
		delays.push(node.block_number(false) - sent_at);
		rss_peak = rss_peak.max(resident_mib(pid));
		node.assert_running();
	}
	flooding.store(false, Ordering::SeqCst);
	let sent = flooders
		.into_iter()
		.map(|f| f.join().expect("a flooder ends"))
		.fold(Sent::default(), |total, s| total + s);
	let (best_after, finalized_after) = (node.block_number(false), node.block_number(true));
	let rss_after = resident_mib(pid);
	let worst = delays.iter().copied().max().unwrap_or_default();
	println!(
		"flood: {seconds} s from {FLOODERS} connections: {} refused as invalid ({:.0}/s), {} \
		 refused as known, {} unanswered ({}), {} accepted; blocks {best_before}..{best_after}, finalized \
		 {finalized_before}..{finalized_after}; {} honest readings, each in a block within {worst} \
		 blocks; node memory {rss_before} MiB before, {rss_peak} MiB at most, {rss_after} MiB after",
		sent.refused,
		sent.refused as f64 / seconds as f64,
		sent.known,
		sent.other,
		sent.other_sample.as_deref().unwrap_or("none"),
		sent.accepted,
		delays.len(),
	);
	assert_eq!(sent.accepted, 0, "the pool accepted an invalid transaction");
	assert!(sent.refused > 0, "the flood reached the node");
	assert!(worst <= MAX_DELAY_BLOCKS, "an honest reading waited {worst} blocks");
	let blocks = seconds / 6;
	assert!(best_after >= best_before + blocks / 2, "blocks went on: {best_before}..{best_after}");
	assert!(
		finalized_after >= finalized_before + blocks / 2,
		"finality went on: {finalized_before}..{finalized_after}"
	);
	assert!(
		rss_peak <= rss_before + MAX_GROWTH_MIB,
		"the node's memory grew from {rss_before} to {rss_peak} MiB"
	);
}

/// Waits until the honest meter's last accepted reading is `interval`'s.
fn wait_for_reading(chain: &Chain, interval: u64) {
	let key = pallet_readings::MeterStates::<peergrid_runtime::Runtime>::hashed_key_for(METER);
	wait_until(TIMEOUT, || {
		let state: Option<pallet_readings::MeterState> = chain.storage(&key)?;
		Ok(state.is_some_and(|s| s.last_interval >= interval))
	})
	.unwrap_or_else(|e| panic!("the honest reading of interval {interval} is in a block: {e}"));
}

/// One connection's flood: in turn, a fresh batch whose reading is signed for another chain (a
/// bad signature), a fresh transfer signed by an account with no funds, and the honest first
/// batch again (a replay).
struct Flooder {
	rpc: Rpc,
	extrinsics: Extrinsics,
	born: Mortality,
	oracle: sr25519::Pair,
	replayed: UncheckedExtrinsic,
	seed: u64,
	start: u64,
}

impl Flooder {
	fn run(self, flooding: &AtomicBool) -> Sent {
		let alice = Sr25519Keyring::Alice.to_account_id();
		let chain = Chain::connect(self.rpc.clone()).expect("the node answers");
		let mut sent = Sent::default();
		let (mut n, mut born) = (0u64, self.born);
		while flooding.load(Ordering::SeqCst) {
			n += 1;
			if n % 3_000 == 0 {
				// A transfer lives 64 blocks: keep them refused for want of funds, not for age.
				born = chain.mortality().unwrap_or(born);
			}
			let xt = match n % 3 {
				0 => {
					let (meter, exported_wh) = (METER, (self.seed << 32) | n);
					let reading =
						Reading { meter, interval: self.start + n, imported_wh: 0, exported_wh };
					let forged = readings::sign(H256::repeat_byte(7), &self.oracle, reading);
					self.extrinsics.general(readings::batch(vec![forged]).expect("one reading"))
				}
				1 => {
					let (pauper, _) = sr25519::Pair::generate();
					let transfer =
						RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
							dest: alice.clone().into(),
							value: UNIT,
						});
					self.extrinsics.signed(&pauper, 0, transfer, born)
				}
				_ => self.replayed.clone(),
			};
			match chain.submit(&xt) {
				Ok(_) => sent.accepted += 1,
				Err(RpcError::Node(e)) if e["code"] == 1010 => sent.refused += 1,
				Err(RpcError::Node(e)) if e["code"] == 1012 || e["code"] == 1013 => sent.known += 1,
				Err(e) => {
					sent.other += 1;
					sent.other_sample.get_or_insert_with(|| e.to_string());
				}
			}
		}
		sent
	}
}

/// The resident memory of process `pid`, in MiB.
fn resident_mib(pid: u32) -> u64 {
	let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("a process");
	let line = status.lines().find(|l| l.starts_with("VmRSS:")).expect("VmRSS");
	let kib: u64 = line.split_whitespace().nth(1).and_then(|v| v.parse().ok()).expect("kB");
	kib / 1024
}
