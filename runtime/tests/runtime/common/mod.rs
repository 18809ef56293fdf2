//! Helpers for the runtime tests: genesis from a preset, transactions as wallets and relayers
//! build them, and blocks built as the node's block author builds them.

use codec::Encode;
use frame_support::traits::fungible::Inspect;
use pallet_readings::{batch_signing_payload, signing_payload, Reading, SignedReading};
use peergrid_runtime::{
	genesis_config_presets::{demo, get_preset},
	AccountId, Address, Balance, Block, BuildStorage, Credits, Executive, Header, RuntimeCall,
	RuntimeGenesisConfig, SignedPayload, System, UncheckedExtrinsic, SLOT_DURATION,
};
use serde_json::Value;
use sp_consensus_aura::{Slot, AURA_ENGINE_ID};
use sp_core::H256;
use sp_genesis_builder::PresetId;
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};
use sp_runtime::{
	generic::{Digest, DigestItem, Era},
	traits::{Block as BlockT, Header as HeaderT},
	ApplyExtrinsicResult, DispatchError, ModuleError, MultiSignature,
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
	signed_in(signer, nonce, call, genesis, Era::Immortal)
}

/// As [`signed`], valid during `era`: a mortal era is signed over its birth block's hash, which
/// must be a block of this chain already built.
pub fn signed_in(
	signer: Sr25519Keyring,
	nonce: u32,
	call: RuntimeCall,
	genesis: Option<H256>,
	era: Era,
) -> UncheckedExtrinsic {
	let extension = peergrid_runtime::tx_extension(nonce, era);
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
	UncheckedExtrinsic::new_transaction(call, peergrid_runtime::tx_extension(0, Era::Immortal))
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

/// Checks every pallet's `try_state` invariants after block `n`. The runtime tests need
/// `--features try-runtime` (their `required-features`), so every block they build is checked.
pub fn check_invariants(n: u32) {
	use frame_support::traits::{TryState, TryStateSelect};
	peergrid_runtime::AllPalletsWithSystem::try_state(n, TryStateSelect::All)
		.unwrap_or_else(|e| panic!("block {n} left the invariants broken: {e:?}"));
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
	check_invariants(number);
	Block { header, extrinsics }
}

pub type Signed = SignedReading<AccountId, MultiSignature>;

/// The first block's slot: 2026-01-01T00:00:00Z, the start of settlement interval `NOW`.
pub const SLOT0: u64 = 1_767_225_600_000 / 6_000;
pub const NOW: u64 = 1_767_225_600 / 900;
/// The interval of the demo meters' first (baseline) readings.
pub const I0: u64 = NOW - 8;

/// Demo meters: Bob's 6 kW rooftop solar in the north zone, Dave's consumption meter there.
pub const BOB_PV: u64 = 0;
pub const DAVE: u64 = 2;

/// A key that signs readings.
#[derive(Clone, Copy)]
pub enum Key {
	Sr(Sr25519Keyring),
	Ed(Ed25519Keyring),
}

impl Key {
	pub fn account(self) -> AccountId {
		match self {
			Key::Sr(k) => k.to_account_id(),
			Key::Ed(k) => k.to_account_id(),
		}
	}

	pub fn sign(self, payload: &[u8]) -> MultiSignature {
		match self {
			Key::Sr(k) => MultiSignature::from(k.sign(payload)),
			Key::Ed(k) => MultiSignature::from(k.sign(payload)),
		}
	}
}

pub fn reading_for(
	genesis: H256,
	key: Key,
	meter: u64,
	interval: u64,
	imported: u64,
	exported: u64,
) -> Signed {
	let reading = Reading { meter, interval, imported_wh: imported, exported_wh: exported };
	let signature = key.sign(&signing_payload(&genesis, &reading));
	SignedReading { reading, oracle: key.account(), signature }
}

/// The call that submits `readings` signed as a whole by `key` for the chain whose genesis hash
/// is `genesis`.
pub fn signed_batch(genesis: H256, key: Key, readings: Vec<Reading>) -> RuntimeCall {
	let signature = key.sign(&batch_signing_payload(&genesis, &readings));
	RuntimeCall::Readings(pallet_readings::Call::submit_batch {
		oracle: key.account(),
		readings: readings.try_into().expect("a batch within the bound"),
		signature,
	})
}

/// A reading signed for this chain.
pub fn reading(key: Key, meter: u64, interval: u64, imported: u64, exported: u64) -> Signed {
	reading_for(System::block_hash(0), key, meter, interval, imported, exported)
}

pub fn ferdie() -> Key {
	Key::Sr(demo::oracle())
}

/// A batch of readings as a relayer submits it: a general transaction, no signature, no fee.
pub fn batch(readings: Vec<Signed>) -> UncheckedExtrinsic {
	general(RuntimeCall::Readings(pallet_readings::Call::submit_readings {
		readings: readings.try_into().expect("a small batch"),
	}))
}

pub fn sudo(call: RuntimeCall, nonce: u32) -> UncheckedExtrinsic {
	signed(
		Sr25519Keyring::Alice,
		nonce,
		RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(call) }),
		None,
	)
}

pub fn credits(who: Sr25519Keyring) -> u64 {
	Credits::balance(&who.to_account_id())
}

/// Builds the blocks of a chain one after another.
pub struct Chain {
	pub parent: H256,
	pub number: u32,
	pub blocks: Vec<Block>,
	/// Slots skipped so far (`skip_to`): the next block's slot is `SLOT0 + number + skipped`.
	pub skipped: u64,
}

impl Chain {
	pub fn new() -> Self {
		Chain { parent: System::block_hash(0), number: 1, blocks: Vec::new(), skipped: 0 }
	}

	/// The next block's slot.
	fn slot(&self) -> u64 {
		SLOT0 + u64::from(self.number) + self.skipped
	}

	/// Skips the slots until settlement interval `interval` (the next block is its first).
	pub fn skip_to(&mut self, interval: u64) {
		let first = interval * 900 * 1_000 / SLOT_DURATION;
		self.skipped += first.saturating_sub(self.slot());
	}

	pub fn block(&mut self, transactions: Vec<UncheckedExtrinsic>) {
		let block = build_block(self.number, self.parent, self.slot(), transactions);
		self.parent = block.header().hash();
		self.number += 1;
		self.blocks.push(block);
	}

	/// The next block, with `body` run inside it after the inherents (to apply transactions
	/// and look at their results). Its transactions are not kept: such a block cannot be
	/// executed again.
	pub fn block_with(&mut self, body: impl FnOnce()) {
		start_block(self.number, self.parent, self.slot());
		body();
		self.parent = Executive::finalize_block().hash();
		check_invariants(self.number);
		self.number += 1;
	}
}

/// The error a failed extrinsic returned, as a wallet decodes it.
pub fn module_error(error: DispatchError) -> Option<&'static str> {
	match error {
		DispatchError::Module(ModuleError { message, .. }) => message,
		_ => None,
	}
}
