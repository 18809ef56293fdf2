#![doc = include_str!("../README.md")]
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod impls;
pub mod types;
pub mod weights;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

const LOG_TARGET: &str = "runtime::meters";

/// The registry: grid zones and their operators, smart meters, and the oracles authorized to
/// sign their readings.
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		pallet_prelude::*,
		traits::{BuildGenesisConfig, UnixTime},
	};
	use frame_system::pallet_prelude::*;
	use peergrid_primitives::{Baseline, MeterId, MeterKind, MeterStatus, ZoneId};

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// Who creates zones and authorizes oracles: the consortium.
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// The wall clock, to stamp a meter's registration and check its baseline.
		type UnixTime: UnixTime;
		/// The length of a settlement interval, in seconds (900: 15 minutes).
		#[pallet::constant]
		type IntervalSeconds: Get<u64>;
		/// The most meters one account may own (retired meters do not count).
		#[pallet::constant]
		type MaxMetersPerOwner: Get<u32>;
		/// The most zones one oracle may sign readings for.
		#[pallet::constant]
		type MaxZonesPerOracle: Get<u32>;
		/// Weights of the calls.
		type WeightInfo: WeightInfo;
	}

	/// The zone that `create_zone` makes next.
	#[pallet::storage]
	pub type NextZoneId<T> = StorageValue<_, ZoneId, ValueQuery>;

	/// The grid zones.
	#[pallet::storage]
	pub type Zones<T: Config> = StorageMap<_, Twox64Concat, ZoneId, Zone<T::AccountId>>;

	/// The meter that `register_meter` makes next.
	#[pallet::storage]
	pub type NextMeterId<T> = StorageValue<_, MeterId, ValueQuery>;

	/// The meters, retired ones included.
	#[pallet::storage]
	pub type Meters<T: Config> = StorageMap<_, Twox64Concat, MeterId, Meter<T::AccountId>>;

	/// Meters by their utility's identifier. An identifier stays taken after its meter retires.
	#[pallet::storage]
	pub type MeterByExternalId<T> = StorageMap<_, Blake2_128Concat, ExternalMeterId, MeterId>;

	/// The meters each account owns that are not retired.
	#[pallet::storage]
	pub type MetersByOwner<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<MeterId, T::MaxMetersPerOwner>,
		ValueQuery,
	>;

	/// The oracles: the keys authorized to sign readings, and the zones each may sign for.
	#[pallet::storage]
	pub type Oracles<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, BoundedVec<ZoneId, T::MaxZonesPerOracle>>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A zone was created.
		ZoneCreated {
			/// The new zone.
			zone: ZoneId,
			/// Its name.
			name: ZoneName,
			/// The utility that runs it.
			operator: T::AccountId,
		},
		/// A zone was handed to another operator.
		ZoneOperatorChanged {
			/// The zone.
			zone: ZoneId,
			/// Its new operator.
			operator: T::AccountId,
		},
		/// A meter was registered.
		MeterRegistered {
			/// The new meter.
			meter: MeterId,
			/// Its zone.
			zone: ZoneId,
			/// The utility's identifier of it.
			external_id: ExternalMeterId,
			/// Its owner.
			owner: T::AccountId,
			/// What it measures.
			kind: MeterKind,
			/// Its rated capacity in W.
			capacity_w: u32,
			/// Its registers at a known interval, if given.
			baseline: Option<Baseline>,
		},
		/// A meter's status changed.
		MeterStatusChanged {
			/// The meter.
			meter: MeterId,
			/// Its new status.
			status: MeterStatus,
		},
		/// A meter's owner offered it to another account, which has yet to accept.
		MeterOwnershipOffered {
			/// The meter.
			meter: MeterId,
			/// Its owner.
			from: T::AccountId,
			/// The account it is offered to.
			to: T::AccountId,
		},
		/// A meter has a new owner.
		MeterOwnershipTransferred {
			/// The meter.
			meter: MeterId,
			/// The former owner.
			from: T::AccountId,
			/// The new owner.
			to: T::AccountId,
		},
		/// An oracle was authorized for a set of zones (replacing any earlier set).
		OracleAuthorized {
			/// The oracle's key.
			oracle: T::AccountId,
			/// The zones whose meters it may sign readings for.
			zones: BoundedVec<ZoneId, T::MaxZonesPerOracle>,
		},
		/// An oracle's authorization was revoked.
		OracleRevoked {
			/// The oracle's key.
			oracle: T::AccountId,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No zone has this id.
		UnknownZone,
		/// No meter has this id.
		UnknownMeter,
		/// No oracle has this key.
		UnknownOracle,
		/// Only the zone's operator may do this.
		NotZoneOperator,
		/// Only the meter's owner may do this.
		NotMeterOwner,
		/// Another meter already has this external identifier.
		DuplicateExternalId,
		/// The owner already has the most meters allowed.
		TooManyMeters,
		/// A meter's rated capacity must be more than 0 W.
		ZeroCapacity,
		/// The meter is retired: nothing about it can change any more.
		MeterRetired,
		/// The meter already has this status.
		StatusUnchanged,
		/// The account already owns the meter.
		AlreadyOwner,
		/// The meter has not been offered to the caller.
		NoOwnershipOffer,
		/// An oracle must be authorized for at least one zone.
		NoZones,
		/// The baseline's interval has not ended yet.
		BaselineNotEnded,
		/// No more ids are left.
		Overflow,
	}

	/// A meter of the genesis config: `(zone, external id, owner, kind, capacity in W)`.
	pub type GenesisMeter<AccountId> = (ZoneId, Vec<u8>, AccountId, MeterKind, u32);

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Zones to create, as `(name, operator)`; they get ids 0, 1, ...
		pub zones: Vec<(Vec<u8>, T::AccountId)>,
		/// Meters to register, as `(zone, external id, owner, kind, capacity in W)`, without a
		/// baseline (their first readings set it); they get ids 0, 1, ...
		pub meters: Vec<GenesisMeter<T::AccountId>>,
		/// Oracles to authorize, as `(key, zones)`.
		pub oracles: Vec<(T::AccountId, Vec<ZoneId>)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			// An invalid genesis must fail the chain spec build loudly, never start a chain.
			for (name, operator) in &self.zones {
				let name = ZoneName::try_from(name.clone()).unwrap_or_else(|_| {
					panic!("genesis: zone name longer than {MAX_ZONE_NAME_LEN}")
				});
				Pallet::<T>::do_create_zone(name, operator.clone())
					.unwrap_or_else(|e| panic!("genesis: zone not created: {e:?}"));
			}
			for (zone, external_id, owner, kind, capacity_w) in &self.meters {
				let operator = Zones::<T>::get(zone)
					.unwrap_or_else(|| panic!("genesis: meter in unknown zone {zone}"))
					.operator;
				let external_id = ExternalMeterId::try_from(external_id.clone())
					.unwrap_or_else(|_| panic!("genesis: external id too long"));
				Pallet::<T>::do_register_meter(
					&operator,
					*zone,
					external_id,
					owner.clone(),
					*kind,
					*capacity_w,
					None,
					0,
				)
				.unwrap_or_else(|e| panic!("genesis: meter not registered: {e:?}"));
			}
			for (oracle, zones) in &self.oracles {
				let zones = BoundedVec::try_from(zones.clone())
					.unwrap_or_else(|_| panic!("genesis: oracle with too many zones"));
				Pallet::<T>::do_authorize_oracle(oracle.clone(), zones)
					.unwrap_or_else(|e| panic!("genesis: oracle not authorized: {e:?}"));
			}
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxMetersPerOwner::get() > 0, "an owner must be able to own a meter");
			assert!(T::MaxZonesPerOracle::get() > 0, "an oracle must be able to sign for a zone");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Create a grid zone.
		///
		/// ## Dispatch Origin
		/// The admin origin (the consortium).
		///
		/// ## Details
		/// The zone gets the next zone id. `operator` is the utility that runs the zone: it
		/// registers the zone's meters and changes their status.
		///
		/// ## Errors
		/// - `Overflow`: no zone ids left.
		///
		/// ## Events
		/// - `ZoneCreated`
		#[pallet::call_index(0)]
		pub fn create_zone(
			origin: OriginFor<T>,
			name: ZoneName,
			operator: T::AccountId,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_create_zone(name, operator).map(|_| ())
		}

		/// Hand a zone to another operator.
		///
		/// ## Dispatch Origin
		/// The admin origin (the consortium).
		///
		/// ## Errors
		/// - `UnknownZone`: no such zone.
		///
		/// ## Events
		/// - `ZoneOperatorChanged`
		#[pallet::call_index(1)]
		pub fn set_zone_operator(
			origin: OriginFor<T>,
			zone: ZoneId,
			operator: T::AccountId,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_set_zone_operator(zone, operator)
		}

		/// Register a meter in a zone.
		///
		/// ## Dispatch Origin
		/// Signed by the zone's operator.
		///
		/// ## Details
		/// `external_id` is the utility's own identifier of the meter and must be unique on the
		/// chain. `baseline`, if given, holds the meter's cumulative registers at the end of an
		/// interval that has ended: its first reading must be for a later interval and mints
		/// what was exported since. Without a baseline, the first reading sets it and mints
		/// nothing. The meter starts `Active`.
		///
		/// ## Errors
		/// - `UnknownZone`, `NotZoneOperator`, `DuplicateExternalId`, `ZeroCapacity`,
		///   `BaselineNotEnded`, `TooManyMeters` (the owner's), `Overflow`.
		///
		/// ## Events
		/// - `MeterRegistered`
		#[pallet::call_index(2)]
		pub fn register_meter(
			origin: OriginFor<T>,
			zone: ZoneId,
			external_id: ExternalMeterId,
			owner: T::AccountId,
			kind: MeterKind,
			capacity_w: u32,
			baseline: Option<Baseline>,
		) -> DispatchResult {
			let operator = ensure_signed(origin)?;
			let now = T::UnixTime::now().as_secs();
			Self::do_register_meter(
				&operator,
				zone,
				external_id,
				owner,
				kind,
				capacity_w,
				baseline,
				now,
			)
			.map(|_| ())
		}

		/// Suspend, reactivate or retire a meter.
		///
		/// ## Dispatch Origin
		/// Signed by the operator of the meter's zone.
		///
		/// ## Details
		/// A suspended meter's readings are refused until it is active again. Retiring is final:
		/// the meter keeps its record and its external id, leaves its owner's list and never
		/// changes again.
		///
		/// ## Errors
		/// - `UnknownMeter`, `NotZoneOperator`, `MeterRetired`, `StatusUnchanged`.
		///
		/// ## Events
		/// - `MeterStatusChanged`
		#[pallet::call_index(3)]
		pub fn set_meter_status(
			origin: OriginFor<T>,
			meter: MeterId,
			status: MeterStatus,
		) -> DispatchResult {
			let operator = ensure_signed(origin)?;
			Self::do_set_meter_status(&operator, meter, status)
		}

		/// Offer a meter to a new owner, who takes it with `accept_meter_ownership`.
		///
		/// ## Dispatch Origin
		/// Signed by the meter's owner.
		///
		/// ## Details
		/// Both sides agree to a transfer: the owner offers, the new owner accepts. A new offer
		/// replaces an earlier one. (The zone operator can also reassign a meter alone, with
		/// `reassign_meter`, e.g. when a tenant moves out.)
		///
		/// ## Errors
		/// - `UnknownMeter`, `NotMeterOwner`, `MeterRetired`, `AlreadyOwner`.
		///
		/// ## Events
		/// - `MeterOwnershipOffered`
		#[pallet::call_index(4)]
		pub fn offer_meter_ownership(
			origin: OriginFor<T>,
			meter: MeterId,
			to: T::AccountId,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_offer_meter_ownership(&owner, meter, to)
		}

		/// Accept a meter offered to the caller.
		///
		/// ## Dispatch Origin
		/// Signed by the account the meter was offered to.
		///
		/// ## Errors
		/// - `UnknownMeter`, `NoOwnershipOffer`, `MeterRetired`, `TooManyMeters`.
		///
		/// ## Events
		/// - `MeterOwnershipTransferred`
		#[pallet::call_index(5)]
		pub fn accept_meter_ownership(origin: OriginFor<T>, meter: MeterId) -> DispatchResult {
			let new_owner = ensure_signed(origin)?;
			Self::do_accept_meter_ownership(new_owner, meter)
		}

		/// Give a meter to a new owner without the old owner's consent.
		///
		/// ## Dispatch Origin
		/// Signed by the operator of the meter's zone, who holds the customer contracts.
		///
		/// ## Errors
		/// - `UnknownMeter`, `NotZoneOperator`, `MeterRetired`, `AlreadyOwner`, `TooManyMeters`.
		///
		/// ## Events
		/// - `MeterOwnershipTransferred`
		#[pallet::call_index(6)]
		pub fn reassign_meter(
			origin: OriginFor<T>,
			meter: MeterId,
			to: T::AccountId,
		) -> DispatchResult {
			let operator = ensure_signed(origin)?;
			Self::do_reassign_meter(&operator, meter, to)
		}

		/// Authorize an oracle key to sign readings of the meters of `zones`.
		///
		/// ## Dispatch Origin
		/// The admin origin (the consortium).
		///
		/// ## Details
		/// `oracle` is the account of the key (sr25519, ed25519 or ecdsa) that signs readings.
		/// Authorizing an oracle again replaces its zones.
		///
		/// ## Errors
		/// - `NoZones`, `UnknownZone`.
		///
		/// ## Events
		/// - `OracleAuthorized`
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::authorize_oracle(zones.len() as u32))]
		pub fn authorize_oracle(
			origin: OriginFor<T>,
			oracle: T::AccountId,
			zones: BoundedVec<ZoneId, T::MaxZonesPerOracle>,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_authorize_oracle(oracle, zones)
		}

		/// Revoke an oracle: its signatures are refused from now on.
		///
		/// ## Dispatch Origin
		/// The admin origin (the consortium).
		///
		/// ## Errors
		/// - `UnknownOracle`.
		///
		/// ## Events
		/// - `OracleRevoked`
		#[pallet::call_index(8)]
		pub fn revoke_oracle(origin: OriginFor<T>, oracle: T::AccountId) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_revoke_oracle(oracle)
		}
	}
}
