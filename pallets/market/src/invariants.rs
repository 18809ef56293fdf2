//! The market's invariants (`try_state`): checked after every unit test and every block of
//! the runtime tests, and by try-runtime on a live chain's state.

use crate::{pallet::*, types::*};
use frame_support::{ensure, traits::fungible::Inspect};
use peergrid_primitives::Wh;
use sp_runtime::{
	traits::{CheckedAdd, Zero},
	Saturating,
};

impl<T: Config> Pallet<T> {
	/// The market's invariants:
	/// - every open order has something left, at most its amount, a price on the tick, and
	///   is listed exactly once in its book, its owner's list and (if it expires) its expiry
	///   block's list; those lists list nothing else;
	/// - every book is sorted by price-time priority;
	/// - each trader's market holds are exactly what their open orders still need: the
	///   unfilled credits of sell orders, the unfilled amount at the limit price of buy
	///   orders, and the deposits;
	/// - the trade routes and the grid fees agree.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::btree_map::BTreeMap;
		use frame_support::traits::fungible::InspectHold;
		let mut needs: BTreeMap<T::AccountId, (Wh, BalanceOf<T>, BalanceOf<T>)> = BTreeMap::new();
		let mut open = 0usize;
		for (id, order) in Orders::<T>::iter() {
			open += 1;
			ensure!(order.remaining > 0, "an open order has nothing left");
			ensure!(order.remaining <= order.amount, "an order has more left than its amount");
			ensure!(Self::on_tick(order.price), "an order's price is off the tick");
			ensure!(id < NextOrderId::<T>::get(), "an order id was not issued");
			let in_book = Books::<T>::get(order.zone, order.side)
				.iter()
				.filter(|e| e.order == id && e.price == order.price)
				.count();
			ensure!(in_book == 1, "an open order is not in its book once");
			ensure!(OrdersOf::<T>::get(&order.owner).contains(&id), "an order is not listed");
			if let Some(at) = order.expires_at {
				ensure!(ExpiringAt::<T>::get(at).contains(&id), "an expiry is not queued");
			}
			let need = needs.entry(order.owner.clone()).or_default();
			match order.side {
				Side::Sell => need.0 = need.0.checked_add(order.remaining).ok_or("overflow")?,
				Side::Buy => {
					let payment = Self::value(order.remaining, order.price)
						.map_err(|_| "an order's payment overflows")?;
					need.1 = need.1.checked_add(&payment).ok_or("overflow")?;
				}
			}
			need.2 = need.2.checked_add(&order.deposit).ok_or("overflow")?;
		}
		let mut booked = 0usize;
		for (zone, side, book) in Books::<T>::iter() {
			booked += book.len();
			ensure!(
				book.windows(2).all(|w| Self::priority(side, &w[0], &w[1]).is_lt()),
				"a book is not in price-time order"
			);
			for entry in book.iter() {
				let order = Orders::<T>::get(entry.order).ok_or("a book lists a closed order")?;
				ensure!(order.zone == zone && order.side == side, "an order is in another book");
			}
		}
		ensure!(booked == open, "the books and the open orders differ");
		let listed: usize = OrdersOf::<T>::iter_values().map(|ids| ids.len()).sum();
		ensure!(listed == open, "the owners' lists and the open orders differ");
		for (at, ids) in ExpiringAt::<T>::iter() {
			for id in ids {
				let order = Orders::<T>::get(id).ok_or("a closed order is queued to expire")?;
				ensure!(order.expires_at == Some(at), "an order is queued at another block");
			}
		}
		for (who, (credits, payment, deposits)) in needs {
			ensure!(
				T::Credits::balance_on_hold(&HoldReason::SellOrder.into(), &who) == credits,
				"credits held != unfilled sell orders"
			);
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::BuyOrder.into(), &who) == payment,
				"currency held != unfilled buy orders at their limits"
			);
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::OrderDeposit.into(), &who) == deposits,
				"deposits held != open orders' deposits"
			);
		}
		for (from, to, _) in GridFees::<T>::iter() {
			if from != to {
				ensure!(ImportsOf::<T>::get(to).contains(&from), "a fee without an import");
				ensure!(ExportsOf::<T>::get(from).contains(&to), "a fee without an export");
			}
		}
		for (to, froms) in ImportsOf::<T>::iter() {
			for from in froms {
				ensure!(GridFees::<T>::contains_key(from, to), "an import without a fee");
			}
		}
		for (from, tos) in ExportsOf::<T>::iter() {
			for to in tos {
				ensure!(GridFees::<T>::contains_key(from, to), "an export without a fee");
			}
		}
		Self::try_fees()
	}

	/// The owed fees' invariants: the market's account holds its existential deposit and
	/// every fee it owes.
	fn try_fees() -> Result<(), sp_runtime::TryRuntimeError> {
		let mut owed = BalanceOf::<T>::zero();
		for (_, fees) in UnpaidFees::<T>::iter() {
			ensure!(!fees.is_zero(), "a zero fee is owed");
			owed = owed.checked_add(&fees).ok_or("the fees owed overflow")?;
		}
		let needed = owed.saturating_add(T::Currency::minimum_balance());
		ensure!(
			T::Currency::balance(&Self::account()) >= needed,
			"the market's account holds less than the fees it owes and its existential deposit"
		);
		Ok(())
	}
}
