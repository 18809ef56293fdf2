//! Weights of the credit token's calls.
//!
//! Estimated, not yet measured: each call's storage reads and writes at the runtime's database
//! weights, plus [`peergrid_primitives::WEIGHT_PER_ITEM`] for each item touched. The benchmarks
//! issue replaces these figures with frame-benchmarking results.

use core::marker::PhantomData;
use frame_support::{traits::Get, weights::Weight};

/// Weight functions needed by `pallet_credits`.
pub trait WeightInfo {
	fn transfer() -> Weight;
	fn retire() -> Weight;
}

/// The weights for a runtime, at its database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);

impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn transfer() -> Weight {
		peergrid_primitives::estimated_weight(T::DbWeight::get(), 2, 2)
	}
	fn retire() -> Weight {
		peergrid_primitives::estimated_weight(T::DbWeight::get(), 4, 4)
	}
}
