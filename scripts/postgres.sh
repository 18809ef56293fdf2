#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests (Debian's `postgresql` package; no Docker):
#
#   scripts/postgres.sh start DIR   initialises a cluster in DIR (a new directory), starts it
#                                   on a free port of 127.0.0.1 from 5439 up (trust
#                                   authentication, local only, UTF-8), creates the database
#                                   `peergrid`, prints its URL
#   scripts/postgres.sh stop DIR    stops it and removes DIR
#
# The server refuses to run as root: as root, it runs as the `postgres` system user that the
# package creates.
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_server() {
	if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "${1:-}" in
start)
	dir=$2
	[ ! -e "$dir" ] || { echo "postgres.sh: $dir exists" >&2; exit 1; }
	mkdir -p "$dir"
	[ "$(id -u)" -ne 0 ] || chown postgres "$dir"
	port=5439
	while (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
	as_server "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --no-locale -E UTF8 \
		>"$dir/initdb.log"
	if ! as_server "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
		-o "-p $port -k '$dir' -c listen_addresses=127.0.0.1" start >/dev/null; then
		cat "$dir/server.log" >&2
		exit 1
	fi
	as_server "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres peergrid
	echo "postgres://postgres@127.0.0.1:$port/peergrid"
	;;
stop)
	[ ! -d "$2/data" ] || as_server "$bin/pg_ctl" -D "$2/data" -m immediate stop >/dev/null || true
	rm -rf "$2"
	;;
*)
	echo "usage: scripts/postgres.sh start DIR | stop DIR" >&2
	exit 2
	;;
esac
