//! # PeerGrid indexer
//!
//! Follows a PeerGrid node's finalized blocks and writes every event into a relational
//! database, SQLite by default or PostgreSQL, for the regulator's questions over months (a
//! meter's readings over a quarter, an account's statement, every trade of a period) that
//! the chain's state does not keep and a pruning node cannot answer.
//!
//! - Only **finalized** blocks, which are never reverted: the index never holds a block the
//!   chain dropped.
//! - **One transaction a block**: its `blocks` row (the checkpoint) and every row of its
//!   events together. Killed at any point, the index holds whole blocks only, and a restart
//!   resumes at the block after the last.
//! - **The same chain**: on start, the index's last block must be the chain's block of that
//!   number, and every block's parent must be the block indexed before it; otherwise it stops
//!   with an error rather than mixing two chains.
//! - **Reconciled**: each block's running totals of credits minted and retired, counted from
//!   the events, must equal the chain's `Credits.TotalMinted` and `TotalRetired` at that block;
//!   on a drift the indexer stops at that block with an error, writing nothing of it.
//! - **Runtime upgrades**: each block's events are decoded with the metadata of the runtime
//!   that executed it, its parent's (fetched once per `spec_version`).
//!
//! The schema is in `migrations/` (docs/indexer.md documents it).

pub mod api;
pub mod db;
pub mod metrics;
mod reconcile;
pub mod rows;
pub mod serve;

use metrics::Metrics;
use peergrid_client::{
	api::{peergrid, Config, Hash},
	node::{Event, Node},
	subxt::{
		backend::{legacy::LegacyRpcMethods, rpc::RpcClient},
		events::Events,
		ext::codec::Decode,
		Metadata,
	},
};
use rows::{Cell, Row};
use sqlx::AnyPool;
use std::{collections::BTreeMap, sync::Arc, time::Duration};

/// How often to ask for the finalized head when caught up.
const POLL: Duration = Duration::from_secs(1);
/// Polls after which a wait for finality is worth a word (30 s: five blocks).
const LONG_WAIT: u32 = 30;

/// A node followed into a database.
pub struct Indexer {
	node: Node,
	rpc: LegacyRpcMethods<Config>,
	pool: AnyPool,
	/// The metadata of each runtime version met.
	metadata: BTreeMap<u32, Metadata>,
	/// What it did, for `/metrics`.
	pub metrics: Arc<Metrics>,
	/// The index holds the whole history (from block 1): sampled accounts are reconciled.
	whole_history: bool,
}

/// Where to start when the index is empty, and where to stop.
#[derive(Clone, Copy, Debug)]
pub struct Span {
	/// The first block of an empty index.
	pub from: u32,
	/// Stop after this block; `None`: follow the chain for ever.
	pub to: Option<u32>,
}

impl Indexer {
	/// Connects to the node at `url` and opens the database at `database`.
	pub async fn connect(url: &str, database: &str) -> Result<Indexer, String> {
		let node = Node::connect(url, true).await?;
		let raw = RpcClient::from_url(url).await.map_err(|e| format!("cannot reach {url}: {e}"))?;
		let pool = db::open(database, 1).await?;
		let metrics = Arc::new(Metrics::new()?);
		let rpc = LegacyRpcMethods::new(raw);
		Ok(Indexer { node, rpc, pool, metadata: BTreeMap::new(), metrics, whole_history: false })
	}

	/// The node it follows.
	pub fn node(&self) -> &Node {
		&self.node
	}

	/// The chain's finalized block's number.
	pub async fn finalized(&self) -> Result<u32, String> {
		self.node.finalized_number().await
	}

	/// Indexes the finalized blocks of `span` (the index's own checkpoint first), waiting for
	/// finality when caught up; returns after `span.to`, and calls `indexed` after each block.
	pub async fn run(&mut self, span: Span, indexed: impl Fn(u32)) -> Result<(), String> {
		let checkpoint = db::checkpoint(&self.pool).await?;
		let fresh = checkpoint.is_none();
		let mut next = match checkpoint {
			Some((number, hash)) => {
				// A node still catching up has not the block yet: wait for it.
				self.wait_for(number).await?;
				let chain = self.node.hash_of(number).await?.map(|h| format!("{h:?}"));
				if chain.as_deref() != Some(&hash) {
					return Err(format!(
						"the index holds block {number} as {hash}, the chain has {}: it indexes \
						 another chain (start a new database)",
						chain.unwrap_or_else(|| "no such block".into())
					));
				}
				self.metrics.height.set(number.into());
				number + 1
			}
			None => span.from,
		};
		if fresh {
			// The registry is copied from a finalized block's state.
			self.wait_for(next - 1).await?;
		}
		self.copy_registry(next - 1, fresh).await?;
		self.whole_history = db::first_block(&self.pool).await?.unwrap_or(next.into()) == 1;
		// The finalized head, asked again only once the index has caught up with it.
		let mut finalized = 0;
		while span.to.is_none_or(|to| next <= to) {
			if next > finalized {
				finalized = self.wait_for(next).await?;
			}
			self.index(next).await.map_err(|e| format!("block {next}: {e}"))?;
			self.metrics.height.set(next.into());
			self.metrics.blocks.inc();
			indexed(next);
			next += 1;
		}
		Ok(())
	}

	/// Waits until block `number` is finalized (saying so once a wait is long: a node catching
	/// up, or finality stalled); the finalized block's number then.
	async fn wait_for(&self, number: u32) -> Result<u32, String> {
		let mut finalized = self.node.finalized_number().await?;
		self.metrics.finalized.set(finalized.into());
		let mut polls = 0;
		while finalized < number {
			polls += 1;
			if polls == LONG_WAIT {
				eprintln!(
					"waiting for block {number} to be finalized (the chain's is {finalized})"
				);
			}
			tokio::time::sleep(POLL).await;
			finalized = self.node.finalized_number().await?;
			self.metrics.finalized.set(finalized.into());
		}
		Ok(finalized)
	}

	/// Writes block `number` (finalized) and its events, after checking that its parent is
	/// the block the index holds before it.
	async fn index(&mut self, number: u32) -> Result<(), String> {
		let hash = self.node.hash_of(number).await?.ok_or_else(|| format!("no block {number}"))?;
		let block = self.rpc.chain_get_block(Some(hash)).await.map_err(|e| e.to_string())?;
		let block = block.ok_or_else(|| format!("no body of block {number}"))?.block;
		let (header, extrinsics) = (block.header, block.extrinsics.len());
		let parent = format!("{:?}", header.parent_hash);
		// The credits totals before this block: the index's, or the chain's before its first.
		let before = match number.checked_sub(1) {
			Some(before) => db::block(&self.pool, before).await?,
			None => None,
		};
		let (mut minted, mut retired) = match before {
			Some(indexed) if indexed.hash != parent => {
				return Err(format!(
					"block {number}'s parent is {parent}, the index holds {} as block {}: it \
					 indexes another chain",
					indexed.hash,
					number - 1
				))
			}
			Some(indexed) => (indexed.minted, indexed.retired),
			None => self.credits_totals(header.parent_hash).await?,
		};
		// The runtime that executed the block is its parent's (a block that upgrades the
		// runtime holds the new code in its own state, but the old one made its events).
		let (spec_version, metadata) = self.metadata_at(header.parent_hash).await?;
		let events = self.events_at(hash, metadata.clone()).await?;
		for event in &events {
			let (m, r) = rows::credits_delta(event)?;
			minted = minted.saturating_add(m);
			retired = retired.saturating_add(r);
		}
		// Reconciled with the chain before anything is written: an event the index missed or
		// misread would make the totals drift, and the index stops at the block it happened.
		let chain = self.credits_totals(hash).await?;
		if chain != (minted, retired) {
			self.metrics.drift.set(1);
			return Err(format!(
				"drift at block {number}: the index counts {minted} Wh minted and {retired} Wh \
				 retired, the chain's Credits.TotalMinted and TotalRetired are {} and {}",
				chain.0, chain.1
			));
		}
		let int = |n: u64| i64::try_from(n).map(|n| Cell::Int(Some(n)));
		let too_big = |_| format!("a credits total at block {number} exceeds the index's BIGINT");
		let block = Row {
			table: "blocks",
			columns: &[
				"number",
				"hash",
				"parent_hash",
				"time_ms",
				"spec_version",
				"extrinsics",
				"events",
				"credits_minted_wh",
				"credits_retired_wh",
			],
			cells: vec![
				Cell::Int(Some(number.into())),
				Cell::Text(Some(format!("{hash:?}"))),
				Cell::Text(Some(parent)),
				Cell::Int(Some(time(self.node.time_ms_at(hash).await?)?)),
				Cell::Int(Some(spec_version.into())),
				Cell::Int(Some(extrinsics as i64)),
				Cell::Int(Some(events.len() as i64)),
				int(minted).map_err(too_big)?,
				int(retired).map_err(too_big)?,
			],
		};
		let mut rows = vec![block];
		for (i, event) in events.iter().enumerate() {
			rows.extend(rows::of_event(&metadata, number, i, event)?);
		}
		if self.whole_history {
			self.reconcile_accounts(number, hash, &rows).await?;
		}
		self.write(&rows).await
	}

	/// Copies the chain's zones and meters at block `number` into an index that has none (a
	/// new index, or one made before the registry's tables): those made at genesis have no
	/// events, and the zones and meters of later events follow from them. A chain without
	/// zones then has no meters either, and there is nothing to copy. An index without blocks
	/// (`fresh`) copies anew: a copy left by a run that stopped before its first block may be
	/// of another block than this run starts at.
	async fn copy_registry(&self, number: u32, fresh: bool) -> Result<(), String> {
		if fresh {
			db::clear_registry(&self.pool).await?;
		} else if db::count(&self.pool, "zones").await? > 0 {
			return Ok(());
		}
		let hash = self.node.hash_of(number).await?.ok_or_else(|| format!("no block {number}"))?;
		let state = self.node.api.storage().at(hash);
		let failed = |e: peergrid_client::subxt::Error| format!("the registry at {number}: {e}");
		let at = || Cell::Int(Some(number.into()));
		let mut rows = Vec::new();
		let mut zones =
			state.iter(peergrid::storage().meters().zones_iter()).await.map_err(failed)?;
		while let Some(pair) = zones.next().await {
			let pair = pair.map_err(failed)?;
			let zone = pair.value;
			let id = key(&pair.key_bytes)?;
			rows.push(rows::zone(id, &zone.name.0, &zone.operator, at())?);
		}
		let mut meters =
			state.iter(peergrid::storage().meters().meters_iter()).await.map_err(failed)?;
		while let Some(pair) = meters.next().await {
			let pair = pair.map_err(failed)?;
			let (id, m) = (key(&pair.key_bytes)?, pair.value);
			let kind = format!("{:?}", m.kind);
			rows.push(rows::meter(
				id,
				m.zone,
				&m.external_id.0,
				&m.owner,
				&kind,
				m.capacity_w,
				at(),
			)?);
		}
		if !rows.is_empty() {
			eprintln!("copying the chain's {} zones and meters at block {number}", rows.len());
		}
		self.write(&rows).await
	}

	/// Writes `rows` in one transaction, and counts them in the metrics.
	async fn write(&self, rows: &[Row]) -> Result<(), String> {
		db::write(&self.pool, rows).await?;
		for row in rows {
			self.metrics.rows.with_label_values(&[row.table]).inc();
		}
		Ok(())
	}

	/// The chain's Credits.TotalMinted and TotalRetired at block `hash`, in Wh.
	async fn credits_totals(&self, hash: Hash) -> Result<(u64, u64), String> {
		let credits = peergrid::storage().credits();
		let minted = self.node.storage(&credits.total_minted(), Some(hash)).await?;
		let retired = self.node.storage(&credits.total_retired(), Some(hash)).await?;
		Ok((minted.unwrap_or_default(), retired.unwrap_or_default()))
	}

	/// The runtime version of block `hash` and its metadata, fetched once a version.
	async fn metadata_at(&mut self, hash: Hash) -> Result<(u32, Metadata), String> {
		let version = self.rpc.state_get_runtime_version(Some(hash)).await;
		let spec_version = version.map_err(|e| e.to_string())?.spec_version;
		if let Some(metadata) = self.metadata.get(&spec_version) {
			return Ok((spec_version, metadata.clone()));
		}
		let raw = self.rpc.state_get_metadata(Some(hash)).await.map_err(|e| e.to_string())?;
		let metadata = Metadata::decode(&mut &raw.into_raw()[..])
			.map_err(|e| format!("the metadata of spec_version {spec_version}: {e}"))?;
		self.metadata.insert(spec_version, metadata.clone());
		Ok((spec_version, metadata))
	}

	/// The events of block `hash`, decoded with `metadata`.
	async fn events_at(&self, hash: Hash, metadata: Metadata) -> Result<Vec<Event>, String> {
		let key = self.node.api.storage().address_bytes(&peergrid::storage().system().events());
		let key = key.map_err(|e| e.to_string())?;
		let bytes = self.rpc.state_get_storage(&key, Some(hash)).await;
		let bytes = bytes.map_err(|e| e.to_string())?.ok_or("no System.Events in its state")?;
		let events = Events::<Config>::decode_from(bytes, metadata);
		events.iter().collect::<Result<_, _>>().map_err(|e| format!("an event: {e}"))
	}
}

/// The key of a map entry hashed with `Twox64Concat` (the key itself ends it), from the
/// entry's storage key.
fn key<K: Decode>(storage_key: &[u8]) -> Result<K, String> {
	let size = std::mem::size_of::<K>();
	let mut tail = storage_key.get(storage_key.len().saturating_sub(size)..).unwrap_or_default();
	K::decode(&mut tail).map_err(|e| format!("a registry key: {e}"))
}

/// A timestamp in ms as the database's BIGINT.
fn time(ms: u64) -> Result<i64, String> {
	i64::try_from(ms).map_err(|_| format!("timestamp {ms} exceeds the index's BIGINT"))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_registry_key_is_the_end_of_its_storage_key() {
		// Pallet and storage prefixes (32 bytes), the key's Twox64 hash (8), then the key.
		let zone = [vec![0xaa; 40], 7u32.to_le_bytes().to_vec()].concat();
		assert_eq!(key::<u32>(&zone), Ok(7));
		let meter = [vec![0xaa; 40], 1_234_567_890_123u64.to_le_bytes().to_vec()].concat();
		assert_eq!(key::<u64>(&meter), Ok(1_234_567_890_123));
		assert!(key::<u64>(&[1, 2, 3]).is_err());
	}
}
