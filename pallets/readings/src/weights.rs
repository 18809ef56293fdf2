//! Weights of the readings calls and of their validation in the transaction pool.
//!
//! Estimated, not yet measured: per reading, one signature check (80 µs, above an ecdsa
//! recovery, the slowest of the three schemes) plus its storage reads and writes at the
//! runtime's database weights and [`peergrid_primitives::WEIGHT_PER_ITEM`] for each item
//! touched. The benchmarks issue replaces these figures with frame-benchmarking results.

use core::marker::PhantomData;
use frame_support::{traits::Get, weights::Weight};

/// Weight functions needed by `pallet_readings`.
pub trait WeightInfo {
	/// Validating a batch of `n` readings in the pool (and again when it is applied).
	fn authorize_readings(n: u32) -> Weight;
	/// Checking and accepting a batch of `n` readings that add to `z` zones' interval totals.
	fn submit_readings(n: u32, z: u32) -> Weight;
}

/// One signature check.
const SIGNATURE_CHECK: Weight = Weight::from_parts(80_000_000, 0);

/// The weights for a runtime, at its database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);

impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn authorize_readings(n: u32) -> Weight {
		// Meter, oracle, meter state, genesis hash.
		let one = peergrid_primitives::estimated_weight(T::DbWeight::get(), 4, 0);
		one.saturating_add(SIGNATURE_CHECK).saturating_mul(u64::from(n))
	}

	fn submit_readings(n: u32, _z: u32) -> Weight {
		// The checks' 4 reads, then the owner's credits, minted total and consumption, the
		// issuance and minted totals, and the zone's interval totals: 10 reads, and 7 writes
		// with the meter state.
		let one = peergrid_primitives::estimated_weight(T::DbWeight::get(), 10, 7);
		one.saturating_add(SIGNATURE_CHECK).saturating_mul(u64::from(n))
	}
}
