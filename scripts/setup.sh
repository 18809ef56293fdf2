#!/usr/bin/env bash
# Installs what building PeerGrid needs, and only what is missing: safe to run again.
#   - Debian packages: protobuf-compiler (libp2p), clang/libclang (bindgen), mold (fast linking),
#     curl, sqlite3 (to query the run command's index), postgresql (a throwaway server for the
#     indexer's test), chromium (the dashboard's test opens it headless), prometheus (its
#     promtool tests the alert rules), and Node.js with npm if missing (the test command's
#     JavaScript clients)
#   - the Rust toolchain of rust-toolchain.toml with the wasm32v1-none target and rust-src
set -euo pipefail
source "$(dirname "$0")/common.sh"

need_pkgs=()
command -v protoc >/dev/null || need_pkgs+=(protobuf-compiler)
command -v clang >/dev/null || need_pkgs+=(clang)
[ -n "$(ls /usr/lib/llvm-*/lib/libclang.so* 2>/dev/null)" ] || need_pkgs+=(libclang-dev)
command -v mold >/dev/null || need_pkgs+=(mold)
command -v pkg-config >/dev/null || need_pkgs+=(pkg-config)
command -v make >/dev/null || need_pkgs+=(make)
# curl: the end-to-end tests read the node's HTTP endpoints as an operator's tools do.
command -v curl >/dev/null || need_pkgs+=(curl)
# sqlite3: to query the run command's index (docs/indexer.md).
command -v sqlite3 >/dev/null || need_pkgs+=(sqlite3)
# PostgreSQL (Debian's server): the indexer's test runs a throwaway one (scripts/postgres.sh).
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_pkgs+=(postgresql)
# Node.js and npm (machines of this kind have them): the tests' mainstream JavaScript clients.
command -v npm >/dev/null || need_pkgs+=(nodejs npm)
# Chromium: the indexer's test opens its dashboard headless (through playwright-core).
command -v chromium >/dev/null || need_pkgs+=(chromium)
# promtool (Debian's prometheus package): tests docs/prometheus/alerts.yml.
command -v promtool >/dev/null || need_pkgs+=(prometheus)
if [ ${#need_pkgs[@]} -gt 0 ]; then
	echo "setup: installing Debian packages: ${need_pkgs[*]}"
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO="sudo"
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_pkgs[@]}" >/dev/null
fi

toolchain=$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)
rustup toolchain list | grep -q "^$toolchain" || rustup toolchain install "$toolchain" --profile minimal
installed_targets=$(rustup target list --installed --toolchain "$toolchain")
grep -qx wasm32v1-none <<<"$installed_targets" || rustup target add wasm32v1-none --toolchain "$toolchain"
installed_components=$(rustup component list --installed --toolchain "$toolchain")
for c in rust-src rustfmt clippy; do
	grep -q "^$c" <<<"$installed_components" || rustup component add "$c" --toolchain "$toolchain"
done
echo "setup: ready (toolchain $toolchain, target dir $CARGO_TARGET_DIR)"
