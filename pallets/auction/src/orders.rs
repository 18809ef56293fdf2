//! Placing and cancelling orders: the checks, the curves, the holds.

use crate::{pallet::*, types::*};
use frame_support::{
	ensure,
	traits::{
		fungible::{Inspect, Mutate, MutateHold},
		tokens::Precision,
		Get, UnixTime,
	},
};
use peergrid_primitives::{IntervalIndex, MeterKind, MeterRegistry, MeterStatus, Wh};
use sp_runtime::{
	traits::{AccountIdConversion, CheckedAdd, CheckedMul, Zero},
	DispatchResult, Saturating,
};

impl<T: Config> Pallet<T> {
	/// The interval now is in.
	pub fn current_interval() -> IntervalIndex {
		T::UnixTime::now().as_secs() / T::IntervalSeconds::get().max(1)
	}

	/// The last interval whose gate has closed: `interval` takes orders while it is later
	/// than this.
	pub fn closed_up_to() -> IntervalIndex {
		Self::current_interval().saturating_add(T::GateClosure::get())
	}

	/// Where `interval`'s auctions stand by the clock: open from `OrderWindow` intervals before
	/// it until its gate closes, `GateClosure` intervals before it.
	pub fn window(interval: IntervalIndex) -> Window {
		if interval <= Self::closed_up_to() {
			Window::Closed
		} else if interval > Self::current_interval().saturating_add(T::OrderWindow::get()) {
			Window::NotOpenYet
		} else {
			Window::Open
		}
	}

	/// The value of `energy` Wh at `price` per kWh. Exact: prices are on the tick.
	pub fn value(energy: Wh, price: BalanceOf<T>) -> Result<BalanceOf<T>, Error<T>> {
		let per_wh = price / BalanceOf::<T>::from(WH_PER_KWH);
		BalanceOf::<T>::try_from(energy)
			.ok()
			.and_then(|energy| energy.checked_mul(&per_wh))
			.ok_or(Error::<T>::Overflow)
	}

	/// Whether `price` is a whole number of units per Wh.
	pub(crate) fn on_tick(price: BalanceOf<T>) -> bool {
		(price % BalanceOf::<T>::from(WH_PER_KWH)).is_zero()
	}

	/// What an order of `side` for `quantity` Wh at `price` holds before clearing: its escrow
	/// or collateral, and the order deposit.
	pub(crate) fn hold_for(
		side: Side,
		quantity: Wh,
		price: BalanceOf<T>,
	) -> Result<BalanceOf<T>, Error<T>> {
		let escrow = match side {
			Side::Bid => Self::value(quantity, price)?,
			Side::Offer => Self::value(quantity, T::CollateralPrice::get())?,
		};
		escrow.checked_add(&T::OrderDeposit::get()).ok_or(Error::<T>::Overflow)
	}

	/// The hold reason of `side`'s orders.
	pub(crate) fn reason(side: Side) -> T::RuntimeHoldReason {
		match side {
			Side::Bid => HoldReason::AuctionBid.into(),
			Side::Offer => HoldReason::AuctionCollateral.into(),
		}
	}

	/// The auction's own account: buyers' payments pass through it to the sellers.
	pub fn account() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	/// Gives the auction's account the existential deposit, if it has less, so that it can
	/// take payments of any size.
	pub(crate) fn ensure_account() -> DispatchResult {
		let account = Self::account();
		let (least, has) = (T::Currency::minimum_balance(), T::Currency::balance(&account));
		if has < least {
			T::Currency::mint_into(&account, least.saturating_sub(has))?;
		}
		Ok(())
	}

	/// Checks `terms` as `who`'s order `nonce`: the nonce, the meter, the quantity, the price,
	/// the window.
	pub(crate) fn check(
		who: &T::AccountId,
		nonce: u64,
		terms: &OrderTerms<BalanceOf<T>>,
	) -> Result<(), Error<T>> {
		ensure!(nonce < STANDING_NONCE, Error::<T>::ReservedNonce);
		let OrderTerms { side, product, meter, quantity, price } = *terms;
		Self::check_terms(who, side, product.zone, meter, quantity, price)?;
		match Self::window(product.interval) {
			Window::Closed => Err(Error::<T>::GateClosed),
			Window::NotOpenYet => Err(Error::<T>::NotOpenYet),
			Window::Open => Ok(()),
		}
	}

	/// Checks an order of `who`'s on `side` in `zone` naming `meter`, for `quantity` Wh at
	/// `price`: the meter is `who`'s, active, in the zone, and exports if it is an offer's; the
	/// quantity is some and within the meter's capacity over an interval; the price is on the
	/// tick.
	pub(crate) fn check_terms(
		who: &T::AccountId,
		side: Side,
		zone: peergrid_primitives::ZoneId,
		meter: peergrid_primitives::MeterId,
		quantity: Wh,
		price: BalanceOf<T>,
	) -> Result<(), Error<T>> {
		let meter = T::Meters::meter(meter).ok_or(Error::<T>::UnknownMeter)?;
		ensure!(&meter.owner == who, Error::<T>::NotYourMeter);
		ensure!(meter.status == MeterStatus::Active, Error::<T>::MeterNotActive);
		ensure!(meter.zone == zone, Error::<T>::WrongZone);
		ensure!(
			side == Side::Bid || meter.kind != MeterKind::Consumption,
			Error::<T>::MeterCannotExport
		);
		ensure!(quantity > 0, Error::<T>::ZeroQuantity);
		let most = u128::from(meter.capacity_w)
			.saturating_mul(u128::from(T::IntervalSeconds::get()))
			/ 3600;
		ensure!(u128::from(quantity) <= most, Error::<T>::QuantityAboveCapacity);
		ensure!(!price.is_zero() && Self::on_tick(price), Error::<T>::PriceOffTick);
		Ok(())
	}

	/// Places `terms` as `who`'s order `nonce`: all of it, or nothing.
	pub(crate) fn do_place_order(
		who: &T::AccountId,
		nonce: u64,
		terms: &OrderTerms<BalanceOf<T>>,
	) -> DispatchResult {
		Self::check(who, nonce, terms)?;
		let product = terms.product;
		frame_support::storage::with_storage_layer(|| -> DispatchResult {
			let mut auction = match Auctions::<T>::get(product.interval, product.zone) {
				Some(auction) => auction,
				None => {
					Self::schedule(product.interval)?;
					AuctionState::open()
				}
			};
			ensure!(auction.stage == Stage::Open, Error::<T>::GateClosed);
			Self::enter(who, nonce, terms, &mut auction)?;
			Auctions::<T>::insert(product.interval, product.zone, auction);
			Ok(())
		})
	}

	/// Enters `terms` as `who`'s order `nonce` in `auction`, its product's record (which the
	/// caller writes): its place, its curve, its hold, its record, its event. Checks nothing of
	/// the terms themselves. Changes nothing on an error in a storage layer.
	pub(crate) fn enter(
		who: &T::AccountId,
		nonce: u64,
		terms: &OrderTerms<BalanceOf<T>>,
		auction: &mut AuctionOf<T>,
	) -> DispatchResult {
		let OrderTerms { side, product, meter, quantity, price } = *terms;
		let key = (who.clone(), nonce);
		ensure!(!Orders::<T>::contains_key((product, side), &key), Error::<T>::NonceUsed);
		let held = Self::hold_for(side, quantity, price)?;
		ensure!(auction.orders < T::MaxOrdersPerProduct::get(), Error::<T>::TooManyOrders);
		Self::add_to_curve(product, side, price, quantity)?;
		T::Currency::hold(&Self::reason(side), who, held).map_err(|_| Error::<T>::CannotHold)?;
		Orders::<T>::insert((product, side), &key, PlacedOrder { meter, price, quantity, held });
		auction.orders = auction.orders.saturating_add(1);
		Self::deposit_event(Event::OrderPlaced {
			trader: who.clone(),
			nonce,
			side,
			product,
			meter,
			quantity,
			price,
			held,
		});
		Ok(())
	}

	/// Cancels `who`'s order `nonce` of `product` and `side`: its energy leaves the curve, its
	/// escrow or collateral is released, its record stays (with nothing open) so that the nonce
	/// stays used, and its deposit stays held with it until clearing: a record costs its
	/// place in the product whether cancelled or not.
	pub(crate) fn do_cancel_order(
		who: &T::AccountId,
		product: Product,
		side: Side,
		nonce: u64,
	) -> DispatchResult {
		ensure!(product.interval > Self::closed_up_to(), Error::<T>::GateClosed);
		let key = (who.clone(), nonce);
		let mut order = Orders::<T>::get((product, side), &key).ok_or(Error::<T>::UnknownOrder)?;
		ensure!(order.quantity > 0, Error::<T>::AlreadyCancelled);
		Self::remove_from_curve(product, side, order.price, order.quantity);
		let deposit = T::OrderDeposit::get().min(order.held);
		Self::release(side, who, order.held.saturating_sub(deposit));
		order.quantity = 0;
		order.held = deposit;
		Orders::<T>::insert((product, side), &key, order);
		Self::deposit_event(Event::OrderCancelled { trader: who.clone(), nonce, side, product });
		Ok(())
	}

	/// Releases `amount` of `who`'s hold for `side`'s orders. Every order's hold was taken
	/// whole, so it is there.
	pub(crate) fn release(side: Side, who: &T::AccountId, amount: BalanceOf<T>) {
		if amount.is_zero() {
			return;
		}
		if let Err(e) = T::Currency::release(&Self::reason(side), who, amount, Precision::Exact) {
			frame_support::defensive!("an order's hold is not there", e);
		}
	}

	/// Adds `interval` to the schedule of intervals with products.
	pub(crate) fn schedule(interval: IntervalIndex) -> DispatchResult {
		Schedule::<T>::try_mutate(|schedule| {
			if let Err(at) = schedule.binary_search(&interval) {
				schedule.try_insert(at, interval).map_err(|_| Error::<T>::TooManyIntervals)?;
			}
			Ok(())
		})
	}

	/// Adds `quantity` Wh at `price` to a side's curve.
	fn add_to_curve(
		product: Product,
		side: Side,
		price: BalanceOf<T>,
		quantity: Wh,
	) -> DispatchResult {
		Curves::<T>::try_mutate(product, side, |curve| Self::add_level(curve, price, quantity))
	}

	/// Adds `quantity` Wh at `price` to `curve`: to its level, or as a new one in price order.
	pub(crate) fn add_level(
		curve: &mut CurveOf<T>,
		price: BalanceOf<T>,
		quantity: Wh,
	) -> DispatchResult {
		match curve.binary_search_by(|(p, _)| p.cmp(&price)) {
			Ok(at) => {
				if let Some((_, level)) = curve.get_mut(at) {
					*level = level.checked_add(quantity).ok_or(Error::<T>::Overflow)?;
				}
			}
			Err(at) => curve
				.try_insert(at, (price, quantity))
				.map_err(|_| Error::<T>::TooManyPriceLevels)?,
		}
		Ok(())
	}

	/// Takes `quantity` Wh at `price` off a side's curve; a level left empty goes.
	fn remove_from_curve(product: Product, side: Side, price: BalanceOf<T>, quantity: Wh) {
		Curves::<T>::mutate(product, side, |curve| {
			match curve.binary_search_by(|(p, _)| p.cmp(&price)) {
				Ok(at) => {
					if let Some((_, level)) = curve.get_mut(at) {
						*level = level.saturating_sub(quantity);
						if *level == 0 {
							curve.remove(at);
						}
					}
				}
				Err(_) => {
					frame_support::defensive!("an open order's price is on its curve");
				}
			}
		});
	}
}
