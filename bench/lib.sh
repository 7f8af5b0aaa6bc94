# Shared by bench/p1_public_page.sh … p4_memory.sh (sourced, not run).
# Tools, the province data set (generated once and cached), medians, and
# starting/stopping `thonso serve` and nginx. Everything a script starts is
# stopped by its own pid on exit.
set -euo pipefail
export GOTOOLCHAIN=${GOTOOLCHAIN:-go1.27.3}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PROG=$(basename "$0")
# Cache of generated data sets and files, reused between runs.
CACHE=${THONSO_BENCH_CACHE:-/tmp/thonso-bench}
# PostgreSQL server (trust auth); the scripts create their own databases.
PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
PGOPTIONS=${PGOPTIONS:--c client_min_messages=warning}
export PGHOST PGPORT PGUSER PGOPTIONS
SMALL=${SMALL:-0}
RUNS=${RUNS:-}
BACKENDS=${BACKENDS:-sqlite postgres}
PIDS=()
WORK=$(mktemp -d /tmp/thonso-bench-run.XXXXXX)
chmod 755 "$WORK" # nginx workers (www-data) read the static page under it

cleanup() {
	local p
	for p in "${PIDS[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	for p in "${PIDS[@]}"; do
		wait "$p" 2>/dev/null || true
	done
	rm -rf "$WORK"
}
trap cleanup EXIT

die() { printf '%s: %s\n' "$PROG" "$*" >&2; exit 2; }
note() { printf '%s: %s\n' "$PROG" "$*" >&2; }

# usage_common explains the arguments every script takes.
usage_common() {
	cat <<USAGE
  --small          a few seconds on a tiny data set (what CI runs); also SMALL=1
  --runs N         runs of each measurement, the median is shown (default $RUNS)
  --db B           sqlite, postgres or both (default both)
  --help           this text
Environment: THONSO_BENCH_CACHE (default /tmp/thonso-bench: generated data sets,
reused by later runs; delete a file or database to regenerate it),
THONSO_BENCH_SQLITE (an existing province .db to use instead),
THONSO_BENCH_PGDB (an existing PostgreSQL database to use instead),
PGHOST/PGPORT/PGUSER (default 127.0.0.1, 5432, postgres).
USAGE
}

# parse_common reads the common arguments; the script's own come back in
# EXTRA (an array). An unknown argument is one clear message and exit 2.
EXTRA=()
parse_common() {
	while [ $# -gt 0 ]; do
		case "$1" in
		--small) SMALL=1 ;;
		--runs)
			[ $# -ge 2 ] || die "--runs needs a number"
			[[ "$2" =~ ^[1-9][0-9]*$ ]] || die "--runs needs a positive whole number, not '$2'"
			RUNS=$2
			shift
			;;
		--db)
			[ $# -ge 2 ] || die "--db needs sqlite, postgres or both"
			case "$2" in
			sqlite) BACKENDS=sqlite ;;
			postgres) BACKENDS=postgres ;;
			both) BACKENDS="sqlite postgres" ;;
			*) die "--db must be sqlite, postgres or both, not '$2'" ;;
			esac
			shift
			;;
		-h | --help) usage; exit 0 ;;
		*) EXTRA+=("$1") ;;
		esac
		shift
	done
	case "$SMALL" in 0 | 1) ;; *) die "SMALL must be 0 or 1, not '$SMALL'" ;; esac
}

# need TOOL… makes sure the tools are there: installed from Debian when run
# as root, else one message naming the packages and exit 3.
need() {
	local t pkg missing=()
	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 && continue
		case "$t" in
		psql | createdb | dropdb | pg_isready) pkg=postgresql-client ;;
		time) [ -x /usr/bin/time ] && continue; pkg=time ;;
		*) pkg=$t ;;
		esac
		[[ " ${missing[*]-} " == *" $pkg "* ]] || missing+=("$pkg")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		printf '%s: missing %s; install with: sudo apt-get install %s\n' "$PROG" "${missing[*]}" "${missing[*]}" >&2
		exit 3
	fi
	note "installing ${missing[*]} from Debian"
	export DEBIAN_FRONTEND=noninteractive
	apt-get -o DPkg::Lock::Timeout=300 install -y -q "${missing[@]}" >"$WORK/apt.log" 2>&1 ||
		{ apt-get -o DPkg::Lock::Timeout=300 update -q >>"$WORK/apt.log" 2>&1 &&
			apt-get -o DPkg::Lock::Timeout=300 install -y -q "${missing[@]}" >>"$WORK/apt.log" 2>&1; } ||
		{ cat "$WORK/apt.log" >&2; die "could not install ${missing[*]}"; }
}

# need_pg checks the PostgreSQL server answers.
need_pg() {
	need psql createdb pg_isready
	pg_isready -q || die "PostgreSQL does not answer at $PGHOST:$PGPORT (start it, or set PGHOST/PGPORT, or use --db sqlite)"
}

# build compiles thonso (and gendata) into the run's directory.
THONSO=$WORK/thonso
build() {
	(cd "$ROOT" && go build -o "$THONSO" ./cmd/thonso) || die "go build failed"
}

# median N… prints the median of the numbers.
median() {
	printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) exit 1; if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# ratio A B prints A/B with two decimals ("-" when B is 0 or empty).
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "-"; else printf "%.2f\n", a / b }'; }

# The province shape: issue #10's (150 communes, 1,500 villages, 1,000,000
# residents, 300,000 dossiers), or a tiny one with --small.
scale_flags() {
	if [ "$SMALL" = 1 ]; then
		echo "--communes 3 --villages 12 --residents 3000 --dossiers 1000"
	else
		echo ""
	fi
}
dataset_name() { if [ "$SMALL" = 1 ]; then echo small; else echo province; fi; }

# bring_up_to_date DSN migrates a cached data set to this binary's schema
# (a set cached by an older build would otherwise stop serve).
bring_up_to_date() {
	"$THONSO" migrate --db "$1" >"$WORK/migrate.log" 2>&1 || { tail -3 "$WORK/migrate.log" >&2; die "migrating the cached data set $1 failed"; }
}

# dataset BACKEND prints the DSN of the province data set on that backend,
# generating it first when it is not cached (timed; the time is kept beside
# it and shown). A half-generated set never takes the cached name.
dataset() {
	local b=$1 name start secs
	name=$(dataset_name)
	mkdir -p "$CACHE"
	case "$b" in
	sqlite)
		local db=${THONSO_BENCH_SQLITE:-$CACHE/$name.db}
		if [ ! -s "$db" ]; then
			[ -z "${THONSO_BENCH_SQLITE:-}" ] || die "THONSO_BENCH_SQLITE=$db: no such database"
			note "generating the $name data set on SQLite into $db (once; reused later)"
			rm -f "$db.new" "$db.new-wal" "$db.new-shm"
			start=$(date +%s)
			# shellcheck disable=SC2046
			"$THONSO" demo --db "sqlite:$db.new" --scale province $(scale_flags) >"$WORK/gen.log" 2>&1 || { tail -5 "$WORK/gen.log" >&2; die "generating the data set failed"; }
			secs=$(($(date +%s) - start))
			sqlite3 "$db.new" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
			mv "$db.new" "$db"
			rm -f "$db.new-wal" "$db.new-shm"
			echo "$secs" >"$db.gen-seconds"
		fi
		[ -f "$db.gen-seconds" ] && note "data set $db (generated in $(cat "$db.gen-seconds") s)"
		bring_up_to_date "sqlite:$db"
		echo "sqlite:$db"
		;;
	postgres)
		local pdb=${THONSO_BENCH_PGDB:-thonso_bench_$name}
		if ! psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$pdb'" | grep -q 1; then
			[ -z "${THONSO_BENCH_PGDB:-}" ] || die "THONSO_BENCH_PGDB=$pdb: no such database"
			note "generating the $name data set on PostgreSQL into database $pdb (once; reused later)"
			dropdb --if-exists "${pdb}_new" && createdb "${pdb}_new"
			start=$(date +%s)
			if [ "$SMALL" = 1 ]; then
				# shellcheck disable=SC2046
				"$THONSO" demo --db "postgres://$PGUSER@$PGHOST:$PGPORT/${pdb}_new?sslmode=disable" --scale province $(scale_flags) >"$WORK/gen.log" 2>&1 ||
					{ tail -5 "$WORK/gen.log" >&2; die "generating the data set failed"; }
			else
				# The generator on PostgreSQL stalls in the households' heads
				# at this size (README, Performance): the same province is
				# restored from the SQLite one's backup instead.
				local lite
				lite=$(dataset sqlite)
				"$THONSO" backup --db "$lite" -o "$WORK/province.jsonl.gz" >"$WORK/gen.log" 2>&1 &&
					"$THONSO" restore "$WORK/province.jsonl.gz" --db "postgres://$PGUSER@$PGHOST:$PGPORT/${pdb}_new?sslmode=disable" >>"$WORK/gen.log" 2>&1 ||
					{ tail -5 "$WORK/gen.log" >&2; die "restoring the data set into PostgreSQL failed"; }
				rm -f "$WORK/province.jsonl.gz"
			fi
			secs=$(($(date +%s) - start))
			psql -q -d "${pdb}_new" -c 'VACUUM ANALYZE' >/dev/null
			psql -q -d postgres -c "ALTER DATABASE ${pdb}_new RENAME TO $pdb" >/dev/null
			psql -q -d postgres -c "COMMENT ON DATABASE $pdb IS 'thonso bench data set, generated in $secs s'" >/dev/null
		fi
		note "data set $pdb ($(psql -d postgres -tAc "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '$pdb'"))"
		bring_up_to_date "postgres://$PGUSER@$PGHOST:$PGPORT/$pdb?sslmode=disable"
		echo "postgres://$PGUSER@$PGHOST:$PGPORT/$pdb?sslmode=disable"
		;;
	esac
}

# sql DSN QUERY runs one query with the backend's own client, tab-separated.
sql() {
	case "$1" in
	sqlite:*) sqlite3 -readonly -separator $'\t' "${1#sqlite:}" "$2" ;;
	postgres:*) psql -d "$1" -tAF $'\t' -c "$2" ;;
	esac
}

free_port() {
	local p
	while :; do
		p=$((20000 + RANDOM % 20000))
		(exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
	done
}

# start_serve DSN starts serve; BASE is its URL, SERVE_PID its pid. (Not
# in $(…): the pid must reach this shell, which stops the server.)
SERVE_PID= BASE=
start_serve() {
	local port
	port=$(free_port)
	"$THONSO" serve --db "$1" --addr "127.0.0.1:$port" >"$WORK/serve-$port.log" 2>&1 &
	SERVE_PID=$!
	PIDS+=("$SERVE_PID")
	for _ in $(seq 1 240); do
		curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && { BASE="http://127.0.0.1:$port"; return; }
		kill -0 "$SERVE_PID" 2>/dev/null || break
		sleep 0.25
	done
	tail -5 "$WORK/serve-$port.log" >&2
	die "thonso serve did not start"
}

# stop_serve stops the server started last (SIGTERM: a clean exit, so a
# THONSO_CPUPROFILE is written).
stop_serve() {
	kill -TERM "$SERVE_PID" 2>/dev/null || true
	wait "$SERVE_PID" 2>/dev/null || true
}

# rss_kb PID prints VmRSS (or FIELD) of a process in kB.
rss_kb() { awk -v f="${2:-VmRSS}:" '$1 == f { print $2 }' "/proc/$1/status"; }

# machine prints the description the tables are read with.
machine() {
	printf 'machine: %s cores (nproc), %s RAM, %s; %s; SQLite %s (sqlite3 CLI), modernc.org/sqlite %s; %s\n' \
		"$(nproc)" "$(free -h | awk '/^Mem:/ { print $2 }')" "$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)" \
		"$(cd "$ROOT" && go version | awk '{ print $3 }')" "$(sqlite3 --version 2>/dev/null | awk '{ print $1 }')" \
		"$(cd "$ROOT" && go list -m -f '{{.Version}}' modernc.org/sqlite)" \
		"$(psql -d postgres -tAc 'SHOW server_version' 2>/dev/null | awk '{ print "PostgreSQL " $1 }' || echo 'PostgreSQL: none')"
	printf 'load average at start: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
}
