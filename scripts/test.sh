#!/usr/bin/env bash
# One command from a fresh machine to every test: installs what is missing, checks formatting
# and lints, then runs the pallet unit tests, the runtime tests and the end-to-end tests (which
# start real `peergrid-node` processes on local ports), then the zombienet tests of the
# four-utility network under faults. Everything is built once, in the release profile, which
# the node that the end-to-end tests start needs anyway. The energy pallets' benchmarks are tested,
# and the runtime built, with `--features runtime-benchmarks` too. Arguments go to the `cargo test`s,
# e.g. `scripts/test.sh reading` runs only the tests whose names contain "reading".
set -euo pipefail
source "$(dirname "$0")/common.sh"
bash scripts/setup.sh

# The zombienet tests are a workspace of their own (see zombienet/README.md).
zombienet=(--manifest-path zombienet/Cargo.toml)

echo "== cargo fmt --check"
cargo fmt --all -- --check
cargo fmt "${zombienet[@]}" -- --check

echo "== cargo clippy (release profile, all targets, warnings are errors)"
cargo clippy --release --locked --workspace --all-targets -- -D warnings
cargo clippy --release --locked "${zombienet[@]}" --all-targets -- -D warnings

echo "== benchmarks: lints, the pallets' benchmark tests and the runtime, built with runtime-benchmarks"
bench_crates=(-p pallet-meters -p pallet-readings -p pallet-credits -p pallet-market -p peergrid-runtime)
cargo clippy --release --locked "${bench_crates[@]}" --features runtime-benchmarks --all-targets -- -D warnings
cargo test --release --locked "${bench_crates[@]}" --features runtime-benchmarks "$@"
# That build wrote its wasm where the node's build reads it: make the runtime build its own again.
touch runtime/build.rs

echo "== cargo test (release): unit, runtime and end-to-end tests"
cargo test --release --locked --workspace "$@"

echo "== zombienet: the four-utility network under faults (native provider)"
PATH="$CARGO_TARGET_DIR/release:$PATH" cargo test --release --locked "${zombienet[@]}" "$@" -- --nocapture
