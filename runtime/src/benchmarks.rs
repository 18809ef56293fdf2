//! The pallets whose benchmarks this runtime runs (with `--features runtime-benchmarks`), and
//! what their benchmarks need of it. `pallet_balances` is benchmarked beside the energy
//! pallets so that a transfer's weight, measured on the same machine, is the yardstick of
//! theirs (`docs/benchmarks.md`).

use crate::{AccountId, Runtime, Signature};

frame_benchmarking::define_benchmarks!(
	[pallet_balances, Balances]
	[pallet_meters, Meters]
	[pallet_readings, Readings]
	[pallet_credits, Credits]
	[pallet_market, Market]
);

/// The readings benchmarks' oracles: sr25519 keys in the benchmark's keystore; and the clock.
pub struct ReadingsHelper;

impl pallet_readings::benchmarking::BenchmarkHelper<AccountId, Signature> for ReadingsHelper {
	fn oracle(i: u32) -> AccountId {
		pallet_readings::benchmarking::sr25519_oracle(i)
	}

	fn sign(oracle: &AccountId, payload: &[u8]) -> Option<Signature> {
		pallet_readings::benchmarking::sr25519_sign(oracle, payload)
	}

	fn set_time(secs: u64) {
		pallet_timestamp::Now::<Runtime>::put(secs.saturating_mul(1_000));
	}
}
