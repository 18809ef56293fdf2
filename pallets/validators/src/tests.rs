//! Unit tests: every call's success, errors and events, and the session manager.

use crate::{
	mock::*, Error, Event, SessionLength, SessionLengthOf, SetChanged, Validators as PlannedSet,
};
use frame_support::{assert_noop, assert_ok, traits::Get};
use pallet_session::SessionManager;
use sp_runtime::DispatchError;

fn set() -> Vec<u64> {
	PlannedSet::<Test>::get().into_inner()
}

fn last_event() -> Event<Test> {
	System::events()
		.into_iter()
		.rev()
		.find_map(|r| match r.event {
			RuntimeEvent::Validators(e) => Some(e),
			_ => None,
		})
		.expect("an event of the pallet")
}

#[test]
fn genesis_sorts_the_set_and_plans_it_for_the_first_sessions() {
	new_test_ext().execute_with(|| {
		assert_eq!(set(), vec![1, 2, 3, 4]);
		assert_eq!(SessionLength::<Test>::get(), 20);
		assert_eq!(
			<Validators as SessionManager<u64>>::new_session_genesis(0),
			Some(vec![1, 2, 3, 4])
		);
		assert_eq!(
			<Validators as SessionManager<u64>>::new_session_genesis(1),
			Some(vec![1, 2, 3, 4])
		);
		// Nothing changed: later sessions keep the set.
		assert_eq!(<Validators as SessionManager<u64>>::new_session(2), None);
	});
}

#[test]
fn add_validator_plans_the_new_set_once() {
	new_test_ext().execute_with(|| {
		assert_ok!(Validators::add_validator(RuntimeOrigin::root(), OUTSIDER));
		assert_eq!(set(), vec![1, 2, 3, 4, OUTSIDER]);
		assert_eq!(last_event(), Event::ValidatorAdded { validator: OUTSIDER });
		assert!(SetChanged::<Test>::get());

		assert_eq!(
			<Validators as SessionManager<u64>>::new_session(2),
			Some(vec![1, 2, 3, 4, OUTSIDER])
		);
		assert_eq!(
			last_event(),
			Event::ValidatorSetPlanned { session: 2, validators: vec![1, 2, 3, 4, OUTSIDER] }
		);
		// Planned once: the next session keeps it without a new plan.
		assert_eq!(<Validators as SessionManager<u64>>::new_session(3), None);
	});
}

#[test]
fn add_validator_refuses_members_keyless_accounts_a_full_set_and_non_admins() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Validators::add_validator(RuntimeOrigin::root(), V1),
			Error::<Test>::AlreadyValidator
		);
		assert_noop!(
			Validators::add_validator(RuntimeOrigin::root(), KEYLESS),
			Error::<Test>::NoSessionKeys
		);
		assert_noop!(
			Validators::add_validator(RuntimeOrigin::signed(V1), OUTSIDER),
			DispatchError::BadOrigin
		);
		assert_ok!(Validators::add_validator(RuntimeOrigin::root(), 5));
		assert_noop!(
			Validators::add_validator(RuntimeOrigin::root(), OUTSIDER),
			Error::<Test>::TooManyValidators
		);
	});
}

#[test]
fn remove_validator_takes_effect_at_the_next_plan() {
	new_test_ext().execute_with(|| {
		assert_ok!(Validators::remove_validator(RuntimeOrigin::root(), 2));
		assert_eq!(set(), vec![1, 3, 4]);
		assert_eq!(last_event(), Event::ValidatorRemoved { validator: 2 });
		assert_eq!(<Validators as SessionManager<u64>>::new_session(5), Some(vec![1, 3, 4]));
	});
}

#[test]
fn remove_validator_never_goes_below_the_minimum() {
	new_test_ext().execute_with(|| {
		assert_ok!(Validators::remove_validator(RuntimeOrigin::root(), 4));
		// Three left, the minimum: no further removal.
		assert_noop!(
			Validators::remove_validator(RuntimeOrigin::root(), 3),
			Error::<Test>::TooFewValidators
		);
		assert_noop!(
			Validators::remove_validator(RuntimeOrigin::root(), OUTSIDER),
			Error::<Test>::NotValidator
		);
		assert_noop!(
			Validators::remove_validator(RuntimeOrigin::signed(V1), 1),
			DispatchError::BadOrigin
		);
		assert_eq!(set(), vec![1, 2, 3]);
	});
}

#[test]
fn set_session_length_stays_within_its_bounds() {
	new_test_ext().execute_with(|| {
		assert_ok!(Validators::set_session_length(RuntimeOrigin::root(), 600));
		assert_eq!(last_event(), Event::SessionLengthSet { length: 600 });
		assert_eq!(SessionLengthOf::<Test>::get(), 600);
		assert_noop!(
			Validators::set_session_length(RuntimeOrigin::root(), 9),
			Error::<Test>::SessionTooShort
		);
		assert_noop!(
			Validators::set_session_length(RuntimeOrigin::root(), 1_001),
			Error::<Test>::SessionTooLong
		);
		assert_ok!(Validators::set_session_length(RuntimeOrigin::root(), 1_000));
		assert_noop!(
			Validators::set_session_length(RuntimeOrigin::signed(V1), 100),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn session_length_is_never_zero() {
	new_test_ext().execute_with(|| {
		SessionLength::<Test>::kill();
		assert_eq!(SessionLengthOf::<Test>::get(), 10);
	});
}

#[test]
fn a_proven_offence_names_the_new_reports_offender_once() {
	use sp_staking::offence::{OffenceDetails, OnOffenceHandler};
	new_test_ext().execute_with(|| {
		System::set_block_number(1);
		let details = |offender| OffenceDetails { offender: (offender, ()), reporters: vec![] };
		// pallet-offences passes the offenders of the round reported before, then the new one.
		let first = [details(V1)];
		let both = [details(V1), details(2)];
		<Validators as OnOffenceHandler<u64, (u64, ()), _>>::on_offence(&first, &[], 7);
		<Validators as OnOffenceHandler<u64, (u64, ()), _>>::on_offence(&both, &[], 7);
		let named: Vec<_> = System::events()
			.into_iter()
			.filter_map(|r| match r.event {
				RuntimeEvent::Validators(Event::OffenceReported { validator, session }) => {
					Some((validator, session))
				}
				_ => None,
			})
			.collect();
		assert_eq!(named, vec![(V1, 7), (2, 7)], "each offender once");
		assert!(set().contains(&V1), "nobody is removed without a vote");
	});
}
