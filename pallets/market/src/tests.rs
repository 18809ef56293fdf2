//! Unit tests: each call's success, events and errors, price-time priority, fills, fees,
//! holds, expiry and every bound, against the mock runtime.

use crate::{
	mock::*,
	pallet::{
		Books, Error, ExpiringAt, GridFees, ImportsOf, Orders, OrdersOf, RecentIntervalTrading,
		TradeCount, TradeRecordOf, TradedBy, UnpaidFees,
	},
	weights::WeightInfo,
	Event as MarketEvent, HoldReason, IntervalTrading, OrderId, Placement, Side, Trading,
	Truncation,
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

#[test]
fn a_sell_order_rests_holding_its_credits_and_deposit() {
	new_test_ext().execute_with(|| {
		let order = place_until(ALICE, Side::Sell, NORTH, 1_500, 100 * P, Some(10));
		assert_eq!(
			market_events(),
			vec![MarketEvent::OrderPlaced {
				order,
				owner: ALICE,
				side: Side::Sell,
				zone: NORTH,
				amount: 1_500,
				price: 100 * P,
				expires_at: Some(10),
			}]
		);
		assert_eq!((credits(ALICE), held_credits(ALICE)), (CREDITS - 1_500, 1_500));
		assert_eq!((held_deposit(ALICE), held_payment(ALICE)), (DEPOSIT, 0));
		assert_eq!(Books::<Test>::get(NORTH, Side::Sell).len(), 1);
		assert_eq!(OrdersOf::<Test>::get(ALICE).to_vec(), vec![order]);
		assert_eq!(ExpiringAt::<Test>::get(10).to_vec(), vec![order]);
		assert_eq!(remaining(order), Some(1_500));
		check_invariants();
	});
}

#[test]
fn a_buy_order_rests_holding_its_amount_at_its_limit() {
	new_test_ext().execute_with(|| {
		let order = place(CHARLIE, Side::Buy, SOUTH, 2_000, 150 * P);
		assert_eq!(held_payment(CHARLIE), 2_000 * 150);
		assert_eq!(held_deposit(CHARLIE), DEPOSIT);
		assert_eq!(funds(CHARLIE), FUNDS - 300_000 - DEPOSIT);
		assert_eq!(credits(CHARLIE), CREDITS, "a buy order holds no credits");
		assert_eq!(Books::<Test>::get(SOUTH, Side::Buy)[0].order, order);
		check_invariants();
	});
}

#[test]
fn a_buy_takes_a_resting_sell_at_the_ask_and_gets_its_change() {
	new_test_ext().execute_with(|| {
		let sell = place(ALICE, Side::Sell, NORTH, 1_000, 100 * P);
		System::reset_events();
		let buy = place(BOB, Side::Buy, NORTH, 1_000, 130 * P);
		assert_eq!(
			market_events()[1..].to_vec(),
			vec![
				trade((buy, BOB, NORTH), (sell, ALICE, NORTH), 1_000, 100 * P, 0, NORTH_OP),
				MarketEvent::OrderFilled { order: sell, owner: ALICE },
				MarketEvent::OrderFilled { order: buy, owner: BOB },
			]
		);
		// Alice sold 1,000 Wh at 100 per Wh; Bob paid exactly that, not his limit.
		assert_eq!(credits(ALICE), CREDITS - 1_000);
		assert_eq!(credits(BOB), CREDITS + 1_000);
		assert_eq!(funds(ALICE), FUNDS + 100_000);
		assert_eq!(funds(BOB), FUNDS - 100_000);
		assert_eq!(funds(NORTH_OP), OPERATOR_FUNDS, "no same-zone fee is set");
		assert!(Orders::<Test>::get(sell).is_none() && Orders::<Test>::get(buy).is_none());
		assert!(Books::<Test>::get(NORTH, Side::Sell).is_empty());
		check_invariants();
	});
}

#[test]
fn price_then_time_decides_which_orders_trade_first() {
	new_test_ext().execute_with(|| {
		let dear = place(ALICE, Side::Sell, NORTH, 100, 120 * P);
		let cheap_old = place(CHARLIE, Side::Sell, SOUTH, 100, 100 * P);
		let cheap_new = place(DAVE, Side::Sell, SOUTH, 100, 100 * P);
		let cheapest = place(DAVE, Side::Sell, SOUTH, 100, 90 * P);
		System::reset_events();
		let buy = place(CHARLIE, Side::Buy, SOUTH, 250, 200 * P);
		// Charlie's own order is passed over: Dave's two, then Alice's (no North -> South
		// route: never).
		let sold: Vec<(OrderId, u64)> = trades()
			.into_iter()
			.filter_map(|e| match e {
				MarketEvent::Trade { sell_order, amount, .. } => Some((sell_order, amount)),
				_ => None,
			})
			.collect();
		assert_eq!(sold, vec![(cheapest, 100), (cheap_new, 100)]);
		assert_eq!(remaining(buy), Some(50), "the rest of the buy rests");
		assert_eq!(remaining(cheap_old), Some(100), "no self-trade");
		assert_eq!(remaining(dear), Some(100), "no route from North to South");

		// Bob's buy in North takes Alice's ask (the only one it can reach), partially.
		let bob = place(BOB, Side::Buy, NORTH, 40, 120 * P);
		assert_eq!(remaining(dear), Some(60));
		assert_eq!(remaining(bob), None);
		check_invariants();
	});
}

#[test]
fn a_resting_order_fills_partially_over_several_trades() {
	new_test_ext().execute_with(|| {
		let sell = place(ALICE, Side::Sell, NORTH, 1_000, 100 * P);
		place(BOB, Side::Buy, NORTH, 300, 100 * P);
		assert_eq!(remaining(sell), Some(700));
		assert_eq!(held_credits(ALICE), 700);
		let buy = place(BOB, Side::Buy, NORTH, 900, 110 * P);
		assert_eq!(remaining(sell), None);
		assert_eq!(remaining(buy), Some(200));
		// 200 Wh still open at Bob's limit of 110 per Wh are held.
		assert_eq!(held_payment(BOB), 200 * 110);
		assert_eq!(funds(ALICE), FUNDS + 1_000 * 100);
		assert_eq!(funds(BOB), FUNDS - 1_000 * 100 - 200 * 110 - DEPOSIT);
		check_invariants();
	});
}

#[test]
fn a_sell_takes_a_resting_buy_at_its_bid_less_the_grid_fee() {
	new_test_ext().execute_with(|| {
		assert_ok!(Market::set_grid_fee(RuntimeOrigin::root(), SOUTH, NORTH, Some(15 * P)));
		let buy = place(ALICE, Side::Buy, NORTH, 500, 120 * P);
		System::reset_events();
		let sell = place(CHARLIE, Side::Sell, SOUTH, 800, 100 * P);
		assert_eq!(
			market_events()[1..3].to_vec(),
			vec![
				trade((buy, ALICE, NORTH), (sell, CHARLIE, SOUTH), 500, 105 * P, 15 * P, NORTH_OP),
				MarketEvent::OrderFilled { order: buy, owner: ALICE },
			]
		);
		// Alice paid her limit, grid fee included; Charlie got the rest; North's operator
		// the fee.
		assert_eq!(funds(ALICE), FUNDS - 500 * 120);
		assert_eq!(funds(CHARLIE), FUNDS + 500 * 105 - DEPOSIT);
		assert_eq!(funds(NORTH_OP), OPERATOR_FUNDS + 500 * 15);
		assert_eq!(remaining(sell), Some(300));
		check_invariants();
	});
}

#[test]
fn a_resting_buy_whose_bid_cannot_cover_the_fee_does_not_trade() {
	new_test_ext().execute_with(|| {
		assert_ok!(Market::set_grid_fee(RuntimeOrigin::root(), SOUTH, NORTH, Some(50 * P)));
		let buy = place(ALICE, Side::Buy, NORTH, 500, 40 * P);
		let sell = place(CHARLIE, Side::Sell, SOUTH, 500, P);
		assert!(trades().is_empty());
		assert_eq!((remaining(buy), remaining(sell)), (Some(500), Some(500)));
		check_invariants();
	});
}

#[test]
fn a_buy_chooses_among_zones_by_ask_plus_grid_fee() {
	new_test_ext().execute_with(|| {
		assert_ok!(Market::set_grid_fee(RuntimeOrigin::root(), SOUTH, NORTH, Some(20 * P)));
		assert_ok!(Market::set_grid_fee(RuntimeOrigin::root(), EAST, NORTH, Some(5 * P)));
		assert_ok!(Market::set_grid_fee(RuntimeOrigin::root(), NORTH, NORTH, Some(2 * P)));
		let north = place(BOB, Side::Sell, NORTH, 100, 110 * P); // 112 with fee
		let south = place(CHARLIE, Side::Sell, SOUTH, 100, 100 * P); // 120 with fee
		let east = place(EVE, Side::Sell, EAST, 100, 104 * P); // 109 with fee
		System::reset_events();
		let buy = place(ALICE, Side::Buy, NORTH, 300, 115 * P);
		assert_eq!(
			trades(),
			vec![
				trade((buy, ALICE, NORTH), (east, EVE, EAST), 100, 104 * P, 5 * P, NORTH_OP),
				trade((buy, ALICE, NORTH), (north, BOB, NORTH), 100, 110 * P, 2 * P, NORTH_OP),
			]
		);
		assert_eq!(remaining(south), Some(100), "120 with the fee is above Alice's limit");
		assert_eq!(remaining(buy), Some(100));
		assert_eq!(funds(NORTH_OP), OPERATOR_FUNDS + 100 * 5 + 100 * 2);
		// Alice paid 109 and 112 per Wh; 100 Wh remain held at her limit of 115.
		assert_eq!(funds(ALICE), FUNDS - 100 * 109 - 100 * 112 - 100 * 115 - DEPOSIT);
		assert_eq!(held_payment(ALICE), 100 * 115);
		check_invariants();
	});
}

#[test]
fn zones_without_a_route_do_not_trade() {
	new_test_ext().execute_with(|| {
		let sell = place(EVE, Side::Sell, EAST, 100, P);
		let buy = place(ALICE, Side::Buy, NORTH, 100, 1_000 * P);
		assert!(trades().is_empty());
		// A route one way does not open the other.
		assert_ok!(Market::set_grid_fee(RuntimeOrigin::root(), NORTH, EAST, Some(0)));
		place(BOB, Side::Buy, NORTH, 100, 1_000 * P);
		assert!(trades().is_empty());
		assert_eq!((remaining(sell), remaining(buy)), (Some(100), Some(100)));
		check_invariants();
	});
}

#[test]
fn an_order_never_trades_with_its_owners_orders() {
	new_test_ext().execute_with(|| {
		let own = place(ALICE, Side::Sell, NORTH, 100, 90 * P);
		let bobs = place(BOB, Side::Sell, NORTH, 100, 95 * P);
		let buy = place(ALICE, Side::Buy, NORTH, 150, 100 * P);
		assert_eq!(
			trades(),
			vec![trade((buy, ALICE, NORTH), (bobs, BOB, NORTH), 100, 95 * P, 0, NORTH_OP)]
		);
		// Alice's sell and the rest of her buy both rest: they never meet.
		assert_eq!((remaining(own), remaining(buy)), (Some(100), Some(50)));
		check_invariants();
	});
}

#[test]
fn a_placement_stops_after_the_most_fills_and_returns_a_rest_that_could_still_trade() {
	new_test_ext().execute_with(|| {
		MaxFills::set(2);
		let sells = [
			place(BOB, Side::Sell, NORTH, 100, 100 * P),
			place(BOB, Side::Sell, NORTH, 100, 100 * P),
			place(CHARLIE, Side::Sell, SOUTH, 100, 100 * P),
		];
		assert_ok!(Market::set_grid_fee(RuntimeOrigin::root(), SOUTH, NORTH, Some(0)));
		System::reset_events();
		let id = crate::NextOrderId::<Test>::get();
		let info =
			Market::place_order(RuntimeOrigin::signed(ALICE), Side::Buy, NORTH, 250, 100 * P, None)
				.expect("the order is placed");
		assert_eq!(info.actual_weight, Some(did(Side::Buy, 2, 0, 1, 1, false, false)));
		assert_eq!(
			market_events().last(),
			Some(&MarketEvent::OrderTruncated {
				order: id,
				owner: ALICE,
				unfilled: 50,
				reason: Truncation::FillLimit
			})
		);
		assert_eq!(remaining(id), None, "the rest does not rest in a crossed book");
		assert_eq!(remaining(sells[2]), Some(100));
		assert_eq!(funds(ALICE), FUNDS - 200 * 100);
		check_invariants();

		// Nothing left to match within the limit: the rest rests.
		let rests = place(DAVE, Side::Buy, SOUTH, 150, 100 * P);
		assert_eq!(remaining(rests), Some(50));
		assert_eq!(remaining(sells[2]), None);
		check_invariants();
	});
}

#[test]
fn the_weight_charged_counts_the_side_fills_meters_checked_books_read_and_expiry() {
	new_test_ext().execute_with(|| {
		// Orders that rest, and that do not, without an expiry.
		let weight = |side, f, s, m, r| did(side, f, s, m, r, false, true);
		let filled = |side, f| did(side, f, 0, 1, 1, false, false);
		let info =
			Market::place_order(RuntimeOrigin::signed(ALICE), Side::Sell, NORTH, 100, P, None)
				.expect("placed");
		assert_eq!(info.actual_weight, Some(weight(Side::Sell, 0, 0, 1, 1)));
		let info = Market::place_order(RuntimeOrigin::signed(BOB), Side::Buy, NORTH, 100, P, None)
			.expect("placed");
		assert_eq!(info.actual_weight, Some(filled(Side::Buy, 1)), "filled: it does not rest");
		let most = |side| {
			let routes = MaxRoutesPerZone::get();
			weight(side, MaxFills::get(), MaxOrdersPerAccount::get(), 4, routes)
		};
		assert!(weight(Side::Buy, 1, 0, 1, 1).all_lt(most(Side::Buy)));
		assert!(weight(Side::Sell, 1, 0, 1, 1).all_lt(most(Side::Sell)));

		// Bob's meter in South is his second: the check reads both. South imports from North
		// and East: two books read.
		assert_ok!(pallet_meters::Pallet::<Test>::register_meter(
			RuntimeOrigin::signed(SOUTH_OP),
			SOUTH,
			b"B2".to_vec().try_into().expect("short"),
			BOB,
			peergrid_primitives::MeterKind::Bidirectional,
			10_000,
			None,
		));
		for from in [NORTH, EAST] {
			assert_ok!(Market::set_grid_fee(RuntimeOrigin::root(), from, SOUTH, Some(0)));
		}
		let info = Market::place_order(RuntimeOrigin::signed(BOB), Side::Buy, SOUTH, 100, P, None)
			.expect("placed");
		assert_eq!(info.actual_weight, Some(weight(Side::Buy, 0, 0, 2, 2)));

		// An order with an expiry also writes its expiry block's list. (Too dear for Bob's buy
		// in South, which North now exports to: it rests.)
		let at = System::block_number() + 5;
		let info = Market::place_order(
			RuntimeOrigin::signed(ALICE),
			Side::Sell,
			NORTH,
			100,
			2 * P,
			Some(at),
		)
		.expect("placed");
		let expiring = did(Side::Sell, 0, 0, 1, 1, true, true);
		assert_eq!(info.actual_weight, Some(expiring));
		assert!(weight(Side::Sell, 0, 0, 1, 1).ref_time() < expiring.ref_time());
	});
}

#[test]
fn every_order_declares_the_same_weight_so_the_pool_favours_no_side() {
	use frame_support::dispatch::GetDispatchInfo;
	let declared = |side, expires_at| {
		crate::Call::<Test>::place_order { side, zone: NORTH, amount: 100, price: P, expires_at }
			.get_dispatch_info()
			.call_weight
	};
	let worst = did(
		Side::Sell,
		MaxFills::get(),
		MaxOrdersPerAccount::get(),
		<<Test as crate::Config>::Meters as peergrid_primitives::MeterRegistry<_>>::max_meters_per_owner(),
		MaxRoutesPerZone::get(),
		true,
		true,
	);
	assert!(worst.all_lte(Market::declared_placement_weight()));
	for side in [Side::Buy, Side::Sell] {
		for expires_at in [None, Some(5)] {
			assert_eq!(declared(side, expires_at), Market::declared_placement_weight());
		}
	}
}

#[test]
fn passing_over_the_owners_orders_does_not_count_as_a_fill() {
	new_test_ext().execute_with(|| {
		MaxFills::set(1);
		let own = place(ALICE, Side::Sell, NORTH, 10, 90 * P);
		let bobs = place(BOB, Side::Sell, NORTH, 10, 95 * P);
		let id = crate::NextOrderId::<Test>::get();
		let info =
			Market::place_order(RuntimeOrigin::signed(ALICE), Side::Buy, NORTH, 30, 100 * P, None)
				.expect("placed");
		assert_eq!(info.actual_weight, Some(did(Side::Buy, 1, 1, 1, 1, false, true)));
		assert_eq!((remaining(bobs), remaining(own)), (None, Some(10)));
		assert_eq!(remaining(id), Some(20), "it rests: nothing else could trade");
		check_invariants();
	});
}

#[test]
fn dust_orders_are_refused() {
	new_test_ext().execute_with(|| {
		MinOrderAmount::set(100);
		assert_noop!(
			Market::place_order(RuntimeOrigin::signed(ALICE), Side::Sell, NORTH, 99, P, None),
			Error::<Test>::AmountBelowMinimum
		);
		place(ALICE, Side::Sell, NORTH, 100, P);
		// A rest below the minimum stays: it is what is left of a real order.
		let rest = place(BOB, Side::Buy, NORTH, 150, P);
		assert_eq!(remaining(rest), Some(50));
		check_invariants();
	});
}

#[test]
fn cancel_returns_what_the_order_holds() {
	new_test_ext().execute_with(|| {
		let sell = place_until(ALICE, Side::Sell, NORTH, 700, 100 * P, Some(5));
		let buy = place(CHARLIE, Side::Buy, SOUTH, 300, 80 * P);
		assert_noop!(
			Market::cancel_order(RuntimeOrigin::signed(BOB), sell),
			Error::<Test>::NotOrderOwner
		);
		assert_noop!(
			Market::cancel_order(RuntimeOrigin::signed(ALICE), 99),
			Error::<Test>::UnknownOrder
		);
		assert_ok!(Market::cancel_order(RuntimeOrigin::signed(ALICE), sell));
		assert_eq!(
			market_events().last(),
			Some(&MarketEvent::OrderCancelled { order: sell, owner: ALICE, unfilled: 700 })
		);
		assert_eq!((credits(ALICE), funds(ALICE)), (CREDITS, FUNDS));
		assert!(ExpiringAt::<Test>::get(5).is_empty(), "its expiry is dropped too");
		assert_ok!(Market::cancel_order(RuntimeOrigin::signed(CHARLIE), buy));
		assert_eq!(funds(CHARLIE), FUNDS);
		assert_noop!(
			Market::cancel_order(RuntimeOrigin::signed(ALICE), sell),
			Error::<Test>::UnknownOrder
		);
		check_invariants();
	});
}

#[test]
fn orders_expire_at_the_start_of_their_block() {
	new_test_ext().execute_with(|| {
		let sell = place_until(ALICE, Side::Sell, NORTH, 700, 100 * P, Some(3));
		let buy = place_until(BOB, Side::Buy, NORTH, 200, 100 * P, Some(3));
		assert_eq!(remaining(sell), Some(500), "partially filled first");
		let later = place_until(ALICE, Side::Sell, NORTH, 10, 100 * P, Some(4));
		assert_eq!(remaining(buy), None);

		System::set_block_number(2);
		assert_eq!(Market::on_initialize(2), <Test as crate::Config>::WeightInfo::on_initialize(0));
		assert_eq!(remaining(sell), Some(500));

		System::set_block_number(3);
		System::reset_events();
		assert_eq!(Market::on_initialize(3), <Test as crate::Config>::WeightInfo::on_initialize(1));
		assert_eq!(
			market_events(),
			vec![MarketEvent::OrderExpired { order: sell, owner: ALICE, unfilled: 500 }]
		);
		assert_eq!(remaining(sell), None);
		assert_eq!(remaining(later), Some(10));
		assert_eq!(held_credits(ALICE), 10);
		assert_eq!(credits(ALICE), CREDITS - 200 - 10);
		assert!(ExpiringAt::<Test>::get(3).is_empty());
		check_invariants();
	});
}

#[test]
fn an_order_that_cannot_expire_stays_open_and_is_retried_next_block() {
	new_test_ext().execute_with(|| {
		use frame_support::traits::{fungible::MutateHold, tokens::Precision};
		let sell = place_until(ALICE, Side::Sell, NORTH, 700, 100 * P, Some(3));
		// Corrupt the state: the credits the order needs are no longer held.
		let reason = HoldReason::SellOrder.into();
		assert_ok!(<Credits as MutateHold<u64>>::release(&reason, &ALICE, 700, Precision::Exact));

		System::set_block_number(3);
		System::reset_events();
		Market::on_initialize(3);
		assert!(market_events().is_empty(), "it did not expire");
		assert_eq!(Orders::<Test>::get(sell).and_then(|o| o.expires_at), Some(4));
		assert_eq!(ExpiringAt::<Test>::get(4).to_vec(), vec![sell]);

		// Repaired, it expires at the next block.
		assert_ok!(<Credits as MutateHold<u64>>::hold(&reason, &ALICE, 700));
		System::set_block_number(4);
		Market::on_initialize(4);
		assert_eq!(
			market_events(),
			vec![MarketEvent::OrderExpired { order: sell, owner: ALICE, unfilled: 700 }]
		);
		check_invariants();
	});
}

#[test]
fn expiry_must_be_a_later_block_with_room() {
	new_test_ext().execute_with(|| {
		System::set_block_number(5);
		let at =
			|when| Market::place_order(RuntimeOrigin::signed(ALICE), Side::Sell, NORTH, 1, P, when);
		assert_noop!(at(Some(5)), Error::<Test>::ExpiryNotInFuture);
		assert_noop!(at(Some(4)), Error::<Test>::ExpiryNotInFuture);
		assert_ok!(at(Some(6)));
		assert_ok!(at(Some(6)));
		assert_noop!(at(Some(6)), Error::<Test>::ExpiryBlockFull);
		assert_ok!(at(Some(7)));
		check_invariants();
	});
}

#[test]
fn orders_are_refused_for_bad_input_with_nothing_changed() {
	new_test_ext().execute_with(|| {
		let order = |who, side, zone, amount, price| {
			Market::place_order(RuntimeOrigin::signed(who), side, zone, amount, price, None)
		};
		assert_noop!(order(ALICE, Side::Sell, NORTH, 0, P), Error::<Test>::AmountBelowMinimum);
		assert_noop!(order(ALICE, Side::Sell, NORTH, 1, 0), Error::<Test>::ZeroPrice);
		assert_noop!(order(ALICE, Side::Sell, NORTH, 1, 1_500), Error::<Test>::PriceOffTick);
		assert_noop!(order(ALICE, Side::Sell, 7, 1, P), Error::<Test>::UnknownZone);
		assert_noop!(order(ALICE, Side::Sell, SOUTH, 1, P), Error::<Test>::NoActiveMeterInZone);
		assert_noop!(order(FERDIE, Side::Buy, NORTH, 1, P), Error::<Test>::NoActiveMeterInZone);
		assert_noop!(
			order(ALICE, Side::Sell, NORTH, CREDITS + 1, P),
			Error::<Test>::InsufficientCredits
		);
		// The whole balance less the existential deposit and the order deposit can be
		// committed, not a unit more.
		let affordable = (FUNDS - 1 - DEPOSIT) / 1_000;
		assert_noop!(
			order(BOB, Side::Buy, NORTH, affordable + 1, 1_000 * P),
			Error::<Test>::InsufficientFunds
		);
		assert_noop!(order(BOB, Side::Buy, NORTH, u64::MAX, 1_000 * P), Error::<Test>::Overflow);
		assert_noop!(
			Market::place_order(RuntimeOrigin::root(), Side::Buy, NORTH, 1, P, None),
			DispatchError::BadOrigin
		);
		assert_ok!(order(BOB, Side::Buy, NORTH, affordable, 1_000 * P));
		assert_eq!(funds(BOB), FUNDS - affordable * 1_000 - DEPOSIT);
		// A seller must be able to pay the deposit.
		OrderDeposit::set(FUNDS);
		assert_noop!(order(ALICE, Side::Sell, NORTH, 1, P), Error::<Test>::InsufficientFunds);
		OrderDeposit::set(DEPOSIT);
		check_invariants();
	});
}

#[test]
fn open_orders_per_account_are_bounded() {
	new_test_ext().execute_with(|| {
		for _ in 0..MaxOrdersPerAccount::get() {
			place(ALICE, Side::Sell, NORTH, 1, 100 * P);
		}
		assert_noop!(
			Market::place_order(RuntimeOrigin::signed(ALICE), Side::Buy, NORTH, 1, P, None),
			Error::<Test>::TooManyOrders
		);
		// At the bound, Alice can still take what is offered; a rest is returned to her.
		place(BOB, Side::Sell, NORTH, 10, 50 * P);
		place(ALICE, Side::Buy, NORTH, 4, 60 * P);
		let id = place(ALICE, Side::Buy, NORTH, 10, 60 * P);
		assert_eq!(
			market_events().last(),
			Some(&MarketEvent::OrderTruncated {
				order: id,
				owner: ALICE,
				unfilled: 4,
				reason: Truncation::TooManyOrders
			})
		);
		assert_eq!(credits(ALICE), CREDITS - 4 + 10);
		check_invariants();
	});
}

#[test]
fn a_full_book_refuses_an_order_that_must_rest_or_returns_the_rest_after_trades() {
	new_test_ext().execute_with(|| {
		for _ in 0..4 {
			place(ALICE, Side::Sell, NORTH, 10, 100 * P);
		}
		place(BOB, Side::Sell, NORTH, 10, 90 * P);
		assert_eq!(Books::<Test>::get(NORTH, Side::Sell).len() as u32, MaxOrdersPerBook::get());
		// A buy in South can trade with North's sells once the route is open; fill South's
		// buy book meanwhile.
		for who in [CHARLIE, CHARLIE, CHARLIE, CHARLIE, DAVE] {
			place(who, Side::Buy, SOUTH, 10, P);
		}
		assert_noop!(
			Market::place_order(RuntimeOrigin::signed(BOB), Side::Sell, NORTH, 10, 200 * P, None),
			Error::<Test>::BookFull
		);
		assert_ok!(Market::set_grid_fee(RuntimeOrigin::root(), NORTH, SOUTH, Some(0)));
		// Dave's buy takes Bob's sell; its rest cannot rest in South's full buy book and is
		// returned to him.
		let id = place(DAVE, Side::Buy, SOUTH, 20, 95 * P);
		assert_eq!(trades().len(), 1);
		assert_eq!(
			market_events().last(),
			Some(&MarketEvent::OrderTruncated {
				order: id,
				owner: DAVE,
				unfilled: 10,
				reason: Truncation::BookFull
			})
		);
		assert_eq!(remaining(id), None);
		check_invariants();
	});
}

#[test]
fn the_admin_sets_and_removes_grid_fees() {
	new_test_ext().execute_with(|| {
		let set = |from, to, fee| Market::set_grid_fee(RuntimeOrigin::root(), from, to, fee);
		assert_noop!(
			Market::set_grid_fee(RuntimeOrigin::signed(NORTH_OP), NORTH, SOUTH, Some(P)),
			DispatchError::BadOrigin
		);
		assert_noop!(set(NORTH, 9, Some(P)), Error::<Test>::UnknownZone);
		assert_noop!(set(9, NORTH, Some(P)), Error::<Test>::UnknownZone);
		assert_noop!(set(NORTH, SOUTH, Some(P + 1)), Error::<Test>::PriceOffTick);

		assert_ok!(set(NORTH, SOUTH, Some(3 * P)));
		assert_eq!(
			market_events().last(),
			Some(&MarketEvent::GridFeeSet { from: NORTH, to: SOUTH, fee: Some(3 * P) })
		);
		assert_eq!(GridFees::<Test>::get(NORTH, SOUTH), Some(3 * P));
		assert_eq!(ImportsOf::<Test>::get(SOUTH).to_vec(), vec![NORTH]);
		assert_eq!(Market::grid_fee(SOUTH, NORTH), None, "each direction on its own");
		assert_eq!(Market::grid_fee(EAST, EAST), Some(0), "a zone trades with itself");
		assert_ok!(set(NORTH, SOUTH, Some(4 * P)));
		assert_eq!(ImportsOf::<Test>::get(SOUTH).to_vec(), vec![NORTH], "listed once");

		MaxRoutesPerZone::set(1);
		assert_noop!(set(EAST, SOUTH, Some(0)), Error::<Test>::TooManyRoutes);
		// A same-zone fee is no route.
		assert_ok!(set(SOUTH, SOUTH, Some(P)));
		MaxRoutesPerZone::set(2);
		assert_ok!(set(EAST, SOUTH, Some(0)));

		assert_ok!(set(NORTH, SOUTH, None));
		assert_eq!(
			market_events().last(),
			Some(&MarketEvent::GridFeeSet { from: NORTH, to: SOUTH, fee: None })
		);
		assert_eq!(Market::grid_fee(NORTH, SOUTH), None);
		assert_eq!(ImportsOf::<Test>::get(SOUTH).to_vec(), vec![EAST]);
		assert_ok!(set(SOUTH, SOUTH, None));
		assert_eq!(Market::grid_fee(SOUTH, SOUTH), Some(0));
		check_invariants();
	});
}

#[test]
fn a_same_zone_fee_goes_to_the_zones_operator() {
	new_test_ext().execute_with(|| {
		assert_ok!(Market::set_grid_fee(RuntimeOrigin::root(), SOUTH, SOUTH, Some(4 * P)));
		let sell = place(CHARLIE, Side::Sell, SOUTH, 100, 50 * P);
		let buy = place(DAVE, Side::Buy, SOUTH, 100, 60 * P);
		assert_eq!(
			trades(),
			vec![trade((buy, DAVE, SOUTH), (sell, CHARLIE, SOUTH), 100, 50 * P, 4 * P, SOUTH_OP)]
		);
		assert_eq!(funds(SOUTH_OP), OPERATOR_FUNDS + 400);
		assert_eq!(funds(DAVE), FUNDS - 100 * 54);
		check_invariants();
	});
}

#[test]
fn each_trade_is_kept_for_both_zones_and_added_to_traders_and_interval_totals() {
	new_test_ext().execute_with(|| {
		// 75 minutes after the epoch: settlement interval 5.
		pallet_timestamp::Now::<Test>::put(4_500_000);
		assert_ok!(Market::set_grid_fee(RuntimeOrigin::root(), SOUTH, NORTH, Some(15 * P)));
		let buy = place(ALICE, Side::Buy, NORTH, 500, 120 * P);
		let sell = place(CHARLIE, Side::Sell, SOUTH, 800, 100 * P);
		let record = |seq| TradeRecordOf::<Test> {
			seq,
			block: 1,
			timestamp: 4_500,
			buy_order: buy,
			sell_order: sell,
			buyer: ALICE,
			seller: CHARLIE,
			buyer_zone: NORTH,
			seller_zone: SOUTH,
			amount_wh: 500,
			price: 105 * P,
			fee: 15 * P,
		};
		assert_eq!(Market::recent_trades(NORTH, 10), vec![record(0)]);
		assert_eq!(Market::recent_trades(SOUTH, 10), vec![record(0)]);
		assert_eq!(Market::recent_trades(EAST, 10), vec![]);
		assert_eq!(
			TradedBy::<Test>::get(ALICE),
			Trading { bought_wh: 500, sold_wh: 0, paid: 500 * 120, received: 0 }
		);
		assert_eq!(
			TradedBy::<Test>::get(CHARLIE),
			Trading { bought_wh: 0, sold_wh: 500, paid: 0, received: 500 * 105 }
		);
		let totals = |zone| Market::interval_trading(zone, 5);
		assert_eq!(
			totals(NORTH),
			Some(IntervalTrading { trades: 1, sold_wh: 0, bought_wh: 500, value: 500 * 105 })
		);
		assert_eq!(
			totals(SOUTH),
			Some(IntervalTrading { trades: 1, sold_wh: 500, bought_wh: 0, value: 500 * 105 })
		);
		assert_eq!(Market::interval_trading(NORTH, 4), None);
	});
}

#[test]
fn a_zone_keeps_the_trading_of_its_most_recent_intervals_only() {
	new_test_ext().execute_with(|| {
		// The mock keeps 4 intervals: interval 5's slot is taken over by interval 9's.
		pallet_timestamp::Now::<Test>::put(5 * 900_000);
		place(BOB, Side::Sell, NORTH, 100, 100 * P);
		place(ALICE, Side::Buy, NORTH, 100, 100 * P);
		pallet_timestamp::Now::<Test>::put(9 * 900_000);
		place(BOB, Side::Sell, NORTH, 200, 100 * P);
		place(ALICE, Side::Buy, NORTH, 200, 100 * P);
		assert_eq!(Market::interval_trading(NORTH, 5), None, "left the window");
		assert_eq!(Market::interval_trading(NORTH, 9).map(|t| t.sold_wh), Some(200));
		assert_eq!(RecentIntervalTrading::<Test>::iter_prefix(NORTH).count(), 1, "one slot");
		check_invariants();
	});
}

#[test]
fn a_reaped_accounts_trading_is_forgotten() {
	new_test_ext().execute_with(|| {
		place(BOB, Side::Sell, NORTH, 100, 100 * P);
		place(ALICE, Side::Buy, NORTH, 100, 100 * P);
		assert_eq!(TradedBy::<Test>::get(ALICE).bought_wh, 100);
		// Alice sends everything she has to Ferdie: her account is reaped.
		let all = <Balances as Inspect<u64>>::balance(&ALICE);
		assert_ok!(Balances::transfer_allow_death(RuntimeOrigin::signed(ALICE), FERDIE, all));
		assert!(!System::account_exists(&ALICE));
		assert!(!TradedBy::<Test>::contains_key(ALICE), "forgotten with its account");
		assert_eq!(TradedBy::<Test>::get(BOB).sold_wh, 100, "the seller's record stays");
		assert_ok!(Market::do_try_state());
	});
}

#[test]
fn a_fee_a_reaped_operator_cannot_take_is_kept_for_it_and_trading_goes_on() {
	ExistentialDeposit::set(500);
	new_test_ext().execute_with(|| {
		// North's operator empties its account: it is reaped.
		assert_ok!(Balances::transfer_allow_death(
			RuntimeOrigin::signed(NORTH_OP),
			FERDIE,
			OPERATOR_FUNDS
		));
		assert!(!System::account_exists(&NORTH_OP));
		// Alice (North) buys 100 Wh from Charlie (South) at a fee of 2 per Wh: 200, below the
		// existential deposit of 500. The trade settles; the fee is kept for the operator.
		assert_ok!(Market::set_grid_fee(RuntimeOrigin::root(), SOUTH, NORTH, Some(2 * P)));
		place(CHARLIE, Side::Sell, SOUTH, 400, 100 * P);
		place(ALICE, Side::Buy, NORTH, 100, 110 * P);
		assert_eq!(credits(ALICE), CREDITS + 100, "the trade settled");
		assert!(market_events().contains(&MarketEvent::GridFeeOwed {
			operator: NORTH_OP,
			amount: 200,
			owed: 200
		}));
		assert_eq!(UnpaidFees::<Test>::get(NORTH_OP), 200);
		place(ALICE, Side::Buy, NORTH, 100, 110 * P);
		assert_eq!(UnpaidFees::<Test>::get(NORTH_OP), 400);
		check_invariants();

		// 400 is below the existential deposit: the operator must fund its account first.
		assert_noop!(
			Market::claim_grid_fees(RuntimeOrigin::signed(NORTH_OP)),
			Error::<Test>::ClaimBelowMinimum
		);
		place(ALICE, Side::Buy, NORTH, 100, 110 * P);
		assert_eq!(UnpaidFees::<Test>::get(NORTH_OP), 600);
		assert_ok!(Market::claim_grid_fees(RuntimeOrigin::signed(NORTH_OP)));
		assert_eq!(funds(NORTH_OP), 600);
		assert_eq!(UnpaidFees::<Test>::get(NORTH_OP), 0);
		assert_eq!(
			market_events().last(),
			Some(&MarketEvent::GridFeesClaimed { operator: NORTH_OP, amount: 600 })
		);
		assert_noop!(
			Market::claim_grid_fees(RuntimeOrigin::signed(NORTH_OP)),
			Error::<Test>::NothingToClaim
		);
		// With an account, the operator is paid at the trade again.
		place(ALICE, Side::Buy, NORTH, 100, 110 * P);
		assert_eq!(funds(NORTH_OP), 800);
		check_invariants();
	});
	ExistentialDeposit::set(1);
}

#[test]
fn a_zone_keeps_its_most_recent_trades_newest_first() {
	new_test_ext().execute_with(|| {
		// The mock keeps 3 trades per zone; Bob sells to Alice four times in North.
		for price in [101, 102, 103, 104] {
			place(BOB, Side::Sell, NORTH, 100, price * P);
			place(ALICE, Side::Buy, NORTH, 100, price * P);
		}
		let recent = |limit| -> Vec<(u64, u64)> {
			Market::recent_trades(NORTH, limit).iter().map(|t| (t.seq, t.price / P)).collect()
		};
		assert_eq!(recent(10), vec![(3, 104), (2, 103), (1, 102)]);
		assert_eq!(recent(2), vec![(3, 104), (2, 103)]);
		assert_eq!(recent(0), vec![]);
		assert_eq!(TradeCount::<Test>::get(NORTH), 4);
		assert_eq!(TradedBy::<Test>::get(BOB).sold_wh, 400);
		check_invariants();
	});
}

#[test]
fn migration_to_v1_funds_the_market_keeps_the_window_and_forgets_reaped_traders() {
	use crate::migrations::v1::{BoundedHistory, ZoneIntervalTrading};
	use frame_support::{
		migrations::SteppedMigration,
		traits::{GetStorageVersion, StorageVersion},
		weights::WeightMeter,
	};
	new_test_ext().execute_with(|| {
		// Version 0: no market account, all history, a reaped account's trading on record.
		StorageVersion::new(0).put::<Market>();
		let market = Market::account();
		let _ = <Balances as frame_support::traits::fungible::Mutate<u64>>::burn_from(
			&market,
			ExistentialDeposit::get(),
			frame_support::traits::tokens::Preservation::Expendable,
			frame_support::traits::tokens::Precision::Exact,
			frame_support::traits::tokens::Fortitude::Force,
		);
		assert_eq!(funds(market), 0);
		pallet_timestamp::Now::<Test>::put(10 * 900_000);
		let trading = |trades| IntervalTrading { trades, sold_wh: 1, bought_wh: 1, value: 1 };
		ZoneIntervalTrading::<Test>::insert(NORTH, 9, trading(2));
		ZoneIntervalTrading::<Test>::insert(NORTH, 2, trading(1));
		TradedBy::<Test>::insert(ALICE, Trading { bought_wh: 5, ..Default::default() });
		TradedBy::<Test>::insert(999, Trading { sold_wh: 5, ..Default::default() });

		let mut steps = 0;
		let mut cursor = None;
		loop {
			let weight = BoundedHistory::<Test>::weight_per_record().saturating_mul(2);
			let mut meter = WeightMeter::with_limit(weight);
			cursor = BoundedHistory::<Test>::step(cursor, &mut meter).expect("a step");
			steps += 1;
			if cursor.is_none() {
				break;
			}
		}
		assert!(steps >= 2, "{steps} steps");
		assert_eq!(funds(market), ExistentialDeposit::get(), "the market's account exists");
		assert_eq!(Market::interval_trading(NORTH, 9), Some(trading(2)));
		assert_eq!(Market::interval_trading(NORTH, 2), None, "older than the window");
		assert_eq!(ZoneIntervalTrading::<Test>::iter().count(), 0);
		assert!(TradedBy::<Test>::contains_key(ALICE), "Alice's account exists");
		assert!(!TradedBy::<Test>::contains_key(999), "account 999 does not");
		assert_eq!(Market::on_chain_storage_version(), 1);
		assert_eq!(BoundedHistory::<Test>::step(None, &mut WeightMeter::new()), Ok(None));
	});
}
