//! The hooks' work, a step at a time within the block's spare weight: products due at gate
//! closure or at their delivery deadline join `Due`, and `Due`'s products are cleared and
//! settled in turn.

use crate::{clearing, pallet::*, types::*, weights::WeightInfo};
use alloc::vec::Vec;
use frame_support::{pallet_prelude::*, weights::WeightMeter};
use peergrid_primitives::{IntervalIndex, Wh};
use sp_runtime::{traits::Zero, Saturating};

/// What advancing a product came to.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Advance {
	/// Its work for now is done: it leaves `Due`.
	Done,
	/// The weight ran out: it stays first in `Due`.
	OutOfWeight,
}

/// The weights of the hooks' steps, from their benchmarks (each a whole pass: `clear(n)` and
/// `settle(n)` are a product's whole clearing and settlement of `n` orders).
pub struct Step<T>(core::marker::PhantomData<T>);

impl<T: Config> Step<T> {
	/// Looking for work: `Due`, `Progress`, the schedule and `StandingZones` read (the
	/// benchmark), `StandingProgress` read (not in stop 37's benchmark), and the first two
	/// and the last written.
	pub fn base() -> Weight {
		let standing = T::DbWeight::get().reads(1);
		T::WeightInfo::work_idle()
			.saturating_add(standing)
			.saturating_add(T::DbWeight::get().writes(3))
	}
	/// A product queued at gate closure or at its deadline.
	pub fn enqueue_product() -> Weight {
		T::WeightInfo::enqueue(1).saturating_sub(T::WeightInfo::enqueue(0))
	}
	/// A product's step besides its orders: its record, its curves, its end; the reads that
	/// find each side's walk over, whether its zone has standing orders, and the schedule's
	/// read and write when its standing orders give it its record.
	pub fn advance() -> Weight {
		let extra = T::DbWeight::get().reads_writes(4, 1);
		let step = T::WeightInfo::clear(0).max(T::WeightInfo::settle(0));
		step.max(T::WeightInfo::enter(0)).saturating_add(extra)
	}
	/// A standing order entering an auction at its gate closure (each its own trader and
	/// meter, the benchmark's worst case).
	pub fn enter_order() -> Weight {
		T::WeightInfo::enter(1).saturating_sub(T::WeightInfo::enter(0))
	}
	/// An order allocated its energy. The benchmark alternates bids and offers; an offer also
	/// reads and writes its meter's delivery, which is charged to every order.
	pub fn clear_order() -> Weight {
		let delivery = T::DbWeight::get().reads_writes(1, 1);
		T::WeightInfo::clear(1).saturating_sub(T::WeightInfo::clear(0)).saturating_add(delivery)
	}
	/// An order settled.
	pub fn settle_order() -> Weight {
		T::WeightInfo::settle(1).saturating_sub(T::WeightInfo::settle(0))
	}
}

impl<T: Config> Pallet<T> {
	/// Does the clearing and settlement due, as far as `limit` allows; returns the weight
	/// used.
	pub(crate) fn work(limit: Weight) -> Weight {
		let mut meter = WeightMeter::with_limit(limit);
		if meter.try_consume(Step::<T>::base()).is_err() {
			return meter.consumed();
		}
		let mut due = Due::<T>::get();
		let before = due.len();
		Self::enqueue(&mut due, &mut meter);
		let mut changed = due.len() != before;
		while let Some(product) = due.first().copied() {
			match Self::advance(product, &mut meter) {
				Advance::Done => {
					due.remove(0);
					changed = true;
				}
				Advance::OutOfWeight => break,
			}
		}
		if changed {
			Due::<T>::put(due);
		}
		meter.consumed()
	}

	/// Puts in `due` the open products of the intervals whose gate has closed, and the
	/// delivering products of those whose delivery deadline has passed, since the last time.
	fn enqueue(due: &mut BoundedVec<Product, T::MaxDue>, meter: &mut WeightMeter) {
		let (closed, expired) = Progress::<T>::get();
		let now = Self::current_interval();
		let gate = Self::closed_up_to();
		let deadline = now.checked_sub(T::DeliveryDeadline::get().saturating_add(1));
		// The zones with standing orders first: no product of an interval is queued before
		// theirs are, so the gates close up to where theirs have.
		let reached = Self::enqueue_standing(now, gate, due, meter);
		let mut progress = (closed.max(reached), expired.max(deadline.unwrap_or(expired)));
		for interval in Schedule::<T>::get() {
			if interval > closed
				&& interval <= reached
				&& !Self::enqueue_interval(interval, Stage::Open, due, meter)
			{
				progress.0 = progress.0.min(interval.saturating_sub(1));
			}
			if deadline.is_some_and(|d| interval > expired && interval <= d)
				&& !Self::enqueue_interval(interval, Stage::Delivering, due, meter)
			{
				progress.1 = progress.1.min(interval.saturating_sub(1));
			}
		}
		if progress != (closed, expired) {
			Progress::<T>::put(progress);
		}
	}

	/// A zone with standing orders has an auction of every interval that has not started,
	/// orders placed in it or not: puts in `due` the products of those zones for the intervals
	/// whose gate has closed since `StandingProgress`, an interval's all at once or none (a
	/// product queued again after it was done would have its standing orders entered twice),
	/// and returns the last interval done.
	fn enqueue_standing(
		now: IntervalIndex,
		gate: IntervalIndex,
		due: &mut BoundedVec<Product, T::MaxDue>,
		meter: &mut WeightMeter,
	) -> IntervalIndex {
		let done = StandingProgress::<T>::get();
		let zones = StandingZones::<T>::get();
		let mut reached = gate;
		if !zones.is_empty() {
			for interval in done.max(now).saturating_add(1)..=gate {
				let products: Vec<Product> = zones
					.iter()
					.map(|(zone, _)| Product { zone: *zone, interval })
					.filter(|product| !due.contains(product))
					.collect();
				let weight = Step::<T>::enqueue_product().saturating_mul(zones.len() as u64);
				let room = (T::MaxDue::get() as usize).saturating_sub(due.len());
				if products.len() > room || meter.try_consume(weight).is_err() {
					reached = interval.saturating_sub(1);
					break;
				}
				for product in products {
					if due.try_push(product).is_err() {
						frame_support::defensive!("`due` has room for the interval's products");
					}
				}
			}
		}
		if reached != done {
			StandingProgress::<T>::put(reached);
		}
		reached
	}

	/// Puts in `due` the products of `interval` at `stage`; `false` if `due` or the weight
	/// could not take them all.
	pub(crate) fn enqueue_interval(
		interval: IntervalIndex,
		stage: Stage,
		due: &mut BoundedVec<Product, T::MaxDue>,
		meter: &mut WeightMeter,
	) -> bool {
		for (zone, auction) in Auctions::<T>::iter_prefix(interval) {
			if meter.try_consume(Step::<T>::enqueue_product()).is_err() {
				return false;
			}
			let product = Product { zone, interval };
			if auction.stage == stage && !due.contains(&product) && due.try_push(product).is_err() {
				return false;
			}
		}
		true
	}

	/// Puts `product` in `Due`, if it is not there; `false` if `Due` is full (the product's
	/// deadline then puts it there).
	pub(crate) fn make_due(product: Product) -> bool {
		Due::<T>::mutate(|due| due.contains(&product) || due.try_push(product).is_ok())
	}

	/// Takes `product` as far as the weight allows.
	pub(crate) fn advance(product: Product, meter: &mut WeightMeter) -> Advance {
		let mut auction = match Auctions::<T>::get(product.interval, product.zone) {
			Some(auction) => auction,
			// No order was placed in it: its zone's standing orders give it its record.
			None if Self::has_standing(product.zone) => {
				// Its first step pays for the schedule's read and write.
				if !meter.can_consume(Step::<T>::advance()) {
					return Advance::OutOfWeight;
				}
				if Self::schedule(product.interval).is_err() {
					frame_support::defensive!("the schedule has room for every open interval");
					return Advance::Done;
				}
				AuctionState::open()
			}
			// Its zone's last standing order was cancelled since its gate closed: nothing to do.
			None => return Advance::Done,
		};
		loop {
			if meter.try_consume(Step::<T>::advance()).is_err() {
				Auctions::<T>::insert(product.interval, product.zone, auction);
				return Advance::OutOfWeight;
			}
			let advance = match auction.stage {
				Stage::Open if Self::has_standing(product.zone) => {
					auction.stage = Stage::Entering;
					auction.cursor = None;
					continue;
				}
				Stage::Open => {
					Self::start_clearing(product, &mut auction);
					continue;
				}
				Stage::Entering => match Self::enter_standing(product, &mut auction, meter) {
					Advance::Done => {
						Self::start_clearing(product, &mut auction);
						continue;
					}
					out_of_weight => out_of_weight,
				},
				Stage::Delivering => {
					auction.stage = Stage::Settling;
					auction.cursor = Some(Cursor::start(Side::Bid));
					continue;
				}
				Stage::Clearing => Self::clear_orders(product, &mut auction, meter),
				Stage::Settling => Self::settle_orders(product, &mut auction, meter),
			};
			match (advance, auction.stage) {
				// Cleared with energy to deliver: it waits for readings or its deadline.
				(Advance::Done, Stage::Delivering) | (Advance::OutOfWeight, _) => {
					Auctions::<T>::insert(product.interval, product.zone, auction);
				}
				// Cleared with nothing traded, or settled.
				(Advance::Done, _) => Self::finish(product, auction.delivered),
			}
			return advance;
		}
	}

	/// Closes `product`'s gate: finds its price and volume from its curves, which go.
	fn start_clearing(product: Product, auction: &mut AuctionOf<T>) {
		let bids = Curves::<T>::take(product, Side::Bid);
		let offers = Curves::<T>::take(product, Side::Offer);
		auction.result = clearing::clear(&bids, &offers);
		log::debug!(
			target: crate::LOG_TARGET,
			"zone {} interval {}: {} bid and {} offer prices, cleared {:?}",
			product.zone,
			product.interval,
			bids.len(),
			offers.len(),
			auction.result.map(|r| (r.price, r.volume)),
		);
		auction.stage = Stage::Clearing;
		auction.cursor = Some(Cursor::start(Side::Bid));
		Self::deposit_event(match auction.result {
			Some(Clearing { price, volume, .. }) => Event::Cleared { product, price, volume },
			None => Event::NotCleared { product },
		});
	}

	/// A product's auction is over: its record goes, and its interval leaves the schedule
	/// with its last product.
	fn finish(product: Product, delivered: Wh) {
		Auctions::<T>::remove(product.interval, product.zone);
		if Auctions::<T>::iter_prefix(product.interval).next().is_none() {
			Schedule::<T>::mutate(|schedule| schedule.retain(|i| *i != product.interval));
		}
		Self::deposit_event(Event::Settled { product, delivered });
	}

	/// Walks `auction`'s orders from its cursor, bids then offers, doing `each` to every
	/// order while `cost` a order fits in `meter`. Its cursor keeps its place for the next
	/// block.
	pub(crate) fn walk(
		product: Product,
		auction: &mut AuctionOf<T>,
		meter: &mut WeightMeter,
		cost: Weight,
		mut each: impl FnMut(
			&mut AuctionOf<T>,
			&mut Cursor<T::AccountId>,
			&(T::AccountId, u64),
			PlacedOrder<BalanceOf<T>>,
		),
	) -> Advance {
		let mut cursor = auction.cursor.take().unwrap_or_else(|| Cursor::start(Side::Bid));
		loop {
			let prefix = (product, cursor.side);
			let next = match &cursor.last {
				None => Orders::<T>::iter_prefix(prefix).next(),
				Some(last) => {
					Orders::<T>::iter_prefix_from(prefix, Orders::<T>::hashed_key_for(prefix, last))
						.next()
				}
			};
			let Some((key, order)) = next else {
				if cursor.side == Side::Bid {
					cursor = Cursor::start(Side::Offer);
					continue;
				}
				return Advance::Done;
			};
			if meter.try_consume(cost).is_err() {
				auction.cursor = Some(cursor);
				return Advance::OutOfWeight;
			}
			each(auction, &mut cursor, &key, order);
			cursor.last = Some(key);
		}
	}

	/// Allocates `auction`'s orders their energy, as far as the weight allows: an order
	/// allocated nothing (or cancelled) goes and its hold is released; one allocated energy
	/// keeps on hold what its allocation needs (a bid: its energy at the clearing price; an
	/// offer: its collateral), and an offer's meter is expected to deliver it.
	fn clear_orders(
		product: Product,
		auction: &mut AuctionOf<T>,
		meter: &mut WeightMeter,
	) -> Advance {
		let result = auction.result;
		let advance = Self::walk(
			product,
			auction,
			meter,
			Step::<T>::clear_order(),
			|auction, cursor, (trader, nonce), mut order| {
				let side = cursor.side;
				let prefix = (product, side);
				if order.quantity == 0 {
					// Cancelled: all but its deposit is released already.
					Self::release(side, trader, order.held);
					Orders::<T>::remove(prefix, (trader, nonce));
					auction.orders = auction.orders.saturating_sub(1);
					return;
				}
				let (allocated, keep) = match &result {
					Some(r) => {
						let rule = match side {
							Side::Bid => &r.bids,
							Side::Offer => &r.offers,
						};
						let (allocated, cumulative) = clearing::allocation(
							rule,
							side,
							&order.price,
							order.quantity,
							cursor.cumulative,
						);
						cursor.cumulative = cumulative;
						let price = match side {
							Side::Bid => r.price,
							Side::Offer => T::CollateralPrice::get(),
						};
						// At most the order's quantity at at most its price: no overflow.
						(allocated, Self::value(allocated, price).unwrap_or(order.held))
					}
					None => (0, Zero::zero()),
				};
				Self::release(side, trader, order.held.saturating_sub(keep));
				if allocated == 0 {
					Orders::<T>::remove(prefix, (trader, nonce));
					auction.orders = auction.orders.saturating_sub(1);
				} else {
					order.quantity = allocated;
					order.held = keep;
					Orders::<T>::insert(prefix, (trader, nonce), order);
					if side == Side::Offer {
						Self::expect_delivery(product, order.meter, allocated, auction);
					}
				}
				Self::deposit_event(Event::Allocated {
					trader: trader.clone(),
					nonce: *nonce,
					side,
					product,
					quantity: allocated,
					held: keep,
				});
			},
		);
		if advance == Advance::Done && result.is_some_and(|r| r.volume > 0) {
			auction.stage = Stage::Delivering;
			// Cleared so late that its deadline has passed (the hooks had a backlog): it
			// settles now, for its deadline's turn in `enqueue` is over.
			let deadline = T::DeliveryDeadline::get().saturating_add(1);
			if Self::current_interval() >= product.interval.saturating_add(deadline) {
				Self::make_due(product);
			}
		}
		advance
	}

	/// Records that `meter` must deliver `allocated` Wh more in `product`'s interval.
	fn expect_delivery(product: Product, meter: u64, allocated: Wh, auction: &mut AuctionOf<T>) {
		Deliveries::<T>::mutate(product.interval, meter, |delivery| match delivery {
			Some(d) => d.allocated = d.allocated.saturating_add(allocated),
			None => {
				*delivery = Some(Delivery { zone: product.zone, allocated, delivered: None });
				auction.pending = auction.pending.saturating_add(1);
			}
		});
	}
}
