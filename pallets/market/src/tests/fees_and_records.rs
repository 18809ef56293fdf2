//! Grid fees, what a trade leaves (its event, no history in storage), fees owed to reaped
//! operators, the migration.

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
fn a_trade_leaves_its_history_in_its_event_and_only_open_state_in_storage() {
	new_test_ext().execute_with(|| {
		assert_ok!(Market::set_grid_fee(RuntimeOrigin::root(), SOUTH, NORTH, Some(15 * P)));
		let buy = place(ALICE, Side::Buy, NORTH, 500, 120 * P);
		let sell = place(CHARLIE, Side::Sell, SOUTH, 800, 100 * P);
		// The resting buy's price, less the grid fee, is the seller's price.
		assert_eq!(
			trades(),
			vec![trade(
				(buy, ALICE, NORTH),
				(sell, CHARLIE, SOUTH),
				500,
				105 * P,
				15 * P,
				NORTH_OP
			)]
		);
		// The market's storage holds the open orders, books, routes and fees, nothing of the
		// trade: its history is the event.
		use frame_support::storage::StoragePrefixedMap;
		let pallet = sp_io::hashing::twox_128(b"Market");
		let open_state = [
			NextOrderId::<Test>::hashed_key().to_vec(),
			Orders::<Test>::final_prefix().to_vec(),
			Books::<Test>::final_prefix().to_vec(),
			OrdersOf::<Test>::final_prefix().to_vec(),
			ExpiringAt::<Test>::final_prefix().to_vec(),
			GridFees::<Test>::final_prefix().to_vec(),
			ImportsOf::<Test>::final_prefix().to_vec(),
			ExportsOf::<Test>::final_prefix().to_vec(),
			UnpaidFees::<Test>::final_prefix().to_vec(),
			[pallet, sp_io::hashing::twox_128(b":__STORAGE_VERSION__:")].concat(),
		];
		let mut key = pallet.to_vec();
		while let Some(next) = sp_io::storage::next_key(&key).filter(|k| k.starts_with(&pallet)) {
			assert!(open_state.iter().any(|p| next.starts_with(p)), "another key: {next:?}");
			key = next;
		}
		check_invariants();
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
fn migration_to_v2_funds_the_market_and_removes_all_history_over_several_blocks() {
	use crate::migrations::v2::NoHistory;
	use codec::Encode;
	use frame_support::weights::constants::ParityDbWeight;
	use frame_support::{
		migrations::SteppedMigration,
		storage::unhashed,
		traits::{GetStorageVersion, StorageVersion},
		weights::{Weight, WeightMeter},
	};
	use peergrid_primitives::migration::removal_weights;
	new_test_ext().execute_with(|| {
		place(BOB, Side::Sell, NORTH, 300, 100 * P);
		let open = (Orders::<Test>::iter().count(), Books::<Test>::iter().count());
		// Version 0: no market account; history of both versions, as they wrote it.
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
		// Keys laid out as the old declarations did, built apart from the migration's aliases:
		// the pallet's and the map's names, then each key (`Twox64Concat`, an account
		// `Blake2_128Concat`).
		use sp_io::hashing::{blake2_128, twox_128, twox_64};
		let twox = |k: Vec<u8>| [twox_64(&k).to_vec(), k].concat();
		let key = |map: &str, keys: &[Vec<u8>]| {
			[twox_128(b"Market").to_vec(), twox_128(map.as_bytes()).to_vec(), keys.concat()]
				.concat()
		};
		let record = (7u32, 100u64, 100u64, 5_000u64).encode();
		for (zone, interval) in [(NORTH, 9u64), (NORTH, 2), (SOUTH, 9)] {
			let keys = [twox(zone.encode()), twox(interval.encode())];
			unhashed::put_raw(&key("ZoneIntervalTrading", &keys), &record);
		}
		for who in [ALICE, 999u64] {
			let keys = [[blake2_128(&who.encode()).to_vec(), who.encode()].concat()];
			unhashed::put_raw(&key("TradedBy", &keys), &record);
		}
		unhashed::put_raw(&key("TradeCount", &[twox(NORTH.encode())]), &4u64.encode());
		for slot in [0u32, 1, 2] {
			let keys = [twox(NORTH.encode()), twox(slot.encode())];
			unhashed::put_raw(&key("RecentTrades", &keys), &record);
		}
		let keys = [twox(NORTH.encode()), twox(1u32.encode())];
		unhashed::put_raw(&key("RecentIntervalTrading", &keys), &record);
		assert_eq!(NoHistory::<Test>::left(), 10, "the aliases find the old records");

		let mut steps = 0;
		let mut cursor = None;
		loop {
			let (per_record, per_step) = removal_weights(ParityDbWeight::get());
			let weight = per_record.saturating_mul(4).saturating_add(per_step);
			let mut meter = WeightMeter::with_limit(weight);
			cursor = NoHistory::<Test>::step(cursor, &mut meter).expect("a step");
			steps += 1;
			if cursor.is_none() {
				break;
			}
		}
		// Four records or looks a step (the first step funds the account and takes one): 10
		// records and a look at each of the 5 maps.
		assert_eq!(steps, 5);
		assert_eq!(NoHistory::<Test>::left(), 0);
		assert_eq!(funds(market), ExistentialDeposit::get(), "the market's account exists");
		assert_eq!((Orders::<Test>::iter().count(), Books::<Test>::iter().count()), open);
		assert_eq!(Market::on_chain_storage_version(), 2);
		check_invariants();
		// Too little weight for one record: refused.
		StorageVersion::new(1).put::<Market>();
		let mut empty = WeightMeter::with_limit(Weight::zero());
		assert!(NoHistory::<Test>::step(None, &mut empty).is_err());
		// Done: a second run changes nothing.
		StorageVersion::new(2).put::<Market>();
		assert_eq!(NoHistory::<Test>::step(None, &mut WeightMeter::new()), Ok(None));
	});
}
