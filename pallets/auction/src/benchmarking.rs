//! Benchmarks of the auction's calls and of its hooks' steps, at their worst cases: curves and
//! the schedule one short of full, every order of a batch its own trader's, every order of a
//! cleared product allocated energy, every seller short of its allocation.

use crate::{pallet::*, types::*, work::Advance};
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, Mutate},
		Get,
	},
	weights::WeightMeter,
};
use frame_system::RawOrigin;
use peergrid_primitives::{
	auction::order_signing_payload, DeliveryLedger, IntervalIndex, MeterId, MeterKind,
	MeterRegistry, Wh, ZoneId,
};
use sp_runtime::{traits::Zero, Saturating};

/// What the benchmarks need of the runtime: traders' keys that sign, and the clock.
pub trait BenchmarkHelper<AccountId, Signature> {
	/// The `i`-th trader's account, its key made in the benchmark's keystore.
	fn trader(i: u32) -> AccountId;
	/// `trader`'s signature of `payload`; `None` if the keystore lacks its key.
	fn sign(trader: &AccountId, payload: &[u8]) -> Option<Signature>;
	/// Sets the wall clock to `secs` since the Unix epoch.
	fn set_time(secs: u64);
}

/// 2026-01-01T00:00:00Z: the benchmarks' now.
const T0: u64 = 1_767_225_600;
/// Every order's energy, in Wh.
const QUANTITY: Wh = 1_000;
/// Every meter's rated power, in W: 250 kWh an interval.
const CAPACITY_W: u32 = 1_000_000;

/// The interval now, with the clock set to it.
fn now<T: Config>() -> IntervalIndex {
	T::BenchmarkHelper::set_time(T0);
	T0 / T::IntervalSeconds::get()
}

/// The first product still open, in a new zone whose operator has funds.
fn product<T: Config>() -> Result<Product, BenchmarkError> {
	let interval = now::<T>().saturating_add(T::GateClosure::get()).saturating_add(1);
	let operator: T::AccountId = account("operator", 0, 0);
	T::Currency::set_balance(&operator, T::Currency::minimum_balance());
	let zone: ZoneId = T::Meters::bench_zone(&operator)?;
	Pallet::<T>::ensure_account()?;
	Ok(Product { zone, interval })
}

/// Enough of the currency for any order of the benchmarks.
fn fund<T: Config>(who: &T::AccountId) {
	let plenty = BalanceOf::<T>::from(u32::MAX).saturating_mul(1_000_000u32.into());
	T::Currency::set_balance(who, plenty);
}

/// `who`'s new meter in `product`'s zone, with funds for its orders.
fn meter<T: Config>(who: &T::AccountId, product: Product) -> Result<MeterId, BenchmarkError> {
	fund::<T>(who);
	Ok(T::Meters::bench_meter(product.zone, who, MeterKind::Bidirectional, CAPACITY_W, None)?)
}

/// The `i`-th price on the tick, per kWh.
fn price<T: Config>(i: u32) -> BalanceOf<T> {
	BalanceOf::<T>::from(i.saturating_add(1)).saturating_mul(WH_PER_KWH.into())
}

/// `n` orders of traders `first..first + n` in `product`, each with a meter of its own: bids at
/// the top prices and offers at the bottom ones, alternately, so that every one is allocated
/// energy at clearing. Returns the offers' meters.
fn crossing<T: Config>(
	product: Product,
	first: u32,
	n: u32,
) -> Result<Vec<MeterId>, BenchmarkError> {
	let half = (T::MaxPriceLevels::get() / 2).max(1);
	let mut offers = Vec::new();
	for i in 0..n {
		let who: T::AccountId = account("trader", first.saturating_add(i), 0);
		let meter = meter::<T>(&who, product)?;
		let (side, price) = if i % 2 == 0 {
			(
				Side::Bid,
				price::<T>(half.saturating_mul(2).saturating_sub(1).saturating_sub(i / 2 % half)),
			)
		} else {
			offers.push(meter);
			(Side::Offer, price::<T>(i / 2 % half))
		};
		let terms = OrderTerms { side, product, meter, quantity: QUANTITY, price };
		Pallet::<T>::do_place_order(&who, 0, &terms)?;
	}
	Ok(offers)
}

/// A side's curve one level short of full, its prices above `price::<T>(0)`.
fn full_curve<T: Config>(product: Product, side: Side) {
	let levels = (1..T::MaxPriceLevels::get()).map(|i| (price::<T>(i), QUANTITY)).collect();
	Curves::<T>::insert(product, side, BoundedVec::truncate_from(levels));
}

/// The schedule one short of full, with intervals after `product`'s.
fn full_schedule<T: Config>(product: Product) {
	let intervals = (1..T::MaxOpenIntervals::get())
		.map(|i| product.interval.saturating_add(i.into()))
		.collect();
	Schedule::<T>::put(BoundedVec::truncate_from(intervals));
}

/// `n` orders signed by `n` traders of their own, each with a meter in `product`'s zone, at
/// prices across a curve one level short of full.
fn signed_batch<T: Config>(product: Product, n: u32) -> Result<SignedOrdersOf<T>, BenchmarkError> {
	full_curve::<T>(product, Side::Bid);
	let genesis = Pallet::<T>::genesis_hash();
	let mut orders = Vec::new();
	for i in 0..n {
		let trader = T::BenchmarkHelper::trader(i);
		let meter = meter::<T>(&trader, product)?;
		let price = price::<T>(1 + i % T::MaxPriceLevels::get().saturating_sub(1).max(1));
		let terms = OrderTerms { side: Side::Bid, product, meter, quantity: QUANTITY, price };
		let payload = order_signing_payload(&genesis, &trader, 0, &terms);
		let signature =
			T::BenchmarkHelper::sign(&trader, &payload).ok_or(BenchmarkError::Weightless)?;
		orders.push(SignedOrder { trader, nonce: 0, terms, signature });
	}
	Ok(BoundedVec::truncate_from(orders))
}

/// A standing bid at every hour in `zone` naming `meter`, at the `level`-th price.
fn standing<T: Config>(zone: ZoneId, meter: MeterId, level: u32) -> StandingTerms<BalanceOf<T>> {
	let price = price::<T>(level);
	StandingTerms { side: Side::Bid, zone, meter, quantity: QUANTITY, price, hours: ALL_HOURS }
}

/// `StandingZones` one short of full, with zones after `zone`: `zone`'s entry moves them all.
fn standing_zones_but_one<T: Config>(zone: ZoneId) {
	let others = T::MaxStandingZones::get().saturating_sub(1);
	let zones = (1..=others).map(|i| (zone.saturating_add(i), 1)).collect();
	StandingZones::<T>::put(BoundedVec::truncate_from(zones));
}

/// Clears `product` whole, as the hooks would.
fn clear_whole<T: Config>(product: Product) -> Result<(), BenchmarkError> {
	let advance = Pallet::<T>::advance(product, &mut WeightMeter::new());
	ensure!(advance == Advance::Done, BenchmarkError::Stop("clearing did not finish"));
	Ok(())
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// A bid that opens a new product (the schedule one short of full, the new interval first)
	/// at a new lowest price on a curve one short of full.
	#[benchmark]
	fn place_order() -> Result<(), BenchmarkError> {
		let product = product::<T>()?;
		full_schedule::<T>(product);
		full_curve::<T>(product, Side::Bid);
		let caller: T::AccountId = whitelisted_caller();
		let meter = meter::<T>(&caller, product)?;
		let terms = OrderTerms {
			side: Side::Bid,
			product,
			meter,
			quantity: QUANTITY,
			price: price::<T>(0),
		};

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), 0, terms);

		ensure!(Orders::<T>::contains_key((product, Side::Bid), (caller, 0)), "placed");
		Ok(())
	}

	/// An order whose price level empties and leaves a curve full of others.
	#[benchmark]
	fn cancel_order() -> Result<(), BenchmarkError> {
		let product = product::<T>()?;
		full_curve::<T>(product, Side::Bid);
		let caller: T::AccountId = whitelisted_caller();
		let meter = meter::<T>(&caller, product)?;
		let terms = OrderTerms {
			side: Side::Bid,
			product,
			meter,
			quantity: QUANTITY,
			price: price::<T>(0),
		};
		Pallet::<T>::do_place_order(&caller, 0, &terms)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), product, Side::Bid, 0);

		let order = Orders::<T>::get((product, Side::Bid), (caller, 0));
		ensure!(order.is_some_and(|o| o.quantity == 0), "cancelled");
		Ok(())
	}

	/// `n` signed orders of `n` traders, relayed in a batch.
	#[benchmark]
	fn submit_orders(n: Linear<1, { T::MaxBatchSize::get() }>) -> Result<(), BenchmarkError> {
		let product = product::<T>()?;
		let orders = signed_batch::<T>(product, n)?;
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), orders);

		ensure!(Orders::<T>::iter_prefix((product, Side::Bid)).count() == n as usize, "placed");
		Ok(())
	}

	/// The pool's check of a batch of `n` signed orders of `n` traders.
	#[benchmark]
	fn authorize_orders(n: Linear<1, { T::MaxBatchSize::get() }>) -> Result<(), BenchmarkError> {
		let product = product::<T>()?;
		let orders = signed_batch::<T>(product, n)?;
		let valid;

		#[block]
		{
			valid = Pallet::<T>::authorize_orders(TransactionSource::External, &orders);
		}

		ensure!(valid.is_ok(), "the batch is valid");
		Ok(())
	}

	/// The last allocated meter's reading of a cleared product, which makes it due (`Due`
	/// one short of full).
	#[benchmark]
	fn deliver() -> Result<(), BenchmarkError> {
		let product = product::<T>()?;
		let meters = crossing::<T>(product, 0, 2)?;
		clear_whole::<T>(product)?;
		let others = (1..T::MaxDue::get())
			.map(|i| Product {
				zone: product.zone,
				interval: product.interval.saturating_add(i.into()),
			})
			.collect();
		Due::<T>::put(BoundedVec::truncate_from(others));
		let meter = meters.first().copied().ok_or(BenchmarkError::Weightless)?;
		let delivered;

		#[block]
		{
			delivered = Pallet::<T>::deliver(meter, product.interval, QUANTITY / 2);
		}

		ensure!(delivered == Some(QUANTITY / 2), "delivered");
		ensure!(Due::<T>::get().contains(&product), "due");
		Ok(())
	}

	/// A reading of a meter with no allocation in its interval: what most readings cost.
	#[benchmark]
	fn deliver_miss() -> Result<(), BenchmarkError> {
		let product = product::<T>()?;
		let delivered;

		#[block]
		{
			delivered = Pallet::<T>::deliver(0, product.interval, QUANTITY);
		}

		ensure!(delivered.is_none(), "no allocation");
		Ok(())
	}

	/// The hooks with nothing to do: the schedule full of intervals still open.
	#[benchmark]
	fn work_idle() -> Result<(), BenchmarkError> {
		let product = product::<T>()?;
		full_schedule::<T>(product);
		Pallet::<T>::work(Weight::MAX);
		let used;

		#[block]
		{
			used = Pallet::<T>::work(Weight::MAX);
		}

		ensure!(!used.is_zero(), "the hooks looked");
		Ok(())
	}

	/// `n` products of one interval whose gate has just closed join `Due`.
	#[benchmark]
	fn enqueue(n: Linear<0, { T::MaxDue::get().min(100) }>) -> Result<(), BenchmarkError> {
		let first = product::<T>()?;
		for i in 0..n {
			let product = if i == 0 { first } else { super::product::<T>()? };
			crossing::<T>(product, i, 1)?;
		}
		let mut due = BoundedVec::new();
		let whole;

		#[block]
		{
			whole = Pallet::<T>::enqueue_interval(
				first.interval,
				Stage::Open,
				&mut due,
				&mut WeightMeter::new(),
			);
		}

		ensure!(whole && due.len() == n as usize, "every product queued");
		Ok(())
	}

	/// A product of `n` orders cleared whole: its price found, every order allocated energy,
	/// every seller's meter expected to deliver.
	#[benchmark]
	fn clear(
		n: Linear<0, { T::MaxOrdersPerProduct::get().min(1_000) }>,
	) -> Result<(), BenchmarkError> {
		let product = product::<T>()?;
		crossing::<T>(product, 0, n)?;
		let advance;

		#[block]
		{
			advance = Pallet::<T>::advance(product, &mut WeightMeter::new());
		}

		ensure!(advance == Advance::Done, "cleared");
		Ok(())
	}

	/// A product of `n` allocated orders settled whole: every buyer paid and minted credits,
	/// every seller paid for half its allocation and charged for the other half.
	#[benchmark]
	fn settle(
		n: Linear<2, { T::MaxOrdersPerProduct::get().min(1_000) }>,
	) -> Result<(), BenchmarkError> {
		let product = product::<T>()?;
		let meters = crossing::<T>(product, 0, n)?;
		clear_whole::<T>(product)?;
		for meter in meters {
			let _ = Pallet::<T>::deliver(meter, product.interval, QUANTITY / 2);
		}
		let advance;

		#[block]
		{
			advance = Pallet::<T>::advance(product, &mut WeightMeter::new());
		}

		ensure!(advance == Advance::Done, "settled");
		ensure!(Auctions::<T>::get(product.interval, product.zone).is_none(), "gone");
		Ok(())
	}

	/// A new standing order, in a zone new to `StandingZones`, which is one short of full and
	/// takes it first.
	#[benchmark]
	fn set_standing_order() -> Result<(), BenchmarkError> {
		let product = product::<T>()?;
		standing_zones_but_one::<T>(product.zone);
		let caller: T::AccountId = whitelisted_caller();
		let meter = meter::<T>(&caller, product)?;
		let terms = standing::<T>(product.zone, meter, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), 0, terms);

		ensure!(Standing::<T>::contains_key(product.zone, (caller, 0)), "set");
		Ok(())
	}

	/// The last standing order of a zone, which leaves a full `StandingZones`.
	#[benchmark]
	fn cancel_standing_order() -> Result<(), BenchmarkError> {
		let product = product::<T>()?;
		standing_zones_but_one::<T>(product.zone);
		let caller: T::AccountId = whitelisted_caller();
		let meter = meter::<T>(&caller, product)?;
		Pallet::<T>::do_set_standing(&caller, 0, &standing::<T>(product.zone, meter, 0))?;

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), product.zone, 0);

		ensure!(!Standing::<T>::contains_key(product.zone, (caller, 0)), "cancelled");
		Ok(())
	}

	/// `n` standing orders of `n` traders, each with a meter of its own, entering a product at
	/// its gate closure, on a curve one level short of full.
	#[benchmark]
	fn enter(
		n: Linear<0, { T::MaxStandingPerZone::get().min(1_000) }>,
	) -> Result<(), BenchmarkError> {
		let product = product::<T>()?;
		full_curve::<T>(product, Side::Bid);
		let levels = T::MaxPriceLevels::get().saturating_sub(1).max(1);
		for i in 0..n {
			let trader: T::AccountId = account("trader", i, 0);
			let meter = meter::<T>(&trader, product)?;
			let terms = standing::<T>(product.zone, meter, 1 + i % levels);
			Pallet::<T>::do_set_standing(&trader, 0, &terms)?;
		}
		let mut auction = AuctionState { stage: Stage::Entering, ..AuctionState::open() };
		let advance;

		#[block]
		{
			advance = Pallet::<T>::enter_standing(product, &mut auction, &mut WeightMeter::new());
		}

		ensure!(advance == Advance::Done && auction.orders == n, "every standing order entered");
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_bench_ext(), crate::mock::Test);
}
