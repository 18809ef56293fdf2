//! `peergrid load`: the load generator. It sets up meters, an oracle and traders on a
//! development chain (by its sudo key), pre-signs readings, orders and transfers, submits each
//! kind as fast as the node takes them, then reads the blocks back and reports the rates the
//! chain sustained, from the events and the block timestamps. `docs/benchmarks.md` explains
//! the figures.

use codec::Encode;
use pallet_market::Side;
use pallet_readings::Reading;
use peergrid_client::{hex, readings, Mortality};
use peergrid_primitives::{Baseline, MeterKind, Registers};
use peergrid_runtime::{AccountId, Balance, RuntimeCall, RuntimeEvent, UncheckedExtrinsic, UNIT};
use serde_json::Value;
use sp_core::{sr25519, Pair, H256};
use std::time::{Duration, Instant};

use crate::{keys, node::Node};

/// What to generate.
pub struct Plan {
	/// Meters that send readings.
	pub meters: u32,
	/// Readings per meter (consecutive settlement intervals).
	pub intervals: u32,
	/// Market orders, half sells and half buys that match them.
	pub orders: u32,
	/// Balance transfers.
	pub transfers: u32,
	/// Zones the meters and traders are spread over.
	pub zones: u32,
}

/// Meters per owner: each owner is also a trader.
const METERS_PER_OWNER: u32 = 4;
/// Readings per batch transaction: the runtime's `MaxBatchSize`.
const BATCH: usize = 256;
/// What every order trades, in Wh.
const ORDER_WH: u64 = 1_000;
/// The price of every order: 0.2 GRID per kWh.
const PRICE: Balance = UNIT / 5;
/// Each trader's funds.
const FUNDS: Balance = 1_000 * UNIT;
/// How long to wait for the chain to take everything submitted, after its last progress.
const STALL: Duration = Duration::from_secs(60);

/// What one kind of load achieved.
struct Rate {
	what: &'static str,
	submitted: usize,
	/// Events counted, per block: (number, timestamp in ms, count).
	blocks: Vec<(u32, u64, usize)>,
	/// The timestamp of the block before the first that counted, in ms.
	start_ms: u64,
	failed: usize,
}

impl Rate {
	fn total(&self) -> usize {
		self.blocks.iter().map(|b| b.2).sum()
	}

	fn seconds(&self) -> f64 {
		let end = self.blocks.last().map_or(self.start_ms, |b| b.1);
		end.saturating_sub(self.start_ms) as f64 / 1000.0
	}

	fn per_second(&self) -> f64 {
		let s = self.seconds();
		if s > 0.0 {
			self.total() as f64 / s
		} else {
			0.0
		}
	}

	/// The rate over the blocks before the last, which holds only what was left of the load:
	/// what the chain sustains while it has more than it can take.
	fn sustained(&self) -> f64 {
		let Some((_, full)) = self.blocks.split_last() else { return 0.0 };
		let Some(end) = full.last().map(|b| b.1) else { return self.per_second() };
		let seconds = end.saturating_sub(self.start_ms) as f64 / 1000.0;
		let counted: usize = full.iter().map(|b| b.2).sum();
		if seconds > 0.0 {
			counted as f64 / seconds
		} else {
			0.0
		}
	}

	fn peak(&self) -> usize {
		self.blocks.iter().map(|b| b.2).max().unwrap_or(0)
	}
}

/// Signers and their next nonces, counted locally so that transactions can be pre-signed.
struct Signer {
	pair: sr25519::Pair,
	nonce: u32,
}

impl Signer {
	async fn new(node: &Node, pair: sr25519::Pair) -> Result<Signer, String> {
		let who = keys::account_of(&pair);
		let nonce =
			node.call("system_accountNextIndex", vec![Value::String(who.to_string())]).await?;
		let nonce = nonce.as_u64().and_then(|n| u32::try_from(n).ok()).ok_or("no nonce")?;
		Ok(Signer { pair, nonce })
	}

	fn sign(&mut self, node: &Node, mortality: Mortality, call: RuntimeCall) -> UncheckedExtrinsic {
		let xt = node.extrinsics.signed(&self.pair, self.nonce, call, mortality);
		self.nonce += 1;
		xt
	}

	fn account(&self) -> AccountId {
		keys::account_of(&self.pair)
	}
}

/// A development key of this run.
fn key(run: u32, role: &str, i: u32) -> sr25519::Pair {
	sr25519::Pair::from_string(&format!("//load/{run}/{role}/{i}"), None)
		.expect("a derivation path is a valid secret URI")
}

/// Submits every transaction without waiting: the pool takes them or refuses them.
async fn submit_all(node: &Node, xts: &[UncheckedExtrinsic]) -> Result<(), String> {
	for xt in xts {
		node.call("author_submitExtrinsic", vec![Value::String(hex(&xt.encode()))]).await?;
	}
	Ok(())
}

/// What `follow` counts of an event: the load's own (`counted`), what the load caused besides
/// (`also`, e.g. the trades of orders), and the load's failures.
#[derive(Default)]
struct Tally {
	counted: usize,
	also: usize,
	failed: usize,
}

/// Follows the best chain from block `from` (exclusive) and counts the events that `count`
/// picks, until `expected` were counted or failed, or nothing happened for a minute; the
/// rates of `what` and of `also`.
async fn follow(
	node: &Node,
	(what, also): (&'static str, &'static str),
	from: u32,
	submitted: usize,
	count: impl Fn(&RuntimeEvent) -> Tally,
) -> Result<(Rate, Rate), String> {
	let start_hash = node.hash_of(from).await?.ok_or("no start block")?;
	let start_ms = node.time_at(start_hash).await? * 1000;
	let mut rate = Rate { what, submitted, blocks: Vec::new(), start_ms, failed: 0 };
	let mut side = Rate { what: also, submitted: 0, blocks: Vec::new(), start_ms, failed: 0 };
	let (mut next, mut last_progress, mut started) = (from + 1, Instant::now(), false);
	while rate.total() + rate.failed < submitted && last_progress.elapsed() < STALL {
		let Some(hash) = node.hash_of(next).await? else {
			tokio::time::sleep(Duration::from_millis(500)).await;
			continue;
		};
		let mut block = Tally::default();
		for event in node.events_at(hash).await? {
			let t = count(&event);
			block.counted += t.counted;
			block.also += t.also;
			block.failed += t.failed;
		}
		let ms = time_ms(node, hash).await?;
		if block.counted + block.failed > 0 {
			if !started {
				// The chain's time runs from the block before the first that took any.
				rate.start_ms = match node.hash_of(next - 1).await? {
					Some(previous) => time_ms(node, previous).await?,
					None => ms,
				};
				side.start_ms = rate.start_ms;
				started = true;
			}
			rate.blocks.push((next, ms, block.counted));
			side.blocks.push((next, ms, block.also));
			rate.failed += block.failed;
			last_progress = Instant::now();
		}
		println!(
			"  #{next}: {} {what}{}",
			block.counted,
			if block.failed > 0 { format!(", {} failed", block.failed) } else { String::new() }
		);
		next += 1;
	}
	Ok((rate, side))
}

/// The timestamp of block `hash`, in ms.
async fn time_ms(node: &Node, hash: H256) -> Result<u64, String> {
	let key = pallet_timestamp::Now::<peergrid_runtime::Runtime>::hashed_key();
	Ok(node.storage::<u64>(&key, Some(hash)).await?.unwrap_or_default())
}

/// Waits until `signer`'s transactions are all in a block.
async fn settle(node: &Node, signer: &Signer) -> Result<(), String> {
	let deadline = Instant::now() + Duration::from_secs(180);
	loop {
		let who = signer.account();
		let key = frame_system::Account::<peergrid_runtime::Runtime>::hashed_key_for(&who);
		let info: Option<peergrid_client::AccountInfo> = node.storage(&key, None).await?;
		if info.is_some_and(|i| i.nonce >= signer.nonce) {
			return Ok(());
		}
		if Instant::now() > deadline {
			return Err("the setup transactions were not all included in 3 minutes".into());
		}
		tokio::time::sleep(Duration::from_millis(500)).await;
	}
}

/// The best block's number.
async fn best(node: &Node) -> Result<u32, String> {
	let header = node.call("chain_getHeader", vec![]).await?;
	let number = header["number"].as_str().ok_or("no block number")?;
	u32::from_str_radix(number.trim_start_matches("0x"), 16).map_err(|e| e.to_string())
}

/// Runs the plan on the development chain whose sudo key is `sudo`.
pub async fn run(node: &Node, sudo: sr25519::Pair, plan: Plan) -> Result<(), String> {
	if !(1..=32).contains(&plan.zones) {
		return Err("--zones must be 1 to 32 (an oracle signs for at most 32 zones)".into());
	}
	let owners = plan.meters.div_ceil(METERS_PER_OWNER).max(2);
	// The chain's clock starts with its first block.
	let deadline = Instant::now() + Duration::from_secs(30);
	while best(node).await? == 0 && Instant::now() < deadline {
		tokio::time::sleep(Duration::from_millis(500)).await;
	}
	let run = best(node).await?;
	let mut admin = Signer::new(node, sudo).await?;
	println!("setup (run {run}): {} zones, {} meters of {owners} owners", plan.zones, plan.meters);

	// Zones run by the sudo key's account, an oracle for them, meters with a baseline just
	// before the readings' intervals, and funds for every owner.
	let first_zone: u32 = node
		.storage(&pallet_meters::NextZoneId::<peergrid_runtime::Runtime>::hashed_key(), None)
		.await?
		.unwrap_or_default();
	let first_meter: u64 = node
		.storage(&pallet_meters::NextMeterId::<peergrid_runtime::Runtime>::hashed_key(), None)
		.await?
		.unwrap_or_default();
	let now_interval = node.time_at(node.hash_of(run).await?.ok_or("no best block")?).await?
		/ peergrid_runtime::configs::SETTLEMENT_INTERVAL_SECONDS;
	let baseline = now_interval
		.checked_sub(u64::from(plan.intervals) + 2)
		.ok_or("the chain's clock is too early for that many intervals")?;
	let sudo_call = |call| RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(call) });
	let operator = admin.account();
	let mut setup = Vec::new();
	let mortality = node.mortality().await?;
	for z in 0..plan.zones {
		let name = format!("load {run}/{z}").into_bytes();
		setup.push(admin.sign(
			node,
			mortality,
			sudo_call(RuntimeCall::Meters(pallet_meters::Call::create_zone {
				name: name.try_into().map_err(|_| "zone name too long")?,
				operator: operator.clone(),
			})),
		));
	}
	let oracle = key(run, "oracle", 0);
	let zones: Vec<u32> = (first_zone..first_zone + plan.zones).collect();
	setup.push(admin.sign(
		node,
		mortality,
		sudo_call(RuntimeCall::Meters(pallet_meters::Call::authorize_oracle {
			oracle: keys::account_of(&oracle),
			zones: zones.clone().try_into().map_err(|_| "too many zones")?,
		})),
	));
	let owner_keys: Vec<sr25519::Pair> = (0..owners).map(|i| key(run, "owner", i)).collect();
	// Traders trade in pairs (2j, 2j + 1), in one zone.
	let zone_of = |owner: u32| zones[((owner / 2) % plan.zones) as usize];
	for m in 0..plan.meters {
		let owner = m % owners;
		setup.push(admin.sign(
			node,
			mortality,
			RuntimeCall::Meters(pallet_meters::Call::register_meter {
				zone: zone_of(owner),
				external_id: format!("load-{run}-{m}").into_bytes().try_into().map_err(|_| "id")?,
				owner: keys::account_of(&owner_keys[owner as usize]),
				kind: MeterKind::Bidirectional,
				capacity_w: 10_000,
				baseline: Some(Baseline { interval: baseline, registers: Registers::default() }),
			}),
		));
	}
	for pair in &owner_keys {
		setup.push(admin.sign(
			node,
			mortality,
			RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
				dest: keys::account_of(pair).into(),
				value: FUNDS,
			}),
		));
	}
	let started = Instant::now();
	submit_all(node, &setup).await?;
	settle(node, &admin).await?;
	println!("setup: {} transactions in {:.0} s", setup.len(), started.elapsed().as_secs_f64());

	// Readings: each batch carries whole series of meters of one zone, as a zone's head-end
	// relays them, so that no batch depends on another (the pool does not keep the order of
	// submission).
	let per_batch = (BATCH / plan.intervals as usize).max(1) as u64;
	if plan.intervals as usize > BATCH {
		return Err(format!("--intervals must be at most {BATCH}, a batch"));
	}
	let mut batches = Vec::new();
	let mut signed = 0;
	let meter_zone = |m: &u64| zone_of((*m % u64::from(owners)) as u32);
	let mut by_zone: Vec<u64> = (0..u64::from(plan.meters)).collect();
	by_zone.sort_by_key(meter_zone);
	let groups = by_zone
		.chunk_by(|a, b| meter_zone(a) == meter_zone(b))
		.flat_map(|zone| zone.chunks(per_batch as usize));
	for group in groups {
		let mut batch = Vec::new();
		for m in group {
			for k in 1..=u64::from(plan.intervals) {
				let reading = Reading {
					meter: first_meter + m,
					interval: baseline + k,
					imported_wh: 500 * k,
					exported_wh: 1_000 * k,
				};
				batch.push(readings::sign(node.extrinsics.genesis, &oracle, reading));
			}
		}
		signed += batch.len();
		let call = readings::batch(batch).ok_or("a batch is too large")?;
		batches.push(node.extrinsics.general(call));
	}
	let from = best(node).await?;
	submit_all(node, &batches).await?;
	let (readings, _) = follow(node, ("readings", ""), from, signed, |e| match e {
		RuntimeEvent::Readings(pallet_readings::Event::ReadingAccepted { .. }) => {
			Tally { counted: 1, ..Default::default() }
		}
		RuntimeEvent::Readings(pallet_readings::Event::ReadingRejected { .. }) => {
			Tally { failed: 1, ..Default::default() }
		}
		_ => Tally::default(),
	})
	.await?;

	// Orders: sell then buy, pair by pair, each buy matching its pair's sell.
	let mut traders = Vec::new();
	for pair in owner_keys {
		traders.push(Signer::new(node, pair).await?);
	}
	let pairs = owners / 2;
	let mut orders = Vec::new();
	let mortality = node.mortality().await?;
	for k in 0..plan.orders / 2 {
		let j = k % pairs;
		let zone = zone_of(2 * j);
		for (trader, side) in [(2 * j, Side::Sell), (2 * j + 1, Side::Buy)] {
			let call = RuntimeCall::Market(pallet_market::Call::place_order {
				side,
				zone,
				amount: ORDER_WH,
				price: PRICE,
				expires_at: None,
			});
			orders.push(traders[trader as usize].sign(node, mortality, call));
		}
	}
	let from = best(node).await?;
	submit_all(node, &orders).await?;
	let failed = |e: &RuntimeEvent| Tally {
		failed: usize::from(matches!(
			e,
			RuntimeEvent::System(frame_system::Event::ExtrinsicFailed { .. })
		)),
		..Default::default()
	};
	let (placed, trades) = follow(node, ("orders", "trades"), from, orders.len(), |e| match e {
		RuntimeEvent::Market(pallet_market::Event::OrderPlaced { .. }) => {
			Tally { counted: 1, ..Default::default() }
		}
		RuntimeEvent::Market(pallet_market::Event::Trade { .. }) => {
			Tally { also: 1, ..Default::default() }
		}
		e => failed(e),
	})
	.await?;

	// Transfers: each trader to the next.
	let mut transfers = Vec::new();
	let mortality = node.mortality().await?;
	for k in 0..plan.transfers {
		let from = (k % owners) as usize;
		let dest = traders[(from + 1) % owners as usize].account();
		let call = RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
			dest: dest.into(),
			value: UNIT / 1_000,
		});
		transfers.push(traders[from].sign(node, mortality, call));
	}
	let from = best(node).await?;
	submit_all(node, &transfers).await?;
	let (transferred, _) = follow(node, ("transfers", ""), from, transfers.len(), |e| match e {
		RuntimeEvent::Balances(pallet_balances::Event::Transfer { .. }) => {
			Tally { counted: 1, ..Default::default() }
		}
		e => failed(e),
	})
	.await?;

	report(&[&readings, &placed, &trades, &transferred]);
	Ok(())
}

/// Prints the rates, and each sustained rate as a multiple of the transfers'.
fn report(rates: &[&Rate]) {
	let transfers = rates.last().map_or(0.0, |r| r.sustained());
	println!();
	println!(
		"| load | submitted | on chain | failed | blocks | seconds | per second, all | per second, sustained | peak per block | sustained ÷ transfers |"
	);
	println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
	for r in rates {
		let ratio = if transfers > 0.0 { r.sustained() / transfers } else { 0.0 };
		println!(
			"| {} | {} | {} | {} | {} | {:.0} | {:.0} | {:.0} | {} | {:.2} |",
			r.what,
			r.submitted,
			r.total(),
			r.failed,
			r.blocks.len(),
			r.seconds(),
			r.per_second(),
			r.sustained(),
			r.peak(),
			ratio
		);
	}
}
