//! `peergrid auction`: the delivery auction from a trader's, a relayer's and a regulator's
//! side: place, sign for a relayer, relay, cancel, set standing orders, and follow the auctions
//! and their results.

use crate::{
	keys,
	relay::{submit_splitting, Tally},
	results, show,
	standing::{self, StandingCommand},
};
use clap::{Subcommand, ValueEnum};
use peergrid_client::{
	api::peergrid::{self, auction::events},
	auction::{self, Signed, Terms},
	node::{Included, Node},
};
use peergrid_primitives::{
	api::MAX_AUCTION_QUERY_INTERVALS,
	auction::{Product, Side},
};
use sp_core::sr25519;
use std::{io::BufRead, path::PathBuf};

#[derive(Subcommand)]
pub enum AuctionCommand {
	/// Place an order of the signer's in a zone's delivery interval.
	Place(OrderArgs),
	/// Sign an order for a relayer: prints it as one line of hex, which `auction relay` reads;
	/// with `--count N`, the same order for N intervals from `--interval`, a line each.
	Sign {
		#[command(flatten)]
		order: OrderArgs,
		/// How many consecutive intervals to sign the order for.
		#[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=u64::from(MAX_AUCTION_QUERY_INTERVALS)))]
		count: u64,
	},
	/// Relay signed orders (lines of hex, from FILE or `-` for standard input) in fee-less
	/// batches: the pool takes a batch only whole, so a refused batch is split until each bad
	/// order is refused alone, with its reason.
	Relay {
		/// The signed orders, one a line.
		file: PathBuf,
		/// Orders a batch (at most the chain's `MaxBatchSize`).
		#[arg(long, default_value_t = 256)]
		batch: usize,
	},
	/// Cancel an order of the signer's before its gate closes.
	Cancel {
		#[arg(value_enum)]
		side: SideArg,
		#[arg(long)]
		zone: u32,
		/// The delivery interval: its index, or `+N`, N intervals after the current one.
		#[arg(long)]
		interval: String,
		#[arg(long)]
		nonce: u64,
	},
	/// Standing orders: set once, each enters every auction of its zone at its hours until
	/// cancelled, with no transaction per interval.
	Standing {
		#[command(subcommand)]
		command: StandingCommand,
	},
	/// A zone's auction of one interval at the best block (JSON, `energy_auction`): its stage,
	/// window and orders; while open its curves and indicative price; once cleared its price,
	/// volume and delivery.
	Show {
		#[arg(long)]
		zone: u32,
		/// The delivery interval: its index, or `+N`, N intervals after the current one.
		#[arg(long)]
		interval: String,
	},
	/// An account's orders not settled in a zone's auctions (JSON, `energy_auctionOrders`).
	Orders {
		/// The account: SS58, a dev name or a key file [default: the signer's].
		account: Option<String>,
		#[arg(long)]
		zone: u32,
		/// The first delivery interval: its index, or `+N` after the current one.
		#[arg(long, default_value = "+0")]
		interval: String,
		/// How many intervals (1 to 192).
		#[arg(long, default_value_t = 96, value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_AUCTION_QUERY_INTERVALS)))]
		count: u32,
	},
	/// A zone's auctions interval by interval: the clearing price and energy of those that
	/// cleared, where the open ones would clear now; with `--follow`, then each clearing and
	/// settlement as its block is finalized.
	Results {
		#[arg(long)]
		zone: u32,
		/// The first delivery interval: its index, or `+N` after the current one.
		#[arg(long, default_value = "+0")]
		interval: String,
		/// How many intervals (1 to 192).
		#[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u64).range(1..=u64::from(MAX_AUCTION_QUERY_INTERVALS)))]
		count: u64,
		/// Then print each clearing and settlement in the zone as it is finalized, until
		/// interrupted.
		#[arg(long)]
		follow: bool,
	},
}

#[derive(Clone, Copy, ValueEnum)]
pub enum SideArg {
	Bid,
	Offer,
}

impl From<SideArg> for Side {
	fn from(side: SideArg) -> Side {
		match side {
			SideArg::Bid => Side::Bid,
			SideArg::Offer => Side::Offer,
		}
	}
}

/// What an order and a standing order name on the command line.
#[derive(clap::Args)]
pub struct TermsArgs {
	#[arg(value_enum)]
	pub side: SideArg,
	/// The zone of delivery.
	#[arg(long)]
	pub zone: u32,
	/// The signer's meter in the zone: the one that exports an offer's energy, or takes a
	/// bid's.
	#[arg(long)]
	pub meter: u64,
	/// The energy, in Wh.
	#[arg(long)]
	pub quantity_wh: u64,
	/// The limit price per kWh, in the native token (e.g. 0.15).
	#[arg(long)]
	pub price: String,
}

/// An order's terms on the command line.
#[derive(clap::Args)]
pub struct OrderArgs {
	#[command(flatten)]
	terms: TermsArgs,
	/// The delivery interval: its index, or `+N`, N intervals after the current one.
	#[arg(long)]
	interval: String,
	/// The order's nonce: unique among the signer's orders of this product and side
	/// [default: the time, in ms since the epoch].
	#[arg(long)]
	nonce: Option<u64>,
}

/// An interval as the command line gives it: an index, or `+N` after the current one.
async fn interval(node: &Node, text: &str) -> Result<u64, String> {
	let parse = |t: &str| t.parse::<u64>().map_err(|e| format!("interval {text:?}: {e}"));
	match text.strip_prefix('+') {
		Some(ahead) => Ok(node.current_interval().await? + parse(ahead)?),
		None => parse(text),
	}
}

impl OrderArgs {
	/// The nonce and the terms.
	async fn terms(&self, node: &Node) -> Result<(u64, Terms), String> {
		let nonce = match self.nonce {
			Some(nonce) => nonce,
			None => std::time::SystemTime::now()
				.duration_since(std::time::UNIX_EPOCH)
				.map_err(|e| e.to_string())?
				.as_millis() as u64,
		};
		let TermsArgs { side, zone, meter, quantity_wh, ref price } = self.terms;
		let product = Product { zone, interval: interval(node, &self.interval).await? };
		let price = node.decimals()?.parse(price)?;
		let terms = Terms { side: side.into(), product, meter, quantity: quantity_wh, price };
		Ok((nonce, terms))
	}
}

/// What became of relayed orders.
#[derive(Default)]
struct Relayed {
	placed: usize,
	rejected: Vec<String>,
}

impl Tally<Signed> for Relayed {
	fn count(&mut self, node: &Node, included: &Included, n: usize) -> Result<(), String> {
		self.placed += included.find::<events::OrderPlaced>()?.len();
		for rejected in included.find::<events::OrderRejected>()? {
			let who = keys::show(&rejected.trader);
			let why = node.describe(&rejected.error);
			self.rejected.push(format!("{who} nonce {}: {why}", rejected.nonce));
		}
		println!("in block #{} ({:?}): {n} orders", included.block, included.hash);
		Ok(())
	}

	/// The pool's refusal, by the auction pallet's error: the pool reports a bad signature and
	/// a used nonce in its own words (`BadProof`, `Stale`: `pallets/auction/README.md`).
	fn refuse(&mut self, node: &Node, order: &Signed, reason: &str) {
		let named = [("bad signature", "BadSignature"), ("outdated", "NonceUsed")]
			.into_iter()
			.find(|(words, _)| reason.contains(words))
			.and_then(|(_, error)| node.named_error("Auction", error));
		let why = named.unwrap_or_else(|| reason.to_string());
		let who = keys::show(&order.trader);
		self.rejected.push(format!("{who} nonce {}: refused by the pool: {why}", order.nonce));
	}
}

pub async fn run(
	node: &Node,
	signer: impl Fn() -> Result<sr25519::Pair, String>,
	command: AuctionCommand,
) -> Result<(), String> {
	match command {
		AuctionCommand::Place(args) => {
			let (nonce, terms) = args.terms(node).await?;
			println!("order {nonce}");
			show::report(node, node.send(&signer()?, &auction::place(nonce, terms)).await?);
			Ok(())
		}
		AuctionCommand::Sign { order, count } => {
			let (nonce, terms) = order.terms(node).await?;
			let pair = signer()?;
			let first = terms.product.interval;
			for interval in first..first.saturating_add(count) {
				let product = Product { interval, ..terms.product };
				let signed =
					auction::sign(node.genesis(), &pair, nonce, Terms { product, ..terms });
				println!("{}", auction::to_hex(&signed));
			}
			Ok(())
		}
		AuctionCommand::Relay { file, batch } => relay(node, &file, batch).await,
		AuctionCommand::Cancel { side, zone, interval: at, nonce } => {
			let product = Product { zone, interval: interval(node, &at).await? };
			let call = auction::cancel(product, side.into(), nonce);
			show::report(node, node.send(&signer()?, &call).await?);
			Ok(())
		}
		AuctionCommand::Standing { command } => standing::run(node, signer, command).await,
		AuctionCommand::Show { zone, interval: at } => {
			show::print_json(&auction::info(node, zone, interval(node, &at).await?, None).await?)
		}
		AuctionCommand::Orders { account, zone, interval: at, count } => {
			let who = match account {
				Some(name) => keys::account(&name)?,
				None => keys::account_of(&signer()?),
			};
			let first = interval(node, &at).await?;
			show::print_json(&auction::orders(node, &who, zone, first, count).await?)
		}
		AuctionCommand::Results { zone, interval: at, count, follow } => {
			let first = interval(node, &at).await?;
			results::table(node, zone, first, count).await?;
			if follow {
				results::follow(node, zone).await?;
			}
			Ok(())
		}
	}
}

/// Relays the signed orders of `file` in batches of `batch`; fails if any was not placed.
async fn relay(node: &Node, file: &PathBuf, batch: usize) -> Result<(), String> {
	let max = node.constant(&peergrid::constants().auction().max_batch_size())?;
	if !(1..=max as usize).contains(&batch) {
		return Err(format!("a batch carries 1 to {max} orders"));
	}
	let reader: Box<dyn BufRead> = if file.as_os_str() == "-" {
		Box::new(std::io::stdin().lock())
	} else {
		let f = std::fs::File::open(file).map_err(|e| format!("{}: {e}", file.display()))?;
		Box::new(std::io::BufReader::new(f))
	};
	let mut orders = Vec::new();
	for (i, line) in reader.lines().enumerate() {
		let line = line.map_err(|e| e.to_string())?;
		if !line.trim().is_empty() {
			orders.push(auction::from_hex(&line).map_err(|e| format!("line {}: {e}", i + 1))?);
		}
	}
	let mut tally = Relayed::default();
	let call = |part: &[Signed]| -> Box<dyn subxt::tx::Payload + Send + Sync> {
		Box::new(auction::relay(part.to_vec()))
	};
	for chunk in orders.chunks(batch) {
		submit_splitting(node, chunk, &call, &mut tally).await?;
	}
	println!("{} orders placed, {} rejected", tally.placed, tally.rejected.len());
	for line in &tally.rejected {
		println!("  rejected: {line}");
	}
	if tally.rejected.is_empty() {
		Ok(())
	} else {
		Err(format!("{} of {} orders were not placed", tally.rejected.len(), orders.len()))
	}
}
