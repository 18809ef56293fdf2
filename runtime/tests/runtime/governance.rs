//! Runtime tests of consortium governance on the `local_testnet` preset (four utilities, Alice
//! to Dave, each a member and a validator; no sudo key): motions pass at two thirds and not
//! below, only members propose, the consortium alone administers the energy pallets, the
//! validator set and the admitted nodes, and acts as Root only by motion.

use crate::common::*;
use codec::Encode;
use frame_support::dispatch::GetDispatchInfo;
use peergrid_runtime::{
	genesis_config_presets::local_peer_id, AccountId, Executive, Runtime, RuntimeCall,
	RuntimeEvent, System, DAYS,
};
use sp_core::{OpaquePeerId, H256};
use sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET;
use sp_keyring::Sr25519Keyring::{self, Alice, Bob, Charlie, Dave, Eve, Ferdie};
use sp_runtime::{traits::Hash as _, BoundedVec, DispatchError, DispatchResult};

/// Applies a transaction of `who` with its next nonce and returns the call's result.
fn submit(who: Sr25519Keyring, call: RuntimeCall) -> DispatchResult {
	let nonce = System::account_nonce(who.to_account_id());
	apply(&signed(who, nonce, call, None)).expect("valid: the fee is paid")
}

fn propose_call(threshold: u32, call: RuntimeCall) -> RuntimeCall {
	let length_bound = call.encoded_size() as u32;
	RuntimeCall::Consortium(pallet_collective::Call::propose {
		threshold,
		proposal: Box::new(call),
		length_bound,
	})
}

/// A motion in the making: its hash and index.
struct Motion {
	call: RuntimeCall,
	hash: H256,
	index: u32,
}

/// `who` proposes `call` to the consortium with `threshold` ayes needed, and votes aye (a
/// proposal carries no vote of its own).
fn propose(who: Sr25519Keyring, threshold: u32, call: RuntimeCall) -> Motion {
	let index = pallet_collective::ProposalCount::<Runtime, pallet_collective::Instance1>::get();
	submit(who, propose_call(threshold, call.clone())).expect("a member proposes");
	let motion =
		Motion { hash: <Runtime as frame_system::Config>::Hashing::hash_of(&call), call, index };
	vote(who, &motion, true).expect("the proposer votes");
	motion
}

fn vote(who: Sr25519Keyring, motion: &Motion, approve: bool) -> DispatchResult {
	submit(
		who,
		RuntimeCall::Consortium(pallet_collective::Call::vote {
			proposal: motion.hash,
			index: motion.index,
			approve,
		}),
	)
}

fn close(who: Sr25519Keyring, motion: &Motion) -> DispatchResult {
	submit(
		who,
		RuntimeCall::Consortium(pallet_collective::Call::close {
			proposal_hash: motion.hash,
			index: motion.index,
			proposal_weight_bound: motion.call.get_dispatch_info().call_weight,
			length_bound: motion.call.encoded_size() as u32,
		}),
	)
}

/// Alice proposes `call` for two thirds (3 of 4), Bob and Charlie approve, Dave closes it;
/// returns the result of the call as the consortium dispatched it.
fn pass(call: RuntimeCall) -> DispatchResult {
	let motion = propose(Alice, 3, call);
	vote(Bob, &motion, true).expect("a member votes");
	vote(Charlie, &motion, true).expect("a member votes");
	close(Dave, &motion).expect("anyone closes a decided motion");
	executed(&motion).expect("approved motions are executed")
}

/// The result of the motion's execution, if it was executed (the latest motion of the same
/// call, if there were several).
fn executed(motion: &Motion) -> Option<DispatchResult> {
	System::events().into_iter().rev().find_map(|r| match r.event {
		RuntimeEvent::Consortium(pallet_collective::Event::Executed { proposal_hash, result })
			if proposal_hash == motion.hash =>
		{
			Some(result)
		}
		_ => None,
	})
}

fn disapproved(motion: &Motion) -> bool {
	System::events().into_iter().any(|r| {
		r.event
			== RuntimeEvent::Consortium(pallet_collective::Event::Disapproved {
				proposal_hash: motion.hash,
			})
	})
}

fn authorize_ferdie() -> RuntimeCall {
	RuntimeCall::Meters(pallet_meters::Call::authorize_oracle {
		oracle: Ferdie.to_account_id(),
		zones: BoundedVec::truncate_from(vec![0]),
	})
}

fn ferdie_zones() -> Vec<u32> {
	pallet_meters::Oracles::<Runtime>::get(Ferdie.to_account_id())
		.map(|z| z.into_inner())
		.unwrap_or_default()
}

/// The local test network, in block 1.
fn local(test: impl FnOnce()) {
	new_test_ext(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		start_block(1, System::block_hash(0), SLOT0 + 1);
		test()
	})
}

fn error(result: DispatchResult) -> Option<&'static str> {
	module_error(result.expect_err("the call fails"))
}

#[test]
fn a_motion_passes_at_two_thirds_of_the_members() {
	local(|| {
		let motion = propose(Alice, 3, authorize_ferdie());
		vote(Bob, &motion, true).expect("Bob votes");
		// Two of four is not yet two thirds: the motion cannot close.
		assert_eq!(error(close(Dave, &motion)), Some("TooEarly"));
		assert!(ferdie_zones().is_empty());

		vote(Charlie, &motion, true).expect("Charlie votes");
		close(Dave, &motion).expect("three of four close it");
		assert_eq!(executed(&motion), Some(Ok(())));
		assert_eq!(ferdie_zones(), vec![0]);
	});
}

#[test]
fn a_motion_below_two_thirds_does_not_act() {
	local(|| {
		// Three of four against: the motion is rejected as soon as it cannot pass.
		let motion = propose(Alice, 3, authorize_ferdie());
		vote(Bob, &motion, false).expect("Bob votes");
		vote(Charlie, &motion, false).expect("Charlie votes");
		close(Dave, &motion).expect("a lost motion closes early");
		assert!(disapproved(&motion));
		assert_eq!(executed(&motion), None);
		assert!(ferdie_zones().is_empty());

		// A motion proposed with a lower threshold passes the vote, but half of the members
		// are not the consortium's two thirds: the call is refused.
		let motion = propose(Alice, 2, authorize_ferdie());
		vote(Bob, &motion, true).expect("Bob votes");
		close(Dave, &motion).expect("two ayes close a two-aye motion");
		assert_eq!(executed(&motion), Some(Err(DispatchError::BadOrigin)));
		assert!(ferdie_zones().is_empty());
	});
}

#[test]
fn only_members_propose_and_vote() {
	local(|| {
		let count = pallet_collective::ProposalCount::<Runtime, pallet_collective::Instance1>::get;
		assert_eq!(error(submit(Eve, propose_call(3, authorize_ferdie()))), Some("NotMember"));
		assert_eq!(count(), 0);

		let motion = propose(Alice, 3, authorize_ferdie());
		assert_eq!(error(vote(Eve, &motion, true)), Some("NotMember"));
		assert_eq!(count(), 1);
	});
}

#[test]
fn energy_administration_needs_the_consortium() {
	local(|| {
		// Neither a member alone nor a zone operator authorizes an oracle or sets a fee.
		assert_eq!(submit(Alice, authorize_ferdie()), Err(DispatchError::BadOrigin));
		let fee =
			RuntimeCall::Market(pallet_market::Call::set_grid_fee { from: 0, to: 1, fee: None });
		assert_eq!(submit(Alice, fee.clone()), Err(DispatchError::BadOrigin));
		assert!(pallet_market::GridFees::<Runtime>::get(0, 1).is_some());

		assert_eq!(pass(fee), Ok(()));
		assert_eq!(pallet_market::GridFees::<Runtime>::get(0, 1), None);
		let zone = RuntimeCall::Meters(pallet_meters::Call::create_zone {
			name: BoundedVec::truncate_from(b"Zone E".to_vec()),
			operator: Eve.to_account_id(),
		});
		assert_eq!(pass(zone), Ok(()));
		assert_eq!(pallet_meters::Zones::<Runtime>::get(4).map(|z| z.operator), Some(Eve.into()));
	});
}

#[test]
fn a_zone_operator_acts_alone_only_within_its_zone() {
	local(|| {
		let register = |zone: u32, id: &[u8]| {
			RuntimeCall::Meters(pallet_meters::Call::register_meter {
				zone,
				external_id: BoundedVec::truncate_from(id.to_vec()),
				owner: Eve.to_account_id(),
				kind: peergrid_primitives::MeterKind::Bidirectional,
				capacity_w: 5_000,
				baseline: None,
			})
		};
		// Alice runs zone A (0); zone B (1) is Bob's.
		assert_eq!(submit(Alice, register(0, b"A-1")), Ok(()));
		assert_eq!(error(submit(Alice, register(1, b"B-1"))), Some("NotZoneOperator"));
		assert_eq!(pallet_meters::NextMeterId::<Runtime>::get(), 1);
	});
}

#[test]
fn no_key_holds_root_and_the_consortium_acts_as_root_by_motion() {
	local(|| {
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), None);
		let code_hash = H256::repeat_byte(7);
		let upgrade = RuntimeCall::System(frame_system::Call::authorize_upgrade { code_hash });
		let sudo = RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(upgrade.clone()) });
		assert_eq!(error(submit(Alice, sudo)), Some("RequireSudo"));
		assert_eq!(submit(Alice, upgrade.clone()), Err(DispatchError::BadOrigin));
		let as_root =
			RuntimeCall::ConsortiumRoot(peergrid_runtime::consortium_root::Call::dispatch {
				call: Box::new(upgrade),
			});
		assert_eq!(submit(Alice, as_root.clone()), Err(DispatchError::BadOrigin));
		assert!(System::authorized_upgrade().is_none());

		// The consortium authorizes the upgrade; anyone may then apply the code that has
		// exactly this hash.
		assert_eq!(pass(as_root), Ok(()));
		assert!(System::events().iter().any(|r| r.event
			== RuntimeEvent::ConsortiumRoot(
				peergrid_runtime::consortium_root::Event::Dispatched { result: Ok(()) }
			)));
		let authorized = System::authorized_upgrade().expect("authorized");
		assert_eq!(authorized.code_hash(), &code_hash);
	});
}

#[test]
fn the_consortium_admits_members_and_nodes() {
	local(|| {
		let members = || pallet_collective::Members::<Runtime, pallet_collective::Instance1>::get();
		let add = RuntimeCall::ConsortiumMembership(pallet_membership::Call::add_member {
			who: Eve.to_account_id().into(),
		});
		assert_eq!(submit(Alice, add.clone()), Err(DispatchError::BadOrigin));
		assert_eq!(pass(add), Ok(()));
		assert!(members().contains(&Eve.to_account_id()));
		assert_eq!(members().len(), 5);

		let regulator = OpaquePeerId(local_peer_id("regulator"));
		let admit =
			RuntimeCall::NodeAuthorization(pallet_node_authorization::Call::add_well_known_node {
				node: regulator.clone(),
				owner: Eve.to_account_id().into(),
			});
		assert_eq!(submit(Eve, admit.clone()), Err(DispatchError::BadOrigin));
		// Five members now: two thirds is four.
		let motion = propose(Alice, 4, admit);
		for member in [Bob, Charlie, Dave] {
			vote(member, &motion, true).expect("a member votes");
		}
		close(Eve, &motion).expect("four of five close it");
		assert_eq!(executed(&motion), Some(Ok(())));
		let nodes = pallet_node_authorization::WellKnownNodes::<Runtime>::get();
		assert!(nodes.contains(&regulator));
		assert_eq!(nodes.len(), 5);
	});
}

/// Every administrative call of the runtime, as a motion would carry it.
fn admin_calls() -> Vec<(&'static str, RuntimeCall)> {
	let eve = || Eve.to_account_id();
	vec![
		(
			"meters.createZone",
			RuntimeCall::Meters(pallet_meters::Call::create_zone {
				name: BoundedVec::truncate_from(b"Zone E".to_vec()),
				operator: eve(),
			}),
		),
		(
			"meters.setZoneOperator",
			RuntimeCall::Meters(pallet_meters::Call::set_zone_operator {
				zone: 0,
				operator: eve(),
			}),
		),
		("meters.authorizeOracle", authorize_ferdie()),
		(
			"meters.revokeOracle",
			RuntimeCall::Meters(pallet_meters::Call::revoke_oracle { oracle: eve() }),
		),
		(
			"market.setGridFee",
			RuntimeCall::Market(pallet_market::Call::set_grid_fee { from: 0, to: 1, fee: None }),
		),
		(
			"validators.addValidator",
			RuntimeCall::Validators(pallet_validators::Call::add_validator { validator: eve() }),
		),
		(
			"validators.removeValidator",
			RuntimeCall::Validators(pallet_validators::Call::remove_validator {
				validator: Dave.to_account_id(),
			}),
		),
		(
			"validators.setSessionLength",
			RuntimeCall::Validators(pallet_validators::Call::set_session_length { length: 600 }),
		),
		(
			"consortiumMembership.addMember",
			RuntimeCall::ConsortiumMembership(pallet_membership::Call::add_member {
				who: eve().into(),
			}),
		),
		(
			"consortiumMembership.removeMember",
			RuntimeCall::ConsortiumMembership(pallet_membership::Call::remove_member {
				who: Dave.to_account_id().into(),
			}),
		),
		(
			"consortiumMembership.swapMember",
			RuntimeCall::ConsortiumMembership(pallet_membership::Call::swap_member {
				remove: Dave.to_account_id().into(),
				add: eve().into(),
			}),
		),
		(
			"consortiumMembership.resetMembers",
			RuntimeCall::ConsortiumMembership(pallet_membership::Call::reset_members {
				members: vec![Alice.to_account_id(), Bob.to_account_id(), eve()],
			}),
		),
		(
			"consortiumMembership.setPrime",
			RuntimeCall::ConsortiumMembership(pallet_membership::Call::set_prime {
				who: Alice.to_account_id().into(),
			}),
		),
		(
			"consortiumMembership.clearPrime",
			RuntimeCall::ConsortiumMembership(pallet_membership::Call::clear_prime {}),
		),
		(
			"nodeAuthorization.swapWellKnownNode",
			RuntimeCall::NodeAuthorization(pallet_node_authorization::Call::swap_well_known_node {
				remove: OpaquePeerId(local_peer_id("dave")),
				add: OpaquePeerId(local_peer_id("regulator")),
			}),
		),
		(
			"nodeAuthorization.resetWellKnownNodes",
			RuntimeCall::NodeAuthorization(
				pallet_node_authorization::Call::reset_well_known_nodes {
					nodes: vec![(OpaquePeerId(local_peer_id("alice")), Alice.to_account_id())],
				},
			),
		),
		(
			"nodeAuthorization.addWellKnownNode",
			RuntimeCall::NodeAuthorization(pallet_node_authorization::Call::add_well_known_node {
				node: OpaquePeerId(local_peer_id("regulator")),
				owner: eve().into(),
			}),
		),
		(
			"nodeAuthorization.removeWellKnownNode",
			RuntimeCall::NodeAuthorization(
				pallet_node_authorization::Call::remove_well_known_node {
					node: OpaquePeerId(local_peer_id("dave")),
				},
			),
		),
		(
			"consortiumRoot.dispatch",
			RuntimeCall::ConsortiumRoot(peergrid_runtime::consortium_root::Call::dispatch {
				call: Box::new(RuntimeCall::System(frame_system::Call::remark {
					remark: b"by the consortium".to_vec(),
				})),
			}),
		),
	]
}

#[test]
fn every_administrative_call_needs_two_thirds_of_the_members() {
	for (name, call) in admin_calls() {
		local(|| {
			// A member alone, or half of the members, is refused before anything changes.
			assert_eq!(submit(Alice, call.clone()), Err(DispatchError::BadOrigin), "{name}");
			let motion = propose(Alice, 2, call.clone());
			vote(Bob, &motion, true).expect("Bob votes");
			close(Dave, &motion).expect("two ayes close a two-aye motion");
			assert_eq!(executed(&motion), Some(Err(DispatchError::BadOrigin)), "{name}");

			// Two thirds pass the origin check: the call then succeeds or fails on its merits
			// (Eve has no session keys, so she cannot be a validator yet, and is no oracle).
			let result = pass(call.clone());
			match name {
				"validators.addValidator" => assert_eq!(
					result,
					Err(pallet_validators::Error::<Runtime>::NoSessionKeys.into()),
					"{name}"
				),
				"meters.revokeOracle" => assert_eq!(
					result,
					Err(pallet_meters::Error::<Runtime>::UnknownOracle.into()),
					"{name}"
				),
				_ => assert_eq!(result, Ok(()), "{name}"),
			}
		});
	}
}

fn session_validators() -> Vec<AccountId> {
	pallet_session::Validators::<Runtime>::get()
}

fn aura_authorities() -> usize {
	pallet_aura::Authorities::<Runtime>::get().len()
}

#[test]
fn the_consortium_changes_validators_at_session_boundaries_never_below_three() {
	new_test_ext(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		let length = pallet_validators::SessionLength::<Runtime>::get();
		assert_eq!(length, 10);
		assert_eq!(session_validators().len(), 4);
		assert_eq!(pallet_grandpa::Pallet::<Runtime>::grandpa_authorities().len(), 4);
		let mut chain = Chain::new();
		let remove = |who: Sr25519Keyring| {
			RuntimeCall::Validators(pallet_validators::Call::remove_validator {
				validator: who.to_account_id(),
			})
		};
		let mut result = None;
		chain.block_with(|| result = Some(pass(remove(Dave))));
		assert_eq!(result, Some(Ok(())));
		assert!(!pallet_validators::Validators::<Runtime>::get().contains(&Dave.to_account_id()));

		// Session 1 starts at block 10 and plans the new set for session 2 (block 20), when
		// Dave stops being an authority.
		while chain.number <= 19 {
			chain.block(vec![]);
		}
		assert_eq!(pallet_session::CurrentIndex::<Runtime>::get(), 1);
		assert_eq!(session_validators().len(), 4);
		chain.block(vec![]);
		assert_eq!(pallet_session::CurrentIndex::<Runtime>::get(), 2);
		assert!(!session_validators().contains(&Dave.to_account_id()));
		assert_eq!(aura_authorities(), 3);
		// GRANDPA's change is scheduled at the session change; it is enacted at once.
		assert_eq!(pallet_grandpa::Pallet::<Runtime>::grandpa_authorities().len(), 3);

		// Three is the safe minimum: the next removal passes the vote but is refused.
		chain.block_with(|| result = Some(pass(remove(Charlie))));
		let too_few = pallet_validators::Error::<Runtime>::TooFewValidators.into();
		assert_eq!(result, Some(Err(too_few)));
		assert_eq!(pallet_validators::Validators::<Runtime>::get().len(), 3);

		// Dave's keys are still registered: he comes back two sessions later.
		let add = RuntimeCall::Validators(pallet_validators::Call::add_validator {
			validator: Dave.to_account_id(),
		});
		chain.block_with(|| result = Some(pass(add)));
		assert_eq!(result, Some(Ok(())));
		while chain.number <= 40 {
			chain.block(vec![]);
		}
		assert_eq!(pallet_session::CurrentIndex::<Runtime>::get(), 4);
		assert!(session_validators().contains(&Dave.to_account_id()));
		assert_eq!(aura_authorities(), 4);
	});
}

#[test]
fn members_who_do_not_vote_count_against_when_the_motion_expires() {
	new_test_ext(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		start_block(1, System::block_hash(0), SLOT0 + 1);
		let motion = propose(Alice, 3, authorize_ferdie());
		vote(Bob, &motion, true).expect("Bob votes");
		assert_eq!(error(close(Dave, &motion)), Some("TooEarly"));
		Executive::finalize_block();
		crate::common::check_invariants(1);

		// Seven days later, Charlie and Dave have not voted: two ayes, two nays by default.
		// (A week of empty blocks is skipped: the next block is the motion's last.)
		let expiry = 1 + 7 * DAYS;
		System::set_block_number(expiry - 1);
		start_block(expiry, System::block_hash(0), SLOT0 + u64::from(expiry));
		close(Eve, &motion).expect("anyone closes an expired motion");
		assert!(disapproved(&motion));
		assert!(System::events().iter().any(|r| r.event
			== RuntimeEvent::Consortium(pallet_collective::Event::Closed {
				proposal_hash: motion.hash,
				yes: 2,
				no: 2,
			})));
		assert!(ferdie_zones().is_empty());
	});
}

#[test]
fn no_transaction_bypasses_the_consortium_on_keys_nodes_or_seats() {
	local(|| {
		let filtered = Err(frame_system::Error::<Runtime>::CallFiltered.into());
		let dave_node = OpaquePeerId(local_peer_id("dave"));
		let regulator = OpaquePeerId(local_peer_id("regulator"));
		let calls = [
			// A validator cannot drop its keys and so leave the set without a vote.
			RuntimeCall::Session(pallet_session::Call::purge_keys {}),
			// Nobody admits peers but the consortium: no claims, no extra connections.
			RuntimeCall::NodeAuthorization(pallet_node_authorization::Call::claim_node {
				node: regulator.clone(),
			}),
			RuntimeCall::NodeAuthorization(pallet_node_authorization::Call::add_connections {
				node: dave_node.clone(),
				connections: vec![regulator.clone()],
			}),
			RuntimeCall::NodeAuthorization(pallet_node_authorization::Call::transfer_node {
				node: dave_node.clone(),
				owner: Eve.to_account_id().into(),
			}),
			// A member cannot hand its seat to another account.
			RuntimeCall::ConsortiumMembership(pallet_membership::Call::change_key {
				new: Eve.to_account_id().into(),
			}),
		];
		for call in calls {
			assert_eq!(submit(Dave, call.clone()), filtered, "{call:?}");
		}
		assert!(pallet_session::NextKeys::<Runtime>::contains_key(Dave.to_account_id()));
		assert_eq!(
			pallet_node_authorization::Owners::<Runtime>::get(&dave_node),
			Some(Dave.to_account_id())
		);
		assert!(
			pallet_node_authorization::AdditionalConnections::<Runtime>::get(&dave_node).is_empty()
		);

		// Nor can a motion hand Root to a single key.
		let set_key =
			RuntimeCall::Sudo(pallet_sudo::Call::set_key { new: Eve.to_account_id().into() });
		let as_root =
			RuntimeCall::ConsortiumRoot(peergrid_runtime::consortium_root::Call::dispatch {
				call: Box::new(set_key),
			});
		let not_allowed = peergrid_runtime::consortium_root::Error::<Runtime>::CallNotAllowed;
		assert_eq!(pass(as_root), Err(not_allowed.into()));
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), None);
	});
}
