#!/usr/bin/env bash
# P1 (issue #10): the public village page under load. wrk, 64 connections,
# against `thonso serve` /v/{slug} on the province data set AND against
# nginx serving the same page's bytes as a static file (the same gzip'd
# body, through gzip_static) on another loopback port, alternating, in the
# same run. Prints one table: req/s, p50/p99 (medians of --runs runs), the
# ratios thonso/nginx and the bytes over the wire. Targets: req/s ≥ 0.5 ×
# nginx's, p99 ≤ 2 × nginx's.
#   bench/p1_public_page.sh [--small] [--runs N] [--db sqlite|postgres|both] [--seconds S] [--connections C]
source "$(dirname "$0")/lib.sh"
SECS=10
CONNS=64
usage() {
	echo "usage: bench/p1_public_page.sh [--small] [--runs N] [--db sqlite|postgres|both] [--seconds S] [--connections C]"
	usage_common
}
RUNS=${RUNS:-3}
parse_common "$@"
set -- "${EXTRA[@]+"${EXTRA[@]}"}"
while [ $# -gt 0 ]; do
	case "$1" in
	--seconds) [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || die "--seconds needs a positive whole number"; SECS=$2; shift ;;
	--connections) [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || die "--connections needs a positive whole number"; CONNS=$2; shift ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
	shift
done
[ "$SMALL" = 1 ] && { SECS=1; RUNS=1; }
need wrk nginx curl sqlite3 gzip
[[ " $BACKENDS " == *" postgres "* ]] && need_pg
build

# nginx: one master, worker_processes auto (one per core, like GOMAXPROCS),
# keep-alive as long as wrk's, the page as a pre-gzip'd static file.
NGINX_PORT=$(free_port)
mkdir -p "$WORK/nginx/www" "$WORK/nginx/tmp"
cat >"$WORK/nginx/nginx.conf" <<CONF
worker_processes auto;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
daemon off;
events { worker_connections 4096; }
http {
	access_log off;
	client_body_temp_path $WORK/nginx/tmp; proxy_temp_path $WORK/nginx/tmp; fastcgi_temp_path $WORK/nginx/tmp;
	uwsgi_temp_path $WORK/nginx/tmp; scgi_temp_path $WORK/nginx/tmp;
	sendfile on; tcp_nopush on; keepalive_requests 1000000; keepalive_timeout 75s;
	server {
		listen 127.0.0.1:$NGINX_PORT;
		root $WORK/nginx/www;
		location / { default_type "text/html; charset=utf-8"; gzip_static on; etag on; }
	}
}
CONF

# parse_wrk FILE prints "req/s p50_ms p99_ms".
parse_wrk() {
	awk 'function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
		$1 == "Requests/sec:" { rps = $2 }
		$1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) }
		/Non-2xx or 3xx responses|Socket errors/ { bad = bad " " $0 }
		END { if (bad != "") print "wrk:" bad > "/dev/stderr"; printf "%s %.3f %.3f\n", rps, p50, p99 }' "$1"
}

wire() { curl -fsS -H 'Accept-Encoding: gzip' -o /dev/null -w '%{size_download} %{size_header}' "$1"; }

machine
echo "P1 public village page: wrk -t2 -c$CONNS -d${SECS}s, gzip, medians of $RUNS runs (thonso and nginx alternating)"
printf '%-9s %-14s %-24s %10s %9s %9s %10s %10s\n' backend server page req/s p50_ms p99_ms body_B headers_B
rows=()
for b in $BACKENDS; do
	dsn=$(dataset "$b")
	slug=$(sql "$dsn" "SELECT u.slug FROM units u JOIN enrolments e ON e.village_id = u.id WHERE u.slug IS NOT NULL ORDER BY u.id LIMIT 1")
	[ -n "$slug" ] || die "no smart village in $dsn"
	start_serve "$dsn"
	base=$BASE
	page="$base/v/$slug"
	# The same bytes for nginx: the page as served (plain and gzip'd).
	mkdir -p "$WORK/nginx/www/v"
	curl -fsS "$page" -o "$WORK/nginx/www/v/$slug"
	curl -fsS -H 'Accept-Encoding: gzip' "$page" -o "$WORK/nginx/www/v/$slug.gz"
	gzip -t "$WORK/nginx/www/v/$slug.gz" || die "thonso did not answer gzip for $page"
	nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" >"$WORK/nginx/out.log" 2>&1 &
	npid=$!
	PIDS+=("$npid")
	static="http://127.0.0.1:$NGINX_PORT/v/$slug"
	for _ in $(seq 1 40); do curl -fsS -o /dev/null "$static" 2>/dev/null && break; sleep 0.25; done
	read -r tb th <<<"$(wire "$page")"
	read -r nb nh <<<"$(wire "$static")"
	[ "$tb" = "$nb" ] || note "body sizes differ: thonso $tb, nginx $nb"
	# Warm both, then alternate.
	wrk -t2 -c"$CONNS" -d1s -H 'Accept-Encoding: gzip' "$page" >/dev/null
	wrk -t2 -c"$CONNS" -d1s -H 'Accept-Encoding: gzip' "$static" >/dev/null
	t_rps=() t_p50=() t_p99=() n_rps=() n_p50=() n_p99=()
	for r in $(seq 1 "$RUNS"); do
		wrk -t2 -c"$CONNS" -d"${SECS}s" --latency -H 'Accept-Encoding: gzip' "$page" >"$WORK/t$r.txt"
		read -r a p q <<<"$(parse_wrk "$WORK/t$r.txt")"
		t_rps+=("$a") t_p50+=("$p") t_p99+=("$q")
		wrk -t2 -c"$CONNS" -d"${SECS}s" --latency -H 'Accept-Encoding: gzip' "$static" >"$WORK/n$r.txt"
		read -r a p q <<<"$(parse_wrk "$WORK/n$r.txt")"
		n_rps+=("$a") n_p50+=("$p") n_p99+=("$q")
	done
	kill "$npid" 2>/dev/null; wait "$npid" 2>/dev/null || true
	stop_serve
	tr=$(median "${t_rps[@]}") tp50=$(median "${t_p50[@]}") tp99=$(median "${t_p99[@]}")
	nr=$(median "${n_rps[@]}") np50=$(median "${n_p50[@]}") np99=$(median "${n_p99[@]}")
	printf '%-9s %-14s %-24s %10.0f %9.2f %9.2f %10s %10s\n' "$b" thonso "/v/$slug" "$tr" "$tp50" "$tp99" "$tb" "$th"
	printf '%-9s %-14s %-24s %10.0f %9.2f %9.2f %10s %10s\n' "$b" nginx-static "/v/$slug" "$nr" "$np50" "$np99" "$nb" "$nh"
	rows+=("$(printf '%-9s thonso/nginx: req/s %s (target ≥ 0.50), p99 %s (target ≤ 2.00); every run thonso req/s: %s; nginx: %s' \
		"$b" "$(ratio "$tr" "$nr")" "$(ratio "$tp99" "$np99")" "${t_rps[*]}" "${n_rps[*]}")")
done
printf '%s\n' "${rows[@]}"
