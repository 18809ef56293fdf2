//! Unit tests: each call's success, events and errors, against the mock runtime.

use crate::{
	mock::*,
	pallet::{
		Error, MeterByExternalId, Meters as MeterRecords, MetersByOwner, NextMeterId, NextZoneId,
		Oracles, Zones,
	},
	Event as MetersEvent, ExternalMeterId, ZoneName,
};
use frame_support::{assert_noop, assert_ok, BoundedVec};
use peergrid_primitives::{Baseline, MeterKind, MeterRegistry, MeterStatus, Registers};
use sp_runtime::DispatchError;

/// The registers (100, 50) at the end of the interval before the tests' clock.
fn baseline() -> Option<Baseline> {
	Some(Baseline {
		interval: NOW_MS / 1000 / 900 - 1,
		registers: Registers { imported_wh: 100, exported_wh: 50 },
	})
}

fn ext_id(id: &str) -> ExternalMeterId {
	ExternalMeterId::try_from(id.as_bytes().to_vec()).expect("short id")
}

fn last_event() -> MetersEvent<Test> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Meters(e) => Some(e),
			_ => None,
		})
		.next_back()
		.expect("an event of the registry")
}

/// Registers meter `id` in zone 0 for `owner` and returns its meter id.
fn register(id: &str, owner: u64) -> u64 {
	assert_ok!(Meters::register_meter(
		RuntimeOrigin::signed(OPERATOR),
		0,
		ext_id(id),
		owner,
		MeterKind::Bidirectional,
		5_000,
		baseline(),
	));
	NextMeterId::<Test>::get() - 1
}

fn zones(z: &[u32]) -> BoundedVec<u32, frame_support::traits::ConstU32<4>> {
	BoundedVec::try_from(z.to_vec()).expect("few zones")
}

#[test]
fn genesis_zones_exist() {
	new_test_ext().execute_with(|| {
		assert_eq!(NextZoneId::<Test>::get(), 2);
		assert_eq!(Zones::<Test>::get(0).map(|z| z.operator), Some(OPERATOR));
		assert_eq!(Zones::<Test>::get(1).map(|z| z.name.to_vec()), Some(b"South".to_vec()));
		assert_ok!(Meters::do_try_state());
	});
}

#[test]
fn admin_creates_a_zone() {
	new_test_ext().execute_with(|| {
		let name = ZoneName::try_from(b"East".to_vec()).expect("short");
		assert_ok!(Meters::create_zone(RuntimeOrigin::root(), name.clone(), 7));
		assert_eq!(Zones::<Test>::get(2).map(|z| z.operator), Some(7));
		assert_eq!(last_event(), MetersEvent::ZoneCreated { zone: 2, name, operator: 7 });
	});
}

#[test]
fn only_the_admin_creates_zones() {
	new_test_ext().execute_with(|| {
		let name = ZoneName::try_from(b"East".to_vec()).expect("short");
		assert_noop!(
			Meters::create_zone(RuntimeOrigin::signed(OPERATOR), name, 7),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn zone_ids_that_would_overflow_are_refused() {
	new_test_ext().execute_with(|| {
		NextZoneId::<Test>::put(u32::MAX);
		let name = ZoneName::try_from(b"East".to_vec()).expect("short");
		assert_noop!(Meters::create_zone(RuntimeOrigin::root(), name, 7), Error::<Test>::Overflow);
	});
}

#[test]
fn admin_hands_a_zone_to_another_operator() {
	new_test_ext().execute_with(|| {
		assert_ok!(Meters::set_zone_operator(RuntimeOrigin::root(), 0, 9));
		assert_eq!(Zones::<Test>::get(0).map(|z| z.operator), Some(9));
		assert_eq!(last_event(), MetersEvent::ZoneOperatorChanged { zone: 0, operator: 9 });
		assert_noop!(
			Meters::set_zone_operator(RuntimeOrigin::root(), 5, 9),
			Error::<Test>::UnknownZone
		);
		assert_noop!(
			Meters::set_zone_operator(RuntimeOrigin::signed(OPERATOR), 0, 9),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn zone_operator_registers_a_meter() {
	new_test_ext().execute_with(|| {
		let meter = register("EAN-001", ALICE);
		assert_eq!(meter, 0);
		let record = MeterRecords::<Test>::get(0).expect("registered");
		assert_eq!(record.owner, ALICE);
		assert_eq!(record.status, MeterStatus::Active);
		assert_eq!(record.registered_at, NOW_MS / 1000);
		assert_eq!(MeterByExternalId::<Test>::get(ext_id("EAN-001")), Some(0));
		assert_eq!(MetersByOwner::<Test>::get(ALICE).to_vec(), vec![0]);
		assert_eq!(
			last_event(),
			MetersEvent::MeterRegistered {
				meter: 0,
				zone: 0,
				external_id: ext_id("EAN-001"),
				owner: ALICE,
				kind: MeterKind::Bidirectional,
				capacity_w: 5_000,
				baseline: baseline(),
			}
		);
		let view = <Meters as MeterRegistry<u64>>::meter(0).expect("visible to other pallets");
		assert_eq!((view.owner, view.zone, view.capacity_w), (ALICE, 0, 5_000));
		assert_eq!(view.baseline, baseline());
		assert_ok!(Meters::do_try_state());
	});
}

#[test]
fn registering_a_meter_checks_zone_operator_id_capacity_and_bound() {
	new_test_ext().execute_with(|| {
		let reg = |who, zone, id: &str, owner, capacity| {
			Meters::register_meter(
				RuntimeOrigin::signed(who),
				zone,
				ext_id(id),
				owner,
				MeterKind::Production,
				capacity,
				None,
			)
		};
		assert_noop!(reg(OPERATOR, 9, "A", ALICE, 1), Error::<Test>::UnknownZone);
		assert_noop!(reg(OTHER_OPERATOR, 0, "A", ALICE, 1), Error::<Test>::NotZoneOperator);
		assert_noop!(reg(OPERATOR, 0, "A", ALICE, 0), Error::<Test>::ZeroCapacity);
		assert_ok!(reg(OPERATOR, 0, "A", ALICE, 1));
		assert_noop!(reg(OPERATOR, 0, "A", BOB, 1), Error::<Test>::DuplicateExternalId);
		assert_ok!(reg(OPERATOR, 0, "B", ALICE, 1));
		assert_ok!(reg(OPERATOR, 0, "C", ALICE, 1));
		assert_noop!(reg(OPERATOR, 0, "D", ALICE, 1), Error::<Test>::TooManyMeters);
		let not_ended =
			Some(Baseline { interval: NOW_MS / 1000 / 900, registers: Registers::default() });
		assert_noop!(
			Meters::register_meter(
				RuntimeOrigin::signed(OPERATOR),
				0,
				ext_id("E"),
				BOB,
				MeterKind::Production,
				1,
				not_ended,
			),
			Error::<Test>::BaselineNotEnded
		);
		NextMeterId::<Test>::put(u64::MAX);
		assert_noop!(reg(OPERATOR, 0, "E", BOB, 1), Error::<Test>::Overflow);
	});
}

#[test]
fn zone_operator_suspends_reactivates_and_retires_a_meter() {
	new_test_ext().execute_with(|| {
		let meter = register("EAN-001", ALICE);
		let set = |who, status| Meters::set_meter_status(RuntimeOrigin::signed(who), meter, status);
		assert_noop!(set(OTHER_OPERATOR, MeterStatus::Suspended), Error::<Test>::NotZoneOperator);
		assert_noop!(set(OPERATOR, MeterStatus::Active), Error::<Test>::StatusUnchanged);
		assert_ok!(set(OPERATOR, MeterStatus::Suspended));
		assert_eq!(
			last_event(),
			MetersEvent::MeterStatusChanged { meter, status: MeterStatus::Suspended }
		);
		assert_ok!(set(OPERATOR, MeterStatus::Active));
		assert_ok!(set(OPERATOR, MeterStatus::Retired));
		assert_eq!(MeterRecords::<Test>::get(meter).map(|m| m.status), Some(MeterStatus::Retired));
		assert!(!MetersByOwner::<Test>::contains_key(ALICE), "retired meters leave the list");
		assert_noop!(set(OPERATOR, MeterStatus::Active), Error::<Test>::MeterRetired);
		assert_noop!(
			Meters::set_meter_status(RuntimeOrigin::signed(OPERATOR), 42, MeterStatus::Active),
			Error::<Test>::UnknownMeter
		);
		assert_ok!(Meters::do_try_state());
	});
}

#[test]
fn ownership_moves_when_the_owner_offers_and_the_new_owner_accepts() {
	new_test_ext().execute_with(|| {
		let meter = register("EAN-001", ALICE);
		assert_noop!(
			Meters::accept_meter_ownership(RuntimeOrigin::signed(BOB), meter),
			Error::<Test>::NoOwnershipOffer
		);
		assert_ok!(Meters::offer_meter_ownership(RuntimeOrigin::signed(ALICE), meter, BOB));
		assert_eq!(
			last_event(),
			MetersEvent::MeterOwnershipOffered { meter, from: ALICE, to: BOB }
		);
		assert_eq!(MeterRecords::<Test>::get(meter).map(|m| m.owner), Some(ALICE), "not yet");
		assert_noop!(
			Meters::accept_meter_ownership(RuntimeOrigin::signed(OPERATOR), meter),
			Error::<Test>::NoOwnershipOffer
		);
		assert_ok!(Meters::accept_meter_ownership(RuntimeOrigin::signed(BOB), meter));
		assert_eq!(
			last_event(),
			MetersEvent::MeterOwnershipTransferred { meter, from: ALICE, to: BOB }
		);
		let record = MeterRecords::<Test>::get(meter).expect("exists");
		assert_eq!((record.owner, record.offered_to), (BOB, None));
		assert_eq!(MetersByOwner::<Test>::get(BOB).to_vec(), vec![meter]);
		assert!(!MetersByOwner::<Test>::contains_key(ALICE));
		assert_ok!(Meters::do_try_state());
	});
}

#[test]
fn offering_a_meter_checks_owner_status_and_recipient() {
	new_test_ext().execute_with(|| {
		let meter = register("EAN-001", ALICE);
		let offer = |who, to| Meters::offer_meter_ownership(RuntimeOrigin::signed(who), meter, to);
		assert_noop!(offer(BOB, BOB), Error::<Test>::NotMeterOwner);
		assert_noop!(offer(ALICE, ALICE), Error::<Test>::AlreadyOwner);
		assert_noop!(
			Meters::offer_meter_ownership(RuntimeOrigin::signed(ALICE), 9, BOB),
			Error::<Test>::UnknownMeter
		);
		assert_ok!(offer(ALICE, BOB));
		assert_ok!(Meters::set_meter_status(
			RuntimeOrigin::signed(OPERATOR),
			meter,
			MeterStatus::Retired
		));
		assert_noop!(offer(ALICE, BOB), Error::<Test>::MeterRetired);
		assert_noop!(
			Meters::accept_meter_ownership(RuntimeOrigin::signed(BOB), meter),
			Error::<Test>::NoOwnershipOffer
		);
	});
}

#[test]
fn accepting_a_meter_respects_the_new_owners_bound() {
	new_test_ext().execute_with(|| {
		let meter = register("EAN-001", ALICE);
		for id in ["B1", "B2", "B3"] {
			register(id, BOB);
		}
		assert_ok!(Meters::offer_meter_ownership(RuntimeOrigin::signed(ALICE), meter, BOB));
		assert_noop!(
			Meters::accept_meter_ownership(RuntimeOrigin::signed(BOB), meter),
			Error::<Test>::TooManyMeters
		);
	});
}

#[test]
fn zone_operator_reassigns_a_meter_alone() {
	new_test_ext().execute_with(|| {
		let meter = register("EAN-001", ALICE);
		let reassign = |who, to| Meters::reassign_meter(RuntimeOrigin::signed(who), meter, to);
		assert_noop!(reassign(ALICE, BOB), Error::<Test>::NotZoneOperator);
		assert_noop!(reassign(OPERATOR, ALICE), Error::<Test>::AlreadyOwner);
		assert_ok!(reassign(OPERATOR, BOB));
		assert_eq!(
			last_event(),
			MetersEvent::MeterOwnershipTransferred { meter, from: ALICE, to: BOB }
		);
		assert_eq!(MeterRecords::<Test>::get(meter).map(|m| m.owner), Some(BOB));
		assert_noop!(
			Meters::reassign_meter(RuntimeOrigin::signed(OPERATOR), 9, BOB),
			Error::<Test>::UnknownMeter
		);
		assert_ok!(Meters::do_try_state());
	});
}

#[test]
fn admin_authorizes_and_revokes_oracles() {
	new_test_ext().execute_with(|| {
		assert_ok!(Meters::authorize_oracle(RuntimeOrigin::root(), ORACLE, zones(&[1, 0, 1])));
		assert_eq!(Oracles::<Test>::get(ORACLE).map(|z| z.to_vec()), Some(vec![0, 1]));
		assert_eq!(
			last_event(),
			MetersEvent::OracleAuthorized { oracle: ORACLE, zones: zones(&[0, 1]) }
		);
		assert_eq!(<Meters as MeterRegistry<u64>>::oracle_may_sign(&ORACLE, 1), Some(true));
		assert_eq!(<Meters as MeterRegistry<u64>>::oracle_may_sign(&ORACLE, 2), Some(false));
		assert_eq!(<Meters as MeterRegistry<u64>>::oracle_may_sign(&ALICE, 0), None);

		assert_ok!(Meters::revoke_oracle(RuntimeOrigin::root(), ORACLE));
		assert_eq!(last_event(), MetersEvent::OracleRevoked { oracle: ORACLE });
		assert_eq!(<Meters as MeterRegistry<u64>>::oracle_may_sign(&ORACLE, 0), None);
	});
}

#[test]
fn oracle_authorization_checks_origin_and_zones() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Meters::authorize_oracle(RuntimeOrigin::signed(OPERATOR), ORACLE, zones(&[0])),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Meters::authorize_oracle(RuntimeOrigin::root(), ORACLE, zones(&[])),
			Error::<Test>::NoZones
		);
		assert_noop!(
			Meters::authorize_oracle(RuntimeOrigin::root(), ORACLE, zones(&[0, 7])),
			Error::<Test>::UnknownZone
		);
		assert_noop!(
			Meters::revoke_oracle(RuntimeOrigin::root(), ORACLE),
			Error::<Test>::UnknownOracle
		);
		assert_noop!(
			Meters::revoke_oracle(RuntimeOrigin::signed(OPERATOR), ORACLE),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn registry_tells_zone_operators_and_active_meters() {
	new_test_ext().execute_with(|| {
		let registry_operator = <Meters as MeterRegistry<u64>>::zone_operator;
		let active_in =
			|who, zone| <Meters as MeterRegistry<u64>>::has_active_meter_in(who, zone).0;
		assert_eq!(registry_operator(0), Some(OPERATOR));
		assert_eq!(registry_operator(1), Some(OTHER_OPERATOR));
		assert_eq!(registry_operator(2), None);

		assert!(!active_in(&ALICE, 0));
		let meter = register("EAN-001", ALICE);
		assert!(active_in(&ALICE, 0));
		assert!(!active_in(&ALICE, 1), "the meter is in zone 0");
		assert!(!active_in(&BOB, 0), "the meter is Alice's");
		assert_ok!(Meters::set_meter_status(
			RuntimeOrigin::signed(OPERATOR),
			meter,
			MeterStatus::Suspended
		));
		assert!(!active_in(&ALICE, 0), "a suspended meter does not count");
		register("EAN-002", ALICE);
		let meters_read = <Meters as MeterRegistry<u64>>::has_active_meter_in(&ALICE, 0).1;
		assert_eq!(meters_read, 2, "the suspended meter, then the active one");
	});
}
