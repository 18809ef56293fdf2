//! The database: SQLite (a file, created on first use) or PostgreSQL, by its URL, through
//! sqlx's driver-neutral pool, with the schema of `migrations/` applied on opening. Each block
//! is written in one transaction: its `blocks` row, which is the checkpoint, with all its rows.

use crate::rows::{Cell, Row};
use sqlx::{any::AnyPoolOptions, AnyPool, AssertSqlSafe, Row as _};

/// The schema's migrations, applied in order on opening; each is recorded in the database
/// (`_sqlx_migrations`) and runs once.
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

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
		.map_err(|e| format!("cannot open the database {url}: {e}"))?;
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

/// The hash the index holds for block `number`, if it indexed it.
pub async fn hash_of(pool: &AnyPool, number: u32) -> Result<Option<String>, String> {
	let row = sqlx::query("SELECT hash FROM blocks WHERE number = $1")
		.bind(i64::from(number))
		.fetch_optional(pool)
		.await
		.map_err(|e| format!("reading block {number}: {e}"))?;
	row.map(|r| r.try_get(0)).transpose().map_err(|e| e.to_string())
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
