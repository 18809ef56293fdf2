//! The indexer's JSON API and dashboard (`peergrid-indexer --listen`), asked as a regulator's
//! tools ask them: its answers equal the chain's own `energy_` methods at the same block
//! (`recentTrades`, `zoneTotals`, an account's position), its CSV downloads hold every row, bad
//! questions get a precise error, `/metrics` says how far it got, and the dashboard opens in
//! headless Chromium (Debian's, driven by playwright-core) with its zones, charts, order book,
//! trades, a meter's history and an account's statement, keeping a screenshot.

use crate::{
	common::{free_port, Node},
	indexer::indexer,
};
use serde_json::{json, Value};
use std::{
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

/// Checks the API against the chain, once the index holds block `indexed`; `chromium`: also
/// opens the dashboard in headless Chromium.
pub async fn check(node: &Node, dashboard: &Dashboard, indexed: u64, chromium: bool) {
	let height = dashboard.wait_for(indexed).await;
	let at = node.call("chain_getBlockHash", json!([height])).await;
	let status = dashboard.json("/api/status");
	let interval = status["timeMs"].as_u64().expect("timeMs") / 1000 / 900;
	assert_eq!(status["intervalSeconds"], json!(900), "{status}");

	// Every zone: its trades and totals as the chain's own methods answer them at that block.
	let zones = dashboard.json("/api/zones")["zones"].as_array().expect("zones").clone();
	assert!(zones.len() >= 2, "{zones:?}");
	let (mut readings, mut trades, mut trade) = (0, 0, None);
	for zone in zones.iter().map(|z| z["zone"].as_u64().expect("zone id")) {
		let chain = node.call("energy_recentTrades", json!([zone, 50, at])).await;
		assert_eq!(dashboard.json(&format!("/api/zones/{zone}/trades?limit=50")), chain);
		trades += chain.as_array().expect("trades").len();
		trade = trade.or_else(|| chain.get(0).cloned());
		let (from, to) = (interval - 100, interval);
		let chain = node.call("energy_zoneTotals", json!([zone, from, to, at])).await;
		let path = format!("/api/zones/{zone}/totals?from={from}&to={to}");
		assert_eq!(dashboard.json(&path), chain, "{path}");
		readings += chain["readings"].as_u64().expect("readings");
		let book = dashboard.json(&format!("/api/zones/{zone}/book"));
		assert_eq!(book, node.call("energy_orderBook", json!([zone])).await);
	}
	// The load's 64 readings and its 10 trades (a trade across zones is each zone's).
	assert_eq!(readings, 64);
	assert!(trades >= 10, "{trades} trades");

	// A trader's statement adds up to what the chain keeps of it.
	let trade = trade.expect("a trade");
	for (who, kind, wh, money) in
		[("buyer", "bought", "boughtWh", "paid"), ("seller", "sold", "soldWh", "received")]
	{
		let account = trade[who].as_str().expect("an account");
		let position = node.call("energy_account", json!([account, at])).await;
		let statement = dashboard.json(&format!("/api/accounts/{account}"));
		let entries = statement["entries"].as_array().expect("entries");
		let of_kind = entries.iter().filter(|e| e["kind"] == kind);
		let energy: u64 = of_kind.clone().map(|e| e["amountWh"].as_u64().expect("Wh")).sum();
		let paid: u128 = of_kind
			.map(|e| e["money"].as_str().expect("money").parse::<u128>().expect("planck"))
			.sum();
		assert_eq!(json!(energy), position[wh], "{account}: {statement}");
		assert_eq!(json!(paid.to_string()), position[money], "{account}: {statement}");
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
