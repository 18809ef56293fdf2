//! Helpers for the end-to-end tests: start a real `peergrid-node` on free local ports, talk to
//! it as wallets, oracles and regulators do, through `peergrid-client` (its [`Client`] for
//! transactions, storage and events, subxt's JSON-RPC client for any method), stop it cleanly.
//! `curl` reads what an operator's tools read over HTTP: Prometheus' metrics and the
//! `energy_` methods as `docs/rpc.md` shows them.

#![allow(dead_code)]

use peergrid_client::{
	api::AccountId,
	node::Node as Client,
	subxt::{backend::rpc::RpcClient, ext::subxt_rpcs::client::RpcParams},
};
use serde_json::{json, Value};
use sp_keyring::Sr25519Keyring;
use std::{
	collections::BTreeSet,
	net::TcpListener,
	path::{Path, PathBuf},
	process::{Child, Command, ExitStatus, Stdio},
	sync::Mutex,
	time::{Duration, Instant},
};

/// Why a JSON-RPC call failed: the node's error (`User { code, message, data }`) or the
/// connection's.
pub type RpcError = peergrid_client::subxt::ext::subxt_rpcs::Error;

/// A development account, as the client library names accounts.
pub fn account(key: Sr25519Keyring) -> AccountId {
	AccountId(key.public().0)
}

/// The settlement interval the chain's clock (its best block's timestamp) is in, once the
/// chain's first block has set the clock: readings may be for the intervals before it.
pub async fn current_interval(client: &Client) -> u64 {
	let deadline = Instant::now() + Duration::from_secs(120);
	loop {
		let interval = client.current_interval().await.expect("the chain's clock");
		if interval > 0 {
			return interval;
		}
		assert!(Instant::now() < deadline, "the chain's first block never set its clock");
		tokio::time::sleep(Duration::from_millis(500)).await;
	}
}

/// `curl` with `args`: what it printed, if it succeeded.
pub fn curl(args: &[&str]) -> Result<String, String> {
	let output = Command::new("curl")
		.args(["--silent", "--show-error", "--fail", "--max-time", "30"])
		.args(args)
		.output()
		.map_err(|e| format!("curl does not run (scripts/setup.sh installs it): {e}"))?;
	if !output.status.success() {
		return Err(String::from_utf8_lossy(&output.stderr).into_owned());
	}
	Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The node binary cargo built for these tests.
pub const NODE: &str = env!("CARGO_BIN_EXE_peergrid-node");

/// The `peergrid` command-line client, which cargo builds next to the node (in the same
/// workspace test run).
pub fn cli_binary() -> PathBuf {
	let cli = Path::new(NODE).with_file_name("peergrid");
	assert!(
		cli.exists(),
		"{} is missing: build the workspace (cargo test --workspace)",
		cli.display()
	);
	cli
}

/// What a `peergrid` run printed, and whether it succeeded.
pub struct Run {
	pub ok: bool,
	pub out: String,
	pub err: String,
}

impl Run {
	pub fn succeeded(self, what: &str) -> String {
		assert!(self.ok, "{what} failed:\n{}\n{}", self.out, self.err);
		self.out
	}

	pub fn failed(self, what: &str) -> String {
		assert!(!self.ok, "{what} should fail, but printed:\n{}", self.out);
		self.err
	}
}

pub fn peergrid(url: &str, args: &[&str]) -> Run {
	let output = Command::new(cli_binary())
		.arg("--url")
		.arg(url)
		.args(args)
		.output()
		.expect("peergrid runs");
	Run {
		ok: output.status.success(),
		out: String::from_utf8_lossy(&output.stdout).into_owned(),
		err: String::from_utf8_lossy(&output.stderr).into_owned(),
	}
}

pub fn json_of(text: &str) -> Value {
	serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// A port on 127.0.0.1 that nothing listens on right now, and that no other test of this
/// process was given: the tests run at once, and the OS may hand out a port again as soon as
/// it is released, before the node given it has bound it.
pub fn free_port() -> u16 {
	static GIVEN: Mutex<BTreeSet<u16>> = Mutex::new(BTreeSet::new());
	let mut given = GIVEN.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
	loop {
		let port = TcpListener::bind("127.0.0.1:0")
			.and_then(|l| l.local_addr())
			.map(|a| a.port())
			.expect("the OS hands out a free port");
		if given.insert(port) {
			return port;
		}
	}
}

/// A fresh directory under the system temp dir, removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
	pub fn new(name: &str) -> Self {
		let dir = std::env::temp_dir().join(format!(
			"peergrid-{name}-{}-{}",
			std::process::id(),
			free_port()
		));
		std::fs::create_dir_all(&dir).expect("temp dir is writable");
		TempDir(dir)
	}

	pub fn path(&self) -> &Path {
		&self.0
	}
}

impl Drop for TempDir {
	fn drop(&mut self) {
		let _ = std::fs::remove_dir_all(&self.0);
	}
}

/// Runs `peergrid-node` with `args` to completion and returns its exit status and stdout.
pub fn run_node(args: &[&str]) -> (ExitStatus, String, String) {
	let output = Command::new(NODE).args(args).output().expect("peergrid-node runs");
	(
		output.status,
		String::from_utf8_lossy(&output.stdout).into_owned(),
		String::from_utf8_lossy(&output.stderr).into_owned(),
	)
}

/// A running `peergrid-node` process; killed when dropped if it was not stopped.
pub struct Node {
	child: Option<Child>,
	pub rpc_port: u16,
	pub p2p_port: u16,
	pub prometheus_port: u16,
	pub log: PathBuf,
}

impl Node {
	/// Starts `peergrid-node` with `args`, on free RPC, p2p and Prometheus ports, with its
	/// database in `base/data` and its log in `base/node.log`.
	pub fn start(base: &Path, args: &[&str]) -> Node {
		let (rpc_port, p2p_port, prometheus_port) = (free_port(), free_port(), free_port());
		let log = base.join("node.log");
		let log_file = std::fs::File::create(&log).expect("log file");
		let child = Command::new(NODE)
			.args(args)
			.args(["--base-path", &base.join("data").to_string_lossy()])
			.args(["--rpc-port", &rpc_port.to_string()])
			.args(["--port", &p2p_port.to_string()])
			.args(["--prometheus-port", &prometheus_port.to_string()])
			.args(["--no-telemetry", "--no-mdns"])
			.stdout(Stdio::null())
			.stderr(log_file)
			.spawn()
			.expect("peergrid-node starts");
		Node { child: Some(child), rpc_port, p2p_port, prometheus_port, log }
	}

	/// The node's process id.
	pub fn pid(&self) -> u32 {
		self.child.as_ref().expect("the node runs").id()
	}

	/// The node's WebSocket endpoint, as wallets connect to it.
	pub fn url(&self) -> String {
		format!("ws://127.0.0.1:{}", self.rpc_port)
	}

	/// A wallet's connection to the node: `peergrid-client`, following transactions until
	/// their block is finalized, so that what they did is in the state it reads (storage is
	/// read at the last finalized block).
	pub async fn client(&self) -> Client {
		Client::connect(&self.url(), true)
			.await
			.unwrap_or_else(|e| panic!("the client connects: {e}\n{}", self.tail()))
	}

	/// Calls `method` with `params` (a JSON array) on a connection of its own: the JSON-RPC
	/// `result`, or why not.
	pub async fn rpc(&self, method: &str, params: Value) -> Result<Value, RpcError> {
		let client = RpcClient::from_url(self.url()).await?;
		let mut list = RpcParams::new();
		for param in params.as_array().cloned().unwrap_or_default() {
			list.push(param)?;
		}
		client.request(method, list).await
	}

	/// Like [`Node::rpc`], for a call that must succeed.
	pub async fn call(&self, method: &str, params: Value) -> Value {
		self.rpc(method, params)
			.await
			.unwrap_or_else(|e| panic!("{method} failed: {e}\n{}", self.tail()))
	}

	/// `method` with `params` over HTTP, as `docs/rpc.md` shows it with curl: the JSON-RPC
	/// `result`, or its `error` (`code`, `message`, `data`).
	pub fn curl(&self, method: &str, params: Value) -> Result<Value, Value> {
		let body = json!({ "jsonrpc": "2.0", "id": 1, "method": method, "params": params });
		let url = format!("http://127.0.0.1:{}", self.rpc_port);
		let response =
			curl(&["-H", "Content-Type: application/json", "-d", &body.to_string(), &url])
				.unwrap_or_else(|e| panic!("{method} over HTTP: {e}"));
		let mut response: Value = serde_json::from_str(&response)
			.unwrap_or_else(|e| panic!("not JSON ({e}): {response}"));
		match response.get_mut("error") {
			Some(error) => Err(error.take()),
			None => Ok(response["result"].take()),
		}
	}

	/// Waits until the RPC server answers.
	pub async fn wait_for_rpc(&mut self, timeout: Duration) {
		let deadline = Instant::now() + timeout;
		while self.rpc("system_health", json!([])).await.is_err() {
			self.assert_running();
			assert!(Instant::now() < deadline, "RPC never answered\n{}", self.tail());
			tokio::time::sleep(Duration::from_millis(250)).await;
		}
	}

	/// The number of the best (`chain_getHeader`) or finalized block.
	pub async fn block_number(&self, finalized: bool) -> u64 {
		let params = if finalized {
			json!([self.call("chain_getFinalizedHead", json!([])).await])
		} else {
			json!([])
		};
		let header = self.call("chain_getHeader", params).await;
		let hex = header["number"].as_str().expect("a header has a number");
		u64::from_str_radix(hex.trim_start_matches("0x"), 16).expect("numbers are hex")
	}

	/// Waits until block `number` is finalized; the best block number at that moment.
	pub async fn wait_for_finalized(&mut self, number: u64, timeout: Duration) -> u64 {
		let deadline = Instant::now() + timeout;
		loop {
			self.assert_running();
			if self.block_number(true).await >= number {
				return self.block_number(false).await;
			}
			assert!(Instant::now() < deadline, "block {number} not finalized\n{}", self.tail());
			tokio::time::sleep(Duration::from_millis(500)).await;
		}
	}

	/// The Prometheus metrics page, as an operator's Prometheus scrapes it.
	pub fn metrics(&self) -> String {
		let url = format!("http://127.0.0.1:{}/metrics", self.prometheus_port);
		curl(&[&url]).unwrap_or_else(|e| panic!("the Prometheus endpoint answers: {e}"))
	}

	/// Panics with the log's tail if the process has exited.
	pub fn assert_running(&mut self) {
		if let Some(status) = self.child.as_mut().and_then(|c| c.try_wait().ok().flatten()) {
			panic!("peergrid-node exited with {status}\n{}", self.tail());
		}
	}

	/// The last lines of the node's log, for failure messages.
	pub fn tail(&self) -> String {
		let log = std::fs::read_to_string(&self.log).unwrap_or_default();
		let lines: Vec<&str> = log.lines().collect();
		lines[lines.len().saturating_sub(40)..].join("\n")
	}

	/// Sends SIGTERM, as an operator's `systemctl stop` does, and waits for the exit status.
	pub fn stop(mut self, timeout: Duration) -> ExitStatus {
		let mut child = self.child.take().expect("the node runs");
		let terminated = Command::new("kill")
			.args(["-TERM", &child.id().to_string()])
			.status()
			.expect("kill runs");
		assert!(terminated.success());
		let deadline = Instant::now() + timeout;
		loop {
			if let Some(status) = child.try_wait().expect("wait on the node") {
				return status;
			}
			if Instant::now() > deadline {
				let _ = child.kill();
				panic!("peergrid-node did not stop within {timeout:?}\n{}", self.tail());
			}
			std::thread::sleep(Duration::from_millis(100));
		}
	}
}

impl Drop for Node {
	fn drop(&mut self) {
		if let Some(child) = self.child.as_mut() {
			let _ = child.kill();
			let _ = child.wait();
		}
	}
}
