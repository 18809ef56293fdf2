//! `peergrid-indexer` as a regulator runs it: against an archive development node carrying a
//! short load (readings of both payloads, orders, trades, transfers, credits), into SQLite and
//! into a real PostgreSQL (`PEERGRID_TEST_POSTGRES_URL`, a throwaway cluster that
//! `scripts/test.sh` starts with `scripts/postgres.sh`). Killed with SIGKILL at random moments
//! and restarted, it ends with every finalized block exactly once and, block by block, exactly
//! the chain's events; a drift from the chain's credit totals stops it; a database of another
//! chain is refused.

use crate::{
	common::{Node, TempDir, NODE},
	dashboard::{self, Dashboard},
	load::loaded_archive_node,
};
use peergrid_client::node::Node as Client;
use serde_json::json;
use sqlx::{AnyPool, Row};
use std::{
	path::PathBuf,
	process::{Command, Stdio},
	time::Duration,
};

const START_TIMEOUT: Duration = Duration::from_secs(120);

/// The indexer, which cargo builds next to the node.
pub fn indexer() -> PathBuf {
	let path = std::path::Path::new(NODE).with_file_name("peergrid-indexer");
	assert!(path.exists(), "{} is missing: build the workspace", path.display());
	path
}

/// Runs the indexer to block `to` (or kills it after `kill_after`): its exit status and stderr.
fn index(url: &str, database: &str, to: u64, kill_after: Option<Duration>) -> (bool, String) {
	let mut child = Command::new(indexer())
		.args(["--url", url, "--database", database, "--to", &to.to_string()])
		.stderr(Stdio::piped())
		.spawn()
		.expect("peergrid-indexer starts");
	if let Some(after) = kill_after {
		std::thread::sleep(after);
		let _ = child.kill();
	}
	let output = child.wait_with_output().expect("peergrid-indexer ends");
	(output.status.success(), String::from_utf8_lossy(&output.stderr).into_owned())
}

/// The index's events of block `number`, as `Pallet.Event` in order.
async fn indexed_events(pool: &AnyPool, number: u64) -> Vec<String> {
	let rows = sqlx::query("SELECT pallet, name FROM events WHERE block = $1 ORDER BY idx")
		.bind(number as i64)
		.fetch_all(pool)
		.await
		.expect("events read");
	rows.iter().map(|r| format!("{}.{}", r.get::<String, _>(0), r.get::<String, _>(1))).collect()
}

async fn count(pool: &AnyPool, sql: &'static str) -> i64 {
	sqlx::query(sql).fetch_one(pool).await.expect(sql).get::<i64, _>(0)
}

/// The index's last block (0 if empty).
async fn checkpoint(database: &str) -> u32 {
	let pool = peergrid_indexer::db::open(database, 1).await.expect("the index opens");
	let last = peergrid_indexer::db::checkpoint(&pool).await.expect("checkpoint");
	pool.close().await;
	last.map_or(0, |(number, _)| number)
}

/// Indexes the node's chain up to its finalized block into `database` under SIGKILLs, then
/// checks the index against the chain; returns that block's number.
async fn crash_and_check(node: &Node, client: &Client, database: &str) -> u64 {
	let finalized = node.block_number(true).await;
	// Killed a few times, early and late; each restart resumes after its last whole block.
	// At least one kill must land in the middle of the chain, or this tests nothing.
	let mut cut_short = 0;
	for ms in [30, 150, 400, 50, 250, 100, 200] {
		index(&node.url(), database, finalized, Some(Duration::from_millis(ms)));
		let last = checkpoint(database).await;
		cut_short += usize::from(0 < last && u64::from(last) < finalized);
	}
	assert!(cut_short > 0, "no kill landed while blocks were left to index");
	let (ok, stderr) = index(&node.url(), database, finalized, None);
	assert!(ok, "{stderr}");
	let pool = peergrid_indexer::db::open(database, 1).await.expect("the index opens");
	// Every block once, from 1 to the finalized one.
	let blocks = count(&pool, "SELECT COUNT(DISTINCT number) FROM blocks").await;
	let range = count(&pool, "SELECT MAX(number) - MIN(number) + 1 FROM blocks").await;
	assert_eq!((blocks, range), (finalized as i64, finalized as i64));
	// Block by block, the chain's events in the chain's order, and the energy tables' rows.
	let mut chain_readings = 0;
	for number in 1..=finalized {
		let hash = client.hash_of(number as u32).await.expect("hash").expect("block");
		let events = client.events_at(hash).await.expect("events");
		let chain: Vec<_> =
			events.iter().map(|e| format!("{}.{}", e.pallet_name(), e.variant_name())).collect();
		assert_eq!(indexed_events(&pool, number).await, chain, "block {number}");
		chain_readings += chain.iter().filter(|e| *e == "Readings.ReadingAccepted").count();
	}
	// The load: 16 meters' 4 readings, 20 orders making 10 trades, 20 transfers at least.
	assert_eq!(chain_readings, 64);
	for (sql, expected) in [
		("SELECT COUNT(*) FROM readings WHERE status = 'accepted'", 64),
		("SELECT COUNT(*) FROM orders", 20),
		("SELECT COUNT(*) FROM trades", 10),
		("SELECT COUNT(*) FROM trades WHERE amount_wh = 1000", 10),
		("SELECT COUNT(*) FROM credits WHERE kind = 'minted'", 64),
	] {
		assert_eq!(count(&pool, sql).await, expected, "{sql}");
	}
	assert!(count(&pool, "SELECT COUNT(*) FROM transfers").await >= 20);
	// Minted credits in the index are what the readings minted.
	let minted =
		count(&pool, "SELECT CAST(SUM(amount_wh) AS BIGINT) FROM credits WHERE kind = 'minted'")
			.await;
	let by_readings =
		count(&pool, "SELECT CAST(SUM(credits_minted_wh) AS BIGINT) FROM readings").await;
	assert_eq!(minted, by_readings);
	pool.close().await;
	finalized
}

#[tokio::test(flavor = "multi_thread")]
async fn the_indexer_holds_every_finalized_event_once_through_crashes_in_sqlite_and_postgresql() {
	let dir = TempDir::new("indexer");
	let plan = ["--meters", "16", "--intervals", "4", "--orders", "20", "--transfers", "20"];
	let (mut node, _) =
		loaded_archive_node(dir.path(), &[&plan[..], &["--zones", "2"]].concat()).await;
	// Every block of the load finalized.
	let best = node.block_number(false).await;
	node.wait_for_finalized(best, START_TIMEOUT).await;
	let client = node.client().await;

	let sqlite = format!("sqlite://{}", dir.path().join("index.db").display());
	let indexed = crash_and_check(&node, &client, &sqlite).await;
	// Its API and dashboard answer as the chain does, from SQLite and from PostgreSQL.
	let served = Dashboard::start(&node.url(), &sqlite);
	dashboard::check(&node, &served, indexed, false).await;
	drop(served);
	let postgres = std::env::var("PEERGRID_TEST_POSTGRES_URL").expect(
		"PEERGRID_TEST_POSTGRES_URL names a PostgreSQL database for this test \
		 (scripts/test.sh starts one with scripts/postgres.sh)",
	);
	// The database emptied first: a run before this one may have left an index in it.
	sqlx::any::install_default_drivers();
	let admin = AnyPool::connect(&postgres).await.expect("PostgreSQL answers");
	for sql in ["DROP SCHEMA public CASCADE", "CREATE SCHEMA public"] {
		sqlx::query(sql).execute(&admin).await.expect(sql);
	}
	admin.close().await;
	let in_postgres = crash_and_check(&node, &client, &postgres).await;
	let served = Dashboard::start(&node.url(), &postgres);
	dashboard::check(&node, &served, in_postgres, true).await;
	drop(served);

	// A drift of one account's credits stops it too: the index's minted credits of the meter
	// owner that a coming block samples in turn, one Wh more each.
	let pool = peergrid_indexer::db::open(&sqlite, 1).await.expect("the index opens");
	let last = checkpoint(&sqlite).await;
	let mut sampled = None;
	for number in last + 1..last + 20 {
		let owner = peergrid_indexer::db::meter_owner_in_turn(&pool, number).await.expect("owner");
		let owner = owner.expect("the index holds meters");
		let minted = "SELECT COUNT(*) FROM credits WHERE kind = 'minted' AND account = $1";
		let rows = sqlx::query(minted).bind(owner.clone()).fetch_one(&pool).await.expect(minted);
		if rows.get::<i64, _>(0) > 0 {
			sampled = Some((number, owner));
			break;
		}
	}
	let (number, owner) = sampled.expect("a block samples a meter owner who minted credits");
	let tamper =
		"UPDATE credits SET amount_wh = amount_wh + $2 WHERE kind = 'minted' AND account = $1";
	sqlx::query(tamper).bind(owner.clone()).bind(1i64).execute(&pool).await.expect("tampered");
	node.wait_for_finalized(u64::from(number), START_TIMEOUT).await;
	let (ok, stderr) = index(&node.url(), &sqlite, u64::from(number), None);
	let stopped = checkpoint(&sqlite).await + 1;
	let drift = format!("block {stopped}: drift at block {stopped}: account {owner} has on chain");
	assert!(!ok && stopped <= number && stderr.contains(&drift), "{stderr}");
	sqlx::query(tamper).bind(owner).bind(-1i64).execute(&pool).await.expect("restored");
	pool.close().await;

	// A drift between the index and the chain stops it at the block where it shows, writing
	// nothing of that block: here the index's count of minted credits is one Wh off (at its
	// last block: the dashboard's indexer followed the chain past `indexed`).
	let indexed = u64::from(checkpoint(&sqlite).await);
	let pool = peergrid_indexer::db::open(&sqlite, 1).await.expect("the index opens");
	let tamper = "UPDATE blocks SET credits_minted_wh = credits_minted_wh + 1 WHERE number = $1";
	sqlx::query(tamper).bind(indexed as i64).execute(&pool).await.expect("tampered");
	node.wait_for_finalized(indexed + 1, START_TIMEOUT).await;
	let (ok, stderr) = index(&node.url(), &sqlite, indexed + 1, None);
	let drift = format!("block {0}: drift at block {0}: the index counts", indexed + 1);
	assert!(!ok && stderr.contains(&drift), "{stderr}");
	assert_eq!(count(&pool, "SELECT MAX(number) FROM blocks").await, indexed as i64);
	// Serving, it stops indexing at the drift but still answers, and says so.
	let served = Dashboard::start(&node.url(), &sqlite);
	assert!(served.stopped().await.contains(&drift), "no drift in the status");
	let (_, metrics) = served.get("/metrics");
	assert!(metrics.contains("peergrid_indexer_drift 1"), "{metrics}");
	assert!(metrics.contains("peergrid_indexer_stopped 1"), "{metrics}");
	assert_eq!(served.json("/api/status")["height"], json!(indexed));
	drop(served);
	assert_eq!(count(&pool, "SELECT MAX(number) FROM blocks").await, indexed as i64);
	pool.close().await;

	// The index of this chain, asked to follow another (a development chain started anew has
	// the same genesis but other blocks), refuses.
	let other_dir = TempDir::new("indexer-other");
	let mut other = Node::start(other_dir.path(), &["--dev"]);
	other.wait_for_rpc(START_TIMEOUT).await;
	other.wait_for_finalized(indexed, START_TIMEOUT).await;
	let (ok, stderr) = index(&other.url(), &sqlite, indexed + 2, None);
	assert!(!ok && stderr.contains("it indexes another chain"), "{stderr}");
}
