#!/usr/bin/env bash
# P4 (issue #10): resident memory (RSS) of `thonso serve` on the province
# data set: idle after start, peak under the P1 load (wrk, 64 connections
# on the public village page; VmHWM and VmRSS sampled every 0.2 s), and
# idle again after it. Each run starts a fresh server; medians of --runs
# runs. Target: ≤ 150 MB.
#   bench/p4_memory.sh [--small] [--runs N] [--db sqlite|postgres|both] [--seconds S] [--connections C]
source "$(dirname "$0")/lib.sh"
SECS=20
CONNS=64
usage() {
	echo "usage: bench/p4_memory.sh [--small] [--runs N] [--db sqlite|postgres|both] [--seconds S] [--connections C]"
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
need wrk curl sqlite3
[[ " $BACKENDS " == *" postgres "* ]] && need_pg
build
mb() { awk -v k="$1" 'BEGIN { printf "%.1f\n", k / 1024 }'; }

machine
echo "P4 RSS of serve on the $(dataset_name) data set; load: wrk -t2 -c$CONNS -d${SECS}s on the public village page; medians of $RUNS runs"
printf '%-9s %14s %16s %14s %14s  %s\n' backend idle_MB under_load_MB after_MB req/s "target ≤ 150 MB"
for b in $BACKENDS; do
	dsn=$(dataset "$b")
	slug=$(sql "$dsn" "SELECT u.slug FROM units u JOIN enrolments e ON e.village_id = u.id WHERE u.slug IS NOT NULL ORDER BY u.id LIMIT 1")
	idle=() peak=() after=() rps=()
	for r in $(seq 1 "$RUNS"); do
		start_serve "$dsn"
		base=$BASE
		sleep 2
		idle+=("$(mb "$(rss_kb "$SERVE_PID")")")
		wrk -t2 -c"$CONNS" -d"${SECS}s" -H 'Accept-Encoding: gzip' "$base/v/$slug" >"$WORK/wrk.txt" &
		wpid=$!
		PIDS+=("$wpid")
		max=0
		while kill -0 "$wpid" 2>/dev/null; do
			k=$(rss_kb "$SERVE_PID")
			[ "${k:-0}" -gt "$max" ] && max=$k
			sleep 0.2
		done
		wait "$wpid" || true
		hwm=$(rss_kb "$SERVE_PID" VmHWM)
		[ "$hwm" -gt "$max" ] && max=$hwm
		peak+=("$(mb "$max")")
		rps+=("$(awk '$1 == "Requests/sec:" { print $2 }' "$WORK/wrk.txt")")
		sleep 5
		after+=("$(mb "$(rss_kb "$SERVE_PID")")")
		stop_serve
	done
	p=$(median "${peak[@]}")
	verdict=ok
	awk -v p="$p" 'BEGIN { exit !(p <= 150) }' || verdict=MISSED
	printf '%-9s %14s %16s %14s %14.0f  %s (runs under load: %s MB)\n' "$b" "$(median "${idle[@]}")" "$p" "$(median "${after[@]}")" "$(median "${rps[@]}")" "$verdict" "${peak[*]}"
done
