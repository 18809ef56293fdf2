//! An order's life apart from matching: dust, cancel, expiry, bad input, bounds.

use super::*;

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
