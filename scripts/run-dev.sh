#!/usr/bin/env bash
# One command from a fresh machine to a running PeerGrid development chain with demo state:
# installs what is missing, builds, starts `peergrid-node --dev`, and plays the last day of
# oracle-signed readings of the demo grid's four meters into it, so that the chain holds
# credits and metered consumption, then opens the market (trades, retirements, open orders).
# Extra arguments go to the node, e.g. `--rpc-port 9955`.
set -euo pipefail
source "$(dirname "$0")/common.sh"
bash scripts/build.sh

rpc_port=9944
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
	case "${args[$i]}" in
		--rpc-port) rpc_port="${args[$((i + 1))]}" ;;
		--rpc-port=*) rpc_port="${args[$i]#--rpc-port=}" ;;
	esac
done

"$PEERGRID_NODE" --dev --rpc-cors all "$@" &
node=$!
trap 'kill -INT "$node" 2>/dev/null || true; wait "$node" || true' INT TERM

echo "run-dev: playing the last day of demo readings into the chain, then opening the market"
"$CARGO_TARGET_DIR/release/peergrid-demo-readings" --rpc "http://127.0.0.1:${rpc_port}" ||
	echo "run-dev: the demo readings failed; the chain runs without them"

cat <<MSG

PeerGrid development chain: one validator (Alice), dev accounts funded with 1,000,000 GRID,
a demo grid of two zones and four meters (Bob's and Charlie's rooftop solar, Dave's and Eve's
households), oracle Ferdie, the last day of their readings (credits and consumption above),
and the market's first trades and open orders (zones trade at a grid fee of 0.02 GRID/kWh).
  JSON-RPC, HTTP and WebSocket:  ws://127.0.0.1:${rpc_port}
  polkadot.js Apps:              https://polkadot.js.org/apps/?rpc=ws%3A%2F%2F127.0.0.1%3A${rpc_port}#/explorer
  Prometheus metrics:            http://127.0.0.1:9615/metrics
  More readings, any time:       scripts/demo-readings.sh
The chain lives in a temporary directory and starts afresh each time. Ctrl-C stops the node.

MSG
wait "$node"
