#!/usr/bin/env bash
# Sets up the machine and builds the workspace (release profile, the runtime's wasm included):
# the whole workspace, so that the tests that follow reuse this build as it is.
set -euo pipefail
source "$(dirname "$0")/common.sh"
bash scripts/setup.sh
lint_while_building
cargo build --release --locked --workspace
echo "build: $PEERGRID_NODE"
