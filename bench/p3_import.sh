#!/usr/bin/env bash
# P3 (issue #10): importing residents of many villages from one file with
# `thonso import residents` (1,000,000 rows of CSV, 100,000 of CSV and of
# XLSX, over the 1,500 villages of a synthetic province) — wall time, CPU
# time and peak memory (/usr/bin/time -v maxrss) — AND, in the same run,
# the engine's own bulk load of the same CSV into a table with the same
# columns and indexes as ours (sqlite3 `.import`, psql `\copy`, in one
# transaction, WAL + synchronous=FULL on SQLite like the app). Medians of
# --runs runs; the ratio. Targets: ≤ 30 s for 1 M CSV rows, ≤ 3 × the
# bulk load, memory flat in file size (compare the 100k and 1M rows).
#   bench/p3_import.sh [--small] [--runs N] [--db sqlite|postgres|both] [--sets "csv:1000000 csv:100000 xlsx:100000"] [--profile DIR]
# Each run imports into a fresh copy of a cached base data set (the
# province's units, villages and teams, a few residents).
source "$(dirname "$0")/lib.sh"
SETS="csv:1000000 csv:100000 xlsx:100000"
PROFILE_DIR=
usage() {
	echo 'usage: bench/p3_import.sh [--small] [--runs N] [--db sqlite|postgres|both] [--sets "csv:1000000 csv:100000 xlsx:100000"] [--profile DIR]'
	usage_common
}
RUNS=${RUNS:-3}
parse_common "$@"
set -- "${EXTRA[@]+"${EXTRA[@]}"}"
while [ $# -gt 0 ]; do
	case "$1" in
	--sets) [ -n "${2:-}" ] || die "--sets needs a list like \"csv:1000000 xlsx:100000\""; SETS=$2; shift ;;
	--profile) [ -n "${2:-}" ] || die "--profile needs a directory"; PROFILE_DIR=$2; mkdir -p "$PROFILE_DIR" || die "cannot create $PROFILE_DIR"; shift ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
	shift
done
for s in $SETS; do
	[[ "$s" =~ ^(csv|xlsx):[1-9][0-9]*$ ]] || die "--sets: '$s' is not csv:ROWS or xlsx:ROWS"
done
VILLAGES=1500
BASE_FLAGS="--communes 150 --villages 1500 --residents 3000 --dossiers 0"
if [ "$SMALL" = 1 ]; then
	SETS="csv:2000 xlsx:1000"
	RUNS=1
	VILLAGES=12
	BASE_FLAGS="--communes 3 --villages 12 --residents 24 --dossiers 0"
fi
need sqlite3 time
[[ " $BACKENDS " == *" postgres "* ]] && need_pg
build
(cd "$ROOT" && go build -o "$WORK/gendata" ./bench/gendata) || die "go build ./bench/gendata failed"
mkdir -p "$CACHE"
base_name=p3base-$VILLAGES

# base BACKEND prepares the cached base data set once.
base() {
	case "$1" in
	sqlite)
		if [ ! -s "$CACHE/$base_name.db" ]; then
			note "generating the import base ($VILLAGES villages) into $CACHE/$base_name.db"
			rm -f "$CACHE/$base_name.new.db"*
			# shellcheck disable=SC2086
			"$THONSO" demo --db "sqlite:$CACHE/$base_name.new.db" --scale province $BASE_FLAGS >"$WORK/gen.log" 2>&1 || { tail -5 "$WORK/gen.log" >&2; die "generating the base failed"; }
			sqlite3 "$CACHE/$base_name.new.db" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
			mv "$CACHE/$base_name.new.db" "$CACHE/$base_name.db"
			rm -f "$CACHE/$base_name.new.db-wal" "$CACHE/$base_name.new.db-shm"
		fi
		bring_up_to_date "sqlite:$CACHE/$base_name.db"
		;;
	postgres)
		local db=thonso_bench_${base_name//-/_}
		if ! psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
			note "generating the import base ($VILLAGES villages) into database $db"
			dropdb --if-exists "${db}_new" && createdb "${db}_new"
			# shellcheck disable=SC2086
			"$THONSO" demo --db "postgres://$PGUSER@$PGHOST:$PGPORT/${db}_new?sslmode=disable" --scale province $BASE_FLAGS >"$WORK/gen.log" 2>&1 ||
				{ tail -5 "$WORK/gen.log" >&2; die "generating the base failed"; }
			psql -q -d "${db}_new" -c 'VACUUM ANALYZE' >/dev/null
			psql -q -d postgres -c "ALTER DATABASE ${db}_new RENAME TO $db" >/dev/null
		fi
		bring_up_to_date "postgres://$PGUSER@$PGHOST:$PGPORT/$db?sslmode=disable"
		;;
	esac
}

# fresh BACKEND prints the DSN of a fresh copy of the base.
RUNDB=thonso_bench_p3_run_$$
fresh() {
	case "$1" in
	sqlite)
		rm -f "$WORK/run.db"*
		cp "$CACHE/$base_name.db" "$WORK/run.db"
		echo "sqlite:$WORK/run.db"
		;;
	postgres)
		dropdb --if-exists "$RUNDB" && createdb -T "thonso_bench_${base_name//-/_}" "$RUNDB"
		echo "postgres://$PGUSER@$PGHOST:$PGPORT/$RUNDB?sslmode=disable"
		;;
	esac
}
drop_run() { rm -f "$WORK/run.db"* "$WORK/bulk.db"*; dropdb --if-exists "$RUNDB" 2>/dev/null || true; dropdb --if-exists "${RUNDB}_bulk" 2>/dev/null || true; }
trap 'drop_run; cleanup' EXIT

# file FORMAT ROWS prints the cached input file, writing it once.
file() {
	local f="$CACHE/residents-$2-v$VILLAGES.$1"
	if [ ! -s "$f" ]; then
		note "writing $f"
		"$WORK/gendata" -rows "$2" -villages "$VILLAGES" -o "$f.new.$1" && mv "$f.new.$1" "$f" || die "writing $f failed"
	fi
	echo "$f"
}

# timed OUT CMD… runs CMD under /usr/bin/time -v; prints "wall_s cpu_s maxrss_MB".
timed() {
	local out=$1
	shift
	/usr/bin/time -v "$@" >"$out" 2>&1 || { tail -15 "$out" >&2; die "failed: $*"; }
	awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); w = (n == 3) ? t[1] * 3600 + t[2] * 60 + t[3] : t[1] * 60 + t[2] }
		/User time/ { c += $2 } /System time/ { c += $2 } /Maximum resident set size/ { m = $2 / 1024 }
		END { printf "%.2f %.2f %.0f\n", w, c, m }' "$out"
}

COLS="ma_thon TEXT NOT NULL, so_ho TEXT NOT NULL, xom TEXT, dia_chi TEXT, ho_va_ten TEXT NOT NULL, ngay_sinh TEXT NOT NULL, gioi_tinh TEXT NOT NULL,
	quan_he TEXT, cccd TEXT UNIQUE, dien_thoai TEXT, dtdd TEXT, vneid TEXT, dvc TEXT, ngan_hang TEXT, ho_ngan_hang TEXT, ho_zalo TEXT"
# The residents table's indexes, on the file's columns: village, household,
# name, phone, unique CCCD.
INDEXES="CREATE INDEX rc_village ON residents_csv (ma_thon); CREATE INDEX rc_household ON residents_csv (ma_thon, so_ho);
	CREATE INDEX rc_name ON residents_csv (ho_va_ten); CREATE INDEX rc_phone ON residents_csv (dien_thoai);"

# bulk BACKEND CSV prints "wall_s cpu_s maxrss_MB" of the engine's own load.
bulk() {
	case "$1" in
	sqlite)
		rm -f "$WORK/bulk.db"*
		printf 'PRAGMA journal_mode=WAL;\nPRAGMA synchronous=FULL;\nCREATE TABLE residents_csv (%s);\n%s\n.import --csv --skip 1 %s residents_csv\nSELECT count(*) FROM residents_csv;\n' \
			"$COLS" "$INDEXES" "$2" >"$WORK/bulk.sql"
		timed "$WORK/bulk.out" sqlite3 -bail "$WORK/bulk.db" ".read $WORK/bulk.sql"
		;;
	postgres)
		dropdb --if-exists "${RUNDB}_bulk" && createdb "${RUNDB}_bulk"
		psql -q -d "${RUNDB}_bulk" -c "CREATE TABLE residents_csv ($COLS); $INDEXES"
		printf "BEGIN;\n\\\\copy residents_csv FROM '%s' WITH (FORMAT csv, HEADER true)\nCOMMIT;\n" "$2" >"$WORK/bulk.sql"
		timed "$WORK/bulk.out" psql -q -v ON_ERROR_STOP=1 -d "${RUNDB}_bulk" -f "$WORK/bulk.sql"
		;;
	esac
}

machine
echo "P3 import residents over $VILLAGES villages; medians of $RUNS runs; wall and CPU (user+sys) seconds, peak RSS"
printf '%-9s %-5s %9s %10s %9s %10s %13s %12s %8s  %s\n' backend file rows thonso_s cpu_s rss_MB bulk_load_s bulk_rss_MB ratio "targets: 1M ≤ 30 s, ratio ≤ 3"
for b in $BACKENDS; do
	base "$b"
	for s in $SETS; do
		fmt=${s%%:*} rows=${s#*:}
		f=$(file "$fmt" "$rows")
		csv=$f
		[ "$fmt" = xlsx ] && csv=$(file csv "$rows")
		tw=() tc=() tm=() bw=() bm=()
		for r in $(seq 1 "$RUNS"); do
			dsn=$(fresh "$b")
			if [ -n "$PROFILE_DIR" ] && [ "$r" = 1 ]; then
				export THONSO_CPUPROFILE="$PROFILE_DIR/p3-$b-$fmt-$rows.cpu.pprof" THONSO_MEMPROFILE="$PROFILE_DIR/p3-$b-$fmt-$rows.alloc.pprof"
			fi
			read -r w c m <<<"$(timed "$WORK/import.out" "$THONSO" import residents --db "$dsn" "$f")"
			unset THONSO_CPUPROFILE THONSO_MEMPROFILE
			created=$(sql "$dsn" "SELECT count(*) FROM residents") || true
			[ "$created" -ge "$rows" ] 2>/dev/null || { tail -5 "$WORK/import.out" >&2; die "the import of $f left $created residents, not $rows"; }
			tw+=("$w") tc+=("$c") tm+=("$m")
			drop_run
			read -r w c m <<<"$(bulk "$b" "$csv")"
			bw+=("$w") bm+=("$m")
			drop_run
		done
		t=$(median "${tw[@]}") bl=$(median "${bw[@]}")
		verdict=ok
		awk -v t="$t" -v b="$bl" -v n="$rows" 'BEGIN { exit !(t <= 3 * b && t <= 30 * n / 1000000) }' || verdict=MISSED
		label=$bl
		[ "$fmt" = xlsx ] && label="$bl(csv)"
		printf '%-9s %-5s %9d %10.1f %9.1f %10.0f %13s %12.0f %8s  %s (runs: thonso %s; bulk %s)\n' "$b" "$fmt" "$rows" "$t" "$(median "${tc[@]}")" "$(median "${tm[@]}")" \
			"$label" "$(median "${bm[@]}")" "$(ratio "$t" "$bl")" "$verdict" "${tw[*]}" "${bw[*]}"
		if [ -n "$PROFILE_DIR" ]; then
			cp "$THONSO" "$PROFILE_DIR/thonso"
			echo "-- top of $PROFILE_DIR/p3-$b-$fmt-$rows.cpu.pprof:"
			(cd "$ROOT" && go tool pprof -top -cum "$THONSO" "$PROFILE_DIR/p3-$b-$fmt-$rows.cpu.pprof" 2>/dev/null |
				sed -n '1,6p;7,60{/thonso\/internal\|sqlite\.(\*conn)\|pgx\|encoding\|excelize/p}' | head -28)
		fi
	done
done
