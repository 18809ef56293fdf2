#!/usr/bin/env bash
# Measures the weights of the energy pallets (and of balances, the yardstick) and writes them:
# builds the runtime with `--features runtime-benchmarks`, runs every benchmark with
# frame-omni-bencher on that wasm (installed on first use, about 40 minutes on 2 cores), and
# writes `pallets/<pallet>/src/weights.rs` (from scripts/weights.hbs) and, for the transaction
# extensions every signed transaction pays, for balances and for the block's and the
# extrinsic's base weights, `runtime/src/weights/*.rs`. Run it on the reference machine, idle,
# after `peergrid-node benchmark-db --output runtime/src/weights/db.rs` (the database's
# weights, which every weight's reads and writes are priced at); commit what it writes. STEPS
# and REPEAT override the sampling (50 and 10, the committed weights' settings; fewer than 50
# steps gave place_order's proof-size estimate a broken fit, a 19-digit intercept, with
# frame-omni-bencher 0.28). PALLETS="readings market" measures only those energy pallets (and
# neither the runtime's weights nor the base weights), after a change to them alone.
# `docs/benchmarks.md` explains it.
set -euo pipefail
source "$(dirname "$0")/common.sh"
bash scripts/setup.sh
lint_while_building

OMNI_VERSION=0.28.0
if ! frame-omni-bencher --version 2>/dev/null | grep -q "$OMNI_VERSION"; then
	echo "benchmark: installing frame-omni-bencher $OMNI_VERSION (once)"
	cargo install frame-omni-bencher --version "$OMNI_VERSION" --locked \
		--target-dir "$HOME/.cache/peergrid/omni-target"
fi

echo "benchmark: building the runtime with its benchmarks"
cargo build --release --locked -p peergrid-runtime --features runtime-benchmarks
bench_dir="$HOME/.cache/peergrid/bench"
mkdir -p "$bench_dir"
wasm="$bench_dir/peergrid_runtime_benchmarks.wasm"
cp "$CARGO_TARGET_DIR/release/wbuild/peergrid-runtime/peergrid_runtime.compact.compressed.wasm" "$wasm"
# The benchmark build wrote its wasm where the node's build reads it: make the next build of
# the runtime build its own again.
touch runtime/build.rs

bench() {
	frame-omni-bencher v1 benchmark pallet --runtime "$wasm" --pallet "$1" --extrinsic '*' \
		--steps "${STEPS:-50}" --repeat "${REPEAT:-10}" --output "$2" "${@:3}"
}
for pallet in ${PALLETS:-meters readings credits market}; do
	echo "benchmark: pallet_$pallet"
	bench "pallet_$pallet" "pallets/$pallet/src/weights.rs" --template scripts/weights.hbs
done
if [ -n "${PALLETS:-}" ]; then
	echo "benchmark: done ($PALLETS); rebuild (scripts/build.sh) to use the new weights"
	exit 0
fi
for pallet in frame_system_extensions pallet_transaction_payment pallet_balances; do
	echo "benchmark: $pallet"
	bench "$pallet" "runtime/src/weights/$pallet.rs"
done
# What every block and every extrinsic cost before their calls: an empty block's execution
# (`BlockExecutionWeight`) and a no-op extrinsic's (`ExtrinsicBaseWeight`), on the development
# preset's state; the runtime's `RuntimeBlockWeights` uses them. The files name `sp_weights`,
# which the runtime reaches through `frame_support`.
echo "benchmark: overhead (block and extrinsic base weights)"
frame-omni-bencher v1 benchmark overhead --runtime "$wasm" --genesis-builder runtime \
	--genesis-builder-preset development --weight-path runtime/src/weights
sed -i 's/sp_weights::/frame_support::weights::/g' runtime/src/weights/{block,extrinsic}_weights.rs
rustfmt runtime/src/weights/{block,extrinsic}_weights.rs
echo "benchmark: done; rebuild (scripts/build.sh) to use the new weights"
