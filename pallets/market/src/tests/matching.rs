//! Placing orders: what rests and what it holds, matching by price, time and zone, the
//! weight a placement is charged.

use super::*;

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
