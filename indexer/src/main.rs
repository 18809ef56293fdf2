//! `peergrid-indexer`: follows a node's finalized blocks into SQLite or PostgreSQL
//! (docs/indexer.md).

use clap::Parser;
use peergrid_indexer::{Indexer, Span};

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
	eprintln!("indexing {} into {}", cli.url, peergrid_indexer::db::redact(&cli.database));
	indexer
		.run(Span { from: cli.from, to }, |n| {
			if n % 100 == 0 {
				eprintln!("block {n}")
			}
		})
		.await
}
