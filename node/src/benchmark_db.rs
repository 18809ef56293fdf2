//! `peergrid-node benchmark-db`: what a storage read and a storage write cost on this node's
//! database, on a state of realistic size, measured as upstream's `benchmark storage` measures
//! them (frame-benchmarking-cli, which the node does not depend on: it brings Polkadot and
//! Cumulus crates), and writes the `RuntimeDbWeight` the runtime uses (`--output
//! runtime/src/weights/db.rs`): the median over `--rounds` rounds of each round's mean. Unlike
//! upstream, writes stay in the database (upstream undoes each batch), so a state grows a
//! little with every run.
//!
//! The state is built (once, then reused) in a ParityDB opened with the node's own options for
//! its state column (`sc-client-db`: reference-counted, preimage, uniform, LZ4), keyed by node
//! hash as the node keys it, from the keys of the runtime's biggest maps: `System.Account` and
//! `Credits.Accounts` of `--accounts` accounts, `Meters.Meters` and `Readings.MeterStates` of
//! `--meters` meters, values as large as their types allow (`MaxEncodedLen`), each unlike any
//! other.
//!
//! Before the rounds the state's files are read once, so that the OS holds them in memory as
//! it does a validator's state; the trie has no cache of its own.
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
	/// Rounds, each on the database opened anew; the weights are the median of their means.
	#[arg(long, default_value_t = 3)]
	pub rounds: usize,
	/// Keys read a round, each once (over all rounds).
	#[arg(long, default_value_t = 20_000)]
	pub reads: usize,
	/// Write batches a round, back to back.
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
	let total = entries(cmd);
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
pub(crate) fn stats<const N: usize>(
	samples: &mut [u64],
	percentiles: [usize; N],
) -> (f64, [u64; N]) {
	samples.sort_unstable();
	// Nearest rank: the least sample with at least p % of the samples at or below it.
	let at = |p: usize| samples[(samples.len() * p).div_ceil(100).saturating_sub(1)];
	let mean = samples.iter().sum::<u64>() as f64 / samples.len() as f64;
	(mean, percentiles.map(at))
}

/// One round's figures, in ns: the mean read and its p50, p95 and p99; the mean write a key
/// and its fastest, median and slowest batch.
struct Round {
	read: f64,
	reads: [u64; 3],
	write: f64,
	batches: [u64; 3],
}

/// One round on the database opened anew: ParityDB serves what it committed lately from
/// memory until it has written it out (on close, at the latest), which made reads right after
/// the build three times faster than reads of a node's state. Reads `keys`, then writes
/// `--write-batches` batches; returns the new root and the figures.
fn round(
	cmd: &BenchmarkDbCmd,
	mut root: H256,
	keys: &[usize],
	rng: &mut StdRng,
) -> Result<(H256, Round), String> {
	let db = Db::open(&cmd.path)?;
	let total = entries(cmd);
	let mut reads = Vec::with_capacity(keys.len());
	for &k in keys {
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
	let (read, reads) = stats(&mut reads, [50, 95, 99]);

	// Values unlike those of earlier rounds and runs on the same state.
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
	let (write, batches) = stats(&mut batches, [0, 50, 100]);
	Ok((root, Round { read, reads, write, batches }))
}

/// Reads every file of the state once, so that the OS keeps it in memory, as a validator with
/// memory for its whole state does (`docs/operators.md`); returns the bytes read. Without it, a
/// round right after the machine's page cache was emptied waited for the disk: 786 µs a read
/// on this machine, against 12 to 18 µs with the state in memory.
fn warm(path: &std::path::Path) -> Result<u64, String> {
	let mut bytes = 0;
	for entry in std::fs::read_dir(path).map_err(|e| format!("{path:?}: {e}"))? {
		let file = entry.map_err(|e| format!("{path:?}: {e}"))?.path();
		if file.is_file() {
			let mut reader = std::fs::File::open(&file).map_err(|e| format!("{file:?}: {e}"))?;
			bytes += std::io::copy(&mut reader, &mut std::io::sink())
				.map_err(|e| format!("{file:?}: {e}"))?;
		}
	}
	Ok(bytes)
}

/// The entries of the state: two for each account and two for each meter.
fn entries(cmd: &BenchmarkDbCmd) -> u64 {
	2 * (cmd.accounts + cmd.meters)
}

/// The median of `values`, sorted in place: the lower of the middle two, as the nearest-rank
/// p50 of [`stats`].
fn median(values: &mut [f64]) -> f64 {
	values.sort_unstable_by(f64::total_cmp);
	values[(values.len() - 1) / 2]
}

/// Runs the benchmark.
pub fn run(cmd: &BenchmarkDbCmd) -> Result<(), String> {
	let total = entries(cmd);
	let margin_ok = cmd.margin.is_finite() && cmd.margin >= 1.0;
	if cmd.rounds == 0 || cmd.reads == 0 || cmd.write_batches == 0 || cmd.batch == 0 || !margin_ok {
		return Err(
			"--rounds, --reads, --write-batches and --batch must be positive, --margin ≥ 1".into(),
		);
	}
	let all_reads = cmd.reads.saturating_mul(cmd.rounds);
	if all_reads as u64 > total {
		return Err(format!(
			"--reads × --rounds is at most the state's {total} entries: each is read once"
		));
	}
	std::fs::create_dir_all(&cmd.path).map_err(|e| format!("{:?}: {e}", cmd.path))?;
	let mut root = state(cmd, &Db::open(&cmd.path)?)?;
	println!("the state's files read once into memory: {} MB", warm(&cmd.path)? >> 20);
	let mut rng = StdRng::seed_from_u64(42);
	let keys = rand::seq::index::sample(&mut rng, total as usize, all_reads).into_vec();
	let mut rounds = Vec::with_capacity(cmd.rounds);
	for keys in keys.chunks(cmd.reads) {
		let (new_root, figures) = round(cmd, root, keys, &mut rng)?;
		root = new_root;
		rounds.push(figures);
	}

	println!("state: {total} entries of {} in {:?}", MAPS.join(", "), cmd.path);
	let us = |ns: u64| ns as f64 / 1000.0;
	println!(
		"| read, uncached, µs ({} keys a round, each once) | mean | p50 | p95 | p99 |",
		cmd.reads
	);
	println!("|---|---:|---:|---:|---:|");
	for (i, r) in rounds.iter().enumerate() {
		let [p50, p95, p99] = r.reads.map(us);
		println!("| round {} | {:.2} | {p50:.2} | {p95:.2} | {p99:.2} |", i + 1, r.read / 1000.0);
	}
	print!("| write, µs a key ({} batches of {} keys a round) ", cmd.write_batches, cmd.batch);
	println!("| mean | fastest batch | median batch | slowest batch |");
	println!("|---|---:|---:|---:|---:|");
	for (i, r) in rounds.iter().enumerate() {
		let [min, mid, max] = r.batches.map(us);
		println!("| round {} | {:.2} | {min:.2} | {mid:.2} | {max:.2} |", i + 1, r.write / 1000.0);
	}
	let read = median(&mut rounds.iter().map(|r| r.read).collect::<Vec<_>>());
	let write = median(&mut rounds.iter().map(|r| r.write).collect::<Vec<_>>());
	println!(
		"median of the rounds' means: read {:.2} µs, write {:.2} µs",
		read / 1000.0,
		write / 1000.0
	);
	let weights = weights_file(cmd, read, write);
	match &cmd.output {
		Some(file) => std::fs::write(file, weights).map_err(|e| format!("{file:?}: {e}"))?,
		None => print!("{weights}"),
	}
	Ok(())
}

/// `runtime/src/weights/db.rs`: the medians of the rounds' mean read and write, times the
/// margin, in whole ns.
fn weights_file(cmd: &BenchmarkDbCmd, read_ns: f64, write_ns: f64) -> String {
	let read = (read_ns * cmd.margin).ceil() as u64;
	let write = (write_ns * cmd.margin).ceil() as u64;
	format!(
		"//! The runtime's database weights: what a storage read and a storage write cost on the
//! node's ParityDB, measured by `peergrid-node benchmark-db` (do not edit: run it again;
//! `docs/benchmarks.md` explains it).
//!
//! Measured on a state of {entries} entries ({accounts} accounts, {meters} meters) held in
//! the OS's memory (as on a validator with memory for its state), in {rounds} rounds, each on
//! the database opened anew; the median of the rounds' means: a read, uncached, {read_us:.2} µs
//! (a round: the mean over {reads} keys); a write, with the storage root and the commit,
//! {write_us:.2} µs a key (a round: {batches} batches of {batch}). Both times the margin {margin}.

use frame_support::{{
	parameter_types,
	weights::{{constants::WEIGHT_REF_TIME_PER_NANOS, RuntimeDbWeight}},
}};

parameter_types! {{
	/// The cost of a storage read and of a storage write on the node's database.
	pub const PeergridDbWeight: RuntimeDbWeight = RuntimeDbWeight {{
		read: {read} * WEIGHT_REF_TIME_PER_NANOS,
		write: {write} * WEIGHT_REF_TIME_PER_NANOS,
	}};
}}
",
		entries = entries(cmd),
		rounds = cmd.rounds,
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
