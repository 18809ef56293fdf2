#!/usr/bin/env bash
# The indexer's speed over a large chain (docs/indexer.md, "Speed"): starts an archive
# development node, puts `peergrid load` on it (by default 3,920 meters' 256 intervals: over a
# million readings, with orders and transfers), waits until every block is finalized, then
# indexes the chain into SQLite and into a throwaway PostgreSQL (`--to` its last block), timing
# each, and times the regulator's questions on both (fastest of 5). Arguments replace the
# load's plan, e.g. `scripts/index-bench.sh --meters 64 --intervals 8` for a short run.
# Figures go to $INDEX_BENCH_DIR (default /tmp/peergrid-index-bench)/bench.txt.
# INDEX_BENCH_REUSE=1 indexes the chain of the last run again (its node's database is kept in
# that directory), without a new load.
set -euo pipefail
source "$(dirname "$0")/common.sh"
bash scripts/build.sh

dir=${INDEX_BENCH_DIR:-/tmp/peergrid-index-bench}
reuse=${INDEX_BENCH_REUSE:-0}
if [ "$reuse" = 1 ]; then
	[ -d "$dir/node" ] || { echo "index-bench: no chain in $dir/node to index again" >&2; exit 1; }
	rm -rf "$dir/index.db" "$dir/index.db-wal" "$dir/index.db-shm" "$dir/postgres" "$dir/indexer.log"
else
	rm -rf "$dir"
	mkdir -p "$dir"
fi
plan=("$@")
[ ${#plan[@]} -gt 0 ] ||
	plan=(--meters 3920 --intervals 256 --orders 8000 --auction-orders 0 --transfers 8000 --zones 4)
port=9964
rpc() { # METHOD [PARAMS]
	curl -s --max-time 5 -H 'Content-Type: application/json' \
		-d "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"$1\",\"params\":[${2:-}]}" "http://127.0.0.1:$port"
}
number() { printf '%d' "0x$(sed -n 's/.*"number":"0x\([0-9a-f]*\)".*/\1/p')"; }
finalized() {
	local head
	head=$(rpc chain_getFinalizedHead | sed -n 's/.*"result":"\(0x[0-9a-f]*\)".*/\1/p')
	rpc chain_getHeader "\"$head\"" | number
}
# A pool of 256 MB and 32,768 transactions: the default 20 MB holds about 800 batches of 256
# readings, and the load submits them all at once ("Immediately Dropped" beyond).
"$PEERGRID_NODE" --dev --base-path "$dir/node" --state-pruning archive --blocks-pruning archive \
	--rpc-port "$port" --prometheus-port 9664 --port 30364 --pool-kbytes 262144 --pool-limit 32768 \
	>"$dir/node.log" 2>&1 &
node=$!
pg_dir="$dir/postgres"
trap 'kill "$node" 2>/dev/null || true; [ ! -d "$pg_dir" ] || bash scripts/postgres.sh stop "$pg_dir"' EXIT
# Waits (at most $2 seconds) until `$1` succeeds, while the node runs.
wait_until() {
	local deadline=$((SECONDS + $2))
	until eval "$1"; do
		kill -0 "$node" 2>/dev/null || { echo "index-bench: the node stopped: $dir/node.log" >&2; exit 1; }
		[ "$SECONDS" -lt "$deadline" ] || { echo "index-bench: timed out: $1" >&2; exit 1; }
		sleep 1
	done
}
wait_until 'rpc system_health | grep -q isSyncing' 120
url="ws://127.0.0.1:$port"

if [ "$reuse" != 1 ]; then
	echo "index-bench: peergrid load ${plan[*]}"
	"$PEERGRID_CLI" --url "$url" --signer dev:alice load "${plan[@]}" | tee "$dir/load.txt"
fi
best=$(rpc chain_getHeader | number)
wait_until '[ "$(finalized)" -ge "$best" ]' 300

index() {
	local started ended
	started=$(date +%s.%N)
	# (A command substitution does not stop the script on an error: this does.)
	"$PEERGRID_INDEXER" --url "$url" --database "$1" --to "$best" 2>>"$dir/indexer.log" || {
		tail -n 5 "$dir/indexer.log" >&2
		return 1
	}
	ended=$(date +%s.%N)
	awk -v a="$started" -v b="$ended" 'BEGIN { printf "%.1f", b - a }'
}
echo "index-bench: indexing blocks 1 to $best into SQLite"
sqlite_s=$(index "sqlite://$dir/index.db")
pg_url=$(bash scripts/postgres.sh start "$pg_dir")
echo "index-bench: indexing blocks 1 to $best into PostgreSQL"
pg_s=$(index "$pg_url")

count() { sqlite3 "$dir/index.db" "SELECT COUNT(*) FROM $1"; }
events=$(count events)
{
	echo "chain: $best blocks, $(count readings) readings, $(count credits) credit movements," \
		"$(count orders) orders, $(count trades) trades, $(count transfers) transfers, $events events"
	per_s() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%d", n / s }'; }
	echo "SQLite: $sqlite_s s, $(per_s "$events" "$sqlite_s") events/s, $(per_s "$best" "$sqlite_s") blocks/s," \
		"$(du -cm "$dir"/index.db* | tail -n 1 | cut -f1) MB"
	echo "PostgreSQL: $pg_s s, $(per_s "$events" "$pg_s") events/s, $(per_s "$best" "$pg_s") blocks/s"
} | tee "$dir/bench.txt"

# The regulator's questions: a meter's readings, an account's credit movements, a zone's
# trades of the last day, every trade of a period, rejected readings by reason.
meter=$(sqlite3 "$dir/index.db" "SELECT meter FROM readings LIMIT 1 OFFSET (SELECT COUNT(*) / 2 FROM readings)")
account=$(sqlite3 "$dir/index.db" "SELECT account FROM credits WHERE kind = 'minted' LIMIT 1 OFFSET (SELECT COUNT(*) / 2 FROM credits WHERE kind = 'minted')")
mid=$(sqlite3 "$dir/index.db" "SELECT time_ms FROM blocks WHERE number = $((best / 2))")
questions=(
	"a meter's readings|SELECT r.\"interval\", r.status, r.credits_minted_wh FROM readings r WHERE r.meter = $meter ORDER BY r.\"interval\""
	"an account's credit movements|SELECT block, kind, counterparty, amount_wh FROM credits WHERE account = '$account' OR counterparty = '$account' ORDER BY block, idx"
	"the trades of the chain's second half|SELECT b.time_ms, t.* FROM trades t JOIN blocks b ON b.number = t.block WHERE b.time_ms >= $mid ORDER BY t.block, t.idx"
	"readings per zone and interval (the charts)|SELECT m.zone, r.\"interval\", COUNT(*), SUM(r.credits_minted_wh) FROM readings r JOIN meters m ON m.meter = r.meter WHERE r.status = 'accepted' GROUP BY m.zone, r.\"interval\""
	"rejected readings by reason|SELECT status, COUNT(*) FROM readings WHERE status <> 'accepted' GROUP BY status"
)
echo "| question | rows | SQLite ms | PostgreSQL ms |" | tee -a "$dir/bench.txt"
for q in "${questions[@]}"; do
	name=${q%%|*}
	sql=${q#*|}
	rows=$(sqlite3 "$dir/index.db" "SELECT COUNT(*) FROM ($sql)")
	sqlite_ms=$(python3 - "$dir/index.db" "$sql" <<'PY'
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1])
best = None
for _ in range(5):
    t = time.perf_counter(); db.execute(sys.argv[2]).fetchall(); t = time.perf_counter() - t
    best = t if best is None or t < best else best
print(f"{best * 1000:.2f}")
PY
)
	pg_ms=$(for _ in 1 2 3 4 5; do printf '\\timing on\n%s;\n' "$sql" | psql -q "$pg_url" -o /dev/null | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p'; done | sort -n | head -n 1)
	echo "| $name | $rows | $sqlite_ms | $pg_ms |" | tee -a "$dir/bench.txt"
done
