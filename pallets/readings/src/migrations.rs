//! Storage migrations of the readings.
//!
//! Version 0 kept every zone's metering totals of every settlement interval for ever
//! (`ZoneIntervals`); version 1 kept those of the most recent intervals only
//! (`RecentIntervals`). Version 2 keeps none: the totals are history, which the
//! `ReadingAccepted` events carry and an indexer serves (docs/indexer.md), and writing them cost
//! every reading a database read and write. [`v2::NoZoneTotals`] removes both maps from a chain
//! at version 0 or 1, a bounded number of records per block: a multi-block migration
//! (`pallet-migrations`), during which the chain takes no transactions.

use crate::pallet::*;
use frame_support::{
	migrations::{MigrationId, SteppedMigration, SteppedMigrationError},
	pallet_prelude::*,
	storage_alias,
	weights::WeightMeter,
};
use peergrid_primitives::{
	migration::{drain_in_turn, drain_metered, removal_weights, Drain},
	IntervalIndex, ZoneId,
};

/// Versions 0 and 1 to 2.
pub mod v2 {
	use super::*;

	/// Version 0's totals of every interval of every zone (values removed unread).
	#[storage_alias]
	pub type ZoneIntervals<T: Config> =
		StorageDoubleMap<Pallet<T>, Twox64Concat, ZoneId, Twox64Concat, IntervalIndex, ()>;

	/// Version 1's totals of each zone's most recent intervals, by slot (values removed unread).
	#[storage_alias]
	pub type RecentIntervals<T: Config> =
		StorageDoubleMap<Pallet<T>, Twox64Concat, ZoneId, Twox64Concat, u32, ()>;

	/// Removes every zone total of versions 0 and 1, then sets the storage version to 2. A
	/// chain already at version 2 is left as it is.
	pub struct NoZoneTotals<T>(PhantomData<T>);

	impl<T: Config> NoZoneTotals<T> {
		/// How many records are left.
		#[cfg(any(feature = "try-runtime", test))]
		pub fn left() -> usize {
			ZoneIntervals::<T>::iter_keys().count() + RecentIntervals::<T>::iter_keys().count()
		}
	}

	impl<T: Config> SteppedMigration for NoZoneTotals<T> {
		/// The map being removed: 0 for `ZoneIntervals`, 1 for `RecentIntervals`.
		type Cursor = u8;
		type Identifier = MigrationId<11>;

		/// From version 1, as every chain since spec 103 is; it takes a chain at version 0
		/// too (`pallet-migrations` keeps the id only to run a migration once).
		fn id() -> Self::Identifier {
			MigrationId { pallet_id: *b"pg-readings", version_from: 1, version_to: 2 }
		}

		fn step(
			cursor: Option<u8>,
			meter: &mut WeightMeter,
		) -> Result<Option<u8>, SteppedMigrationError> {
			let (per_record, per_step) = removal_weights(T::DbWeight::get());
			let required = per_record.saturating_add(per_step);
			if meter.remaining().any_lt(required) {
				return Err(SteppedMigrationError::InsufficientWeight { required });
			}
			meter.consume(per_step);
			if Pallet::<T>::on_chain_storage_version() >= 2 {
				return Ok(None);
			}
			let drains: [Drain; 2] = [
				|meter, per| drain_metered(&mut ZoneIntervals::<T>::drain(), meter, per, drop),
				|meter, per| drain_metered(&mut RecentIntervals::<T>::drain(), meter, per, drop),
			];
			let next = drain_in_turn(&drains, cursor.unwrap_or_default(), meter, per_record);
			if next.is_none() {
				StorageVersion::new(2).put::<Pallet<T>>();
			}
			Ok(next)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
			use codec::Encode;
			Ok((Self::left() as u64).encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			use codec::Decode;
			let before = u64::decode(&mut &state[..])
				.map_err(|_| "the pre-upgrade state does not decode")?;
			log::info!(target: crate::LOG_TARGET, "{before} zone totals removed");
			ensure!(Self::left() == 0, "zone totals are left");
			ensure!(Pallet::<T>::on_chain_storage_version() == 2, "the version is not 2");
			Pallet::<T>::do_try_state()
		}
	}
}
