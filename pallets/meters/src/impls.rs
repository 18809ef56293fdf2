//! The logic behind the calls, and the registry as other pallets see it.

use crate::{pallet::*, types::*, LOG_TARGET};
use frame_support::{ensure, pallet_prelude::*};
use peergrid_primitives::{
	interval_end, Baseline, MeterId, MeterKind, MeterRegistry, MeterStatus, MeterView, ZoneId,
};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_create_zone(
		name: ZoneName,
		operator: T::AccountId,
	) -> Result<ZoneId, DispatchError> {
		let zone = NextZoneId::<T>::get();
		let next = zone.checked_add(1).ok_or(Error::<T>::Overflow)?;
		Zones::<T>::insert(zone, Zone { name: name.clone(), operator: operator.clone() });
		NextZoneId::<T>::put(next);
		log::debug!(target: LOG_TARGET, "zone {zone} created");
		Self::deposit_event(Event::ZoneCreated { zone, name, operator });
		Ok(zone)
	}

	pub(crate) fn do_set_zone_operator(zone: ZoneId, operator: T::AccountId) -> DispatchResult {
		Zones::<T>::try_mutate(zone, |z| {
			let z = z.as_mut().ok_or(Error::<T>::UnknownZone)?;
			z.operator = operator.clone();
			Ok::<_, DispatchError>(())
		})?;
		Self::deposit_event(Event::ZoneOperatorChanged { zone, operator });
		Ok(())
	}

	/// The zone's record, if `who` operates it.
	fn operated_zone(
		who: &T::AccountId,
		zone: ZoneId,
	) -> Result<Zone<T::AccountId>, DispatchError> {
		let record = Zones::<T>::get(zone).ok_or(Error::<T>::UnknownZone)?;
		ensure!(&record.operator == who, Error::<T>::NotZoneOperator);
		Ok(record)
	}

	/// The meter's record, if it is not retired and `who` operates its zone.
	fn operated_meter(
		who: &T::AccountId,
		meter: MeterId,
	) -> Result<Meter<T::AccountId>, DispatchError> {
		let record = Meters::<T>::get(meter).ok_or(Error::<T>::UnknownMeter)?;
		Self::operated_zone(who, record.zone)?;
		ensure!(record.status != MeterStatus::Retired, Error::<T>::MeterRetired);
		Ok(record)
	}

	/// Registers a meter at `now` (seconds since the Unix epoch; 0 in the genesis block).
	#[allow(clippy::too_many_arguments)]
	pub(crate) fn do_register_meter(
		operator: &T::AccountId,
		zone: ZoneId,
		external_id: ExternalMeterId,
		owner: T::AccountId,
		kind: MeterKind,
		capacity_w: u32,
		baseline: Option<Baseline>,
		now: u64,
	) -> Result<MeterId, DispatchError> {
		Self::operated_zone(operator, zone)?;
		ensure!(capacity_w > 0, Error::<T>::ZeroCapacity);
		if let Some(b) = baseline {
			let end = interval_end(b.interval, T::IntervalSeconds::get());
			ensure!(end.is_some_and(|end| end <= now), Error::<T>::BaselineNotEnded);
		}
		ensure!(
			!MeterByExternalId::<T>::contains_key(&external_id),
			Error::<T>::DuplicateExternalId
		);
		let meter = NextMeterId::<T>::get();
		let next = meter.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let mut owned = MetersByOwner::<T>::get(&owner);
		owned.try_push(meter).map_err(|_| Error::<T>::TooManyMeters)?;

		MetersByOwner::<T>::insert(&owner, owned);
		MeterByExternalId::<T>::insert(&external_id, meter);
		Meters::<T>::insert(
			meter,
			Meter {
				external_id: external_id.clone(),
				owner: owner.clone(),
				zone,
				kind,
				capacity_w,
				status: MeterStatus::Active,
				baseline,
				registered_at: now,
				offered_to: None,
			},
		);
		NextMeterId::<T>::put(next);
		Self::deposit_event(Event::MeterRegistered {
			meter,
			zone,
			external_id,
			owner,
			kind,
			capacity_w,
			baseline,
		});
		Ok(meter)
	}

	pub(crate) fn do_set_meter_status(
		operator: &T::AccountId,
		meter: MeterId,
		status: MeterStatus,
	) -> DispatchResult {
		let mut record = Self::operated_meter(operator, meter)?;
		ensure!(record.status != status, Error::<T>::StatusUnchanged);
		if status == MeterStatus::Retired {
			Self::unlist(&record.owner, meter);
			record.offered_to = None;
		}
		record.status = status;
		Meters::<T>::insert(meter, record);
		Self::deposit_event(Event::MeterStatusChanged { meter, status });
		Ok(())
	}

	pub(crate) fn do_offer_meter_ownership(
		owner: &T::AccountId,
		meter: MeterId,
		to: T::AccountId,
	) -> DispatchResult {
		let mut record = Meters::<T>::get(meter).ok_or(Error::<T>::UnknownMeter)?;
		ensure!(&record.owner == owner, Error::<T>::NotMeterOwner);
		ensure!(record.status != MeterStatus::Retired, Error::<T>::MeterRetired);
		ensure!(&to != owner, Error::<T>::AlreadyOwner);
		record.offered_to = Some(to.clone());
		Meters::<T>::insert(meter, record);
		Self::deposit_event(Event::MeterOwnershipOffered { meter, from: owner.clone(), to });
		Ok(())
	}

	pub(crate) fn do_accept_meter_ownership(
		new_owner: T::AccountId,
		meter: MeterId,
	) -> DispatchResult {
		let record = Meters::<T>::get(meter).ok_or(Error::<T>::UnknownMeter)?;
		ensure!(record.offered_to.as_ref() == Some(&new_owner), Error::<T>::NoOwnershipOffer);
		ensure!(record.status != MeterStatus::Retired, Error::<T>::MeterRetired);
		Self::transfer_ownership(record, meter, new_owner)
	}

	pub(crate) fn do_reassign_meter(
		operator: &T::AccountId,
		meter: MeterId,
		to: T::AccountId,
	) -> DispatchResult {
		let record = Self::operated_meter(operator, meter)?;
		ensure!(record.owner != to, Error::<T>::AlreadyOwner);
		Self::transfer_ownership(record, meter, to)
	}

	/// Moves `meter` from its owner's list to `to`'s, and clears any offer.
	fn transfer_ownership(
		mut record: Meter<T::AccountId>,
		meter: MeterId,
		to: T::AccountId,
	) -> DispatchResult {
		let mut owned = MetersByOwner::<T>::get(&to);
		owned.try_push(meter).map_err(|_| Error::<T>::TooManyMeters)?;
		let from = core::mem::replace(&mut record.owner, to.clone());
		Self::unlist(&from, meter);
		MetersByOwner::<T>::insert(&to, owned);
		record.offered_to = None;
		Meters::<T>::insert(meter, record);
		Self::deposit_event(Event::MeterOwnershipTransferred { meter, from, to });
		Ok(())
	}

	/// Takes `meter` off `owner`'s list, removing the list when it empties.
	fn unlist(owner: &T::AccountId, meter: MeterId) {
		MetersByOwner::<T>::mutate_exists(owner, |owned| {
			if let Some(list) = owned {
				list.retain(|m| *m != meter);
				if list.is_empty() {
					*owned = None;
				}
			}
		});
	}

	pub(crate) fn do_authorize_oracle(
		oracle: T::AccountId,
		zones: BoundedVec<ZoneId, T::MaxZonesPerOracle>,
	) -> DispatchResult {
		ensure!(!zones.is_empty(), Error::<T>::NoZones);
		for zone in zones.iter() {
			ensure!(Zones::<T>::contains_key(zone), Error::<T>::UnknownZone);
		}
		let mut zones = zones.into_inner();
		zones.sort();
		zones.dedup();
		// Sorting and de-duplicating never lengthens the list.
		let zones = BoundedVec::<ZoneId, T::MaxZonesPerOracle>::truncate_from(zones);
		Oracles::<T>::insert(&oracle, zones.clone());
		Self::deposit_event(Event::OracleAuthorized { oracle, zones });
		Ok(())
	}

	pub(crate) fn do_revoke_oracle(oracle: T::AccountId) -> DispatchResult {
		ensure!(Oracles::<T>::take(&oracle).is_some(), Error::<T>::UnknownOracle);
		Self::deposit_event(Event::OracleRevoked { oracle });
		Ok(())
	}

	/// The registry's invariants: the owner index and the external-id index agree with the
	/// meters, and every zone referred to exists.
	#[cfg(any(feature = "try-runtime", test))]
	pub(crate) fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let mut indexed = 0usize;
		for (owner, list) in MetersByOwner::<T>::iter() {
			ensure!(!list.is_empty(), "an empty owner list is stored");
			for meter in list {
				let record = Meters::<T>::get(meter).ok_or("owner list names an unknown meter")?;
				ensure!(record.owner == owner, "owner list disagrees with the meter's owner");
				ensure!(record.status != MeterStatus::Retired, "a retired meter is listed");
				indexed += 1;
			}
		}
		let mut live = 0usize;
		for (id, record) in Meters::<T>::iter() {
			ensure!(id < NextMeterId::<T>::get(), "a meter id is not below NextMeterId");
			ensure!(Zones::<T>::contains_key(record.zone), "a meter is in an unknown zone");
			ensure!(
				MeterByExternalId::<T>::get(&record.external_id) == Some(id),
				"the external-id index misses a meter"
			);
			if record.status != MeterStatus::Retired {
				live += 1;
			}
		}
		ensure!(indexed == live, "owner lists and live meters differ");
		for (_, zones) in Oracles::<T>::iter() {
			ensure!(zones.iter().all(Zones::<T>::contains_key), "an oracle has an unknown zone");
		}
		Ok(())
	}
}

impl<T: Config> MeterRegistry<T::AccountId> for Pallet<T> {
	fn meter(meter: MeterId) -> Option<MeterView<T::AccountId>> {
		Meters::<T>::get(meter).map(|m| MeterView {
			owner: m.owner,
			zone: m.zone,
			kind: m.kind,
			status: m.status,
			capacity_w: m.capacity_w,
			baseline: m.baseline,
		})
	}

	fn oracle_may_sign(oracle: &T::AccountId, zone: ZoneId) -> Option<bool> {
		Oracles::<T>::get(oracle).map(|zones| zones.binary_search(&zone).is_ok())
	}

	fn zone_operator(zone: ZoneId) -> Option<T::AccountId> {
		Zones::<T>::get(zone).map(|z| z.operator)
	}

	fn has_active_meter_in(who: &T::AccountId, zone: ZoneId) -> (bool, u32) {
		let mut read = 0u32;
		let found = MetersByOwner::<T>::get(who).iter().any(|id| {
			read = read.saturating_add(1);
			Meters::<T>::get(id).is_some_and(|m| m.zone == zone && m.status == MeterStatus::Active)
		});
		(found, read)
	}

	fn max_meters_per_owner() -> u32 {
		T::MaxMetersPerOwner::get()
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn bench_zone(operator: &T::AccountId) -> Result<ZoneId, DispatchError> {
		Self::do_create_zone(ZoneName::default(), operator.clone())
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn bench_meter(
		zone: ZoneId,
		owner: &T::AccountId,
		kind: MeterKind,
		capacity_w: u32,
		baseline: Option<Baseline>,
	) -> Result<MeterId, DispatchError> {
		use codec::Encode;
		let operator = Self::zone_operator(zone).ok_or(Error::<T>::UnknownZone)?;
		let id = NextMeterId::<T>::get();
		let external_id = ExternalMeterId::truncate_from(id.encode());
		let now = baseline
			.and_then(|b| interval_end(b.interval, T::IntervalSeconds::get()))
			.unwrap_or_default();
		Self::do_register_meter(
			&operator,
			zone,
			external_id,
			owner.clone(),
			kind,
			capacity_w,
			baseline,
			now,
		)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn bench_oracle(oracle: &T::AccountId, zones: &[ZoneId]) -> DispatchResult {
		let zones = BoundedVec::try_from(zones.to_vec()).map_err(|_| Error::<T>::NoZones)?;
		Self::do_authorize_oracle(oracle.clone(), zones)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn bench_max_zones_per_oracle() -> u32 {
		T::MaxZonesPerOracle::get()
	}
}
