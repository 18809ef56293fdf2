#!/usr/bin/env bash
# One command from a fresh machine to a running PeerGrid development chain with demo state:
# installs what is missing, builds, starts `peergrid-node --dev`, starts the indexer
# (`peergrid-indexer`) on it, into an SQLite file of this run, with its dashboard at
# http://127.0.0.1:8090/ (PEERGRID_DASHBOARD_PORT sets another port), and then plays one day of
# a neighbourhood into the chain through the `peergrid` client (scripts/demo.sh): meters
# registered, 96 intervals of oracle-signed readings, trades, retirements and a resting bid,
# the day's totals and statements from the indexer (which alone keeps the history of trades),
# and the next day traded through the delivery auction with where each interval would clear.
# Then it prints each of those auctions' clearing price as its gate closes (`peergrid auction
# results --follow`, lines starting "auction:"), among the node's log.
# Extra arguments go to the node, e.g. `--rpc-port 9955`.
set -euo pipefail
source "$(dirname "$0")/common.sh"
bash scripts/build.sh

rpc_port=9944
prometheus_port=9615
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
	case "${args[$i]}" in
		--rpc-port) rpc_port="${args[$((i + 1))]}" ;;
		--rpc-port=*) rpc_port="${args[$i]#--rpc-port=}" ;;
		--prometheus-port) prometheus_port="${args[$((i + 1))]}" ;;
		--prometheus-port=*) prometheus_port="${args[$i]#--prometheus-port=}" ;;
	esac
done

# Archive: the state of every block stays queryable (`energy_` methods `at` any block, exports
# over any range), as a regulator's node keeps it; a pruning node forgets blocks older than 256.
"$PEERGRID_NODE" --dev --rpc-cors all --state-pruning archive --blocks-pruning archive "$@" &
node=$!
trap 'kill -INT "$node" 2>/dev/null || true; wait "$node" || true' INT TERM

# The indexer connects once, at its start: wait until the node answers.
answers=
for _ in $(seq 120); do
	if curl -s --max-time 2 -H 'Content-Type: application/json' \
		-d '{"id":1,"jsonrpc":"2.0","method":"chain_getHeader"}' \
		"http://127.0.0.1:${rpc_port}" | grep '"number"' >/dev/null; then
		answers=yes
		break
	fi
	sleep 1
done
if [ -z "$answers" ]; then
	echo "run-dev: the node did not answer on port ${rpc_port} within 2 minutes; its log is above" >&2
	kill -INT "$node" 2>/dev/null || true
	exit 1
fi

# The regulator's history: the indexer follows the chain's finalized blocks into an SQLite file
# of this run (the chain starts afresh each time, and an index refuses another chain). It
# starts before the demo, so that the demo can read the day back from it.
index_db="${TMPDIR:-/tmp}/peergrid-dev-index-$$.db"
dashboard="127.0.0.1:${PEERGRID_DASHBOARD_PORT:-8090}"
"$PEERGRID_INDEXER" --url "ws://127.0.0.1:${rpc_port}" --database "sqlite://$index_db" \
	--listen "$dashboard" >"${index_db%.db}.log" 2>&1 &
indexer=$!
trap 'kill "$indexer" 2>/dev/null || true; kill -INT "$node" 2>/dev/null || true; wait "$node" || true' INT TERM

echo "run-dev: playing one day of a neighbourhood into the chain (scripts/demo.sh)"
bash scripts/demo.sh "ws://127.0.0.1:${rpc_port}" "http://${dashboard}" ||
	echo "run-dev: the demo failed; the chain runs without its state"

cat <<MSG

PeerGrid development chain: one validator (Alice), dev accounts funded with 1,000,000 GRID,
a demo grid of two zones (North and South feeders, run by Alice), oracle Ferdie, and the day
of the neighbourhood above (zones trade at a grid fee of 0.02 GRID/kWh).
  JSON-RPC, HTTP and WebSocket:  ws://127.0.0.1:${rpc_port}   (energy_ methods: docs/rpc.md)
  polkadot.js Apps:              https://polkadot.js.org/apps/?rpc=ws%3A%2F%2F127.0.0.1%3A${rpc_port}#/explorer
  Prometheus metrics:            http://127.0.0.1:${prometheus_port}/metrics
  The client:                    $PEERGRID_CLI --url ws://127.0.0.1:${rpc_port} --help   (docs/cli.md)
  Another day, any time:         scripts/demo.sh ws://127.0.0.1:${rpc_port} http://${dashboard}
  The auctions' results:         $PEERGRID_CLI --url ws://127.0.0.1:${rpc_port} auction results --zone 0 --follow
  The regulator's dashboard:     http://${dashboard}/   (its JSON API under /api, metrics at /metrics)
  History, indexed (SQLite):     $index_db   (docs/indexer.md; its log: ${index_db%.db}.log)
    e.g. sqlite3 $index_db 'SELECT meter, status, exported_wh FROM readings LIMIT 5'
The chain lives in a temporary directory and starts afresh each time. Ctrl-C stops the node.

MSG
# The auctions' results as their gates close, one every 15 minutes, among the node's log.
"$PEERGRID_CLI" --url "ws://127.0.0.1:${rpc_port}" auction results --zone 0 --count 1 --follow \
	> >(sed -u 's/^/auction: /') &
follower=$!
trap 'kill "$follower" "$indexer" 2>/dev/null || true; kill -INT "$node" 2>/dev/null || true; wait "$node" || true' INT TERM
wait "$node"
