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
# runtime's sources, so that they are built once per change of the runtime, not per run (the
# newest three are kept). Each build writes its wasm where the node's build reads the runtime's,
# so the script then touches runtime/build.rs: the next build of the node builds the runtime's
# own wasm again.
set -euo pipefail
source "$(dirname "$0")/common.sh"
lint_while_building

# The key: names and contents of every file the runtime is built from (tracked or new; the
# runtime's tests are not), of the toolchain file and of this script.
sources=$(git ls-files -co --exclude-standard -- Cargo.toml Cargo.lock rust-toolchain.toml \
	runtime pallets primitives scripts/test-runtimes.sh ':(exclude)runtime/tests' |
	xargs -d '\n' sha256sum | sha256sum)
cache="$HOME/.cache/peergrid/test-runtimes"
runtimes="$cache/${sources%% *}"
mkdir -p "$cache"
# One build at a time (clones of the repository share the cache).
exec 9>"$cache/.lock"
flock 9
# Builds the runtime with the features $1 into $runtimes.partial/$2. runtime/build.rs is touched
# first so that the build script builds the wasm again even when cargo holds the crate with
# these features as up to date (the wasm's file is shared by every feature set).
build() {
	echo "test-runtimes: building $2 (features $1)" >&2
	touch runtime/build.rs
	cargo build --release --locked -p peergrid-runtime --features "$1" >&2
	cp "$CARGO_TARGET_DIR/release/wbuild/peergrid-runtime/peergrid_runtime.compact.compressed.wasm" \
		"$runtimes.partial/$2"
}
if [[ ! -f "$runtimes/next.wasm" ]]; then
	rm -rf "$runtimes.partial"
	mkdir -p "$runtimes.partial"
	build fast-blocks genesis.wasm
	build fast-blocks,next-spec next.wasm
	if cmp -s "$runtimes.partial/genesis.wasm" "$runtimes.partial/next.wasm"; then
		echo "test-runtimes: both builds gave the same wasm" >&2
		exit 1
	fi
	mv "$runtimes.partial" "$runtimes"
	# The node's next build builds its own runtime's wasm again.
	touch runtime/build.rs
	# Keep the newest three (other clones may be on other sources).
	ls -dt "$cache"/*/ | tail -n +4 | xargs -r rm -rf
fi
echo "$runtimes"
