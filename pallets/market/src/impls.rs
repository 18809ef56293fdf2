//! Placing, cancelling and expiring orders, grid fees, and the market's invariants.

use crate::{pallet::*, types::*, weights::WeightInfo, LOG_TARGET};
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, Mutate, MutateHold},
		tokens::{DepositConsequence, Fortitude, Precision, Preservation, Provenance},
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use peergrid_primitives::{MeterRegistry, Wh, ZoneId};
use sp_runtime::{
	traits::{AccountIdConversion, CheckedAdd, One, Zero},
	Saturating,
};

impl<T: Config> Pallet<T> {
	/// What `amount` Wh cost at `price` per kWh. `price` is on the tick (a multiple of
	/// [`WH_PER_KWH`]), so the division is exact.
	pub fn value(amount: Wh, price: BalanceOf<T>) -> Result<BalanceOf<T>, Error<T>> {
		let per_wh = price / BalanceOf::<T>::from(WH_PER_KWH);
		BalanceOf::<T>::try_from(amount)
			.ok()
			.and_then(|amount| amount.checked_mul(&per_wh))
			.ok_or(Error::<T>::Overflow)
	}

	/// The weight of a placement that did `what`: the benchmark of an order of its side that
	/// did as much (rests; trades, with every route open and its fills spread over as many
	/// books, zones and operators as there are, and rests; or trades and is filled), plus what
	/// the other placement benchmarks add above their least values for its expiry, the owner's
	/// orders passed over and the meters read, and a read and a write for each grid fee the
	/// market kept for an operator.
	pub fn placement_weight(what: Placement) -> Weight {
		let above = |at: Weight, least: Weight| at.saturating_sub(least);
		let (expiry, sell) =
			(u32::from(what.expires && what.rests), u32::from(what.side == Side::Sell));
		let base = match (what.fills, what.rests) {
			(0, _) => T::WeightInfo::place_order(what.routes_read.max(1), expiry, sell),
			(fills, true) => T::WeightInfo::place_order_trading(fills, sell).saturating_add(above(
				T::WeightInfo::place_order(1, expiry, 0),
				T::WeightInfo::place_order(1, 0, 0),
			)),
			(fills, false) => T::WeightInfo::place_order_filled(fills, sell),
		};
		let owed = u64::from(what.fees_owed);
		base.saturating_add(above(
			T::WeightInfo::place_order_passing_over(what.passed_over),
			T::WeightInfo::place_order_passing_over(0),
		))
		.saturating_add(above(
			T::WeightInfo::place_order_meters_read(what.meters_read.max(1)),
			T::WeightInfo::place_order_meters_read(1),
		))
		.saturating_add(T::DbWeight::get().reads_writes(owed, owed))
	}

	/// The weight every order declares: the worst case of any placement (either side, with an
	/// expiry, the most orders passed over, meters read and routes; resting without a trade, or
	/// with the most fills, each with a fee kept for its operator, resting or filled).
	pub fn declared_placement_weight() -> Weight {
		let worst = |side, fills, rests| {
			Self::placement_weight(Placement {
				side,
				fills,
				fees_owed: fills,
				passed_over: T::MaxOrdersPerAccount::get(),
				meters_read: T::Meters::max_meters_per_owner(),
				routes_read: T::MaxRoutesPerZone::get(),
				expires: true,
				rests,
			})
		};
		let most = T::MaxFills::get();
		[Side::Buy, Side::Sell]
			.into_iter()
			.flat_map(|side| [(side, 0, true), (side, most, true), (side, most, false)])
			.map(|(side, fills, rests)| worst(side, fills, rests))
			.fold(Weight::zero(), |a, b| a.max(b))
	}

	/// Whether a price or fee is a whole number of units per Wh.
	pub(crate) fn on_tick(price: BalanceOf<T>) -> bool {
		(price % BalanceOf::<T>::from(WH_PER_KWH)).is_zero()
	}

	/// Places an order and matches it; returns the weight of what it did.
	pub(crate) fn do_place_order(
		who: T::AccountId,
		side: Side,
		zone: ZoneId,
		amount: Wh,
		price: BalanceOf<T>,
		expires_at: Option<BlockNumberFor<T>>,
	) -> Result<Weight, DispatchError> {
		ensure!(amount >= T::MinOrderAmount::get(), Error::<T>::AmountBelowMinimum);
		ensure!(!price.is_zero(), Error::<T>::ZeroPrice);
		ensure!(Self::on_tick(price), Error::<T>::PriceOffTick);
		let (has_meter, meters_read) = T::Meters::has_active_meter_in(&who, zone);
		if !has_meter {
			// A meter is only ever in a zone that exists: look the zone up only to tell why.
			ensure!(T::Meters::zone_operator(zone).is_some(), Error::<T>::UnknownZone);
			return Err(Error::<T>::NoActiveMeterInZone.into());
		}
		let now = frame_system::Pallet::<T>::block_number();
		if let Some(at) = expires_at {
			ensure!(at > now, Error::<T>::ExpiryNotInFuture);
		}
		let id = NextOrderId::<T>::get();
		NextOrderId::<T>::put(id.checked_add(1).ok_or(Error::<T>::Overflow)?);

		// Hold what the order may need: the deposit, and the credits or the payment.
		let deposit = T::OrderDeposit::get();
		let payment = match side {
			Side::Sell => Zero::zero(),
			Side::Buy => Self::value(amount, price)?,
		};
		let funds = deposit.checked_add(&payment).ok_or(Error::<T>::Overflow)?;
		let spendable =
			T::Currency::reducible_balance(&who, Preservation::Preserve, Fortitude::Polite);
		ensure!(spendable >= funds, Error::<T>::InsufficientFunds);
		if side == Side::Sell {
			let credits =
				T::Credits::reducible_balance(&who, Preservation::Expendable, Fortitude::Polite);
			ensure!(credits >= amount, Error::<T>::InsufficientCredits);
			T::Credits::hold(&HoldReason::SellOrder.into(), &who, amount)?;
		}
		if !payment.is_zero() {
			T::Currency::hold(&HoldReason::BuyOrder.into(), &who, payment)?;
		}
		if !deposit.is_zero() {
			T::Currency::hold(&HoldReason::OrderDeposit.into(), &who, deposit)?;
		}

		let order = Order {
			owner: who.clone(),
			side,
			zone,
			amount,
			remaining: amount,
			price,
			deposit,
			placed_at: now,
			expires_at,
		};
		Self::deposit_event(Event::OrderPlaced {
			order: id,
			owner: who.clone(),
			side,
			zone,
			amount,
			price,
			expires_at,
		});

		let (order, outcome) = Self::match_order(id, order)?;
		let mut rested = false;
		let truncation = if order.remaining == 0 {
			Self::release_deposit(&order)?;
			Self::deposit_event(Event::OrderFilled { order: id, owner: who.clone() });
			None
		} else if outcome.truncated {
			Some(Truncation::FillLimit)
		} else {
			match Self::room_to_rest(&order) {
				Ok(()) => {
					Self::rest(id, order.clone())?;
					rested = true;
					None
				}
				// Nothing happened yet: refuse the order, with the bound it hit.
				Err((error, _)) if outcome.trades == 0 => return Err(error.into()),
				Err((_, bound)) => Some(bound),
			}
		};
		if let Some(reason) = truncation {
			Self::release_holds(&order)?;
			Self::deposit_event(Event::OrderTruncated {
				order: id,
				owner: who,
				unfilled: order.remaining,
				reason,
			});
		}
		Ok(Self::placement_weight(Placement {
			side,
			fills: outcome.trades,
			fees_owed: outcome.fees_owed,
			passed_over: outcome.passed_over,
			meters_read,
			routes_read: outcome.routes_read,
			expires: expires_at.is_some(),
			rests: rested,
		}))
	}

	/// Whether an order can rest: room in its book, in its owner's list and in its expiry
	/// block's list.
	fn room_to_rest(order: &OrderOf<T>) -> Result<(), (Error<T>, Truncation)> {
		let full = |len: Option<usize>, max: u32| len.unwrap_or(0) as u32 >= max;
		if full(Books::<T>::decode_len(order.zone, order.side), T::MaxOrdersPerBook::get()) {
			return Err((Error::<T>::BookFull, Truncation::BookFull));
		}
		if full(OrdersOf::<T>::decode_len(&order.owner), T::MaxOrdersPerAccount::get()) {
			return Err((Error::<T>::TooManyOrders, Truncation::TooManyOrders));
		}
		if let Some(at) = order.expires_at {
			if full(ExpiringAt::<T>::decode_len(at), T::MaxExpiriesPerBlock::get()) {
				return Err((Error::<T>::ExpiryBlockFull, Truncation::ExpiryBlockFull));
			}
		}
		Ok(())
	}

	/// Puts an order that could trade no further into its book and the indexes; there is room
	/// (`room_to_rest`).
	fn rest(id: OrderId, order: OrderOf<T>) -> DispatchResult {
		Books::<T>::try_mutate(order.zone, order.side, |book| {
			let entry = BookEntry { price: order.price, order: id };
			let at = book
				.binary_search_by(|e| Self::priority(order.side, e, &entry))
				.unwrap_or_else(|at| at);
			book.try_insert(at, entry).map_err(|_| Error::<T>::BookFull)
		})?;
		OrdersOf::<T>::try_mutate(&order.owner, |ids| {
			ids.try_push(id).map_err(|_| Error::<T>::TooManyOrders)
		})?;
		if let Some(at) = order.expires_at {
			ExpiringAt::<T>::try_mutate(at, |ids| {
				ids.try_push(id).map_err(|_| Error::<T>::ExpiryBlockFull)
			})?;
		}
		Orders::<T>::insert(id, order);
		Ok(())
	}

	/// The order of two entries of a book of `side`: the better price first, then the older.
	pub(crate) fn priority(
		side: Side,
		a: &BookEntry<BalanceOf<T>>,
		b: &BookEntry<BalanceOf<T>>,
	) -> core::cmp::Ordering {
		let by_price = match side {
			Side::Sell => a.price.cmp(&b.price),
			Side::Buy => b.price.cmp(&a.price),
		};
		by_price.then(a.order.cmp(&b.order))
	}

	pub(crate) fn do_cancel_order(who: &T::AccountId, id: OrderId) -> DispatchResult {
		let order = Orders::<T>::get(id).ok_or(Error::<T>::UnknownOrder)?;
		ensure!(&order.owner == who, Error::<T>::NotOrderOwner);
		Self::unlist(id, &order, true);
		Self::release_holds(&order)?;
		Self::deposit_event(Event::OrderCancelled {
			order: id,
			owner: order.owner,
			unfilled: order.remaining,
		});
		Ok(())
	}

	/// Expires the orders due at the start of block `now`; returns how many were due.
	pub(crate) fn expire_orders(now: BlockNumberFor<T>) -> u32 {
		let due = ExpiringAt::<T>::take(now);
		let count = due.len() as u32;
		for id in due {
			let Some(order) = Orders::<T>::get(id) else { continue };
			let closed = frame_support::storage::with_transaction(|| {
				Self::unlist(id, &order, false);
				match Self::release_holds(&order) {
					Ok(()) => sp_runtime::TransactionOutcome::Commit(Ok(())),
					Err(e) => sp_runtime::TransactionOutcome::Rollback(Err(e)),
				}
			});
			match closed {
				Ok(()) => {
					Self::deposit_event(Event::OrderExpired {
						order: id,
						owner: order.owner,
						unfilled: order.remaining,
					});
				}
				// Cannot happen while the invariants hold. The order stays open, consistently:
				// it is retried at the next block, or, if that block is full, kept without an
				// expiry (its owner can still cancel it).
				Err(e) => {
					log::error!(target: LOG_TARGET, "order {id} did not expire: {e:?}");
					Self::retry_expiry(id, order, now);
				}
			}
		}
		count
	}

	/// Moves the expiry of open order `id`, which could not expire at `now`, to the next block.
	fn retry_expiry(id: OrderId, mut order: OrderOf<T>, now: BlockNumberFor<T>) {
		let next = now.saturating_add(One::one());
		let queued = ExpiringAt::<T>::try_mutate(next, |ids| ids.try_push(id)).is_ok();
		order.expires_at = queued.then_some(next);
		Orders::<T>::insert(id, order);
	}

	/// Removes an open order from the order records, its book, its owner's list and (unless
	/// the expiry hook already took the block's list) its expiry block's list.
	pub(crate) fn unlist(id: OrderId, order: &OrderOf<T>, from_expiry: bool) {
		Orders::<T>::remove(id);
		Books::<T>::mutate(order.zone, order.side, |book| {
			let entry = BookEntry { price: order.price, order: id };
			if let Ok(at) = book.binary_search_by(|e| Self::priority(order.side, e, &entry)) {
				book.remove(at);
			}
		});
		Self::unlist_owner_and_expiry(id, order, from_expiry);
	}

	/// Removes an order from its owner's list and its expiry block's list.
	pub(crate) fn unlist_owner_and_expiry(id: OrderId, order: &OrderOf<T>, from_expiry: bool) {
		OrdersOf::<T>::mutate_exists(&order.owner, |ids| remove_from(ids, &id));
		if let (true, Some(at)) = (from_expiry, order.expires_at) {
			ExpiringAt::<T>::mutate_exists(at, |ids| remove_from(ids, &id));
		}
	}

	/// Returns everything a closing order still holds: its unfilled credits or payment, and
	/// its deposit.
	pub(crate) fn release_holds(order: &OrderOf<T>) -> DispatchResult {
		match order.side {
			Side::Sell => {
				T::Credits::release(
					&HoldReason::SellOrder.into(),
					&order.owner,
					order.remaining,
					Precision::Exact,
				)?;
			}
			Side::Buy => {
				let payment = Self::value(order.remaining, order.price)?;
				if !payment.is_zero() {
					T::Currency::release(
						&HoldReason::BuyOrder.into(),
						&order.owner,
						payment,
						Precision::Exact,
					)?;
				}
			}
		}
		Self::release_deposit(order)
	}

	/// Returns a closing order's deposit.
	pub(crate) fn release_deposit(order: &OrderOf<T>) -> DispatchResult {
		if !order.deposit.is_zero() {
			T::Currency::release(
				&HoldReason::OrderDeposit.into(),
				&order.owner,
				order.deposit,
				Precision::Exact,
			)?;
		}
		Ok(())
	}

	/// The market's own account: it keeps the grid fees owed to operators (`UnpaidFees`).
	pub fn account() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	/// Gives the market's account the existential deposit, if it has less, so that it can take
	/// fees of any size.
	pub(crate) fn ensure_account() -> DispatchResult {
		let account = Self::account();
		let (least, has) = (T::Currency::minimum_balance(), T::Currency::balance(&account));
		if has < least {
			T::Currency::mint_into(&account, least.saturating_sub(has))?;
		}
		Ok(())
	}

	/// Pays `fee` from `buyer`'s payment hold to `operator`, or, if the operator's account
	/// cannot receive it (it does not exist, and the fee is below the existential deposit),
	/// into the market's account, owed to the operator: then all the fees now owed to it.
	pub(crate) fn pay_fee(
		buyer: &T::AccountId,
		operator: &T::AccountId,
		fee: BalanceOf<T>,
	) -> Result<Option<BalanceOf<T>>, DispatchError> {
		let owed = T::Currency::can_deposit(operator, fee, Provenance::Extant)
			!= DepositConsequence::Success;
		let to = if owed { Self::account() } else { operator.clone() };
		T::Currency::transfer_on_hold(
			&HoldReason::BuyOrder.into(),
			buyer,
			&to,
			fee,
			Precision::Exact,
			frame_support::traits::tokens::Restriction::Free,
			Fortitude::Force,
		)?;
		if !owed {
			return Ok(None);
		}
		let total = UnpaidFees::<T>::get(operator).checked_add(&fee).ok_or(Error::<T>::Overflow)?;
		UnpaidFees::<T>::insert(operator, total);
		Ok(Some(total))
	}

	pub(crate) fn do_claim_grid_fees(who: &T::AccountId) -> DispatchResult {
		let amount = UnpaidFees::<T>::get(who);
		ensure!(!amount.is_zero(), Error::<T>::NothingToClaim);
		ensure!(
			T::Currency::can_deposit(who, amount, Provenance::Extant)
				== DepositConsequence::Success,
			Error::<T>::ClaimBelowMinimum
		);
		T::Currency::transfer(&Self::account(), who, amount, Preservation::Preserve)?;
		UnpaidFees::<T>::remove(who);
		Self::deposit_event(Event::GridFeesClaimed { operator: who.clone(), amount });
		Ok(())
	}

	pub(crate) fn do_set_grid_fee(
		from: ZoneId,
		to: ZoneId,
		fee: Option<BalanceOf<T>>,
	) -> DispatchResult {
		ensure!(T::Meters::zone_operator(from).is_some(), Error::<T>::UnknownZone);
		ensure!(T::Meters::zone_operator(to).is_some(), Error::<T>::UnknownZone);
		match fee {
			Some(fee) => {
				ensure!(Self::on_tick(fee), Error::<T>::PriceOffTick);
				if from != to {
					ImportsOf::<T>::try_mutate(to, |routes| Self::add_route(routes, from))?;
					ExportsOf::<T>::try_mutate(from, |routes| Self::add_route(routes, to))?;
				}
				GridFees::<T>::insert(from, to, fee);
			}
			None => {
				GridFees::<T>::remove(from, to);
				ImportsOf::<T>::mutate_exists(to, |routes| remove_from(routes, &from));
				ExportsOf::<T>::mutate_exists(from, |routes| remove_from(routes, &to));
			}
		}
		Self::deposit_event(Event::GridFeeSet { from, to, fee });
		Ok(())
	}

	/// Adds `zone` to a sorted route list, once.
	fn add_route(
		routes: &mut BoundedVec<ZoneId, T::MaxRoutesPerZone>,
		zone: ZoneId,
	) -> DispatchResult {
		if let Err(at) = routes.binary_search(&zone) {
			routes.try_insert(at, zone).map_err(|_| Error::<T>::TooManyRoutes)?;
		}
		Ok(())
	}

	/// The grid fee per kWh for energy from `from` to `to`, if the pair trades.
	pub fn grid_fee(from: ZoneId, to: ZoneId) -> Option<BalanceOf<T>> {
		match GridFees::<T>::get(from, to) {
			Some(fee) => Some(fee),
			None if from == to => Some(Zero::zero()),
			None => None,
		}
	}
}

/// Removes `item` from a stored list, and the list itself once it is empty.
fn remove_from<V: PartialEq, S: Get<u32>>(list: &mut Option<BoundedVec<V, S>>, item: &V) {
	if let Some(items) = list {
		items.retain(|i| i != item);
		if items.is_empty() {
			*list = None;
		}
	}
}
