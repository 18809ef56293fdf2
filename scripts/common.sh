# Shared settings for the PeerGrid scripts. Source it; do not run it.

# Repository root, whatever the caller's working directory.
PEERGRID_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PEERGRID_ROOT

# One cargo target directory outside the clone: a fresh clone (CI) reuses the last build.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/peergrid/target}"

# The node binary that the run script starts and the end-to-end tests use.
export PEERGRID_NODE="$CARGO_TARGET_DIR/release/peergrid-node"

cd "$PEERGRID_ROOT"

# The command-line client (`peergrid`), built with the node.
export PEERGRID_CLI="$CARGO_TARGET_DIR/release/peergrid"
