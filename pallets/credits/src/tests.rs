//! Unit tests: the calls, the fungible interface the other pallets use, and the invariants.

use crate::{mock::*, pallet::*, Event as CreditsEvent, TOKEN_DECIMALS, TOKEN_SYMBOL};
use frame_support::{
	assert_noop, assert_ok,
	traits::{
		fungible::{
			hold::{Mutate as HoldMutate, Unbalanced as HoldUnbalanced},
			metadata, Inspect, InspectHold, Mutate,
		},
		tokens::{Fortitude, Precision, Preservation, Restriction},
	},
};
use peergrid_primitives::ConsumptionLedger;
use sp_runtime::{DispatchError, TokenError};

fn events() -> Vec<CreditsEvent<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Credits(e) => Some(e),
			_ => None,
		})
		.collect()
}

fn last_event() -> CreditsEvent<Test> {
	events().pop().expect("an event of the token")
}

/// Mints `amount` as an accepted reading does, and records `consumed`.
fn reading(who: u64, amount: u64, consumed: u64) {
	assert_ok!(<Credits as Mutate<u64>>::mint_into(&who, amount));
	assert_ok!(<Credits as ConsumptionLedger<u64>>::record_consumption(&who, consumed));
}

#[test]
fn minting_raises_balance_issuance_and_minted_total() {
	new_test_ext().execute_with(|| {
		reading(ALICE, 1_500, 0);
		assert_eq!(Credits::balance(&ALICE), 1_500);
		assert_eq!(Credits::total_issuance(), 1_500);
		assert_eq!(TotalMinted::<Test>::get(), 1_500);
		assert_eq!(Accounts::<Test>::get(ALICE).minted, 1_500);
		assert_eq!(last_event(), CreditsEvent::Minted { who: ALICE, amount: 1_500 });
		assert_ok!(Credits::do_try_state());
	});
}

#[test]
fn wallets_see_name_symbol_and_decimals() {
	assert_eq!(<Credits as metadata::Inspect<u64>>::symbol(), TOKEN_SYMBOL.to_vec());
	assert_eq!(<Credits as metadata::Inspect<u64>>::decimals(), TOKEN_DECIMALS);
	assert_eq!(<Credits as metadata::Inspect<u64>>::name(), b"PeerGrid energy credit".to_vec());
}

#[test]
fn transfer_moves_free_credits() {
	new_test_ext().execute_with(|| {
		reading(ALICE, 1_000, 0);
		assert_ok!(Credits::transfer(RuntimeOrigin::signed(ALICE), BOB, 400));
		assert_eq!((Credits::balance(&ALICE), Credits::balance(&BOB)), (600, 400));
		assert_eq!(last_event(), CreditsEvent::Transferred { from: ALICE, to: BOB, amount: 400 });
		assert_ok!(Credits::transfer(RuntimeOrigin::signed(ALICE), BOB, 600));
		let alice = Accounts::<Test>::get(ALICE);
		assert_eq!((alice.free, alice.minted), (0, 1_000), "what was minted stays on record");
		assert_eq!(Accounts::<Test>::get(BOB).minted, 0, "credits received are not minted to it");
		assert_eq!(Credits::total_issuance(), 1_000);
		assert_ok!(Credits::do_try_state());
	});
}

#[test]
fn transfer_refuses_zero_overdraft_and_held_credits() {
	new_test_ext().execute_with(|| {
		reading(ALICE, 1_000, 0);
		assert_noop!(
			Credits::transfer(RuntimeOrigin::signed(ALICE), BOB, 0),
			Error::<Test>::ZeroAmount
		);
		assert_noop!(
			Credits::transfer(RuntimeOrigin::signed(ALICE), BOB, 1_001),
			Error::<Test>::InsufficientCredits
		);
		assert_ok!(Credits::hold(&TestHold::SellOrder, &ALICE, 700));
		assert_noop!(
			Credits::transfer(RuntimeOrigin::signed(ALICE), BOB, 301),
			Error::<Test>::InsufficientCredits
		);
		assert_noop!(Credits::transfer(RuntimeOrigin::none(), BOB, 1), DispatchError::BadOrigin);
	});
}

#[test]
fn transfer_refuses_to_overflow_the_recipient() {
	// The raw state: Bob's balance is made up, out of line with the issuance.
	genesis_ext().execute_with(|| {
		reading(ALICE, 10, 0);
		Accounts::<Test>::insert(
			BOB,
			crate::CreditAccount { free: u64::MAX, ..Default::default() },
		);
		assert_noop!(
			Credits::transfer(RuntimeOrigin::signed(ALICE), BOB, 10),
			Error::<Test>::Overflow
		);
	});
}

#[test]
fn retire_burns_credits_against_uncovered_consumption() {
	new_test_ext().execute_with(|| {
		reading(BOB, 2_000, 1_200);
		assert_ok!(Credits::retire(RuntimeOrigin::signed(BOB), 1_000));
		assert_eq!(last_event(), CreditsEvent::Retired { who: BOB, amount: 1_000, uncovered: 200 });
		assert_eq!(Credits::balance(&BOB), 1_000);
		assert_eq!(Credits::total_issuance(), 1_000);
		assert_eq!(TotalRetired::<Test>::get(), 1_000);
		let consumption = Accounts::<Test>::get(BOB);
		assert_eq!(
			(consumption.metered, consumption.retired, consumption.uncovered()),
			(1_200, 1_000, 200)
		);
		assert_ok!(Credits::do_try_state());
	});
}

#[test]
fn retire_never_exceeds_uncovered_consumption_or_balance() {
	new_test_ext().execute_with(|| {
		reading(BOB, 500, 1_200);
		assert_noop!(Credits::retire(RuntimeOrigin::signed(BOB), 0), Error::<Test>::ZeroAmount);
		assert_noop!(
			Credits::retire(RuntimeOrigin::signed(BOB), 1_201),
			Error::<Test>::ExceedsUncoveredConsumption
		);
		assert_noop!(
			Credits::retire(RuntimeOrigin::signed(BOB), 501),
			Error::<Test>::InsufficientCredits
		);
		assert_ok!(Credits::retire(RuntimeOrigin::signed(BOB), 500));
		reading(BOB, 1_000, 0);
		assert_ok!(Credits::retire(RuntimeOrigin::signed(BOB), 700));
		assert_noop!(
			Credits::retire(RuntimeOrigin::signed(BOB), 1),
			Error::<Test>::ExceedsUncoveredConsumption
		);
		assert_ok!(Credits::do_try_state());
	});
}

#[test]
fn holds_escrow_credits_and_release_them() {
	new_test_ext().execute_with(|| {
		reading(ALICE, 1_000, 0);
		assert_ok!(Credits::hold(&TestHold::SellOrder, &ALICE, 600));
		assert_eq!(
			last_event(),
			CreditsEvent::Held { reason: TestHold::SellOrder, who: ALICE, amount: 600 }
		);
		assert_eq!(Credits::balance(&ALICE), 400);
		assert_eq!(Credits::balance_on_hold(&TestHold::SellOrder, &ALICE), 600);
		assert_eq!(Credits::total_balance(&ALICE), 1_000);
		assert_ok!(Credits::do_try_state());

		assert_ok!(Credits::release(&TestHold::SellOrder, &ALICE, 600, Precision::Exact));
		assert_eq!(
			last_event(),
			CreditsEvent::Released { reason: TestHold::SellOrder, who: ALICE, amount: 600 }
		);
		assert_eq!(Credits::balance(&ALICE), 1_000);
		assert!(!Holds::<Test>::contains_key(ALICE), "an emptied hold list is removed");
		assert_ok!(Credits::do_try_state());
	});
}

#[test]
fn held_credits_settle_to_a_buyer() {
	new_test_ext().execute_with(|| {
		reading(ALICE, 1_000, 0);
		assert_ok!(Credits::hold(&TestHold::SellOrder, &ALICE, 1_000));
		assert_ok!(Credits::transfer_on_hold(
			&TestHold::SellOrder,
			&ALICE,
			&BOB,
			250,
			Precision::Exact,
			Restriction::Free,
			Fortitude::Polite,
		));
		assert_eq!(last_event(), CreditsEvent::Transferred { from: ALICE, to: BOB, amount: 250 });
		assert_eq!(Credits::balance_on_hold(&TestHold::SellOrder, &ALICE), 750);
		assert_eq!(Credits::balance(&BOB), 250);
		assert_ok!(Credits::do_try_state());
	});
}

#[test]
fn holds_are_bounded_and_cannot_exceed_free_credits() {
	new_test_ext().execute_with(|| {
		reading(ALICE, 100, 0);
		assert_noop!(
			Credits::hold(&TestHold::SellOrder, &ALICE, 101),
			TokenError::FundsUnavailable
		);
		assert_ok!(Credits::hold(&TestHold::SellOrder, &ALICE, 10));
		assert_ok!(Credits::hold(&TestHold::Other, &ALICE, 10));
		// A reason that already holds has room even when the list is full.
		assert_ok!(Credits::hold(&TestHold::SellOrder, &ALICE, 10));
		assert_noop!(Credits::hold(&TestHold::Third, &ALICE, 10), TokenError::CannotCreateHold);
	});
}

#[test]
fn the_hold_bound_holds_below_the_hold_api_too() {
	new_test_ext().execute_with(|| {
		reading(BOB, 100, 0);
		assert_ok!(Credits::hold(&TestHold::SellOrder, &BOB, 10));
		assert_ok!(Credits::hold(&TestHold::Other, &BOB, 10));
		// `hold` refuses a third reason up front (`CannotCreateHold`, above); writing the held
		// balance directly, as `hold::Unbalanced` lets a pallet do, meets the same bound.
		assert_noop!(
			<Credits as HoldUnbalanced<u64>>::increase_balance_on_hold(
				&TestHold::Third,
				&BOB,
				10,
				Precision::Exact,
			),
			Error::<Test>::TooManyHolds
		);
	});
}

#[test]
fn invariants_catch_credits_burned_outside_retirement() {
	// The raw state: this test breaks the invariants on purpose.
	genesis_ext().execute_with(|| {
		reading(ALICE, 100, 0);
		assert_ok!(Credits::burn_from(
			&ALICE,
			10,
			Preservation::Expendable,
			Precision::Exact,
			Fortitude::Polite
		));
		assert!(
			Credits::do_try_state().is_err(),
			"issued credits must reconcile with minted - retired"
		);
	});
}

#[test]
fn consumption_overflow_is_refused() {
	new_test_ext().execute_with(|| {
		reading(ALICE, 0, u64::MAX);
		assert_noop!(
			<Credits as ConsumptionLedger<u64>>::record_consumption(&ALICE, 1),
			Error::<Test>::Overflow
		);
	});
}

#[test]
fn an_account_with_nothing_is_not_stored() {
	new_test_ext().execute_with(|| {
		assert_ok!(Credits::record_consumption(&ALICE, 0));
		assert_ok!(<Credits as Mutate<u64>>::transfer(&ALICE, &BOB, 0, Preservation::Expendable));
		assert!(!Accounts::<Test>::contains_key(ALICE));
		assert!(!Accounts::<Test>::contains_key(BOB));
	});
}

#[test]
fn migration_to_v1_merges_minted_and_consumption_into_accounts_over_several_blocks() {
	use crate::migrations::v1::{v0, MigrateToV1};
	use frame_support::{
		migrations::SteppedMigration,
		traits::{GetStorageVersion, StorageVersion},
		weights::WeightMeter,
	};
	// The raw state: the records are made up, not consistent with holds or issuance.
	genesis_ext().execute_with(|| {
		StorageVersion::new(0).put::<Credits>();
		v0::Accounts::<Test>::insert(ALICE, v0::CreditAccount { free: 700, held: 300 });
		v0::MintedTo::<Test>::insert(ALICE, 1_000);
		v0::ConsumptionOf::<Test>::insert(ALICE, v0::Consumption { metered: 50, retired: 0 });
		// Bob spent all his credits; his history remains.
		v0::MintedTo::<Test>::insert(BOB, 200);
		v0::ConsumptionOf::<Test>::insert(BOB, v0::Consumption { metered: 900, retired: 200 });
		// Charlie only ever consumed.
		v0::ConsumptionOf::<Test>::insert(3, v0::Consumption { metered: 10, retired: 0 });

		// Each step may take one account: the migration goes on over several blocks.
		let mut steps = 0;
		let mut cursor = None;
		loop {
			let mut meter = WeightMeter::with_limit(MigrateToV1::<Test>::weight_per_account());
			cursor = MigrateToV1::<Test>::step(cursor, &mut meter).expect("a step succeeds");
			steps += 1;
			if cursor.is_none() {
				break;
			}
			assert_eq!(Credits::on_chain_storage_version(), 0, "not done until the last step");
		}
		assert!(steps >= 3, "one account a step: {steps} steps");

		let account = |free, held, minted, metered, retired| crate::CreditAccount {
			free,
			held,
			minted,
			metered,
			retired,
		};
		assert_eq!(Accounts::<Test>::get(ALICE), account(700, 300, 1_000, 50, 0));
		assert_eq!(Accounts::<Test>::get(BOB), account(0, 0, 200, 900, 200));
		assert_eq!(Accounts::<Test>::get(3), account(0, 0, 0, 10, 0));
		assert_eq!(v0::MintedTo::<Test>::iter().count(), 0);
		assert_eq!(v0::ConsumptionOf::<Test>::iter().count(), 0);
		assert_eq!(Credits::on_chain_storage_version(), 1);

		// Run again: the version says it is done.
		let mut meter = WeightMeter::new();
		assert_eq!(MigrateToV1::<Test>::step(None, &mut meter), Ok(None));
		assert_eq!(Accounts::<Test>::get(BOB), account(0, 0, 200, 900, 200));
	});
}
