//! Runtime tests against the real runtime: genesis built from each preset, and blocks built,
//! then executed again from genesis as a syncing node would.

mod common;

use common::{build_block, new_test_ext, signed, transfer};
use peergrid_runtime::{
	genesis_config_presets::{authorities, endowed_accounts, get_preset, preset_names, ENDOWMENT},
	Balance, Balances, Executive, Runtime, RuntimeEvent, System, SLOT_DURATION, UNIT,
};
use sp_core::H256;
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
		let aura: Vec<_> = pallet_aura::Authorities::<Runtime>::get().into_inner();
		assert_eq!(aura, utilities.iter().map(|u| u.public().into()).collect::<Vec<_>>());
		let grandpa = pallet_grandpa::Pallet::<Runtime>::grandpa_authorities();
		let expected = [
			Ed25519Keyring::Alice,
			Ed25519Keyring::Bob,
			Ed25519Keyring::Charlie,
			Ed25519Keyring::Dave,
		];
		assert_eq!(grandpa, expected.iter().map(|k| (k.public().into(), 1)).collect::<Vec<_>>());
	});
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
			assert_eq!(Balances::total_issuance(), ENDOWMENT * accounts.len() as Balance);
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
