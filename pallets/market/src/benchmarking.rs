//! Benchmarks of the market's calls and its expiry hook, at their worst cases: books one short
//! of full, orders that expire and fill completely, and for `place_order` components for the
//! meters its owner's check reads and the routes whose books it reads.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::{
	pallet_prelude::*,
	traits::{fungible::Mutate, EnsureOrigin, Hooks},
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

/// A zone, run by an operator with funds (it receives the grid fees).
fn zone<T: Config>() -> Result<ZoneId, BenchmarkError>
where
	T::Currency: Mutate<T::AccountId>,
	T::Credits: Mutate<T::AccountId>,
{
	let operator = account("operator", 0, 0);
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
	if meters > 1 {
		let elsewhere = T::Meters::bench_zone(&account("operator", 1, 0))?;
		for _ in 1..meters {
			T::Meters::bench_meter(elsewhere, &who, MeterKind::Bidirectional, 10_000, None)?;
		}
	}
	T::Meters::bench_meter(zone, &who, MeterKind::Bidirectional, 10_000, None)?;
	T::Currency::set_balance(&who, funds::<T>());
	T::Credits::mint_into(&who, AMOUNT * 1_000)?;
	Ok(who)
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

/// `routes` zones that `zone` imports from, each route with a fee.
fn routes_into<T: Config>(zone: ZoneId, routes: u32) -> Result<Vec<ZoneId>, BenchmarkError>
where
	T::Currency: Mutate<T::AccountId>,
	T::Credits: Mutate<T::AccountId>,
{
	let mut zones = Vec::new();
	for _ in 0..routes {
		let from = self::zone::<T>()?;
		Pallet::<T>::do_set_grid_fee(from, zone, Some(FEE.into()))?;
		zones.push(from);
	}
	Ok(zones)
}

#[benchmarks(where T::Currency: Mutate<T::AccountId>, T::Credits: Mutate<T::AccountId>)]
mod benchmarks {
	use super::*;

	/// A buy of an owner of `m` meters (the one in the zone last) that passes over `s` of its
	/// owner's own sell orders, trades with `f` sell orders of `f` sellers in another zone,
	/// each filled completely, and rests its remainder in a book one short of full, with an
	/// expiry in a block one short of full. Its zone imports from `r` zones, each with a sell
	/// order too dear to take.
	#[benchmark]
	fn place_order(
		f: Linear<0, { T::MaxFills::get() }>,
		s: Linear<0, { T::MaxOrdersPerAccount::get() - 1 }>,
		m: Linear<1, { T::Meters::max_meters_per_owner() }>,
		r: Linear<1, { T::MaxRoutesPerZone::get() }>,
	) -> Result<(), BenchmarkError> {
		let home = zone::<T>()?;
		let routes = routes_into::<T>(home, r)?;
		let now = frame_system::Pallet::<T>::block_number();
		let expiry = now + 10u32.into();
		let buyer = trader::<T>("buyer", 0, home, m)?;
		for _ in 0..s {
			place::<T>(&buyer, Side::Sell, home, ASK / 2, None)?;
		}
		let fills_from = routes.first().copied().unwrap_or(home);
		for i in 0..f {
			let seller = trader::<T>("seller", i, fills_from, 1)?;
			let expires = expiry + One::one() + i.into();
			place::<T>(&seller, Side::Sell, fills_from, ASK, Some(expires))?;
		}
		for (i, from) in routes.iter().enumerate() {
			let dear = trader::<T>("dear", i as u32, *from, 1)?;
			place::<T>(&dear, Side::Sell, *from, ASK * 4, None)?;
		}
		crowd::<T>(home, Side::Buy, ASK * 2);
		crowd_expiries::<T>(expiry);
		let amount = AMOUNT * (u64::from(f) + 1);
		let id = NextOrderId::<T>::get();

		#[extrinsic_call]
		_(RawOrigin::Signed(buyer), Side::Buy, home, amount, (ASK * 2).into(), Some(expiry));

		let rest = Orders::<T>::get(id).ok_or(BenchmarkError::Stop("the order did not rest"))?;
		assert_eq!(rest.remaining, AMOUNT);
		Ok(())
	}

	/// A buy order with an expiry, in a book one short of full, of an owner with as many open
	/// orders as it may have.
	#[benchmark]
	fn cancel_order() -> Result<(), BenchmarkError> {
		let home = zone::<T>()?;
		let now = frame_system::Pallet::<T>::block_number();
		let expiry = now + 10u32.into();
		let owner = trader::<T>("owner", 0, home, 1)?;
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
		let (from, to) = (zone::<T>()?, zone::<T>()?);
		for _ in 1..T::MaxRoutesPerZone::get() {
			let other = zone::<T>()?;
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
		let home = zone::<T>()?;
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

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
