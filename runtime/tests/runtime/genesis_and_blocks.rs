//! Runtime tests against the real runtime: genesis built from each preset, and blocks built,
//! then executed again from genesis as a syncing node would.

use crate::common::{build_block, new_test_ext, signed, transfer};
use peergrid_runtime::{
	genesis_config_presets::{
		authorities, endowed_accounts, get_preset, local_peer_id, preset_names, ENDOWMENT,
	},
	AccountId, Balance, Balances, Executive, Runtime, RuntimeCall, RuntimeEvent, System,
	SLOT_DURATION, UNIT,
};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_core::{OpaquePeerId, H256};
use sp_genesis_builder::{PresetId, DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};
use sp_runtime::{
	traits::{Block as BlockT, Header as HeaderT},
	transaction_validity::{InvalidTransaction, TransactionValidityError},
};

fn balance(who: Sr25519Keyring) -> Balance {
	Balances::free_balance(who.to_account_id())
}

#[test]
fn presets_are_development_and_local_testnet() {
	let names: Vec<String> = preset_names()
		.into_iter()
		.map(|p| String::from_utf8(p.into()).expect("preset names are UTF-8"))
		.collect();
	assert_eq!(names, vec![DEV_RUNTIME_PRESET.to_string(), LOCAL_TESTNET_RUNTIME_PRESET.into()]);
	assert!(get_preset(&PresetId::from("mainnet")).is_none());
}

#[test]
fn development_preset_has_alice_as_the_one_validator() {
	new_test_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		let aura: Vec<_> = pallet_aura::Authorities::<Runtime>::get().into_inner();
		assert_eq!(aura, vec![Sr25519Keyring::Alice.public().into()]);
		let grandpa = pallet_grandpa::Pallet::<Runtime>::grandpa_authorities();
		assert_eq!(grandpa, vec![(Ed25519Keyring::Alice.public().into(), 1)]);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(Sr25519Keyring::Alice.to_account_id()));
		let members = pallet_collective::Members::<Runtime, pallet_collective::Instance1>::get();
		assert_eq!(members, vec![Sr25519Keyring::Alice.to_account_id()]);
		// A single node: it admits no peer. Sessions last an hour.
		assert!(pallet_node_authorization::WellKnownNodes::<Runtime>::get().is_empty());
		assert_eq!(pallet_validators::SessionLength::<Runtime>::get(), 600);
	});
}

#[test]
fn local_testnet_preset_has_four_utilities_as_validators() {
	new_test_ext(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		let utilities = [
			Sr25519Keyring::Alice,
			Sr25519Keyring::Bob,
			Sr25519Keyring::Charlie,
			Sr25519Keyring::Dave,
		];
		assert_eq!(authorities(LOCAL_TESTNET_RUNTIME_PRESET), utilities.to_vec());
		// The session orders validators by account; compare as sets.
		let mut aura: Vec<_> = pallet_aura::Authorities::<Runtime>::get().into_inner();
		aura.sort();
		let mut expected_aura: Vec<AuraId> = utilities.iter().map(|u| u.public().into()).collect();
		expected_aura.sort();
		assert_eq!(aura, expected_aura);
		let mut grandpa = pallet_grandpa::Pallet::<Runtime>::grandpa_authorities();
		grandpa.sort();
		let mut expected: Vec<_> = [
			Ed25519Keyring::Alice,
			Ed25519Keyring::Bob,
			Ed25519Keyring::Charlie,
			Ed25519Keyring::Dave,
		]
		.iter()
		.map(|k| (k.public().into(), 1))
		.collect();
		expected.sort();
		assert_eq!(grandpa, expected);

		// Each utility is a consortium member, a validator and the owner of one admitted
		// node; nobody holds a sudo key.
		let accounts: Vec<AccountId> = utilities.iter().map(|u| u.to_account_id()).collect();
		let mut members =
			pallet_collective::Members::<Runtime, pallet_collective::Instance1>::get();
		members.sort();
		let mut sorted = accounts.clone();
		sorted.sort();
		assert_eq!(members, sorted);
		assert_eq!(pallet_validators::Validators::<Runtime>::get().into_inner(), sorted);
		assert_eq!(pallet_validators::SessionLength::<Runtime>::get(), 10);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), None);
		// Balances provide for each validator's account before its session keys take a
		// consumer reference on it.
		for who in &accounts {
			assert_eq!(System::providers(who), 1, "{who}");
			assert_eq!(System::consumers(who), 1, "{who}");
		}
		for (utility, name) in utilities.iter().zip(["alice", "bob", "charlie", "dave"]) {
			let node = OpaquePeerId(local_peer_id(name));
			assert!(pallet_node_authorization::WellKnownNodes::<Runtime>::get().contains(&node));
			assert_eq!(
				pallet_node_authorization::Owners::<Runtime>::get(&node),
				Some(utility.to_account_id())
			);
		}
	});
}

#[test]
fn local_peer_ids_are_those_of_the_sha256_node_keys() {
	// `--node-key $(echo -n alice | sha256sum)` gives the peer id
	// 12D3KooWQCkBm1BYtkHpocxCwMgR8yjitEeHGx8spzcDLGt2gkBm; these are its bytes.
	let alice = "002408011220d5bf4a3fcce717b0388bcc2749ebc148ad9969b23f45ee1b605fd58778576ac4";
	let hex: String = local_peer_id("alice").iter().map(|b| format!("{b:02x}")).collect();
	assert_eq!(hex, alice);
}

#[test]
fn every_preset_funds_the_dev_accounts() {
	for preset in [DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET] {
		new_test_ext(preset).execute_with(|| {
			let accounts = endowed_accounts();
			assert_eq!(accounts.len(), 6);
			for who in &accounts {
				assert_eq!(Balances::free_balance(who), ENDOWMENT, "{preset}: {who}");
			}
			// And the existential deposits of the market's account (it keeps fees owed) and the
			// auction's (buyers' payments pass through it).
			let market = pallet_market::Pallet::<Runtime>::account();
			let auction = pallet_auction::Pallet::<Runtime>::account();
			for pallet in [market, auction] {
				let ed = peergrid_runtime::EXISTENTIAL_DEPOSIT;
				assert_eq!(Balances::free_balance(&pallet), ed);
			}
			assert_eq!(
				Balances::total_issuance(),
				ENDOWMENT * accounts.len() as Balance + 2 * peergrid_runtime::EXISTENTIAL_DEPOSIT
			);
		});
	}
}

#[test]
fn blocks_with_a_transfer_are_built_and_re_executed_from_genesis() {
	let mut built = Vec::new();
	let mut fee = 0;
	new_test_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		let genesis = System::block_hash(0);
		let block1 = build_block(1, genesis, 1, vec![]);
		let transfer =
			signed(Sr25519Keyring::Alice, 0, transfer(Sr25519Keyring::Bob, 10 * UNIT), None);
		let block2 = build_block(2, block1.header().hash(), 2, vec![transfer]);
		fee = System::events()
			.iter()
			.find_map(|record| match record.event {
				RuntimeEvent::TransactionPayment(
					pallet_transaction_payment::Event::TransactionFeePaid { actual_fee, .. },
				) => Some(actual_fee),
				_ => None,
			})
			.expect("the transfer paid a fee");
		let block3 = build_block(3, block2.header().hash(), 3, vec![]);
		built = vec![block1, block2, block3];
	});
	assert!(fee > 0, "transactions are not free");

	// A node that syncs executes the same blocks from genesis and reaches the same state.
	new_test_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		for block in built {
			let number = *block.header().number();
			Executive::execute_block(block.into());
			assert_eq!(System::block_number(), number);
		}
		assert_eq!(balance(Sr25519Keyring::Bob), ENDOWMENT + 10 * UNIT);
		assert_eq!(balance(Sr25519Keyring::Alice), ENDOWMENT - 10 * UNIT - fee);
		assert_eq!(System::account_nonce(Sr25519Keyring::Alice.to_account_id()), 1);
		assert_eq!(pallet_timestamp::Now::<Runtime>::get(), 3 * SLOT_DURATION);
	});
}

#[test]
fn a_transaction_signed_for_another_chain_is_rejected() {
	new_test_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		build_block(1, System::block_hash(0), 1, vec![]);
		let forged = signed(
			Sr25519Keyring::Alice,
			0,
			transfer(Sr25519Keyring::Bob, UNIT),
			Some(H256::repeat_byte(7)),
		);
		assert_eq!(
			Executive::apply_extrinsic(forged),
			Err(TransactionValidityError::Invalid(InvalidTransaction::BadProof))
		);
		assert_eq!(balance(Sr25519Keyring::Alice), ENDOWMENT);
		assert_eq!(balance(Sr25519Keyring::Bob), ENDOWMENT);
	});
}

#[test]
fn a_replayed_transaction_is_rejected_as_stale() {
	new_test_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		let tx = signed(Sr25519Keyring::Alice, 0, transfer(Sr25519Keyring::Bob, UNIT), None);
		build_block(1, System::block_hash(0), 1, vec![tx.clone()]);
		let alice = balance(Sr25519Keyring::Alice);
		assert_eq!(
			Executive::apply_extrinsic(tx),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Stale))
		);
		assert_eq!(balance(Sr25519Keyring::Alice), alice);
		assert_eq!(balance(Sr25519Keyring::Bob), ENDOWMENT + UNIT);
	});
}

#[test]
fn a_mortal_transaction_cannot_be_replayed_after_its_account_is_reaped_and_funded_again() {
	use crate::common::{apply, signed_in, Chain};
	use sp_runtime::generic::Era;
	let one = Sr25519Keyring::One;
	let fund = |nonce| signed(Sr25519Keyring::Alice, nonce, transfer(one, 10 * UNIT), None);
	let empty_to_bob = RuntimeCall::Balances(pallet_balances::Call::transfer_all {
		dest: Sr25519Keyring::Bob.to_account_id().into(),
		keep_alive: false,
	});
	new_test_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		let mut chain = Chain::new();
		chain.block(vec![fund(0)]);
		// Born at block 1, valid for 64 blocks, as the client signs it.
		let (mut mortal, mut immortal) = (None, None);
		chain.block_with(|| {
			let era = Era::mortal(64, 1);
			let tx = signed_in(one, 0, empty_to_bob.clone(), None, era);
			immortal = Some(signed_in(one, 0, empty_to_bob.clone(), None, Era::Immortal));
			crate::common::apply_ok(&tx);
			mortal = Some(tx);
		});
		let (mortal, immortal) = (mortal.expect("signed"), immortal.expect("signed"));
		assert!(!System::account_exists(&one.to_account_id()), "emptied, the account is reaped");
		chain.block(vec![fund(1)]);
		assert_eq!(System::account_nonce(one.to_account_id()), 0, "a new account: nonce 0");
		while chain.number <= 1 + 64 {
			chain.block(vec![]);
		}
		chain.block_with(|| {
			// Its era over, the mortal transaction is refused: its birth block no longer
			// matches what it signed.
			assert_eq!(
				apply(&mortal),
				Err(TransactionValidityError::Invalid(InvalidTransaction::BadProof))
			);
			assert_eq!(balance(one), 10 * UNIT);
			// An immortal one would empty the account again.
			assert!(apply(&immortal).is_ok_and(|outcome| outcome.is_ok()));
			assert_eq!(balance(one), 0);
		});
	});
}
