//! Runtime tests of the energy flow against the real runtime and the development preset:
//! oracle-signed readings (real sr25519 and ed25519 keys) become credits, credits are
//! transferred and retired, and every kind of bad reading is refused by the pool with a precise
//! reason, and rejected with the same reason if a block carries it, changing nothing.

use crate::common::*;
use codec::Encode;
use frame_support::traits::fungible::Inspect;
use peergrid_primitives::MeterStatus;
use peergrid_runtime::{
	genesis_config_presets::demo, AccountId, Credits, Executive, RuntimeCall, RuntimeEvent, System,
};
use sp_core::H256;
use sp_genesis_builder::DEV_RUNTIME_PRESET;
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};
use sp_runtime::transaction_validity::{
	InvalidTransaction, TransactionSource, TransactionValidityError,
};

fn uncovered(who: Sr25519Keyring) -> u64 {
	pallet_credits::Accounts::<peergrid_runtime::Runtime>::get(who.to_account_id()).uncovered()
}

#[test]
fn development_preset_has_a_demo_grid() {
	new_test_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		assert_eq!(pallet_meters::NextZoneId::<peergrid_runtime::Runtime>::get(), 2);
		let meters: Vec<_> = (0..4)
			.map(|id| {
				pallet_meters::Meters::<peergrid_runtime::Runtime>::get(id).expect("a demo meter")
			})
			.collect();
		let owners: Vec<AccountId> = meters.iter().map(|m| m.owner.clone()).collect();
		assert_eq!(
			owners,
			[
				Sr25519Keyring::Bob,
				Sr25519Keyring::Charlie,
				Sr25519Keyring::Dave,
				Sr25519Keyring::Eve
			]
			.map(|k| k.to_account_id())
			.to_vec()
		);
		assert!(meters.iter().all(|m| m.status == MeterStatus::Active));
		let zones = pallet_meters::Oracles::<peergrid_runtime::Runtime>::get(
			demo::oracle().to_account_id(),
		)
		.expect("Ferdie is the demo oracle");
		assert_eq!(zones.to_vec(), vec![0, 1]);
		assert_eq!(Credits::total_issuance(), 0, "credits come only from readings");
	});
}

#[test]
fn signed_readings_become_credits_that_are_traded_and_retired() {
	let mut blocks = Vec::new();
	new_test_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		let mut chain = Chain::new();
		// Genesis meters' first readings set their baselines.
		chain.block(vec![batch(vec![
			reading(ferdie(), BOB_PV, I0, 100, 5_000),
			reading(ferdie(), DAVE, I0, 2_000, 0),
		])]);
		assert_eq!((credits(Sr25519Keyring::Bob), uncovered(Sr25519Keyring::Dave)), (0, 0));

		// The consortium authorizes a second oracle, with an ed25519 key, for the north zone.
		let eve_ed = Key::Ed(Ed25519Keyring::Eve);
		chain.block(vec![sudo(
			RuntimeCall::Meters(pallet_meters::Call::authorize_oracle {
				oracle: eve_ed.account(),
				zones: vec![0].try_into().expect("one zone"),
			}),
			0,
		)]);

		// One interval later: Bob exported 1,000 Wh (ed25519 oracle), Dave imported 1,000 Wh.
		chain.block(vec![batch(vec![
			reading(eve_ed, BOB_PV, I0 + 1, 150, 6_000),
			reading(ferdie(), DAVE, I0 + 1, 3_000, 0),
		])]);
		assert_eq!(credits(Sr25519Keyring::Bob), 1_000);
		assert_eq!(uncovered(Sr25519Keyring::Dave), 1_000);

		// Bob sells 600 credits to Dave (paid off-chain here; the market pays on chain), Dave
		// retires 500 against his consumption.
		let credits_call = |call| RuntimeCall::Credits(call);
		chain.block(vec![
			signed(
				Sr25519Keyring::Bob,
				0,
				credits_call(pallet_credits::Call::transfer {
					dest: Sr25519Keyring::Dave.to_account_id(),
					amount: 600,
				}),
				None,
			),
			signed(
				Sr25519Keyring::Dave,
				0,
				credits_call(pallet_credits::Call::retire { amount: 500 }),
				None,
			),
		]);
		assert_eq!((credits(Sr25519Keyring::Bob), credits(Sr25519Keyring::Dave)), (400, 100));
		assert_eq!(uncovered(Sr25519Keyring::Dave), 500);
		assert_eq!(Credits::total_issuance(), 500, "issued = minted - retired");
		blocks = chain.blocks;
	});

	// A node syncing the chain executes the same blocks and reaches the same state.
	new_test_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		for block in blocks {
			Executive::execute_block(block.into());
		}
		assert_eq!((credits(Sr25519Keyring::Bob), credits(Sr25519Keyring::Dave)), (400, 100));
		assert_eq!(Credits::total_issuance(), 500);
	});
}

/// A chain whose demo meters have their baselines (Bob's PV at (100, 5000), Dave at
/// (2000, 0), interval `I0`), Dave's meter suspended, and Two's key an oracle of the south
/// zone only; a new block is open.
fn chain_with_baselines() -> sp_io::TestExternalities {
	let mut ext = new_test_ext(DEV_RUNTIME_PRESET);
	ext.execute_with(|| {
		let mut chain = Chain::new();
		chain.block(vec![
			batch(vec![
				reading(ferdie(), BOB_PV, I0, 100, 5_000),
				reading(ferdie(), DAVE, I0, 2_000, 0),
			]),
			signed(
				Sr25519Keyring::Alice,
				0,
				RuntimeCall::Meters(pallet_meters::Call::set_meter_status {
					meter: DAVE,
					status: MeterStatus::Suspended,
				}),
				None,
			),
			sudo(
				RuntimeCall::Meters(pallet_meters::Call::authorize_oracle {
					oracle: Sr25519Keyring::Two.to_account_id(),
					zones: vec![1].try_into().expect("one zone"),
				}),
				1,
			),
		]);
		start_block(chain.number, chain.parent, SLOT0 + u64::from(chain.number));
	});
	ext
}

/// Submits `readings` as a relayer's batch: the pool must refuse it with `expected`. A block
/// does not check a batch before the call does (the call checks every reading): if a block
/// author includes it anyway, each reading is rejected with the error that `expected` stands
/// for, in a `ReadingRejected` event, and no state changes.
fn assert_refused(readings: Vec<Signed>, expected: InvalidTransaction) {
	let n = readings.len();
	let xt = batch(readings);
	let refused = Err(TransactionValidityError::Invalid(expected));
	let parent = System::parent_hash();
	assert_eq!(
		Executive::validate_transaction(TransactionSource::External, xt.clone(), parent)
			.map(|_| ()),
		refused,
		"the pool refuses it"
	);
	let before = energy_state();
	System::reset_events();
	assert_eq!(apply(&xt), Ok(Ok(())), "in a block, the call rejects each reading");
	let rejected: Vec<_> = System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Readings(pallet_readings::Event::ReadingRejected { error, .. }) => {
				Some(error)
			}
			_ => None,
		})
		.collect();
	assert_eq!(rejected.len(), n, "every reading is rejected");
	for error in rejected {
		let sp_runtime::DispatchError::Module(module) = error else {
			panic!("a reading is rejected with a readings error, not {error:?}")
		};
		type E = pallet_readings::Error<peergrid_runtime::Runtime>;
		let index = match expected {
			InvalidTransaction::BadProof => E::BadSignature.encode()[0],
			InvalidTransaction::Stale => E::IntervalNotNewer.encode()[0],
			InvalidTransaction::Future => E::IntervalInFuture.encode()[0],
			InvalidTransaction::Custom(index) => index,
			other => panic!("readings are never refused as {other:?}"),
		};
		assert_eq!(module.error[0], index, "rejected for the reason the pool gave");
	}
	assert_eq!(energy_state(), before, "it changed nothing");
}

/// The energy state a reading could change: credits issued, every account's credits and
/// consumption, every meter's readings.
fn energy_state() -> Vec<Vec<u8>> {
	type R = peergrid_runtime::Runtime;
	let mut state = vec![Credits::total_issuance().encode()];
	state.extend(pallet_credits::Accounts::<R>::iter().map(|kv| kv.encode()));
	state.extend(pallet_readings::MeterStates::<R>::iter().map(|kv| kv.encode()));
	state
}

#[test]
fn the_same_batch_twice_is_refused() {
	chain_with_baselines().execute_with(|| {
		assert_refused(vec![reading(ferdie(), BOB_PV, I0, 100, 5_000)], InvalidTransaction::Stale);
	});
}

#[test]
fn a_reading_signed_for_another_genesis_hash_is_refused() {
	chain_with_baselines().execute_with(|| {
		let forged = reading_for(H256::repeat_byte(9), ferdie(), BOB_PV, I0 + 1, 100, 5_100);
		assert_refused(vec![forged], InvalidTransaction::BadProof);
	});
}

#[test]
fn an_older_interval_is_refused() {
	chain_with_baselines().execute_with(|| {
		assert_refused(
			vec![reading(ferdie(), BOB_PV, I0 - 1, 100, 5_100)],
			InvalidTransaction::Stale,
		);
	});
}

#[test]
fn an_interval_that_has_not_ended_is_refused() {
	chain_with_baselines().execute_with(|| {
		assert_refused(
			vec![reading(ferdie(), BOB_PV, NOW + 1, 100, 5_100)],
			InvalidTransaction::Future,
		);
	});
}

#[test]
fn a_decreasing_register_is_refused() {
	chain_with_baselines().execute_with(|| {
		// RegisterDecreased is the readings pallet's error 7.
		assert_refused(
			vec![reading(ferdie(), BOB_PV, I0 + 1, 99, 5_100)],
			InvalidTransaction::Custom(7),
		);
	});
}

#[test]
fn an_implausible_delta_is_refused() {
	chain_with_baselines().execute_with(|| {
		// 6 kW for 15 minutes is 1,500 Wh at most. ImplausibleDelta is error 8.
		assert_refused(
			vec![reading(ferdie(), BOB_PV, I0 + 1, 100, 6_501)],
			InvalidTransaction::Custom(8),
		);
	});
}

#[test]
fn a_reading_of_an_unknown_meter_is_refused() {
	chain_with_baselines().execute_with(|| {
		assert_refused(vec![reading(ferdie(), 99, I0, 0, 0)], InvalidTransaction::Custom(0));
	});
}

#[test]
fn a_reading_of_a_suspended_meter_is_refused() {
	chain_with_baselines().execute_with(|| {
		assert_refused(
			vec![reading(ferdie(), DAVE, I0 + 1, 2_500, 0)],
			InvalidTransaction::Custom(1),
		);
	});
}

#[test]
fn a_reading_signed_by_an_unauthorized_oracle_is_refused() {
	chain_with_baselines().execute_with(|| {
		let stranger = Key::Sr(Sr25519Keyring::One);
		assert_refused(
			vec![reading(stranger, BOB_PV, I0 + 1, 100, 5_100)],
			InvalidTransaction::Custom(2),
		);
	});
}

#[test]
fn a_reading_signed_by_an_oracle_of_another_zone_is_refused() {
	chain_with_baselines().execute_with(|| {
		let south = Key::Sr(Sr25519Keyring::Two);
		assert_refused(
			vec![reading(south, BOB_PV, I0 + 1, 100, 5_100)],
			InvalidTransaction::Custom(3),
		);
	});
}

#[test]
fn a_relayer_that_pays_gets_an_event_per_rejected_reading() {
	chain_with_baselines().execute_with(|| {
		let readings =
			vec![reading(ferdie(), BOB_PV, I0 + 1, 100, 5_500), reading(ferdie(), 99, I0, 0, 0)];
		let xt = signed(
			Sr25519Keyring::Eve,
			0,
			RuntimeCall::Readings(pallet_readings::Call::submit_readings {
				readings: readings.try_into().expect("a small batch"),
			}),
			None,
		);
		System::reset_events();
		assert!(apply(&xt).expect("valid").is_ok());
		assert_eq!(credits(Sr25519Keyring::Bob), 500);
		let outcomes: Vec<_> = System::events()
			.into_iter()
			.filter_map(|r| match r.event {
				RuntimeEvent::Readings(e) => Some(e.encode()[0]),
				_ => None,
			})
			.collect();
		// Event 0 is ReadingAccepted, 1 ReadingRejected.
		assert_eq!(outcomes, vec![0, 1]);
	});
}

#[test]
fn the_pool_keeps_one_transaction_per_reading_and_a_fee_less_batch_only_whole() {
	chain_with_baselines().execute_with(|| {
		let fresh = reading(ferdie(), BOB_PV, I0 + 1, 100, 5_500);
		let parent = System::parent_hash();
		let validate = |xt| {
			Executive::validate_transaction(TransactionSource::External, xt, parent)
				.map(|valid| valid.provides)
		};
		let alone = validate(batch(vec![fresh.clone()])).expect("valid");
		assert_eq!(alone.len(), 1, "a reading provides one pool tag");
		let next = reading(ferdie(), BOB_PV, I0 + 2, 200, 6_000);
		let both = validate(batch(vec![fresh.clone(), next])).expect("valid");
		assert_eq!(both[0], alone[0], "the same reading provides the same tag in any batch");
		// A stale reading (Bob's I0, accepted already) refuses the whole fee-less batch: no
		// free ride for it.
		let stale = reading(ferdie(), BOB_PV, I0, 100, 5_000);
		assert_eq!(validate(batch(vec![stale, fresh])), Err(InvalidTransaction::Stale.into()));
	});
}
