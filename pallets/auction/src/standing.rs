//! Standing orders: set once, each enters every auction of its zone at its hours, at the
//! auction's gate closure, with no transaction per interval.

use crate::{pallet::*, types::*, work::Advance, Step};
use frame_support::{
	ensure,
	traits::{fungible::MutateHold, tokens::Precision, Get},
	weights::WeightMeter,
};
use peergrid_primitives::ZoneId;
use sp_runtime::{traits::Zero, DispatchResult};

impl<T: Config> Pallet<T> {
	/// Sets `who`'s standing order `id` with `terms`, or replaces its terms: it enters the
	/// auctions whose gate has not closed yet.
	pub(crate) fn do_set_standing(
		who: &T::AccountId,
		id: u64,
		terms: &StandingTerms<BalanceOf<T>>,
	) -> DispatchResult {
		ensure!(id < STANDING_NONCE, Error::<T>::ReservedNonce);
		let StandingTerms { side, zone, meter, quantity, price, hours } = *terms;
		ensure!(hours != 0 && hours <= ALL_HOURS, Error::<T>::BadHours);
		Self::check_terms(who, side, zone, meter, quantity, price)?;
		// What one order of it would hold: a standing order that could never be covered is
		// refused now, not skipped at every gate closure.
		Self::hold_for(side, quantity, price)?;
		let key = (who.clone(), id);
		let from = Self::closed_up_to().saturating_add(1);
		let deposit = match Standing::<T>::get(zone, &key) {
			Some(standing) => standing.deposit,
			None => {
				let deposit = T::StandingDeposit::get();
				frame_support::storage::with_storage_layer(|| -> DispatchResult {
					Self::count_standing(zone, true)?;
					T::Currency::hold(&HoldReason::AuctionStanding.into(), who, deposit)
						.map_err(|_| Error::<T>::CannotHold)?;
					Ok(())
				})?;
				deposit
			}
		};
		let standing = StandingOrder { side, meter, quantity, price, hours, from, deposit };
		Standing::<T>::insert(zone, &key, standing);
		Self::deposit_event(Event::StandingOrderSet {
			trader: who.clone(),
			id,
			zone,
			side,
			meter,
			quantity,
			price,
			hours,
			from,
		});
		Ok(())
	}

	/// Cancels `who`'s standing order `id` in `zone` and releases its deposit.
	pub(crate) fn do_cancel_standing(who: &T::AccountId, zone: ZoneId, id: u64) -> DispatchResult {
		let standing =
			Standing::<T>::take(zone, (who.clone(), id)).ok_or(Error::<T>::UnknownStanding)?;
		Self::count_standing(zone, false)?;
		let reason = HoldReason::AuctionStanding.into();
		if let Err(e) = T::Currency::release(&reason, who, standing.deposit, Precision::Exact) {
			frame_support::defensive!("a standing order's deposit is not held", e);
		}
		Self::deposit_event(Event::StandingOrderCancelled { trader: who.clone(), id, zone });
		Ok(())
	}

	/// Counts a standing order more (`add`) or fewer in `zone`.
	fn count_standing(zone: ZoneId, add: bool) -> DispatchResult {
		StandingZones::<T>::try_mutate(|zones| {
			let at = zones.binary_search_by_key(&zone, |(z, _)| *z);
			match (at, add) {
				(Ok(at), true) => {
					let count = zones.get_mut(at).map(|(_, n)| n).ok_or(Error::<T>::Overflow)?;
					ensure!(*count < T::MaxStandingPerZone::get(), Error::<T>::TooManyStanding);
					*count = count.saturating_add(1);
				}
				(Err(at), true) => {
					zones.try_insert(at, (zone, 1)).map_err(|_| Error::<T>::TooManyStandingZones)?
				}
				(Ok(at), false) => {
					let count = zones.get_mut(at).map(|(_, n)| n).ok_or(Error::<T>::Overflow)?;
					*count = count.saturating_sub(1);
					if count.is_zero() {
						zones.remove(at);
					}
				}
				(Err(_), false) => {
					frame_support::defensive!("a standing order's zone is counted");
				}
			}
			Ok(())
		})
	}

	/// Whether `zone` has standing orders.
	pub(crate) fn has_standing(zone: ZoneId) -> bool {
		StandingZones::<T>::get().binary_search_by_key(&zone, |(z, _)| *z).is_ok()
	}

	/// Enters `product`'s zone's standing orders in its auction, from its cursor, as far as the
	/// weight allows: each whose hours have the interval, from its first interval on, places
	/// its order under nonce `STANDING_NONCE | id`, or sits the auction out with
	/// `StandingOrderSkipped` and changes nothing.
	pub(crate) fn enter_standing(
		product: Product,
		auction: &mut AuctionOf<T>,
		meter: &mut WeightMeter,
	) -> Advance {
		let mut cursor = auction.cursor.take().unwrap_or_else(|| Cursor::start(Side::Bid));
		let (zone, seconds) = (product.zone, T::IntervalSeconds::get());
		loop {
			let next = match &cursor.last {
				None => Standing::<T>::iter_prefix(zone).next(),
				Some(last) => {
					let from = Standing::<T>::hashed_key_for(zone, last);
					Standing::<T>::iter_prefix_from(zone, from).next()
				}
			};
			let Some(((trader, id), standing)) = next else { return Advance::Done };
			if meter.try_consume(Step::<T>::enter_order()).is_err() {
				auction.cursor = Some(cursor);
				return Advance::OutOfWeight;
			}
			if standing.enters(product.interval, seconds) {
				let StandingOrder { side, meter, quantity, price, .. } = standing;
				let terms = OrderTerms { side, product, meter, quantity, price };
				let nonce = id | STANDING_NONCE;
				let entered = frame_support::storage::with_storage_layer(|| -> DispatchResult {
					Self::check_terms(&trader, side, product.zone, meter, quantity, price)?;
					Self::enter(&trader, nonce, &terms, auction)
				});
				if let Err(error) = entered {
					Self::deposit_event(Event::StandingOrderSkipped {
						trader: trader.clone(),
						id,
						product,
						error,
					});
				}
			}
			cursor.last = Some((trader, id));
		}
	}
}
