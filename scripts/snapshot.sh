#!/usr/bin/env bash
# Takes the state snapshot that the runtime's try-runtime test (runtime/tests/runtime/try_runtime.rs)
# upgrades: a development chain of the *current* runtime after one day of the demo
# (scripts/demo.sh), exported with `peergrid-node export-state` at its best block, without the
# runtime's code (native execution does not need it). Run it with the node of the release that
# the next runtime upgrades from, before raising spec_version, and commit what it writes:
#   runtime/tests/runtime/snapshots/dev-demo-spec<spec_version>.json
set -euo pipefail
source "$(dirname "$0")/common.sh"
[ -x "$PEERGRID_NODE" ] || bash scripts/build.sh

dir=$(mktemp -d)
rpc_port=${RPC_PORT:-9977}
"$PEERGRID_NODE" --dev --base-path "$dir" --rpc-port "$rpc_port" --port 30777 \
	--prometheus-port 9677 --state-pruning archive >"$dir/node.log" 2>&1 &
node=$!
trap 'kill "$node" 2>/dev/null || true; rm -rf "$dir"' EXIT
bash scripts/demo.sh "ws://127.0.0.1:$rpc_port"
kill -INT "$node"
wait "$node" || true

spec=$(grep -o 'spec_version: [0-9]*' runtime/src/lib.rs | grep -o '[0-9]*')
out="runtime/tests/runtime/snapshots/dev-demo-spec$spec.json"
mkdir -p "$(dirname "$out")"
"$PEERGRID_NODE" export-state --chain dev --base-path "$dir" 2>/dev/null | python3 -c '
import json, sys
spec = json.load(sys.stdin)
top = spec["genesis"]["raw"]["top"]
top.pop("0x3a636f6465", None)  # ":code", the runtime itself
json.dump({"genesis": {"raw": {"top": top, "childrenDefault": {}}}}, sys.stdout, indent=0, sort_keys=True)
' >"$out"
echo "snapshot: $out ($(wc -c <"$out") bytes, $(grep -c '"0x' "$out") keys)"
