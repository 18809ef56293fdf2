//! Grid fees, the records kept of trades for zones and traders, history windows, fees owed to
//! reaped operators, the migration.

use super::*;

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
