#!/usr/bin/env bash
# Builds the two runtimes the zombienet test runs and prints the directory that holds them:
#
# - genesis.wasm: the runtime with 2-second blocks (feature `fast-blocks`). The network starts
#   on it (zombienet's `wasm_override`), so that what takes a number of blocks (sessions,
#   finality after faults, history older than 256 blocks) takes a third of the time;
# - next.wasm: the same code declaring spec_version + 1 (features `fast-blocks,next-spec`), which
#   the network upgrades to by a consortium motion.
#
# They are kept under $HOME/.cache/peergrid/test-runtimes/, in a directory named by a hash of the
# runtime's sources, so that they are built once per change of the runtime, not per run. Each
# build writes its wasm where the node's build reads the runtime's, so the script then touches
# runtime/build.rs: the next build of the node builds the runtime's own wasm again.
set -euo pipefail
source "$(dirname "$0")/common.sh"

# The key: names and contents of every file the runtime is built from (tracked or new), and of
# this script.
sources=$(git ls-files -co --exclude-standard -- Cargo.toml Cargo.lock runtime pallets \
	primitives scripts/test-runtimes.sh | xargs -d '\n' sha256sum | sha256sum)
cache="$HOME/.cache/peergrid/test-runtimes"
runtimes="$cache/${sources%% *}"
if [[ ! -f "$runtimes/next.wasm" ]]; then
	built="$CARGO_TARGET_DIR/release/wbuild/peergrid-runtime/peergrid_runtime.compact.compressed.wasm"
	rm -rf "$cache"
	mkdir -p "$runtimes.partial"
	echo "test-runtimes: building the runtime with 2-second blocks (feature fast-blocks)" >&2
	cargo build --release --locked -p peergrid-runtime --features fast-blocks >&2
	cp "$built" "$runtimes.partial/genesis.wasm"
	echo "test-runtimes: building it as spec_version + 1 (features fast-blocks, next-spec)" >&2
	cargo build --release --locked -p peergrid-runtime --features fast-blocks,next-spec >&2
	cp "$built" "$runtimes.partial/next.wasm"
	mv "$runtimes.partial" "$runtimes"
	touch runtime/build.rs
fi
echo "$runtimes"
