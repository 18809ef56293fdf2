//! Storage migrations of the market.
//!
//! Version 0 kept what each zone traded in every settlement interval for ever
//! (`ZoneIntervalTrading`) and the trading of every account that ever traded (`TradedBy`), and
//! failed a whole trade when its grid fee could not be paid to the zone operator. Version 1 kept
//! the trading of the most recent intervals only (`RecentIntervalTrading`), each zone's count
//! and most recent trades (`TradeCount`, `RecentTrades`) and the trading of accounts that exist,
//! and kept unpayable fees in the market's own account, which must exist. Version 2 keeps no
//! history: the `Trade` events carry it and an indexer serves it (docs/indexer.md), and writing
//! it cost every trade about a quarter of its weight. [`v2::NoHistory`] brings a chain at
//! version 0 or 1 to 2, a bounded number of records per block: a multi-block migration
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

	/// Version 0's trading of every interval of every zone (values removed unread, as in the
	/// maps below).
	#[storage_alias]
	pub type ZoneIntervalTrading<T: Config> =
		StorageDoubleMap<Pallet<T>, Twox64Concat, ZoneId, Twox64Concat, IntervalIndex, ()>;

	/// Versions 0 and 1's trading of each account.
	#[storage_alias]
	pub type TradedBy<T: Config> =
		StorageMap<Pallet<T>, Blake2_128Concat, <T as frame_system::Config>::AccountId, ()>;

	/// Version 1's count of each zone's trades.
	#[storage_alias]
	pub type TradeCount<T: Config> = StorageMap<Pallet<T>, Twox64Concat, ZoneId, ()>;

	/// Version 1's most recent trades of each zone, by slot.
	#[storage_alias]
	pub type RecentTrades<T: Config> =
		StorageDoubleMap<Pallet<T>, Twox64Concat, ZoneId, Twox64Concat, u32, ()>;

	/// Version 1's trading of each zone's most recent intervals, by slot.
	#[storage_alias]
	pub type RecentIntervalTrading<T: Config> =
		StorageDoubleMap<Pallet<T>, Twox64Concat, ZoneId, Twox64Concat, u32, ()>;

	/// Funds the market's account (a chain at version 0 has none), removes every record of
	/// versions 0 and 1, map by map; then sets the storage version to 2. A chain already at
	/// version 2 is left as it is.
	pub struct NoHistory<T>(PhantomData<T>);

	impl<T: Config> NoHistory<T> {
		/// How many records are left.
		#[cfg(any(feature = "try-runtime", test))]
		pub fn left() -> usize {
			ZoneIntervalTrading::<T>::iter_keys().count()
				+ TradedBy::<T>::iter_keys().count()
				+ TradeCount::<T>::iter_keys().count()
				+ RecentTrades::<T>::iter_keys().count()
				+ RecentIntervalTrading::<T>::iter_keys().count()
		}
	}

	impl<T: Config> SteppedMigration for NoHistory<T> {
		/// The map being removed, in the order of the maps above.
		type Cursor = u8;
		type Identifier = MigrationId<9>;

		/// From version 1, as every chain since spec 103 is; it takes a chain at version 0
		/// too (`pallet-migrations` keeps the id only to run a migration once).
		fn id() -> Self::Identifier {
			MigrationId { pallet_id: *b"pg-market", version_from: 1, version_to: 2 }
		}

		fn step(
			cursor: Option<u8>,
			meter: &mut WeightMeter,
		) -> Result<Option<u8>, SteppedMigrationError> {
			let (per_record, per_step) = removal_weights(T::DbWeight::get());
			let version = Pallet::<T>::on_chain_storage_version();
			// The first step of a chain at version 0 opens an account for the fees operators
			// cannot take yet: its balance and the total issuance read and written, an event.
			let funding = if cursor.is_none() && version < 1 {
				T::DbWeight::get().reads_writes(3, 3)
			} else {
				Weight::zero()
			};
			let required = per_step.saturating_add(funding).saturating_add(per_record);
			if meter.remaining().any_lt(required) {
				return Err(SteppedMigrationError::InsufficientWeight { required });
			}
			meter.consume(per_step);
			if version >= 2 {
				return Ok(None);
			}
			if funding != Weight::zero() {
				meter.consume(funding);
				Pallet::<T>::ensure_account().map_err(|_| SteppedMigrationError::Failed)?;
			}
			let drains: [Drain; 5] = [
				|m, w| drain_metered(&mut ZoneIntervalTrading::<T>::drain(), m, w, drop),
				|m, w| drain_metered(&mut TradedBy::<T>::drain(), m, w, drop),
				|m, w| drain_metered(&mut TradeCount::<T>::drain(), m, w, drop),
				|m, w| drain_metered(&mut RecentTrades::<T>::drain(), m, w, drop),
				|m, w| drain_metered(&mut RecentIntervalTrading::<T>::drain(), m, w, drop),
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
			log::info!(target: crate::LOG_TARGET, "{before} records of trading history removed");
			ensure!(Self::left() == 0, "trading history is left");
			ensure!(Pallet::<T>::on_chain_storage_version() == 2, "the version is not 2");
			Pallet::<T>::do_try_state()
		}
	}
}
