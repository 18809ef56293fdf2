//! Weights of the registry's calls.
//!
//! Estimated, not yet measured: each call's storage reads and writes at the runtime's database
//! weights, plus [`peergrid_primitives::WEIGHT_PER_ITEM`] for each item touched. The benchmarks
//! issue replaces these figures with frame-benchmarking results.

use core::marker::PhantomData;
use frame_support::{traits::Get, weights::Weight};

/// Weight functions needed by `pallet_meters`.
pub trait WeightInfo {
	fn create_zone() -> Weight;
	fn set_zone_operator() -> Weight;
	fn register_meter() -> Weight;
	fn set_meter_status() -> Weight;
	fn offer_meter_ownership() -> Weight;
	fn accept_meter_ownership() -> Weight;
	fn reassign_meter() -> Weight;
	fn authorize_oracle(zones: u32) -> Weight;
	fn revoke_oracle() -> Weight;
}

/// The estimate for a call that reads `reads` items and writes `writes`.
fn estimate<T: frame_system::Config>(reads: u64, writes: u64) -> Weight {
	peergrid_primitives::estimated_weight(T::DbWeight::get(), reads, writes)
}

/// The weights for a runtime, at its database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);

impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn create_zone() -> Weight {
		estimate::<T>(1, 2)
	}
	fn set_zone_operator() -> Weight {
		estimate::<T>(1, 1)
	}
	fn register_meter() -> Weight {
		estimate::<T>(4, 4)
	}
	fn set_meter_status() -> Weight {
		estimate::<T>(3, 2)
	}
	fn offer_meter_ownership() -> Weight {
		estimate::<T>(1, 1)
	}
	fn accept_meter_ownership() -> Weight {
		estimate::<T>(3, 3)
	}
	fn reassign_meter() -> Weight {
		estimate::<T>(4, 3)
	}
	fn authorize_oracle(zones: u32) -> Weight {
		// Reads every zone named.
		estimate::<T>(u64::from(zones), 1)
	}
	fn revoke_oracle() -> Weight {
		estimate::<T>(1, 1)
	}
}
