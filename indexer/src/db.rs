//! The database: SQLite (a file, created on first use) or PostgreSQL, by its URL, through
//! sqlx's driver-neutral pool, with the schema of `migrations/` applied on opening. Each block
//! is written in one transaction: its `blocks` row, which is the checkpoint, with all its rows.

use crate::rows::{Cell, Row};
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
/// an SQLite file that does not exist, and brings its schema up to date.
pub async fn open(url: &str) -> Result<AnyPool, String> {
	sqlx::any::install_default_drivers();
	let url = match url.strip_prefix("sqlite://") {
		Some(path) if !path.contains('?') => format!("sqlite://{path}?mode=rwc"),
		_ => url.to_string(),
	};
	// One connection: blocks are written one after the other, and SQLite takes one writer.
	let pool = AnyPoolOptions::new()
		.max_connections(1)
		.connect(&url)
		.await
		.map_err(|e| format!("cannot open the database {}: {e}", redact(&url)))?;
	MIGRATOR.run(&pool).await.map_err(|e| format!("the database's schema: {e}"))?;
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

/// Writes `rows` (a block's: its `blocks` row first) in one transaction.
pub async fn write(pool: &AnyPool, rows: &[Row]) -> Result<(), String> {
	let failed = |e: sqlx::Error| format!("writing a block: {e}");
	let mut tx = pool.begin().await.map_err(failed)?;
	for row in rows {
		let columns: Vec<_> = row.columns.iter().map(|c| format!("\"{c}\"")).collect();
		let values: Vec<_> = (1..=row.cells.len()).map(|i| format!("${i}")).collect();
		let sql = format!(
			"INSERT INTO {} ({}) VALUES ({})",
			row.table,
			columns.join(", "),
			values.join(", ")
		);
		// Built from the rows' static table and column names only; every value is bound.
		let mut query = sqlx::query(AssertSqlSafe(sql));
		for cell in &row.cells {
			query = match cell {
				Cell::Int(n) => query.bind(*n),
				Cell::Text(t) => query.bind(t.clone()),
			};
		}
		query.execute(&mut *tx).await.map_err(failed)?;
	}
	tx.commit().await.map_err(failed)
}
