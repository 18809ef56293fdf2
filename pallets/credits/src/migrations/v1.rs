//! Version 0 to 1: each account's energy on record moves into its `Accounts` record.
//!
//! Version 0 kept an account's credits (`Accounts`: free, held), the credits ever minted to it
//! (`MintedTo`) and its consumption (`ConsumptionOf`: metered, retired) in three maps, so a
//! reading wrote three items of its owner's. Version 1 keeps all five in `Accounts`. The
//! migration reads every entry of the three maps once; the token is young and its maps are
//! small enough for one block.

use crate::{pallet::*, CreditAccount};
use codec::{Decode, Encode};
use frame_support::{
	migrations::VersionedMigration, pallet_prelude::*, storage_alias,
	traits::UncheckedOnRuntimeUpgrade, Blake2_128Concat,
};
use peergrid_primitives::Wh;

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

/// The migration's work, without the version check: see [`MigrateToV1`].
pub struct InnerMigrateToV1<T>(core::marker::PhantomData<T>);

impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateToV1<T> {
	fn on_runtime_upgrade() -> Weight {
		let (mut reads, mut writes) = (0u64, 0u64);
		let mut merged: alloc::collections::BTreeMap<T::AccountId, CreditAccount> =
			Default::default();
		for (who, old) in v0::Accounts::<T>::drain() {
			reads += 1;
			let account = merged.entry(who).or_default();
			account.free = old.free;
			account.held = old.held;
		}
		for (who, minted) in v0::MintedTo::<T>::drain() {
			reads += 1;
			merged.entry(who).or_default().minted = minted;
		}
		for (who, consumption) in v0::ConsumptionOf::<T>::drain() {
			reads += 1;
			let account = merged.entry(who).or_default();
			account.metered = consumption.metered;
			account.retired = consumption.retired;
		}
		for (who, account) in merged {
			if !account.is_empty() {
				Accounts::<T>::insert(who, account);
				writes += 1;
			}
		}
		// Each map entry read was also removed.
		T::DbWeight::get().reads_writes(reads, writes.saturating_add(reads))
	}
}

/// Version 0 to 1, run once: the version is checked and set.
pub type MigrateToV1<T> =
	VersionedMigration<0, 1, InnerMigrateToV1<T>, Pallet<T>, <T as frame_system::Config>::DbWeight>;
