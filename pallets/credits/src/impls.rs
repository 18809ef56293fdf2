//! The logic behind the calls, the consumption ledger and the token's invariants.

use crate::{pallet::*, LOG_TARGET};
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::Mutate,
		tokens::{Fortitude, Precision, Preservation},
	},
};
use peergrid_primitives::{ConsumptionLedger, Wh};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_transfer(
		from: &T::AccountId,
		to: &T::AccountId,
		amount: Wh,
	) -> DispatchResult {
		ensure!(amount > 0, Error::<T>::ZeroAmount);
		ensure!(Accounts::<T>::get(from).free >= amount, Error::<T>::InsufficientCredits);
		let to_account = Accounts::<T>::get(to);
		to_account
			.free
			.checked_add(to_account.held)
			.and_then(|total| total.checked_add(amount))
			.ok_or(Error::<T>::Overflow)?;
		<Self as Mutate<_>>::transfer(from, to, amount, Preservation::Expendable)?;
		Ok(())
	}

	pub(crate) fn do_retire(who: &T::AccountId, amount: Wh) -> DispatchResult {
		ensure!(amount > 0, Error::<T>::ZeroAmount);
		let account = Accounts::<T>::get(who);
		ensure!(account.uncovered() >= amount, Error::<T>::ExceedsUncoveredConsumption);
		ensure!(account.free >= amount, Error::<T>::InsufficientCredits);
		let retired_total =
			TotalRetired::<T>::get().checked_add(amount).ok_or(Error::<T>::Overflow)?;
		let retired = account.retired.checked_add(amount).ok_or(Error::<T>::Overflow)?;

		<Self as Mutate<_>>::burn_from(
			who,
			amount,
			Preservation::Expendable,
			Precision::Exact,
			Fortitude::Polite,
		)?;
		// The account stays: its consumption is on record.
		Accounts::<T>::mutate(who, |a| a.retired = retired);
		TotalRetired::<T>::put(retired_total);
		log::debug!(target: LOG_TARGET, "{amount} Wh retired");
		Self::deposit_event(Event::Retired {
			who: who.clone(),
			amount,
			uncovered: account.metered.saturating_sub(retired),
		});
		Ok(())
	}

	/// The token's invariants: issued = minted - retired = the sum of all balances, free and
	/// held; each account's held balance is the sum of its holds; mintings add up to the total
	/// minted; retirements never exceed metered consumption, and add up to the total retired.
	#[cfg(any(feature = "try-runtime", test))]
	pub(crate) fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let issuance = TotalIssuance::<T>::get();
		let minted_less_retired = TotalMinted::<T>::get()
			.checked_sub(TotalRetired::<T>::get())
			.ok_or("more credits retired than minted")?;
		ensure!(issuance == minted_less_retired, "total issuance != minted - retired");
		let (mut balances, mut minted, mut retired) = (0u128, 0u128, 0u128);
		for (who, account) in Accounts::<T>::iter() {
			ensure!(!account.is_empty(), "an empty account is stored");
			let holds: u128 = Holds::<T>::get(&who).iter().map(|h| u128::from(h.amount)).sum();
			ensure!(holds == u128::from(account.held), "held balance != sum of holds");
			ensure!(account.retired <= account.metered, "retired more than consumed");
			balances += u128::from(account.free) + u128::from(account.held);
			minted += u128::from(account.minted);
			retired += u128::from(account.retired);
		}
		ensure!(balances == u128::from(issuance), "total issuance != sum of balances");
		ensure!(minted == u128::from(TotalMinted::<T>::get()), "mintings do not add up");
		ensure!(retired == u128::from(TotalRetired::<T>::get()), "retirements do not add up");
		for (who, holds) in Holds::<T>::iter() {
			ensure!(!holds.is_empty(), "an empty hold list is stored");
			ensure!(holds.iter().all(|h| h.amount > 0), "a zero hold is stored");
			ensure!(Accounts::<T>::contains_key(&who), "holds of an account without credits");
		}
		Ok(())
	}
}

impl<T: Config> ConsumptionLedger<T::AccountId> for Pallet<T> {
	fn record_consumption(who: &T::AccountId, amount: Wh) -> DispatchResult {
		if amount == 0 {
			return Ok(());
		}
		Accounts::<T>::try_mutate(who, |a| {
			a.metered = a.metered.checked_add(amount).ok_or(Error::<T>::Overflow)?;
			Ok(())
		})
	}
}
