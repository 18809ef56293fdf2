//! Benchmarks of the readings: a batch of `n` readings, in the block and in the pool, at its
//! worst case: every reading accepted, each of a different meter and owner (so that each
//! writes a credit account of its own), each meter with a previous reading. Readings signed one by
//! one each have a different zone and oracle, each oracle signing for as many zones as it may;
//! a batch signed as a whole has one oracle, which signs for as many zones as it may.

use crate::{pallet::*, MeterState, Reading, SignedReading};
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::{pallet_prelude::*, traits::fungible::Mutate};
use frame_system::RawOrigin;
use peergrid_primitives::{interval_end, MeterKind, MeterRegistry, Registers};
use sp_runtime::{AccountId32, MultiSignature};

/// What the readings benchmarks need of the runtime.
pub trait BenchmarkHelper<AccountId, Signature> {
	/// The `i`-th oracle's key, made in the benchmark's keystore.
	fn oracle(i: u32) -> AccountId;
	/// `oracle`'s signature of `payload`; `None` if the keystore lacks its key.
	fn sign(oracle: &AccountId, payload: &[u8]) -> Option<Signature>;
	/// Sets the wall clock to `secs` since the Unix epoch.
	fn set_time(secs: u64);
}

/// The key type of the benchmarks' oracle keys.
const ORACLE_KEYS: sp_core::crypto::KeyTypeId = sp_core::crypto::KeyTypeId(*b"orcl");

/// The `i`-th sr25519 oracle key, made in the keystore from the dev seed `//oracle/i`.
pub fn sr25519_oracle(i: u32) -> AccountId32 {
	let seed = alloc::format!("//oracle/{i}").into_bytes();
	sp_io::crypto::sr25519_generate(ORACLE_KEYS, Some(seed)).into()
}

/// `oracle`'s sr25519 signature of `payload`, by the keystore.
pub fn sr25519_sign(oracle: &AccountId32, payload: &[u8]) -> Option<MultiSignature> {
	let public = sp_core::sr25519::Public::from_raw(oracle.clone().into());
	sp_io::crypto::sr25519_sign(ORACLE_KEYS, &public, payload).map(Into::into)
}

/// 2026-01-01T00:00:00Z: the readings close the interval that starts then.
const T0: u64 = 1_767_225_600;

/// `n` signed readings at their worst case, and the clock set for them.
fn batch<T: Config>(n: u32) -> Result<Vec<SignedReadingOf<T>>, BenchmarkError> {
	let length = T::IntervalSeconds::get();
	let interval = T0 / length;
	let end = interval_end(interval, length).ok_or(BenchmarkError::Weightless)?;
	T::BenchmarkHelper::set_time(end);
	let genesis = Pallet::<T>::genesis_hash();
	let zones_per_oracle = T::Meters::bench_max_zones_per_oracle();

	let operator: T::AccountId = account("operator", 0, 0);
	let mut zones = Vec::with_capacity(n as usize);
	for _ in 0..n.max(zones_per_oracle) {
		zones.push(T::Meters::bench_zone(&operator)?);
	}
	let mut readings = Vec::with_capacity(n as usize);
	for i in 0..n {
		let owner: T::AccountId = account("owner", i, 0);
		let zone = zones[i as usize];
		let meter = T::Meters::bench_meter(zone, &owner, MeterKind::Bidirectional, 10_000, None)?;
		let last = Registers { imported_wh: 1_000, exported_wh: 1_000 };
		MeterStates::<T>::insert(
			meter,
			MeterState {
				last_interval: interval - 1,
				registers: last,
				readings: 1,
				..Default::default()
			},
		);
		T::Credits::mint_into(&owner, 1)?;
		let oracle = T::BenchmarkHelper::oracle(i);
		// Its zone and the next ones: as many as an oracle may sign for.
		let signs_for: Vec<_> =
			(0..zones_per_oracle).map(|k| zones[((i + k) as usize) % zones.len()]).collect();
		T::Meters::bench_oracle(&oracle, &signs_for)?;
		let reading = Reading { meter, interval, imported_wh: 2_000, exported_wh: 2_000 };
		let payload = crate::signing_payload(&genesis, &reading);
		let signature =
			T::BenchmarkHelper::sign(&oracle, &payload).ok_or(BenchmarkError::Weightless)?;
		readings.push(SignedReading { reading, oracle, signature });
	}
	Ok(readings)
}

/// A batch signed as a whole: the oracle, the readings, the signature.
type SignedBatch<T> =
	(<T as frame_system::Config>::AccountId, ReadingsOf<T>, <T as Config>::Signature);

/// `n` readings at their worst case for a batch one oracle signs as a whole, the oracle, and
/// its signature of the batch. The oracle signs for as many zones as it may; the readings
/// spread over them, each of its own meter and owner.
fn signed_batch<T: Config>(n: u32) -> Result<SignedBatch<T>, BenchmarkError> {
	let length = T::IntervalSeconds::get();
	let latest = T0 / length;
	let end = interval_end(latest, length).ok_or(BenchmarkError::Weightless)?;
	T::BenchmarkHelper::set_time(end);
	let operator: T::AccountId = account("operator", 0, 0);
	let mut zones = Vec::new();
	for _ in 0..T::Meters::bench_max_zones_per_oracle() {
		zones.push(T::Meters::bench_zone(&operator)?);
	}
	let oracle = T::BenchmarkHelper::oracle(0);
	T::Meters::bench_oracle(&oracle, &zones)?;
	let spread = zones.len() as u32;
	let mut readings = Vec::with_capacity(n as usize);
	for i in 0..n {
		let owner: T::AccountId = account("owner", i, 0);
		let zone = zones[(i % spread) as usize];
		let meter = T::Meters::bench_meter(zone, &owner, MeterKind::Bidirectional, 10_000, None)?;
		let interval = latest - u64::from(i / spread);
		let last = Registers { imported_wh: 1_000, exported_wh: 1_000 };
		let state = MeterState {
			last_interval: latest - u64::from(n),
			registers: last,
			readings: 1,
			..Default::default()
		};
		MeterStates::<T>::insert(meter, state);
		T::Credits::mint_into(&owner, 1)?;
		readings.push(Reading { meter, interval, imported_wh: 2_000, exported_wh: 2_000 });
	}
	let payload = crate::batch_signing_payload(&Pallet::<T>::genesis_hash(), &readings);
	let signature =
		T::BenchmarkHelper::sign(&oracle, &payload).ok_or(BenchmarkError::Weightless)?;
	Ok((oracle, BoundedVec::truncate_from(readings), signature))
}

/// Each of `readings` was accepted.
fn all_accepted<T: Config>(readings: &[Reading]) {
	for reading in readings {
		let state = MeterStates::<T>::get(reading.meter).unwrap_or_default();
		assert_eq!(state.last_interval, reading.interval, "reading not accepted");
	}
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn submit_readings(n: Linear<1, { T::MaxBatchSize::get() }>) -> Result<(), BenchmarkError> {
		let readings = batch::<T>(n)?;
		let relayer: T::AccountId = whitelisted_caller();
		let bounded = BoundedVec::truncate_from(readings.clone());

		#[extrinsic_call]
		_(RawOrigin::Signed(relayer), bounded);

		all_accepted::<T>(&readings.iter().map(|s| s.reading).collect::<Vec<_>>());
		Ok(())
	}

	/// The transaction pool's check of a batch of `n` readings.
	#[benchmark]
	fn authorize_readings(n: Linear<1, { T::MaxBatchSize::get() }>) -> Result<(), BenchmarkError> {
		let readings = BoundedVec::truncate_from(batch::<T>(n)?);
		let validity;

		#[block]
		{
			validity = Pallet::<T>::authorize_batch(TransactionSource::External, &readings);
		}

		let (valid, _) = validity.map_err(|_| BenchmarkError::Stop("batch refused"))?;
		assert_eq!(valid.provides.len(), n as usize);
		Ok(())
	}

	#[benchmark]
	fn submit_batch(n: Linear<1, { T::MaxBatchSize::get() }>) -> Result<(), BenchmarkError> {
		let (oracle, readings, signature) = signed_batch::<T>(n)?;
		let relayer: T::AccountId = whitelisted_caller();
		let submitted = readings.clone();

		#[extrinsic_call]
		_(RawOrigin::Signed(relayer), oracle, submitted, signature);

		all_accepted::<T>(&readings);
		Ok(())
	}

	/// The transaction pool's check of a batch of `n` readings signed as a whole.
	#[benchmark]
	fn authorize_submit_batch(
		n: Linear<1, { T::MaxBatchSize::get() }>,
	) -> Result<(), BenchmarkError> {
		let (oracle, readings, signature) = signed_batch::<T>(n)?;
		let validity;

		#[block]
		{
			validity = Pallet::<T>::authorize_signed_batch(
				TransactionSource::External,
				&oracle,
				&readings,
				&signature,
			);
		}

		let (valid, _) = validity.map_err(|_| BenchmarkError::Stop("batch refused"))?;
		assert_eq!(valid.provides.len(), n as usize);
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::bench_ext(), crate::mock::Test);
}
