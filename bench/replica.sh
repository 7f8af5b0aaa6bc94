#!/usr/bin/env bash
# Read replicas on one machine: starts a PostgreSQL primary of its own on a
# free port under /tmp (wal_level=replica, replication allowed from
# 127.0.0.1), a hot standby of it made with pg_basebackup -R, loads the
# demo into the primary, runs `thonso serve --db PRIMARY --db-read STANDBY`,
# and prints where the pages' queries went (the standby's own
# pg_stat_database counters and /metrics), a user's write seen at once,
# and the lag on /readyz while replay is paused. Stops and removes all
# it started. The shared cluster on 5432 is not touched.
#   bench/replica.sh [REQUESTS]        (default 200 per page)
# Needs Debian's postgresql-15 (initdb, pg_ctl, pg_basebackup) and curl;
# installs them when run as root. initdb refuses root: run as postgres.
set -euo pipefail
export GOTOOLCHAIN=go1.27.3
cd "$(dirname "$0")/.."
n=${1:-200}
bin=/usr/lib/postgresql/15/bin
if [ ! -x "$bin/pg_basebackup" ] || ! command -v curl >/dev/null; then
	if [ "$(id -u)" = 0 ]; then
		apt-get install -y postgresql-15 curl >/dev/null
	else
		echo "replica.sh: needs $bin/pg_basebackup and curl (apt-get install postgresql-15 curl)" >&2
		exit 1
	fi
fi
pg() { # run a PostgreSQL program as the postgres user
	if [ "$(id -u)" = 0 ]; then (cd /tmp && runuser -u postgres -- "$bin/$1" "${@:2}"); else "$bin/$1" "${@:2}"; fi
}
freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
tmp=$(mktemp -d /tmp/thonso-replica-bench.XXXXXX)
chmod 755 "$tmp"
mkdir "$tmp/primary" "$tmp/standby"
[ "$(id -u)" = 0 ] && chown postgres: "$tmp/primary" "$tmp/standby"
p1=$(freeport)
p2=$(freeport)
while [ "$p2" = "$p1" ]; do p2=$(freeport); done
app=$(freeport)
srv=""
cleanup() {
	[ -n "$srv" ] && kill "$srv" 2>/dev/null && wait "$srv" 2>/dev/null
	pg pg_ctl -D "$tmp/standby/data" -m immediate -w stop >/dev/null 2>&1 || true
	pg pg_ctl -D "$tmp/primary/data" -m immediate -w stop >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT
primary="postgres://postgres@127.0.0.1:$p1/thonso?sslmode=disable"
standby="postgres://postgres@127.0.0.1:$p2/thonso?sslmode=disable"
psql1() { psql -X -qAt -h 127.0.0.1 -p "$p1" -U postgres "$@"; }
psql2() { psql -X -qAt -h 127.0.0.1 -p "$p2" -U postgres "$@"; }

echo "== primary on :$p1, standby on :$p2, app on :$app"
pg initdb -D "$tmp/primary/data" -U postgres -A trust -E UTF8 --locale C >/dev/null
printf '\nwal_level = replica\nmax_wal_senders = 5\nshared_buffers = 64MB\n' >>"$tmp/primary/data/postgresql.conf"
pg pg_ctl -D "$tmp/primary/data" -l "$tmp/primary/log" -w -o "-p $p1 -k $tmp/primary -c listen_addresses=127.0.0.1" start >/dev/null
psql1 -d postgres -c 'CREATE DATABASE thonso'
go build -o "$tmp/thonso" ./cmd/thonso
t0=$(date +%s.%N)
"$tmp/thonso" demo --db "$primary" >/dev/null
echo "demo loaded into the primary in $(printf '%.1f' "$(echo "$(date +%s.%N) - $t0" | bc)") s"
pg pg_basebackup -h 127.0.0.1 -p "$p1" -U postgres -D "$tmp/standby/data" -R -X stream -c fast
pg pg_ctl -D "$tmp/standby/data" -l "$tmp/standby/log" -w -o "-p $p2 -k $tmp/standby -c listen_addresses=127.0.0.1" start >/dev/null
echo "standby in recovery: $(psql2 -d postgres -c 'SELECT pg_is_in_recovery()')"
"$tmp/thonso" serve --db "$primary" --db-read "$standby" --db-read-max-lag 3s --addr "127.0.0.1:$app" >"$tmp/serve.log" 2>&1 &
srv=$!
base="http://127.0.0.1:$app"
for _ in $(seq 1 120); do curl -fsS "$base/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
sleep 1.5
echo
echo "== /readyz"
curl -sS "$base/readyz"
echo
xacts() { psql2 -d postgres -c "SELECT xact_commit FROM pg_stat_database WHERE datname = 'thonso'"; }
served() { curl -fsS "$base/metrics" | awk '/^thonso_db_replica_queries_total/ {print $2}'; }
pxacts() { psql1 -d postgres -c "SELECT xact_commit FROM pg_stat_database WHERE datname = 'thonso'"; }
printf '%-42s %10s %16s %16s %9s\n' "requests ($n each)" "time s" "replica queries" "standby xacts" "primary xacts"
for path in /v/dong-cam /api/v1/units/15/stats /units/15; do
	s0=$(served); x0=$(xacts); q0=$(pxacts); t0=$(date +%s.%N)
	for _ in $(seq 1 "$n"); do curl -fsS -o /dev/null "$base$path"; done
	t1=$(date +%s.%N)
	sleep 1.2 # the standby's statistics are flushed about once a second
	printf '%-42s %10.2f %16d %16d %9d\n' "GET $path" "$(echo "$t1 - $t0" | bc)" "$(($(served) - s0))" "$(($(xacts) - x0))" "$(($(pxacts) - q0))"
done
echo "(primary xacts: the lag monitor (one query a second) and autovacuum after the demo load; the pages read the standby)"
echo
echo "== a team leader's write, seen by them at once (their browser reads the primary for max-lag + 2 s)"
jar="$tmp/jar"
curl -fsS -c "$jar" -b "$jar" -o /dev/null "$base/login"
csrf=$(awk '$6=="thonso_csrf" {print $7}' "$jar")
curl -fsS -c "$jar" -b "$jar" -o /dev/null --data-urlencode "csrf=$csrf" --data-urlencode "login=totruong.dongcam" --data-urlencode "password=minhhoa-2024" "$base/login"
psql2 -d postgres -c 'SELECT pg_wal_replay_pause()' >/dev/null
intro="Giới thiệu đổi lúc $(date +%T.%N)"
curl -fsS -c "$jar" -b "$jar" -o /dev/null --data-urlencode "csrf=$csrf" --data-urlencode "intro=$intro" "$base/villages/T000001/intro"
printf '%-52s %s\n' "writer's next page shows the new intro:" "$(curl -fsS -b "$jar" "$base/v/dong-cam" | grep -c "$intro" || true)"
printf '%-52s %s\n' "primary holds it:" "$(psql1 -d thonso -c "SELECT count(*) FROM village_profiles WHERE intro = '$intro'")"
printf '%-52s %s\n' "standby (replay paused) holds it:" "$(psql2 -d thonso -c "SELECT count(*) FROM village_profiles WHERE intro = '$intro'")"
echo
echo "== replay paused on the standby, 5 s later: /readyz (HTTP status, then body)"
sleep 5
curl -sS -w 'HTTP %{http_code}\n' "$base/readyz"
printf '%-52s %s\n' "an anonymous visitor (now from the primary) sees it:" "$(curl -fsS "$base/v/dong-cam" | grep -c "$intro" || true)"
psql2 -d postgres -c 'SELECT pg_wal_replay_resume()' >/dev/null
sleep 2
echo
echo "== replay resumed: /readyz"
curl -sS -w 'HTTP %{http_code}\n' "$base/readyz"
printf '%-52s %s\n' "an anonymous visitor (from the standby) sees it:" "$(curl -fsS "$base/v/dong-cam" | grep -c "$intro" || true)"
echo
echo "== standby stopped: pages still answer from the primary"
pg pg_ctl -D "$tmp/standby/data" -m fast -w stop >/dev/null
codes=""
for _ in 1 2 3; do codes="$codes $(curl -sS -o /dev/null -w '%{http_code}' "$base/v/dong-cam")"; done
echo "GET /v/dong-cam x3:$codes"
sleep 1.5
curl -sS -w 'HTTP %{http_code}\n' "$base/readyz"
