# Shared settings for the PeerGrid scripts. Source it; do not run it.

# Repository root, whatever the caller's working directory.
PEERGRID_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PEERGRID_ROOT

# One cargo target directory outside the clone: a fresh clone (CI) reuses the last build.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/peergrid/target}"

# The node binary that the run script starts and the end-to-end tests use.
export PEERGRID_NODE="$CARGO_TARGET_DIR/release/peergrid-node"

cd "$PEERGRID_ROOT"

# The command-line client (`peergrid`), built with the node (a test may name the one it built).
export PEERGRID_CLI="${PEERGRID_CLI:-$CARGO_TARGET_DIR/release/peergrid}"

# The indexer (`peergrid-indexer`, docs/indexer.md), built with the node too.
export PEERGRID_INDEXER="$CARGO_TARGET_DIR/release/peergrid-indexer"

# Lints ride on the builds: `lint_while_building` (after scripts/setup.sh, which installs clippy)
# makes clippy-driver the compiler of the workspace's own crates (dependencies keep plain rustc),
# with clippy's lints and warnings as errors, in the same pass that builds them: no dependency is
# type-checked a second time for a separate `cargo clippy` (about 20 minutes of a cold test
# command: docs/build.md). Every script that builds calls it, so that the run command and the
# test command reuse each other's artifacts (cargo rebuilds a workspace crate whose wrapper or
# lint settings changed, so plain `cargo build` by hand rebuilds the project's own crates once).
lint_while_building() {
	RUSTC_WORKSPACE_WRAPPER="$(rustup which clippy-driver)"
	export RUSTC_WORKSPACE_WRAPPER
	export CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"
}
