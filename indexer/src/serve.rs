//! The indexer's HTTP server: the dashboard (plain HTML, CSS and JavaScript built into the
//! binary, no front-end build), the JSON API of `api`, CSV downloads and `/metrics`.
//! docs/indexer.md documents every path.

use crate::{
	api::{self, ApiError, Range},
	metrics::Metrics,
	rows,
};
use axum::{
	extract::{
		rejection::{PathRejection, QueryRejection},
		Path, Query, State,
	},
	http::{header, StatusCode},
	response::{IntoResponse, Response},
	routing::get,
	Json, Router,
};
use futures::TryStreamExt;
use peergrid_client::node::Node;
use serde::Deserialize;
use serde_json::{json, Value};
use sqlx::{AnyPool, AssertSqlSafe, Row};
use std::{
	sync::{Arc, Mutex},
	time::Duration,
};
use tokio::sync::Semaphore;

/// The most rows of a CSV download: a longer period is refused (ask for it in parts).
pub const MAX_CSV_ROWS: usize = 1_000_000;
/// Intervals shown when a question names none: a day of 15-minute intervals.
const DEFAULT_INTERVALS: u64 = 96;

/// What the server answers from.
pub struct Served {
	/// The index, read through connections of the server's own.
	pub pool: AnyPool,
	/// The node, for live order books and its finalized block.
	pub node: Node,
	pub metrics: Arc<Metrics>,
	/// The chain's settlement interval, in seconds.
	pub interval_seconds: u64,
	/// Why indexing stopped, if it did.
	pub stopped: &'static Mutex<Option<String>>,
	/// One CSV download built at a time (each is held in memory, up to `MAX_CSV_ROWS` rows):
	/// others wait their turn.
	pub downloads: Semaphore,
}

impl IntoResponse for ApiError {
	fn into_response(self) -> Response {
		let (status, message) = match self {
			ApiError::BadRequest(m) => (StatusCode::BAD_REQUEST, m),
			ApiError::NotFound(m) => (StatusCode::NOT_FOUND, m),
			ApiError::Internal(m) => (StatusCode::INTERNAL_SERVER_ERROR, m),
		};
		(status, Json(json!({ "error": message }))).into_response()
	}
}

type Shared = State<Arc<Served>>;
type Answer = Result<Json<Value>, ApiError>;

/// The query, or a 400 that says what is wrong with it.
fn query<T>(query: Result<Query<T>, QueryRejection>) -> Result<T, ApiError> {
	query.map(|Query(q)| q).map_err(|e| ApiError::BadRequest(e.body_text()))
}

/// The path's parameter (a zone, a meter), or a 400 that says what is wrong with it.
fn path<T>(path: Result<Path<T>, PathRejection>) -> Result<T, ApiError> {
	path.map(|Path(p)| p).map_err(|e| ApiError::BadRequest(e.body_text()))
}

/// The dashboard and the API.
pub fn router(served: Arc<Served>) -> Router {
	let file = |kind: &'static str, body: &'static str| {
		get(move || async move { ([(header::CONTENT_TYPE, kind)], body) })
	};
	Router::new()
		.route("/", file("text/html; charset=utf-8", include_str!("../web/index.html")))
		.route("/app.js", file("text/javascript", include_str!("../web/app.js")))
		.route("/style.css", file("text/css", include_str!("../web/style.css")))
		.route("/metrics", get(metrics))
		.route("/api/status", get(status))
		.route("/api/zones", get(zones))
		.route("/api/zones/:zone/intervals", get(intervals))
		.route("/api/zones/:zone/totals", get(totals))
		.route("/api/zones/:zone/trades", get(trades))
		.route("/api/zones/:zone/book", get(book))
		.route("/api/meters/:meter", get(meter))
		.route("/api/accounts/:account", get(account))
		.route("/api/trades.csv", get(trades_csv))
		.route("/api/readings.csv", get(readings_csv))
		.with_state(served)
}

/// Serves `served` on `listener` for ever, and asks the node for its finalized block every
/// few seconds (the metrics' lag).
pub async fn serve(listener: tokio::net::TcpListener, served: Arc<Served>) -> Result<(), String> {
	let (node, metrics) = (served.node.clone(), served.metrics.clone());
	tokio::spawn(async move {
		loop {
			if let Ok(finalized) = node.finalized_number().await {
				metrics.finalized.set(finalized.into());
			}
			tokio::time::sleep(Duration::from_secs(5)).await;
		}
	});
	axum::serve(listener, router(served)).await.map_err(|e| format!("the dashboard: {e}"))
}

async fn metrics(State(s): Shared) -> Result<String, ApiError> {
	s.metrics.render().map_err(ApiError::Internal)
}

async fn status(State(s): Shared) -> Answer {
	let mut status = api::status(&s.pool).await?;
	let finalized = s.metrics.finalized.get();
	let height = status["height"].as_i64().unwrap_or_default();
	status["finalized"] = json!(finalized);
	status["lagBlocks"] = json!(finalized.saturating_sub(height).max(0));
	status["intervalSeconds"] = json!(s.interval_seconds);
	status["tokenDecimals"] = json!(s.node.decimals().ok().map(|d| d.0));
	status["stopped"] = json!(s.stopped.lock().map(|e| e.clone()).unwrap_or_default());
	Ok(Json(status))
}

async fn zones(State(s): Shared) -> Answer {
	Ok(Json(api::zones(&s.pool).await?))
}

/// A range of settlement intervals (of a zone: by default the last day's up to the index's
/// latest; of a meter: by default all).
#[derive(Deserialize)]
struct Intervals {
	from: Option<u64>,
	to: Option<u64>,
}

impl Intervals {
	async fn range(&self, s: &Served) -> Result<Range, ApiError> {
		let latest = api::latest_time(&s.pool).await?;
		let latest = u64::try_from(latest).unwrap_or_default() / 1000 / s.interval_seconds.max(1);
		let to = self.to.unwrap_or(latest);
		Range::new(self.from.unwrap_or(to.saturating_sub(DEFAULT_INTERVALS - 1)), to)
	}
}

async fn intervals(
	State(s): Shared,
	zone: Result<Path<u32>, PathRejection>,
	q: Result<Query<Intervals>, QueryRejection>,
) -> Answer {
	let (zone, range) = (path(zone)?, query(q)?.range(&s).await?);
	Ok(Json(api::intervals(&s.pool, zone, range, s.interval_seconds).await?))
}

async fn totals(
	State(s): Shared,
	zone: Result<Path<u32>, PathRejection>,
	q: Result<Query<Intervals>, QueryRejection>,
) -> Answer {
	let (zone, range) = (path(zone)?, query(q)?.range(&s).await?);
	Ok(Json(api::totals(&s.pool, zone, range, s.interval_seconds).await?))
}

#[derive(Deserialize)]
struct Limit {
	limit: Option<u32>,
}

async fn trades(
	State(s): Shared,
	zone: Result<Path<u32>, PathRejection>,
	q: Result<Query<Limit>, QueryRejection>,
) -> Answer {
	let (zone, limit) = (path(zone)?, query(q)?.limit.unwrap_or(50));
	if limit > 1000 {
		return Err(ApiError::BadRequest(format!("limit is at most 1000, not {limit}")));
	}
	Ok(Json(api::recent_trades(&s.pool, zone, limit).await?))
}

/// The zone's order book now, from the node (`energy_orderBook` at its best block).
async fn book(State(s): Shared, zone: Result<Path<u32>, PathRejection>) -> Answer {
	let zone = path(zone)?;
	let book = s.node.call("energy_orderBook", vec![json!(zone)]).await;
	book.map(Json).map_err(|e| match e.contains(&format!("zone {zone} does not exist")) {
		true => ApiError::NotFound(format!("no zone {zone}")),
		false => ApiError::Internal(e),
	})
}

async fn meter(
	State(s): Shared,
	meter: Result<Path<u64>, PathRejection>,
	q: Result<Query<Intervals>, QueryRejection>,
) -> Answer {
	// Any span: a meter's readings are a row an interval at most, the newest MAX_ROWS.
	let (meter, q) = (path(meter)?, query(q)?);
	let (from, to) = (q.from.unwrap_or(0), q.to.unwrap_or(i64::MAX as u64));
	if from > to {
		return Err(ApiError::BadRequest(format!("from ({from}) is after to ({to})")));
	}
	Ok(Json(api::meter(&s.pool, meter, Range { from, to }).await?))
}

/// A period of block times, in ms since the Unix epoch: `fromMs` included, `toMs` not.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Period {
	from_ms: Option<i64>,
	to_ms: Option<i64>,
}

impl Period {
	fn bounds(&self) -> Result<(i64, i64), ApiError> {
		let (from, to) = (self.from_ms.unwrap_or(0), self.to_ms.unwrap_or(i64::MAX));
		if from >= to {
			return Err(ApiError::BadRequest(format!("fromMs ({from}) is not before toMs ({to})")));
		}
		Ok((from, to))
	}
}

async fn account(
	State(s): Shared,
	Path(account): Path<String>,
	q: Result<Query<Period>, QueryRejection>,
) -> Answer {
	let (from, to) = query(q)?.bounds()?;
	Ok(Json(api::statement(&s.pool, &account, from, to).await?))
}

/// The rows of `table` (one of `rows`': its name and columns, `block` and `idx` first) of the
/// blocks of a period, oldest first, as a CSV file: `block`, the block's `time_ms`, the rest of
/// the table's columns, and, with `zone`, the zone of the row's `meter`.
async fn csv(
	s: &Served,
	q: Result<Query<Period>, QueryRejection>,
	(table, columns): (&'static str, &'static [&'static str]),
	zone: bool,
) -> Result<Response, ApiError> {
	let (from, to) = query(q)?.bounds()?;
	let _turn = s.downloads.acquire().await.map_err(|e| ApiError::Internal(e.to_string()))?;
	let rest = columns.get(2..).unwrap_or_default();
	let mut header = [&["block", "time_ms"][..], rest].concat();
	let mut selected: Vec<_> = rest.iter().map(|c| format!("x.\"{c}\"")).collect();
	let mut join = String::new();
	if zone {
		header.push("zone");
		selected.push("m.zone".into());
		join = " LEFT JOIN meters m ON m.meter = x.meter".into();
	}
	let sql = format!(
		"SELECT x.block, b.time_ms, {} FROM {table} x JOIN blocks b ON b.number = x.block{join} \
		 WHERE b.time_ms >= $1 AND b.time_ms < $2 ORDER BY x.block, x.idx",
		selected.join(", ")
	);
	let failed = |e: sqlx::Error| ApiError::Internal(format!("the index: {e}"));
	let written = |e: csv::Error| ApiError::Internal(format!("the CSV: {e}"));
	let mut out = csv::Writer::from_writer(Vec::new());
	out.write_record(&header).map_err(written)?;
	// Built from the schema's static table and column names only; the period is bound.
	let mut rows = sqlx::query(AssertSqlSafe(sql)).bind(from).bind(to).fetch(&s.pool);
	let mut count = 0;
	while let Some(row) = rows.try_next().await.map_err(failed)? {
		count += 1;
		if count > MAX_CSV_ROWS {
			return Err(ApiError::BadRequest(format!(
				"the period holds more than {MAX_CSV_ROWS} rows: ask for it in shorter parts"
			)));
		}
		let cells = (0..header.len()).map(|i| cell(&row, i)).collect::<Result<Vec<_>, _>>();
		out.write_record(cells.map_err(failed)?).map_err(written)?;
	}
	let body = out.into_inner().map_err(|e| ApiError::Internal(e.to_string()))?;
	let disposition = format!("attachment; filename=\"{table}-{from}-{to}.csv\"");
	let headers = [
		(header::CONTENT_TYPE, "text/csv".to_string()),
		(header::CONTENT_DISPOSITION, disposition),
	];
	Ok((headers, body).into_response())
}

/// A cell as text: an integer, a text, or empty for NULL.
fn cell(row: &sqlx::any::AnyRow, i: usize) -> Result<String, sqlx::Error> {
	if let Ok(n) = row.try_get::<Option<i64>, _>(i) {
		return Ok(n.map(|n| n.to_string()).unwrap_or_default());
	}
	Ok(row.try_get::<Option<String>, _>(i)?.unwrap_or_default())
}

async fn trades_csv(
	State(s): Shared,
	q: Result<Query<Period>, QueryRejection>,
) -> Result<Response, ApiError> {
	csv(&s, q, rows::TRADES, false).await
}

async fn readings_csv(
	State(s): Shared,
	q: Result<Query<Period>, QueryRejection>,
) -> Result<Response, ApiError> {
	csv(&s, q, rows::READINGS, true).await
}
