//! Batches an oracle signs as a whole (`submit_batch`): one signature, checked first; each
//! reading still accepted or rejected on its own in the block, the whole batch valid or not in
//! the pool.

use super::*;
use crate::{batch_signing_payload, WeightInfo};
use frame_support::dispatch::GetDispatchInfo;

type Readings8 = BoundedVec<Reading, frame_support::traits::ConstU32<8>>;

fn reading(meter: u64, interval: u64, imported_wh: u64, exported_wh: u64) -> Reading {
	Reading { meter, interval, imported_wh, exported_wh }
}

/// `oracle`'s signature of the batch `readings` on the chain whose genesis hash is `genesis`.
fn sign_batch(genesis: H256, oracle: &Oracle, readings: &[Reading]) -> MultiSignatureOf {
	oracle.sign(&batch_signing_payload(&genesis, readings))
}

type MultiSignatureOf = <Test as Config>::Signature;

/// The call that submits `readings` signed as a whole by `oracle`.
fn call(oracle: &Oracle, readings: Vec<Reading>) -> Call<Test> {
	let signature = sign_batch(GENESIS, oracle, &readings);
	let readings: Readings8 = BoundedVec::try_from(readings).expect("a small batch");
	Call::<Test>::submit_batch { oracle: oracle.account(), readings, signature }
}

/// Dispatches `call` (a `submit_batch`) from a signed relayer.
fn submit(call: Call<Test>) -> frame_support::dispatch::DispatchResultWithPostInfo {
	let Call::<Test>::submit_batch { oracle, readings, signature } = call else {
		unreachable!("a batch signed as a whole")
	};
	Readings::submit_batch(relayer(), oracle, readings, signature)
}

/// The pool's verdict on `call`.
fn pool(
	call: Call<Test>,
) -> Result<sp_runtime::transaction_validity::ValidTransaction, TransactionValidityError> {
	call.authorize(TransactionSource::External).expect("an authorized call").map(|(v, _)| v)
}

#[test]
fn a_signed_batch_is_accepted_reading_by_reading_with_the_same_events() {
	new_test_ext().execute_with(|| {
		let readings =
			vec![reading(PROSUMER, FIRST + 2, 1_400, 3_500), reading(CONSUMER, FIRST + 2, 300, 0)];
		assert_ok!(submit(call(&oracle(), readings)));
		assert_eq!((credits(ALICE), consumption(ALICE)), (1_500, 400));
		assert_eq!(consumption(BOB), 300);
		let accepted = |meter, owner: sp_keyring::Sr25519Keyring, registers, consumed, minted| {
			let (imported_wh, exported_wh) = registers;
			ReadingsEvent::ReadingAccepted {
				meter,
				interval: FIRST + 2,
				oracle: oracle().account(),
				owner: owner.to_account_id(),
				registers: peergrid_primitives::Registers { imported_wh, exported_wh },
				consumed_wh: consumed,
				credits_minted: minted,
			}
		};
		assert_eq!(
			events(),
			vec![
				accepted(PROSUMER, ALICE, (1_400, 3_500), 400, 1_500),
				accepted(CONSUMER, BOB, (300, 0), 300, 0)
			]
		);
		// Each key type signs batches: ed25519 and ecdsa too.
		for (k, key) in [ed_oracle(), ecdsa_oracle()].iter().enumerate() {
			let next = reading(PROSUMER, FIRST + 3 + k as u64, 1_500, 4_000 + k as u64);
			assert_ok!(submit(call(key, vec![next])));
		}
		assert_eq!(MeterStates::<Test>::get(PROSUMER).map(|s| s.readings), Some(3));
	});
}

#[test]
fn a_batch_not_signed_exactly_as_submitted_for_this_chain_is_refused_whole() {
	new_test_ext().execute_with(|| {
		let good =
			vec![reading(PROSUMER, FIRST + 2, 1_400, 3_500), reading(CONSUMER, FIRST + 2, 300, 0)];
		let bad_signature = || DispatchError::from(Error::<Test>::BadSignature);
		// Signed for another chain.
		let signature = sign_batch(H256::zero(), &oracle(), &good);
		let readings: Readings8 = good.clone().try_into().expect("small");
		let other_chain =
			Call::<Test>::submit_batch { oracle: oracle().account(), readings, signature };
		// A reading changed after signing (more export), one dropped, one reordered.
		let tamper = |readings: Vec<Reading>| {
			let Call::<Test>::submit_batch { oracle, signature, .. } =
				call(&oracle(), good.clone())
			else {
				unreachable!()
			};
			let readings = readings.try_into().expect("small");
			Call::<Test>::submit_batch { oracle, readings, signature }
		};
		let mut more = good.clone();
		more[0].exported_wh += 1;
		let reordered = vec![good[1], good[0]];
		// Another oracle's signature under this oracle's name.
		let Call::<Test>::submit_batch { readings, signature, .. } =
			call(&ed_oracle(), good.clone())
		else {
			unreachable!()
		};
		let impostor =
			Call::<Test>::submit_batch { oracle: oracle().account(), readings, signature };
		for bad in [other_chain, tamper(more), tamper(vec![good[0]]), tamper(reordered), impostor] {
			assert_eq!(pool(bad.clone()), Err(InvalidTransaction::BadProof.into()));
			assert_noop!(submit(bad), bad_signature());
		}
		// The signature is checked before any reading: a forged batch of readings that would
		// each be refused (an unknown meter, a stranger's key) is refused as forged.
		let unknown = vec![reading(42, FIRST + 2, 0, 0)];
		for key in [oracle(), stranger()] {
			let Call::<Test>::submit_batch { oracle, readings, .. } = call(&key, unknown.clone())
			else {
				unreachable!()
			};
			let signature = sign_batch(H256::zero(), &key, &unknown);
			let forged = Call::<Test>::submit_batch { oracle, readings, signature };
			assert_eq!(pool(forged.clone()), Err(InvalidTransaction::BadProof.into()));
			assert_noop!(submit(forged), bad_signature());
		}
		// Only a relayer: a general transaction the pallet authorized, or a signed account.
		let Call::<Test>::submit_batch { oracle: who, readings, signature } =
			call(&oracle(), good.clone())
		else {
			unreachable!()
		};
		assert_noop!(
			Readings::submit_batch(RuntimeOrigin::none(), who, readings, signature),
			DispatchError::BadOrigin
		);
		assert_noop!(submit(call(&oracle(), vec![])), Error::<Test>::EmptyBatch);
		assert_eq!(pool(call(&oracle(), vec![])), Err(InvalidTransaction::Custom(9).into()));
		assert_ok!(submit(call(&oracle(), good)));
	});
}

#[test]
fn in_a_block_each_reading_of_a_signed_batch_is_rejected_on_its_own_merits() {
	new_test_ext().execute_with(|| {
		let readings = vec![
			reading(PROSUMER, FIRST + 2, 1_400, 3_500),
			// Unknown meter; zone 1's meter (this oracle signs for zone 0 only); a replay;
			// a decreased register; more than 5 kW for 15 minutes (Bob's meter, accepted at
			// FIRST + 2 first); an interval not ended.
			reading(42, FIRST + 2, 0, 0),
			reading(SOUTH_METER, FIRST + 2, 0, 10),
			reading(PROSUMER, FIRST + 2, 1_400, 3_500),
			reading(PROSUMER, FIRST + 3, 1_300, 3_600),
			reading(CONSUMER, FIRST + 2, 0, 0),
			reading(CONSUMER, FIRST + 3, 9_999, 0),
			reading(CONSUMER, FIRST + 10, 10, 0),
		];
		let south_before = MeterStates::<Test>::get(SOUTH_METER);
		assert_ok!(submit(call(&oracle(), readings)));
		// Accepted: Alice's reading of FIRST + 2 and Bob's of FIRST + 2; the rest changed
		// nothing: no state of the south meter, Alice's and Bob's meters at those readings.
		assert_eq!(credits(ALICE), 1_500, "Alice's first reading alone minted");
		assert_eq!(MeterStates::<Test>::get(SOUTH_METER), south_before);
		assert_eq!(MeterStates::<Test>::get(42), None);
		let at = |meter| MeterStates::<Test>::get(meter).map(|s| (s.last_interval, s.readings));
		assert_eq!((at(PROSUMER), at(CONSUMER)), (Some((FIRST + 2, 1)), Some((FIRST + 2, 1))));
		let rejected: Vec<_> = events()
			.into_iter()
			.filter_map(|e| match e {
				ReadingsEvent::ReadingRejected { meter, error, oracle: who, .. } => {
					assert_eq!(who, oracle().account());
					Some((meter, error))
				}
				_ => None,
			})
			.collect();
		let e = module_error;
		assert_eq!(
			rejected,
			vec![
				(42, e(Error::UnknownMeter)),
				(SOUTH_METER, e(Error::OracleNotAuthorizedForZone)),
				(PROSUMER, e(Error::IntervalNotNewer)),
				(PROSUMER, e(Error::RegisterDecreased)),
				(CONSUMER, e(Error::ImplausibleDelta)),
				(CONSUMER, e(Error::IntervalInFuture)),
			]
		);
		// A batch a stranger signed: every reading rejected, the stranger being no oracle.
		System::reset_events();
		assert_ok!(submit(call(&stranger(), vec![reading(CONSUMER, FIRST + 4, 10, 0)])));
		assert!(matches!(
			events().as_slice(),
			[ReadingsEvent::ReadingRejected { error, .. }] if *error == e(Error::UnknownOracle)
		));
	});
}

#[test]
fn the_pool_takes_a_signed_batch_only_as_a_whole_with_a_tag_per_reading() {
	new_test_ext().execute_with(|| {
		let good =
			vec![reading(PROSUMER, FIRST + 2, 1_400, 3_500), reading(CONSUMER, FIRST + 2, 300, 0)];
		let valid = pool(call(&oracle(), good.clone())).expect("every reading is valid");
		assert_eq!(valid.provides.len(), 2);
		// The tags of a reading signed on its own: the pool keeps one copy of a reading,
		// whichever call carries it.
		let single = Call::<Test>::submit_reading {
			reading: sign(&oracle(), PROSUMER, FIRST + 2, 1_400, 3_500),
		};
		assert_eq!(pool(single).expect("valid").provides[0], valid.provides[0]);
		// One bad reading refuses the batch, with its reason.
		let with = |bad: Reading| {
			let mut readings = good.clone();
			readings.push(bad);
			pool(call(&oracle(), readings))
		};
		assert_eq!(with(reading(42, FIRST + 2, 0, 0)), Err(InvalidTransaction::Custom(0).into()));
		assert_eq!(
			with(reading(SOUTH_METER, FIRST + 2, 0, 10)),
			Err(InvalidTransaction::Custom(3).into()),
			"OracleNotAuthorizedForZone, the pallet's error 3"
		);
		assert_eq!(with(good[0]), Err(InvalidTransaction::Stale.into()), "a repeat");
		assert_eq!(
			with(reading(CONSUMER, FIRST + 10, 400, 0)),
			Err(InvalidTransaction::Future.into())
		);
		// Readings of one meter in order are checked each against the one before.
		assert!(with(reading(CONSUMER, FIRST + 3, 400, 0)).is_ok());
		assert_eq!(
			pool(call(&stranger(), good)),
			Err(InvalidTransaction::Custom(2).into()),
			"UnknownOracle, the pallet's error 2"
		);
	});
}

#[test]
fn a_signed_batch_is_charged_each_owner_once_and_checked_once_in_a_block() {
	type W = <Test as Config>::WeightInfo;
	new_test_ext().execute_with(|| {
		let readings = vec![
			reading(PROSUMER, FIRST + 2, 1_400, 3_500),
			reading(CONSUMER, FIRST + 2, 300, 0),
			reading(PROSUMER, FIRST + 3, 1_500, 4_000),
			// Rejected: writes nothing.
			reading(CONSUMER, FIRST + 1, 100, 0),
		];
		let batch = call(&oracle(), readings);
		let declared = Readings::with_delivery(W::submit_batch(4), 4);
		assert_eq!(batch.get_dispatch_info().call_weight, declared);
		// In a block the pool's check is not repeated: its weight is refunded.
		let (_, refund) = batch
			.authorize(TransactionSource::InBlock)
			.expect("an authorized call")
			.expect("a block takes it unchecked");
		assert_eq!(
			refund,
			W::authorize_submit_batch(4).saturating_sub(W::authorize_submit_batch(0))
		);
		let info = submit(batch).expect("the batch is taken");
		// Two owners (Alice, Bob) for 4 readings: 2 repeats, each refunded a read and a write.
		assert_eq!(info.actual_weight, Some(Readings::batch_weight(declared, 4, 2, 0)));
		// And each of the 4 readings, none of a meter with an allocation, is refunded all of
		// the delivery auction's declared weight but a miss's.
		use peergrid_primitives::DeliveryLedger;
		let miss = MockDelivery::deliver_weight() - MockDelivery::miss_weight();
		let refund = <Test as frame_system::Config>::DbWeight::get().reads_writes(2, 2) + miss * 4;
		assert!(refund.ref_time() > 0);
		assert_eq!(Readings::batch_weight(declared, 4, 2, 0), declared.saturating_sub(refund));
	});
}
