//! A load of oracle-signed readings, relayed without pause while the network is faulted or
//! upgraded: 64 meters, each read for one interval a batch (64 readings a batch), a batch sent
//! as soon as the last is in a block. What it delivered is checked against the chain.

use codec::Encode;
use peergrid_client::{
	api::{
		peergrid,
		peergrid::readings::events::{ReadingAccepted, ReadingRejected},
		runtime_types::{
			pallet_credits::types::CreditAccount, pallet_readings::types::MeterState,
			peergrid_primitives::MeterKind,
		},
		AccountId, Hash,
	},
	node::Included,
	readings,
	subxt::tx::Payload,
};
use peergrid_primitives::reading::Reading;
use sp_core::sr25519;
use std::{
	sync::{
		atomic::{AtomicBool, AtomicU64, Ordering},
		Arc,
	},
	time::Duration,
};

use super::{
	chain::{id, key, submit},
	energy::register_meter,
	Client, GRID,
};

/// Meters read by the load.
const METERS: u64 = 64;
/// Intervals each meter is read for in one batch: one, so that the history below lasts 600
/// batches (at least 600 blocks, 20 minutes of 2-second blocks).
const INTERVALS_PER_BATCH: u64 = 1;
/// Energy each meter exports in an interval (Wh): the credits each reading mints.
const EXPORT_WH: u64 = 100;
/// How far back the meters' baselines are: the load reads that many intervals of history
/// (within the week of totals the chain keeps), so it never waits for time to pass.
const HISTORY: u64 = 600;

/// A load running in the background, until `stop`.
pub struct Load {
	meters: Vec<u64>,
	owner: AccountId,
	baseline: u64,
	accepted: Arc<AtomicU64>,
	running: Arc<AtomicBool>,
	task: tokio::task::JoinHandle<Delivered>,
}

/// What the load delivered: the readings the chain accepted, in how many batches, and the
/// batches it had to send again (refused by the pool or lost with a node).
#[derive(Debug, Default, Clone, Copy)]
pub struct Delivered {
	pub readings: u64,
	pub batches: u64,
	pub resent: u64,
}

/// The relayer's key: it pays for the batches, and owns the load's meters.
fn relayer() -> sr25519::Pair {
	key("//LoadRelayer")
}

/// Signs `call` as `signer` with `nonce` and waits until it succeeded in a block (the load's
/// transactions are sent before the last is finalized): its events.
async fn included(
	client: &Client,
	signer: &sr25519::Pair,
	nonce: u64,
	call: &impl Payload,
) -> Result<Included, String> {
	let born = client.mortality().await?;
	client.submit(client.signed(signer, nonce, call, born)?).await
}

impl Load {
	/// Funds the relayer, registers the load's meters in zone A (Alice, its operator, all at
	/// once) and starts relaying their readings, signed by Ferdie (the zone's oracle), through
	/// `client`'s node, each batch followed until a block includes it (not until finality,
	/// which a fault may pause). `client` follows runtime upgrades, so the load goes on across
	/// one.
	pub async fn start(client: Client) -> Load {
		let updater = client.api.updater();
		tokio::spawn(async move { updater.perform_runtime_updates().await });
		let (alice, relayer) = (key("//Alice"), relayer());
		let owner = id(&relayer);
		let fund =
			peergrid::tx().balances().transfer_keep_alive(owner.clone().into(), 1_000 * GRID);
		submit(&client, &alice, &fund, "the load's relayer is funded").await;
		let baseline = client.current_interval().await.expect("the chain's clock") - HISTORY;
		let first = client.storage(&peergrid::storage().meters().next_meter_id(), None).await;
		let first = first.expect("readable").unwrap_or(0);
		let mut nonce = client.next_nonce(&id(&alice)).await.expect("a nonce");
		let mut registered = Vec::new();
		for meter in 0..METERS {
			let external_id = format!("ZN-LOAD-{meter}");
			let call = register_meter(&owner, &external_id, MeterKind::Bidirectional, baseline);
			let (client, alice) = (client.clone(), alice.clone());
			registered
				.push(tokio::spawn(async move { included(&client, &alice, nonce, &call).await }));
			nonce += 1;
		}
		for registration in registered {
			registration.await.expect("joins").expect("a load meter is registered");
		}
		let meters: Vec<u64> = (first..first + METERS).collect();
		println!("  the load's {METERS} meters registered: {first} to {}", first + METERS - 1);

		let (accepted, running) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicBool::new(true)));
		let relay = Relay {
			client,
			relayer,
			meters: meters.clone(),
			baseline,
			accepted: accepted.clone(),
			running: running.clone(),
		};
		let task = tokio::spawn(relay.run());
		Load { meters, owner, baseline, accepted, running, task }
	}

	/// The readings accepted so far (not counting replays of batches already in a block).
	pub fn accepted(&self) -> u64 {
		self.accepted.load(Ordering::SeqCst)
	}

	/// Waits until the chain has accepted `more` readings than `since`.
	pub async fn advances(&self, since: u64, more: u64, what: &str) {
		super::eventually(what, Duration::from_secs(180), || async {
			self.accepted() >= since + more
		})
		.await;
	}

	/// Stops the load after the batch in flight and reports what it delivered.
	pub async fn stop(self) -> (Delivered, Loaded) {
		self.running.store(false, Ordering::SeqCst);
		let delivered = self.task.await.expect("the load's task ends");
		(delivered, Loaded { meters: self.meters, owner: self.owner, baseline: self.baseline })
	}
}

/// The load's meters, once it has stopped: what the chain must hold of them.
pub struct Loaded {
	meters: Vec<u64>,
	owner: AccountId,
	baseline: u64,
}

impl Loaded {
	/// The state of the load's meters and of their owner's credits at block `at`, as the node
	/// of `client` has it: their SCALE bytes, so that equal means equal to the last byte.
	pub async fn state_at(&self, client: &Client, at: Hash) -> Vec<Option<Vec<u8>>> {
		let (meters, owner) = self.read_at(client, at).await;
		let mut state: Vec<_> = meters.iter().map(|m| m.as_ref().map(Encode::encode)).collect();
		state.push(owner.map(|credits| credits.encode()));
		state
	}

	async fn read_at(
		&self,
		client: &Client,
		at: Hash,
	) -> (Vec<Option<MeterState>>, Option<CreditAccount>) {
		let storage = peergrid::storage();
		let mut meters = Vec::new();
		for meter in &self.meters {
			let state = client.storage(&storage.readings().meter_states(*meter), Some(at)).await;
			meters.push(state.expect("readable"));
		}
		let owner = client.storage(&storage.credits().accounts(self.owner.clone()), Some(at)).await;
		(meters, owner.expect("readable"))
	}

	/// Checks that the chain at `at` holds every reading `delivered` counted, and nothing
	/// else: each meter read up to the same interval, and the owner minted 100 Wh for each.
	pub async fn check(&self, client: &Client, at: Hash, delivered: &Delivered) {
		let (meters, owner) = self.read_at(client, at).await;
		let per_meter = delivered.readings / METERS;
		assert_eq!(delivered.readings % METERS, 0, "a batch reads every meter alike");
		for (meter, state) in self.meters.iter().zip(meters) {
			let state = state.unwrap_or_else(|| panic!("meter {meter} was read"));
			assert_eq!(
				(state.last_interval, u64::from(state.readings), state.credits_minted),
				(self.baseline + per_meter, per_meter, per_meter * EXPORT_WH),
				"meter {meter}: read up to its last batch, every reading accepted once"
			);
		}
		let minted = owner.expect("the owner has credits").minted;
		assert_eq!(minted, delivered.readings * EXPORT_WH, "every accepted reading minted");
	}
}

/// The relaying task's state.
struct Relay {
	client: Client,
	relayer: sr25519::Pair,
	meters: Vec<u64>,
	baseline: u64,
	accepted: Arc<AtomicU64>,
	running: Arc<AtomicBool>,
}

impl Relay {
	async fn run(self) -> Delivered {
		let mut delivered = Delivered::default();
		let (oracle, genesis) = (key("//Ferdie"), self.client.genesis());
		let mut next = self.baseline + 1;
		let (mut nonce, mut exhausted) = (None, false);
		while self.running.load(Ordering::SeqCst) {
			let intervals = next..next + INTERVALS_PER_BATCH;
			if intervals.end > self.baseline + HISTORY {
				// Every past interval read: the test ran longer than the load can.
				if !exhausted {
					eprintln!("  the load has read all {HISTORY} intervals: it sends no more");
					exhausted = true;
				}
				tokio::time::sleep(Duration::from_secs(1)).await;
				continue;
			}
			let mut signed = Vec::new();
			for interval in intervals.clone() {
				let exported_wh = (interval - self.baseline) * EXPORT_WH;
				for &meter in &self.meters {
					let reading = Reading { meter, interval, imported_wh: 0, exported_wh };
					signed.push(readings::sign(genesis, &oracle, reading));
				}
			}
			let batch = readings::batch(signed);
			let n = match nonce {
				Some(n) => n,
				None => self.client.next_nonce(&id(&self.relayer)).await.expect("a nonce"),
			};
			let sent = included(&self.client, &self.relayer, n, &batch);
			// A batch whose block was retracted would otherwise be waited for for ever.
			let outcome = tokio::time::timeout(Duration::from_secs(60), sent)
				.await
				.unwrap_or_else(|_| Err("not in a block within 60 s".into()));
			match outcome {
				Ok(events) => {
					let accepted = events.find::<ReadingAccepted>().expect("decodes").len() as u64;
					let rejected = events.find::<ReadingRejected>().expect("decodes").len() as u64;
					// A batch sent again whose first sending was in a block after all (its fate
					// lost with a restarted node, a retracted block) is refused whole as a
					// replay: its readings are delivered, once.
					assert!(
						accepted == 0 || rejected == 0,
						"a batch is accepted or replayed whole ({accepted} accepted, {rejected} rejected)"
					);
					delivered.readings += accepted + rejected;
					delivered.batches += 1;
					// Progress counts readings accepted now, never replays.
					self.accepted.fetch_add(accepted, Ordering::SeqCst);
					nonce = Some(n + 1);
					next = intervals.end;
				}
				Err(why) => {
					// Refused by the pool (its node restarting, a migration under way) or lost:
					// ask the node for the nonce and send the same readings again.
					println!("  the load sends a batch again: {why}");
					delivered.resent += 1;
					nonce = None;
					tokio::time::sleep(Duration::from_secs(2)).await;
				}
			}
		}
		delivered
	}
}
