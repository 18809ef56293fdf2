//! `peergrid-node benchmark-db`: what a storage read and a storage write cost on this node's
//! database, on a state of realistic size, measured as upstream's `benchmark storage` measures
//! them (frame-benchmarking-cli, which the node does not depend on: it brings Polkadot and
//! Cumulus crates), and writes a `RuntimeDbWeight` for the runtime (`--output`; the runtime
//! does not use one yet: `docs/benchmarks.md`). Unlike upstream, writes stay in the database
//! (upstream undoes each batch), so a state grows a little with every run.
//!
//! The state is built (once, then reused) in a ParityDB opened with the node's own options for
//! its state column (`sc-client-db`: reference-counted, preimage, uniform, LZ4), keyed by node
//! hash as the node keys it, from the keys of the runtime's biggest maps: `System.Account` and
//! `Credits.Accounts` of `--accounts` accounts, `Meters.Meters` and `Readings.MeterStates` of
//! `--meters` meters, values as large as their types allow (`MaxEncodedLen`), each unlike any
//! other.
//!
//! - A **read** is one key, at random, looked up through a new trie backend without any cache
//!   (the root and every node on its path fetched from the database), each key once.
//! - A **write** is a batch of `--batch` keys, at random, given new values: the new storage
//!   root computed and the changed trie nodes committed to the database, timed together, over
//!   `--write-batches` batches back to back (ParityDB commits in the background and makes a
//!   commit wait when it falls behind, so the time of many batches in a row includes it),
//!   divided by the keys written.
//!
//! `docs/benchmarks.md` explains the method and the margin.

use codec::MaxEncodedLen;
use peergrid_runtime::{AccountId, Runtime};
use rand::{rngs::StdRng, Rng, SeedableRng};
use sp_core::{Hasher, H256};
use sp_runtime::{traits::BlakeTwo256, StateVersion};
use sp_state_machine::{Backend, TrieBackendBuilder, TrieBackendStorage};
use std::{path::PathBuf, sync::Arc, time::Instant};

/// The options of `peergrid-node benchmark-db`.
#[derive(Debug, clap::Parser)]
pub struct BenchmarkDbCmd {
	/// The directory of the generated state: built there on first use, reused after.
	#[arg(long, default_value = "/tmp/peergrid-benchmark-db")]
	pub path: PathBuf,
	/// Accounts in the state (each with a `System.Account` and a `Credits.Accounts` entry).
	#[arg(long, default_value_t = 1_000_000)]
	pub accounts: u64,
	/// Meters in the state (each with a `Meters.Meters` and a `Readings.MeterStates` entry).
	#[arg(long, default_value_t = 1_000_000)]
	pub meters: u64,
	/// Keys read, each once.
	#[arg(long, default_value_t = 20_000)]
	pub reads: usize,
	/// Write batches, back to back.
	#[arg(long, default_value_t = 20)]
	pub write_batches: usize,
	/// Keys a write batch changes: as many as a full block of readings writes (two to three
	/// a reading) is the realistic size, since a block's writes are committed together.
	#[arg(long, default_value_t = 10_000)]
	pub batch: usize,
	/// The factor the weights apply to the measured means (1.0: the means as measured).
	#[arg(long, default_value_t = 1.0)]
	pub margin: f64,
	/// Where to write the weights (e.g. runtime/src/weights/db.rs); printed only if absent.
	#[arg(long)]
	pub output: Option<PathBuf>,
}

/// The node's state column in ParityDB (`sc_client_db::columns::STATE`) and how many columns
/// its database has (`sc_client_db::utils::NUM_COLUMNS`).
const STATE: u8 = 1;
const COLUMNS: u8 = 13;
/// Entries inserted a commit while the state is built.
const BUILD_CHUNK: u64 = 200_000;

/// The four maps of the state, by index.
const MAPS: [&str; 4] =
	["System.Account", "Credits.Accounts", "Meters.Meters", "Readings.MeterStates"];

/// The node's ParityDB, as the trie's storage.
struct Db(Arc<parity_db::Db>);

impl TrieBackendStorage<BlakeTwo256> for Db {
	fn get(
		&self,
		key: &H256,
		_prefix: (&[u8], Option<u8>),
	) -> Result<Option<sp_trie::DBValue>, String> {
		self.0.get(STATE, key.as_ref()).map_err(|e| e.to_string())
	}
}

impl Db {
	fn open(path: &std::path::Path) -> Result<Db, String> {
		let mut options = parity_db::Options::with_columns(path, COLUMNS);
		let state = &mut options.columns[STATE as usize];
		state.ref_counted = true;
		state.preimage = true;
		state.uniform = true;
		state.compression = parity_db::CompressionType::Lz4;
		let db = parity_db::Db::open_or_create(&options).map_err(|e| format!("{path:?}: {e}"))?;
		Ok(Db(Arc::new(db)))
	}

	/// The new root after `changes`, and its trie nodes committed.
	fn apply(&self, root: H256, changes: &[(Vec<u8>, Vec<u8>)]) -> Result<H256, String> {
		let backend = TrieBackendBuilder::new(self, root).build();
		let delta = changes.iter().map(|(k, v)| (&k[..], Some(&v[..])));
		let (root, mut nodes) = backend.storage_root(delta, StateVersion::V1);
		// The node keys its state column by node hash alone (the last 32 bytes of the
		// prefixed key), as ParityDB counts references.
		let commit = nodes.drain().into_iter().filter(|(_, (_, rc))| *rc > 0).map(|(k, (v, _))| {
			let hash = k[k.len().saturating_sub(32)..].to_vec();
			(STATE, hash, Some(v))
		});
		self.0.commit(commit).map_err(|e| e.to_string())?;
		Ok(root)
	}
}

/// The account of index `i`.
fn account(i: u64) -> AccountId {
	AccountId::from(BlakeTwo256::hash(&i.to_le_bytes()).0)
}

/// The storage key of `key` in the map `M`, and the largest size of its value.
fn sized<M, K, V>(key: K) -> (Vec<u8>, usize)
where
	M: frame_support::storage::StorageMap<K, V>,
	K: codec::FullEncode,
	V: codec::FullCodec + MaxEncodedLen,
{
	(M::hashed_key_for(key), V::max_encoded_len())
}

/// The storage key of entry `i` of map `map` (see [`MAPS`]), and its value's size.
fn entry(map: usize, i: u64) -> (Vec<u8>, usize) {
	match map {
		0 => sized::<frame_system::Account<Runtime>, _, _>(account(i)),
		1 => sized::<pallet_credits::Accounts<Runtime>, _, _>(account(i)),
		2 => sized::<pallet_meters::Meters<Runtime>, _, _>(i),
		_ => sized::<pallet_readings::MeterStates<Runtime>, _, _>(i),
	}
}

/// Entry `k` of the whole state: the accounts' two maps, then the meters' two.
fn nth(cmd: &BenchmarkDbCmd, k: u64) -> (Vec<u8>, usize) {
	let accounts = 2 * cmd.accounts;
	if k < accounts {
		entry((k % 2) as usize, k / 2)
	} else {
		let m = k - accounts;
		entry(2 + (m % 2) as usize, m / 2)
	}
}

/// The state's root, built first if `cmd.path` has none of this size.
fn state(cmd: &BenchmarkDbCmd, db: &Db) -> Result<H256, String> {
	let marker = cmd.path.join(format!("root-{}-{}", cmd.accounts, cmd.meters));
	if let Ok(hex) = std::fs::read_to_string(&marker) {
		let bytes = sp_core::bytes::from_hex(hex.trim()).map_err(|e| format!("{marker:?}: {e}"))?;
		return Ok(H256::from_slice(&bytes));
	}
	let total = 2 * (cmd.accounts + cmd.meters);
	println!("building a state of {total} entries in {:?} (once)", cmd.path);
	let started = Instant::now();
	let mut root = sp_trie::empty_trie_root::<sp_trie::LayoutV1<BlakeTwo256>>();
	let mut k = 0;
	while k < total {
		let end = (k + BUILD_CHUNK).min(total);
		let chunk: Vec<_> = (k..end)
			.map(|k| {
				let (key, len) = nth(cmd, k);
				(key, value(k, 0, len))
			})
			.collect();
		root = db.apply(root, &chunk)?;
		k = end;
		println!("  {k} entries, {:.0} s", started.elapsed().as_secs_f64());
	}
	std::fs::write(&marker, format!("{root:?}")).map_err(|e| format!("{marker:?}: {e}"))?;
	Ok(root)
}

/// A value of `len` bytes for entry `k` written in round `round`, unlike any other: with state
/// version 1 a value over 32 bytes is a trie node of its own, and equal values would share one.
fn value(k: u64, round: u64, len: usize) -> Vec<u8> {
	let seed = BlakeTwo256::hash(&[k.to_le_bytes(), round.to_le_bytes()].concat());
	seed.0.iter().cycle().take(len).copied().collect()
}

/// The mean, and the values at the given percentiles, of `samples` (ns), sorted in place.
fn stats<const N: usize>(samples: &mut [u64], percentiles: [usize; N]) -> (f64, [u64; N]) {
	samples.sort_unstable();
	let at = |p: usize| samples[(samples.len() * p / 100).min(samples.len() - 1)];
	let mean = samples.iter().sum::<u64>() as f64 / samples.len() as f64;
	(mean, percentiles.map(at))
}

/// Runs the benchmark.
pub fn run(cmd: &BenchmarkDbCmd) -> Result<(), String> {
	let total = 2 * (cmd.accounts + cmd.meters);
	let margin_ok = cmd.margin.is_finite() && cmd.margin >= 1.0;
	if cmd.reads == 0 || cmd.write_batches == 0 || cmd.batch == 0 || !margin_ok {
		return Err("--reads, --write-batches and --batch must be positive, --margin ≥ 1".into());
	}
	if cmd.reads as u64 > total {
		return Err(format!("--reads is at most the state's {total} entries: each is read once"));
	}
	std::fs::create_dir_all(&cmd.path).map_err(|e| format!("{:?}: {e}", cmd.path))?;
	// Measured on the database opened anew: ParityDB serves what it committed lately from
	// memory until it has written it out (on close, at the latest), which made reads right
	// after the build three times faster than reads of a node's state.
	let mut root = state(cmd, &Db::open(&cmd.path)?)?;
	let db = Db::open(&cmd.path)?;
	let mut rng = StdRng::seed_from_u64(42);

	let mut reads = Vec::with_capacity(cmd.reads);
	for k in rand::seq::index::sample(&mut rng, total as usize, cmd.reads) {
		let (key, len) = nth(cmd, k as u64);
		let backend = TrieBackendBuilder::new(&db, root).build();
		let started = Instant::now();
		let value = backend.storage(&key).map_err(|e| format!("reading: {e}"))?;
		reads.push(started.elapsed().as_nanos() as u64);
		if value.map(|v| v.len()) != Some(len) {
			let key = sp_core::hexdisplay::HexDisplay::from(&key);
			return Err(format!("the state lacks key 0x{key}: remove {:?}", cmd.path));
		}
	}
	let (read, [read_p50, read_p95, read_p99]) = stats(&mut reads, [50, 95, 99]);

	// Values unlike those of earlier runs on the same state.
	let run: u64 = rng.gen::<u64>() ^ started_ns();
	let mut batches = Vec::with_capacity(cmd.write_batches);
	for b in 0..cmd.write_batches as u64 {
		let changes: Vec<_> = (0..cmd.batch)
			.map(|_| {
				let k = rng.gen_range(0..total);
				let (key, len) = nth(cmd, k);
				(key, value(k, run.wrapping_add(b), len))
			})
			.collect();
		let started = Instant::now();
		root = db.apply(root, &changes)?;
		batches.push(started.elapsed().as_nanos() as u64 / cmd.batch as u64);
	}
	// Every batch the same size: the mean of the batches' means is the mean a key.
	let (write, [write_min, write_median, write_max]) = stats(&mut batches, [0, 50, 100]);

	println!("state: {total} entries of {} in {:?}", MAPS.join(", "), cmd.path);
	let us = |ns: u64| ns as f64 / 1000.0;
	println!("| read, uncached, µs | mean | p50 | p95 | p99 |");
	println!("|---|---:|---:|---:|---:|");
	println!(
		"| {} keys, each once | {:.2} | {:.2} | {:.2} | {:.2} |",
		cmd.reads,
		read / 1000.0,
		us(read_p50),
		us(read_p95),
		us(read_p99)
	);
	println!("| write, µs a key | mean | fastest batch | median batch | slowest batch |");
	println!("|---|---:|---:|---:|---:|");
	println!(
		"| {} batches of {} keys | {:.2} | {:.2} | {:.2} | {:.2} |",
		cmd.write_batches,
		cmd.batch,
		write / 1000.0,
		us(write_min),
		us(write_median),
		us(write_max)
	);
	let weights = weights_file(cmd, read, write);
	match &cmd.output {
		Some(file) => std::fs::write(file, weights).map_err(|e| format!("{file:?}: {e}"))?,
		None => print!("{weights}"),
	}
	Ok(())
}

/// `runtime/src/weights/db.rs`: the mean read and write, times the margin, in whole ns.
fn weights_file(cmd: &BenchmarkDbCmd, read_ns: f64, write_ns: f64) -> String {
	let read = (read_ns * cmd.margin).ceil() as u64;
	let write = (write_ns * cmd.margin).ceil() as u64;
	format!(
		"//! The runtime's database weights: what a storage read and a storage write cost on the
//! node's ParityDB, measured by `peergrid-node benchmark-db` (do not edit: run it again;
//! `docs/benchmarks.md` explains it).
//!
//! Measured on a state of {entries} entries ({accounts} accounts, {meters} meters):
//! a read, uncached, {read_us:.2} µs on average over {reads} keys; a write, with the storage
//! root and the commit, {write_us:.2} µs a key on average over {batches} batches of {batch}.
//! Both times the margin {margin}.

use frame_support::weights::{{constants::WEIGHT_REF_TIME_PER_NANOS, RuntimeDbWeight}};

/// The cost of a storage read and of a storage write on the node's database.
pub const PEERGRID_DB_WEIGHT: RuntimeDbWeight = RuntimeDbWeight {{
	read: {read} * WEIGHT_REF_TIME_PER_NANOS,
	write: {write} * WEIGHT_REF_TIME_PER_NANOS,
}};
",
		entries = 2 * (cmd.accounts + cmd.meters),
		accounts = cmd.accounts,
		meters = cmd.meters,
		read_us = read_ns / 1000.0,
		reads = cmd.reads,
		write_us = write_ns / 1000.0,
		batches = cmd.write_batches,
		batch = cmd.batch,
		margin = cmd.margin,
	)
}

/// Nanoseconds since the Unix epoch: what makes a run's written values its own.
fn started_ns() -> u64 {
	std::time::SystemTime::now()
		.duration_since(std::time::UNIX_EPOCH)
		.map(|d| d.as_nanos() as u64)
		.unwrap_or_default()
}
