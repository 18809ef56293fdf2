#!/usr/bin/env bash
# One command from a fresh machine to every test: installs what is missing, checks formatting
# and lints, then runs the pallet unit tests, the runtime tests and the end-to-end tests (which start real
# `peergrid-node` processes on local ports). Everything is built once, in the release profile,
# which the node that the end-to-end tests start needs anyway.
set -euo pipefail
source "$(dirname "$0")/common.sh"
bash scripts/setup.sh

echo "== cargo fmt --check"
cargo fmt --all -- --check

echo "== cargo clippy (release profile, all targets, warnings are errors)"
cargo clippy --release --locked --workspace --all-targets -- -D warnings

echo "== cargo test (release): unit, runtime and end-to-end tests"
cargo test --release --locked --workspace "$@"
