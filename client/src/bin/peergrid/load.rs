//! `peergrid load`: the load generator. It sets up meters, an oracle and traders on a
//! development chain (by its sudo key), pre-signs readings (half in batches signed as a whole,
//! half signed one by one), market orders, auction orders (signed by the traders, relayed in
//! fee-less batches) and transfers, submits each kind as fast as the node takes
//! them, then reads the blocks back and reports the rates the
//! chain sustained, from the events and the block timestamps. `docs/benchmarks.md` explains
//! the figures.

use futures::{stream, StreamExt};
use peergrid_client::{
	api::{
		peergrid::{self, balances, market, readings as readings_events, system},
		runtime_types::{self, pallet_market::types::Side, peergrid_primitives as primitives},
		AccountId, RuntimeCall,
	},
	auction,
	node::{is, Event, Node, Transaction},
	readings::{self, Signing},
	Mortality,
};
use peergrid_primitives::{
	auction::{Product, Side as AuctionSide},
	reading::Reading,
};
use sp_core::{sr25519, Pair};
use std::time::{Duration, Instant};
use subxt::tx::Payload;

use crate::{commands::bounded, keys};

/// What to generate.
pub struct Plan {
	/// Meters that send readings.
	pub meters: u32,
	/// Readings per meter (consecutive settlement intervals).
	pub intervals: u32,
	/// Market orders, half sells and half buys that match them.
	pub orders: u32,
	/// Delivery auction orders, half offers and half bids, signed by the traders and relayed
	/// in fee-less batches.
	pub auction_orders: u32,
	/// Balance transfers.
	pub transfers: u32,
	/// Zones the meters and traders are spread over.
	pub zones: u32,
}

/// Meters per owner: each owner is also a trader.
const METERS_PER_OWNER: u32 = 4;
/// What every order trades, in Wh.
const ORDER_WH: u64 = 1_000;
/// What every auction order trades, in Wh: well within a meter's 2,500 Wh an interval.
const AUCTION_WH: u64 = 100;
/// The price of every order, in GRID per kWh.
const PRICE: &str = "0.2";
/// Each trader's funds, in GRID.
const FUNDS: &str = "1000";
/// What each transfer moves, in GRID.
const TRANSFER: &str = "0.001";
/// Submissions awaiting the node's answer at once on each connection (a WebSocket connection
/// carries requests side by side): with several connections, enough that the client is not
/// what limits a rate.
const IN_FLIGHT: usize = 64;
/// Above this share of the chain's time spent submitting, the client, not the chain, may be
/// what limited a rate.
const CLIENT_BOUND: f64 = 0.8;
/// From this share of the normal weight limit on, a block is full: the weight limited it.
const FULL: f64 = 0.9;
/// How long to wait for the chain to take everything submitted, after its last progress.
const STALL: Duration = Duration::from_secs(60);

/// What one kind of load achieved.
struct Rate {
	what: &'static str,
	submitted: usize,
	/// How long the client took to submit them, in seconds.
	submitting: f64,
	/// Events counted, per block: (number, timestamp in ms, count).
	blocks: Vec<(u32, u64, usize)>,
	/// The timestamp of the block before the first that counted, in ms.
	start_ms: u64,
	failed: usize,
	/// The share of the normal class's weight limit each counted block used.
	fill: Vec<f64>,
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

	/// The median share of the normal weight limit of the blocks before the last (the lower
	/// of the middle two).
	fn full(&self) -> f64 {
		let mut fill = self.fill.split_last().map(|(_, f)| f.to_vec()).unwrap_or_default();
		fill.sort_unstable_by(f64::total_cmp);
		fill.get(fill.len().saturating_sub(1) / 2).copied().unwrap_or_default()
	}

	/// What limited the rate: the blocks' weight when they were full, the client when it
	/// submitted about as slowly as the chain took them (the chain took the transactions about
	/// as fast as they came), else something else (the node's log says: the author's time to
	/// build a block, the pool).
	fn limit(&self) -> &'static str {
		if self.submitted == 0 || self.total() == 0 {
			"-"
		} else if self.full() >= FULL {
			"weight"
		} else if self.submitting >= CLIENT_BOUND * self.seconds() {
			"client"
		} else {
			"other: see the node's log"
		}
	}
}

/// Signers and their next nonces, counted locally so that transactions can be pre-signed.
struct Signer {
	pair: sr25519::Pair,
	nonce: u64,
}

impl Signer {
	async fn new(node: &Node, pair: sr25519::Pair) -> Result<Signer, String> {
		let nonce = node.next_nonce(&keys::account_of(&pair)).await?;
		Ok(Signer { pair, nonce })
	}

	fn sign(
		&mut self,
		node: &Node,
		mortality: Mortality,
		call: &impl Payload,
	) -> Result<Transaction, String> {
		let tx = node.signed(&self.pair, self.nonce, call, mortality)?;
		self.nonce += 1;
		Ok(tx)
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

/// Submits every transaction without waiting for it, in turn over the `senders`'
/// connections, [`IN_FLIGHT`] awaiting an answer on each: the pool takes them or refuses them.
/// How long it took, in seconds.
async fn submit_all(senders: &[Node], txs: &[Transaction]) -> Result<f64, String> {
	let started = Instant::now();
	let progress = crate::progress::bar(txs.len(), "submitted");
	let submissions = txs.iter().zip(senders.iter().cycle()).map(|(tx, sender)| {
		let tx = Transaction::from_bytes(sender.api.clone(), tx.encoded().to_vec());
		async move { sender.submit_only(&tx).await }
	});
	let mut submitted = stream::iter(submissions).buffer_unordered(IN_FLIGHT * senders.len());
	while let Some(result) = submitted.next().await {
		result.map_err(String::from)?;
		progress.inc(1);
	}
	progress.finish_and_clear();
	Ok(started.elapsed().as_secs_f64())
}

/// A `Tally` of one `counted`, one `also` or one `failed`.
fn tally(counted: bool, also: bool, failed: bool) -> Tally {
	Tally { counted: counted.into(), also: also.into(), failed: failed.into() }
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
/// picks, until the `submitted` transactions (how many, and in how many seconds) were counted
/// or failed, or nothing happened for a minute; the rates of `what` and of `also`.
async fn follow(
	node: &Node,
	(what, also): (&'static str, &'static str),
	from: u32,
	submitted: (usize, f64),
	count: impl Fn(&Event) -> Tally,
) -> Result<(Rate, Rate), String> {
	let start_hash = node.hash_of(from).await?.ok_or("no start block")?;
	let start_ms = node.time_ms_at(start_hash).await?;
	let (submitted, submitting) = submitted;
	let limits = node.constant(&peergrid::constants().system().block_weights())?;
	let normal = limits.per_class.normal.max_total.unwrap_or(limits.max_block).ref_time;
	let new = |what, submitted| Rate {
		what,
		submitted,
		submitting,
		blocks: Vec::new(),
		start_ms,
		failed: 0,
		fill: Vec::new(),
	};
	let (mut rate, mut side) = (new(what, submitted), new(also, 0));
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
		let ms = node.time_ms_at(hash).await?;
		if block.counted + block.failed > 0 {
			if !started {
				// The chain's time runs from the block before the first that took any.
				rate.start_ms = match node.hash_of(next - 1).await? {
					Some(previous) => node.time_ms_at(previous).await?,
					None => ms,
				};
				side.start_ms = rate.start_ms;
				started = true;
			}
			rate.blocks.push((next, ms, block.counted));
			side.blocks.push((next, ms, block.also));
			let weight = peergrid::storage().system().block_weight();
			let used = node.storage(&weight, Some(hash)).await?.map_or(0, |w| w.normal.ref_time);
			let fill = used as f64 / normal.max(1) as f64;
			rate.fill.push(fill);
			side.fill.push(fill);
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

/// Waits until `signer`'s transactions are all in a block.
async fn settle(node: &Node, signer: &Signer) -> Result<(), String> {
	let deadline = Instant::now() + Duration::from_secs(180);
	loop {
		let account = peergrid::storage().system().account(signer.account());
		let info = node.storage(&account, None).await?;
		if info.is_some_and(|i| u64::from(i.nonce) >= signer.nonce) {
			return Ok(());
		}
		if Instant::now() > deadline {
			return Err("the setup transactions were not all included in 3 minutes".into());
		}
		tokio::time::sleep(Duration::from_millis(500)).await;
	}
}

/// Runs the plan on the development chain whose sudo key is `sudo`, submitting over the
/// connections of `senders` (at least one).
pub async fn run(
	node: &Node,
	senders: &[Node],
	sudo: sr25519::Pair,
	plan: Plan,
) -> Result<(), String> {
	if senders.is_empty() {
		return Err("the load needs a connection to submit over".into());
	}
	let max_zones = node.constant(&peergrid::constants().meters().max_zones_per_oracle())?;
	if !(1..=max_zones).contains(&plan.zones) {
		return Err(format!(
			"--zones must be 1 to {max_zones} (an oracle signs for at most {max_zones} zones)"
		));
	}
	let max_batch = node.constant(&peergrid::constants().readings().max_batch_size())? as usize;
	if !(1..=max_batch).contains(&(plan.intervals as usize)) {
		return Err(format!("--intervals must be 1 to {max_batch}, a batch"));
	}
	let decimals = node.decimals()?;
	let grid = |amount: &str| decimals.parse(amount);
	let owners = plan.meters.div_ceil(METERS_PER_OWNER).max(2);
	// The chain's clock starts with its first block.
	let deadline = Instant::now() + Duration::from_secs(30);
	while node.best_number().await? == 0 && Instant::now() < deadline {
		tokio::time::sleep(Duration::from_millis(500)).await;
	}
	let run = node.best_number().await?;
	let mut admin = Signer::new(node, sudo).await?;
	// Every owner is funded by the sudo key's account: refused up front if it cannot, rather
	// than the orders failing for fees later.
	let needed = grid(FUNDS)?.saturating_mul(u128::from(owners));
	let account = peergrid::storage().system().account(admin.account());
	let free = node.storage(&account, None).await?.map_or(0, |a| a.data.free);
	if free <= needed {
		return Err(format!(
			"funding {owners} owners with {FUNDS} GRID each needs {} GRID; the sudo key's account \
			 holds {}: use fewer --meters",
			decimals.show(needed),
			decimals.show(free)
		));
	}
	println!("setup (run {run}): {} zones, {} meters of {owners} owners", plan.zones, plan.meters);

	// Zones run by the sudo key's account, an oracle for them, meters with a baseline just
	// before the readings' intervals, and funds for every owner.
	let storage = peergrid::storage();
	let first_zone =
		node.storage(&storage.meters().next_zone_id(), None).await?.unwrap_or_default();
	let first_meter =
		node.storage(&storage.meters().next_meter_id(), None).await?.unwrap_or_default();
	let baseline = node
		.current_interval()
		.await?
		.checked_sub(u64::from(plan.intervals) + 2)
		.ok_or("the chain's clock is too early for that many intervals")?;
	let sudo_call = |call: runtime_types::pallet_meters::pallet::Call| {
		peergrid::tx().sudo().sudo(RuntimeCall::Meters(call))
	};
	let operator = admin.account();
	let mut setup = Vec::new();
	let mortality = node.mortality().await?;
	for z in 0..plan.zones {
		let name = format!("load {run}/{z}").into_bytes();
		let create = runtime_types::pallet_meters::pallet::Call::create_zone {
			name: bounded(name, peergrid_primitives::MAX_ZONE_NAME_LEN, "zone name")?,
			operator: operator.clone(),
		};
		setup.push(admin.sign(node, mortality, &sudo_call(create))?);
	}
	let oracle = key(run, "oracle", 0);
	let zones: Vec<u32> = (first_zone..first_zone + plan.zones).collect();
	let authorize = runtime_types::pallet_meters::pallet::Call::authorize_oracle {
		oracle: keys::account_of(&oracle),
		zones: bounded(zones.clone(), max_zones, "zone list")?,
	};
	setup.push(admin.sign(node, mortality, &sudo_call(authorize))?);
	let owner_keys: Vec<sr25519::Pair> = (0..owners).map(|i| key(run, "owner", i)).collect();
	// Traders trade in pairs (2j, 2j + 1), in one zone.
	let zone_of = |owner: u32| zones[((owner / 2) % plan.zones) as usize];
	for m in 0..plan.meters {
		let owner = m % owners;
		let external_id = format!("load-{run}-{m}").into_bytes();
		let register = peergrid::tx().meters().register_meter(
			zone_of(owner),
			bounded(external_id, peergrid_primitives::MAX_EXTERNAL_ID_LEN, "external id")?,
			keys::account_of(&owner_keys[owner as usize]),
			primitives::MeterKind::Bidirectional,
			10_000,
			Some(primitives::Baseline {
				interval: baseline,
				registers: primitives::Registers { imported_wh: 0, exported_wh: 0 },
			}),
		);
		setup.push(admin.sign(node, mortality, &register)?);
	}
	for pair in &owner_keys {
		let fund = peergrid::tx()
			.balances()
			.transfer_keep_alive(keys::account_of(pair).into(), grid(FUNDS)?);
		setup.push(admin.sign(node, mortality, &fund)?);
	}
	let started = Instant::now();
	submit_all(senders, &setup).await?;
	settle(node, &admin).await?;
	println!("setup: {} transactions in {:.0} s", setup.len(), started.elapsed().as_secs_f64());

	// Readings: each batch carries whole series of meters of one zone, as a zone's head-end
	// relays them, so that no batch depends on another (the pool does not keep the order of
	// submission). Every other batch is signed as a whole, the rest reading by reading: each
	// kind is submitted, and measured, on its own.
	let per_batch = (max_batch / plan.intervals as usize).max(1);
	let meter_zone = |m: &u64| zone_of((*m % u64::from(owners)) as u32);
	let mut by_zone: Vec<u64> = (0..u64::from(plan.meters)).collect();
	by_zone.sort_by_key(meter_zone);
	let groups = by_zone
		.chunk_by(|a, b| meter_zone(a) == meter_zone(b))
		.flat_map(|zone| zone.chunks(per_batch))
		.collect::<Vec<_>>();
	let mut reading_rates = Vec::new();
	for (what, signing, first) in [
		("readings, signed one by one", Signing::Reading, 0),
		("readings, batch-signed", Signing::Batch, 1),
	] {
		let mut batches = Vec::new();
		let mut signed = 0;
		for group in groups.iter().skip(first).step_by(2) {
			let mut batch = Vec::new();
			for m in group.iter() {
				for k in 1..=u64::from(plan.intervals) {
					batch.push(Reading {
						meter: first_meter + m,
						interval: baseline + k,
						imported_wh: 500 * k,
						exported_wh: 1_000 * k,
					});
				}
			}
			signed += batch.len();
			let call = readings::submit(signing, node.genesis(), &oracle, &batch);
			batches.push(node.general(&call)?);
		}
		let from = node.best_number().await?;
		let submitting = submit_all(senders, &batches).await?;
		let (rate, _) = follow(node, (what, ""), from, (signed, submitting), |e| {
			tally(
				is::<readings_events::events::ReadingAccepted>(e),
				false,
				is::<readings_events::events::ReadingRejected>(e),
			)
		})
		.await?;
		reading_rates.push(rate);
	}

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
			let place =
				peergrid::tx().market().place_order(side, zone, ORDER_WH, grid(PRICE)?, None);
			orders.push(traders[trader as usize].sign(node, mortality, &place)?);
		}
	}
	let from = node.best_number().await?;
	let submitting = submit_all(senders, &orders).await?;
	let failed = is::<system::events::ExtrinsicFailed>;
	let submitted = (orders.len(), submitting);
	let (placed, trades) = follow(node, ("orders", "trades"), from, submitted, |e| {
		tally(is::<market::events::OrderPlaced>(e), is::<market::events::Trade>(e), failed(e))
	})
	.await?;

	// Auction orders: each pair's seller offers and its buyer bids in its zone's auction six
	// intervals ahead, each order signed by its trader, relayed in full fee-less batches with
	// each trader's orders together.
	let interval = node.current_interval().await? + 6;
	let max_orders = node.constant(&peergrid::constants().auction().max_batch_size())? as usize;
	let mut signed = Vec::new();
	for k in 0..plan.auction_orders / 2 {
		let j = k % pairs;
		for (trader, side) in [(2 * j, AuctionSide::Offer), (2 * j + 1, AuctionSide::Bid)] {
			// Owner `o`'s first meter is meter `o` of the run (meters go to owners in turn).
			let terms = auction::Terms {
				side,
				product: Product { zone: zone_of(2 * j), interval },
				meter: first_meter + u64::from(trader),
				quantity: AUCTION_WH,
				price: grid(PRICE)?,
			};
			let pair = &traders[trader as usize].pair;
			signed.push((trader, auction::sign(node.genesis(), pair, u64::from(k), terms)));
		}
	}
	// Each trader's orders together, as an app relays a household's.
	signed.sort_by_key(|(trader, _)| *trader);
	let signed: Vec<_> = signed.into_iter().map(|(_, order)| order).collect();
	let mut batches = Vec::new();
	for chunk in signed.chunks(max_orders) {
		batches.push(node.general(&auction::relay(chunk.to_vec()))?);
	}
	let from = node.best_number().await?;
	let submitting = submit_all(senders, &batches).await?;
	let submitted = (signed.len(), submitting);
	let what = ("auction orders, relayed", "");
	let (auctioned, _) = follow(node, what, from, submitted, |e| {
		let placed = is::<peergrid::auction::events::OrderPlaced>(e);
		tally(placed, false, is::<peergrid::auction::events::OrderRejected>(e))
	})
	.await?;

	// Transfers: each trader to the next.
	let mut transfers = Vec::new();
	let mortality = node.mortality().await?;
	for k in 0..plan.transfers {
		let from = (k % owners) as usize;
		let dest = traders[(from + 1) % owners as usize].account();
		let transfer = peergrid::tx().balances().transfer_keep_alive(dest.into(), grid(TRANSFER)?);
		transfers.push(traders[from].sign(node, mortality, &transfer)?);
	}
	let from = node.best_number().await?;
	let submitting = submit_all(senders, &transfers).await?;
	let submitted = (transfers.len(), submitting);
	let (transferred, _) = follow(node, ("transfers", ""), from, submitted, |e| {
		tally(is::<balances::events::Transfer>(e), false, failed(e))
	})
	.await?;

	report(&[&reading_rates[0], &reading_rates[1], &placed, &trades, &auctioned, &transferred]);
	Ok(())
}

/// Prints the rates, and each sustained rate as a multiple of the transfers'.
fn report(rates: &[&Rate]) {
	let transfers = rates.last().map_or(0.0, |r| r.sustained());
	println!();
	println!(
		"| load | submitted | on chain | failed | blocks | seconds | per second, all \
		 | per second, sustained | peak per block | sustained ÷ transfers | median block fill \
		 | limit |"
	);
	println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
	for r in rates {
		let ratio = if transfers > 0.0 { r.sustained() / transfers } else { 0.0 };
		println!(
			"| {} | {} | {} | {} | {} | {:.0} | {:.0} | {:.0} | {} | {:.2} | {:.0} % | {} |",
			r.what,
			r.submitted,
			r.total(),
			r.failed,
			r.blocks.len(),
			r.seconds(),
			r.per_second(),
			r.sustained(),
			r.peak(),
			ratio,
			r.full() * 100.0,
			r.limit()
		);
	}
	for r in rates.iter().filter(|r| r.limit() == "client") {
		println!(
			"\nthe client may have limited the {} rate: submitting them took {:.0} s of the {:.0} s \
			 the chain took",
			r.what,
			r.submitting,
			r.seconds()
		);
	}
}
