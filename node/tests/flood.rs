//! A flood of invalid transactions against a running node, from many `peergrid-client`
//! connections at once: oracle-signed reading batches with bad signatures and replays of
//! batches already in blocks (fee-less general transactions, which cost their sender nothing),
//! and transfers signed by accounts that cannot pay. While it lasts, an honest relayer sends a reading every block.
//!
//! The node must refuse every invalid transaction at its pool, keep producing and finalizing
//! blocks, put each honest reading in a block within a few blocks, and keep its memory bounded.
//! The test command runs 30 seconds of it; `PEERGRID_FLOOD_SECONDS` sets a longer run (up to an
//! hour: the honest relayer reads the past 650 intervals of one meter), whose figures are in
//! `docs/reliability.md` (`scripts/flood.sh`).

mod common;

use common::{current_interval, Node, TempDir};
use peergrid_client::{
	api::{peergrid, AccountId, Hash},
	node::{Node as Client, NotIncluded, Transaction},
	readings, Mortality,
};
use peergrid_primitives::reading::Reading;
use peergrid_runtime::{genesis_config_presets::demo, UNIT};
use sp_core::{sr25519, Pair};
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
	/// Refused as invalid (JSON-RPC 1010) or not checkable (1002), as every one must be.
	refused: u64,
	/// Refused unchecked, as a transaction the pool knew: temporarily banned (1012), already
	/// imported (1013) or with too low a priority (1014).
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

#[tokio::test(flavor = "multi_thread")]
async fn a_flood_of_invalid_transactions_stops_neither_blocks_nor_honest_readings() {
	let seconds: u64 = std::env::var("PEERGRID_FLOOD_SECONDS")
		.map_or(30, |s| s.parse().expect("PEERGRID_FLOOD_SECONDS is a number of seconds"));
	assert!(seconds <= 3600, "the honest relayer has an hour of past intervals to read");
	let dir = TempDir::new("flood");
	let mut node = Node::start(dir.path(), &["--dev"]);
	node.wait_for_rpc(TIMEOUT).await;
	let client = node.client().await;
	let genesis = client.genesis();
	let oracle = demo::oracle().pair();
	let start_interval = current_interval(&client).await - 650;

	// The honest relayer's first batch: the meter's baseline. Its replays are part of the flood.
	let honest = |interval: u64| {
		let exported_wh = (interval - start_interval) * 100;
		let reading = Reading { meter: METER, interval, imported_wh: 0, exported_wh };
		let batch = readings::batch(vec![readings::sign(genesis, &oracle, reading)]);
		client.general(&batch).expect("one reading")
	};
	let first = honest(start_interval);
	client.submit_only(&first).await.expect("the pool takes the first honest batch");
	wait_for_reading(&client, start_interval).await;

	let born = client.mortality().await.expect("the node names its blocks");
	let pid = node.pid();
	let rss_before = resident_mib(pid);
	let (best_before, finalized_before) =
		(node.block_number(false).await, node.block_number(true).await);
	let flooding = Arc::new(AtomicBool::new(true));
	let mut flooders = Vec::new();
	for i in 0..FLOODERS {
		let flooder = Flooder {
			client: node.client().await,
			born,
			oracle: oracle.clone(),
			replayed: first.encoded().to_vec(),
			seed: i as u64,
			start: start_interval,
		};
		flooders.push(tokio::spawn(flooder.run(flooding.clone())));
	}

	// The honest relayer: one reading a block, each waited for.
	let (started, mut interval, mut delays, mut rss_peak) =
		(Instant::now(), start_interval, Vec::new(), rss_before);
	while started.elapsed() < Duration::from_secs(seconds) {
		interval += 1;
		let sent_at = node.block_number(false).await;
		client.submit_only(&honest(interval)).await.expect("the pool takes an honest batch");
		wait_for_reading(&client, interval).await;
		delays.push(node.block_number(false).await - sent_at);
		rss_peak = rss_peak.max(resident_mib(pid));
		node.assert_running();
	}
	flooding.store(false, Ordering::SeqCst);
	let mut sent = Sent::default();
	for flooder in flooders {
		sent = sent + flooder.await.expect("a flooder ends");
	}
	let (best_after, finalized_after) =
		(node.block_number(false).await, node.block_number(true).await);
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
async fn wait_for_reading(client: &Client, interval: u64) {
	let state = peergrid::storage().readings().meter_states(METER);
	let deadline = Instant::now() + TIMEOUT;
	loop {
		// At the best block, as the delay is counted in best blocks (not the finalized one).
		let best = client.best_hash().await.expect("a best block");
		let last = client.storage(&state, Some(best)).await.expect("readable");
		let last = last.map(|s| s.last_interval);
		if last.is_some_and(|last| last >= interval) {
			return;
		}
		assert!(
			Instant::now() < deadline,
			"the honest reading of interval {interval} is in a block"
		);
		tokio::time::sleep(Duration::from_millis(500)).await;
	}
}

/// One connection's flood: in turn, a fresh batch whose reading is signed for another chain (a
/// bad signature), a fresh transfer signed by an account with no funds, and the honest first
/// batch again (a replay).
struct Flooder {
	client: Client,
	born: Mortality,
	oracle: sr25519::Pair,
	replayed: Vec<u8>,
	seed: u64,
	start: u64,
}

impl Flooder {
	async fn run(self, flooding: Arc<AtomicBool>) -> Sent {
		let alice = AccountId(Sr25519Keyring::Alice.public().0);
		let mut sent = Sent::default();
		let (mut n, mut born) = (0u64, self.born);
		while flooding.load(Ordering::SeqCst) {
			n += 1;
			if n % 3_000 == 0 {
				// A transfer lives 64 blocks: keep them refused for want of funds, not for age.
				born = self.client.mortality().await.unwrap_or(born);
			}
			let tx = match n % 3 {
				0 => {
					let (meter, exported_wh) = (METER, (self.seed << 32) | n);
					let reading =
						Reading { meter, interval: self.start + n, imported_wh: 0, exported_wh };
					let forged = readings::sign(Hash::repeat_byte(7), &self.oracle, reading);
					self.client.general(&readings::batch(vec![forged])).expect("one reading")
				}
				1 => {
					let (pauper, _) = sr25519::Pair::generate();
					let transfer =
						peergrid::tx().balances().transfer_keep_alive(alice.clone().into(), UNIT);
					self.client.signed(&pauper, 0, &transfer, born).expect("signed")
				}
				_ => Transaction::from_bytes(self.client.api.clone(), self.replayed.clone()),
			};
			match self.client.submit_only(&tx).await {
				Ok(_) => sent.accepted += 1,
				Err(NotIncluded::Refused(_)) => sent.refused += 1,
				Err(NotIncluded::Known(_)) => sent.known += 1,
				Err(NotIncluded::Lost(e)) => {
					sent.other += 1;
					sent.other_sample.get_or_insert(e);
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
