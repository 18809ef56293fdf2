//! The answers of the indexer's JSON API (docs/indexer.md documents each), read from the index
//! only: the same on SQLite and PostgreSQL. Money is in planck as decimal text (a u128),
//! summed in Rust, never in the database's floats; energy in Wh.

use futures::TryStreamExt;
use peergrid_client::api::AccountId;
use serde_json::{json, Value};
use sqlx::{any::AnyRow, AnyPool, Row};
use std::collections::BTreeMap;

/// The most intervals one question spans: 92 days of 15-minute intervals, a quarter.
pub const MAX_INTERVALS: u64 = 8_832;
/// The most rows of a list (a meter's readings, an account's statement).
pub const MAX_ROWS: i64 = 10_000;

/// Why the API has no answer.
#[derive(Debug, PartialEq)]
pub enum ApiError {
	/// The question is wrong (HTTP 400).
	BadRequest(String),
	/// What it asks of is not in the index (HTTP 404).
	NotFound(String),
	/// The index could not answer (HTTP 500).
	Internal(String),
}

pub type Answer<T = Value> = Result<T, ApiError>;

fn failed(e: sqlx::Error) -> ApiError {
	ApiError::Internal(format!("the index: {e}"))
}

fn bad(message: impl Into<String>) -> ApiError {
	ApiError::BadRequest(message.into())
}

/// Column `i` of `row`, as `T`.
fn get<'r, T: sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>>(
	row: &'r AnyRow,
	i: usize,
) -> Answer<T> {
	row.try_get(i).map_err(failed)
}

/// An amount of planck, kept as decimal text in the index.
fn planck(row: &AnyRow, i: usize) -> Answer<u128> {
	let text: String = get(row, i)?;
	text.parse().map_err(|_| ApiError::Internal(format!("{text:?} is not an amount")))
}

fn wh(row: &AnyRow, i: usize) -> Answer<u64> {
	let n: i64 = get(row, i)?;
	u64::try_from(n).map_err(|_| ApiError::Internal(format!("negative energy {n} in the index")))
}

/// A number as the database's BIGINT: an error if it does not fit.
fn bigint(n: u64) -> Answer<i64> {
	i64::try_from(n).map_err(|_| bad(format!("{n} is too large")))
}

/// What a trade is worth to its seller: as the market pays, the price per kWh taken to a
/// price per Wh first.
fn value(amount_wh: u64, price_per_kwh: u128) -> u128 {
	u128::from(amount_wh).saturating_mul(price_per_kwh / 1000)
}

/// The last block indexed and the index's credit totals.
pub async fn status(pool: &AnyPool) -> Answer {
	let sql = "SELECT number, hash, time_ms, spec_version, credits_minted_wh, credits_retired_wh, \
	           (SELECT MIN(number) FROM blocks) FROM blocks ORDER BY number DESC LIMIT 1";
	let Some(row) = sqlx::query(sql).fetch_optional(pool).await.map_err(failed)? else {
		return Ok(json!({ "height": null }));
	};
	Ok(json!({
		"height": get::<i64>(&row, 0)?,
		"hash": get::<String>(&row, 1)?,
		"timeMs": get::<i64>(&row, 2)?,
		"specVersion": get::<i64>(&row, 3)?,
		"creditsMintedWh": get::<i64>(&row, 4)?,
		"creditsRetiredWh": get::<i64>(&row, 5)?,
		"firstBlock": get::<i64>(&row, 6)?,
	}))
}

/// The time of the last block indexed, in ms (0 if none).
pub async fn latest_time(pool: &AnyPool) -> Answer<i64> {
	let sql = "SELECT time_ms FROM blocks ORDER BY number DESC LIMIT 1";
	let row = sqlx::query(sql).fetch_optional(pool).await.map_err(failed)?;
	row.map_or(Ok(0), |row| get(&row, 0))
}

/// The first block at or after `time_ms` (past the last if none).
async fn first_block_since(pool: &AnyPool, time_ms: i64) -> Answer<i64> {
	let sql = "SELECT COALESCE(MIN(number), (SELECT COALESCE(MAX(number), 0) + 1 FROM blocks)) \
	           FROM blocks WHERE time_ms >= $1";
	let row = sqlx::query(sql).bind(time_ms).fetch_one(pool).await.map_err(failed)?;
	get(&row, 0)
}

/// Every zone with its meters, and its readings and trades over the last day of the index.
pub async fn zones(pool: &AnyPool) -> Answer {
	let since = first_block_since(pool, latest_time(pool).await? - 86_400_000).await?;
	let mut zones = BTreeMap::new();
	let sql = "SELECT z.zone, z.name, z.operator, (SELECT COUNT(*) FROM meters m WHERE m.zone = \
	           z.zone) FROM zones z ORDER BY z.zone";
	for row in sqlx::query(sql).fetch_all(pool).await.map_err(failed)? {
		let zone: i64 = get(&row, 0)?;
		let last = "SELECT price_per_kwh FROM trades WHERE seller_zone = $1 OR buyer_zone = $1 \
		            ORDER BY block DESC, idx DESC LIMIT 1";
		let last = sqlx::query(last).bind(zone).fetch_optional(pool).await.map_err(failed)?;
		let last_price = last.map(|row| planck(&row, 0)).transpose()?;
		zones.insert(
			zone,
			json!({
				"zone": zone,
				"name": get::<String>(&row, 1)?,
				"operator": get::<String>(&row, 2)?,
				"meters": get::<i64>(&row, 3)?,
				"lastPrice": last_price.map(|p| p.to_string()),
				"day": { "readings": 0, "exportedWh": 0, "importedWh": 0, "trades": 0,
						 "tradedWh": 0, "soldWh": 0, "boughtWh": 0, "value": "0" },
			}),
		);
	}
	let readings = "SELECT m.zone, COUNT(*), CAST(SUM(r.credits_minted_wh) AS BIGINT), \
	                CAST(SUM(r.consumed_wh) AS BIGINT) FROM readings r JOIN meters m ON m.meter \
	                = r.meter WHERE r.block >= $1 AND r.status = 'accepted' GROUP BY m.zone";
	for row in sqlx::query(readings).bind(since).fetch_all(pool).await.map_err(failed)? {
		if let Some(day) = zones.get_mut(&get::<i64>(&row, 0)?).map(|z| &mut z["day"]) {
			day["readings"] = json!(get::<i64>(&row, 1)?);
			day["exportedWh"] = json!(get::<i64>(&row, 2)?);
			day["importedWh"] = json!(get::<i64>(&row, 3)?);
		}
	}
	let trades = "SELECT seller_zone, buyer_zone, amount_wh, price_per_kwh FROM trades WHERE \
	              block >= $1";
	let mut traded: BTreeMap<i64, Traded> = BTreeMap::new();
	let mut rows = sqlx::query(trades).bind(since).fetch(pool);
	while let Some(row) = rows.try_next().await.map_err(failed)? {
		let (seller, buyer) = (get::<i64>(&row, 0)?, get::<i64>(&row, 1)?);
		let trade = (wh(&row, 2)?, planck(&row, 3)?);
		traded.entry(seller).or_default().add(trade, true, buyer == seller);
		if buyer != seller {
			traded.entry(buyer).or_default().add(trade, false, true);
		}
	}
	for (zone, traded) in traded {
		if let Some(day) = zones.get_mut(&zone).map(|z| &mut z["day"]) {
			day["trades"] = json!(traded.trades);
			day["tradedWh"] = json!(traded.volume_wh);
			day["soldWh"] = json!(traded.sold_wh);
			day["boughtWh"] = json!(traded.bought_wh);
			day["value"] = json!(traded.value.to_string());
		}
	}
	Ok(json!({ "sinceBlock": since, "zones": zones.into_values().collect::<Vec<_>>() }))
}

/// What a zone traded in an interval (or a range), as the market counts it: a trade counts
/// once for each zone it took part in, as the seller's or the buyer's zone.
#[derive(Clone, Copy, Debug, Default)]
struct Traded {
	trades: u64,
	sold_wh: u64,
	bought_wh: u64,
	/// The energy that changed hands: each trade's amount once.
	volume_wh: u64,
	/// What the trades were worth to their sellers.
	value: u128,
	/// Σ amount × price, for the volume-weighted price.
	weighted: u128,
	min: Option<u128>,
	max: Option<u128>,
}

impl Traded {
	fn add(&mut self, (amount, price): (u64, u128), sold: bool, bought: bool) {
		self.trades += 1;
		self.volume_wh = self.volume_wh.saturating_add(amount);
		if sold {
			self.sold_wh = self.sold_wh.saturating_add(amount);
		}
		if bought {
			self.bought_wh = self.bought_wh.saturating_add(amount);
		}
		self.value = self.value.saturating_add(value(amount, price));
		self.weighted = self.weighted.saturating_add(u128::from(amount).saturating_mul(price));
		self.min = Some(self.min.map_or(price, |m| m.min(price)));
		self.max = Some(self.max.map_or(price, |m| m.max(price)));
	}

	/// The volume-weighted price per kWh of the trades.
	fn average(&self) -> Option<u128> {
		(self.volume_wh > 0).then(|| self.weighted / u128::from(self.volume_wh))
	}
}

/// What a zone metered in an interval: accepted readings, exported and imported energy.
#[derive(Clone, Copy, Debug, Default)]
struct Metered {
	readings: u64,
	exported_wh: u64,
	imported_wh: u64,
}

/// The settlement intervals asked: `from..=to`, checked.
#[derive(Clone, Copy, Debug)]
pub struct Range {
	pub from: u64,
	pub to: u64,
}

impl Range {
	pub fn new(from: u64, to: u64) -> Answer<Range> {
		if from > to {
			return Err(bad(format!("from ({from}) is after to ({to})")));
		}
		if to - from >= MAX_INTERVALS {
			return Err(bad(format!("a range spans at most {MAX_INTERVALS} intervals")));
		}
		Ok(Range { from, to })
	}
}

/// The zone's name, or `NotFound`.
async fn zone_name(pool: &AnyPool, zone: u32) -> Answer<String> {
	let sql = "SELECT name FROM zones WHERE zone = $1";
	let row = sqlx::query(sql).bind(i64::from(zone)).fetch_optional(pool).await.map_err(failed)?;
	row.map(|row| get(&row, 0)).unwrap_or(Err(ApiError::NotFound(format!("no zone {zone}"))))
}

/// A zone's metering and trading in each interval of `range`; `seconds`: an interval's length.
async fn per_interval(
	pool: &AnyPool,
	zone: u32,
	range: Range,
	seconds: u64,
) -> Answer<BTreeMap<u64, (Metered, Traded)>> {
	zone_name(pool, zone).await?;
	let mut intervals: BTreeMap<u64, (Metered, Traded)> = BTreeMap::new();
	let readings = "SELECT r.\"interval\", COUNT(*), CAST(SUM(r.credits_minted_wh) AS BIGINT), \
	                CAST(SUM(r.consumed_wh) AS BIGINT) FROM readings r JOIN meters m ON m.meter \
	                = r.meter WHERE m.zone = $1 AND r.status = 'accepted' AND r.\"interval\" >= \
	                $2 AND r.\"interval\" <= $3 GROUP BY r.\"interval\"";
	let query = sqlx::query(readings).bind(i64::from(zone));
	let query = query.bind(bigint(range.from)?).bind(bigint(range.to)?);
	for row in query.fetch_all(pool).await.map_err(failed)? {
		let metered = Metered {
			readings: wh(&row, 1)?,
			exported_wh: wh(&row, 2)?,
			imported_wh: wh(&row, 3)?,
		};
		intervals.entry(wh(&row, 0)?).or_default().0 = metered;
	}
	// A trade settles in the interval of its block's time.
	let ms = seconds.saturating_mul(1000);
	let (start, end) =
		(range.from.saturating_mul(ms), range.to.saturating_add(1).saturating_mul(ms));
	let trades = "SELECT b.time_ms, t.seller_zone, t.buyer_zone, t.amount_wh, t.price_per_kwh \
	              FROM trades t JOIN blocks b ON b.number = t.block WHERE (t.seller_zone = $1 OR \
	              t.buyer_zone = $1) AND b.time_ms >= $2 AND b.time_ms < $3";
	let query = sqlx::query(trades).bind(i64::from(zone)).bind(bigint(start)?).bind(bigint(end)?);
	let mut rows = query.fetch(pool);
	while let Some(row) = rows.try_next().await.map_err(failed)? {
		let interval = wh(&row, 0)? / ms.max(1);
		let (seller, buyer) = (get::<i64>(&row, 1)?, get::<i64>(&row, 2)?);
		let trade = (wh(&row, 3)?, planck(&row, 4)?);
		let z = i64::from(zone);
		intervals.entry(interval).or_default().1.add(trade, seller == z, buyer == z);
	}
	Ok(intervals)
}

/// A zone's metering, trades, volume and prices in each interval of `range` that had any.
pub async fn intervals(pool: &AnyPool, zone: u32, range: Range, seconds: u64) -> Answer {
	let intervals = per_interval(pool, zone, range, seconds).await?;
	let intervals: Vec<_> = intervals
		.into_iter()
		.map(|(interval, (m, t))| {
			let price = |p: Option<u128>| p.map(|p| p.to_string());
			json!({
				"interval": interval,
				"startMs": interval.saturating_mul(seconds).saturating_mul(1000),
				"readings": m.readings,
				"exportedWh": m.exported_wh,
				"importedWh": m.imported_wh,
				"trades": t.trades,
				"tradedWh": t.volume_wh,
				"soldWh": t.sold_wh,
				"boughtWh": t.bought_wh,
				"value": t.value.to_string(),
				"averagePrice": price(t.average()),
				"minPrice": price(t.min),
				"maxPrice": price(t.max),
			})
		})
		.collect();
	Ok(json!({ "zone": zone, "from": range.from, "to": range.to, "intervals": intervals }))
}

/// A zone's totals over `range`, in the JSON of the former `energy_zoneTotals` (docs/rpc.md).
pub async fn totals(pool: &AnyPool, zone: u32, range: Range, seconds: u64) -> Answer {
	let (mut m, mut t) = (Metered::default(), Traded::default());
	for (metered, traded) in per_interval(pool, zone, range, seconds).await?.into_values() {
		m.readings += metered.readings;
		m.exported_wh = m.exported_wh.saturating_add(metered.exported_wh);
		m.imported_wh = m.imported_wh.saturating_add(metered.imported_wh);
		t.trades += traded.trades;
		t.sold_wh = t.sold_wh.saturating_add(traded.sold_wh);
		t.bought_wh = t.bought_wh.saturating_add(traded.bought_wh);
		t.value = t.value.saturating_add(traded.value);
	}
	Ok(json!({
		"zone": zone,
		"from": range.from,
		"to": range.to,
		"readings": m.readings,
		"exportedWh": m.exported_wh,
		"importedWh": m.imported_wh,
		"trades": t.trades,
		"soldWh": t.sold_wh,
		"boughtWh": t.bought_wh,
		"value": t.value.to_string(),
	}))
}

/// A zone's most recent trades, newest first, in the JSON of the former `energy_recentTrades`
/// (docs/rpc.md), with `seq` counted from the index's first block.
pub async fn recent_trades(pool: &AnyPool, zone: u32, limit: u32) -> Answer {
	zone_name(pool, zone).await?;
	let z = i64::from(zone);
	let count = "SELECT (SELECT COUNT(*) FROM trades WHERE seller_zone = $1) + (SELECT COUNT(*) \
	             FROM trades WHERE buyer_zone = $1 AND seller_zone <> $1)";
	// Both in one read transaction: a block written between them would shift every `seq`.
	let mut tx = pool.begin().await.map_err(failed)?;
	let count: i64 =
		get(&sqlx::query(count).bind(z).fetch_one(&mut *tx).await.map_err(failed)?, 0)?;
	let sql = "SELECT t.block, b.time_ms, t.buy_order, t.sell_order, t.buyer, t.seller, \
	           t.buyer_zone, t.seller_zone, t.amount_wh, t.price_per_kwh, t.fee_per_kwh FROM \
	           trades t JOIN blocks b ON b.number = t.block WHERE t.seller_zone = $1 OR \
	           t.buyer_zone = $1 ORDER BY t.block DESC, t.idx DESC LIMIT $2";
	let rows = sqlx::query(sql).bind(z).bind(i64::from(limit)).fetch_all(&mut *tx).await;
	let mut trades = Vec::new();
	for (back, row) in rows.map_err(failed)?.iter().enumerate() {
		trades.push(json!({
			"seq": count - 1 - back as i64,
			"block": get::<i64>(row, 0)?,
			"timestamp": get::<i64>(row, 1)? / 1000,
			"buyOrder": get::<i64>(row, 2)?,
			"sellOrder": get::<i64>(row, 3)?,
			"buyer": get::<String>(row, 4)?,
			"seller": get::<String>(row, 5)?,
			"buyerZone": get::<i64>(row, 6)?,
			"sellerZone": get::<i64>(row, 7)?,
			"amountWh": get::<i64>(row, 8)?,
			"price": planck(row, 9)?.to_string(),
			"fee": planck(row, 10)?.to_string(),
		}));
	}
	Ok(Value::Array(trades))
}

/// A meter as registered and its readings (accepted and rejected) of `range`, newest first.
pub async fn meter(pool: &AnyPool, meter: u64, range: Range) -> Answer {
	let sql = "SELECT zone, external_id, owner, kind, capacity_w FROM meters WHERE meter = $1";
	let row = sqlx::query(sql).bind(bigint(meter)?).fetch_optional(pool).await.map_err(failed)?;
	let row = row.ok_or_else(|| ApiError::NotFound(format!("no meter {meter}")))?;
	let sql = "SELECT r.block, b.time_ms, r.\"interval\", r.status, r.oracle, r.owner, \
	           r.imported_wh, r.exported_wh, r.consumed_wh, r.credits_minted_wh FROM readings r \
	           JOIN blocks b ON b.number = r.block WHERE r.meter = $1 AND r.\"interval\" >= $2 \
	           AND r.\"interval\" <= $3 ORDER BY r.\"interval\" DESC, r.block DESC LIMIT $4";
	let query = sqlx::query(sql).bind(bigint(meter)?).bind(bigint(range.from)?);
	let rows = query.bind(bigint(range.to)?).bind(MAX_ROWS).fetch_all(pool).await;
	let mut readings = Vec::new();
	for row in rows.map_err(failed)? {
		readings.push(json!({
			"block": get::<i64>(&row, 0)?,
			"timeMs": get::<i64>(&row, 1)?,
			"interval": get::<i64>(&row, 2)?,
			"status": get::<String>(&row, 3)?,
			"oracle": get::<String>(&row, 4)?,
			"owner": get::<Option<String>>(&row, 5)?,
			"importedWh": get::<Option<i64>>(&row, 6)?,
			"exportedWh": get::<Option<i64>>(&row, 7)?,
			"consumedWh": get::<Option<i64>>(&row, 8)?,
			"creditsMintedWh": get::<Option<i64>>(&row, 9)?,
		}));
	}
	Ok(json!({
		"meter": meter,
		"zone": get::<i64>(&row, 0)?,
		"externalId": get::<String>(&row, 1)?,
		"owner": get::<String>(&row, 2)?,
		"kind": get::<String>(&row, 3)?,
		"capacityW": get::<i64>(&row, 4)?,
		"readings": readings,
	}))
}

/// An account's statement over blocks of times `from_ms..to_ms`: every credit minted,
/// received, sent and retired, every trade and native transfer, oldest first, with totals.
pub async fn statement(pool: &AnyPool, account: &str, from_ms: i64, to_ms: i64) -> Answer {
	let who: AccountId =
		account.parse().map_err(|_| bad(format!("{account:?} is not an SS58 address")))?;
	let who = who.to_string();
	let (first, last) =
		(first_block_since(pool, from_ms).await?, first_block_since(pool, to_ms).await?);
	// Each source's newest rows as (block, idx, time, kind, counterparty, Wh, price or
	// amount, fee).
	let sources = [
		concat!(
		"SELECT c.block, c.idx, b.time_ms, CASE WHEN c.kind = 'transferred' AND c.counterparty = \
		 $1 THEN 'received' ELSE c.kind END, CASE WHEN c.account = $1 THEN c.counterparty ELSE \
		 c.account END, c.amount_wh, '0', '0' FROM credits c JOIN blocks b ON b.number = c.block \
		 WHERE (c.account = $1 OR c.counterparty = $1) AND c.block >= $2 AND c.block < $3",
		" ORDER BY 1 DESC, 2 DESC LIMIT $4"),
		concat!(
		"SELECT t.block, t.idx, b.time_ms, CASE WHEN t.buyer = $1 THEN 'bought' ELSE 'sold' END, \
		 CASE WHEN t.buyer = $1 THEN t.seller ELSE t.buyer END, t.amount_wh, t.price_per_kwh, \
		 t.fee_per_kwh FROM trades t JOIN blocks b ON b.number = t.block WHERE (t.buyer = $1 OR \
		 t.seller = $1) AND t.block >= $2 AND t.block < $3",
		" ORDER BY 1 DESC, 2 DESC LIMIT $4"),
		concat!(
		"SELECT t.block, t.idx, b.time_ms, CASE WHEN t.sender = $1 THEN 'paid' ELSE 'was paid' \
		 END, CASE WHEN t.sender = $1 THEN t.receiver ELSE t.sender END, 0, t.amount, '0' FROM \
		 transfers t JOIN blocks b ON b.number = t.block WHERE (t.sender = $1 OR t.receiver = \
		 $1) AND t.block >= $2 AND t.block < $3",
		" ORDER BY 1 DESC, 2 DESC LIMIT $4"),
	];
	let (mut entries, mut truncated) = (Vec::new(), false);
	for sql in sources {
		let query = sqlx::query(sql).bind(who.clone()).bind(first).bind(last).bind(MAX_ROWS);
		let rows = query.fetch_all(pool).await.map_err(failed)?;
		truncated |= rows.len() as i64 == MAX_ROWS;
		for row in rows {
			entries.push(entry(&row)?);
		}
	}
	// The newest MAX_ROWS of them all, oldest first.
	entries.sort_by_key(|(key, _)| std::cmp::Reverse(*key));
	truncated |= entries.len() as i64 > MAX_ROWS;
	entries.truncate(MAX_ROWS as usize);
	let entries: Vec<_> = entries.into_iter().rev().map(|(_, e)| e).collect();
	Ok(json!({
		"account": who,
		"fromBlock": first,
		"toBlock": last - 1,
		"truncated": truncated,
		"entries": entries,
	}))
}

/// An entry of a statement, with its (block, idx) to sort by.
fn entry(row: &AnyRow) -> Answer<((i64, i64), Value)> {
	let (block, idx) = (get::<i64>(row, 0)?, get::<i64>(row, 1)?);
	let kind: String = get(row, 3)?;
	let amount = wh(row, 5)?;
	let (price, fee) = (planck(row, 6)?, planck(row, 7)?);
	// What changed hands in money: a trade's value (and the buyer's grid fee), or a transfer.
	let money = match kind.as_str() {
		"bought" => value(amount, price).saturating_add(value(amount, fee)),
		"sold" => value(amount, price),
		"paid" | "was paid" => price,
		_ => 0,
	};
	Ok((
		(block, idx),
		json!({
			"block": block,
			"timeMs": get::<i64>(row, 2)?,
			"kind": kind,
			"counterparty": get::<Option<String>>(row, 4)?,
			"amountWh": amount,
			"money": money.to_string(),
		}),
	))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_trade_is_worth_its_energy_at_the_price_per_wh_the_market_pays() {
		// 1,500 Wh at 0.1999 GRID/kWh: the price per Wh is rounded down first, as the market does.
		assert_eq!(value(1_500, 199_900_000_000), 1_500 * 199_900_000);
		assert_eq!(value(1_500, 999), 0);
		assert_eq!(value(u64::MAX, u128::MAX), u128::MAX);
	}

	#[test]
	fn a_zone_counts_a_trade_once_as_seller_buyer_or_both() {
		let mut traded = Traded::default();
		traded.add((1_000, 100_000), true, true);
		traded.add((3_000, 200_000), true, false);
		traded.add((2_000, 50_000), false, true);
		assert_eq!((traded.trades, traded.sold_wh, traded.bought_wh), (3, 4_000, 3_000));
		assert_eq!(traded.value, 1_000 * 100 + 3_000 * 200 + 2_000 * 50);
		assert_eq!((traded.min, traded.max), (Some(50_000), Some(200_000)));
		// Σ amount × price over the energy that changed hands.
		assert_eq!(traded.volume_wh, 6_000);
		assert_eq!(traded.average(), Some((100_000_000 + 600_000_000 + 100_000_000) / 6_000));
		assert_eq!(Traded::default().average(), None);
	}

	#[test]
	fn a_range_is_in_order_and_at_most_a_quarter() {
		assert!(Range::new(5, 5).is_ok());
		assert!(Range::new(0, MAX_INTERVALS - 1).is_ok());
		let error = |from, to| Range::new(from, to).err();
		assert_eq!(error(6, 5), Some(bad("from (6) is after to (5)")));
		assert_eq!(error(0, MAX_INTERVALS), Some(bad("a range spans at most 8832 intervals")));
	}

	#[test]
	fn a_number_beyond_bigint_is_refused_not_wrapped() {
		assert_eq!(bigint(7), Ok(7));
		assert_eq!(bigint(u64::MAX), Err(bad(format!("{} is too large", u64::MAX))));
	}
}
