//! The node, over subxt: transactions submitted and followed into a block, their events and
//! errors decoded with the runtime's types and named from its metadata, storage and the
//! `energy_` JSON-RPC methods.

use codec::{Decode, Encode};
use peergrid_client::{Extrinsics, Mortality};
use peergrid_runtime::{AccountId, RuntimeCall, RuntimeEvent, UncheckedExtrinsic};
use serde_json::Value;
use sp_core::{sr25519, H256};
use sp_runtime::DispatchError;
use subxt::{
	backend::{
		legacy::{rpc_methods::BlockNumber, LegacyRpcMethods},
		rpc::RpcClient,
	},
	ext::subxt_rpcs::client::RpcParams,
	tx::{SubmittableTransaction, TxStatus},
	OnlineClient, PolkadotConfig,
};

use crate::keys;

type Client = OnlineClient<PolkadotConfig>;

/// A connected node.
pub struct Node {
	/// subxt's client: the runtime's metadata, blocks, events, storage.
	pub api: Client,
	rpc: LegacyRpcMethods<PolkadotConfig>,
	raw: RpcClient,
	/// How to build this chain's transactions.
	pub extrinsics: Extrinsics,
	/// Wait for finality, not only for a block.
	finalized: bool,
}

/// A transaction's block and the events it emitted there.
pub struct Included {
	/// The block's number.
	pub block: u32,
	/// The block's hash.
	pub hash: H256,
	/// The transaction's events, decoded.
	pub events: Vec<RuntimeEvent>,
}

impl Node {
	/// Connects to the node at `url` (`ws://` or `http://`).
	pub async fn connect(url: &str, finalized: bool) -> Result<Node, String> {
		let raw = RpcClient::from_url(url).await.map_err(|e| format!("cannot reach {url}: {e}"))?;
		let api = Client::from_rpc_client(raw.clone())
			.await
			.map_err(|e| format!("{url} is not a node of this chain: {e}"))?;
		let version = api.runtime_version();
		let extrinsics = Extrinsics {
			genesis: H256(api.genesis_hash().0),
			spec_version: version.spec_version,
			transaction_version: version.transaction_version,
		};
		Ok(Node { rpc: LegacyRpcMethods::new(raw.clone()), api, raw, extrinsics, finalized })
	}

	/// Submits `call` signed by `signer`, with the next nonce the node knows of (its pool
	/// included), and follows it into a block.
	pub async fn send(
		&self,
		signer: &sr25519::Pair,
		call: RuntimeCall,
	) -> Result<Included, String> {
		let who = keys::account_of(signer);
		let nonce = self
			.rpc
			.system_account_next_index(&subxt::utils::AccountId32(who.into()))
			.await
			.map_err(|e| format!("the node did not give a nonce: {e}"))?;
		let nonce = u32::try_from(nonce).map_err(|_| "the nonce is out of range".to_string())?;
		let mortality = self.mortality().await?;
		self.submit(self.extrinsics.signed(signer, nonce, call, mortality)).await
	}

	/// The block a transaction signed now is born at: the finalized block, unless finality
	/// lags ([`Mortality::pick`]).
	pub async fn mortality(&self) -> Result<Mortality, String> {
		let best = self.rpc.chain_get_block_hash(None).await.map_err(|e| e.to_string())?;
		let finalized = self.rpc.chain_get_finalized_head().await.map_err(|e| e.to_string())?;
		let mut blocks = Vec::with_capacity(2);
		for hash in [best.ok_or("the node has no best block")?, finalized] {
			let hash = H256(hash.0);
			blocks.push((self.number_of(hash).await?, hash));
		}
		Ok(Mortality::pick(blocks[0], blocks[1]))
	}

	/// Submits `xt` and waits until it is in a block (or finalized, if asked); fails with the
	/// node's refusal or the transaction's decoded error.
	pub async fn submit(&self, xt: UncheckedExtrinsic) -> Result<Included, String> {
		let included = self.include(xt).await.map_err(String::from)?;
		for event in &included.events {
			if let RuntimeEvent::System(frame_system::Event::ExtrinsicFailed {
				dispatch_error,
				..
			}) = event
			{
				return Err(format!(
					"failed in block #{}: {}",
					included.block,
					self.describe(dispatch_error)
				));
			}
		}
		Ok(included)
	}

	/// Submits `xt` and waits until it is in a block (or finalized, if asked), or the pool
	/// refuses it.
	pub async fn include(&self, xt: UncheckedExtrinsic) -> Result<Included, NotIncluded> {
		let tx = SubmittableTransaction::from_bytes(self.api.clone(), xt.encode());
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
				| TxStatus::Dropped { message } => {
					return Err(NotIncluded::Lost(format!("the node dropped it: {message}")))
				}
				_ => continue,
			};
			let hash = H256(block.block_hash().0);
			let events =
				block.fetch_events().await.map_err(|e| lost(format!("its events: {e}")))?;
			let events = events
				.iter()
				.map(|e| e.map_err(|e| e.to_string()).and_then(|e| decode_event(&e)))
				.collect::<Result<Vec<_>, _>>()
				.map_err(lost)?;
			let block = self.number_of(hash).await.map_err(lost)?;
			return Ok(Included { block, hash, events });
		}
		Err(lost("the node stopped reporting the transaction's status".into()))
	}

	/// Why the node refused a transaction, in words: a `Custom(n)` refusal of an oracle
	/// reading is error `n` of the readings pallet. Only the pool's verdict that the
	/// transaction is invalid (JSON-RPC error 1010) is a refusal: a full pool, a ban, a
	/// transaction already there or one with too low a priority (the same readings in another
	/// relayer's batch, say) are not about the transaction's content, and neither is a failure
	/// to reach the node.
	fn refusal(&self, error: subxt::Error) -> NotIncluded {
		// The node's reason is the JSON-RPC error's `data`, e.g. "Transaction is outdated" or
		// "Custom error: 2".
		let reason = match &error {
			subxt::Error::Rpc(subxt::error::RpcError::ClientError(
				subxt::ext::subxt_rpcs::Error::User(user),
			)) if user.code == INVALID_TRANSACTION => {
				user.data.as_ref().map(|data| data.get().trim_matches('"').to_string())
			}
			_ => return NotIncluded::Lost(format!("the node did not take it: {error}")),
		};
		let custom = reason
			.as_deref()
			.and_then(|r| r.strip_prefix("Custom error: "))
			.and_then(|n| n.parse::<u8>().ok());
		NotIncluded::Refused(
			match (
				custom.and_then(|n| self.error_text(|m| m.pallet_by_name("Readings"), n)),
				reason,
			) {
				(Some(name), _) => name,
				(None, Some(reason)) => reason,
				(None, None) => error.to_string(),
			},
		)
	}

	/// The error `name` of `pallet`, in words (`Pallet.Error: its documentation`).
	pub fn named_error(&self, pallet: &str, name: &str) -> Option<String> {
		let metadata = self.api.metadata();
		let index = metadata
			.pallet_by_name(pallet)?
			.error_variants()?
			.iter()
			.find(|v| v.name == name)?
			.index;
		self.error_text(|m| m.pallet_by_name(pallet), index)
	}

	/// Error `index` of the pallet `pallet` finds, in words (`Pallet.Error: its documentation`)
	/// from the runtime's metadata.
	fn error_text(
		&self,
		pallet: impl Fn(&subxt::Metadata) -> Option<subxt::metadata::types::PalletMetadata<'_>>,
		index: u8,
	) -> Option<String> {
		let metadata = self.api.metadata();
		let pallet = pallet(&metadata)?;
		let variant = pallet.error_variant_by_index(index)?;
		Some(format!("{}.{}: {}", pallet.name(), variant.name, variant.docs.join(" ")))
	}

	/// A dispatch error in words: a module error by its pallet's and its own name, with its
	/// documentation, from the runtime's metadata.
	pub fn describe(&self, error: &DispatchError) -> String {
		match error {
			DispatchError::Module(module) => self
				.error_text(|m| m.pallet_by_index(module.index), module.error[0])
				.unwrap_or_else(|| format!("{error:?}")),
			other => format!("{other:?}"),
		}
	}

	/// The number of block `hash`.
	pub async fn number_of(&self, hash: H256) -> Result<u32, String> {
		let header = self
			.rpc
			.chain_get_header(Some(subxt::utils::H256(hash.0)))
			.await
			.map_err(|e| e.to_string())?
			.ok_or_else(|| format!("no block {hash:?}"))?;
		Ok(header.number)
	}

	/// The hash of block `number`, if the node has it.
	pub async fn hash_of(&self, number: u32) -> Result<Option<H256>, String> {
		let hash = self
			.rpc
			.chain_get_block_hash(Some(BlockNumber::from(number)))
			.await
			.map_err(|e| e.to_string())?;
		Ok(hash.map(|h| H256(h.0)))
	}

	/// The number of the last finalized block.
	pub async fn finalized_number(&self) -> Result<u32, String> {
		let hash = self.rpc.chain_get_finalized_head().await.map_err(|e| e.to_string())?;
		self.number_of(H256(hash.0)).await
	}

	/// The value at storage `key` in block `at` (the best block if `None`), decoded.
	pub async fn storage<T: Decode>(
		&self,
		key: &[u8],
		at: Option<H256>,
	) -> Result<Option<T>, String> {
		let storage = match at {
			Some(hash) => self.api.storage().at(subxt::utils::H256(hash.0)),
			None => self.api.storage().at_latest().await.map_err(|e| e.to_string())?,
		};
		let bytes = storage.fetch_raw(key.to_vec()).await.map_err(|e| e.to_string())?;
		bytes.map(|b| T::decode(&mut &b[..]).map_err(|e| format!("storage value: {e}"))).transpose()
	}

	/// The events of block `hash`, decoded.
	pub async fn events_at(&self, hash: H256) -> Result<Vec<RuntimeEvent>, String> {
		let events =
			self.api.events().at(subxt::utils::H256(hash.0)).await.map_err(|e| e.to_string())?;
		events.iter().map(|e| e.map_err(|e| e.to_string()).and_then(|e| decode_event(&e))).collect()
	}

	/// The time of block `hash`, in seconds since the Unix epoch.
	pub async fn time_at(&self, hash: H256) -> Result<u64, String> {
		let key = pallet_timestamp::Now::<peergrid_runtime::Runtime>::hashed_key();
		Ok(self.storage::<u64>(&key, Some(hash)).await?.unwrap_or_default() / 1000)
	}

	/// Calls the JSON-RPC method `method` of the node with `params`.
	pub async fn call(&self, method: &str, params: Vec<Value>) -> Result<Value, String> {
		let mut rpc_params = RpcParams::new();
		for param in params {
			rpc_params.push(param).map_err(|e| e.to_string())?;
		}
		self.raw.request(method, rpc_params).await.map_err(|e| format!("{method}: {e}"))
	}

	/// The account's position, from `energy_account`.
	pub async fn position(&self, who: &AccountId) -> Result<Value, String> {
		self.call("energy_account", vec![Value::String(who.to_string())]).await
	}

	/// The members of the consortium.
	pub async fn members(&self) -> Result<Vec<AccountId>, String> {
		let key = pallet_collective::Members::<
			peergrid_runtime::Runtime,
			peergrid_runtime::configs::ConsortiumCollective,
		>::hashed_key();
		Ok(self.storage(&key, None).await?.unwrap_or_default())
	}

	/// A motion's proposal, while it is open.
	pub async fn proposal(&self, hash: H256) -> Result<Option<RuntimeCall>, String> {
		let key = pallet_collective::ProposalOf::<
			peergrid_runtime::Runtime,
			peergrid_runtime::configs::ConsortiumCollective,
		>::hashed_key_for(hash);
		self.storage(&key, None).await
	}
}

/// The JSON-RPC error code of a transaction the pool finds invalid (`author_submitExtrinsic`).
const INVALID_TRANSACTION: i32 = 1010;

/// Why a transaction did not get into a block.
#[derive(Debug)]
pub enum NotIncluded {
	/// The transaction pool refused it as invalid, for this reason.
	Refused(String),
	/// It did not get in for a reason not about its content: the connection, the node, the
	/// pool's capacity or another transaction that provides the same.
	Lost(String),
}

impl From<NotIncluded> for String {
	fn from(failure: NotIncluded) -> String {
		match failure {
			NotIncluded::Refused(reason) => format!("the node refused it: {reason}"),
			NotIncluded::Lost(why) => why,
		}
	}
}

fn lost(why: String) -> NotIncluded {
	NotIncluded::Lost(why)
}

/// An event as the runtime's own type.
fn decode_event(
	event: &subxt::events::EventDetails<PolkadotConfig>,
) -> Result<RuntimeEvent, String> {
	let mut bytes = vec![event.pallet_index(), event.variant_index()];
	bytes.extend_from_slice(event.field_bytes());
	RuntimeEvent::decode(&mut &bytes[..]).map_err(|e| {
		format!("event {}.{} does not decode: {e}", event.pallet_name(), event.variant_name())
	})
}
