//! `peergrid-node benchmark-import`: how long a validator that did not author a block takes to
//! import it, measured on this node's own chain: each block of `--from..=--to` is executed
//! again on its parent's state (`Core_execute_block`: every extrinsic, then the storage root
//! checked against the header's), as upstream's `benchmark block` does (frame-benchmarking-cli,
//! which brings Polkadot and Cumulus crates into the node). It needs the blocks' parents'
//! state: run the node that built them with `--state-pruning archive`.
//!
//! Blocks are grouped by what they carry (readings, orders, transfers), and each group's
//! import times are reported against the 6-second slot and the weight the blocks consumed: the
//! figures from which the block budget is chosen (`docs/benchmarks.md`, "The block budget").
//! Without `--enable-trie-cache` no trie cache is kept between blocks: every block is imported
//! cold, the slowest case.
//!
//! With `--network FILE` it also reports, for the same blocks, the times a network's nodes
//! measured while the blocks were new: the author's build and the other validators' imports
//! (`scripts/load-network.sh` writes such a file from the nodes' logs and Prometheus metrics).

use crate::{benchmark_db::stats, service::FullClient};
use codec::{Decode, Encode};
use frame_support::{dispatch::DispatchClass, weights::constants::WEIGHT_REF_TIME_PER_NANOS};
use peergrid_runtime::{opaque::Block, Runtime, RuntimeCall, UncheckedExtrinsic};
use sc_cli::{CliConfiguration, ImportParams, SharedParams};
use sc_client_api::{BlockBackend, StorageProvider};
use sp_api::{Core, ProvideRuntimeApi};
use sp_blockchain::HeaderBackend;
use sp_runtime::{
	traits::{Block as BlockT, Header as _},
	DigestItem,
};
use std::{
	collections::BTreeMap,
	path::{Path, PathBuf},
	time::Instant,
};

/// The options of `peergrid-node benchmark-import`.
#[derive(Debug, clap::Parser)]
pub struct BenchmarkImportCmd {
	#[allow(missing_docs)]
	#[clap(flatten)]
	pub shared_params: SharedParams,
	#[allow(missing_docs)]
	#[clap(flatten)]
	pub import_params: ImportParams,
	/// The first block to import again (not the genesis block).
	#[arg(long, default_value_t = 1)]
	pub from: u32,
	/// The last block to import again; the best block by default.
	#[arg(long)]
	pub to: Option<u32>,
	/// Imports of each block; a block's time is the slowest.
	#[arg(long, default_value_t = 1)]
	pub repeat: u32,
	/// Only blocks whose weight is at least this share (percent) of the normal class's limit:
	/// the full blocks, which decide the budget.
	#[arg(long, default_value_t = 50)]
	pub full: u32,
	/// Keep a trie cache between blocks (a runtime API call's, smaller than the one a running
	/// node imports with): warmed by the blocks before, and by the block itself if repeated.
	#[arg(long)]
	pub enable_trie_cache: bool,
	/// Build and import times a network's nodes measured, to report beside the blocks': a
	/// file of tab-separated lines `block`, `node`, `build` or `import`, milliseconds.
	#[arg(long)]
	pub network: Option<PathBuf>,
}

impl CliConfiguration for BenchmarkImportCmd {
	fn shared_params(&self) -> &SharedParams {
		&self.shared_params
	}

	fn import_params(&self) -> Option<&ImportParams> {
		Some(&self.import_params)
	}

	fn trie_cache_maximum_size(&self) -> sc_cli::Result<Option<usize>> {
		Ok(self.enable_trie_cache.then(|| self.import_params.trie_cache_maximum_size()).flatten())
	}
}

/// From this share of a block's transactions on, a block is of their kind; below, "mixed".
const OF_A_KIND: usize = 90;

/// What a block carries: the kind of at least 90 % of its transactions (the timestamp
/// inherent left out), else "mixed"; and how many of that kind's units (readings for
/// readings, orders for relayed auction orders, transactions otherwise).
fn kind(extrinsics: &[<Block as BlockT>::Extrinsic]) -> (&'static str, usize) {
	let mut counts = BTreeMap::<&str, usize>::new();
	let mut units = BTreeMap::<&str, usize>::new();
	for opaque in extrinsics {
		let decoded = UncheckedExtrinsic::decode(&mut &opaque.encode()[..]);
		let (kind, n) = match decoded.as_ref().map(|xt| &xt.function) {
			Err(_) => ("undecodable", 1),
			Ok(RuntimeCall::Timestamp(_)) => continue,
			Ok(RuntimeCall::Readings(call)) => readings_in(call),
			Ok(RuntimeCall::Market(_)) => ("orders", 1),
			Ok(RuntimeCall::Auction(pallet_auction::Call::submit_orders { orders })) => {
				("auction orders, relayed", orders.len())
			}
			Ok(RuntimeCall::Auction(_)) => ("auction orders, relayed", 1),
			Ok(RuntimeCall::Balances(_)) => ("transfers", 1),
			Ok(_) => ("other", 1),
		};
		*counts.entry(kind).or_default() += 1;
		*units.entry(kind).or_default() += n;
	}
	let all: usize = counts.values().sum();
	match counts.into_iter().max_by_key(|(_, n)| *n) {
		None => ("empty", 0),
		Some((kind, n)) if n * 100 >= all * OF_A_KIND => {
			(kind, units.get(kind).copied().unwrap_or_default())
		}
		Some(_) => ("mixed", all),
	}
}

/// The kind of a readings call, as `peergrid load` names it, and the readings it carries.
fn readings_in(call: &pallet_readings::Call<Runtime>) -> (&'static str, usize) {
	use pallet_readings::Call;
	const ONE_BY_ONE: &str = "readings, signed one by one";
	match call {
		Call::submit_readings { readings } => (ONE_BY_ONE, readings.len()),
		Call::submit_batch { readings, .. } => ("readings, batch-signed", readings.len()),
		_ => (ONE_BY_ONE, 1),
	}
}

/// One block imported again.
struct Imported {
	number: u32,
	kind: &'static str,
	units: usize,
	/// The weight it consumed and its import time, in ns.
	weight: u64,
	took: u64,
}

/// The weight block `hash` consumed (`System.BlockWeight`, all classes), in ns.
fn consumed(client: &FullClient, hash: <Block as BlockT>::Hash) -> Result<u64, String> {
	let key = frame_system::BlockWeight::<Runtime>::hashed_key();
	let raw = client
		.storage(hash, &sc_client_api::StorageKey(key.to_vec()))
		.map_err(|e| e.to_string())?
		.ok_or_else(|| format!("block {hash:?} has no System.BlockWeight"))?;
	let weight =
		frame_system::ConsumedWeight::decode(&mut &raw.0[..]).map_err(|e| e.to_string())?;
	Ok(weight.total().ref_time() / WEIGHT_REF_TIME_PER_NANOS)
}

/// Imports block `number` again `repeat` times: its hash, the block and the slowest time.
fn import(
	client: &FullClient,
	number: u32,
	repeat: u32,
) -> Result<(<Block as BlockT>::Hash, Block, u64), String> {
	let hash = client
		.hash(number)
		.map_err(|e| e.to_string())?
		.ok_or_else(|| format!("no block {number}"))?;
	let block = client
		.block(hash)
		.map_err(|e| e.to_string())?
		.ok_or_else(|| format!("no body of block {number}"))?
		.block;
	// As the import queue does: the author's seal is checked and taken off before execution.
	let (mut header, extrinsics) = block.deconstruct();
	header.digest_mut().logs.retain(|item| !matches!(item, DigestItem::Seal(..)));
	let block = Block::new(header, extrinsics);
	let parent = *block.header().parent_hash();
	let mut slowest = 0;
	for _ in 0..repeat {
		let started = Instant::now();
		client.runtime_api().execute_block(parent, block.clone().into()).map_err(|e| {
			format!("block {number} on its parent's state (is the state archived?): {e}")
		})?;
		slowest = slowest.max(started.elapsed().as_nanos() as u64);
	}
	Ok((hash, block, slowest))
}

/// Runs the benchmark on `client`'s chain.
pub fn run(cmd: &BenchmarkImportCmd, client: &FullClient) -> Result<(), String> {
	let best = client.info().best_number;
	let to = cmd.to.unwrap_or(best);
	if cmd.from == 0 || cmd.from > to || to > best || cmd.repeat == 0 {
		return Err(format!(
			"--from must be at least 1, at most --to, --to at most the best block ({best}), \
			 --repeat positive"
		));
	}
	let limits = <Runtime as frame_system::Config>::BlockWeights::get();
	let normal = limits.get(DispatchClass::Normal).max_total.unwrap_or(limits.max_block);
	let normal_ns = normal.ref_time() / WEIGHT_REF_TIME_PER_NANOS;
	// A bad file is refused before the blocks are imported again.
	let network = cmd.network.as_deref().map(read_network).transpose()?;
	// The first call of the runtime compiles it (seconds): once, untimed, before the blocks.
	import(client, cmd.from, 1)?;
	let mut full = Vec::new();
	println!(
		"| block | kind | units | weight, ms | of the normal limit | import, ms | weight ÷ time |"
	);
	println!("|---:|---|---:|---:|---:|---:|---:|");
	for number in cmd.from..=to {
		let (hash, block, took) = import(client, number, cmd.repeat)?;
		let weight = consumed(client, hash)?;
		let (kind, units) = kind(block.extrinsics());
		let share = weight as f64 * 100.0 / normal_ns as f64;
		println!(
			"| {number} | {kind} | {units} | {:.1} | {share:.0} % | {:.1} | {:.2} |",
			ms(weight),
			ms(took),
			weight as f64 / took as f64
		);
		if share >= f64::from(cmd.full) {
			full.push(Imported { number, kind, units, weight, took });
		}
	}
	report(&full, cmd.full);
	match (&cmd.network, network) {
		(Some(path), Some(measured)) => report_network(&full, &measured, path, cmd.full),
		_ => Ok(()),
	}
}

/// The p50, p99 and slowest of `times` (ns, at least one) in ms, and the p99's share of the
/// slot: four cells of a table.
fn spread(times: &mut [u64]) -> String {
	let slot = peergrid_runtime::MILLI_SECS_PER_BLOCK as f64;
	let (_, [p50, p99, max]) = stats(times, [50, 99, 100]);
	let share = ms(p99) * 100.0 / slot;
	format!("{:.1} | {:.1} | {:.1} | {share:.1} %", ms(p50), ms(p99), ms(max))
}

/// Nanoseconds in milliseconds.
fn ms(ns: u64) -> f64 {
	ns as f64 / 1e6
}

/// The import times of the full blocks, by kind.
fn report(full: &[Imported], threshold: u32) {
	let slot = peergrid_runtime::MILLI_SECS_PER_BLOCK as f64;
	println!();
	println!(
		"blocks of at least {threshold} % of the normal limit, imported again (ms; slot {slot} ms):"
	);
	print!("| kind | blocks | units a block | import p50 | p99 | slowest | p99 ÷ slot ");
	println!("| µs a unit | weight ÷ time, least |");
	println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
	for (kind, blocks) in by_kind(full) {
		let mut times: Vec<_> = blocks.iter().map(|b| b.took).collect();
		let units: usize = blocks.iter().map(|b| b.units).sum();
		let took: u64 = blocks.iter().map(|b| b.took).sum();
		let ratio = blocks.iter().map(|b| b.weight as f64 / b.took as f64).fold(f64::MAX, f64::min);
		println!(
			"| {kind} | {} | {:.0} | {} | {:.1} | {ratio:.2} |",
			blocks.len(),
			units as f64 / blocks.len() as f64,
			spread(&mut times),
			took as f64 / 1e3 / units.max(1) as f64,
		);
	}
	let numbers: Vec<_> = full.iter().map(|b| b.number.to_string()).collect();
	println!("full blocks: {}", numbers.join(", "));
}

/// The blocks of each kind, kinds in alphabetical order.
fn by_kind(blocks: &[Imported]) -> BTreeMap<&'static str, Vec<&Imported>> {
	let mut kinds = BTreeMap::<_, Vec<_>>::new();
	for block in blocks {
		kinds.entry(block.kind).or_default().push(block);
	}
	kinds
}

/// Times a network's nodes measured, in ns, by block: the author's build and the other
/// validators' imports.
#[derive(Default)]
struct Measured {
	build: BTreeMap<u32, Vec<u64>>,
	import: BTreeMap<u32, Vec<u64>>,
}

/// Reads `--network`'s file; a line that is not `block`, `node`, `build` or `import`, a time
/// in ms is refused with its number.
fn read_network(path: &Path) -> Result<Measured, String> {
	let mut reader = csv::ReaderBuilder::new()
		.delimiter(b'\t')
		.has_headers(false)
		.from_path(path)
		.map_err(|e| format!("{}: {e}", path.display()))?;
	let mut measured = Measured::default();
	for record in reader.records() {
		let bad = |line: u64, why: String| {
			format!(
				"{}, line {line}: {why} (expected block, node, `build` or `import`, ms)",
				path.display()
			)
		};
		let record =
			record.map_err(|e| bad(e.position().map_or(0, |p| p.line()), e.to_string()))?;
		let line = record.position().map_or(0, |p| p.line());
		let (block, _node, what, ms): (u32, String, String, f64) =
			record.deserialize(None).map_err(|e| bad(line, e.to_string()))?;
		let times = match what.as_str() {
			"build" => &mut measured.build,
			"import" => &mut measured.import,
			_ => return Err(bad(line, format!("`{what}` is neither `build` nor `import`"))),
		};
		if !(0.0..3.6e6).contains(&ms) {
			return Err(bad(line, format!("{ms} ms is not a time")));
		}
		times.entry(block).or_default().push((ms * 1e6) as u64);
	}
	Ok(measured)
}

/// The network's times of the full blocks, by kind; an error if it measured none of them.
fn report_network(
	full: &[Imported],
	measured: &Measured,
	path: &Path,
	threshold: u32,
) -> Result<(), String> {
	if full.is_empty() {
		return Err(format!("no block reached --full {threshold} % of the normal limit"));
	}
	let times = |of: &BTreeMap<u32, Vec<u64>>, blocks: &[&Imported]| -> Vec<u64> {
		blocks.iter().filter_map(|b| of.get(&b.number)).flatten().copied().collect()
	};
	let measured_any = full.iter().any(|b| measured.import.contains_key(&b.number));
	if !measured_any {
		return Err(format!("{} has no import time of any of these blocks", path.display()));
	}
	println!();
	println!(
		"the same blocks on the network ({}): the other validators' imports (verification, \
		 execution, storage root, commit) and the author's build, ms:",
		path.display()
	);
	print!("| kind | blocks | imports measured | import p50 | p99 | slowest | p99 ÷ slot ");
	println!("| build p50 | slowest build |");
	println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
	for (kind, blocks) in by_kind(full) {
		let mut imports = times(&measured.import, &blocks);
		if imports.is_empty() {
			continue;
		}
		let mut builds = times(&measured.build, &blocks);
		let [build_p50, build_max] = if builds.is_empty() {
			["-".to_string(), "-".to_string()]
		} else {
			stats(&mut builds, [50, 100]).1.map(|t| format!("{:.1}", ms(t)))
		};
		println!(
			"| {kind} | {} | {} | {} | {build_p50} | {build_max} |",
			blocks.len(),
			imports.len(),
			spread(&mut imports),
		);
	}
	Ok(())
}
