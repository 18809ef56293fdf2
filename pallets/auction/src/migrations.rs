//! The auction's migrations.

use crate::pallet::*;
use frame_support::{
	traits::{Get, OnRuntimeUpgrade},
	weights::Weight,
};

/// A chain that ran without the auction (before spec 106) has no auction account: funds it
/// with the existential deposit, as genesis does, so that buyers' payments of any size can pass
/// through it. Does nothing on a chain whose account is funded.
pub struct FundAccount<T>(core::marker::PhantomData<T>);

impl<T: Config> OnRuntimeUpgrade for FundAccount<T> {
	fn on_runtime_upgrade() -> Weight {
		if let Err(e) = Pallet::<T>::ensure_account() {
			frame_support::defensive!("the auction's account is funded", e);
		}
		// The account read, and written if it had less than the existential deposit.
		T::DbWeight::get().reads_writes(1, 1)
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(_: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
		use frame_support::traits::fungible::Inspect;
		let account = Pallet::<T>::account();
		frame_support::ensure!(
			T::Currency::balance(&account) >= T::Currency::minimum_balance(),
			"the auction's account is not funded"
		);
		Ok(())
	}
}
