//! A load of oracle-signed readings, relayed without pause while the network is faulted or
//! upgraded: sixteen meters, each read for four intervals a batch (64 readings a batch), a batch
//! sent as soon as the last is in a block. What it delivered is checked against the chain.

use codec::Decode;
use std::{
	sync::{
		atomic::{AtomicBool, AtomicU64, Ordering},
		Arc,
	},
	time::Duration,
};
use zombienet_sdk::{
	subxt::{
		dynamic::{self, Value},
		ext::scale_value::Composite,
		utils::AccountId32,
	},
	subxt_signer::sr25519::{dev, Keypair},
};

use super::{
	chain::{account, count_events, dev_key, id, raw_at, stored_u64, submit, submit_with_nonce},
	energy::{credits_of, now_interval, reading, register_meter, signed_reading},
	Client, Hash, Rpc,
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
	owner: AccountId32,
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
fn relayer() -> Keypair {
	dev_key("//LoadRelayer")
}

impl Load {
	/// Funds the relayer, registers the load's meters in zone A (Alice, its operator, in one go)
	/// and starts relaying their readings, signed by Ferdie (the zone's oracle), through
	/// `client`'s node. `client` follows runtime upgrades, so the load goes on across one.
	pub async fn start(client: &Client, rpc: Rpc) -> Load {
		let updater = client.updater();
		tokio::spawn(async move { updater.perform_runtime_updates().await });
		let (alice, relayer) = (dev::alice(), relayer());
		let owner = id(&relayer);
		let fund = dynamic::tx(
			"Balances",
			"transfer_keep_alive",
			Composite::named([
				("dest", Value::unnamed_variant("Id", [account(&owner)])),
				("value", Value::u128(1_000 * 1_000_000_000_000)),
			]),
		);
		submit(client, &alice, &fund, "the load's relayer is funded").await;
		let now = now_interval(client).await;
		let baseline = now - HISTORY;
		let first = stored_u64(client, "Meters", "NextMeterId").await.unwrap_or(0);
		let mut nonce = rpc.system_account_next_index(&id(&alice)).await.expect("a nonce");
		let mut registered = Vec::new();
		for meter in 0..METERS {
			let external_id = format!("ZN-LOAD-{meter}");
			let fields = register_meter(&owner, &external_id, "Bidirectional", baseline);
			let call = dynamic::tx("Meters", "register_meter", fields);
			let (client, alice) = (client.clone(), alice.clone());
			registered.push(tokio::spawn(async move {
				submit_with_nonce(&client, &alice, nonce, &call).await
			}));
			nonce += 1;
		}
		for registration in registered {
			registration.await.expect("joins").expect("a load meter is registered");
		}
		let meters: Vec<u64> = (first..first + METERS).collect();
		println!("  the load's {METERS} meters registered: {first} to {}", first + METERS - 1);

		let (accepted, running) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicBool::new(true)));
		let relay = Relay {
			client: client.clone(),
			rpc,
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
	owner: AccountId32,
	baseline: u64,
}

impl Loaded {
	/// The state of the load's meters and of their owner's credits at block `at`, as the node
	/// of `client` has it.
	pub async fn state_at(&self, client: &Client, at: Hash) -> Vec<Option<Vec<u8>>> {
		let mut state = Vec::new();
		for meter in &self.meters {
			let key = vec![Value::u128((*meter).into())];
			state.push(raw_at(client, at, "Readings", "MeterStates", key).await);
		}
		state.push(raw_at(client, at, "Credits", "Accounts", vec![account(&self.owner)]).await);
		state
	}

	/// Checks that the chain at `at` holds every reading `delivered` counted, and nothing
	/// else: each meter read up to the same interval, and the owner minted 100 Wh for each.
	pub async fn check(&self, client: &Client, at: Hash, delivered: &Delivered) {
		let state = self.state_at(client, at).await;
		let per_meter = delivered.readings / METERS;
		assert_eq!(delivered.readings % METERS, 0, "a batch reads every meter alike");
		for (meter, bytes) in self.meters.iter().zip(&state) {
			let bytes = bytes.as_ref().unwrap_or_else(|| panic!("meter {meter} was read"));
			// A meter's state: its last reading's interval and registers (imported, exported),
			// how many readings were accepted, the credits minted and the consumption (Wh).
			let (last, _, _, readings, minted, _) =
				<(u64, u64, u64, u32, u64, u64)>::decode(&mut &bytes[..]).expect("a meter state");
			assert_eq!(
				(last, u64::from(readings), minted),
				(self.baseline + per_meter, per_meter, per_meter * EXPORT_WH),
				"meter {meter}: read up to its last batch, every reading accepted once"
			);
		}
		let credits = state.last().and_then(Option::as_ref).expect("the owner has credits");
		let (_, _, minted, _, _) = credits_of(credits);
		assert_eq!(minted, delivered.readings * EXPORT_WH, "every accepted reading minted");
	}
}

/// The relaying task's state.
struct Relay {
	client: Client,
	rpc: Rpc,
	relayer: Keypair,
	meters: Vec<u64>,
	baseline: u64,
	accepted: Arc<AtomicU64>,
	running: Arc<AtomicBool>,
}

impl Relay {
	async fn run(self) -> Delivered {
		let mut delivered = Delivered::default();
		let (oracle, genesis) = (dev::ferdie(), self.client.genesis_hash());
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
			let mut readings = Vec::new();
			for interval in intervals.clone() {
				let exported = (interval - self.baseline) * EXPORT_WH;
				for meter in &self.meters {
					let reading = reading(*meter, interval, 0, exported);
					readings.push(signed_reading(&oracle, genesis, reading));
				}
			}
			let batch = dynamic::tx(
				"Readings",
				"submit_readings",
				vec![Value::unnamed_composite(readings)],
			);
			let account = id(&self.relayer);
			let n = match nonce {
				Some(n) => n,
				None => self.rpc.system_account_next_index(&account).await.expect("a nonce"),
			};
			let sent = submit_with_nonce(&self.client, &self.relayer, n, &batch);
			// A batch whose block was retracted would otherwise be waited for for ever.
			let outcome = tokio::time::timeout(Duration::from_secs(60), sent)
				.await
				.unwrap_or_else(|_| Err("not in a block within 60 s".into()));
			match outcome {
				Ok(events) => {
					let accepted = count_events(&events, "Readings", "ReadingAccepted");
					let rejected = count_events(&events, "Readings", "ReadingRejected");
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
