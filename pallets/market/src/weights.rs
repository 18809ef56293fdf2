//! Weights of the market's calls and its expiry hook.
//!
//! Estimated, not yet measured: each call's storage reads and writes at the runtime's database
//! weights, plus [`peergrid_primitives::WEIGHT_PER_ITEM`] for each item touched. The benchmarks
//! issue replaces these figures with frame-benchmarking results.

use crate::Config;
use core::marker::PhantomData;
use frame_support::{traits::Get, weights::Weight};
use peergrid_primitives::estimated_weight;

/// Weight functions needed by `pallet_market`.
pub trait WeightInfo {
	/// Placing an order that trades with `f` resting orders and passes over `s` of its
	/// owner's own.
	fn place_order(f: u32, s: u32) -> Weight;
	fn cancel_order() -> Weight;
	fn set_grid_fee() -> Weight;
	/// The start of a block at which `n` orders are due to expire.
	fn on_initialize(n: u32) -> Weight;
}

/// Storage reads to check that a trader has an active meter in a zone: the owner's meter
/// list and up to 64 meters (the runtime's `MaxMetersPerOwner`).
const METER_CHECK_READS: u64 = 65;

/// The weights for a runtime, at its database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);

impl<T: Config> WeightInfo for SubstrateWeight<T> {
	fn place_order(f: u32, s: u32) -> Weight {
		// The zone, the meter check, the expiry list, the owner's list, the order id, the
		// holds (credits, payment, deposit: 3 accounts' records), and for each reachable book
		// its route, fee, operator and the book; written: the order and its lists.
		let books = u64::from(T::MaxRoutesPerZone::get()).saturating_add(1);
		let base =
			estimated_weight(T::DbWeight::get(), METER_CHECK_READS + 8 + 4 * books, 7 + books);
		// Each fill: the resting order, both traders' credit accounts and holds, both
		// traders' and the fee recipient's currency accounts and holds, the resting order's
		// lists when it fills; then its record: the time, both traders' totals, and for each
		// of its (up to two) zones the trade count, interval totals and recent-trade slot.
		let per_fill = estimated_weight(T::DbWeight::get(), 18, 19);
		// Each of the owner's orders passed over: the order.
		let per_skip = estimated_weight(T::DbWeight::get(), 1, 0);
		base.saturating_add(per_fill.saturating_mul(u64::from(f)))
			.saturating_add(per_skip.saturating_mul(u64::from(s)))
	}
	fn cancel_order() -> Weight {
		estimated_weight(T::DbWeight::get(), 8, 8)
	}
	fn set_grid_fee() -> Weight {
		estimated_weight(T::DbWeight::get(), 4, 3)
	}
	fn on_initialize(n: u32) -> Weight {
		let per_order = estimated_weight(T::DbWeight::get(), 8, 8);
		estimated_weight(T::DbWeight::get(), 1, 1)
			.saturating_add(per_order.saturating_mul(u64::from(n)))
	}
}
