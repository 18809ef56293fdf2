#!/usr/bin/env bash
# Plays one day of a small neighbourhood into a running development chain, through the
# `peergrid` command-line client, and prints who produced, consumed and retired what; with the
# indexer's dashboard (docs/indexer.md), also the day's trades and totals, which the chain
# keeps in its events only.
#
# The North feeder's operator (Alice) registers four new meters: Bob's 6 kW and Charlie's
# 4 kW rooftop solar, Dave's and Eve's households. The utility's oracle (Ferdie) signs the
# day's 96 interval readings (and one opening reading that sets each meter's baseline) from a
# CSV file; Bob and Charlie offer credits, Eve and Dave buy and retire them against their
# consumption, and Dave leaves a bid resting below the asks. Then the households trade the next
# day's energy through the delivery auction, with orders signed once and relayed and a standing
# bid, and it prints where each interval's auction would clear.
#
# Usage: scripts/demo.sh [NODE [DASHBOARD]]
#   NODE: the node's JSON-RPC endpoint (default: $PEERGRID_URL, else ws://127.0.0.1:9944)
#   DASHBOARD: the base URL of an indexer's dashboard that follows that node, e.g.
#     http://127.0.0.1:8090 (default: $PEERGRID_DASHBOARD, else none)
# Run it again: each run registers a new neighbourhood and plays the last day again.
set -euo pipefail
source "$(dirname "$0")/common.sh"
url="${1:-${PEERGRID_URL:-ws://127.0.0.1:9944}}"
dashboard="${2:-${PEERGRID_DASHBOARD:-}}"
dashboard="${dashboard%/}"
[ -x "$PEERGRID_CLI" ] || bash scripts/build.sh
pg() { "$PEERGRID_CLI" --url "$url" "$@"; }

echo "demo: waiting for the node at $url"
for _ in $(seq 120); do
	pg query book 0 >/dev/null 2>&1 && break
	sleep 1
done
pg query book 0 >/dev/null

run=$(date +%s)
zone=0
echo "demo: Alice, the North feeder's operator, registers the neighbourhood's meters"
for meter in "bob bidirectional 6000" "charlie bidirectional 4000" "dave consumption 15000" \
	"eve consumption 15000"; do
	read -r owner kind capacity <<<"$meter"
	pg --signer dev:alice meter register --zone "$zone" --external-id "NBH-$run-$owner" \
		--owner "$owner" --kind "$kind" --capacity-w "$capacity" >/dev/null
done

# The last 96 settlement intervals (15 minutes each) that have ended, and the one before
# them, whose reading sets each meter's baseline. A minute's margin: just after a boundary the
# chain's last block may still be stamped in the interval the wall clock has left.
now=$((($(date +%s) - 60) / 900))
first=$((now - 96))
day="$(mktemp -d)/day.csv"
awk -v run="$run" -v now="$now" 'BEGIN {
	print "external_id,interval,imported_wh,exported_wh"
	split("bob charlie dave eve", owners, " ")
	solar["bob"] = 6000; solar["charlie"] = 4000
	base["bob"] = 300; base["charlie"] = 250; base["dave"] = 350; base["eve"] = 450
	peak["bob"] = 1500; peak["charlie"] = 1200; peak["dave"] = 1800; peak["eve"] = 1400
	pi = atan2(0, -1)
	for (o = 1; o <= 4; o++) {
		owner = owners[o]; imported = 0; exported = 0
		for (i = now - 97; i < now; i++) {
			if (i > now - 97) {
				hour = (i * 900 % 86400) / 3600
				sun = (hour >= 6 && hour < 18) ? sin(pi * (hour - 6) / 12) : 0
				load = (hour >= 18 && hour < 21) ? peak[owner] : base[owner]
				net = 0.8 * solar[owner] * sun - load
				if (net > 0) exported += int(net * 0.25 + 0.5); else imported += int(-net * 0.25 + 0.5)
			}
			printf "NBH-%s-%s,%d,%d,%d\n", run, owner, i, imported, exported
		}
	}
}' >"$day"
echo "demo: Ferdie, the utility's oracle, signs and submits $(($(wc -l <"$day") - 1)) readings ($day)"
pg --signer dev:ferdie readings submit "$day" | tail -1
# The statements below start here: after the last reading's block, in ms since the epoch.
sleep 1
trading_ms="$(date +%s)000"

echo "demo: Bob and Charlie offer credits; Eve and Dave buy, and retire what they bought"
place() { pg --signer "dev:$1" order place "$2" --zone "$zone" --amount-wh "$3" --price "$4" >/dev/null; }
place bob sell 10000 0.15
place charlie sell 8000 0.14
place eve buy 9000 0.15
place dave buy 6000 0.16
place dave buy 10000 0.12
pg --signer dev:eve credits retire --amount-wh 9000 >/dev/null
pg --signer dev:dave credits retire --amount-wh 6000 >/dev/null

cat <<MSG

One day of the neighbourhood (intervals $first to $((now - 1)), meters NBH-$run-*), as the chain
records it for each account (its whole history on this chain: a second run adds to the first):

MSG
pg summary bob charlie dave eve
echo
if [ -n "$dashboard" ]; then
	# The indexer follows finalized blocks: wait (a minute at most) until it has indexed the
	# node's best block, which holds the demo's last transaction (the client waits for a
	# transaction's block, not its finality).
	http="${url/#ws/http}"
	best=$(curl -s --max-time 5 -H 'Content-Type: application/json' \
		-d '{"id":1,"jsonrpc":"2.0","method":"chain_getHeader"}' "$http" |
		sed -n 's/.*"number":"0x\([0-9a-fA-F]*\)".*/\1/p' || true)
	best=$((16#${best:-0}))
	echo "demo: waiting for the indexer ($dashboard) to index block #$best"
	for _ in $(seq 60); do
		height=$(curl -s --max-time 2 "$dashboard/api/status" |
			sed -n 's/.*"height":\([0-9]*\).*/\1/p' || true)
		[ "${height:-0}" -ge "$best" ] && break
		sleep 1
	done
	[ "${height:-0}" -ge "$best" ] ||
		echo "demo: the indexer is at block #${height:-none} still: the day's last blocks may be missing"
	echo "The North feeder over the day and the current interval, in which the trades settled"
	echo "(the indexer's API; energy in Wh, value in the chain's units of 10^-12 GRID):"
	echo "  curl -s \"$dashboard/api/zones/$zone/totals?from=$first&to=$now\""
	curl -s "$dashboard/api/zones/$zone/totals?from=$first&to=$now" || true
	echo
	for who in "bob Bob" "eve Eve"; do
		read -r key name <<<"$who"
		account=$("$PEERGRID_CLI" --signer "dev:$key" key show)
		echo "$name's statement since the readings (the indexer's API; money in 10^-12 GRID):"
		echo "  curl -s \"$dashboard/api/accounts/$account?fromMs=$trading_ms\""
		curl -s "$dashboard/api/accounts/$account?fromMs=$trading_ms" || true
		echo
	done
else
	echo "The day's trades and the feeder's totals over it are kept in the chain's events only: the"
	echo "indexer's JSON API has them (docs/indexer.md), e.g. with its dashboard at DASHBOARD:"
	echo "  curl -s \"DASHBOARD/api/zones/$zone/totals?from=$first&to=$now\""
	echo "(scripts/demo.sh NODE DASHBOARD waits for the indexer and prints them.)"
fi
echo "Its order book now (energy_orderBook): Dave's bid rests below Bob's remaining ask."
pg query book "$zone"

# Tomorrow, through the delivery auction (docs/auction.md). An interval takes orders from 24
# hours before it starts until its gate closes an hour before: the 90 intervals (22.5 hours)
# from the first whose gate is more than a quarter of an hour away are open. Bob offers 1 kWh
# an interval of his PV from 09:00 to 15:00 UTC at 0.10 GRID/kWh, Charlie 0.6 kWh from 07:00 to
# 18:00 at 0.13; Dave bids 0.5 kWh every interval at up to 0.16. Each household's app signs
# its orders once (nonce: this run), and one relayer with no key submits them all in fee-less
# batches. Eve sets her preference once instead, a standing bid: 0.8 kWh every interval at up
# to 0.11, which enters each auction at its gate closure until she cancels it.
first_open=$(($(date +%s) / 900 + 6))
intervals=90
meter_of() {
	pg query meter --external-id "NBH-$run-$1" | sed -n 's/^  "id": \([0-9]*\),*$/\1/p'
}
orders="$(dirname "$day")/orders.hex"
# `sign WHO SIDE FROM TO WH PRICE`: WHO's order in every open interval from hour FROM to hour TO
# (UTC) of today and tomorrow.
sign() {
	local who=$1 side=$2 wh=$5 price=$6 meter midnight from to
	meter=$(meter_of "$who")
	for midnight in $((first_open - first_open % 96)) $((first_open - first_open % 96 + 96)); do
		from=$((midnight + 4 * $3)) to=$((midnight + 4 * $4))
		from=$((from > first_open ? from : first_open))
		to=$((to < first_open + intervals ? to : first_open + intervals))
		[ "$to" -gt "$from" ] || continue
		pg --signer "dev:$who" auction sign "$side" --zone "$zone" --interval "$from" \
			--count $((to - from)) --meter "$meter" --quantity-wh "$wh" --price "$price" \
			--nonce "$run" >>"$orders"
	done
}
sign bob offer 9 15 1000 0.10
sign charlie offer 7 18 600 0.13
sign dave bid 0 24 500 0.16
echo
echo "demo: Eve sets a standing bid, once: 0.8 kWh every interval at up to 0.11 GRID/kWh"
pg --signer dev:eve auction standing set bid --zone "$zone" --meter "$(meter_of eve)" \
	--quantity-wh 800 --price 0.11 --hours all --id 1
echo
echo "demo: the households trade the next day's energy in the delivery auction: $(wc -l <"$orders") signed orders, relayed"
pg auction relay "$orders"
cat <<MSG

The North feeder's auctions of the next $intervals intervals, one by one: where each would clear if
its gate closed now (indicative, Eve's standing bid counted), by the auction's rule: one price
per interval where supply meets demand. Each clears at its gate closure, an hour before it starts, the first at
$(date -u -d "@$(((first_open - 4) * 900))" +%H:%M) UTC; follow them with
  $PEERGRID_CLI --url $url auction results --zone $zone --follow

MSG
pg auction results --zone "$zone" --interval "$first_open" --count "$intervals"
