//! A connected node: transactions built from the generated API, signed, submitted and followed
//! into a block; their events and errors named from the runtime's metadata; storage and the
//! `energy_` JSON-RPC methods.

use crate::{
	amount::Decimals,
	api::{peergrid, AccountId, Config, DispatchError, Hash, RuntimeCall},
	events, Mortality, MORTAL_PERIOD,
};
use codec::Encode;
use peergrid_primitives::auction::AUCTION_POOL_ERROR_BASE;
use serde_json::Value;
use sp_core::{sr25519, Pair};
use subxt::{
	backend::{
		legacy::{rpc_methods::BlockNumber, LegacyRpcMethods},
		rpc::RpcClient,
	},
	client::OfflineClientT,
	config::DefaultExtrinsicParamsBuilder,
	events::{EventDetails, StaticEvent},
	ext::subxt_rpcs::client::RpcParams,
	tx::{Payload, SubmittableTransaction, TxStatus},
	utils::MultiSignature,
	OnlineClient,
};

/// subxt's client of a PeerGrid node.
pub type Client = OnlineClient<Config>;

/// A transaction ready to submit.
pub type Transaction = SubmittableTransaction<Config, Client>;

/// An event with its pallet's and its own name, decodable into the generated types
/// (`as_event::<peergrid::market::events::Trade>()`) or read field by field from the metadata.
pub type Event = EventDetails<Config>;

/// An sr25519 key as the signer of transactions.
pub struct Sr25519<'a>(pub &'a sr25519::Pair);

impl subxt::tx::Signer<Config> for Sr25519<'_> {
	fn account_id(&self) -> AccountId {
		AccountId(self.0.public().0)
	}

	fn sign(&self, payload: &[u8]) -> MultiSignature {
		MultiSignature::Sr25519(self.0.sign(payload).0)
	}
}

/// The bytes of `call` as a general transaction of the chain `client` knows (its metadata,
/// genesis hash and versions): version 5, no signer, no fee, immortal, no tip, no metadata
/// hash ([`Node::general`]).
pub fn general(
	client: &impl OfflineClientT<Config>,
	call: &impl Payload,
) -> Result<Vec<u8>, String> {
	let params = DefaultExtrinsicParamsBuilder::<Config>::new().nonce(0).immortal().build();
	let tx = subxt::ext::subxt_core::tx::create_v5_general(call, &client.client_state(), params)
		.map_err(|e| subxt_text(e.into()))?;
	Ok(tx.to_transaction().into_encoded())
}

/// `call` as a signed transaction of the chain `client` knows: signed by `signer` with
/// `nonce`, mortal for [`MORTAL_PERIOD`] blocks from the block `mortality` names, no tip, no
/// metadata hash ([`Node::signed`]).
pub fn signed<C: OfflineClientT<Config>>(
	client: &C,
	signer: &sr25519::Pair,
	nonce: u64,
	call: &impl Payload,
	mortality: Mortality,
) -> Result<SubmittableTransaction<Config, C>, String> {
	let params = DefaultExtrinsicParamsBuilder::<Config>::new()
		.nonce(nonce)
		.mortal_from_unchecked(MORTAL_PERIOD, mortality.number.into(), mortality.hash)
		.build();
	let mut partial = client.tx().create_partial_offline(call, params).map_err(subxt_text)?;
	Ok(partial.sign(&Sr25519(signer)))
}

/// A connected node. Cloning it shares its connection.
#[derive(Clone)]
pub struct Node {
	/// subxt's client: the runtime's metadata, blocks, events, storage.
	pub api: Client,
	rpc: LegacyRpcMethods<Config>,
	raw: RpcClient,
	/// Wait for finality, not only for a block.
	finalized: bool,
	/// The native token's decimals, from the chain's properties, if it declares them.
	decimals: Option<Decimals>,
}

/// A transaction's block and the events it emitted there.
pub struct Included {
	/// The block's number.
	pub block: u32,
	/// The block's hash.
	pub hash: Hash,
	/// The transaction's events.
	pub events: Vec<Event>,
}

impl Included {
	/// The events of kind `E`, decoded; an error if one of them does not decode (the client's
	/// metadata older than the node's runtime, say): never a silent omission.
	pub fn find<E: StaticEvent>(&self) -> Result<Vec<E>, String> {
		self.events.iter().filter_map(|e| decode::<E>(e).transpose()).collect()
	}
}

/// Whether `event` is an `E`, by its pallet's and its own name.
pub fn is<E: StaticEvent>(event: &Event) -> bool {
	event.pallet_name() == E::PALLET && event.variant_name() == E::EVENT
}

/// `event` as an `E`, if it is one (by its pallet's and its own name); an error if it is one
/// and does not decode as the generated type says.
pub fn decode<E: StaticEvent>(event: &Event) -> Result<Option<E>, String> {
	if !is::<E>(event) {
		return Ok(None);
	}
	event
		.as_event::<E>()
		.map_err(|e| format!("event {}.{} does not decode: {e}{STALE}", E::PALLET, E::EVENT))
}

/// What to do when the node's runtime and the client's generated types disagree.
const STALE: &str = " (is the client built from an older metadata file than the node's runtime? \
	scripts/metadata.sh regenerates it; then rebuild the client)";

/// Why a transaction did not get into a block.
#[derive(Debug)]
pub enum NotIncluded {
	/// The transaction pool refused it as invalid, for this reason.
	Refused(String),
	/// The pool holds it already, or holds a transaction that provides the same (the same
	/// readings in another relayer's batch, the same nonce), or banned it for a while after
	/// finding it invalid: JSON-RPC errors 1012, 1013 and 1014. Not a verdict on its content.
	Known(String),
	/// It did not get in for another reason not about its content: the connection, the node
	/// or the pool's capacity.
	Lost(String),
}

impl From<NotIncluded> for String {
	fn from(failure: NotIncluded) -> String {
		match failure {
			NotIncluded::Refused(reason) => format!("the node refused it: {reason}"),
			NotIncluded::Known(why) => format!("the node did not take it: {why}"),
			NotIncluded::Lost(why) => why,
		}
	}
}

/// The JSON-RPC error code of a transaction the pool finds invalid (`author_submitExtrinsic`).
const INVALID_TRANSACTION: i32 = 1010;

/// The JSON-RPC error code of a transaction the runtime failed to check (a verification error,
/// with a wasm trap and its backtrace): most often bytes it cannot decode, such as a batch of
/// more readings than `Readings.MaxBatchSize` (a bound of the call's encoding), or a call built
/// for another runtime version.
const UNDECODABLE: i32 = 1002;

/// The JSON-RPC error codes of a transaction the pool does not check because it knows it:
/// temporarily banned (1012), already imported (1013), or a transaction that provides the same
/// tags with a priority as high is there (1014).
const KNOWN_TRANSACTION: [i32; 3] = [1012, 1013, 1014];

/// A JSON-RPC error's `data` as text: a JSON string unquoted and unescaped, anything else as
/// its JSON.
fn json_text(data: &serde_json::value::RawValue) -> String {
	serde_json::from_str(data.get()).unwrap_or_else(|_| data.get().to_string())
}

fn text(e: impl std::fmt::Display) -> String {
	e.to_string()
}

/// A subxt error in words, with what to do when the generated types no longer match the node.
fn subxt_text(e: subxt::Error) -> String {
	match e {
		subxt::Error::Metadata(subxt::error::MetadataError::IncompatibleCodegen) => {
			format!("{e}{STALE}")
		}
		e => e.to_string(),
	}
}

impl Node {
	/// Connects to the node at `url` (`ws://` on this machine, `wss://` to another); with
	/// `finalized`, transactions are followed until their block is finalized.
	pub async fn connect(url: &str, finalized: bool) -> Result<Node, String> {
		let raw = RpcClient::from_url(url).await.map_err(|e| format!("cannot reach {url}: {e}"))?;
		let api = Client::from_rpc_client(raw.clone())
			.await
			.map_err(|e| format!("{url} is not a node of this chain: {e}"))?;
		let rpc = LegacyRpcMethods::new(raw.clone());
		let properties = rpc
			.system_properties()
			.await
			.map_err(|e| format!("{url} did not give its chain's properties: {e}"))?;
		// A number, or a list of one per token (polkadot.js reads both): the first.
		let decimals = properties
			.get("tokenDecimals")
			.and_then(|d| d.as_u64().or_else(|| d.get(0)?.as_u64()))
			.and_then(|d| u32::try_from(d).ok())
			.map(Decimals);
		Ok(Node { rpc, api, raw, finalized, decimals })
	}

	/// The native token's decimals (`tokenDecimals` of the chain's properties).
	pub fn decimals(&self) -> Result<Decimals, String> {
		self.decimals.ok_or_else(|| "the chain declares no tokenDecimals in its properties".into())
	}

	/// `event` in words ([`events::describe`]), accounts shown by `account`.
	pub fn event_text(&self, event: &Event, account: &dyn Fn(&AccountId) -> String) -> String {
		events::describe(&self.api.metadata(), event, account)
	}

	/// The weight of `call` (what a motion's `close` must allow for it), from the runtime's
	/// `TransactionPaymentCallApi`.
	pub async fn weight_of(
		&self,
		call: &RuntimeCall,
	) -> Result<peergrid::runtime_types::sp_weights::weight_v2::Weight, String> {
		let length = u32::try_from(call.encoded_size()).map_err(text)?;
		let query =
			peergrid::apis().transaction_payment_call_api().query_call_info(call.clone(), length);
		let api = self.api.runtime_api().at_latest().await.map_err(subxt_text)?;
		Ok(api.call(query).await.map_err(subxt_text)?.weight)
	}

	/// A constant of the runtime (`peergrid::constants().readings().max_batch_size()`).
	pub fn constant<A: subxt::constants::Address>(&self, address: &A) -> Result<A::Target, String> {
		self.api.constants().at(address).map_err(subxt_text)
	}

	/// The chain's genesis hash, which signatures commit to.
	pub fn genesis(&self) -> Hash {
		self.api.genesis_hash()
	}

	/// The next nonce of `who` that the node knows of, its pool included.
	pub async fn next_nonce(&self, who: &AccountId) -> Result<u64, String> {
		self.rpc
			.system_account_next_index(who)
			.await
			.map_err(|e| format!("the node did not give a nonce: {e}"))
	}

	/// `call` signed by `signer` with `nonce`, mortal from the block `mortality` names, no tip.
	pub fn signed(
		&self,
		signer: &sr25519::Pair,
		nonce: u64,
		call: &impl Payload,
		mortality: Mortality,
	) -> Result<Transaction, String> {
		signed(&self.api, signer, nonce, call, mortality)
	}

	/// `call` as a general transaction: no signer, no fee. Only calls that authorize
	/// themselves (oracle-signed readings) are valid so; they carry their own replay
	/// protection (a reading is accepted once), so the transaction is immortal.
	pub fn general(&self, call: &impl Payload) -> Result<Transaction, String> {
		Ok(Transaction::from_bytes(self.api.clone(), general(&self.api, call)?))
	}

	/// Submits `call` signed by `signer`, with the next nonce the node knows of, and follows
	/// it into a block; fails with the node's refusal or the call's error, in words.
	pub async fn send(
		&self,
		signer: &sr25519::Pair,
		call: &impl Payload,
	) -> Result<Included, String> {
		let nonce = self.next_nonce(&AccountId(signer.public().0)).await?;
		let mortality = self.mortality().await?;
		self.submit(self.signed(signer, nonce, call, mortality)?).await
	}

	/// The block a transaction signed now is born at: the finalized block, unless finality
	/// lags ([`Mortality::pick`]).
	pub async fn mortality(&self) -> Result<Mortality, String> {
		let best = self.best_hash().await?;
		let finalized = self.rpc.chain_get_finalized_head().await.map_err(text)?;
		let mut blocks = Vec::with_capacity(2);
		for hash in [best, finalized] {
			blocks.push((self.number_of(hash).await?, hash));
		}
		Ok(Mortality::pick(blocks[0], blocks[1]))
	}

	/// Submits `tx` and waits until it is in a block (or finalized, if asked); fails with the
	/// node's refusal or the transaction's error, in words.
	pub async fn submit(&self, tx: Transaction) -> Result<Included, String> {
		let included = self.include(tx).await.map_err(String::from)?;
		if let Some(failed) = included.find::<peergrid::system::events::ExtrinsicFailed>()?.first()
		{
			return Err(format!(
				"failed in block #{}: {}",
				included.block,
				self.describe(&failed.dispatch_error)
			));
		}
		Ok(included)
	}

	/// Submits `tx` without waiting: its hash, or why the pool did not take it.
	pub async fn submit_only(&self, tx: &Transaction) -> Result<Hash, NotIncluded> {
		tx.submit().await.map_err(|e| self.refusal(e))
	}

	/// Submits `tx` and waits until it is in a block (or finalized, if asked), or the pool
	/// refuses it.
	pub async fn include(&self, tx: Transaction) -> Result<Included, NotIncluded> {
		let lost = NotIncluded::Lost;
		let mut progress = tx.submit_and_watch().await.map_err(|e| self.refusal(e))?;
		while let Some(status) = progress.next().await {
			let block = match status.map_err(|e| self.refusal(e))? {
				TxStatus::InBestBlock(block) if !self.finalized => block,
				TxStatus::InFinalizedBlock(block) => block,
				// Taken, then found invalid when the pool checked it again after a block (its
				// readings in another batch that got in first, say): not a verdict on its
				// content when it was sent.
				TxStatus::Invalid { message }
				| TxStatus::Error { message }
				| TxStatus::Dropped { message } => return Err(lost(format!("the node dropped it: {message}"))),
				_ => continue,
			};
			let hash = block.block_hash();
			let events =
				block.fetch_events().await.map_err(|e| lost(format!("its events: {e}")))?;
			let events = events.iter().collect::<Result<Vec<_>, _>>().map_err(|e| lost(text(e)))?;
			let block = self.number_of(hash).await.map_err(lost)?;
			return Ok(Included { block, hash, events });
		}
		Err(lost("the node stopped reporting the transaction's status".into()))
	}

	/// Why the node did not take a transaction, in words: a `Custom(n)` refusal of an oracle
	/// reading is error `n` of the readings pallet, and `Custom(100 + n)` of a batch of signed
	/// auction orders error `n` of the auction pallet. Only a verdict on the transaction itself is
	/// a refusal: invalid (JSON-RPC error 1010), or not checkable (1002); a ban, a transaction
	/// already there or one with too low a priority (the same readings in another relayer's
	/// batch, say) are [`NotIncluded::Known`]; a full pool or a failure to reach the node is
	/// [`NotIncluded::Lost`].
	fn refusal(&self, error: subxt::Error) -> NotIncluded {
		let lost = || NotIncluded::Lost(format!("the node did not take it: {error}"));
		// The node's reason is the JSON-RPC error's `data`, e.g. "Transaction is outdated" or
		// "Custom error: 2".
		let reason = match &error {
			subxt::Error::Rpc(subxt::error::RpcError::ClientError(
				subxt::ext::subxt_rpcs::Error::User(user),
			)) => match user.code {
				INVALID_TRANSACTION => user.data.as_deref().map(json_text),
				UNDECODABLE => {
					return NotIncluded::Refused(format!(
						"the runtime could not check it, most often because it cannot decode \
						 it: a batch of more readings than its Readings.MaxBatchSize, or a call \
						 built for another runtime version ({}, {UNDECODABLE})",
						user.message
					))
				}
				code if KNOWN_TRANSACTION.contains(&code) => {
					return NotIncluded::Known(format!("{} ({code})", user.message))
				}
				_ => return lost(),
			},
			_ => return lost(),
		};
		let custom = reason
			.as_deref()
			.and_then(|r| r.strip_prefix("Custom error: "))
			.and_then(|n| n.parse::<u8>().ok());
		// Custom(n) is the readings pallet's error n, or from 100 on the auction's error n - 100.
		let named = custom.and_then(|n| match n.checked_sub(AUCTION_POOL_ERROR_BASE) {
			Some(n) => self.named_error_at("Auction", n),
			None => self.named_error_at("Readings", n),
		});
		NotIncluded::Refused(match (named, reason) {
			(Some(name), _) => name,
			(None, Some(reason)) => reason,
			(None, None) => error.to_string(),
		})
	}

	/// Error `index` of the pallet named `pallet`, in words.
	fn named_error_at(&self, pallet: &str, index: u8) -> Option<String> {
		let pallet = self.api.metadata().pallet_by_name(pallet)?.index();
		self.error_text(pallet, index)
	}

	/// The error `name` of `pallet`, in words (`Pallet.Error: its documentation`).
	pub fn named_error(&self, pallet: &str, name: &str) -> Option<String> {
		let metadata = self.api.metadata();
		let pallet = metadata.pallet_by_name(pallet)?;
		let index = pallet.error_variants()?.iter().find(|v| v.name == name)?.index;
		self.error_text(pallet.index(), index)
	}

	/// Error `index` of the pallet with index `pallet`, in words (`Pallet.Error: its
	/// documentation`) from the runtime's metadata.
	fn error_text(&self, pallet: u8, index: u8) -> Option<String> {
		let (name, docs) = events::module_error(&self.api.metadata(), pallet, index)?;
		Some(format!("{name}: {docs}"))
	}

	/// A dispatch error in words: a module error by its pallet's and its own name, with its
	/// documentation, from the runtime's metadata.
	pub fn describe(&self, error: &DispatchError) -> String {
		match error {
			DispatchError::Module(module) => self
				.error_text(module.index, module.error[0])
				.unwrap_or_else(|| format!("{error:?}")),
			other => format!("{other:?}"),
		}
	}

	/// The number of block `hash`.
	pub async fn number_of(&self, hash: Hash) -> Result<u32, String> {
		let header = self.rpc.chain_get_header(Some(hash)).await.map_err(text)?;
		Ok(header.ok_or_else(|| format!("no block {hash:?}"))?.number)
	}

	/// The hash of block `number`, if the node has it.
	pub async fn hash_of(&self, number: u32) -> Result<Option<Hash>, String> {
		self.rpc.chain_get_block_hash(Some(BlockNumber::from(number))).await.map_err(text)
	}

	/// The best block's hash.
	pub async fn best_hash(&self) -> Result<Hash, String> {
		let hash = self.rpc.chain_get_block_hash(None).await.map_err(text)?;
		hash.ok_or_else(|| "the node has no best block".into())
	}

	/// The best block's number.
	pub async fn best_number(&self) -> Result<u32, String> {
		self.number_of(self.best_hash().await?).await
	}

	/// The settlement interval the chain's clock is in at the best block: its time over the
	/// runtime's `Readings.IntervalSeconds`. Readings are for the intervals before it. 0 until
	/// the chain's first block sets the clock.
	pub async fn current_interval(&self) -> Result<u64, String> {
		let seconds = self.constant(&peergrid::constants().readings().interval_seconds())?;
		let now_ms = self.time_ms_at(self.best_hash().await?).await?;
		(now_ms / 1000)
			.checked_div(seconds)
			.ok_or_else(|| "the runtime's intervals last 0 s".into())
	}

	/// The number of the last finalized block.
	pub async fn finalized_number(&self) -> Result<u32, String> {
		let hash = self.rpc.chain_get_finalized_head().await.map_err(text)?;
		self.number_of(hash).await
	}

	/// The value at the storage `address` in block `at` (the last finalized block if `None`:
	/// a transaction followed only into a best block may not show there yet).
	pub async fn storage<A>(
		&self,
		address: &A,
		at: Option<Hash>,
	) -> Result<Option<A::Target>, String>
	where
		A: subxt::storage::Address<IsFetchable = subxt::utils::Yes>,
	{
		let storage = match at {
			Some(hash) => self.api.storage().at(hash),
			None => self.api.storage().at_latest().await.map_err(text)?,
		};
		storage.fetch(address).await.map_err(subxt_text)
	}

	/// The events of block `hash`.
	pub async fn events_at(&self, hash: Hash) -> Result<Vec<Event>, String> {
		let events = self.api.events().at(hash).await.map_err(text)?;
		events.iter().collect::<Result<Vec<_>, _>>().map_err(text)
	}

	/// The time of block `hash`, in milliseconds since the Unix epoch.
	pub async fn time_ms_at(&self, hash: Hash) -> Result<u64, String> {
		let now = peergrid::storage().timestamp().now();
		Ok(self.storage(&now, Some(hash)).await?.unwrap_or_default())
	}

	/// Calls the JSON-RPC method `method` of the node with `params`.
	pub async fn call(&self, method: &str, params: Vec<Value>) -> Result<Value, String> {
		let mut rpc_params = RpcParams::new();
		for param in params {
			rpc_params.push(param).map_err(text)?;
		}
		self.raw.request(method, rpc_params).await.map_err(|e| match e {
			// The node's words are in the error's data ("State already discarded for ...",
			// what about the parameters is invalid): given with the message and code.
			subxt::ext::subxt_rpcs::Error::User(user) => match &user.data {
				Some(data) => format!("{method}: {user}: {}", json_text(data)),
				None => format!("{method}: {user}"),
			},
			e => format!("{method}: {e}"),
		})
	}

	/// The account's position, from `energy_account`.
	pub async fn position(&self, who: &AccountId) -> Result<Value, String> {
		self.call("energy_account", vec![Value::String(who.to_string())]).await
	}

	/// The members of the consortium.
	pub async fn members(&self) -> Result<Vec<AccountId>, String> {
		let members = peergrid::storage().consortium().members();
		Ok(self.storage(&members, None).await?.unwrap_or_default())
	}

	/// A motion's proposal, while it is open.
	pub async fn proposal(&self, hash: Hash) -> Result<Option<RuntimeCall>, String> {
		self.storage(&peergrid::storage().consortium().proposal_of(hash), None).await
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::{api::METADATA, readings};
	use codec::Decode;
	use peergrid_primitives::reading::Reading;
	use subxt::{client::RuntimeVersion, utils::Static, Metadata, OfflineClient};

	/// The chain of the documented examples: genesis hash 0x1111..., spec and transaction
	/// version 1, this runtime's metadata.
	fn example_chain() -> OfflineClient<Config> {
		let metadata = Metadata::decode(&mut &METADATA[..]).expect("the metadata file decodes");
		let version = RuntimeVersion { spec_version: 1, transaction_version: 1 };
		OfflineClient::<Config>::new(Hash::repeat_byte(0x11), version, metadata)
	}

	#[test]
	fn a_signed_transaction_is_mortal_and_its_signature_covers_the_birth_block() {
		let alice = sp_keyring::Sr25519Keyring::Alice.pair();
		let birth = Mortality { number: 100, hash: Hash::repeat_byte(0x22) };
		let call = peergrid::tx().credits().retire(7);
		let tx = signed(&example_chain(), &alice, 5, &call, birth).expect("signed");
		let bytes = tx.encoded();
		// A compact length, then version 4 signed, the signer, its sr25519 signature.
		let length = u16::from_le_bytes([bytes[0], bytes[1]]);
		assert_eq!((length & 0b11, usize::from(length >> 2)), (0b01, bytes.len() - 2));
		assert_eq!(bytes[2], 0x84, "version 4, signed");
		let rest = &bytes[3..];
		assert_eq!((rest[0], &rest[1..33]), (0x00, &alice.public().0[..]), "MultiAddress::Id");
		assert_eq!(rest[33], 0x01, "MultiSignature::Sr25519");
		let signature = sr25519::Signature::from_raw(rest[34..98].try_into().expect("64 bytes"));
		// The extensions' explicit bytes: the era, mortal for 64 blocks from block 100
		// (period 2^6: 6 - 1 = 5, phase 100 % 64 = 36: 5 | 36 << 4 = 0x0245), the nonce
		// (compact 5), no tip, no metadata hash; then the call.
		let explicit = [0x45, 0x02, 5 << 2, 0x00, 0x00];
		assert_eq!(&rest[98..103], &explicit);
		let call_data = &rest[103..];
		assert_eq!(call_data, &example_chain().tx().call_data(&call).expect("encodes")[..]);
		// What is signed: call, explicit, then implicit: spec and transaction versions, the
		// genesis hash, the birth block's hash, no metadata hash.
		let mut payload = [call_data, &explicit[..]].concat();
		payload.extend((1u32, 1u32, Hash::repeat_byte(0x11), birth.hash, None::<Hash>).encode());
		assert!(sr25519::Pair::verify(&signature, &payload, &alice.public()));
		let elsewhere = Hash::repeat_byte(0x33);
		let at = payload.len() - 33;
		payload[at..at + 32].copy_from_slice(elsewhere.as_bytes());
		assert!(!sr25519::Pair::verify(&signature, &payload, &alice.public()), "another birth");
	}

	#[test]
	fn a_general_transaction_is_the_bytes_docs_wallets_md_shows() {
		// The worked example of pallets/readings/README.md, as a batch of one, on a chain with
		// genesis hash 0x1111... and spec and transaction version 1.
		let chain = example_chain();
		let reading =
			Reading { meter: 7, interval: 1_963_584, imported_wh: 1_200, exported_wh: 3_400 };
		let signed = readings::Signed {
			reading: Static(reading),
			oracle: AccountId(sp_core::hex2array!(
				"cdee49a8a2318fe8ce5e630c2049e9543e623300e1bec77b088ecc8715c111dc"
			)),
			signature: crate::api::runtime_types::sp_runtime::MultiSignature::Ed25519(
				sp_core::hex2array!(
					"5cb422ac68ce1e64c92fdb2112c27f816f8e92b22d1ee84cb761376eb61dd003\
					 b8868f2123ae40cb23b0ee185621c0f908dc3975c31d0715dac85735fe13790e"
				),
			),
		};
		let documented = "29024500000000000b0004070000000000000040f61d0000000000b004000000000000\
			480d000000000000cdee49a8a2318fe8ce5e630c2049e9543e623300e1bec77b088ecc8715c111dc005cb4\
			22ac68ce1e64c92fdb2112c27f816f8e92b22d1ee84cb761376eb61dd003b8868f2123ae40cb23b0ee1856\
			21c0f908dc3975c31d0715dac85735fe13790e";
		let bytes = general(&chain, &readings::batch(vec![signed])).expect("a valid call");
		assert_eq!(sp_core::hexdisplay::HexDisplay::from(&bytes).to_string(), documented);
	}
}
