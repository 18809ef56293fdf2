#!/usr/bin/env bash
# The coverage-guided long run of the runtime fuzzer (docs/reliability.md): AFL++ through
# cargo-afl feeds the harness of the runtime's tests (runtime/tests/runtime/fuzzing/, the
# target in fuzz/) for FUZZ_SECONDS (default 3600), then prints AFL++'s figures. It fails if
# AFL++ found a crash (a broken promise or a panic): the inputs are in
# $HOME/.cache/peergrid/fuzz/out/default/crashes/, and one replays with
#   $HOME/.cache/peergrid/afl-target/release/peergrid-fuzz < that-input
# Otherwise it minimizes what it found into fuzz/corpus/, which the test command plays.
#
# The first run installs cargo-afl and builds AFL++ (a few minutes) and the instrumented target
# (a native build of the runtime and FRAME with AFL++'s instrumentation, in a target directory
# of its own: 18 min 39 s on 2 cores, measured 2026-12-01). The test command runs the same
# harness on 300 pseudo-random inputs and on every input of fuzz/corpus/ (`runtime fuzz`).
set -euo pipefail
source "$(dirname "$0")/common.sh"
bash scripts/setup.sh

seconds="${FUZZ_SECONDS:-3600}"
if ! cargo afl --version >/dev/null 2>&1; then
	# In a target directory of its own: the shared one may be locked by a build under way.
	cargo install cargo-afl --version 0.18.2 --locked --target-dir "$HOME/.cache/peergrid/afl-install"
fi
# AFL++ itself: built by cargo-afl's install as a rule, here otherwise.
cargo afl config --build 2>&1 | grep -q 'already built' || true

export CARGO_TARGET_DIR="$HOME/.cache/peergrid/afl-target"
SKIP_WASM_BUILD=1 cargo afl build --release --locked --manifest-path fuzz/Cargo.toml

work="$HOME/.cache/peergrid/fuzz"
corpus=fuzz/corpus
# Every run starts from the repository's corpus (what earlier runs found, minimized), or from a
# few pseudo-random inputs when it is empty: the corpus, not this machine's last queue, is what
# carries a run's findings to the next one.
seeds="$work/seeds"
rm -rf "$seeds" "$work/out" && mkdir -p "$seeds" "$corpus"
find "$corpus" -maxdepth 1 -type f -exec cp {} "$seeds/" \;
if [[ -z "$(ls -A "$seeds")" ]]; then
	for n in 1 2 3 4 5 6 7 8; do head -c $((256 * n)) /dev/urandom >"$seeds/$n"; done
fi

# No terminal UI; no CPU frequency or core-dump settings to ask root for on a shared machine.
AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
	cargo afl fuzz -i "$seeds" -o "$work/out" -V "$seconds" -t 10000 -m none \
	-- "$CARGO_TARGET_DIR/release/peergrid-fuzz"

stats="$work/out/default/fuzzer_stats"
grep -E '^(run_time|execs_done|execs_per_sec|corpus_count|corpus_found|bitmap_cvg|edges_found|total_edges|saved_crashes|saved_hangs)' "$stats"
crashes=$(awk -F: '/^saved_crashes/ {gsub(/ /, "", $2); print $2}' "$stats")
if [[ "$crashes" != 0 ]]; then
	echo "fuzz: AFL++ found $crashes crash(es): $work/out/default/crashes/" >&2
	exit 1
fi

# The corpus, minimized (the fewest inputs that reach every path the queue reached), back into
# the repository under names that are their contents' hashes: the test command plays every one
# (`runtime fuzz::the_coverage_guided_corpus_breaks_no_promise`). Commit it. The queue holds the
# seeds, so the corpus keeps every path it reached before. (AFL++'s afl-cmin is Python.)
command -v python3 >/dev/null || { echo "fuzz: afl-cmin needs python3" >&2; exit 1; }
minimized="$work/minimized"
rm -rf "$minimized"
cargo afl cmin -i "$work/out/default/queue" -o "$minimized" -t 10000 -m none \
	-- "$CARGO_TARGET_DIR/release/peergrid-fuzz"
rm -f "$corpus"/*
for file in "$minimized"/*; do
	cp "$file" "$corpus/$(sha256sum "$file" | cut -c1-16)"
done
echo "fuzz: fuzz/corpus/ holds $(find "$corpus" -type f | wc -l) inputs (minimized); commit them"
