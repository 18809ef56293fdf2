//! The database: SQLite (a file, created on first use) or PostgreSQL, by its URL, through
//! sqlx's driver-neutral pool, with the schema of `migrations/` applied on opening. Each block
//! is written in one transaction: its `blocks` row, which is the checkpoint, with all its rows.

use crate::{
	reconcile::Counted,
	rows::{Cell, Row},
};
use sqlx::{any::AnyPoolOptions, AnyPool, AssertSqlSafe, Row as _};

/// The schema's migrations, applied in order on opening; each is recorded in the database
/// (`_sqlx_migrations`) and runs once.
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// `url` with its password, if any, replaced by `***`: for messages and logs.
pub fn redact(url: &str) -> String {
	let Some((scheme, rest)) = url.split_once("://") else { return url.to_string() };
	match rest.split_once('@') {
		Some((user, host)) if user.contains(':') => {
			let name = user.split(':').next().unwrap_or_default();
			format!("{scheme}://{name}:***@{host}")
		}
		_ => url.to_string(),
	}
}

/// Opens the database at `url` (`sqlite://FILE`, `postgres://USER@HOST:PORT/NAME`), creating
/// an SQLite file that does not exist, and brings its schema up to date. The indexer writes
/// through one connection (blocks are written one after the other, and SQLite takes one
/// writer); the API reads through `connections` of its own.
pub async fn open(url: &str, connections: u32) -> Result<AnyPool, String> {
	sqlx::any::install_default_drivers();
	let sqlite = url.starts_with("sqlite:");
	let url = match url.strip_prefix("sqlite://") {
		Some(path) if !path.contains('?') => format!("sqlite://{path}?mode=rwc"),
		_ => url.to_string(),
	};
	let pool = AnyPoolOptions::new()
		.max_connections(connections)
		.connect(&url)
		.await
		.map_err(|e| format!("cannot open the database {}: {e}", redact(&url)))?;
	MIGRATOR.run(&pool).await.map_err(|e| format!("the database's schema: {e}"))?;
	if sqlite {
		// Write-ahead logging (kept in the file): the API's readers and the indexer's writer
		// do not wait for each other.
		let wal = sqlx::query("PRAGMA journal_mode = WAL").fetch_one(&pool).await;
		wal.map_err(|e| format!("the database's journal: {e}"))?;
	}
	Ok(pool)
}

/// The last block indexed: its number and hash.
pub async fn checkpoint(pool: &AnyPool) -> Result<Option<(u32, String)>, String> {
	let row = sqlx::query("SELECT number, hash FROM blocks ORDER BY number DESC LIMIT 1")
		.fetch_optional(pool)
		.await
		.map_err(|e| format!("reading the checkpoint: {e}"))?;
	let Some(row) = row else { return Ok(None) };
	let number: i64 = row.try_get(0).map_err(|e| e.to_string())?;
	let hash: String = row.try_get(1).map_err(|e| e.to_string())?;
	let number =
		u32::try_from(number).map_err(|_| format!("block number {number} in the index"))?;
	Ok(Some((number, hash)))
}

/// The rows of `table` (one of the schema's, never a user's text).
pub async fn count(pool: &AnyPool, table: &'static str) -> Result<i64, String> {
	let sql = format!("SELECT COUNT(*) FROM {table}");
	let row = sqlx::query(AssertSqlSafe(sql)).fetch_one(pool).await;
	row.and_then(|row| row.try_get(0)).map_err(|e| format!("counting {table}: {e}"))
}

/// The first block of the index, if it holds any.
pub async fn first_block(pool: &AnyPool) -> Result<Option<i64>, String> {
	let row = sqlx::query("SELECT MIN(number) FROM blocks").fetch_one(pool).await;
	row.and_then(|row| row.try_get(0)).map_err(|e| format!("reading the first block: {e}"))
}

/// What the index counts of `account`'s credits: minted, retired, sent and received.
pub async fn credits_of(pool: &AnyPool, account: &str) -> Result<Counted, String> {
	let sum = |condition: &str| {
		format!("CAST(COALESCE(SUM(CASE WHEN {condition} THEN amount_wh ELSE 0 END), 0) AS BIGINT)")
	};
	let sql = format!(
		"SELECT {}, {}, {}, {} FROM credits WHERE account = $1 OR counterparty = $1",
		sum("kind = 'minted' AND account = $1"),
		sum("kind = 'retired' AND account = $1"),
		sum("kind = 'transferred' AND account = $1"),
		sum("kind = 'transferred' AND counterparty = $1"),
	);
	let failed = |e: sqlx::Error| format!("counting {account}'s credits: {e}");
	// Built from the conditions above only; the account is bound.
	let row = sqlx::query(AssertSqlSafe(sql)).bind(account.to_string()).fetch_one(pool).await;
	let row = row.map_err(failed)?;
	let wh = |i: usize| -> Result<u64, String> {
		let n: i64 = row.try_get(i).map_err(failed)?;
		u64::try_from(n).map_err(|_| format!("{account}: negative credits {n} in the index"))
	};
	Ok(Counted { minted: wh(0)?, retired: wh(1)?, sent: wh(2)?, received: wh(3)? })
}

/// The owner of the meter sampled at block `number`: the first meter from `number mod
/// (highest meter + 1)` on, wrapping to the first; `None` without meters.
pub async fn meter_owner_in_turn(pool: &AnyPool, number: u32) -> Result<Option<String>, String> {
	let failed = |e: sqlx::Error| format!("sampling a meter's owner: {e}");
	let row = sqlx::query("SELECT MAX(meter) FROM meters").fetch_one(pool).await.map_err(failed)?;
	let Some(highest) = row.try_get::<Option<i64>, _>(0).map_err(failed)? else { return Ok(None) };
	let from = i64::from(number) % highest.saturating_add(1);
	let sql = "SELECT owner FROM meters WHERE meter >= $1 ORDER BY meter LIMIT 1";
	let row = sqlx::query(sql).bind(from).fetch_optional(pool).await.map_err(failed)?;
	let row = match row {
		Some(row) => row,
		None => sqlx::query("SELECT owner FROM meters ORDER BY meter LIMIT 1")
			.fetch_one(pool)
			.await
			.map_err(failed)?,
	};
	row.try_get(0).map(Some).map_err(failed)
}

/// Empties the registry (`zones`, `meters`), in one transaction.
pub async fn clear_registry(pool: &AnyPool) -> Result<(), String> {
	let failed = |e: sqlx::Error| format!("emptying the registry: {e}");
	let mut tx = pool.begin().await.map_err(failed)?;
	for sql in ["DELETE FROM meters", "DELETE FROM zones"] {
		sqlx::query(sql).execute(&mut *tx).await.map_err(failed)?;
	}
	tx.commit().await.map_err(failed)
}

/// What the index holds of block `number`, if it indexed it.
pub struct Indexed {
	pub hash: String,
	/// Credits minted and retired up to this block, in Wh.
	pub minted: u64,
	pub retired: u64,
}

/// What the index holds of block `number`, if it indexed it.
pub async fn block(pool: &AnyPool, number: u32) -> Result<Option<Indexed>, String> {
	let sql = "SELECT hash, credits_minted_wh, credits_retired_wh FROM blocks WHERE number = $1";
	let failed = |e: sqlx::Error| format!("reading block {number}: {e}");
	let row =
		sqlx::query(sql).bind(i64::from(number)).fetch_optional(pool).await.map_err(failed)?;
	let Some(row) = row else { return Ok(None) };
	let wh = |i: usize| -> Result<u64, String> {
		let n: i64 = row.try_get(i).map_err(failed)?;
		u64::try_from(n).map_err(|_| format!("block {number}: negative credits total {n}"))
	};
	Ok(Some(Indexed { hash: row.try_get(0).map_err(failed)?, minted: wh(1)?, retired: wh(2)? }))
}

/// The most values one statement binds: within SQLite's 32,766 and PostgreSQL's 65,535.
const MAX_BINDS: usize = 30_000;

/// Writes `rows` (a block's: its `blocks` row first) in one transaction, the rows of a table
/// many to a statement (docs/indexer.md, "Speed").
pub async fn write(pool: &AnyPool, rows: &[Row]) -> Result<(), String> {
	let failed = |e: sqlx::Error| format!("writing a block: {e}");
	// Each table's rows, the tables in the order they first come: `blocks` first, which the
	// other tables refer to.
	let mut tables: Vec<(&str, &[&str], Vec<&Row>)> = Vec::new();
	for row in rows {
		match tables.iter_mut().find(|(t, c, _)| *t == row.table && *c == row.columns) {
			Some((_, _, of_table)) => of_table.push(row),
			None => tables.push((row.table, row.columns, vec![row])),
		}
	}
	// PostgreSQL numbers its parameters (`$1`); SQLite takes `$1` as a name, which it looks
	// up among the statement's names so far (quadratic in a statement of thousands), so it
	// gets positional `?`.
	let numbered = !pool.connect_options().database_url.scheme().starts_with("sqlite");
	let mut tx = pool.begin().await.map_err(failed)?;
	for (table, columns, rows) in tables {
		let names: Vec<_> = columns.iter().map(|c| format!("\"{c}\"")).collect();
		for chunk in rows.chunks((MAX_BINDS / columns.len().max(1)).max(1)) {
			let mut bound = 0;
			let tuples: Vec<_> = chunk
				.iter()
				.map(|row| {
					let values: Vec<_> = row
						.cells
						.iter()
						.map(|_| {
							bound += 1;
							if numbered {
								format!("${bound}")
							} else {
								"?".to_string()
							}
						})
						.collect();
					format!("({})", values.join(", "))
				})
				.collect();
			let sql =
				format!("INSERT INTO {table} ({}) VALUES {}", names.join(", "), tuples.join(", "));
			// Built from the rows' static table and column names only; every value is bound.
			let mut query = sqlx::query(AssertSqlSafe(sql));
			for cell in chunk.iter().flat_map(|row| &row.cells) {
				query = match cell {
					Cell::Int(n) => query.bind(*n),
					Cell::Text(t) => query.bind(t.clone()),
				};
			}
			query.execute(&mut *tx).await.map_err(failed)?;
		}
	}
	tx.commit().await.map_err(failed)
}
