//! Benchmarks of the market's calls and its expiry hook, at their worst cases: books one short
//! of full, orders that expire and fill completely, fills spread over every book an order can
//! reach, each zone with its own operator. A placement is measured by four benchmarks:
//! `place_order` (routes read, expiry, side), `place_order_passing_over`,
//! `place_order_meters_read`, and `place_order_trading` or `place_order_filled` (fills, side).

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, Mutate},
		EnsureOrigin, Hooks,
	},
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use peergrid_primitives::{MeterKind, MeterRegistry, OrderId, Wh, ZoneId};
use sp_runtime::traits::{One, Saturating};

/// The amount of every order of the benchmarks, in Wh.
const AMOUNT: Wh = 1_000;
/// The price the benchmarks' sellers ask, per kWh.
const ASK: u32 = 1_000_000;
/// The grid fee on every route, per kWh.
const FEE: u32 = 1_000;

/// Enough of the currency for every order of a benchmark.
fn funds<T: Config>() -> BalanceOf<T> {
	T::OrderDeposit::get().saturating_mul(1_000u32.into()).saturating_add(1_000_000_000u32.into())
}

/// A zone, run by operator `i` (every zone of a benchmark its own), with funds: it receives
/// the grid fees.
fn zone<T: Config>(i: u32) -> Result<ZoneId, BenchmarkError>
where
	T::Currency: Mutate<T::AccountId>,
	T::Credits: Mutate<T::AccountId>,
{
	let operator = account("operator", i, 0);
	T::Currency::set_balance(&operator, funds::<T>());
	Ok(T::Meters::bench_zone(&operator)?)
}

/// A trader in `zone`, with funds and credits, that owns `meters` meters: the one in `zone`
/// is the last.
fn trader<T: Config>(
	name: &'static str,
	i: u32,
	zone: ZoneId,
	meters: u32,
) -> Result<T::AccountId, BenchmarkError>
where
	T::Currency: Mutate<T::AccountId>,
	T::Credits: Mutate<T::AccountId>,
{
	let who: T::AccountId = account(name, i, 0);
	equip::<T>(&who, zone, meters)?;
	Ok(who)
}

/// The signer of the benchmarked call, a trader like [`trader`]. Its account in `System` is
/// whitelisted, as the yardstick's signer is: every signed transaction's extensions already
/// read and write it.
fn signer<T: Config>(zone: ZoneId, meters: u32) -> Result<T::AccountId, BenchmarkError>
where
	T::Currency: Mutate<T::AccountId>,
	T::Credits: Mutate<T::AccountId>,
{
	let who: T::AccountId = whitelisted_caller();
	equip::<T>(&who, zone, meters)?;
	Ok(who)
}

/// Gives `who` `meters` meters (the one in `zone` last), funds and credits.
fn equip<T: Config>(who: &T::AccountId, zone: ZoneId, meters: u32) -> Result<(), BenchmarkError>
where
	T::Currency: Mutate<T::AccountId>,
	T::Credits: Mutate<T::AccountId>,
{
	if meters > 1 {
		let elsewhere = T::Meters::bench_zone(&account("operator", 1, 0))?;
		for _ in 1..meters {
			T::Meters::bench_meter(elsewhere, who, MeterKind::Bidirectional, 10_000, None)?;
		}
	}
	T::Meters::bench_meter(zone, who, MeterKind::Bidirectional, 10_000, None)?;
	T::Currency::set_balance(who, funds::<T>());
	T::Credits::mint_into(who, AMOUNT * 1_000)?;
	Ok(())
}

/// `who` places an order; its id.
fn place<T: Config>(
	who: &T::AccountId,
	side: Side,
	zone: ZoneId,
	price: u32,
	expires_at: Option<BlockNumberFor<T>>,
) -> Result<OrderId, BenchmarkError> {
	let id = NextOrderId::<T>::get();
	Pallet::<T>::place_order(
		RawOrigin::Signed(who.clone()).into(),
		side,
		zone,
		AMOUNT,
		price.into(),
		expires_at,
	)
	.map_err(|e| e.error)?;
	Ok(id)
}

/// Fills `zone`'s `side` book with entries of orders that do not exist, at prices worse than
/// `price`, until one place is left.
fn crowd<T: Config>(zone: ZoneId, side: Side, price: u32) {
	Books::<T>::mutate(zone, side, |book| {
		let mut k: u32 = 1;
		while book.len() + 1 < T::MaxOrdersPerBook::get() as usize {
			let worse = match side {
				Side::Buy => price.saturating_sub(k.saturating_mul(1_000)),
				Side::Sell => price.saturating_add(k.saturating_mul(1_000)),
			};
			let entry = BookEntry { price: worse.into(), order: OrderId::MAX - u64::from(k) };
			let at = book
				.binary_search_by(|e| Pallet::<T>::priority(side, e, &entry))
				.unwrap_or_else(|at| at);
			if book.try_insert(at, entry).is_err() {
				break;
			}
			k = k.saturating_add(1);
		}
	});
}

/// Fills the expiry list of block `at` with orders that do not exist, until one place is
/// left.
fn crowd_expiries<T: Config>(at: BlockNumberFor<T>) {
	ExpiringAt::<T>::mutate(at, |ids| {
		let mut k = 0;
		while ids.len() + 1 < T::MaxExpiriesPerBlock::get() as usize && ids.try_push(k).is_ok() {
			k += 1;
		}
	});
}

/// `routes` zones that `zone` imports from (for its buyers) or, for its sellers, exports to,
/// each route with a fee.
fn routes_of<T: Config>(
	zone: ZoneId,
	side: Side,
	routes: u32,
) -> Result<Vec<ZoneId>, BenchmarkError>
where
	T::Currency: Mutate<T::AccountId>,
	T::Credits: Mutate<T::AccountId>,
{
	let mut zones = Vec::new();
	for i in 0..routes {
		let other = self::zone::<T>(100 + i)?;
		let (from, to) = match side {
			Side::Buy => (other, zone),
			Side::Sell => (zone, other),
		};
		Pallet::<T>::do_set_grid_fee(from, to, Some(FEE.into()))?;
		zones.push(other);
	}
	Ok(zones)
}

/// An order to place that will rest: its owner, zone, price and expiry.
struct Resting<T: Config> {
	owner: T::AccountId,
	zone: ZoneId,
	price: BalanceOf<T>,
	expiry: Option<BlockNumberFor<T>>,
}

/// The setup of an order of `side` that rests (`place_order`): its owner, the signer, has
/// `meters` meters and `own` orders of the other side in the order's zone, which it passes
/// over; the zone trades with `routes` zones, each with an order of the other side at a price
/// it does not take; the order's book is one short of full and, if it `expires`, so is its
/// expiry block.
fn resting<T: Config>(
	side: Side,
	own: u32,
	meters: u32,
	routes: u32,
	expires: bool,
) -> Result<Resting<T>, BenchmarkError>
where
	T::Currency: Mutate<T::AccountId>,
	T::Credits: Mutate<T::AccountId>,
{
	// A buy at twice the ask, or a sell at the ask; what it would take, at half of its price
	// or twice; what it leaves, at a quarter or four times.
	let (price, takes, leaves) = match side {
		Side::Buy => (ASK * 2, ASK, ASK * 8),
		Side::Sell => (ASK, ASK * 2, ASK / 4),
	};
	let home = zone::<T>(0)?;
	let routes = routes_of::<T>(home, side, routes)?;
	let owner = signer::<T>(home, meters)?;
	for _ in 0..own {
		place::<T>(&owner, side.opposite(), home, takes, None)?;
	}
	for (i, other) in routes.iter().enumerate() {
		let trader = trader::<T>("other", i as u32, *other, 1)?;
		place::<T>(&trader, side.opposite(), *other, leaves, None)?;
	}
	crowd::<T>(home, side, price);
	let now = frame_system::Pallet::<T>::block_number();
	let expiry = expires.then(|| now + 10u32.into());
	if let Some(at) = expiry {
		crowd_expiries::<T>(at);
	}
	Ok(Resting { owner, zone: home, price: price.into(), expiry })
}

/// The worst case of a placement's fills: the signer places an order of `side` in a zone
/// that trades with every other zone it may (`MaxRoutesPerZone`), itself at a grid fee too,
/// and takes `fills` orders of the other side, of `fills` traders, each with an expiry, spread
/// over the books of all those zones in turn: each fill writes another book, as far as there
/// are zones, and for a sell pays another operator (a buy pays its
/// own zone's). The signer, its zone, and the limit price that takes them all.
fn orders_to_take<T: Config>(
	side: Side,
	fills: u32,
) -> Result<(T::AccountId, ZoneId, u32), BenchmarkError>
where
	T::Currency: Mutate<T::AccountId>,
	T::Credits: Mutate<T::AccountId>,
{
	let home = zone::<T>(0)?;
	Pallet::<T>::do_set_grid_fee(home, home, Some(FEE.into()))?;
	let mut books = Vec::from([home]);
	books.extend(routes_of::<T>(home, side, T::MaxRoutesPerZone::get())?);
	let expiry = frame_system::Pallet::<T>::block_number() + 10u32.into();
	let signer = signer::<T>(home, 1)?;
	// A buy takes asks at ASK (plus the fee), a sell takes bids at twice ASK (less the fee).
	let (resting, limit) = match side {
		Side::Buy => (ASK, ASK * 2),
		Side::Sell => (ASK * 2, ASK),
	};
	for i in 0..fills {
		let zone = books[i as usize % books.len()];
		let trader = trader::<T>("trader", i, zone, 1)?;
		place::<T>(&trader, side.opposite(), zone, resting, Some(expiry + i.into()))?;
	}
	Ok((signer, home, limit))
}

/// Order `id` rests with all of its amount left.
fn assert_rests<T: Config>(id: OrderId) -> Result<(), BenchmarkError> {
	let rest = Orders::<T>::get(id).ok_or(BenchmarkError::Stop("the order did not rest"))?;
	assert_eq!(rest.remaining, AMOUNT);
	Ok(())
}

#[benchmarks(where T::Currency: Mutate<T::AccountId>, T::Credits: Mutate<T::AccountId>)]
mod benchmarks {
	use super::*;

	/// An order that trades with nothing and rests in a book one short of full, with an
	/// expiry in a block one short of full if `e` is 1: a buy if `b` is 0, a sell (which
	/// holds credits too) if 1. Its zone trades with `r` other zones, each with an order of
	/// the other side at a price it does not take; its owner has one meter and no other
	/// orders.
	///
	/// The weight of a placement ([`Pallet::placement_weight`]) is the benchmark of an order
	/// of its side that did as much (this one, `place_order_trading` or `place_order_filled`),
	/// plus what the benchmarks of the owner's orders passed over and meters read add above
	/// their least values. Measured apart, each component is measured from its least value up,
	/// with the others at theirs.
	#[benchmark]
	fn place_order(
		r: Linear<1, { T::MaxRoutesPerZone::get() }>,
		e: Linear<0, 1>,
		b: Linear<0, 1>,
	) -> Result<(), BenchmarkError> {
		let side = if b == 0 { Side::Buy } else { Side::Sell };
		let o = resting::<T>(side, 0, 1, r, e == 1)?;
		let id = NextOrderId::<T>::get();

		#[extrinsic_call]
		_(RawOrigin::Signed(o.owner), side, o.zone, AMOUNT, o.price, o.expiry);

		assert_rests::<T>(id)
	}

	/// `place_order(1, 0, 0)`, but its owner has `s` sell orders in its zone, which it passes
	/// over.
	#[benchmark]
	fn place_order_passing_over(
		s: Linear<0, { T::MaxOrdersPerAccount::get() - 1 }>,
	) -> Result<(), BenchmarkError> {
		let o = resting::<T>(Side::Buy, s, 1, 1, false)?;
		let id = NextOrderId::<T>::get();

		#[extrinsic_call]
		place_order(RawOrigin::Signed(o.owner), Side::Buy, o.zone, AMOUNT, o.price, o.expiry);

		assert_rests::<T>(id)
	}

	/// `place_order(1, 0, 0)`, but its owner has `m` meters, the one in its zone read last.
	#[benchmark]
	fn place_order_meters_read(
		m: Linear<1, { T::Meters::max_meters_per_owner() }>,
	) -> Result<(), BenchmarkError> {
		let o = resting::<T>(Side::Buy, 0, m, 1, false)?;
		let id = NextOrderId::<T>::get();

		#[extrinsic_call]
		place_order(RawOrigin::Signed(o.owner), Side::Buy, o.zone, AMOUNT, o.price, o.expiry);

		assert_rests::<T>(id)
	}

	/// An order without an expiry, a buy if `b` is 0 and a sell if 1, that trades with `f`
	/// orders of the other side spread over the books of its zone and of every zone it trades
	/// with ([`orders_to_take`]: the declared worst case), each filled completely, and rests
	/// its remainder in a book one short of full.
	#[benchmark]
	fn place_order_trading(
		f: Linear<1, { T::MaxFills::get() }>,
		b: Linear<0, 1>,
	) -> Result<(), BenchmarkError> {
		let side = if b == 0 { Side::Buy } else { Side::Sell };
		let (signer, home, limit) = orders_to_take::<T>(side, f)?;
		crowd::<T>(home, side, limit);
		let amount = AMOUNT * (u64::from(f) + 1);
		let id = NextOrderId::<T>::get();

		#[extrinsic_call]
		place_order(RawOrigin::Signed(signer), side, home, amount, limit.into(), None);

		assert_rests::<T>(id)
	}

	/// `place_order_trading(f, b)`, but the order is filled by its `f` trades: it does not
	/// rest.
	#[benchmark]
	fn place_order_filled(
		f: Linear<1, { T::MaxFills::get() }>,
		b: Linear<0, 1>,
	) -> Result<(), BenchmarkError> {
		let side = if b == 0 { Side::Buy } else { Side::Sell };
		let (signer, home, limit) = orders_to_take::<T>(side, f)?;
		let amount = AMOUNT * u64::from(f);
		let id = NextOrderId::<T>::get();

		#[extrinsic_call]
		place_order(RawOrigin::Signed(signer), side, home, amount, limit.into(), None);

		assert!(!Orders::<T>::contains_key(id), "a filled order does not rest");
		Ok(())
	}

	/// An operator whose account was reaped claims the fees the market kept for it.
	#[benchmark]
	fn claim_grid_fees() -> Result<(), BenchmarkError> {
		let operator: T::AccountId = account("operator", 0, 0);
		let owed = T::Currency::minimum_balance();
		Pallet::<T>::ensure_account()?;
		T::Currency::mint_into(&Pallet::<T>::account(), owed)?;
		UnpaidFees::<T>::insert(&operator, owed);

		#[extrinsic_call]
		_(RawOrigin::Signed(operator.clone()));

		assert!(!UnpaidFees::<T>::contains_key(&operator));
		Ok(())
	}

	/// A buy order with an expiry, in a book one short of full, of an owner with as many open
	/// orders as it may have.
	#[benchmark]
	fn cancel_order() -> Result<(), BenchmarkError> {
		let home = zone::<T>(0)?;
		let now = frame_system::Pallet::<T>::block_number();
		let expiry = now + 10u32.into();
		let owner = signer::<T>(home, 1)?;
		crowd::<T>(home, Side::Buy, ASK * 2);
		crowd_expiries::<T>(expiry);
		let id = place::<T>(&owner, Side::Buy, home, ASK, Some(expiry))?;
		for _ in 1..T::MaxOrdersPerAccount::get() {
			place::<T>(&owner, Side::Sell, home, ASK * 4, None)?;
		}

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id);

		assert!(!Orders::<T>::contains_key(id));
		Ok(())
	}

	/// A new route between two zones that each have all but one of the routes they may have.
	#[benchmark]
	fn set_grid_fee() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let (from, to) = (zone::<T>(0)?, zone::<T>(1)?);
		for i in 1..T::MaxRoutesPerZone::get() {
			let other = zone::<T>(100 + i)?;
			Pallet::<T>::do_set_grid_fee(from, other, Some(FEE.into()))?;
			Pallet::<T>::do_set_grid_fee(other, to, Some(FEE.into()))?;
		}

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, from, to, Some(FEE.into()));

		assert_eq!(GridFees::<T>::get(from, to), Some(FEE.into()));
		Ok(())
	}

	/// `n` buy orders of `n` owners expire.
	#[benchmark]
	fn on_initialize(
		n: Linear<0, { T::MaxExpiriesPerBlock::get() }>,
	) -> Result<(), BenchmarkError> {
		let home = zone::<T>(0)?;
		let at = frame_system::Pallet::<T>::block_number() + One::one();
		let mut ids = Vec::new();
		for i in 0..n {
			let owner = trader::<T>("owner", i, home, 1)?;
			ids.push(place::<T>(&owner, Side::Buy, home, ASK, Some(at))?);
		}

		#[block]
		{
			Pallet::<T>::on_initialize(at);
		}

		assert!(ids.iter().all(|id| !Orders::<T>::contains_key(id)));
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::genesis_ext(), crate::mock::Test);
}
