#!/usr/bin/env bash
# 200 simulated users (officers on dashboards, members receiving and
# advancing dossiers, residents on village pages and /tra-cuu) against a
# real `thonso serve --demo` on loopback, on a fresh SQLite file or a fresh
# PostgreSQL database; prints one table of errors, req/s and p50/p99 per
# kind of request, and fails when any request failed. The server trusts
# loopback as a proxy so residents come from many made-up addresses.
#   bench/load.sh [DURATION] [USERS] [sqlite|postgres]   (default 1m 200 sqlite)
# PostgreSQL: THONSO_LOAD_POSTGRES (default postgres://postgres@127.0.0.1:5432)
# names the server; a database thonso_load_PID is created and dropped.
set -euo pipefail
export GOTOOLCHAIN=go1.27.3
cd "$(dirname "$0")/.."
duration=${1:-1m}
users=${2:-200}
engine=${3:-sqlite}
tmp=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
base="http://127.0.0.1:$port"
pg=${THONSO_LOAD_POSTGRES:-postgres://postgres@127.0.0.1:5432}
pgdb="thonso_load_$$"
case "$engine" in
sqlite) db="sqlite:$tmp/load.db" ;;
postgres)
	psql -w "$pg/postgres?sslmode=disable" -qc "CREATE DATABASE $pgdb" >/dev/null
	db="$pg/$pgdb?sslmode=disable"
	;;
*)
	echo "usage: bench/load.sh [DURATION] [USERS] [sqlite|postgres]" >&2
	exit 2
	;;
esac
pid=
cleanup() {
	if [ -n "$pid" ]; then
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
	if [ "$engine" = postgres ]; then
		psql -w "$pg/postgres?sslmode=disable" -qc "DROP DATABASE IF EXISTS $pgdb" >/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
go build -o "$tmp/thonso" ./cmd/thonso
go build -o "$tmp/load" ./bench/load
"$tmp/thonso" serve --demo --db "$db" --addr "127.0.0.1:$port" --trusted-proxy 127.0.0.1 >"$tmp/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 240); do
	curl -fsS "$base/readyz" >/dev/null 2>&1 && break
	kill -0 "$pid" 2>/dev/null || { cat "$tmp/serve.log" >&2; exit 1; }
	sleep 0.5
done
echo "== $engine, $users users, $duration ($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
status=0
"$tmp/load" -url "$base" -users "$users" -duration "$duration" -forwarded || status=$?
problems=$(grep -ciE 'level=(error|warn)|panic' "$tmp/serve.log" || true)
if [ "$problems" -gt 0 ]; then
	echo "== server log: $problems warnings or errors; the first ones:"
	grep -iE 'level=(error|warn)|panic' "$tmp/serve.log" | head -20
	status=1
fi
exit "$status"
