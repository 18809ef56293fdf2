//! Unit tests: each call's success, events and errors, price-time priority, fills, fees,
//! holds, expiry and every bound, against the mock runtime.

mod fees_and_records;
mod matching;
mod orders;

use crate::{
	mock::*,
	pallet::{
		Books, Error, ExpiringAt, ExportsOf, GridFees, ImportsOf, NextOrderId, Orders, OrdersOf,
		UnpaidFees,
	},
	weights::WeightInfo,
	Event as MarketEvent, HoldReason, OrderId, Placement, Side, Truncation,
};
use frame_support::{
	assert_noop, assert_ok,
	traits::{
		fungible::{Inspect, InspectHold},
		Hooks,
	},
};
use sp_runtime::DispatchError;

/// One unit of currency per Wh: prices are per kWh.
const P: u64 = 1_000;

fn market_events() -> Vec<MarketEvent<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Market(e) => Some(e),
			_ => None,
		})
		.collect()
}

fn trades() -> Vec<MarketEvent<Test>> {
	market_events().into_iter().filter(|e| matches!(e, MarketEvent::Trade { .. })).collect()
}

/// Places an order that must succeed; returns its id.
fn place(who: u64, side: Side, zone: u32, amount: u64, price: u64) -> OrderId {
	place_until(who, side, zone, amount, price, None)
}

fn place_until(
	who: u64,
	side: Side,
	zone: u32,
	amount: u64,
	price: u64,
	expires_at: Option<u64>,
) -> OrderId {
	let id = crate::NextOrderId::<Test>::get();
	assert_ok!(Market::place_order(
		RuntimeOrigin::signed(who),
		side,
		zone,
		amount,
		price,
		expires_at
	));
	id
}

fn credits(who: u64) -> u64 {
	<Credits as Inspect<u64>>::balance(&who)
}

fn held_credits(who: u64) -> u64 {
	<Credits as InspectHold<u64>>::balance_on_hold(&HoldReason::SellOrder.into(), &who)
}

fn funds(who: u64) -> u64 {
	<Balances as Inspect<u64>>::balance(&who)
}

fn held_payment(who: u64) -> u64 {
	<Balances as InspectHold<u64>>::balance_on_hold(&HoldReason::BuyOrder.into(), &who)
}

fn held_deposit(who: u64) -> u64 {
	<Balances as InspectHold<u64>>::balance_on_hold(&HoldReason::OrderDeposit.into(), &who)
}

fn remaining(order: OrderId) -> Option<u64> {
	Orders::<Test>::get(order).map(|o| o.remaining)
}

fn trade(
	(buy_order, buyer, buyer_zone): (OrderId, u64, u32),
	(sell_order, seller, seller_zone): (OrderId, u64, u32),
	amount: u64,
	price: u64,
	fee: u64,
	fee_to: u64,
) -> MarketEvent<Test> {
	MarketEvent::Trade {
		buy_order,
		sell_order,
		buyer,
		seller,
		seller_zone,
		buyer_zone,
		amount,
		price,
		fee,
		fee_to,
	}
}

/// The weight of a placement that did this, with no fee kept for an operator.
fn did(
	side: Side,
	fills: u32,
	passed_over: u32,
	meters_read: u32,
	routes_read: u32,
	expires: bool,
	rests: bool,
) -> frame_support::weights::Weight {
	Market::placement_weight(Placement {
		side,
		fills,
		fees_owed: 0,
		passed_over,
		meters_read,
		routes_read,
		expires,
		rests,
	})
}

/// The market's invariants, plus: nobody without open orders holds anything for the market,
/// and the market neither created nor destroyed credits or currency.
pub(crate) fn check_invariants() {
	assert_ok!(Market::do_try_state());
	for who in ACCOUNTS {
		if OrdersOf::<Test>::get(who).is_empty() {
			assert_eq!(
				(held_credits(who), held_payment(who), held_deposit(who)),
				(0, 0, 0),
				"account {who} holds funds without open orders"
			);
		}
	}
	let credits_total: u64 = ACCOUNTS.iter().map(<Credits as Inspect<u64>>::total_balance).sum();
	assert_eq!(credits_total, CREDITS * TRADERS.len() as u64);
	assert_eq!(<Credits as Inspect<u64>>::total_issuance(), credits_total);
	let holders = ACCOUNTS.into_iter().chain([Market::account()]);
	let funds_total: u64 = holders.map(|a| <Balances as Inspect<u64>>::total_balance(&a)).sum();
	// The market's account got the existential deposit at genesis.
	let minted = FUNDS * TRADERS.len() as u64 + OPERATOR_FUNDS * 3 + ExistentialDeposit::get();
	assert_eq!(funds_total, minted);
	assert_eq!(<Balances as Inspect<u64>>::total_issuance(), funds_total);
}
