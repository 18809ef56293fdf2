//! `peergrid`: the PeerGrid command-line client for wallets, oracles and regulators.
//!
//! Built on the `peergrid-client` library: transactions built from the types generated from the
//! runtime's metadata, signed locally (mortal, with the nonce the node gives), followed into a
//! block, every event and error named from the metadata. Queries use the node's `energy_`
//! JSON-RPC methods. `docs/cli.md` documents every command.

mod admin;
mod auction;
mod commands;
mod csv;
mod exports;
mod keys;
mod load;
mod oracle;
mod progress;
mod relay;
mod results;
mod show;
mod standing;

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// The PeerGrid command-line client.
#[derive(Parser)]
#[command(name = "peergrid", version, about, long_about = None)]
pub struct Cli {
	/// The node's JSON-RPC endpoint [default: $PEERGRID_URL, else ws://127.0.0.1:9944].
	#[arg(long, global = true)]
	url: Option<String>,
	/// Who signs: `dev:alice` ... `dev:ferdie` (development chains), or `file:PATH`, a key file
	/// holding a secret phrase that only its owner can read (`peergrid key new PATH`)
	/// [default: $PEERGRID_SIGNER].
	#[arg(long, global = true)]
	signer: Option<String>,
	/// Wait until each transaction is finalized, not only in a block.
	#[arg(long, global = true)]
	finalized: bool,
	#[command(subcommand)]
	command: Command,
}

#[derive(Subcommand)]
pub enum Command {
	/// Make or show keys.
	#[command(subcommand)]
	Key(KeyCommand),
	/// Create zones (a consortium decision).
	#[command(subcommand)]
	Zone(ZoneCommand),
	/// Authorize oracles (a consortium decision).
	#[command(subcommand)]
	Oracle(OracleCommand),
	/// Register meters (the zone's operator).
	#[command(subcommand)]
	Meter(MeterCommand),
	/// Sign and submit oracle readings.
	#[command(subcommand)]
	Readings(ReadingsCommand),
	/// Place and cancel market orders.
	#[command(subcommand)]
	Order(OrderCommand),
	/// Trade a zone's delivery intervals ahead of time in the delivery auction.
	#[command(subcommand)]
	Auction(auction::AuctionCommand),
	/// Transfer and retire energy credits.
	#[command(subcommand)]
	Credits(CreditsCommand),
	/// Vote on and close the consortium's motions.
	#[command(subcommand)]
	Motion(MotionCommand),
	/// Ask the chain (the node's `energy_` methods); prints JSON.
	///
	/// The chain keeps no trading history: a zone's trades and its per-interval totals are the
	/// indexer's JSON API (`/api/zones/{zone}/trades`, `/api/zones/{zone}/totals`;
	/// `docs/indexer.md`).
	#[command(subcommand)]
	Query(QueryCommand),
	/// A table of accounts' energy: produced, retired, consumed, uncovered, credits held.
	///
	/// What each account bought and sold, and for how much, is in the indexer's statements
	/// (`/api/accounts/{account}`; `docs/indexer.md`), not on chain.
	Summary {
		/// The accounts (SS58 addresses or development key names).
		#[arg(required = true)]
		accounts: Vec<String>,
	},
	/// Print the events of each finalized block as it comes.
	Watch {
		/// Only these pallets' events (e.g. `Market`, `Readings`).
		#[arg(long = "pallet")]
		pallets: Vec<String>,
		/// Stop after this many blocks.
		#[arg(long)]
		blocks: Option<u32>,
	},
	/// Write the trades or readings of a range of blocks to CSV, for audit.
	#[command(subcommand)]
	Export(ExportCommand),
	/// Measure what a development chain sustains: readings, orders and trades, transfers per
	/// second (the signer must be the sudo key; `docs/benchmarks.md`).
	Load {
		/// Meters that send readings (four per owner; owners trade in pairs).
		#[arg(long, default_value_t = 1000)]
		meters: u32,
		/// Readings per meter, of consecutive settlement intervals.
		#[arg(long, default_value_t = 30)]
		intervals: u32,
		/// Market orders: half sells, half buys that each match a sell.
		#[arg(long, default_value_t = 6000)]
		orders: u32,
		/// Delivery auction orders: half offers, half bids, signed by the traders and relayed
		/// in fee-less batches.
		#[arg(long, default_value_t = 6000)]
		auction_orders: u32,
		/// Balance transfers.
		#[arg(long, default_value_t = 6000)]
		transfers: u32,
		/// Zones the meters and traders are spread over (1 to 32).
		#[arg(long, default_value_t = 4)]
		zones: u32,
		/// WebSocket connections the transactions are submitted over, side by side.
		#[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
		connections: u16,
	},
}

#[derive(Subcommand)]
pub enum KeyCommand {
	/// Make a new key: its secret phrase goes to FILE (created, readable by you only).
	New {
		/// Where to write the secret phrase.
		file: PathBuf,
	},
	/// Show the signer's account.
	Show,
}

/// How an administrative call is made.
#[derive(Clone, Copy, ValueEnum)]
pub enum Via {
	/// By the sudo key (development chain only).
	Sudo,
	/// By a motion of the consortium, proposed by the signer, who votes aye.
	Motion,
}

#[derive(Subcommand)]
pub enum ZoneCommand {
	/// Create a zone.
	Create {
		/// Its name.
		name: String,
		/// The utility that runs it (registers its meters).
		#[arg(long)]
		operator: String,
		#[arg(long, value_enum, default_value = "motion")]
		via: Via,
	},
}

#[derive(Subcommand)]
pub enum OracleCommand {
	/// Authorize an oracle to sign readings of meters in some zones.
	Authorize {
		/// The oracle's account.
		oracle: String,
		/// The zones, e.g. `0,1`.
		#[arg(long, value_delimiter = ',', required = true)]
		zones: Vec<u32>,
		#[arg(long, value_enum, default_value = "motion")]
		via: Via,
	},
}

/// What a meter measures.
#[derive(Clone, Copy, ValueEnum)]
pub enum Kind {
	Consumption,
	Production,
	Bidirectional,
}

#[derive(Subcommand)]
pub enum MeterCommand {
	/// Register a meter in a zone the signer operates.
	Register {
		#[arg(long)]
		zone: u32,
		/// The utility's identifier of the meter, unique on the chain.
		#[arg(long)]
		external_id: String,
		/// Who receives its credits and is charged its consumption.
		#[arg(long)]
		owner: String,
		#[arg(long, value_enum)]
		kind: Kind,
		/// Its rated power, in W.
		#[arg(long)]
		capacity_w: u32,
	},
}

#[derive(Subcommand)]
pub enum ReadingsCommand {
	/// Sign the readings of a CSV file with the signer's (the oracle's) key and submit them
	/// in batches; no fee is paid. Header `external_id,interval,imported_wh,exported_wh`
	/// (meters by the utility's identifier) or `meter_id,interval,imported_wh,exported_wh`
	/// (by chain number); registers are cumulative, in Wh. Each batch is signed as a whole
	/// (one signature a batch) unless `--per-reading`. A batch the node refuses is split
	/// until each bad reading is named.
	Submit {
		/// The CSV file.
		csv: PathBuf,
		/// Readings per transaction (at most 256).
		#[arg(long, default_value_t = 256)]
		batch: usize,
		/// Sign the batches with the signer's account and pay their fees, instead of sending
		/// them fee-less: the block then rejects each bad reading alone.
		#[arg(long)]
		pay: bool,
		/// Sign each reading on its own (`Readings.submit_readings`) instead of each batch as
		/// a whole (`Readings.submit_batch`).
		#[arg(long)]
		per_reading: bool,
	},
}

/// A side of the market.
#[derive(Clone, Copy, ValueEnum)]
pub enum SideArg {
	Buy,
	Sell,
}

#[derive(Subcommand)]
pub enum OrderCommand {
	/// Place an order; it trades at once with what it matches, and the rest rests.
	Place {
		#[arg(value_enum)]
		side: SideArg,
		#[arg(long)]
		zone: u32,
		/// The amount, in Wh.
		#[arg(long)]
		amount_wh: u64,
		/// The limit price in GRID per kWh, e.g. `0.15` (a buy's includes the grid fee).
		#[arg(long)]
		price: String,
		/// The block at whose start it expires.
		#[arg(long)]
		expires_at: Option<u32>,
	},
	/// Cancel one of the signer's open orders.
	Cancel {
		/// The order.
		order: u64,
	},
}

#[derive(Subcommand)]
pub enum CreditsCommand {
	/// Transfer free credits.
	Transfer {
		/// To whom.
		to: String,
		/// How many, in Wh.
		#[arg(long)]
		amount_wh: u64,
	},
	/// Retire credits against the signer's metered consumption.
	Retire {
		/// How many, in Wh.
		#[arg(long)]
		amount_wh: u64,
	},
}

#[derive(Subcommand)]
pub enum MotionCommand {
	/// Vote on an open motion.
	Vote {
		/// The proposal's hash.
		hash: String,
		/// The motion's index.
		index: u32,
		/// Vote against (the default is for).
		#[arg(long)]
		nay: bool,
	},
	/// Close a motion whose outcome is certain (or whose time is up).
	Close {
		/// The proposal's hash.
		hash: String,
		/// The motion's index.
		index: u32,
	},
}

#[derive(Subcommand)]
pub enum QueryCommand {
	/// A meter, by its chain number (`query meter 4`) or by the utility's identifier of it
	/// (`query meter --external-id NBH-7`); an identifier is never read as a number.
	Meter {
		/// The meter's number on the chain.
		#[arg(required_unless_present = "external_id", conflicts_with = "external_id")]
		id: Option<u64>,
		/// The utility's identifier of the meter, as registered (any text, digits included).
		#[arg(long)]
		external_id: Option<String>,
	},
	/// An account's energy position (the signer's if none is named).
	Account { account: Option<String> },
	/// A zone's order book by price level.
	Book { zone: u32 },
}

#[derive(Subcommand)]
pub enum ExportCommand {
	/// Every trade settled in the blocks.
	Trades(Range),
	/// Every reading accepted or rejected in the blocks.
	Readings(Range),
}

/// A range of blocks and where the CSV goes.
#[derive(clap::Args)]
pub struct Range {
	/// The first block.
	#[arg(long, default_value_t = 1)]
	from_block: u32,
	/// The last block (default: the last finalized one).
	#[arg(long)]
	to_block: Option<u32>,
	/// The CSV file (default: standard output).
	#[arg(long)]
	out: Option<PathBuf>,
}

#[tokio::main]
async fn main() {
	let cli = Cli::parse();
	if let Err(error) = commands::run(cli).await {
		eprintln!("peergrid: {error}");
		std::process::exit(1);
	}
}
