//! The indexer's JSON API and dashboard (`peergrid-indexer --listen`), asked as a regulator's
//! tools ask them: its zones' trades and totals and its traders' statements equal what the
//! chain's events say up to the same block, as `peergrid export` decodes them apart from the
//! indexer (the chain keeps no other record of trades), its order books are the chain's, its CSV
//! downloads hold every row, bad questions get a precise error, `/metrics` says how far it got,
//! and the dashboard opens in headless Chromium (Debian's, driven by playwright-core) with its
//! zones, charts, order book, trades, a meter's history and an account's statement, keeping a
//! screenshot.

use crate::{
	common::{cli_binary, free_port, Node},
	indexer::indexer,
};
use peergrid_client::amount::Decimals;
use serde_json::{json, Value};
use std::{
	collections::{BTreeMap, BTreeSet},
	path::Path,
	process::{Child, Command, Stdio},
	time::{Duration, Instant},
};

/// An indexer following the node into `database` and serving its dashboard; killed when
/// dropped.
pub struct Dashboard {
	child: Child,
	pub base: String,
}

impl Dashboard {
	pub fn start(url: &str, database: &str) -> Dashboard {
		let address = format!("127.0.0.1:{}", free_port());
		let child = Command::new(indexer())
			.args(["--url", url, "--database", database, "--listen", &address])
			.stderr(Stdio::null())
			.spawn()
			.expect("peergrid-indexer starts");
		Dashboard { child, base: format!("http://{address}") }
	}

	/// GET `path`: the HTTP status and the body.
	pub fn get(&self, path: &str) -> (u16, String) {
		let url = format!("{}{path}", self.base);
		let output = Command::new("curl")
			.args(["--silent", "--max-time", "30", "--write-out", "\n%{http_code}", &url])
			.output()
			.expect("curl runs");
		let text = String::from_utf8_lossy(&output.stdout).into_owned();
		let (body, status) = text.rsplit_once('\n').unwrap_or(("", "0"));
		(status.parse().unwrap_or(0), body.to_string())
	}

	/// GET `path`, which must answer 200 with JSON.
	pub fn json(&self, path: &str) -> Value {
		let (status, body) = self.get(path);
		assert_eq!(status, 200, "GET {path}: {body}");
		serde_json::from_str(&body).unwrap_or_else(|e| panic!("GET {path}: {e}: {body}"))
	}

	/// Waits until the index holds block `number`: the block it holds then.
	pub async fn wait_for(&self, number: u64) -> u64 {
		let deadline = Instant::now() + Duration::from_secs(120);
		loop {
			let (status, body) = self.get("/api/status");
			let height =
				serde_json::from_str::<Value>(&body).ok().and_then(|s| s["height"].as_u64());
			if status == 200 && height >= Some(number) {
				return height.unwrap_or_default();
			}
			assert!(Instant::now() < deadline, "the index never reached block {number}: {body}");
			tokio::time::sleep(Duration::from_millis(500)).await;
		}
	}
}

impl Dashboard {
	/// Waits until `/api/status` says indexing stopped: why.
	pub async fn stopped(&self) -> String {
		let deadline = Instant::now() + Duration::from_secs(120);
		loop {
			let (_, body) = self.get("/api/status");
			let status = serde_json::from_str::<Value>(&body).unwrap_or_default();
			if let Some(why) = status["stopped"].as_str() {
				return why.to_string();
			}
			assert!(Instant::now() < deadline, "indexing never stopped: {body}");
			tokio::time::sleep(Duration::from_millis(500)).await;
		}
	}
}

impl Drop for Dashboard {
	fn drop(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
	}
}

/// `peergrid export WHAT` (`trades` or `readings`) of blocks 1 to `to`: the rows of its CSV,
/// header left out, each split into its fields (none holds a comma).
fn export(node: &Node, what: &str, to: u64) -> Vec<Vec<String>> {
	let output = Command::new(cli_binary())
		.args(["--url", &node.url(), "export", what, "--to-block", &to.to_string()])
		.output()
		.expect("peergrid runs");
	let (csv, stderr) =
		(String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
	assert!(output.status.success(), "export {what}: {stderr}");
	csv.lines().skip(1).map(|line| line.split(',').map(String::from).collect()).collect()
}

/// The chain's trades of blocks 1 to `to`, oldest first, as `peergrid export trades` decodes
/// them from the `Market.Trade` events, in the JSON of the index's trades (without `seq`):
/// prices in planck, from the export's GRID.
fn chain_trades(node: &Node, to: u64, decimals: Decimals) -> Vec<Value> {
	let in_planck = |grid: &str| decimals.parse(grid).expect("a price in GRID").to_string();
	let rows = export(node, "trades", to);
	rows.iter()
		.map(|r| {
			json!({
				"block": number(&r[0]),
				"timestamp": number(&r[1]),
				"buyOrder": number(&r[2]),
				"sellOrder": number(&r[3]),
				"buyer": r[4],
				"seller": r[5],
				"buyerZone": number(&r[6]),
				"sellerZone": number(&r[7]),
				"amountWh": number(&r[8]),
				"price": in_planck(&r[9]),
				"fee": in_planck(&r[10]),
			})
		})
		.collect()
}

/// A number of the CSV.
fn number(text: &str) -> u64 {
	text.parse().unwrap_or_else(|e| panic!("{text:?}: {e}"))
}

/// A JSON number.
fn n(v: &Value) -> u64 {
	v.as_u64().unwrap_or_else(|| panic!("{v} is not a number"))
}

/// An amount of planck as the API writes it: decimal text.
fn planck(v: &Value) -> u128 {
	v.as_str().and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("{v} is not an amount"))
}

/// What a trade of `amount_wh` at `price` per kWh is worth, as the market pays it (and the
/// index counts it): the price per Wh, rounded down, times the energy.
fn value(amount_wh: u64, price: u128) -> u128 {
	u128::from(amount_wh) * (price / 1000)
}

/// Checks the API against the chain, once the index holds block `indexed`; `chromium`: also
/// opens the dashboard in headless Chromium.
pub async fn check(node: &Node, dashboard: &Dashboard, indexed: u64, chromium: bool) {
	let height = dashboard.wait_for(indexed).await;
	let status = dashboard.json("/api/status");
	let interval = status["timeMs"].as_u64().expect("timeMs") / 1000 / 900;
	assert_eq!(status["intervalSeconds"], json!(900), "{status}");
	let decimals = Decimals(n(&status["tokenDecimals"]) as u32);

	// The chain's events up to that block, decoded by the client apart from the indexer: its
	// trades, its accepted readings, and the zone of each meter that read.
	let trades = chain_trades(node, height, decimals);
	// The load's 10 trades.
	assert_eq!(trades.len(), 10, "{trades:?}");
	let readings: Vec<_> =
		export(node, "readings", height).into_iter().filter(|r| r[5] == "accepted").collect();
	let meters: BTreeSet<&String> = readings.iter().map(|r| &r[2]).collect();
	let mut zone_of = BTreeMap::new();
	for meter in meters {
		let registered = node.call("energy_meter", json!([number(meter)])).await;
		zone_of.insert(meter.clone(), n(&registered["zone"]));
	}

	// Every zone: its trades and totals as the chain's events make them, its book as the chain
	// holds it.
	let zones = dashboard.json("/api/zones")["zones"].as_array().expect("zones").clone();
	assert!(zones.len() >= 2, "{zones:?}");
	let mut metered = 0;
	for zone in zones.iter().map(|z| n(&z["zone"])) {
		// A trade between two zones is each zone's; `seq` counts the zone's trades from 0.
		let of_zone: Vec<&Value> = trades
			.iter()
			.filter(|t| n(&t["buyerZone"]) == zone || n(&t["sellerZone"]) == zone)
			.collect();
		let mut listed: Vec<Value> = of_zone
			.iter()
			.enumerate()
			.map(|(seq, t)| {
				let mut t = (*t).clone();
				t["seq"] = json!(seq);
				t
			})
			.collect();
		listed.reverse();
		listed.truncate(50);
		let path = format!("/api/zones/{zone}/trades?limit=50");
		assert_eq!(dashboard.json(&path), Value::Array(listed), "{path}");

		// Readings by the interval they close, trades by the interval of their block's time.
		let (from, to) = (interval - 100, interval);
		let within = |i: u64| (from..=to).contains(&i);
		let read: Vec<_> =
			readings.iter().filter(|r| zone_of[&r[2]] == zone && within(number(&r[3]))).collect();
		let sum = |column: usize| read.iter().map(|r| number(&r[column])).sum::<u64>();
		let traded: Vec<_> = of_zone.iter().filter(|t| within(n(&t["timestamp"]) / 900)).collect();
		let energy = |side: &str| {
			traded.iter().filter(|t| n(&t[side]) == zone).map(|t| n(&t["amountWh"])).sum::<u64>()
		};
		let worth: u128 =
			traded.iter().map(|t| value(n(&t["amountWh"]), planck(&t["price"]))).sum();
		let expected = json!({
			"zone": zone,
			"from": from,
			"to": to,
			"readings": read.len(),
			"exportedWh": sum(10),
			"importedWh": sum(9),
			"trades": traded.len(),
			"soldWh": energy("sellerZone"),
			"boughtWh": energy("buyerZone"),
			"value": worth.to_string(),
		});
		let path = format!("/api/zones/{zone}/totals?from={from}&to={to}");
		assert_eq!(dashboard.json(&path), expected, "{path}");
		metered += read.len();
		let book = dashboard.json(&format!("/api/zones/{zone}/book"));
		assert_eq!(book, node.call("energy_orderBook", json!([zone])).await);
	}
	// The load's 64 readings.
	assert_eq!(metered, 64);

	// A trader's statement: what it bought (the price and the grid fee paid) and sold (the
	// price received), as the chain's trades add up.
	let trade = trades[0].clone();
	for (who, kind) in [("buyer", "bought"), ("seller", "sold")] {
		let account = trade[who].as_str().expect("an account");
		let statement = dashboard.json(&format!("/api/accounts/{account}"));
		let entries = statement["entries"].as_array().expect("entries");
		let of_kind = entries.iter().filter(|e| e["kind"] == kind);
		let energy: u64 = of_kind.clone().map(|e| n(&e["amountWh"])).sum();
		let money: u128 = of_kind.map(|e| planck(&e["money"])).sum();
		// A trade with itself is a purchase in a statement.
		let theirs = trades.iter().filter(|t| match kind {
			"bought" => t["buyer"] == account,
			_ => t["seller"] == account && t["buyer"] != account,
		});
		let chain_energy: u64 = theirs.clone().map(|t| n(&t["amountWh"])).sum();
		let chain_money: u128 = theirs
			.map(|t| {
				let fee = if kind == "bought" { planck(&t["fee"]) } else { 0 };
				value(n(&t["amountWh"]), planck(&t["price"])) + value(n(&t["amountWh"]), fee)
			})
			.sum();
		assert!(chain_energy > 0, "{account} {kind} nothing");
		assert_eq!((energy, money), (chain_energy, chain_money), "{account}: {statement}");
	}

	// CSV downloads: a header and every row of the index.
	let (status, csv) = dashboard.get("/api/trades.csv");
	assert_eq!((status, csv.lines().count()), (200, 11), "{csv}");
	assert!(csv.starts_with("block,time_ms,buy_order,sell_order,buyer,seller"), "{csv}");
	let (status, csv) = dashboard.get("/api/readings.csv");
	assert_eq!((status, csv.lines().count()), (200, 65), "{csv}");
	let meter = csv.lines().nth(1).and_then(|l| l.split(',').nth(2)).expect("a meter").to_string();
	let history = dashboard.json(&format!("/api/meters/{meter}"));
	assert_eq!(history["readings"].as_array().map(Vec::len), Some(4), "{history}");

	// Bad questions: a precise error each.
	for (path, expected, error) in [
		("/api/zones/999/totals", 404, "no zone 999"),
		("/api/zones/0/totals?from=5&to=1", 400, "from (5) is after to (1)"),
		("/api/zones/0/totals?from=0&to=9000", 400, "a range spans at most 8832 intervals"),
		("/api/zones/0/trades?limit=5000", 400, "limit is at most 1000, not 5000"),
		("/api/zones/0/trades?limit=many", 400, "invalid digit"),
		("/api/meters/99999", 404, "no meter 99999"),
		("/api/zones/north/book", 400, "Cannot parse"),
		("/api/zones/999/book", 404, "no zone 999"),
		("/api/accounts/bob", 400, "is not an SS58 address"),
		("/api/trades.csv?fromMs=5&toMs=1", 400, "fromMs (5) is not before toMs (1)"),
	] {
		let (status, body) = dashboard.get(path);
		assert!(status == expected && body.contains(error), "GET {path}: {status} {body}");
	}

	// The metrics: how far it got, and the rows of a block it indexed since it started.
	let height = dashboard.wait_for(height + 1).await;
	let (_, metrics) = dashboard.get("/metrics");
	for line in [
		"peergrid_indexer_rows_total{table=\"blocks\"} ",
		"peergrid_indexer_rows_total{table=\"events\"} ",
		"peergrid_indexer_drift 0",
		"peergrid_indexer_stopped 0",
	] {
		assert!(metrics.contains(line), "no {line} in {metrics}");
	}
	let metric = |name: &str| {
		let line = metrics.lines().find(|l| l.starts_with(&format!("{name} ")));
		line.and_then(|l| l.split(' ').nth(1)?.parse::<u64>().ok()).expect(name)
	};
	assert!(metric("peergrid_indexer_height") >= height, "{metrics}");
	assert!(metric("peergrid_indexer_blocks_total") >= 1, "{metrics}");

	if chromium {
		let trader = trade["buyer"].as_str().expect("an account");
		open_in_chromium(dashboard, &meter, trader);
	}
}

/// Opens the dashboard in headless Chromium (`scripts/js/check-dashboard.cjs`) and keeps its
/// screenshot in cargo's temporary directory.
fn open_in_chromium(dashboard: &Dashboard, meter: &str, account: &str) {
	let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("node/ is in the repository");
	let screenshot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("dashboard.png");
	let output = Command::new("node")
		.args(["scripts/js/check-dashboard.cjs", &format!("{}/", dashboard.base), meter, account])
		.arg(&screenshot)
		.current_dir(root)
		.output()
		.expect("node runs (scripts/setup.sh installs it)");
	let (stdout, stderr) =
		(String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
	assert!(output.status.success(), "the dashboard in Chromium:\n{stdout}\n{stderr}");
	let seen: Value = serde_json::from_str(stdout.trim()).expect("what it saw, as JSON");
	assert!(seen["zones"].as_array().is_some_and(|z| z.len() >= 2), "{seen}");
	assert!(seen["pricePoints"].as_u64() >= Some(1), "{seen}");
	assert!(seen["volumeBars"].as_u64() >= Some(1), "{seen}");
	assert!(seen["trades"].as_u64() >= Some(1), "{seen}");
	assert_eq!(seen["meterReadings"], json!(4), "{seen}");
	assert!(seen["statementEntries"].as_u64() >= Some(1), "{seen}");
	assert_eq!(seen["errors"], json!([]), "{seen}");
	assert!(std::fs::metadata(&screenshot).is_ok_and(|m| m.len() > 10_000), "no screenshot");
	println!("the dashboard's screenshot: {}", screenshot.display());
}
