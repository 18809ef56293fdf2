//! Unit tests: readings accepted and every kind of bad reading refused, in the block and in
//! the transaction pool.

use crate::{
	mock::*, pallet::*, signing_payload, Event as ReadingsEvent, IntervalMetering, Reading,
	SignedReading,
};
use frame_support::{
	assert_noop, assert_ok,
	pallet_prelude::{InvalidTransaction, TransactionSource, TransactionValidityError},
	traits::{fungible::Inspect, Authorize},
	BoundedVec,
};
use peergrid_primitives::MeterStatus;
use sp_core::H256;
use sp_runtime::{DispatchError, ModuleError};

type Signed = SignedReadingOf<Test>;

/// `oracle`'s signature of a reading of `meter` for `interval` with registers
/// `(imported, exported)`, on the test chain.
fn sign(oracle: &Oracle, meter: u64, interval: u64, imported: u64, exported: u64) -> Signed {
	sign_for(GENESIS, oracle, meter, interval, imported, exported)
}

fn sign_for(
	genesis: H256,
	oracle: &Oracle,
	meter: u64,
	interval: u64,
	imported_wh: u64,
	exported_wh: u64,
) -> Signed {
	let reading = Reading { meter, interval, imported_wh, exported_wh };
	let signature = oracle.sign(&signing_payload(&genesis, &reading));
	SignedReading { reading, oracle: oracle.account(), signature }
}

fn batch(readings: Vec<Signed>) -> BoundedVec<Signed, frame_support::traits::ConstU32<8>> {
	BoundedVec::try_from(readings).expect("a small batch")
}

fn relayer() -> RuntimeOrigin {
	RuntimeOrigin::signed(sp_keyring::Sr25519Keyring::Eve.to_account_id())
}

fn events() -> Vec<ReadingsEvent<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Readings(e) => Some(e),
			_ => None,
		})
		.collect()
}

fn credits(who: sp_keyring::Sr25519Keyring) -> u64 {
	Credits::balance(&who.to_account_id())
}

fn consumption(who: sp_keyring::Sr25519Keyring) -> u64 {
	pallet_credits::Accounts::<Test>::get(who.to_account_id()).metered
}

/// The module error of this pallet named `error`, as a `ReadingRejected` event carries it.
fn module_error(error: Error<Test>) -> DispatchError {
	let DispatchError::Module(ModuleError { index, error, message }) = DispatchError::from(error)
	else {
		unreachable!("a pallet error is a module error")
	};
	DispatchError::Module(ModuleError { index, error, message })
}

/// Submits one reading and expects it refused with `error`, changing nothing.
fn assert_refused(reading: Signed, error: Error<Test>) {
	assert_noop!(Readings::submit_reading(relayer(), reading), error);
}

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
fn accepted_readings_add_to_their_zone_interval_totals_and_rejected_ones_do_not() {
	new_test_ext().execute_with(|| {
		let readings = batch(vec![
			sign(&oracle(), PROSUMER, FIRST + 2, 1_400, 3_500),
			sign(&oracle(), CONSUMER, FIRST + 2, 300, 0),
			// Rejected (a replay of the same interval): adds nothing.
			sign(&oracle(), CONSUMER, FIRST + 2, 900, 0),
		]);
		assert_ok!(Readings::submit_readings(relayer(), readings));
		assert_ok!(Readings::submit_reading(
			relayer(),
			sign(&oracle(), PROSUMER, FIRST + 3, 1_500, 4_000)
		));
		let totals = |interval| Readings::interval_totals(0, interval);
		assert_eq!(
			totals(FIRST + 2),
			Some(IntervalMetering { readings: 2, exported_wh: 1_500, imported_wh: 700 })
		);
		assert_eq!(
			totals(FIRST + 3),
			Some(IntervalMetering { readings: 1, exported_wh: 500, imported_wh: 100 })
		);
		assert_eq!(totals(FIRST + 1), None);
		assert_eq!(Readings::interval_totals(1, FIRST + 2), None);
	});
}

#[test]
fn a_zone_keeps_the_totals_of_its_most_recent_intervals_only() {
	new_test_ext().execute_with(|| {
		// The mock keeps 16 intervals. Readings of FIRST + 2 and, 16 intervals later, of
		// FIRST + 18 share a slot: the later one takes it over.
		assert_ok!(Readings::submit_reading(
			relayer(),
			sign(&oracle(), PROSUMER, FIRST + 2, 1_400, 3_500)
		));
		assert_eq!(RecentIntervals::<Test>::iter().count(), 1);
		set_time(T0 + 19 * 900);
		assert_ok!(Readings::submit_reading(
			relayer(),
			sign(&oracle(), PROSUMER, FIRST + 18, 1_500, 4_000)
		));
		assert_eq!(Readings::interval_totals(0, FIRST + 2), None, "left the window");
		assert_eq!(
			Readings::interval_totals(0, FIRST + 18),
			Some(IntervalMetering { readings: 1, exported_wh: 500, imported_wh: 100 })
		);
		assert_eq!(RecentIntervals::<Test>::iter().count(), 1, "one slot, taken over");
		// A late reading of an interval older than the window records its consumption (and
		// would mint its credits), but adds to no totals.
		assert_ok!(Readings::submit_reading(
			relayer(),
			sign(&oracle(), CONSUMER, FIRST + 2, 300, 0)
		));
		assert_eq!(consumption(BOB), 300);
		assert_eq!(Readings::interval_totals(0, FIRST + 2), None);
		assert_eq!(RecentIntervals::<Test>::iter().count(), 1);
	});
}

#[test]
fn a_batch_is_charged_for_the_zone_interval_totals_it_wrote() {
	use crate::WeightInfo;
	type W = <Test as Config>::WeightInfo;
	new_test_ext().execute_with(|| {
		let readings = batch(vec![
			sign(&oracle(), PROSUMER, FIRST + 2, 1_400, 3_500),
			sign(&oracle(), CONSUMER, FIRST + 2, 300, 0),
			sign(&oracle(), PROSUMER, FIRST + 3, 1_500, 4_000),
			// Rejected: writes no totals.
			sign(&oracle(), CONSUMER, FIRST + 1, 100, 0),
		]);
		let call = Call::<Test>::submit_readings { readings: readings.clone() };
		use frame_support::dispatch::GetDispatchInfo;
		assert_eq!(call.get_dispatch_info().call_weight, W::submit_readings(4));
		let info = Readings::submit_readings(relayer(), readings).expect("the batch is taken");
		// Zone 0 at two intervals: of 4 readings, the 2nd and the rejected 4th wrote no totals
		// of their own.
		assert_eq!(info.actual_weight, Some(Readings::batch_weight(4, 2)));
		let refund = <Test as frame_system::Config>::DbWeight::get().reads_writes(2, 2);
		assert!(refund.ref_time() > 0);
		assert_eq!(Readings::batch_weight(4, 2), W::submit_readings(4).saturating_sub(refund));
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

/// The pool's verdict on a batch.
fn pool_batch(
	readings: Vec<Signed>,
) -> Result<sp_runtime::transaction_validity::ValidTransaction, TransactionValidityError> {
	Call::<Test>::submit_readings { readings: batch(readings) }
		.authorize(TransactionSource::External)
		.expect("an authorized call")
		.map(|(validity, _)| validity)
}

#[test]
fn the_pool_refuses_a_batch_with_any_invalid_reading_with_that_readings_reason() {
	new_test_ext().execute_with(|| {
		// A fee-less batch is free block space: one invalid reading refuses all of it, with
		// the reason of the first invalid reading.
		let valid = sign(&oracle(), PROSUMER, FIRST, 1_000, 2_100);
		let stranger = sign(&stranger(), CONSUMER, FIRST, 300, 0);
		assert_eq!(
			pool_batch(vec![valid.clone(), stranger.clone()]),
			Err(InvalidTransaction::Custom(2).into()),
			"UnknownOracle, the pallet's error 2"
		);
		let forged = sign_for(H256::zero(), &oracle(), CONSUMER, FIRST, 300, 0);
		assert_eq!(
			pool_batch(vec![forged, valid.clone(), stranger]),
			Err(InvalidTransaction::BadProof.into())
		);
		let future = sign(&oracle(), CONSUMER, FIRST + 10, 300, 0);
		assert_eq!(pool_batch(vec![valid.clone(), future]), Err(InvalidTransaction::Future.into()));
		assert!(pool_batch(vec![valid]).is_ok());
	});
}

#[test]
fn the_pool_admits_a_valid_batch_and_tags_each_reading() {
	new_test_ext().execute_with(|| {
		let validity = pool_batch(vec![
			sign(&oracle(), PROSUMER, FIRST, 1_000, 2_100),
			sign(&oracle(), CONSUMER, FIRST, 300, 0),
		])
		.expect("valid: every reading is");
		assert_eq!(validity.provides.len(), 2, "a tag per reading");
		assert_eq!(validity.priority, crate::impls::READING_PRIORITY);
	});
}

#[test]
fn the_pool_checks_a_meters_readings_in_a_batch_one_after_the_other() {
	new_test_ext().execute_with(|| {
		// Consecutive intervals of one meter, in order: each is checked against the one before.
		let first = sign(&oracle(), PROSUMER, FIRST, 1_000, 2_100);
		let second = sign(&oracle(), PROSUMER, FIRST + 1, 1_000, 2_300);
		assert_eq!(
			pool_batch(vec![first.clone(), second.clone()]).map(|v| v.provides.len()),
			Ok(2)
		);
		// Out of order, the second is not newer than the first.
		assert_eq!(pool_batch(vec![second, first.clone()]), Err(InvalidTransaction::Stale.into()));
		// Checked against the first, not the baseline: its export register went down.
		let lower = sign(&oracle(), PROSUMER, FIRST + 1, 1_000, 2_050);
		assert_eq!(
			pool_batch(vec![first, lower]),
			Err(InvalidTransaction::Custom(7).into()),
			"RegisterDecreased, the pallet's error 7"
		);
	});
}

#[test]
fn the_pool_refuses_a_batch_that_repeats_a_reading_and_a_block_rejects_the_repeat() {
	new_test_ext().execute_with(|| {
		// The transaction pool panics on a transaction that provides one tag twice: a free
		// batch never reaches it, the repeat is not newer than the first.
		let reading = sign(&oracle(), PROSUMER, FIRST, 1_000, 2_100);
		let twice = vec![reading.clone(), reading];
		assert_eq!(pool_batch(twice.clone()), Err(InvalidTransaction::Stale.into()));
		// A relayer that signs and pays may send it: the block rejects the repeat.
		assert_ok!(Readings::submit_readings(relayer(), batch(twice)));
		assert_eq!(credits(ALICE), 100, "minted once");
		let not_newer = module_error(Error::IntervalNotNewer);
		let rejected = events()
			.into_iter()
			.filter(
				|e| matches!(e, ReadingsEvent::ReadingRejected { error, .. } if *error == not_newer),
			)
			.count();
		assert_eq!(rejected, 1);
	});
}

#[test]
fn the_pool_refuses_a_bad_reading_with_a_precise_reason() {
	new_test_ext().execute_with(|| {
		let pool = |reading: Signed| {
			Call::<Test>::submit_reading { reading }
				.authorize(TransactionSource::External)
				.expect("an authorized call")
				.map(|_| ())
		};
		let invalid = |i| Err(TransactionValidityError::Invalid(i));
		let forged = sign_for(H256::zero(), &oracle(), PROSUMER, FIRST, 1_000, 2_100);
		assert_eq!(pool(forged), invalid(InvalidTransaction::BadProof));
		assert_eq!(
			pool(sign(&oracle(), PROSUMER, FIRST + 10, 1_000, 2_100)),
			invalid(InvalidTransaction::Future)
		);
		// UnknownMeter is the pallet's error 0, UnknownOracle its error 2.
		assert_eq!(pool(sign(&oracle(), 42, FIRST, 0, 0)), invalid(InvalidTransaction::Custom(0)));
		assert_eq!(
			pool(sign(&stranger(), PROSUMER, FIRST, 1_000, 2_100)),
			invalid(InvalidTransaction::Custom(2))
		);
		assert_ok!(pool(sign(&oracle(), PROSUMER, FIRST, 1_000, 2_100)));
		assert_ok!(Readings::submit_reading(
			relayer(),
			sign(&oracle(), PROSUMER, FIRST, 1_000, 2_100)
		));
		assert_eq!(
			pool(sign(&oracle(), PROSUMER, FIRST, 1_000, 2_100)),
			invalid(InvalidTransaction::Stale)
		);
	});
}

/// The worked example of the README: an ed25519 key signs a reading for a chain whose genesis
/// hash is 0x1111...11. ed25519 signatures are deterministic, so any implementation must
/// produce exactly these bytes (the README shows Python's `cryptography` doing so).
#[test]
fn signing_payload_and_signature_match_the_worked_example_in_the_readme() {
	use sp_core::{ed25519, Pair};
	use sp_runtime::traits::Verify;

	let seed = <[u8; 32]>::try_from(
		sp_core::bytes::from_hex(
			"0x9d61b19deffd5a60ba844af492ec2cc44449c5697b376919703bac031cae7f60",
		)
		.expect("hex"),
	)
	.expect("32 bytes");
	let key = ed25519::Pair::from_seed(&seed);
	let genesis = H256::repeat_byte(0x11);
	let reading = Reading { meter: 7, interval: 1_963_584, imported_wh: 1_200, exported_wh: 3_400 };
	let payload = signing_payload(&genesis, &reading);
	let signature = key.sign(&payload);
	let hex = |b: &[u8]| sp_core::bytes::to_hex(b, false);
	assert_eq!(hex(&key.public().0), README_PUBLIC);
	assert_eq!(payload.len(), 83);
	assert_eq!(hex(&payload), README_PAYLOAD);
	assert_eq!(hex(&signature.0), README_SIGNATURE);
	let account = sp_runtime::AccountId32::from(key.public().0);
	assert!(sp_runtime::MultiSignature::from(signature).verify(&payload[..], &account));
}

const README_PUBLIC: &str = "0xcdee49a8a2318fe8ce5e630c2049e9543e623300e1bec77b088ecc8715c111dc";
const README_PAYLOAD: &str = "0x70656572677269642f72656164696e672f7631\
	1111111111111111111111111111111111111111111111111111111111111111\
	0700000000000000\
	40f61d0000000000\
	b004000000000000\
	480d000000000000";
const README_SIGNATURE: &str = "0x5cb422ac68ce1e64c92fdb2112c27f816f8e92b22d1ee84cb761376eb61dd003\
	b8868f2123ae40cb23b0ee185621c0f908dc3975c31d0715dac85735fe13790e";

#[test]
fn migration_to_v1_keeps_the_windows_totals_and_removes_the_rest_over_several_blocks() {
	use crate::migrations::v1::{RecentIntervalsOnly, ZoneIntervals};
	use frame_support::{
		migrations::SteppedMigration,
		traits::{GetStorageVersion, StorageVersion},
		weights::WeightMeter,
	};
	new_test_ext().execute_with(|| {
		StorageVersion::new(0).put::<Readings>();
		// The chain's clock is at interval FIRST + 10 and the mock keeps 16 intervals: from
		// FIRST - 5 on.
		let totals = |readings| IntervalMetering { readings, exported_wh: 10, imported_wh: 5 };
		ZoneIntervals::<Test>::insert(0, FIRST + 9, totals(2));
		ZoneIntervals::<Test>::insert(0, FIRST - 9, totals(1));
		ZoneIntervals::<Test>::insert(1, FIRST - 5, totals(3));
		ZoneIntervals::<Test>::insert(1, FIRST - 6, totals(4));

		let mut steps = 0;
		let mut cursor = None;
		loop {
			let weight = RecentIntervalsOnly::<Test>::weight_per_record();
			let mut meter = WeightMeter::with_limit(weight);
			cursor = RecentIntervalsOnly::<Test>::step(cursor, &mut meter).expect("a step");
			steps += 1;
			if cursor.is_none() {
				break;
			}
		}
		assert!(steps >= 4, "one record a step: {steps} steps");
		assert_eq!(Readings::interval_totals(0, FIRST + 9), Some(totals(2)));
		assert_eq!(Readings::interval_totals(1, FIRST - 5), Some(totals(3)));
		assert_eq!(Readings::interval_totals(0, FIRST - 9), None, "older than the window");
		assert_eq!(Readings::interval_totals(1, FIRST - 6), None, "older than the window");
		assert_eq!(ZoneIntervals::<Test>::iter().count(), 0);
		assert_eq!(Readings::on_chain_storage_version(), 1);
		// Done: a second run changes nothing.
		assert_eq!(RecentIntervalsOnly::<Test>::step(None, &mut WeightMeter::new()), Ok(None));
	});
}
