#!/usr/bin/env bash
# The load on the four-validator network: the local consortium (`--chain local`: Alice, Bob,
# Charlie and Dave validating, Aura + GRANDPA, 6-second blocks) on this machine, with Alice as
# its sudo key for the load's set-up (the only change to the `local_testnet` preset), driven by
# `peergrid load` through Alice's node. While it runs, each node's Prometheus endpoint is read
# four times a second: a block another validator authored is counted in
# `substrate_block_verification_and_import_time` (the import queue's time: verification,
# execution, storage root and commit) when it is imported, so the growth of that histogram's
# sum between two reads that saw one more block is that block's import time on that node.
# The authors' build times come from their logs ("Prepared block for proposing at N (T ms)").
# Then `peergrid-node benchmark-import --network` sets both beside the blocks it classifies on
# Bob's archive of the chain (docs/benchmarks.md, "The load on the four-validator network").
#
#   scripts/load-network.sh [peergrid load's options]
#   (default: --meters 3000 --intervals 30 --orders 8000 --auction-orders 8000 --transfers 8000;
#   the test command runs a short one: --meters 64 --intervals 8 --orders 200 --auction-orders
#   200 --transfers 400 --zones 2, with
#   LOAD_NETWORK_FULL=0 since its blocks are not full)
#
# Its directory (LOAD_NETWORK_DIR, default /tmp/peergrid-load-network) keeps the nodes'
# databases and logs, the chain spec and network.tsv (block, node, build|import, ms); the
# nodes are stopped however the script ends. Ports: p2p 30433-30436, RPC 9954-9957,
# Prometheus 9625-9628. LOAD_NETWORK_NODE_ARGS adds options to every node (e.g.
# `--network-backend libp2p`).
set -euo pipefail
source "$(dirname "$0")/common.sh"
bash scripts/build.sh

dir="${LOAD_NETWORK_DIR:-/tmp/peergrid-load-network}"
rm -rf "$dir"
mkdir -p "$dir"
names=(alice bob charlie dave)
trap 'echo "load-network: failed at line $LINENO (its files: $dir)" >&2' ERR
[ $# -gt 0 ] || set -- --meters 3000 --intervals 30 --orders 8000 --auction-orders 8000 \
	--transfers 8000

# The local consortium's chain spec with Alice's account as its sudo key.
# (Edited as text: jq 1.6 would turn the balances, u128 numbers, into floats.)
alice_account=$("$PEERGRID_NODE" key inspect --output-type json //Alice |
	sed -n 's/.*"ss58Address": "\(.*\)".*/\1/p')
"$PEERGRID_NODE" build-spec --chain local --disable-default-bootnode 2>>"$dir/build-spec.log" |
	sed '/"sudo": {/,/}/ s/"key": null/"key": "'"$alice_account"'"/' >"$dir/plain.json"
grep -q "\"key\": \"$alice_account\"" "$dir/plain.json"
"$PEERGRID_NODE" build-spec --chain "$dir/plain.json" --raw 2>>"$dir/build-spec.log" >"$dir/spec.json"

pids=()
# Stops every process started here: SIGTERM, then SIGKILL what still runs a minute later.
stop_all() {
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	for _ in $(seq 60); do
		local alive=0
		for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
		[ "$alive" -eq 1 ] || break
		sleep 1
	done
	for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
	wait 2>/dev/null || true
	pids=()
}
trap stop_all EXIT
# Fails the run with message $1 and the last lines of node $2's log, if named.
fail() {
	echo "load-network: $1" >&2
	[ -z "${2:-}" ] || tail -n 30 "$dir/$2.log" >&2
	exit 1
}
# The answer of validator $1 (0 to 3) to the JSON-RPC method $2 with parameters $3 (a JSON
# array, none by default), or nothing.
rpc() {
	curl -s --max-time 2 -H 'Content-Type: application/json' \
		-d '{"id":1,"jsonrpc":"2.0","method":"'"$2"'","params":'"${3:-[]}"'}' \
		"http://127.0.0.1:$((9954 + $1))" || true
}

# Each validator with the network key the chain admits (sha256 of its name, as zombienet makes
# them) and its session keys from its development seed; Bob keeps every block's state, for
# benchmark-import afterwards.
for name in "${names[@]}"; do
	printf %s "$name" | sha256sum | cut -d' ' -f1 | tr -d '\n' >"$dir/$name.key"
done
alice_peer=$("$PEERGRID_NODE" key inspect-node-key --file "$dir/alice.key")
read -r -a node_args <<<"${LOAD_NETWORK_NODE_ARGS:-}"
for i in "${!names[@]}"; do
	name=${names[$i]}
	extra=("${node_args[@]}")
	[ "$name" = bob ] && extra+=(--state-pruning archive)
	"$PEERGRID_NODE" --chain "$dir/spec.json" --base-path "$dir/$name" "--$name" --validator \
		--node-key-file "$dir/$name.key" --port $((30433 + i)) --rpc-port $((9954 + i)) \
		--prometheus-port $((9625 + i)) --no-mdns \
		--bootnodes "/ip4/127.0.0.1/tcp/30433/p2p/$alice_peer" "${extra[@]}" \
		>"$dir/$name.log" 2>&1 &
	pids+=($!)
done
node_pids=("${pids[@]}")

# The load starts once every validator sees the three others and a block is finalized.
for i in "${!names[@]}"; do
	for _ in $(seq 120); do
		kill -0 "${node_pids[$i]}" 2>/dev/null || fail "${names[$i]}'s node exited" "${names[$i]}"
		[[ "$(rpc "$i" system_health)" == *'"peers":3,'* ]] && break
		sleep 1
	done
	[[ "$(rpc "$i" system_health)" == *'"peers":3,'* ]] ||
		fail "${names[$i]} does not see the three other validators" "${names[$i]}"
done
genesis=$(rpc 0 chain_getBlockHash "[0]" | sed -n 's/.*"result":"\(0x[0-9a-f]*\)".*/\1/p')
for _ in $(seq 60); do
	[[ "$(rpc 0 chain_getFinalizedHead)" == *'"result":"'"$genesis"'"'* ]] || break
	sleep 1
done

# Every node's imports: one line (block, node, import, ms) a block imported between two reads,
# charged to the node's best block just after (Prometheus' block height lags by seconds). An
# import that did not make its block the best (a fork's, a failed one) would be charged to the
# best block: none is expected where every block is finalized.
watch_imports() {
	local name=$1 i=$2 last_count="" last_sum="" sample count sum best
	while :; do
		sample=$(curl -s --max-time 1 "http://127.0.0.1:$((9625 + i))/metrics" | awk '
			/^substrate_block_verification_and_import_time_count/ { count = $2 }
			/^substrate_block_verification_and_import_time_sum/ { sum = $2 }
			END { if (count != "") print count, sum }') || sample=""
		if [ -n "$sample" ]; then
			read -r count sum <<<"$sample"
			if [ -n "$last_count" ] && [ "$count" -eq $((last_count + 1)) ]; then
				best=$(rpc "$i" chain_getHeader | sed -n 's/.*"number":"0x\([0-9a-f]*\)".*/\1/p')
				[ -z "$best" ] || awk -v b="$((16#$best))" -v n="$name" -v s="$sum" -v l="$last_sum" \
					'BEGIN { printf "%d\t%s\timport\t%.1f\n", b, n, (s - l) * 1000 }' >>"$dir/network.tsv"
			fi
			last_count=$count last_sum=$sum
		fi
		sleep 0.25
	done
}
watchers=()
for i in "${!names[@]}"; do
	watch_imports "${names[$i]}" "$i" &
	watchers+=($!)
	pids+=($!)
done

echo "load-network: four validators up, each with three peers (logs in $dir); the load starts"
"$PEERGRID_CLI" --url ws://127.0.0.1:9954 --signer dev:alice load "$@"
# Until every validator has built a block and imported another's, at most a minute; then the
# last blocks imported everywhere.
for _ in $(seq 60); do
	all=1
	for name in "${names[@]}"; do
		grep -q "	$name	import	" "$dir/network.tsv" 2>/dev/null || all=0
		grep -q "Prepared block for proposing" "$dir/$name.log" || all=0
	done
	[ "$all" -eq 0 ] || break
	sleep 1
done
sleep 12
for i in "${!names[@]}"; do
	kill -0 "${node_pids[$i]}" 2>/dev/null || fail "${names[$i]}'s node exited" "${names[$i]}"
	kill -0 "${watchers[$i]}" 2>/dev/null || fail "the watcher of ${names[$i]}'s imports stopped"
done
stop_all

# The authors' build times, from their logs.
for name in "${names[@]}"; do
	sed -n 's/.*Prepared block for proposing at \([0-9]*\) (\([0-9]*\) ms).*/\1\t'"$name"'\tbuild\t\2/p' \
		"$dir/$name.log" >>"$dir/network.tsv"
done
# Every validator built blocks and imported the others'.
for name in "${names[@]}"; do
	for what in build import; do
		grep -q "	$name	$what	" "$dir/network.tsv" || fail "no $what time of $name" "$name"
	done
done
disconnects=$(cat "$dir"/*.log | grep -c "clogged, force close connection" || true)
echo "load-network: connections closed by a clogged notification channel: $disconnects"

# The blocks again on Bob's archive, classified, beside the network's times: every block of at
# least LOAD_NETWORK_FULL % (default 50) of the normal weight limit.
"$PEERGRID_NODE" benchmark-import --chain "$dir/spec.json" --base-path "$dir/bob" \
	--state-pruning archive --full "${LOAD_NETWORK_FULL:-50}" --network "$dir/network.tsv"
