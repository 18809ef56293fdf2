//! Storage migrations of the readings.
//!
//! Version 0 kept every zone's metering totals of every settlement interval for ever
//! (`ZoneIntervals`, keyed by zone and interval): consensus state that grew by a record per zone
//! every 15 minutes. Version 1 keeps the most recent `HistoryIntervals` of each zone only
//! (`RecentIntervals`, a window of slots); the rest of the history is in the `ReadingAccepted`
//! events. [`v1::RecentIntervalsOnly`] moves the totals of intervals in the window into it and
//! removes all the others, a bounded number per block: a multi-block migration
//! (`pallet-migrations`), during which the chain takes no transactions.

use crate::{pallet::*, IntervalMetering};
use frame_support::{
	migrations::{MigrationId, SteppedMigration, SteppedMigrationError},
	pallet_prelude::*,
	storage_alias,
	traits::UnixTime,
	weights::WeightMeter,
};
use peergrid_primitives::{
	window::{drain_metered, Windowed},
	IntervalIndex, ZoneId,
};

/// Version 0 to 1.
pub mod v1 {
	use super::*;

	/// Version 0's totals of every interval of every zone.
	#[storage_alias]
	pub type ZoneIntervals<T: Config> = StorageDoubleMap<
		Pallet<T>,
		Twox64Concat,
		ZoneId,
		Twox64Concat,
		IntervalIndex,
		IntervalMetering,
	>;

	/// Moves the totals of the intervals of the window into `RecentIntervals` and removes the
	/// others; then sets the storage version to 1. A chain already at version 1 is left as it is.
	pub struct RecentIntervalsOnly<T>(PhantomData<T>);

	impl<T: Config> RecentIntervalsOnly<T> {
		/// What one old record costs: read and removed, and its slot read and written.
		pub fn weight_per_record() -> Weight {
			T::DbWeight::get().reads_writes(2, 2)
		}

		/// The latest interval, by the chain's clock: the window's end when the migration
		/// starts, kept in its cursor (the clock moves on while it runs).
		fn latest() -> IntervalIndex {
			T::UnixTime::now().as_secs() / T::IntervalSeconds::get().max(1)
		}
	}

	impl<T: Config> SteppedMigration for RecentIntervalsOnly<T> {
		/// The window's latest interval.
		type Cursor = IntervalIndex;
		type Identifier = MigrationId<11>;

		fn id() -> Self::Identifier {
			MigrationId { pallet_id: *b"pg-readings", version_from: 0, version_to: 1 }
		}

		fn step(
			cursor: Option<IntervalIndex>,
			meter: &mut WeightMeter,
		) -> Result<Option<IntervalIndex>, SteppedMigrationError> {
			if Pallet::<T>::on_chain_storage_version() >= 1 {
				return Ok(None);
			}
			let per_record = Self::weight_per_record();
			if meter.remaining().any_lt(per_record) {
				return Err(SteppedMigrationError::InsufficientWeight { required: per_record });
			}
			let (window, latest) =
				(T::HistoryIntervals::get(), cursor.unwrap_or_else(Self::latest));
			let mut records = ZoneIntervals::<T>::drain();
			// Intervals of the window have slots of their own: each is written once.
			let done = drain_metered(&mut records, meter, per_record, |(zone, interval, value)| {
				if let Some(slot) = Windowed::<()>::kept_slot(interval, latest, window) {
					RecentIntervals::<T>::insert(zone, slot, Windowed { interval, value });
				}
			});
			if !done {
				return Ok(Some(latest));
			}
			StorageVersion::new(1).put::<Pallet<T>>();
			Ok(None)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
			use codec::Encode;
			// How many records the window keeps, if this chain is to be migrated. (The first step
			// runs in this block: its window ends at the same interval.)
			let (window, latest) = (T::HistoryIntervals::get(), Self::latest());
			let kept = ZoneIntervals::<T>::iter_keys()
				.filter(|(_, interval)| {
					Windowed::<()>::kept_slot(*interval, latest, window).is_some()
				})
				.count() as u64;
			let migrates = Pallet::<T>::on_chain_storage_version() < 1;
			Ok((migrates, kept).encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			use codec::Decode;
			let (migrates, kept) = <(bool, u64)>::decode(&mut &state[..])
				.map_err(|_| "the pre-upgrade state does not decode")?;
			ensure!(ZoneIntervals::<T>::iter().next().is_none(), "old totals are left");
			ensure!(Pallet::<T>::on_chain_storage_version() == 1, "the version is not 1");
			if migrates {
				let moved = RecentIntervals::<T>::iter().count() as u64;
				ensure!(moved == kept, "the window's totals were not all moved");
			}
			Pallet::<T>::do_try_state()
		}
	}
}
