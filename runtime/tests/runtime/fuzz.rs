//! The runtime fuzzer's short run, part of the test command: the harness of `fuzzing/` on
//! pseudo-random inputs (`PEERGRID_FUZZ_RUNS` inputs, 300 by default, from the seed
//! `PEERGRID_FUZZ_SEED`). Any broken promise fails the test with the input that broke it, in
//! hex, so that it can be played again. A coverage-guided long run and its figures:
//! `docs/reliability.md`.

use peergrid_primitives::Xorshift;

/// The inputs, drawn from a deterministic generator: the same seed, the same inputs.
struct Inputs(Xorshift);

impl Inputs {
	/// An input of 64 to 2,048 bytes.
	fn input(&mut self) -> Vec<u8> {
		let len = 64 + self.0.below(1_985) as usize;
		(0..len).map(|_| self.0.next_u64() as u8).collect()
	}
}

fn setting(name: &str, default: u64) -> u64 {
	std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Plays one input through the harness; a broken promise fails the test with the input's name
/// and its bytes in hex, so that it can be played again.
fn play(name: &str, input: &[u8]) {
	if std::panic::catch_unwind(|| crate::fuzzing::run(input)).is_err() {
		let hex: String = input.iter().map(|b| format!("{b:02x}")).collect();
		panic!("input {name} broke a promise (above); it was, in hex:\n{hex}");
	}
}

/// Prints what the inputs played on this test's thread did: blocks, transactions, events.
fn print_stats(inputs: &str) {
	crate::fuzzing::STATS.with_borrow(|stats| {
		eprintln!(
			"{inputs}: {} blocks, {} transactions succeeded, {} failed in their block, {} \
			 refused; {} kinds of event: {:?}",
			stats.blocks,
			stats.succeeded,
			stats.failed,
			stats.refused,
			stats.events.len(),
			stats.events
		);
	});
}

#[test]
fn random_sequences_of_calls_break_no_promise() {
	let runs = setting("PEERGRID_FUZZ_RUNS", 300);
	let mut inputs = Inputs(Xorshift(setting("PEERGRID_FUZZ_SEED", 0x005E_ED0F_F00D).max(1)));
	for run in 0..runs {
		play(&run.to_string(), &inputs.input());
	}
	print_stats(&format!("{runs} inputs"));
	crate::fuzzing::STATS.with_borrow(|stats| {
		assert!(stats.succeeded > 0 && stats.failed > 0 && stats.refused > 0, "{stats:?}");
		// The runs reach the deep paths: readings accepted and rejected in blocks, credits
		// minted, trades, motions executed (events by pallet and variant index).
		for (what, kind) in [
			("ReadingAccepted", (11, 0)),
			("ReadingRejected", (11, 1)),
			("Credits.Minted", (12, 0)),
			("Market.Trade", (13, 1)),
			("Consortium.Executed", (15, 4)),
		] {
			assert!(stats.events.contains_key(&kind), "no {what} in any run: {stats:?}");
		}
	});
}

/// The corpus the coverage-guided fuzzer kept (`fuzz/corpus/`, minimized by `scripts/fuzz.sh`:
/// the fewest inputs that reach every path its runs reached), played again on every test run, so
/// that a change that breaks a promise on a path only the fuzzer found fails here.
#[test]
fn the_coverage_guided_corpus_breaks_no_promise() {
	let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus");
	let mut files: Vec<_> = std::fs::read_dir(&corpus)
		.unwrap_or_else(|e| panic!("{}: {e}", corpus.display()))
		.map(|entry| entry.expect("a readable directory entry").path())
		.filter(|path| path.is_file())
		.collect();
	files.sort();
	assert!(
		files.len() >= 10,
		"fuzz/corpus/ holds {} inputs; scripts/fuzz.sh fills it",
		files.len()
	);
	for file in &files {
		let input = std::fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
		play(&file.display().to_string(), &input);
	}
	print_stats(&format!("{} inputs of fuzz/corpus/ played", files.len()));
}
