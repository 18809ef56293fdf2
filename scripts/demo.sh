#!/usr/bin/env bash
# Plays one day of a small neighbourhood into a running development chain, through the
# `peergrid` command-line client, and prints who produced, sold, bought and retired what.
#
# The North feeder's operator (Alice) registers four new meters: Bob's 6 kW and Charlie's
# 4 kW rooftop solar, Dave's and Eve's households. The utility's oracle (Ferdie) signs the
# day's 96 interval readings (and one opening reading that sets each meter's baseline) from a
# CSV file; Bob and Charlie offer credits, Eve and Dave buy and retire them against their
# consumption, and Dave leaves a bid resting below the asks.
#
# Usage: scripts/demo.sh [ws://127.0.0.1:9944]   (default: $PEERGRID_URL, else port 9944)
# Run it again: each run registers a new neighbourhood and plays the last day again.
set -euo pipefail
source "$(dirname "$0")/common.sh"
url="${1:-${PEERGRID_URL:-ws://127.0.0.1:9944}}"
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
echo "The North feeder over the day and the current interval, in which the trades settled"
echo "(energy_zoneTotals; energy in Wh, value in the chain's units of 10^-12 GRID):"
pg query totals "$zone" --from "$first" --to "$now"
echo "Its order book now (energy_orderBook): Dave's bid rests below Bob's remaining ask."
pg query book "$zone"
