//! Helpers for the runtime tests: genesis from a preset, transactions as wallets and relayers
//! build them, and blocks built as the node's block author builds them.

#![allow(dead_code)]

use codec::Encode;
use peergrid_runtime::{
	genesis_config_presets::get_preset, Address, Balance, Block, BuildStorage, Executive, Header,
	RuntimeCall, RuntimeGenesisConfig, SignedPayload, UncheckedExtrinsic, SLOT_DURATION,
};
use serde_json::Value;
use sp_consensus_aura::{Slot, AURA_ENGINE_ID};
use sp_core::H256;
use sp_genesis_builder::PresetId;
use sp_keyring::Sr25519Keyring;
use sp_runtime::{
	generic::{Digest, DigestItem},
	traits::Header as HeaderT,
	ApplyExtrinsicResult, MultiSignature,
};

/// Merges a preset's JSON patch into `base`, as the node's chain-spec builder does.
fn merge(base: &mut Value, patch: Value) {
	match (base, patch) {
		(Value::Object(base), Value::Object(patch)) => {
			for (key, value) in patch {
				merge(base.entry(key).or_insert(Value::Null), value);
			}
		}
		(base, patch) => *base = patch,
	}
}

/// The genesis config of the named preset: the defaults with the preset's patch on top.
pub fn preset_config(name: &str) -> RuntimeGenesisConfig {
	let patch = get_preset(&PresetId::from(name)).expect("the preset exists");
	let patch: Value = serde_json::from_slice(&patch).expect("a preset is valid JSON");
	let mut config =
		serde_json::to_value(RuntimeGenesisConfig::default()).expect("the default serializes");
	merge(&mut config, patch);
	serde_json::from_value(config).expect("the preset fits the runtime's genesis config")
}

/// A fresh state built from the named preset's genesis.
pub fn new_test_ext(preset: &str) -> sp_io::TestExternalities {
	let storage = preset_config(preset).build_storage().expect("genesis builds");
	sp_io::TestExternalities::new(storage)
}

/// A transaction signed by `signer` as a wallet signs it: over the call, the extensions and
/// their implicit data (spec version, genesis hash, ...). `genesis` overrides the genesis hash
/// that is signed, to forge a transaction of another chain.
pub fn signed(
	signer: Sr25519Keyring,
	nonce: u32,
	call: RuntimeCall,
	genesis: Option<H256>,
) -> UncheckedExtrinsic {
	let extension = peergrid_runtime::tx_extension(nonce);
	let payload = SignedPayload::new(call.clone(), extension.clone()).expect("valid extensions");
	let signature = match genesis {
		None => payload.using_encoded(|bytes| signer.sign(bytes)),
		Some(other) => {
			let (call, extension, mut implicit) = payload.deconstruct();
			implicit.4 = other;
			SignedPayload::from_raw(call, extension, implicit)
				.using_encoded(|bytes| signer.sign(bytes))
		}
	};
	UncheckedExtrinsic::new_signed(
		call,
		Address::Id(signer.to_account_id()),
		MultiSignature::Sr25519(signature),
		extension,
	)
}

/// A general transaction: no signature, no fee; valid only if its call authorizes itself
/// (as a batch of oracle-signed readings does).
pub fn general(call: RuntimeCall) -> UncheckedExtrinsic {
	UncheckedExtrinsic::new_transaction(call, peergrid_runtime::tx_extension(0))
}

/// A balance transfer call.
pub fn transfer(to: Sr25519Keyring, value: Balance) -> RuntimeCall {
	RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
		dest: Address::Id(to.to_account_id()),
		value,
	})
}

/// Starts block `number` at `slot` on top of `parent`, as the node's block author does: Aura's
/// slot in the digest, then the timestamp inherent.
pub fn start_block(number: u32, parent: H256, slot: u64) -> Vec<UncheckedExtrinsic> {
	let digest =
		Digest { logs: vec![DigestItem::PreRuntime(AURA_ENGINE_ID, Slot::from(slot).encode())] };
	let header = Header::new(number, H256::zero(), H256::zero(), parent, digest);
	Executive::initialize_block(&header);
	let timestamp =
		UncheckedExtrinsic::new_bare(RuntimeCall::Timestamp(pallet_timestamp::Call::set {
			now: slot * SLOT_DURATION,
		}));
	apply_ok(&timestamp);
	vec![timestamp]
}

/// Applies `xt` to the current block and expects it valid and successful.
pub fn apply_ok(xt: &UncheckedExtrinsic) {
	Executive::apply_extrinsic(xt.clone())
		.expect("the extrinsic is valid")
		.expect("the extrinsic succeeds");
}

/// Applies `xt` to the current block and returns the outcome.
pub fn apply(xt: &UncheckedExtrinsic) -> ApplyExtrinsicResult {
	Executive::apply_extrinsic(xt.clone())
}

/// Builds block `number` at `slot` on top of `parent` with `transactions`, each of which must
/// be valid and succeed.
pub fn build_block(
	number: u32,
	parent: H256,
	slot: u64,
	transactions: Vec<UncheckedExtrinsic>,
) -> Block {
	let mut extrinsics = start_block(number, parent, slot);
	for xt in transactions {
		apply_ok(&xt);
		extrinsics.push(xt);
	}
	let header = Executive::finalize_block();
	Block { header, extrinsics }
}
