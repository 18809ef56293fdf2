//! JSON-RPC over plain HTTP/1.1 on `std::net`: a node serves HTTP and WebSocket on one port,
//! and a request-response client needs nothing more.

use serde_json::{json, Value};
use std::{
	fmt,
	io::{Read, Write},
	net::TcpStream,
	time::Duration,
};

/// Why a call failed.
#[derive(Debug)]
pub enum RpcError {
	/// The node could not be reached, or answered something other than HTTP 200.
	Transport(String),
	/// The node answered with a JSON-RPC error: its `code`, `message` and `data`.
	Node(Value),
	/// The answer was not what the call expects.
	Decode(String),
	/// The awaited state did not come about in time.
	Timeout(Duration),
}

impl fmt::Display for RpcError {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			RpcError::Transport(e) => write!(f, "cannot reach the node: {e}"),
			RpcError::Node(e) => write!(f, "the node refused: {e}"),
			RpcError::Decode(e) => write!(f, "unexpected answer: {e}"),
			RpcError::Timeout(t) => write!(f, "timed out after {t:?}"),
		}
	}
}

impl std::error::Error for RpcError {}

/// A node's JSON-RPC endpoint: `host:port` of its RPC server.
#[derive(Clone, Debug)]
pub struct Rpc {
	address: String,
}

impl Rpc {
	/// The endpoint at `url`: `http://host:port`, `ws://host:port` or `host:port`.
	pub fn new(url: &str) -> Self {
		let address = url
			.trim_start_matches("http://")
			.trim_start_matches("ws://")
			.trim_end_matches('/')
			.to_string();
		Rpc { address }
	}

	/// The endpoint on 127.0.0.1 at `port`.
	pub fn local(port: u16) -> Self {
		Rpc { address: format!("127.0.0.1:{port}") }
	}

	/// Calls `method` with `params`: its `result`.
	pub fn call(&self, method: &str, params: Value) -> Result<Value, RpcError> {
		let body = json!({ "jsonrpc": "2.0", "id": 1, "method": method, "params": params });
		let response = self.post(&body.to_string())?;
		let mut response: Value =
			serde_json::from_str(&response).map_err(|e| RpcError::Decode(e.to_string()))?;
		match response.get_mut("error") {
			Some(error) => Err(RpcError::Node(error.take())),
			None => Ok(response["result"].take()),
		}
	}

	/// `GET path` on `port` of the same host (e.g. Prometheus' `/metrics`).
	pub fn get(&self, port: u16, path: &str) -> Result<String, RpcError> {
		let host = self.address.rsplit_once(':').map_or(self.address.as_str(), |(h, _)| h);
		let address = format!("{host}:{port}");
		request(
			&address,
			format!("GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"),
		)
	}

	fn post(&self, body: &str) -> Result<String, RpcError> {
		request(
			&self.address,
			format!(
				"POST / HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
				 Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
				self.address,
				body.len()
			),
		)
	}
}

fn request(address: &str, request: String) -> Result<String, RpcError> {
	let transport = |e: std::io::Error| RpcError::Transport(format!("{address}: {e}"));
	let mut stream = TcpStream::connect(address).map_err(transport)?;
	stream.set_read_timeout(Some(Duration::from_secs(30))).map_err(transport)?;
	stream.write_all(request.as_bytes()).map_err(transport)?;
	let mut response = Vec::new();
	stream.read_to_end(&mut response).map_err(transport)?;
	let response = String::from_utf8_lossy(&response).into_owned();
	let (head, body) = response
		.split_once("\r\n\r\n")
		.ok_or_else(|| RpcError::Transport(format!("{address}: not an HTTP response")))?;
	if !head.starts_with("HTTP/1.1 200") {
		return Err(RpcError::Transport(format!(
			"{address}: {}",
			head.lines().next().unwrap_or(head)
		)));
	}
	if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
		return Ok(dechunk(body));
	}
	Ok(body.to_string())
}

/// The body of a chunked HTTP response.
fn dechunk(mut body: &str) -> String {
	let mut out = String::new();
	while let Some((size, rest)) = body.split_once("\r\n") {
		let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
		if size == 0 || rest.len() < size {
			break;
		}
		out.push_str(&rest[..size]);
		body = rest[size..].trim_start_matches("\r\n");
	}
	out
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn endpoints_accept_http_ws_and_bare_addresses() {
		for url in ["http://127.0.0.1:9944", "ws://127.0.0.1:9944/", "127.0.0.1:9944"] {
			assert_eq!(Rpc::new(url).address, "127.0.0.1:9944");
		}
	}

	#[test]
	fn chunked_bodies_are_reassembled() {
		assert_eq!(dechunk("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"), "hello world");
	}
}
