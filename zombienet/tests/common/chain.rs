//! Transactions and motions, as a wallet builds them with subxt's dynamic API from the
//! chain's metadata, and the storage they leave.

use codec::Decode;
use std::time::Instant;
use zombienet_sdk::{
	subxt::{
		blocks::ExtrinsicEvents,
		config::DefaultExtrinsicParamsBuilder,
		dynamic::{self, Value},
		error::DispatchError,
		ext::scale_value::{Composite, ValueDef},
		tx::{Payload, TxProgress, TxStatus},
		utils::AccountId32,
		PolkadotConfig,
	},
	subxt_signer::{
		sr25519::{dev, Keypair},
		SecretUri,
	},
};

use super::{Client, Hash};

/// What a transaction emitted.
pub type Events = ExtrinsicEvents<PolkadotConfig>;

/// The SCALE bytes at a storage entry, at the latest finalized block.
pub async fn raw(client: &Client, pallet: &str, entry: &str, keys: Vec<Value>) -> Option<Vec<u8>> {
	let block = client.backend().latest_finalized_block_ref().await.expect("a finalized block");
	raw_at(client, block.hash(), pallet, entry, keys).await
}

/// The SCALE bytes at a storage entry, at block `at`.
pub async fn raw_at(
	client: &Client,
	at: Hash,
	pallet: &str,
	entry: &str,
	keys: Vec<Value>,
) -> Option<Vec<u8>> {
	let address = dynamic::storage(pallet, entry, keys);
	client
		.storage()
		.at(at)
		.fetch(&address)
		.await
		.expect("storage answers")
		.map(|value| value.encoded().to_vec())
}

pub fn account(who: &AccountId32) -> Value {
	Value::from_bytes(who.0)
}

pub fn id(who: &Keypair) -> AccountId32 {
	who.public_key().to_account_id()
}

/// Submits `call` signed by `signer` and waits until it is finalized and succeeded.
pub async fn submit(client: &Client, signer: &Keypair, call: &impl Payload, what: &str) -> Events {
	let start = Instant::now();
	let events = client
		.tx()
		.sign_and_submit_then_watch_default(call, signer)
		.await
		.unwrap_or_else(|e| panic!("{what}: submitted: {e:?}"))
		.wait_for_finalized_success()
		.await
		.unwrap_or_else(|e| panic!("{what}: finalized and succeeded: {e}"));
	println!("  ok after {:>3} s: {what}", start.elapsed().as_secs());
	events
}

/// Submits `call` signed by `signer` and waits until it is in a best block and succeeded: for
/// the votes of a motion, which the close needs only in the best chain. (subxt takes the
/// signer's nonce from the finalized block, so a signer's next transaction must wait for
/// finality.)
pub async fn submit_in_block(client: &Client, signer: &Keypair, call: &impl Payload, what: &str) {
	let start = Instant::now();
	let progress = client
		.tx()
		.sign_and_submit_then_watch_default(call, signer)
		.await
		.unwrap_or_else(|e| panic!("{what}: submitted: {e}"));
	in_block(progress).await.unwrap_or_else(|e| panic!("{what}: {e}"));
	println!("  ok after {:>3} s: {what}", start.elapsed().as_secs());
}

/// Follows a transaction until it is in a block: its events if it succeeded.
async fn in_block(mut progress: TxProgress<PolkadotConfig, Client>) -> Result<Events, String> {
	while let Some(status) = progress.next().await {
		match status.map_err(|e| e.to_string())? {
			TxStatus::InBestBlock(block) | TxStatus::InFinalizedBlock(block) => {
				return block.wait_for_success().await.map_err(|e| format!("failed: {e}"))
			}
			TxStatus::Error { message }
			| TxStatus::Invalid { message }
			| TxStatus::Dropped { message } => return Err(message),
			_ => {}
		}
	}
	Err("the node stopped reporting the transaction's status".into())
}

/// The consortium decides `pallet.call(fields)` by a motion for three of its four members:
/// alice proposes, she, bob and charlie approve (a proposal carries no vote), and dave's account
/// closes it. Panics unless the call was then executed and succeeded.
pub async fn consortium_decides(client: &Client, pallet: &str, call: &str, fields: Composite<()>) {
	let what = format!("{pallet}.{call}");
	let encoded = client
		.tx()
		.call_data(&dynamic::tx(pallet, call, fields.clone()))
		.expect("the call encodes");
	let hash = sp_crypto_hashing::blake2_256(&encoded);
	let index = raw(client, "Consortium", "ProposalCount", vec![])
		.await
		.map_or(0, |b| u32::decode(&mut &b[..]).expect("a u32"));
	let propose = dynamic::tx(
		"Consortium",
		"propose",
		Composite::named([
			("threshold", Value::u128(3)),
			("proposal", Value::unnamed_variant(pallet, [Value::variant(call, fields)])),
			("length_bound", Value::u128(encoded.len() as u128)),
		]),
	);
	submit(client, &dev::alice(), &propose, &format!("alice proposes {what}")).await;
	let vote = dynamic::tx(
		"Consortium",
		"vote",
		Composite::named([
			("proposal", Value::from_bytes(hash)),
			("index", Value::u128(index.into())),
			("approve", Value::bool(true)),
		]),
	);
	let (alice, bob, charlie) = (dev::alice(), dev::bob(), dev::charlie());
	tokio::join!(
		submit_in_block(client, &alice, &vote, "alice approves"),
		submit_in_block(client, &bob, &vote, "bob approves"),
		submit_in_block(client, &charlie, &vote, "charlie approves"),
	);
	let close = dynamic::tx(
		"Consortium",
		"close",
		Composite::named([
			("proposal_hash", Value::from_bytes(hash)),
			("index", Value::u128(index.into())),
			(
				"proposal_weight_bound",
				Value::named_composite([
					("ref_time", Value::u128(100_000_000_000)),
					("proof_size", Value::u128(1_000_000)),
				]),
			),
			("length_bound", Value::u128(encoded.len() as u128)),
		]),
	);
	let events = submit(client, &dev::dave(), &close, "dave closes the motion").await;
	let executed = events
		.iter()
		.map(|e| e.expect("the events decode"))
		.find(|e| e.pallet_name() == "Consortium" && e.variant_name() == "Executed")
		.unwrap_or_else(|| panic!("{what}: the motion was executed"));
	let fields = executed.field_values().expect("the event's fields decode");
	let result = fields.values().nth(1).expect("Executed { proposal_hash, result }");
	assert!(
		matches!(&result.value, ValueDef::Variant(v) if v.name == "Ok"),
		"{what}: the consortium's call failed: {result}"
	);
}

/// The validators of the current session.
pub async fn session_validators(client: &Client) -> Vec<AccountId32> {
	let bytes = raw(client, "Session", "Validators", vec![]).await.unwrap_or_default();
	<Vec<[u8; 32]>>::decode(&mut &bytes[..])
		.expect("accounts")
		.into_iter()
		.map(AccountId32)
		.collect()
}

/// The regulator's account: it owns the regulator's admitted node.
pub fn regulator_key() -> Keypair {
	dev_key("//Regulator")
}

/// The sr25519 key of a development secret URI (`//Name`).
pub fn dev_key(uri: &str) -> Keypair {
	let uri: SecretUri = uri.parse().expect("a dev secret URI");
	Keypair::from_uri(&uri).expect("a dev key")
}

/// The `u64` stored at a plain storage value, if any.
pub async fn stored_u64(client: &Client, pallet: &str, entry: &str) -> Option<u64> {
	raw(client, pallet, entry, vec![]).await.map(|b| u64::decode(&mut &b[..]).expect("a u64"))
}

/// Submits `call` signed by `signer`, which the pool accepts and the chain refuses: waits until
/// it is finalized and returns the error it failed with (`BadOrigin`, or `Pallet::Error`).
pub async fn submit_refused(client: &Client, signer: &Keypair, call: &impl Payload) -> String {
	let outcome = client
		.tx()
		.sign_and_submit_then_watch_default(call, signer)
		.await
		.expect("the pool accepts the transaction")
		.wait_for_finalized_success()
		.await;
	match outcome {
		Ok(_) => panic!("the chain accepted a call it must refuse"),
		Err(zombienet_sdk::subxt::Error::Runtime(DispatchError::BadOrigin)) => "BadOrigin".into(),
		Err(zombienet_sdk::subxt::Error::Runtime(DispatchError::Module(error))) => {
			error.details_string()
		}
		Err(other) => panic!("the call failed otherwise than by a dispatch error: {other}"),
	}
}

/// Signs `call` as `signer` with the given nonce and submits it: for a signer that sends the
/// next transaction before the last is finalized (subxt's default nonce is the finalized one).
pub async fn submit_with_nonce(
	client: &Client,
	signer: &Keypair,
	nonce: u64,
	call: &impl Payload,
) -> Result<Events, String> {
	let params = DefaultExtrinsicParamsBuilder::<PolkadotConfig>::new().nonce(nonce).build();
	let progress = client
		.tx()
		.sign_and_submit_then_watch(call, signer, params)
		.await
		.map_err(|e| format!("submitted: {e}"))?;
	in_block(progress).await
}

/// How many events of `pallet.variant` a transaction emitted.
pub fn count_events(events: &Events, pallet: &str, variant: &str) -> u64 {
	let events = events.iter().map(|e| e.expect("the events decode"));
	events.filter(|e| e.pallet_name() == pallet && e.variant_name() == variant).count() as u64
}
