#!/usr/bin/env bash
# The coverage-guided long run of the runtime fuzzer (docs/reliability.md): AFL++ through
# cargo-afl feeds the harness of the runtime's tests (runtime/tests/runtime/fuzzing/, the
# target in fuzz/) for FUZZ_SECONDS (default 3600), then prints AFL++'s figures. It fails if
# AFL++ found a crash (a broken promise or a panic): the inputs are in
# $HOME/.cache/peergrid/fuzz/out/default/crashes/, and one replays with
#   $HOME/.cache/peergrid/afl-target/release/peergrid-fuzz < that-input
#
# The first run installs cargo-afl and builds AFL++ (a few minutes) and the instrumented target
# (a native build of the runtime and FRAME with AFL++'s instrumentation, in a target directory
# of its own: 18 min 39 s on 2 cores, measured 2026-12-01). The test command runs the same harness on 300
# pseudo-random inputs instead (`runtime fuzz`).
set -euo pipefail
source "$(dirname "$0")/common.sh"
bash scripts/setup.sh

seconds="${FUZZ_SECONDS:-3600}"
if ! cargo afl --version >/dev/null 2>&1; then
	cargo install cargo-afl --version 0.18.2 --locked
fi
# AFL++ itself: built by cargo-afl's install as a rule, here otherwise.
cargo afl config --build 2>&1 | grep -q 'already built' || true

export CARGO_TARGET_DIR="$HOME/.cache/peergrid/afl-target"
SKIP_WASM_BUILD=1 cargo afl build --release --locked --manifest-path fuzz/Cargo.toml

work="$HOME/.cache/peergrid/fuzz"
mkdir -p "$work/seeds"
# A few pseudo-random inputs to start from (AFL++ keeps what reaches new paths); a corpus from
# an earlier run is resumed instead.
for n in 1 2 3 4 5 6 7 8; do
	[[ -f "$work/seeds/$n" ]] || head -c $((256 * n)) /dev/urandom >"$work/seeds/$n"
done
input="$work/seeds"
[[ -d "$work/out/default/queue" ]] && input=-

# No terminal UI; no CPU frequency or core-dump settings to ask root for on a shared machine.
AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
	cargo afl fuzz -i "$input" -o "$work/out" -V "$seconds" -t 10000 -m none \
	-- "$CARGO_TARGET_DIR/release/peergrid-fuzz"

stats="$work/out/default/fuzzer_stats"
grep -E '^(run_time|execs_done|execs_per_sec|corpus_count|corpus_found|bitmap_cvg|edges_found|total_edges|saved_crashes|saved_hangs)' "$stats"
crashes=$(awk -F: '/^saved_crashes/ {gsub(/ /, "", $2); print $2}' "$stats")
if [[ "$crashes" != 0 ]]; then
	echo "fuzz: AFL++ found $crashes crash(es): $work/out/default/crashes/" >&2
	exit 1
fi
