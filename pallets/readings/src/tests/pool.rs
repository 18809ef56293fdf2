//! The transaction pool's check of a fee-less batch: valid only as a whole, each reading
//! with its reason.

use super::*;

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
