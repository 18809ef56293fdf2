//! Benchmarks of the registry's calls, each at its worst case: the longest names and lists,
//! and owners that hold as many meters as they may.

use crate::{pallet::*, types::*};
use alloc::vec;
use frame_benchmarking::v2::*;
use frame_support::{pallet_prelude::*, traits::EnsureOrigin};
use frame_system::RawOrigin;
use peergrid_primitives::{MeterId, MeterKind, MeterRegistry, MeterStatus, ZoneId};

/// A zone run by `operator`.
fn zone<T: Config>(operator: &T::AccountId) -> Result<ZoneId, BenchmarkError> {
	Ok(Pallet::<T>::bench_zone(operator)?)
}

/// Registers meters of `owner` in `zone` until `owner` has `count`; returns the last one.
fn meters_of<T: Config>(
	zone: ZoneId,
	owner: &T::AccountId,
	count: u32,
) -> Result<MeterId, BenchmarkError> {
	let mut last = Err(BenchmarkError::Weightless);
	for _ in MetersByOwner::<T>::decode_len(owner).unwrap_or(0) as u32..count {
		last = Ok(Pallet::<T>::bench_meter(zone, owner, MeterKind::Bidirectional, 10_000, None)?);
	}
	last
}

/// The admin origin, if the runtime has one that benchmarks can produce.
fn admin<T: Config>() -> Result<T::RuntimeOrigin, BenchmarkError> {
	T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn create_zone() -> Result<(), BenchmarkError> {
		let origin = admin::<T>()?;
		let operator: T::AccountId = account("operator", 0, 0);
		let name = ZoneName::truncate_from(vec![b'z'; MAX_ZONE_NAME_LEN as usize]);
		let zone = NextZoneId::<T>::get();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, name, operator.clone());

		assert_eq!(Pallet::<T>::zone_operator(zone), Some(operator));
		Ok(())
	}

	#[benchmark]
	fn set_zone_operator() -> Result<(), BenchmarkError> {
		let origin = admin::<T>()?;
		let zone = zone::<T>(&account("operator", 0, 0))?;
		let operator: T::AccountId = account("operator", 1, 0);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, zone, operator.clone());

		assert_eq!(Pallet::<T>::zone_operator(zone), Some(operator));
		Ok(())
	}

	/// The owner already has all but one of the meters it may have.
	#[benchmark]
	fn register_meter() -> Result<(), BenchmarkError> {
		let operator: T::AccountId = whitelisted_caller();
		let zone = zone::<T>(&operator)?;
		let owner: T::AccountId = account("owner", 0, 0);
		let most = T::MaxMetersPerOwner::get();
		if most > 1 {
			meters_of::<T>(zone, &owner, most - 1)?;
		}
		let external_id = ExternalMeterId::truncate_from(vec![b'm'; MAX_EXTERNAL_ID_LEN as usize]);
		let meter = NextMeterId::<T>::get();

		#[extrinsic_call]
		_(
			RawOrigin::Signed(operator),
			zone,
			external_id,
			owner,
			MeterKind::Bidirectional,
			10_000,
			None,
		);

		assert!(Meters::<T>::contains_key(meter));
		Ok(())
	}

	/// Retiring: the meter leaves a full owner's list.
	#[benchmark]
	fn set_meter_status() -> Result<(), BenchmarkError> {
		let operator: T::AccountId = whitelisted_caller();
		let zone = zone::<T>(&operator)?;
		let owner: T::AccountId = account("owner", 0, 0);
		let meter = meters_of::<T>(zone, &owner, T::MaxMetersPerOwner::get())?;

		#[extrinsic_call]
		_(RawOrigin::Signed(operator), meter, MeterStatus::Retired);

		assert_eq!(Meters::<T>::get(meter).map(|m| m.status), Some(MeterStatus::Retired));
		Ok(())
	}

	#[benchmark]
	fn offer_meter_ownership() -> Result<(), BenchmarkError> {
		let owner: T::AccountId = whitelisted_caller();
		let zone = zone::<T>(&account("operator", 0, 0))?;
		let meter = meters_of::<T>(zone, &owner, 1)?;
		let to: T::AccountId = account("buyer", 0, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), meter, to.clone());

		assert_eq!(Meters::<T>::get(meter).and_then(|m| m.offered_to), Some(to));
		Ok(())
	}

	/// The meter leaves a full list for a list one short of full.
	#[benchmark]
	fn accept_meter_ownership() -> Result<(), BenchmarkError> {
		let zone = zone::<T>(&account("operator", 0, 0))?;
		let owner: T::AccountId = account("owner", 0, 0);
		let new_owner: T::AccountId = whitelisted_caller();
		let most = T::MaxMetersPerOwner::get();
		let meter = meters_of::<T>(zone, &owner, most)?;
		if most > 1 {
			meters_of::<T>(zone, &new_owner, most - 1)?;
		}
		Pallet::<T>::offer_meter_ownership(
			RawOrigin::Signed(owner).into(),
			meter,
			new_owner.clone(),
		)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(new_owner.clone()), meter);

		assert_eq!(Meters::<T>::get(meter).map(|m| m.owner), Some(new_owner));
		Ok(())
	}

	/// As `accept_meter_ownership`, by the zone's operator.
	#[benchmark]
	fn reassign_meter() -> Result<(), BenchmarkError> {
		let operator: T::AccountId = whitelisted_caller();
		let zone = zone::<T>(&operator)?;
		let owner: T::AccountId = account("owner", 0, 0);
		let to: T::AccountId = account("owner", 1, 0);
		let most = T::MaxMetersPerOwner::get();
		let meter = meters_of::<T>(zone, &owner, most)?;
		if most > 1 {
			meters_of::<T>(zone, &to, most - 1)?;
		}

		#[extrinsic_call]
		_(RawOrigin::Signed(operator), meter, to.clone());

		assert_eq!(Meters::<T>::get(meter).map(|m| m.owner), Some(to));
		Ok(())
	}

	/// `z` zones, each checked to exist.
	#[benchmark]
	fn authorize_oracle(
		z: Linear<1, { T::MaxZonesPerOracle::get() }>,
	) -> Result<(), BenchmarkError> {
		let origin = admin::<T>()?;
		let operator: T::AccountId = account("operator", 0, 0);
		let mut zones = vec![];
		for _ in 0..z {
			zones.push(zone::<T>(&operator)?);
		}
		let zones = BoundedVec::truncate_from(zones);
		let oracle: T::AccountId = account("oracle", 0, 0);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, oracle.clone(), zones);

		assert_eq!(Oracles::<T>::decode_len(&oracle), Some(z as usize));
		Ok(())
	}

	/// An oracle of as many zones as it may have.
	#[benchmark]
	fn revoke_oracle() -> Result<(), BenchmarkError> {
		let origin = admin::<T>()?;
		let operator: T::AccountId = account("operator", 0, 0);
		let mut zones = vec![];
		for _ in 0..T::MaxZonesPerOracle::get() {
			zones.push(zone::<T>(&operator)?);
		}
		let oracle: T::AccountId = account("oracle", 0, 0);
		Pallet::<T>::bench_oracle(&oracle, &zones)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, oracle.clone());

		assert!(!Oracles::<T>::contains_key(&oracle));
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::genesis_ext(), crate::mock::Test);
}
