#!/usr/bin/env bash
# Two app servers on one PostgreSQL behind nginx as a load balancer: a
# login through one is a login on both (sessions live in the database),
# and a public page both have cached changes on both the moment it is
# changed through one of them (or through psql): each server checks its
# cached page against the database's public data version per request.
# Uses a fresh database on the machine's PostgreSQL (dropped at the end);
# nginx runs as the user's own process on a free loopback port.
#   bench/two_servers.sh [PGDSN_WITHOUT_DB] [SECONDS]
#     default postgres://postgres@127.0.0.1:5432, wrk for 5 s
# Needs nginx, curl and psql (installed from Debian when run as root);
# wrk for the throughput line (skipped without it).
set -euo pipefail
export GOTOOLCHAIN=go1.27.3
cd "$(dirname "$0")/.."
pgbase=${1:-postgres://postgres@127.0.0.1:5432}
secs=${2:-5}
for tool in nginx curl psql; do
	if ! command -v "$tool" >/dev/null && [ ! -x /usr/sbin/nginx ]; then
		if [ "$(id -u)" = 0 ]; then
			apt-get install -y nginx curl postgresql-client >/dev/null
		else
			echo "two_servers.sh: needs $tool (apt-get install nginx curl postgresql-client)" >&2
			exit 1
		fi
	fi
done
nginx=$(command -v nginx || echo /usr/sbin/nginx)
freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
tmp=$(mktemp -d /tmp/thonso-two.XXXXXX)
db="thonso_two_$$"
dsn="$pgbase/$db?sslmode=disable"
pa=$(freeport); pb=$(freeport); lb=$(freeport)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
	psql -X -q "$pgbase/postgres" -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT
psql -X -q "$pgbase/postgres" -c "CREATE DATABASE $db"
go build -o "$tmp/thonso" ./cmd/thonso
"$tmp/thonso" demo --db "$dsn" >/dev/null
for port in $pa $pb; do
	"$tmp/thonso" serve --db "$dsn" --addr "127.0.0.1:$port" --trusted-proxy 127.0.0.1 >"$tmp/serve-$port.log" 2>&1 &
	pids+=($!)
done
mkdir -p "$tmp/nginx"
cat >"$tmp/nginx.conf" <<EOF
worker_processes 1;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path $tmp/nginx; proxy_temp_path $tmp/nginx; fastcgi_temp_path $tmp/nginx; uwsgi_temp_path $tmp/nginx; scgi_temp_path $tmp/nginx;
	upstream thonso { server 127.0.0.1:$pa; server 127.0.0.1:$pb; keepalive 32; }
	server {
		listen 127.0.0.1:$lb;
		location / {
			proxy_pass http://thonso;
			proxy_http_version 1.1;
			proxy_set_header Connection "";
			proxy_set_header Host \$host:\$server_port;
			proxy_set_header X-Forwarded-For \$remote_addr;
			add_header X-Upstream \$upstream_addr always;
		}
	}
}
EOF
"$nginx" -c "$tmp/nginx.conf" -p "$tmp/nginx" -g 'daemon off;' &
pids+=($!)
for port in $pa $pb $lb; do
	for _ in $(seq 1 120); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
done
lbu="http://127.0.0.1:$lb"
echo "== servers A :$pa and B :$pb behind nginx :$lb, database $db"
jar="$tmp/jar"
curl -fsS -c "$jar" -b "$jar" -o /dev/null "$lbu/login"
csrf=$(awk '$6=="thonso_csrf" {print $7}' "$jar")
via=$(curl -sS -c "$jar" -b "$jar" -o /dev/null -w '%header{x-upstream}' --data-urlencode "csrf=$csrf" --data-urlencode "login=totruong.dongcam" --data-urlencode "password=minhhoa-2024" "$lbu/login")
echo "login posted through nginx, answered by $via"
echo "sessions in the database: $(psql -X -qAt "$dsn" -c 'SELECT count(*) FROM sessions')"
printf '%-6s %-22s %-6s %s\n' "#" "served by" "status" "logged in"
for i in 1 2 3 4; do
	out=$(curl -sS -b "$jar" -o "$tmp/me" -w '%header{x-upstream} %{http_code}' "$lbu/me")
	set -- $out
	li=no; grep -q 'totruong.dongcam\|logout' "$tmp/me" && li=yes
	printf '%-6s %-22s %-6s %s\n' "$i" "$1" "$2" "$li"
done
echo
echo "== a public page cached on both, changed through A, read from B"
for _ in 1 2 3 4; do curl -fsS -o /dev/null "$lbu/v/dong-cam"; done
intro="Đổi qua máy A lúc $(date +%T.%N)"
curl -fsS -b "$jar" -o /dev/null --data-urlencode "csrf=$csrf" --data-urlencode "intro=$intro" "http://127.0.0.1:$pa/villages/T000001/intro"
printf '%-44s %s\n' "B shows A's change at once:" "$(curl -fsS "http://127.0.0.1:$pb/v/dong-cam" | grep -c "$intro" || true)"
printf '%-44s %s\n' "A shows it:" "$(curl -fsS "http://127.0.0.1:$pa/v/dong-cam" | grep -c "$intro" || true)"
psql -X -q "$dsn" -c "UPDATE village_profiles SET intro = 'Đổi bằng psql' WHERE village_id = (SELECT id FROM units WHERE code = 'T000001')"
printf '%-44s %s\n' "after a psql change, A / B show it:" "$(curl -fsS "http://127.0.0.1:$pa/v/dong-cam" | grep -c 'Đổi bằng psql' || true) / $(curl -fsS "http://127.0.0.1:$pb/v/dong-cam" | grep -c 'Đổi bằng psql' || true)"
echo
echo "== logout everywhere through nginx ends the session on both"
curl -fsS -b "$jar" -c "$jar" -o /dev/null --data-urlencode "csrf=$csrf" "$lbu/logout-all" || true
for port in $pa $pb; do
	printf '%-44s %s\n' "GET /me on :$port after logout-all:" "$(curl -sS -b "$jar" -o /dev/null -w '%{http_code} -> %{redirect_url}' "http://127.0.0.1:$port/me")"
done
if command -v wrk >/dev/null; then
	echo
	echo "== /v/dong-cam, ${secs} s, 32 connections, gzip (the machine's 2 cores are shared by wrk, nginx, both servers and PostgreSQL)"
	printf '%-28s %12s %10s %10s\n' "target" "requests/s" "p50" "p99"
	for target in "one server:http://127.0.0.1:$pa" "nginx, two servers:$lbu"; do
		name=${target%%:http*}; url=${target#*:}
		wrk -t2 -c32 -d"${secs}s" --latency -H 'Accept-Encoding: gzip' "$url/v/dong-cam" >"$tmp/wrk"
		rps=$(awk '/^Requests\/sec/ {print $2}' "$tmp/wrk")
		p50=$(awk '$1=="50%" {print $2}' "$tmp/wrk")
		p99=$(awk '$1=="99%" {print $2}' "$tmp/wrk")
		printf '%-28s %12s %10s %10s\n' "$name" "$rps" "$p50" "$p99"
	done
fi
