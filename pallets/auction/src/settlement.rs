//! Settlement: buyers receive the delivered energy and pay for it, sellers are paid for what
//! they delivered and charged for what they did not, and every hold left is released.

use crate::{clearing, pallet::*, types::*, work::Advance};
use frame_support::{
	traits::{
		fungible::{Mutate, MutateHold},
		tokens::{Fortitude, Precision, Preservation, Restriction},
		Get,
	},
	weights::WeightMeter,
};
use peergrid_primitives::{MeterRegistry, Wh};
use sp_runtime::{DispatchResult, Saturating};

impl<T: Config> Pallet<T> {
	/// Settles `auction`'s orders, bids first (their payments reach the auction's account
	/// before the sellers are paid from it), as far as the weight allows.
	pub(crate) fn settle_orders(
		product: Product,
		auction: &mut AuctionOf<T>,
		meter: &mut WeightMeter,
	) -> Advance {
		let Some(result) = auction.result else {
			frame_support::defensive!("a product settles only once cleared");
			return Advance::Done;
		};
		Self::walk(
			product,
			auction,
			meter,
			crate::work::Step::<T>::settle_order(),
			|auction, cursor, (trader, nonce), order| {
				let side = cursor.side;
				let settled = frame_support::storage::with_storage_layer(|| match side {
					Side::Bid => {
						// The bid's share of what was delivered, by cumulative rounding over
						// the bids' allocations: the shares add up to the delivered energy.
						let energy = clearing::share(
							cursor.cumulative,
							order.quantity,
							auction.delivered,
							result.volume,
						);
						cursor.cumulative = cursor.cumulative.saturating_add(order.quantity);
						Self::settle_bid(product, trader, *nonce, &order, energy, result.price)
					}
					Side::Offer => {
						Self::settle_offer(product, trader, *nonce, &order, result.price)
					}
				});
				if let Err(e) = settled {
					// Every payment was held and every amount checked at placement.
					frame_support::defensive!("an order settles", e);
					Self::release(side, trader, order.held);
				}
				Orders::<T>::remove((product, side), (trader, nonce));
				auction.orders = auction.orders.saturating_sub(1);
			},
		)
	}

	/// The buyer of bid `nonce` receives `energy` Wh as credits and pays for it at `price` from
	/// its escrow into the auction's account; the rest of its escrow is released.
	fn settle_bid(
		product: Product,
		trader: &T::AccountId,
		nonce: u64,
		order: &PlacedOrder<BalanceOf<T>>,
		energy: Wh,
		price: BalanceOf<T>,
	) -> DispatchResult {
		let paid = Self::value(energy, price)?;
		T::Currency::transfer_on_hold(
			&Self::reason(Side::Bid),
			trader,
			&Self::account(),
			paid,
			Precision::Exact,
			Restriction::Free,
			Fortitude::Polite,
		)?;
		if energy > 0 {
			T::Credits::mint_into(trader, energy)?;
		}
		Self::release(Side::Bid, trader, order.held.saturating_sub(paid));
		Self::deposit_event(Event::BidSettled {
			trader: trader.clone(),
			nonce,
			product,
			energy,
			paid,
		});
		Ok(())
	}

	/// The seller of offer `nonce` is paid at `price` for what its meter delivered against
	/// the offer's allocation, and pays `PenaltyPrice` for the rest from its collateral to the
	/// zone operator; the rest of its collateral is released.
	fn settle_offer(
		product: Product,
		trader: &T::AccountId,
		nonce: u64,
		order: &PlacedOrder<BalanceOf<T>>,
		price: BalanceOf<T>,
	) -> DispatchResult {
		let mut delivered = 0;
		Deliveries::<T>::mutate_exists(product.interval, order.meter, |record| {
			let Some(d) = record else {
				frame_support::defensive!("an allocated offer's meter has a delivery");
				return;
			};
			let left = d.delivered.unwrap_or(0);
			delivered = left.min(order.quantity);
			d.delivered = d.delivered.map(|l| l.saturating_sub(delivered));
			d.allocated = d.allocated.saturating_sub(order.quantity);
			if d.allocated == 0 {
				*record = None;
			}
		});
		let paid = Self::value(delivered, price)?;
		T::Currency::transfer(&Self::account(), trader, paid, Preservation::Preserve)?;
		let shortfall = order.quantity.saturating_sub(delivered);
		let penalty = Self::value(shortfall, T::PenaltyPrice::get())?;
		let operator = Self::pay_penalty(product, trader, penalty)?;
		Self::release(Side::Offer, trader, order.held.saturating_sub(penalty));
		Self::deposit_event(Event::OfferSettled {
			trader: trader.clone(),
			nonce,
			product,
			delivered,
			paid,
			shortfall,
			penalty,
			operator,
		});
		Ok(())
	}

	/// Pays `penalty` from `seller`'s collateral to its zone's operator, or to the auction's
	/// account if the operator's account cannot take it; returns who received it.
	fn pay_penalty(
		product: Product,
		seller: &T::AccountId,
		penalty: BalanceOf<T>,
	) -> Result<T::AccountId, sp_runtime::DispatchError> {
		let reason = Self::reason(Side::Offer);
		let pay = |to: &T::AccountId| {
			T::Currency::transfer_on_hold(
				&reason,
				seller,
				to,
				penalty,
				Precision::Exact,
				Restriction::Free,
				Fortitude::Polite,
			)
		};
		if let Some(operator) = T::Meters::zone_operator(product.zone) {
			if frame_support::storage::with_storage_layer(|| pay(&operator)).is_ok() {
				return Ok(operator);
			}
		}
		let account = Self::account();
		pay(&account)?;
		Ok(account)
	}
}
