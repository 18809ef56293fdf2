#!/usr/bin/env bash
# Sets up the machine and builds the node (release profile, the runtime's wasm included).
set -euo pipefail
source "$(dirname "$0")/common.sh"
bash scripts/setup.sh
cargo build --release --locked -p peergrid-node
echo "build: $PEERGRID_NODE"
