//! Runtime tests of GRANDPA equivocation reports: a validator that casts two conflicting votes
//! in one round is reported with the votes and a proof that its key was a validator's in that
//! session; the report is kept, the validator set names the offender, and nothing else is
//! taken (proof of authority: the consortium decides by motion).

use crate::common::{new_test_ext, Chain};
use frame_support::traits::KeyOwnerProofSystem;
use peergrid_runtime::{
	Executive, Historical, Runtime, RuntimeCall, RuntimeEvent, System, UncheckedExtrinsic,
};
use sp_consensus_grandpa::{EquivocationProof, SetId, KEY_TYPE};
use sp_core::H256;
use sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET;
use sp_keyring::Ed25519Keyring;
use sp_runtime::transaction_validity::{
	InvalidTransaction, TransactionSource, TransactionValidityError,
};

/// `voter`'s two prevotes in `round` of set `set_id`, for two different blocks.
fn equivocation(set_id: SetId, round: u64, voter: Ed25519Keyring) -> EquivocationProof<H256, u32> {
	claimed(set_id, round, voter, voter)
}

/// Two prevotes in `round` of set `set_id` that `signer` signed and `voter` is said to have.
fn claimed(
	set_id: SetId,
	round: u64,
	voter: Ed25519Keyring,
	signer: Ed25519Keyring,
) -> EquivocationProof<H256, u32> {
	let prevote = |target: u8| {
		let prevote =
			finality_grandpa::Prevote { target_hash: H256::repeat_byte(target), target_number: 1 };
		let message = finality_grandpa::Message::Prevote(prevote.clone());
		let payload = sp_consensus_grandpa::localized_payload(round, set_id, &message);
		(prevote, signer.sign(&payload).into())
	};
	EquivocationProof::new(
		set_id,
		sp_consensus_grandpa::Equivocation::Prevote(finality_grandpa::Equivocation {
			round_number: round,
			identity: voter.public().into(),
			first: prevote(1),
			second: prevote(2),
		}),
	)
}

/// The report a validator's node submits: unsigned, with the proof that `voter`'s key was a
/// validator's.
fn report(proof: EquivocationProof<H256, u32>, voter: Ed25519Keyring) -> UncheckedExtrinsic {
	let key: sp_consensus_grandpa::AuthorityId = voter.public().into();
	let key_owner_proof = Historical::prove((KEY_TYPE, key))
		.expect("the voter's key is a validator's of this session");
	UncheckedExtrinsic::new_bare(RuntimeCall::Grandpa(
		pallet_grandpa::Call::report_equivocation_unsigned {
			equivocation_proof: Box::new(proof),
			key_owner_proof,
		},
	))
}

/// The pool's verdict on `xt` coming from `source`. (Validation sets up a block of its own:
/// what it writes is rolled back, as the node's pool throws it away.)
fn pool(
	xt: &UncheckedExtrinsic,
	source: TransactionSource,
) -> Result<(), TransactionValidityError> {
	let parent = System::parent_hash();
	sp_io::storage::start_transaction();
	let verdict = Executive::validate_transaction(source, xt.clone(), parent).map(|_| ());
	sp_io::storage::rollback_transaction();
	verdict
}

#[test]
fn an_equivocation_is_reported_kept_and_named_and_a_repeat_or_forgery_is_refused() {
	new_test_ext(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		let mut chain = Chain::new();
		chain.block(vec![]);
		let set_id = pallet_grandpa::CurrentSetId::<Runtime>::get();
		let bob = Ed25519Keyring::Bob;
		let xt = report(equivocation(set_id, 3, bob), bob);
		assert_eq!(pool(&xt, TransactionSource::Local), Ok(()), "a node takes its own report");
		// Only a node's own reports: nobody can flood the pools with them from outside.
		assert_eq!(pool(&xt, TransactionSource::External), Err(InvalidTransaction::Call.into()));

		chain.block(vec![xt.clone()]);
		assert_eq!(pallet_offences::Reports::<Runtime>::iter().count(), 1, "the evidence is kept");
		let named: Vec<_> = System::events()
			.into_iter()
			.filter_map(|r| match r.event {
				RuntimeEvent::Validators(pallet_validators::Event::OffenceReported {
					validator,
					session,
				}) => Some((validator, session)),
				_ => None,
			})
			.collect();
		assert_eq!(named, vec![(sp_keyring::Sr25519Keyring::Bob.to_account_id(), 0)]);
		assert!(
			pallet_validators::Validators::<Runtime>::get()
				.contains(&sp_keyring::Sr25519Keyring::Bob.to_account_id()),
			"nobody is removed without a vote"
		);

		// The same offence again, even in other votes of that round: already known.
		chain.block_with(|| {
			let again = report(equivocation(set_id, 3, bob), bob);
			assert_eq!(
				pool(&again, TransactionSource::Local),
				Err(InvalidTransaction::Stale.into())
			);
		});
		// Votes that are not Bob's, claimed as his: the block finds the signatures wrong.
		chain.block_with(|| {
			let forged = report(claimed(set_id, 4, bob, Ed25519Keyring::Eve), bob);
			assert!(matches!(Executive::apply_extrinsic(forged), Ok(Err(_))));
		});
		assert_eq!(pallet_offences::Reports::<Runtime>::iter().count(), 1);
	});
}

#[test]
fn past_sessions_are_kept_for_proofs_for_a_bounded_time() {
	use peergrid_runtime::configs::REPORTABLE_SESSIONS;
	new_test_ext(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		let mut chain = Chain::new();
		// The local testnet's sessions last 10 blocks: run past the sessions kept.
		let sessions = REPORTABLE_SESSIONS + 3;
		while pallet_session::CurrentIndex::<Runtime>::get() < sessions {
			chain.block(vec![]);
		}
		let (first, last) =
			pallet_session::historical::StoredRange::<Runtime>::get().expect("sessions are kept");
		assert_eq!(first, sessions - REPORTABLE_SESSIONS, "older sessions are pruned");
		assert!(last > sessions, "the current and the planned sessions are kept");
		assert!(pallet_session::historical::HistoricalSessions::<Runtime>::get(first - 1).is_none());
		assert!(pallet_session::historical::HistoricalSessions::<Runtime>::get(first).is_some());
	});
}
