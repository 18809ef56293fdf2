//! `peergrid-indexer`: follows a node's finalized blocks into SQLite or PostgreSQL
//! (docs/indexer.md).

use clap::Parser;
use peergrid_client::api::peergrid;
use peergrid_indexer::{
	serve::{self, Served},
	Indexer, Span,
};
use std::{net::SocketAddr, sync::Arc};

/// Follows a PeerGrid node's finalized blocks and writes every event into SQLite or
/// PostgreSQL; restarted, it resumes after the last block it wrote.
#[derive(Parser)]
#[command(name = "peergrid-indexer", version, about)]
struct Cli {
	/// The node's JSON-RPC endpoint (an archive node, to index from the first block).
	#[arg(long, default_value = "ws://127.0.0.1:9944")]
	url: String,
	/// The database: `sqlite://FILE` (created if missing) or `postgres://USER@HOST:PORT/NAME`.
	#[arg(long, default_value = "sqlite://peergrid-index.db")]
	database: String,
	/// The first block of an empty index (ignored once the index holds a block: it resumes
	/// after its last).
	#[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
	from: u32,
	/// Stop after this block (by default it follows the chain for ever).
	#[arg(long, conflicts_with = "until_finalized")]
	to: Option<u32>,
	/// Stop after the block that is finalized when it starts.
	#[arg(long)]
	until_finalized: bool,
	/// Serve the dashboard, the JSON API and `/metrics` at this address (e.g.
	/// 127.0.0.1:8090). It keeps serving when indexing ends (`--to`) or stops on an error.
	#[arg(long)]
	listen: Option<SocketAddr>,
}

#[tokio::main]
async fn main() {
	let cli = Cli::parse();
	if let Err(e) = run(cli).await {
		eprintln!("Error: {e}");
		std::process::exit(1);
	}
}

async fn run(cli: Cli) -> Result<(), String> {
	let mut indexer = Indexer::connect(&cli.url, &cli.database).await?;
	let to = match cli.until_finalized {
		true => Some(indexer.finalized().await?),
		false => cli.to,
	};
	let server = match cli.listen {
		Some(address) => Some(tokio::spawn(dashboard(address, &cli.database, &indexer).await?)),
		None => None,
	};
	eprintln!("indexing {} into {}", cli.url, peergrid_indexer::db::redact(&cli.database));
	let indexed = indexer
		.run(Span { from: cli.from, to }, |n| {
			if n % 100 == 0 {
				eprintln!("block {n}")
			}
		})
		.await;
	let Some(server) = server else { return indexed };
	if let Err(e) = indexed {
		// The dashboard still answers from the index, and says why it stopped.
		eprintln!("Error: {e}");
		indexer.metrics.stopped.set(1);
		*STOPPED.lock().map_err(|e| e.to_string())? = Some(e);
	}
	server.await.map_err(|e| e.to_string())?
}

/// Why indexing stopped, shared with the dashboard's `/api/status`.
static STOPPED: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

/// The dashboard's server on `address`, bound now (a taken address is an error at start).
async fn dashboard(
	address: SocketAddr,
	database: &str,
	indexer: &Indexer,
) -> Result<impl std::future::Future<Output = Result<(), String>>, String> {
	let listener = tokio::net::TcpListener::bind(address)
		.await
		.map_err(|e| format!("cannot serve the dashboard at {address}: {e}"))?;
	let node = indexer.node().clone();
	let seconds = node.constant(&peergrid::constants().readings().interval_seconds())?;
	let served = Arc::new(Served {
		pool: peergrid_indexer::db::open(database, 4).await?,
		node,
		metrics: indexer.metrics.clone(),
		interval_seconds: seconds,
		stopped: &STOPPED,
		downloads: tokio::sync::Semaphore::new(1),
	});
	eprintln!("dashboard at http://{address}/ (API under /api, metrics at /metrics)");
	Ok(serve::serve(listener, served))
}
