//! Readings in a block: accepted, added to their zone's totals, and each kind of bad reading
//! rejected with nothing changed.

use super::*;

#[test]
fn accepted_reading_mints_exports_and_records_imports() {
	new_test_ext().execute_with(|| {
		// Baseline (1000, 2000) at registration; 3 intervals later (1400, 3500).
		let reading = sign(&oracle(), PROSUMER, FIRST + 2, 1_400, 3_500);
		assert_ok!(Readings::submit_reading(relayer(), reading));
		assert_eq!(credits(ALICE), 1_500);
		assert_eq!(consumption(ALICE), 400);
		let state = MeterStates::<Test>::get(PROSUMER).expect("recorded");
		assert_eq!(state.last_interval, FIRST + 2);
		assert_eq!((state.registers.imported_wh, state.registers.exported_wh), (1_400, 3_500));
		assert_eq!(
			(state.readings, state.credits_minted, state.consumption_recorded),
			(1, 1_500, 400)
		);
		assert_eq!(
			events(),
			vec![ReadingsEvent::ReadingAccepted {
				meter: PROSUMER,
				interval: FIRST + 2,
				oracle: oracle().account(),
				owner: ALICE.to_account_id(),
				registers: peergrid_primitives::Registers {
					imported_wh: 1_400,
					exported_wh: 3_500
				},
				consumed_wh: 400,
				credits_minted: 1_500,
			}]
		);

		// The next reading mints only what was exported since.
		assert_ok!(Readings::submit_reading(
			relayer(),
			sign(&oracle(), PROSUMER, FIRST + 3, 1_500, 4_000)
		));
		assert_eq!((credits(ALICE), consumption(ALICE)), (2_000, 500));
		assert_eq!(Credits::total_issuance(), 2_000);
		assert_eq!(pallet_credits::TotalMinted::<Test>::get(), 2_000);
	});
}

#[test]
fn export_delivered_against_an_auction_allocation_goes_to_the_buyers_not_the_owner() {
	new_test_ext().execute_with(|| {
		// 1,500 Wh exported over 3 intervals since the baseline: it proves nothing of the
		// reading's own interval, which delivers nothing; all is the owner's.
		Allocation::set(Some((PROSUMER, FIRST + 2, 300)));
		let reading = sign(&oracle(), PROSUMER, FIRST + 2, 1_400, 3_500);
		assert_ok!(Readings::submit_reading(relayer(), reading));
		assert_eq!(Reported::get(), vec![(PROSUMER, FIRST + 2, 0)]);
		assert_eq!(credits(ALICE), 1_500);
		// The next reading covers its interval alone: 500 Wh, of which 300 were allocated to
		// the owner's offers there, delivered to the buyers; the owner is minted the rest.
		Allocation::set(Some((PROSUMER, FIRST + 3, 300)));
		let reading = sign(&oracle(), PROSUMER, FIRST + 3, 1_500, 4_000);
		assert_ok!(Readings::submit_reading(relayer(), reading));
		assert_eq!(Reported::get().last(), Some(&(PROSUMER, FIRST + 3, 500)));
		assert_eq!(credits(ALICE), 1_700);
		let state = MeterStates::<Test>::get(PROSUMER).expect("recorded");
		assert_eq!(state.credits_minted, 1_700);
		assert!(matches!(
			events().last(),
			Some(ReadingsEvent::ReadingAccepted { credits_minted: 200, .. })
		));
	});
}

#[test]
fn a_reading_leaves_its_history_in_its_event_and_nothing_but_its_meter_state_in_storage() {
	new_test_ext().execute_with(|| {
		let readings = batch(vec![
			sign(&oracle(), PROSUMER, FIRST + 2, 1_400, 3_500),
			sign(&oracle(), CONSUMER, FIRST + 2, 300, 0),
			// Rejected (a replay of the same interval).
			sign(&oracle(), CONSUMER, FIRST + 2, 900, 0),
		]);
		assert_ok!(Readings::submit_readings(relayer(), readings));
		// What a zone's totals are summed from: each accepted reading's event.
		let accepted: Vec<_> = events()
			.into_iter()
			.filter_map(|e| match e {
				ReadingsEvent::ReadingAccepted { meter, consumed_wh, credits_minted, .. } => {
					Some((meter, consumed_wh, credits_minted))
				}
				_ => None,
			})
			.collect();
		assert_eq!(accepted, vec![(PROSUMER, 400, 1_500), (CONSUMER, 300, 0)]);
		// The pallet's storage: the meters' states and its version, nothing else.
		use frame_support::storage::StoragePrefixedMap;
		let pallet = sp_io::hashing::twox_128(b"Readings");
		let states = MeterStates::<Test>::final_prefix();
		let version = [pallet, sp_io::hashing::twox_128(b":__STORAGE_VERSION__:")].concat();
		let mut key = pallet.to_vec();
		let mut keys = 0;
		while let Some(next) = sp_io::storage::next_key(&key).filter(|k| k.starts_with(&pallet)) {
			assert!(next.starts_with(&states) || next == version, "another key: {next:?}");
			keys += 1;
			key = next;
		}
		assert_eq!(keys, 3, "two meters' states and the version");
	});
}

#[test]
fn a_batch_is_charged_for_the_accounts_it_wrote() {
	use crate::WeightInfo;
	type W = <Test as Config>::WeightInfo;
	new_test_ext().execute_with(|| {
		let readings = batch(vec![
			sign(&oracle(), PROSUMER, FIRST + 2, 1_400, 3_500),
			sign(&oracle(), CONSUMER, FIRST + 2, 300, 0),
			sign(&oracle(), PROSUMER, FIRST + 3, 1_500, 4_000),
			// Rejected: writes no account.
			sign(&oracle(), CONSUMER, FIRST + 1, 100, 0),
		]);
		let call = Call::<Test>::submit_readings { readings: readings.clone() };
		use frame_support::dispatch::GetDispatchInfo;
		// Each reading is charged the delivery auction's worst case too.
		let declared = Readings::with_delivery(W::submit_readings(4), 4);
		assert!(declared.any_gt(W::submit_readings(4)));
		assert_eq!(call.get_dispatch_info().call_weight, declared);
		let info = Readings::submit_readings(relayer(), readings).expect("the batch is taken");
		// Two owners: of 4 readings, the 3rd wrote an account the batch had written, the
		// rejected 4th wrote none.
		assert_eq!(info.actual_weight, Some(Readings::batch_weight(declared, 4, 2, 0)));
		// And each of the 4 readings, none of a meter with an allocation, is refunded all of
		// the delivery auction's declared weight but a miss's.
		use peergrid_primitives::DeliveryLedger;
		let miss = MockDelivery::deliver_weight() - MockDelivery::miss_weight();
		let refund = <Test as frame_system::Config>::DbWeight::get().reads_writes(2, 2) + miss * 4;
		assert!(refund.ref_time() > 0);
		let one_delivery = Readings::batch_weight(declared, 4, 2, 1);
		assert_eq!(one_delivery, declared.saturating_sub(refund) + miss);
		assert_eq!(Readings::batch_weight(declared, 4, 2, 0), declared.saturating_sub(refund));
	});
}

#[test]
fn a_block_does_not_check_a_batch_twice_the_call_checks_each_reading() {
	use crate::WeightInfo;
	use frame_support::traits::Authorize;
	type W = <Test as Config>::WeightInfo;
	new_test_ext().execute_with(|| {
		// Replays of nothing: both readings are of an interval not yet ended.
		let readings = batch(vec![
			sign(&oracle(), PROSUMER, FIRST + 20, 1_400, 3_500),
			sign(&oracle(), CONSUMER, FIRST + 20, 300, 0),
		]);
		let call = Call::<Test>::submit_readings { readings: readings.clone() };
		assert!(call.authorize(TransactionSource::External).is_some_and(|r| r.is_err()));
		let (_, refund) = call
			.authorize(TransactionSource::InBlock)
			.expect("the call authorizes")
			.expect("unchecked in a block");
		assert_eq!(refund, W::authorize_readings(2).saturating_sub(W::authorize_readings(0)));
		assert_ok!(Readings::submit_readings(relayer(), readings));
		assert_eq!(
			events().iter().filter(|e| matches!(e, ReadingsEvent::ReadingRejected { .. })).count(),
			2
		);
	});
}

#[test]
fn ed25519_and_ecdsa_oracles_sign_readings_too() {
	new_test_ext().execute_with(|| {
		assert_ok!(Readings::submit_reading(
			relayer(),
			sign(&ed_oracle(), PROSUMER, FIRST, 1_000, 2_100)
		));
		assert_ok!(Readings::submit_reading(
			relayer(),
			sign(&ecdsa_oracle(), PROSUMER, FIRST + 1, 1_000, 2_300)
		));
		assert_eq!(credits(ALICE), 300);
	});
}

#[test]
fn a_consumption_meter_records_consumption_and_mints_nothing() {
	new_test_ext().execute_with(|| {
		assert_ok!(Readings::submit_reading(relayer(), sign(&oracle(), CONSUMER, FIRST, 700, 0)));
		assert_eq!((credits(BOB), consumption(BOB)), (0, 700));
	});
}

#[test]
fn a_batch_accepts_the_valid_readings_and_reports_each_rejected_one() {
	new_test_ext().execute_with(|| {
		let readings = batch(vec![
			sign(&oracle(), PROSUMER, FIRST, 1_000, 2_500),
			sign(&oracle(), 99, FIRST, 0, 0),
			sign_for(H256::repeat_byte(1), &oracle(), CONSUMER, FIRST, 10, 0),
			sign(&oracle(), CONSUMER, FIRST, 300, 0),
		]);
		assert_ok!(Readings::submit_readings(relayer(), readings));
		assert_eq!((credits(ALICE), consumption(BOB)), (500, 300));
		let outcomes: Vec<_> = events()
			.into_iter()
			.map(|e| match e {
				ReadingsEvent::ReadingAccepted { meter, .. } => (meter, None),
				ReadingsEvent::ReadingRejected { meter, error, .. } => (meter, Some(error)),
				_ => unreachable!(),
			})
			.collect();
		assert_eq!(
			outcomes,
			vec![
				(PROSUMER, None),
				(99, Some(module_error(Error::UnknownMeter))),
				(CONSUMER, Some(module_error(Error::BadSignature))),
				(CONSUMER, None),
			]
		);
	});
}

#[test]
fn the_same_batch_twice_is_rejected_the_second_time() {
	new_test_ext().execute_with(|| {
		let readings = batch(vec![
			sign(&oracle(), PROSUMER, FIRST, 1_000, 2_500),
			sign(&oracle(), CONSUMER, FIRST, 300, 0),
		]);
		assert_ok!(Readings::submit_readings(relayer(), readings.clone()));
		System::reset_events();

		// The pool refuses it: nothing in it is new.
		let call = Call::<Test>::submit_readings { readings: readings.clone() };
		assert_eq!(
			call.authorize(TransactionSource::External).expect("an authorized call").map(|_| ()),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Stale))
		);
		// Included anyway (signed by a relayer), every reading is rejected and nothing changes.
		assert_ok!(Readings::submit_readings(relayer(), readings));
		assert_eq!((credits(ALICE), consumption(BOB)), (500, 300));
		assert!(events().iter().all(|e| matches!(
			e,
			ReadingsEvent::ReadingRejected { error, .. } if *error == module_error(Error::IntervalNotNewer)
		)));
	});
}

#[test]
fn a_reading_signed_for_another_chain_is_rejected() {
	new_test_ext().execute_with(|| {
		let forged = sign_for(H256::repeat_byte(0xbb), &oracle(), PROSUMER, FIRST, 1_000, 2_500);
		assert_refused(forged, Error::BadSignature);
	});
}

#[test]
fn a_tampered_reading_is_rejected() {
	new_test_ext().execute_with(|| {
		let mut reading = sign(&oracle(), PROSUMER, FIRST, 1_000, 2_100);
		reading.reading.exported_wh = 3_000;
		assert_refused(reading, Error::BadSignature);
	});
}

#[test]
fn a_reading_signed_by_another_key_than_it_names_is_rejected() {
	new_test_ext().execute_with(|| {
		let mut reading = sign(&stranger(), PROSUMER, FIRST, 1_000, 2_100);
		reading.oracle = oracle().account();
		assert_refused(reading, Error::BadSignature);
	});
}

#[test]
fn an_older_or_repeated_interval_is_rejected() {
	new_test_ext().execute_with(|| {
		assert_ok!(Readings::submit_reading(
			relayer(),
			sign(&oracle(), PROSUMER, FIRST + 5, 1_000, 2_100)
		));
		assert_refused(sign(&oracle(), PROSUMER, FIRST + 5, 1_000, 2_200), Error::IntervalNotNewer);
		assert_refused(sign(&oracle(), PROSUMER, FIRST + 4, 1_000, 2_200), Error::IntervalNotNewer);
	});
}

#[test]
fn an_interval_that_has_not_ended_is_rejected() {
	new_test_ext().execute_with(|| {
		// The clock stands at the start of interval FIRST + 10.
		assert_refused(
			sign(&oracle(), PROSUMER, FIRST + 10, 1_000, 2_100),
			Error::IntervalInFuture,
		);
		assert_refused(sign(&oracle(), PROSUMER, u64::MAX, 1_000, 2_100), Error::IntervalInFuture);
		assert_ok!(Readings::submit_reading(
			relayer(),
			sign(&oracle(), PROSUMER, FIRST + 9, 1_000, 2_100)
		));
	});
}

#[test]
fn an_interval_not_after_the_baseline_is_rejected() {
	new_test_ext().execute_with(|| {
		assert_refused(sign(&oracle(), PROSUMER, FIRST - 1, 1_000, 2_100), Error::IntervalNotNewer);
		assert_refused(sign(&oracle(), PROSUMER, FIRST - 2, 1_000, 2_100), Error::IntervalNotNewer);
	});
}

#[test]
fn a_meter_without_baseline_gets_it_from_its_first_reading() {
	new_test_ext().execute_with(|| {
		let south = south_oracle();
		assert_ok!(Readings::submit_reading(
			relayer(),
			sign(&south, SOUTH_METER, FIRST, 10, 90_000)
		));
		assert_eq!(credits(ALICE), 0, "the baseline reading mints nothing");
		let state = MeterStates::<Test>::get(SOUTH_METER).expect("baseline recorded");
		assert_eq!((state.last_interval, state.registers.exported_wh), (FIRST, 90_000));
		assert_ok!(Readings::submit_reading(
			relayer(),
			sign(&south, SOUTH_METER, FIRST + 1, 10, 90_500)
		));
		assert_eq!(credits(ALICE), 500);
	});
}

#[test]
fn a_decreasing_register_is_rejected() {
	new_test_ext().execute_with(|| {
		// Below the registration baseline (1000, 2000).
		assert_refused(sign(&oracle(), PROSUMER, FIRST, 999, 2_000), Error::RegisterDecreased);
		assert_refused(sign(&oracle(), PROSUMER, FIRST, 1_000, 1_999), Error::RegisterDecreased);
		assert_ok!(Readings::submit_reading(
			relayer(),
			sign(&oracle(), PROSUMER, FIRST, 1_100, 2_100)
		));
		assert_refused(
			sign(&oracle(), PROSUMER, FIRST + 1, 1_099, 2_200),
			Error::RegisterDecreased,
		);
	});
}

#[test]
fn an_implausible_delta_is_rejected() {
	new_test_ext().execute_with(|| {
		// 5 kW for one 15-minute interval is at most 1,250 Wh.
		assert_refused(
			sign(&oracle(), PROSUMER, FIRST, 1_000, 2_000 + 1_251),
			Error::ImplausibleDelta,
		);
		assert_refused(
			sign(&oracle(), PROSUMER, FIRST, 1_000 + 1_251, 2_000),
			Error::ImplausibleDelta,
		);
		assert_ok!(Readings::submit_reading(
			relayer(),
			sign(&oracle(), PROSUMER, FIRST, 1_000, 3_250)
		));
		// Two intervals later, twice as much is plausible.
		assert_ok!(Readings::submit_reading(
			relayer(),
			sign(&oracle(), PROSUMER, FIRST + 2, 1_000, 5_750)
		));
		// A consumption meter exports nothing.
		assert_refused(sign(&oracle(), CONSUMER, FIRST, 100, 1), Error::ImplausibleDelta);
	});
}

#[test]
fn a_reading_of_an_unknown_meter_is_rejected() {
	new_test_ext().execute_with(|| {
		assert_refused(sign(&oracle(), 42, FIRST, 0, 0), Error::UnknownMeter);
	});
}

#[test]
fn a_reading_of_a_suspended_or_retired_meter_is_rejected() {
	new_test_ext().execute_with(|| {
		let set = |status| {
			assert_ok!(Meters::set_meter_status(
				RuntimeOrigin::signed(OPERATOR.to_account_id()),
				PROSUMER,
				status
			));
		};
		set(MeterStatus::Suspended);
		assert_refused(sign(&oracle(), PROSUMER, FIRST, 1_000, 2_100), Error::MeterNotActive);
		set(MeterStatus::Active);
		assert_ok!(Readings::submit_reading(
			relayer(),
			sign(&oracle(), PROSUMER, FIRST, 1_000, 2_100)
		));
		set(MeterStatus::Retired);
		assert_refused(sign(&oracle(), PROSUMER, FIRST + 1, 1_000, 2_200), Error::MeterNotActive);
	});
}

#[test]
fn a_reading_signed_by_an_unauthorized_oracle_is_rejected() {
	new_test_ext().execute_with(|| {
		assert_refused(sign(&stranger(), PROSUMER, FIRST, 1_000, 2_100), Error::UnknownOracle);
		assert_ok!(Meters::revoke_oracle(RuntimeOrigin::root(), oracle().account()));
		assert_refused(sign(&oracle(), PROSUMER, FIRST, 1_000, 2_100), Error::UnknownOracle);
	});
}

#[test]
fn a_reading_signed_by_an_oracle_of_another_zone_is_rejected() {
	new_test_ext().execute_with(|| {
		assert_refused(
			sign(&south_oracle(), PROSUMER, FIRST, 1_000, 2_100),
			Error::OracleNotAuthorizedForZone,
		);
		assert_refused(
			sign(&oracle(), SOUTH_METER, FIRST, 0, 100),
			Error::OracleNotAuthorizedForZone,
		);
		assert_ok!(Readings::submit_reading(
			relayer(),
			sign(&south_oracle(), SOUTH_METER, FIRST, 0, 100)
		));
	});
}

#[test]
fn readings_need_a_relayer_origin() {
	new_test_ext().execute_with(|| {
		let reading = sign(&oracle(), PROSUMER, FIRST, 1_000, 2_100);
		assert_noop!(
			Readings::submit_reading(RuntimeOrigin::none(), reading.clone()),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Readings::submit_reading(RuntimeOrigin::root(), reading.clone()),
			DispatchError::BadOrigin
		);
		let authorized: RuntimeOrigin = frame_system::RawOrigin::Authorized.into();
		assert_ok!(Readings::submit_reading(authorized, reading));
	});
}

#[test]
fn an_empty_batch_is_refused() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Readings::submit_readings(relayer(), batch(vec![])),
			Error::<Test>::EmptyBatch
		);
		let call = Call::<Test>::submit_readings { readings: batch(vec![]) };
		assert!(call.authorize(TransactionSource::External).expect("authorized call").is_err());
	});
}
