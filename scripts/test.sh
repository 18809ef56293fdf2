#!/usr/bin/env bash
# One command from a fresh machine to every test: installs what is missing, checks formatting,
# then builds and runs the pallets' unit tests and the runtime tests, the end-to-end tests
# (which start real `peergrid-node` processes on local ports), a short load on the four-validator
# network (scripts/load-network.sh), then the zombienet tests of the four-utility network under
# faults. The lints ride on those builds (`lint_while_building` in
# common.sh: clippy-driver compiles the project's own crates, warnings are errors), so that each
# configuration is type-checked once, not once for clippy and again to build. Everything is built
# in the release profile, which the node that the end-to-end tests start needs anyway, in two
# configurations:
#
# - the node's (default features): the node and the client, and with them every crate of the
#   workspace's library code; their tests, the end-to-end tests among them;
# - the checks' (`runtime-benchmarks` and `try-runtime`, native only: SKIP_WASM_BUILD, no
#   runtime wasm, so it never touches the node's): the pallets' unit and benchmark tests and the
#   runtime tests, with every pallet's `try_state` after every block and the upgrade tried on a
#   real chain's state (runtime/tests/runtime/try_runtime.rs).
#
# Arguments go to the `cargo test`s, e.g. `scripts/test.sh reading` runs only the tests whose
# names contain "reading". docs/build.md has the times and what takes them.
set -euo pipefail
source "$(dirname "$0")/common.sh"
bash scripts/setup.sh
lint_while_building
# The mainstream JavaScript clients that the end-to-end test mainstream_clients decodes blocks
# with (polkadot.js and PAPI, versions pinned by scripts/js/package-lock.json): fetched first, so
# a registry problem stops the run before the builds rather than after them. They need Node.js 18
# or newer.
node_major=$(node --version | sed 's/^v\([0-9]*\).*/\1/')
if [ "$node_major" -lt 18 ]; then
	echo "test: Node.js $(node --version) is too old: the JavaScript clients need 18 or newer" >&2
	exit 1
fi
npm ci --prefix scripts/js --no-audit --no-fund --loglevel=error

# The zombienet tests are a workspace of their own (see zombienet/README.md).
zombienet=(--manifest-path zombienet/Cargo.toml)
# The checks' configuration: the crates tested against mocks and the native runtime.
checked=(-p peergrid-primitives -p pallet-meters -p pallet-readings -p pallet-credits
	-p pallet-market -p pallet-auction -p pallet-validators -p peergrid-runtime)
checks=(--features peergrid-runtime/runtime-benchmarks,peergrid-runtime/try-runtime)

started=$(date +%s)
step() { echo "== $1 (at $(($(date +%s) - started)) s)"; }

step "the alert rules (promtool test rules docs/prometheus/alerts.test.yml)"
(cd docs/prometheus && promtool check rules alerts.yml && promtool test rules alerts.test.yml)

step "cargo fmt --check"
cargo fmt --all -- --check
cargo fmt "${zombienet[@]}" -- --check
cargo fmt --manifest-path fuzz/Cargo.toml -- --check

step "the checks' configuration (linted): the pallets' unit and benchmark tests, the runtime tests"
SKIP_WASM_BUILD=1 cargo test --release --locked "${checked[@]}" "${checks[@]}" "$@"

step "the node's configuration (linted): the node's, the client's and the indexer's unit and end-to-end tests"
# The end-to-end tests (tests/end_to_end/) spend their time waiting for blocks, each on its own
# nodes: all of them run at once (the flood, which takes the cores, is a binary of its own).
# First the run command's build (scripts/build.sh): the binaries the tests drive, `peergrid`
# among them, which `cargo test` alone does not build.
cargo build --release --locked --workspace
# The indexer's test writes into a real PostgreSQL too: a throwaway server on a local port.
pg_dir="${TMPDIR:-/tmp}/peergrid-test-postgres-$$"
trap 'bash scripts/postgres.sh stop "$pg_dir"' EXIT
PEERGRID_TEST_POSTGRES_URL=$(bash scripts/postgres.sh start "$pg_dir")
export PEERGRID_TEST_POSTGRES_URL
RUST_TEST_THREADS=8 cargo test --release --locked -p peergrid-node -p peergrid-client \
	-p peergrid-indexer "$@"
bash scripts/postgres.sh stop "$pg_dir"

if [ $# -eq 0 ]; then
	step "the load on the four-validator network, short (scripts/load-network.sh)"
	# Its long run's figures are in docs/benchmarks.md; blocks this short load fills are not
	# full, so all of them are set beside the network's times.
	LOAD_NETWORK_FULL=0 bash scripts/load-network.sh --meters 64 --intervals 8 --orders 200 \
		--auction-orders 200 --transfers 400 --zones 2
	step "the indexer's speed, short (scripts/index-bench.sh)"
	# Its million-reading run's figures are in docs/indexer.md.
	INDEX_BENCH_DIR="${TMPDIR:-/tmp}/peergrid-index-bench-test" bash scripts/index-bench.sh \
		--meters 64 --intervals 8 --orders 20 --auction-orders 0 --transfers 20 --zones 2
fi

step "zombienet (linted): the four-utility network under faults (native provider)"
# The runtimes the network starts on (2-second blocks) and upgrades to by motion (spec_version
# + 1), built once per change of the runtime.
PEERGRID_TEST_RUNTIMES=$(bash scripts/test-runtimes.sh)
export PEERGRID_TEST_RUNTIMES
PATH="$CARGO_TARGET_DIR/release:$PATH" cargo test --release --locked "${zombienet[@]}" "$@" -- --nocapture

step "all tests passed"
