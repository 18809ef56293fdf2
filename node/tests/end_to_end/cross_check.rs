//! The one check in the runtime's own types: what `peergrid-client` builds from the metadata
//! file (a fee-less readings batch, a signed and mortal transaction) decodes as the runtime's
//! `UncheckedExtrinsic`, carries the runtime's extension tuple value for value, and is signed
//! over the payload the runtime verifies. Every other test drives the node through the
//! library, as wallets do; this one would catch the library and the runtime drifting apart
//! even where the node happens to accept both.

use codec::{Decode, Encode};
use pallet_readings::{signing_payload, Reading, SignedReading};
use peergrid_client::{
	api::{peergrid, runtime_types, Config, Hash, METADATA},
	node, readings,
	subxt::{client::RuntimeVersion, Metadata, OfflineClient},
	Mortality, MORTAL_PERIOD,
};
use peergrid_runtime::{
	genesis_config_presets::demo, tx_extension, Address, RuntimeCall, SignedPayload,
	UncheckedExtrinsic,
};
use sp_core::{Pair, H256};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{generic::Era, generic::Preamble, traits::Verify, MultiSignature};

const GENESIS: Hash = Hash::repeat_byte(0x11);
const SPEC_VERSION: u32 = 7;
const TRANSACTION_VERSION: u32 = 3;

/// A chain the library builds for offline: this genesis, these versions, the metadata file.
fn offline() -> OfflineClient<Config> {
	let metadata = Metadata::decode(&mut &METADATA[..]).expect("the metadata file decodes");
	let version =
		RuntimeVersion { spec_version: SPEC_VERSION, transaction_version: TRANSACTION_VERSION };
	OfflineClient::new(GENESIS, version, metadata)
}

#[test]
fn a_general_readings_batch_is_the_runtimes_transaction() {
	let oracle = demo::oracle().pair();
	let reading = Reading { meter: 7, interval: 1_963_584, imported_wh: 1_200, exported_wh: 3_400 };
	let signed = readings::sign(GENESIS, &oracle, reading);
	let bytes =
		node::general(&offline(), &readings::batch(vec![signed])).expect("a batch of one encodes");

	let xt = UncheckedExtrinsic::decode(&mut &bytes[..]).expect("the runtime decodes it");
	assert!(matches!(xt.preamble, Preamble::General(..)), "a general transaction");
	// The runtime's own general transaction of the same call, with its extension tuple for no
	// sender (nonce 0, immortal): the same bytes.
	let native =
		UncheckedExtrinsic::new_transaction(xt.function.clone(), tx_extension(0, Era::Immortal));
	assert_eq!(native.encode(), bytes);
	let RuntimeCall::Readings(pallet_readings::Call::submit_readings { readings }) = xt.function
	else {
		panic!("not a readings batch: {:?}", xt.function);
	};
	let [SignedReading { reading: carried, oracle: by, signature }] = &readings[..] else {
		panic!("one reading: {readings:?}");
	};
	let oracle: peergrid_runtime::AccountId = oracle.public().into();
	assert_eq!((carried, by), (&reading, &oracle));
	assert!(signature.verify(&signing_payload(&GENESIS, &reading)[..], by), "the oracle signed it");
}

#[test]
fn a_signed_transaction_is_the_runtimes_transaction_mortal_and_signed_as_it_verifies() {
	let alice = Sr25519Keyring::Alice;
	let birth = Mortality { number: 100, hash: Hash::repeat_byte(0x22) };
	let call = peergrid::tx().credits().retire(7);
	let tx = node::signed(&offline(), &alice.pair(), 5, &call, birth).expect("signed");

	let xt = UncheckedExtrinsic::decode(&mut &tx.encoded()[..]).expect("the runtime decodes it");
	assert_eq!(xt.encode(), tx.encoded());
	assert_eq!(xt.function, RuntimeCall::Credits(pallet_credits::Call::retire { amount: 7 }));
	let Preamble::Signed(address, signature, extension) = xt.preamble else {
		panic!("not a signed transaction: {:?}", xt.preamble);
	};
	assert_eq!(address, Address::Id(alice.to_account_id()));
	// The runtime's extension tuple, value for value: nonce 5, mortal for 64 blocks from
	// block 100, no tip, no metadata hash.
	let era = Era::mortal(MORTAL_PERIOD, u64::from(birth.number));
	assert_eq!(extension.encode(), tx_extension(5, era).encode());
	// What the runtime verifies: call, extensions, and what they add without carrying it
	// (spec and transaction versions, genesis hash, the birth block's hash, no metadata hash).
	let implicit = (
		(),
		(),
		SPEC_VERSION,
		TRANSACTION_VERSION,
		H256(GENESIS.0),
		H256(birth.hash.0),
		(),
		(),
		(),
		None,
		(),
	);
	let payload = SignedPayload::from_raw(xt.function, extension, implicit);
	let signer = alice.to_account_id();
	assert!(payload.using_encoded(|bytes| signature.verify(bytes, &signer)), "Alice signed it");
	let MultiSignature::Sr25519(_) = signature else { panic!("an sr25519 signature") };
}

/// The library's generated `RuntimeCall` encodes as the runtime's own, byte for byte (here a
/// market call, as motions and sudo carry calls).
#[test]
fn the_librarys_runtime_call_encodes_as_the_runtimes() {
	let call = runtime_types::peergrid_runtime::RuntimeCall::Market(
		runtime_types::pallet_market::pallet::Call::cancel_order { order: 42 },
	);
	let native = RuntimeCall::Market(pallet_market::Call::cancel_order { order: 42 });
	assert_eq!(call.encode(), native.encode());
}
