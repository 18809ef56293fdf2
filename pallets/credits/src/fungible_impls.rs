//! The credits as a `frame_support::traits::fungible` token, with holds: the interface the
//! readings pallet mints through and the market escrows through.
//!
//! Credits have no existential deposit (`minimum_balance` is 0) and no freezes: an account's
//! whole free balance is always spendable.

use crate::{pallet::*, Hold, TOKEN_DECIMALS, TOKEN_NAME, TOKEN_SYMBOL};
use alloc::vec::Vec;
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::{self, hold, Dust},
		tokens::{DepositConsequence, Fortitude, Preservation, Provenance, WithdrawConsequence},
	},
};
use peergrid_primitives::Wh;

impl<T: Config> fungible::Inspect<T::AccountId> for Pallet<T> {
	type Balance = Wh;

	fn total_issuance() -> Wh {
		TotalIssuance::<T>::get()
	}

	fn minimum_balance() -> Wh {
		0
	}

	fn total_balance(who: &T::AccountId) -> Wh {
		let account = Accounts::<T>::get(who);
		account.free.saturating_add(account.held)
	}

	fn balance(who: &T::AccountId) -> Wh {
		Accounts::<T>::get(who).free
	}

	fn reducible_balance(who: &T::AccountId, _: Preservation, _: Fortitude) -> Wh {
		Accounts::<T>::get(who).free
	}

	fn can_deposit(who: &T::AccountId, amount: Wh, provenance: Provenance) -> DepositConsequence {
		if provenance == Provenance::Minted
			&& TotalIssuance::<T>::get().checked_add(amount).is_none()
		{
			return DepositConsequence::Overflow;
		}
		let account = Accounts::<T>::get(who);
		match account.free.checked_add(account.held).and_then(|t| t.checked_add(amount)) {
			Some(_) => DepositConsequence::Success,
			None => DepositConsequence::Overflow,
		}
	}

	fn can_withdraw(who: &T::AccountId, amount: Wh) -> WithdrawConsequence<Wh> {
		if TotalIssuance::<T>::get() < amount {
			return WithdrawConsequence::Underflow;
		}
		if Accounts::<T>::get(who).free < amount {
			return WithdrawConsequence::BalanceLow;
		}
		WithdrawConsequence::Success
	}
}

impl<T: Config> fungible::Unbalanced<T::AccountId> for Pallet<T> {
	fn handle_dust(_: Dust<T::AccountId, Self>) {
		// No minimum balance: no dust is ever made.
	}

	fn write_balance(who: &T::AccountId, amount: Wh) -> Result<Option<Wh>, DispatchError> {
		Accounts::<T>::mutate_exists(who, |account| {
			let mut a = account.unwrap_or_default();
			a.free = amount;
			*account = (!a.is_empty()).then_some(a);
		});
		Ok(None)
	}

	fn set_total_issuance(amount: Wh) {
		TotalIssuance::<T>::put(amount);
	}
}

impl<T: Config> fungible::Mutate<T::AccountId> for Pallet<T> {
	fn done_mint_into(who: &T::AccountId, amount: Wh) {
		TotalMinted::<T>::mutate(|m| *m = m.saturating_add(amount));
		Accounts::<T>::mutate(who, |a| a.minted = a.minted.saturating_add(amount));
		Self::deposit_event(Event::Minted { who: who.clone(), amount });
	}

	fn done_transfer(from: &T::AccountId, to: &T::AccountId, amount: Wh) {
		Self::deposit_event(Event::Transferred { from: from.clone(), to: to.clone(), amount });
	}
}

impl<T: Config> fungible::metadata::Inspect<T::AccountId> for Pallet<T> {
	fn name() -> Vec<u8> {
		TOKEN_NAME.to_vec()
	}

	fn symbol() -> Vec<u8> {
		TOKEN_SYMBOL.to_vec()
	}

	fn decimals() -> u8 {
		TOKEN_DECIMALS
	}
}

impl<T: Config> hold::Inspect<T::AccountId> for Pallet<T> {
	type Reason = T::RuntimeHoldReason;

	fn total_balance_on_hold(who: &T::AccountId) -> Wh {
		Accounts::<T>::get(who).held
	}

	fn balance_on_hold(reason: &Self::Reason, who: &T::AccountId) -> Wh {
		Holds::<T>::get(who).iter().find(|h| &h.reason == reason).map_or(0, |h| h.amount)
	}

	fn hold_available(reason: &Self::Reason, who: &T::AccountId) -> bool {
		let holds = Holds::<T>::get(who);
		holds.iter().any(|h| &h.reason == reason) || !holds.is_full()
	}
}

impl<T: Config> hold::Unbalanced<T::AccountId> for Pallet<T> {
	fn set_balance_on_hold(
		reason: &Self::Reason,
		who: &T::AccountId,
		amount: Wh,
	) -> DispatchResult {
		let mut holds = Holds::<T>::get(who);
		match holds.iter().position(|h| &h.reason == reason) {
			Some(i) if amount == 0 => {
				holds.remove(i);
			}
			Some(i) => {
				if let Some(hold) = holds.get_mut(i) {
					hold.amount = amount;
				}
			}
			None if amount == 0 => return Ok(()),
			None => holds
				.try_push(Hold { reason: *reason, amount })
				.map_err(|_| Error::<T>::TooManyHolds)?,
		}
		let held = holds
			.iter()
			.try_fold(0 as Wh, |sum, h| sum.checked_add(h.amount))
			.ok_or(Error::<T>::Overflow)?;
		Accounts::<T>::mutate_exists(who, |account| {
			let mut a = account.unwrap_or_default();
			a.held = held;
			*account = (!a.is_empty()).then_some(a);
		});
		if holds.is_empty() {
			Holds::<T>::remove(who);
		} else {
			Holds::<T>::insert(who, holds);
		}
		Ok(())
	}
}

impl<T: Config> hold::Mutate<T::AccountId> for Pallet<T> {
	fn done_hold(reason: &Self::Reason, who: &T::AccountId, amount: Wh) {
		Self::deposit_event(Event::Held { reason: *reason, who: who.clone(), amount });
	}

	fn done_release(reason: &Self::Reason, who: &T::AccountId, amount: Wh) {
		Self::deposit_event(Event::Released { reason: *reason, who: who.clone(), amount });
	}

	fn done_transfer_on_hold(
		_reason: &Self::Reason,
		source: &T::AccountId,
		dest: &T::AccountId,
		amount: Wh,
	) {
		Self::deposit_event(Event::Transferred { from: source.clone(), to: dest.clone(), amount });
	}
}
