//! Weights of the validator set's calls.
//!
//! Estimated, not yet measured: each call's storage reads and writes at the runtime's database
//! weights, plus [`peergrid_primitives::WEIGHT_PER_ITEM`] for each item touched. The benchmarks
//! issue replaces these figures with frame-benchmarking results.

use core::marker::PhantomData;
use frame_support::{traits::Get, weights::Weight};

/// Weight functions needed by `pallet_validators`.
pub trait WeightInfo {
	fn add_validator() -> Weight;
	fn remove_validator() -> Weight;
	fn set_session_length() -> Weight;
}

/// The weights for a runtime, at its database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);

impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Reads the session keys and the set; writes the set and the change flag.
	fn add_validator() -> Weight {
		peergrid_primitives::estimated_weight(T::DbWeight::get(), 2, 2)
	}
	fn remove_validator() -> Weight {
		peergrid_primitives::estimated_weight(T::DbWeight::get(), 1, 2)
	}
	fn set_session_length() -> Weight {
		peergrid_primitives::estimated_weight(T::DbWeight::get(), 0, 1)
	}
}
