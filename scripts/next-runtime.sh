#!/usr/bin/env bash
# Builds the runtime as the next spec_version (feature `next-spec`: the same code declaring
# spec_version + 1) for the zombienet test of an upgrade by motion, and prints the path of its
# compressed wasm. The wasm is kept under $HOME/.cache/peergrid/next-runtime/, named by a hash
# of the runtime's sources, so that it is built once per change of the runtime, not per run.
# The build writes its wasm where the node's build reads the runtime's, so it then touches
# runtime/build.rs: the next build of the node builds the runtime's own wasm again.
set -euo pipefail
source "$(dirname "$0")/common.sh"

# The key: names and contents of every file the runtime is built from (tracked or new), and of
# this script.
sources=$(git ls-files -co --exclude-standard -- Cargo.toml Cargo.lock runtime pallets \
	primitives scripts/next-runtime.sh | xargs -d '\n' sha256sum | sha256sum)
cache="$HOME/.cache/peergrid/next-runtime"
wasm="$cache/${sources%% *}.wasm"
if [[ ! -f "$wasm" ]]; then
	echo "next-runtime: building the runtime as spec_version + 1 (feature next-spec)" >&2
	cargo build --release --locked -p peergrid-runtime --features next-spec >&2
	mkdir -p "$cache"
	rm -f "$cache"/*.wasm
	cp "$CARGO_TARGET_DIR/release/wbuild/peergrid-runtime/peergrid_runtime.compact.compressed.wasm" \
		"$wasm.partial"
	mv "$wasm.partial" "$wasm"
	touch runtime/build.rs
fi
echo "$wasm"
