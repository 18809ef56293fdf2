//! The matching engine: a continuous double auction with price-time priority across the
//! books a new order can reach, and settlement of each fill.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::MutateHold,
		tokens::{Fortitude, Precision, Restriction},
	},
};
use peergrid_primitives::{MeterRegistry, Wh, ZoneId};
use sp_runtime::traits::{CheckedAdd, CheckedSub, Zero};

/// What matching a new order did.
pub(crate) struct Outcome {
	/// The resting orders it traded with.
	pub trades: u32,
	/// The resting orders of its owner it passed over.
	pub passed_over: u32,
	/// Whether it stopped at `MaxFills` while it could still trade.
	pub truncated: bool,
	/// The books of other zones it read (its routes).
	pub routes_read: u32,
	/// The trades whose grid fee the market kept for the operator (`UnpaidFees`).
	pub fees_owed: u32,
}

/// A book of the other side that a new order can trade with.
struct Counterparty<T: Config> {
	/// The book's zone.
	zone: ZoneId,
	/// The grid fee per kWh between the seller's and the buyer's zone.
	fee: BalanceOf<T>,
	/// The buyer's zone, whose operator receives the fee: looked up at the first fill, so
	/// that a book only read costs no lookup.
	buyer_zone: ZoneId,
	/// The book, best first.
	book: BookOf<T>,
	/// The first entry not yet passed over.
	cursor: usize,
	/// Whether fills removed entries, so the book must be written back.
	changed: bool,
}

/// The terms of one fill.
struct Fill<'a, T: Config> {
	buy_order: OrderId,
	buy: &'a OrderOf<T>,
	sell_order: OrderId,
	sell: &'a OrderOf<T>,
	amount: Wh,
	price: BalanceOf<T>,
	fee: BalanceOf<T>,
	fee_to: &'a T::AccountId,
}

impl<T: Config> Pallet<T> {
	/// Matches new order `id` against the books it can reach, settling each fill; returns the
	/// order with what is left of it.
	pub(crate) fn match_order(
		id: OrderId,
		mut order: OrderOf<T>,
	) -> Result<(OrderOf<T>, Outcome), DispatchError> {
		let (mut books, routes_read) = Self::counterparties(&order)?;
		let mut outcome =
			Outcome { trades: 0, passed_over: 0, truncated: false, routes_read, fees_owed: 0 };
		while order.remaining > 0 {
			let Some((best, entry)) = Self::best(&order, &books) else { break };
			let counterparty = books.get_mut(best).ok_or(Error::<T>::UnknownOrder)?;
			let mut resting = Orders::<T>::get(entry.order).ok_or(Error::<T>::UnknownOrder)?;
			if resting.owner == order.owner {
				// No self-trades: the owner's own orders keep their places. There are at most
				// `MaxOrdersPerAccount` of them.
				counterparty.cursor = counterparty.cursor.saturating_add(1);
				outcome.passed_over = outcome.passed_over.saturating_add(1);
				continue;
			}
			if outcome.trades >= T::MaxFills::get() {
				outcome.truncated = true;
				break;
			}
			outcome.trades = outcome.trades.saturating_add(1);
			let amount = order.remaining.min(resting.remaining);
			let fee = counterparty.fee;
			let fee_to =
				T::Meters::zone_operator(counterparty.buyer_zone).ok_or(Error::<T>::UnknownZone)?;
			let fill = match order.side {
				Side::Buy => Fill {
					buy_order: id,
					buy: &order,
					sell_order: entry.order,
					sell: &resting,
					amount,
					price: resting.price,
					fee,
					fee_to: &fee_to,
				},
				Side::Sell => Fill {
					buy_order: entry.order,
					buy: &resting,
					sell_order: id,
					sell: &order,
					amount,
					price: resting.price.checked_sub(&fee).ok_or(Error::<T>::Overflow)?,
					fee,
					fee_to: &fee_to,
				},
			};
			if Self::settle(fill)? {
				outcome.fees_owed = outcome.fees_owed.saturating_add(1);
			}
			order.remaining = order.remaining.saturating_sub(amount);
			resting.remaining = resting.remaining.saturating_sub(amount);
			if resting.remaining == 0 {
				counterparty.book.remove(counterparty.cursor);
				counterparty.changed = true;
				Orders::<T>::remove(entry.order);
				Self::unlist_owner_and_expiry(entry.order, &resting, true);
				Self::release_deposit(&resting)?;
				Self::deposit_event(Event::OrderFilled {
					order: entry.order,
					owner: resting.owner,
				});
			} else {
				Orders::<T>::insert(entry.order, resting);
			}
		}
		let side = order.side.opposite();
		for counterparty in books.into_iter().filter(|c| c.changed) {
			Books::<T>::insert(counterparty.zone, side, counterparty.book);
		}
		Ok((order, outcome))
	}

	/// The books of the other side that `order` can trade with: its own zone's, and those of
	/// the zones it imports from (a buy) or exports to (a sell), each with its grid fee; and
	/// the number of the other zones' books it read.
	fn counterparties(order: &OrderOf<T>) -> Result<(Vec<Counterparty<T>>, u32), DispatchError> {
		let routes = match order.side {
			Side::Buy => ImportsOf::<T>::get(order.zone),
			Side::Sell => ExportsOf::<T>::get(order.zone),
		};
		let side = order.side.opposite();
		let routes_read = routes.len() as u32;
		let mut books = Vec::with_capacity(routes.len().saturating_add(1));
		for zone in core::iter::once(order.zone).chain(routes) {
			let (from, to) = match order.side {
				Side::Buy => (zone, order.zone),
				Side::Sell => (order.zone, zone),
			};
			let Some(fee) = Self::grid_fee(from, to) else { continue };
			let book = Books::<T>::get(zone, side);
			if book.is_empty() {
				continue;
			}
			books.push(Counterparty { zone, fee, buyer_zone: to, book, cursor: 0, changed: false });
		}
		Ok((books, routes_read))
	}

	/// The best resting order `order` can trade with now, if any: for a buy, the lowest
	/// ask + fee within its limit; for a sell, the highest bid - fee within its limit; the
	/// oldest order among equals.
	fn best(
		order: &OrderOf<T>,
		books: &[Counterparty<T>],
	) -> Option<(usize, BookEntry<BalanceOf<T>>)> {
		let mut best: Option<(usize, BookEntry<BalanceOf<T>>, BalanceOf<T>)> = None;
		for (at, counterparty) in books.iter().enumerate() {
			let Some(head) = counterparty.book.get(counterparty.cursor) else { continue };
			// What the new order gets per kWh: a buyer pays ask + fee, a seller receives
			// bid - fee.
			let (effective, acceptable) = match order.side {
				Side::Buy => match head.price.checked_add(&counterparty.fee) {
					Some(cost) => (cost, cost <= order.price),
					None => continue,
				},
				Side::Sell => match head.price.checked_sub(&counterparty.fee) {
					Some(net) => (net, net >= order.price),
					None => continue,
				},
			};
			if !acceptable {
				continue;
			}
			let better = match &best {
				None => true,
				Some((_, current, current_effective)) => {
					let by_price = match order.side {
						Side::Buy => effective.cmp(current_effective),
						Side::Sell => current_effective.cmp(&effective),
					};
					by_price.then(head.order.cmp(&current.order)).is_lt()
				}
			};
			if better {
				best = Some((at, *head, effective));
			}
		}
		best.map(|(at, entry, _)| (at, entry))
	}

	/// Settles one fill: the credits move from the seller's hold to the buyer, the payment
	/// from the buyer's hold to the seller, the grid fee to the operator of the buyer's
	/// zone (or to the market's account, owed to the operator, if the operator's account cannot
	/// take it), and what the buyer held beyond the price and fee back to the buyer. What the
	/// market holds is spent with `Fortitude::Force`: a freeze on the holder's balance cannot
	/// stop the settlement of an order it committed to. Whether the fee is owed.
	fn settle(fill: Fill<T>) -> Result<bool, DispatchError> {
		let Fill { buy_order, buy, sell_order, sell, amount, price, fee, fee_to } = fill;
		T::Credits::transfer_on_hold(
			&HoldReason::SellOrder.into(),
			&sell.owner,
			&buy.owner,
			amount,
			Precision::Exact,
			Restriction::Free,
			Fortitude::Force,
		)?;
		let reserved = Self::value(amount, buy.price)?;
		let payment = Self::value(amount, price)?;
		let grid_fee = Self::value(amount, fee)?;
		let change = payment
			.checked_add(&grid_fee)
			.and_then(|spent| reserved.checked_sub(&spent))
			.ok_or(Error::<T>::Overflow)?;
		let buy_hold = HoldReason::BuyOrder.into();
		if !payment.is_zero() {
			T::Currency::transfer_on_hold(
				&buy_hold,
				&buy.owner,
				&sell.owner,
				payment,
				Precision::Exact,
				Restriction::Free,
				Fortitude::Force,
			)?;
		}
		// A fee the operator's account cannot take is kept for it: trading never stops on it.
		let owed = match grid_fee.is_zero() {
			true => None,
			false => Self::pay_fee(&buy.owner, fee_to, grid_fee)?,
		};
		if !change.is_zero() {
			T::Currency::release(&buy_hold, &buy.owner, change, Precision::Exact)?;
		}
		Self::deposit_event(Event::Trade {
			buy_order,
			sell_order,
			buyer: buy.owner.clone(),
			seller: sell.owner.clone(),
			seller_zone: sell.zone,
			buyer_zone: buy.zone,
			amount,
			price,
			fee,
			fee_to: fee_to.clone(),
		});
		if let Some(owed) = owed {
			Self::deposit_event(Event::GridFeeOwed {
				operator: fee_to.clone(),
				amount: grid_fee,
				owed,
			});
		}
		Ok(owed.is_some())
	}
}
