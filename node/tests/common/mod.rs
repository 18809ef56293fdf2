//! Helpers for the end-to-end tests: start a real `peergrid-node` on free local ports, talk to
//! it over JSON-RPC ([`Rpc`], [`chain`]), stop it cleanly.

#![allow(dead_code)]

pub mod chain;
pub mod rpc;

use rpc::{Rpc, RpcError};
use serde_json::{json, Value};
use std::{
	collections::BTreeSet,
	net::TcpListener,
	path::{Path, PathBuf},
	process::{Child, Command, ExitStatus, Stdio},
	sync::Mutex,
	time::{Duration, Instant},
};

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
	/// The node's JSON-RPC endpoint.
	pub client: Rpc,
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
		Node {
			child: Some(child),
			client: Rpc::local(rpc_port),
			rpc_port,
			p2p_port,
			prometheus_port,
			log,
		}
	}

	/// The node's process id.
	pub fn pid(&self) -> u32 {
		self.child.as_ref().expect("the node runs").id()
	}

	/// Calls `method` with `params`: the JSON-RPC `result`, or why not.
	pub fn rpc(&self, method: &str, params: Value) -> Result<Value, RpcError> {
		self.client.call(method, params)
	}

	/// Like [`Node::rpc`], for a call that must succeed.
	pub fn call(&self, method: &str, params: Value) -> Value {
		self.rpc(method, params).unwrap_or_else(|e| panic!("{method} failed: {e}\n{}", self.tail()))
	}

	/// Waits until the RPC server answers.
	pub fn wait_for_rpc(&mut self, timeout: Duration) {
		let deadline = Instant::now() + timeout;
		while self.rpc("system_health", json!([])).is_err() {
			self.assert_running();
			assert!(Instant::now() < deadline, "RPC never answered\n{}", self.tail());
			std::thread::sleep(Duration::from_millis(250));
		}
	}

	/// The number of the best (`chain_getHeader`) or finalized block.
	pub fn block_number(&self, finalized: bool) -> u64 {
		let params = if finalized {
			json!([self.call("chain_getFinalizedHead", json!([]))])
		} else {
			json!([])
		};
		let header = self.call("chain_getHeader", params);
		let hex = header["number"].as_str().expect("a header has a number");
		u64::from_str_radix(hex.trim_start_matches("0x"), 16).expect("numbers are hex")
	}

	/// Waits until block `number` is finalized; the best block number at that moment.
	pub fn wait_for_finalized(&mut self, number: u64, timeout: Duration) -> u64 {
		let deadline = Instant::now() + timeout;
		loop {
			self.assert_running();
			if self.block_number(true) >= number {
				return self.block_number(false);
			}
			assert!(Instant::now() < deadline, "block {number} not finalized\n{}", self.tail());
			std::thread::sleep(Duration::from_millis(500));
		}
	}

	/// The Prometheus metrics page.
	pub fn metrics(&self) -> String {
		self.client.get(self.prometheus_port, "/metrics").expect("Prometheus endpoint answers")
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
