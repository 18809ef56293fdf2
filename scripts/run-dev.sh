#!/usr/bin/env bash
# One command from a fresh machine to a running PeerGrid development chain:
# installs what is missing, builds the node, starts `peergrid-node --dev`.
# Extra arguments go to the node, e.g. `scripts/run-dev.sh --rpc-port 9955`.
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

cat <<MSG

PeerGrid development chain (one validator, Alice; dev accounts funded with 1,000,000 GRID)
  JSON-RPC, HTTP and WebSocket:  ws://127.0.0.1:${rpc_port}
  polkadot.js Apps:              https://polkadot.js.org/apps/?rpc=ws%3A%2F%2F127.0.0.1%3A${rpc_port}#/explorer
  Prometheus metrics:            http://127.0.0.1:9615/metrics
  A quick check:                 curl -s -H 'Content-Type: application/json' \\
                                   -d '{"id":1,"jsonrpc":"2.0","method":"chain_getHeader"}' http://127.0.0.1:${rpc_port}
The chain lives in a temporary directory and starts afresh each time. Ctrl-C stops the node.

MSG
exec "$PEERGRID_NODE" --dev --rpc-cors all "$@"
