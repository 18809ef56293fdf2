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
	/// Placing an order matched against `f` resting orders.
	fn place_order(f: u32) -> Weight;
	fn cancel_order() -> Weight;
	fn set_grid_fee() -> Weight;
	/// The start of a block at which `n` orders expire.
	fn on_initialize(n: u32) -> Weight;
}

/// Storage reads to check that a trader has an active meter in a zone: the owner's meter
/// list and up to 64 meters (the runtime's `MaxMetersPerOwner`).
const METER_CHECK_READS: u64 = 65;

/// The weights for a runtime, at its database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);

impl<T: Config> WeightInfo for SubstrateWeight<T> {
	fn place_order(f: u32) -> Weight {
		// The zone, the meter check, the expiry list, the owner's list, the order id, the
		// holds (credits, payment, deposit: 3 accounts' records), and for each reachable book
		// its route, fee, operator and the book; written: the order and its lists.
		let books = u64::from(T::MaxRoutesPerZone::get()).saturating_add(1);
		let base =
			estimated_weight(T::DbWeight::get(), METER_CHECK_READS + 8 + 4 * books, 7 + books);
		// Each fill: the resting order, both traders' credit and currency records and holds,
		// the fee's recipient, the resting order's lists when it fills.
		let per_fill = estimated_weight(T::DbWeight::get(), 8, 9);
		base.saturating_add(per_fill.saturating_mul(u64::from(f)))
	}
	fn cancel_order() -> Weight {
		estimated_weight(T::DbWeight::get(), 6, 6)
	}
	fn set_grid_fee() -> Weight {
		estimated_weight(T::DbWeight::get(), 4, 3)
	}
	fn on_initialize(n: u32) -> Weight {
		let per_order = estimated_weight(T::DbWeight::get(), 6, 6);
		estimated_weight(T::DbWeight::get(), 1, 1)
			.saturating_add(per_order.saturating_mul(u64::from(n)))
	}
}
