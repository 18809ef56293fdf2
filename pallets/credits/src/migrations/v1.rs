//! Version 0 to 1: each account's energy on record moves into its `Accounts` record.
//!
//! Version 0 kept an account's credits (`Accounts`: free, held), the credits ever minted to it
//! (`MintedTo`) and its consumption (`ConsumptionOf`: metered, retired) in three maps, so a
//! reading wrote three items of its owner's. Version 1 keeps all five in `Accounts`. The
//! migration converts the accounts a bounded number per block, so that no map's size can make
//! a block too heavy: version 0 and 1 records of `Accounts` are told apart by their size.

use crate::{pallet::*, CreditAccount};
use codec::{Decode, Encode, MaxEncodedLen};
use frame_support::{
	migrations::{MigrationId, SteppedMigration, SteppedMigrationError},
	pallet_prelude::*,
	storage_alias,
	weights::WeightMeter,
	Blake2_128Concat,
};
use peergrid_primitives::{
	migration::{drain_metered, keys_metered, RawKey},
	Wh,
};

/// The storage of version 0.
pub mod v0 {
	use super::*;

	/// An account's credits, in version 0.
	#[derive(Clone, Copy, Default, Encode, Decode, PartialEq, Eq, Debug)]
	pub struct CreditAccount {
		/// Credits the account can transfer or retire.
		pub free: Wh,
		/// Credits on hold.
		pub held: Wh,
	}

	/// An account's consumption, in version 0.
	#[derive(Clone, Copy, Default, Encode, Decode, PartialEq, Eq, Debug)]
	pub struct Consumption {
		/// Energy its meters took from the grid.
		pub metered: Wh,
		/// Credits it retired against that.
		pub retired: Wh,
	}

	/// Each account's credits.
	#[storage_alias]
	pub type Accounts<T: Config> = StorageMap<
		Pallet<T>,
		Blake2_128Concat,
		<T as frame_system::Config>::AccountId,
		CreditAccount,
	>;

	/// Credits ever minted to each account.
	#[storage_alias]
	pub type MintedTo<T: Config> =
		StorageMap<Pallet<T>, Blake2_128Concat, <T as frame_system::Config>::AccountId, Wh>;

	/// Each account's consumption.
	#[storage_alias]
	pub type ConsumptionOf<T: Config> = StorageMap<
		Pallet<T>,
		Blake2_128Concat,
		<T as frame_system::Config>::AccountId,
		Consumption,
	>;
}

/// How far the migration got.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen)]
pub enum Phase {
	/// Converting version 0 records of `Accounts`, with the account's entries of the other
	/// two maps, after this raw key (from the start if `None`).
	Accounts(Option<RawKey>),
	/// Moving what is left of `MintedTo` (accounts whose credits are all spent).
	MintedTo,
	/// Moving what is left of `ConsumptionOf`.
	ConsumptionOf,
}

/// Version 0 to 1, a bounded number of accounts per block: a multi-block migration
/// (`pallet-migrations`), during which the chain takes no transactions. A chain already at
/// version 1 is left as it is.
pub struct MigrateToV1<T>(core::marker::PhantomData<T>);

/// The size of a version 0 `Accounts` record (two `u64`s); version 1's is 40 bytes.
const V0_RECORD_LEN: usize = 16;

impl<T: Config> MigrateToV1<T> {
	/// What one account costs at most: its three records read and written.
	pub fn weight_per_account() -> Weight {
		T::DbWeight::get().reads_writes(3, 3)
	}

	/// Writes `account` for `who`, or removes its record if it holds nothing.
	fn store(who: &T::AccountId, account: CreditAccount) {
		if account.is_empty() {
			Accounts::<T>::remove(who);
		} else {
			Accounts::<T>::insert(who, account);
		}
	}

	/// Converts the version 0 records after `after` while the meter lasts; where to go on
	/// from, or `None` once every record is converted.
	fn convert_accounts(
		after: Option<RawKey>,
		meter: &mut WeightMeter,
	) -> Result<Option<Option<RawKey>>, SteppedMigrationError> {
		let mut keys = match &after {
			Some(raw) => Accounts::<T>::iter_keys_from(raw.to_vec()),
			None => Accounts::<T>::iter_keys(),
		};
		let convert = |who: T::AccountId| {
			let key = Accounts::<T>::hashed_key_for(&who);
			let old = frame_support::storage::unhashed::get_raw(&key)
				.filter(|raw| raw.len() == V0_RECORD_LEN)
				.and_then(|raw| v0::CreditAccount::decode(&mut &raw[..]).ok());
			if let Some(old) = old {
				let consumption = v0::ConsumptionOf::<T>::take(&who).unwrap_or_default();
				let account = CreditAccount {
					free: old.free,
					held: old.held,
					minted: v0::MintedTo::<T>::take(&who).unwrap_or_default(),
					metered: consumption.metered,
					retired: consumption.retired,
				};
				Self::store(&who, account);
			}
		};
		let per_account = Self::weight_per_account();
		let raw = |who: &T::AccountId| Accounts::<T>::hashed_key_for(who);
		keys_metered(&mut keys, after, meter, per_account, raw, convert)
			.map_err(|_| SteppedMigrationError::Failed)
	}
}

impl<T: Config> SteppedMigration for MigrateToV1<T> {
	type Cursor = Phase;
	type Identifier = MigrationId<10>;

	fn id() -> Self::Identifier {
		MigrationId { pallet_id: *b"pg-credits", version_from: 0, version_to: 1 }
	}

	fn step(
		cursor: Option<Phase>,
		meter: &mut WeightMeter,
	) -> Result<Option<Phase>, SteppedMigrationError> {
		if Pallet::<T>::on_chain_storage_version() >= 1 {
			return Ok(None);
		}
		let per_account = Self::weight_per_account();
		if meter.remaining().any_lt(per_account) {
			return Err(SteppedMigrationError::InsufficientWeight { required: per_account });
		}
		let next = match cursor.unwrap_or(Phase::Accounts(None)) {
			Phase::Accounts(after) => match Self::convert_accounts(after, meter)? {
				Some(after) => Phase::Accounts(after),
				None => Phase::MintedTo,
			},
			Phase::MintedTo => {
				let mut left = v0::MintedTo::<T>::drain();
				match drain_metered(&mut left, meter, per_account, |(who, minted)| {
					let account = Accounts::<T>::get(&who);
					Self::store(&who, CreditAccount { minted, ..account });
				}) {
					true => Phase::ConsumptionOf,
					false => Phase::MintedTo,
				}
			}
			Phase::ConsumptionOf => {
				let mut left = v0::ConsumptionOf::<T>::drain();
				if !drain_metered(&mut left, meter, per_account, |(who, consumption)| {
					let account = Accounts::<T>::get(&who);
					let v0::Consumption { metered, retired } = consumption;
					Self::store(&who, CreditAccount { metered, retired, ..account });
				}) {
					return Ok(Some(Phase::ConsumptionOf));
				}
				StorageVersion::new(1).put::<Pallet<T>>();
				return Ok(None);
			}
		};
		Ok(Some(next))
	}

	#[cfg(feature = "try-runtime")]
	fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
		// What version 0 counts, which version 1 must count the same.
		let minted: u128 = v0::MintedTo::<T>::iter_values().map(u128::from).sum();
		let metered: u128 =
			v0::ConsumptionOf::<T>::iter_values().map(|c| u128::from(c.metered)).sum();
		Ok((minted, metered).encode())
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
		let (minted, metered) = <(u128, u128)>::decode(&mut &state[..])
			.map_err(|_| "the pre-upgrade state does not decode")?;
		let accounts: alloc::vec::Vec<CreditAccount> = Accounts::<T>::iter_values().collect();
		if Pallet::<T>::on_chain_storage_version() == 1 && minted > 0 {
			ensure!(
				accounts.iter().map(|a| u128::from(a.minted)).sum::<u128>() == minted,
				"credits minted do not add up after the migration"
			);
			ensure!(
				accounts.iter().map(|a| u128::from(a.metered)).sum::<u128>() == metered,
				"consumption does not add up after the migration"
			);
		}
		ensure!(v0::MintedTo::<T>::iter().next().is_none(), "MintedTo is left");
		ensure!(v0::ConsumptionOf::<T>::iter().next().is_none(), "ConsumptionOf is left");
		Pallet::<T>::do_try_state()
	}
}
