//! The pallets whose benchmarks this runtime runs (with `--features runtime-benchmarks`), and
//! what their benchmarks need of it. Besides the energy pallets: the transaction extensions
//! that every signed transaction pays for (`frame_system_extensions`,
//! `pallet_transaction_payment`), and `pallet_balances`, so that a transfer's weight, measured
//! on the same machine, is the yardstick of the energy calls' (`docs/benchmarks.md`).

use crate::{AccountId, Runtime, Signature};
pub use frame_system_benchmarking::extensions::Pallet as SystemExtensionsBench;

frame_benchmarking::define_benchmarks!(
	[frame_system_extensions, SystemExtensionsBench::<Runtime>]
	[pallet_balances, Balances]
	[pallet_transaction_payment, TransactionPayment]
	[pallet_meters, Meters]
	[pallet_readings, Readings]
	[pallet_credits, Credits]
	[pallet_market, Market]
	[pallet_auction, Auction]
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

/// The auction benchmarks' traders: sr25519 keys in the benchmark's keystore, made as the
/// readings benchmarks make their oracles' (from 1,000,000 on, apart from theirs).
pub struct AuctionHelper;

impl pallet_auction::benchmarking::BenchmarkHelper<AccountId, Signature> for AuctionHelper {
	fn trader(i: u32) -> AccountId {
		pallet_readings::benchmarking::sr25519_oracle(1_000_000 + i)
	}

	fn sign(trader: &AccountId, payload: &[u8]) -> Option<Signature> {
		pallet_readings::benchmarking::sr25519_sign(trader, payload)
	}

	fn set_time(secs: u64) {
		<ReadingsHelper as pallet_readings::benchmarking::BenchmarkHelper<_, _>>::set_time(secs);
	}
}

/// Fees go to no author: nothing to set up.
impl pallet_transaction_payment::BenchmarkConfig for Runtime {}
