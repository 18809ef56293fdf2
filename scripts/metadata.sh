#!/usr/bin/env bash
# Regenerates client/metadata/peergrid.scale, the runtime metadata that `peergrid-client`
# generates its types from (subxt), with `peergrid-node metadata`: run it after changing the
# runtime's calls, events, storage, constants or types, and commit what it writes. The test
# command fails while the file and the runtime differ (the end-to-end tests compare it with
# what `peergrid-node metadata` writes and with what a running node serves).
#
# The node is built as the test command builds it (the whole workspace: building it alone would
# resolve the shared crates' features otherwise and rebuild most of Substrate), with
# --keep-going, so that it builds even when the client no longer compiles against the old file;
# then the client is built against the new one, to show what the new types ask of it.
set -euo pipefail
source "$(dirname "$0")/common.sh"
bash scripts/setup.sh
lint_while_building
json=$(mktemp)
trap 'rm -f "$json"' EXIT
cargo build --release --locked --workspace --keep-going --message-format json-render-diagnostics \
	>"$json" || true
# The node binary cargo reports having built (or found up to date) in this run: nothing else.
node=$(grep '"reason":"compiler-artifact"' "$json" | grep '"name":"peergrid-node"' |
	grep '"kind":\["bin"\]' | sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -n 1 || true)
if [ -z "$node" ]; then
	echo "metadata.sh: peergrid-node did not build (the errors are above); fix it first" >&2
	exit 1
fi
"$node" metadata client/metadata/peergrid.scale
echo "wrote client/metadata/peergrid.scale ($(wc -c <client/metadata/peergrid.scale) bytes)"
cargo build --release --locked --workspace
