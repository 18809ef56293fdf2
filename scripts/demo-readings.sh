#!/usr/bin/env bash
# Signs and submits the demo grid's readings (oracle Ferdie) to a running development chain:
# the intervals of the last day that the chain does not have yet. Arguments go to the tool:
# `--rpc http://127.0.0.1:9944`, `--intervals 96`.
set -euo pipefail
source "$(dirname "$0")/common.sh"
[ -x "$CARGO_TARGET_DIR/release/peergrid-demo-readings" ] || bash scripts/build.sh
exec "$CARGO_TARGET_DIR/release/peergrid-demo-readings" "$@"
