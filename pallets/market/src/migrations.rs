//! Storage migrations of the market.
//!
//! Version 0 kept what each zone traded in every settlement interval for ever
//! (`ZoneIntervalTrading`), kept the trading of every account that ever traded, reaped or not
//! (`TradedBy`), and failed a whole trade when its grid fee could not be paid to the zone
//! operator. Version 1 keeps the trading of the most recent `HistoryIntervals` only
//! (`RecentIntervalTrading`), the trading of accounts that exist only, and keeps unpayable fees
//! in the market's own account, which must exist. [`v1::BoundedHistory`] does all three, a
//! bounded amount per block: a multi-block migration (`pallet-migrations`), during which the
//! chain takes no transactions.

use crate::{pallet::*, IntervalTrading};
use codec::{Decode, Encode, MaxEncodedLen};
use frame_support::{
	migrations::{MigrationId, SteppedMigration, SteppedMigrationError},
	pallet_prelude::*,
	storage_alias,
	traits::UnixTime,
	weights::WeightMeter,
};
use peergrid_primitives::{
	window::{drain_metered, keys_metered, RawKey, Windowed},
	IntervalIndex, ZoneId,
};

/// Version 0 to 1.
pub mod v1 {
	use super::*;

	/// Version 0's trading of every interval of every zone.
	#[storage_alias]
	pub type ZoneIntervalTrading<T: Config> = StorageDoubleMap<
		Pallet<T>,
		Twox64Concat,
		ZoneId,
		Twox64Concat,
		IntervalIndex,
		IntervalTrading<BalanceOf<T>>,
	>;

	/// How far the migration got.
	#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen)]
	pub enum Phase {
		/// Moving the trading of the window's intervals into `RecentIntervalTrading`, removing
		/// the rest; the window ends with this interval (the latest when the migration started:
		/// the clock moves on while it runs).
		Trading(IntervalIndex),
		/// Forgetting the trading of accounts that no longer exist, after this raw key of
		/// `TradedBy` (from its start if `None`).
		Traders(Option<RawKey>),
	}

	/// Funds the market's account, moves the trading of the window's intervals and removes
	/// the rest, forgets reaped accounts' trading; then sets the storage version to 1. A chain
	/// already at version 1 is left as it is.
	pub struct BoundedHistory<T>(PhantomData<T>);

	impl<T: Config> BoundedHistory<T> {
		/// What one old record costs: read and removed, and its slot read and written (an
		/// account's trading costs less: read, its account read, perhaps removed).
		pub fn weight_per_record() -> Weight {
			T::DbWeight::get().reads_writes(2, 2)
		}

		/// The latest interval, by the chain's clock.
		fn latest() -> IntervalIndex {
			T::UnixTime::now().as_secs() / T::IntervalSeconds::get().max(1)
		}

		/// Moves old trading into the window that ends with `latest` while the meter lasts;
		/// whether all of it is moved.
		fn move_trading(latest: IntervalIndex, meter: &mut WeightMeter) -> bool {
			let window = T::HistoryIntervals::get();
			let mut records = ZoneIntervalTrading::<T>::drain();
			// Intervals of the window have slots of their own: each is written once.
			drain_metered(
				&mut records,
				meter,
				Self::weight_per_record(),
				|(zone, interval, value)| {
					if let Some(slot) = Windowed::<()>::kept_slot(interval, latest, window) {
						RecentIntervalTrading::<T>::insert(
							zone,
							slot,
							Windowed { interval, value },
						);
					}
				},
			)
		}

		/// Forgets the trading of accounts that no longer exist, after the raw key `after`,
		/// while the meter lasts; where to go on from, or `None` once done.
		fn forget_reaped(
			after: Option<RawKey>,
			meter: &mut WeightMeter,
		) -> Result<Option<Option<RawKey>>, SteppedMigrationError> {
			let mut keys = match &after {
				Some(raw) => TradedBy::<T>::iter_keys_from(raw.to_vec()),
				None => TradedBy::<T>::iter_keys(),
			};
			let forget = |who: T::AccountId| {
				if !frame_system::Pallet::<T>::account_exists(&who) {
					TradedBy::<T>::remove(&who);
				}
			};
			let per_record = Self::weight_per_record();
			let raw = |who: &T::AccountId| TradedBy::<T>::hashed_key_for(who);
			keys_metered(&mut keys, after, meter, per_record, raw, forget)
				.map_err(|_| SteppedMigrationError::Failed)
		}
	}

	impl<T: Config> SteppedMigration for BoundedHistory<T> {
		type Cursor = Phase;
		type Identifier = MigrationId<9>;

		fn id() -> Self::Identifier {
			MigrationId { pallet_id: *b"pg-market", version_from: 0, version_to: 1 }
		}

		fn step(
			cursor: Option<Phase>,
			meter: &mut WeightMeter,
		) -> Result<Option<Phase>, SteppedMigrationError> {
			if Pallet::<T>::on_chain_storage_version() >= 1 {
				return Ok(None);
			}
			let per_record = Self::weight_per_record();
			if meter.remaining().any_lt(per_record) {
				return Err(SteppedMigrationError::InsufficientWeight { required: per_record });
			}
			let phase = match cursor {
				None => {
					// The first step: an account for the fees operators cannot take yet.
					// Its balance and the total issuance read and written, and an event.
					meter.consume(T::DbWeight::get().reads_writes(3, 3));
					Pallet::<T>::ensure_account().map_err(|_| SteppedMigrationError::Failed)?;
					Phase::Trading(Self::latest())
				}
				Some(phase) => phase,
			};
			let next = match phase {
				Phase::Trading(latest) if Self::move_trading(latest, meter) => Phase::Traders(None),
				Phase::Trading(latest) => Phase::Trading(latest),
				Phase::Traders(after) => match Self::forget_reaped(after, meter)? {
					Some(after) => Phase::Traders(after),
					None => {
						StorageVersion::new(1).put::<Pallet<T>>();
						return Ok(None);
					}
				},
			};
			Ok(Some(next))
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
			// How many records the window keeps, if this chain is to be migrated. (The first step
			// runs in this block: its window ends at the same interval.)
			let (window, latest) = (T::HistoryIntervals::get(), Self::latest());
			let kept = ZoneIntervalTrading::<T>::iter_keys()
				.filter(|(_, interval)| {
					Windowed::<()>::kept_slot(*interval, latest, window).is_some()
				})
				.count() as u64;
			let migrates = Pallet::<T>::on_chain_storage_version() < 1;
			Ok((migrates, kept).encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			let (migrates, kept) = <(bool, u64)>::decode(&mut &state[..])
				.map_err(|_| "the pre-upgrade state does not decode")?;
			ensure!(ZoneIntervalTrading::<T>::iter().next().is_none(), "old trading is left");
			ensure!(Pallet::<T>::on_chain_storage_version() == 1, "the version is not 1");
			if migrates {
				let moved = RecentIntervalTrading::<T>::iter().count() as u64;
				ensure!(moved == kept, "the window's trading was not all moved");
			}
			Pallet::<T>::do_try_state()
		}
	}
}
