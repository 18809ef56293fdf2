#!/usr/bin/env bash
# The long flood: invalid transactions from many connections against a dev node for
# FLOOD_SECONDS (default 300, at most 3600: the honest relayer reads one meter's past
# intervals), an honest relayer's readings in blocks meanwhile. Prints the figures that
# docs/reliability.md quotes; the test command runs the same test for 30 seconds.
set -euo pipefail
source "$(dirname "$0")/common.sh"
bash scripts/setup.sh
lint_while_building
PEERGRID_FLOOD_SECONDS="${FLOOD_SECONDS:-300}" \
	cargo test --release --locked -p peergrid-node --test flood -- --nocapture
