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

pub mod db;
pub mod rows;

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
use std::{collections::BTreeMap, time::Duration};

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
		let pool = db::open(database).await?;
		Ok(Indexer { node, rpc: LegacyRpcMethods::new(raw), pool, metadata: BTreeMap::new() })
	}

	/// The chain's finalized block's number.
	pub async fn finalized(&self) -> Result<u32, String> {
		self.node.finalized_number().await
	}

	/// Indexes the finalized blocks of `span` (the index's own checkpoint first), waiting for
	/// finality when caught up; returns after `span.to`, and calls `indexed` after each block.
	pub async fn run(&mut self, span: Span, indexed: impl Fn(u32)) -> Result<(), String> {
		let mut next = match db::checkpoint(&self.pool).await? {
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
				number + 1
			}
			None => span.from,
		};
		// The finalized head, asked again only once the index has caught up with it.
		let mut finalized = 0;
		while span.to.is_none_or(|to| next <= to) {
			if next > finalized {
				finalized = self.wait_for(next).await?;
			}
			self.index(next).await.map_err(|e| format!("block {next}: {e}"))?;
			indexed(next);
			next += 1;
		}
		Ok(())
	}

	/// Waits until block `number` is finalized (saying so once a wait is long: a node catching
	/// up, or finality stalled); the finalized block's number then.
	async fn wait_for(&self, number: u32) -> Result<u32, String> {
		let mut finalized = self.node.finalized_number().await?;
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
		db::write(&self.pool, &rows).await
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

/// A timestamp in ms as the database's BIGINT.
fn time(ms: u64) -> Result<i64, String> {
	i64::try_from(ms).map_err(|_| format!("timestamp {ms} exceeds the index's BIGINT"))
}
