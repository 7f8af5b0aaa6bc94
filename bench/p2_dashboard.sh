#!/usr/bin/env bash
# P2 (issue #10): the province dashboard on the province data set. The
# server time of a unit's stats (GET /api/v1/units/{code}/stats, the
# figures the dashboard shows: store.Stats), warm, for the province and
# for one commune, AND the same aggregation written as plain SQL — the
# statements Stats needs, with the values filled in — run by the engine's
# own command-line tool on the same database (sqlite3 with .timer, psql with
# \timing), in the same run. Medians of --runs runs; the ratio. Targets:
# ≤ 50 ms and ≤ 1.5 × the plain SQL.
#   bench/p2_dashboard.sh [--small] [--runs N] [--db sqlite|postgres|both] [--at YYYY-MM-DD] [--profile DIR]
# --profile DIR writes a CPU profile of serve while it answers (DIR/p2-BACKEND.cpu.pprof)
# and prints its top functions (go tool pprof).
source "$(dirname "$0")/lib.sh"
AT=2026-10-31 # the synthetic story ends on 31/10/2026
PROFILE_DIR=
usage() {
	echo "usage: bench/p2_dashboard.sh [--small] [--runs N] [--db sqlite|postgres|both] [--at YYYY-MM-DD] [--profile DIR]"
	usage_common
}
RUNS=${RUNS:-5}
WARM=1
parse_common "$@"
set -- "${EXTRA[@]+"${EXTRA[@]}"}"
while [ $# -gt 0 ]; do
	case "$1" in
	--at) [[ "${2:-}" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]] || die "--at needs a date YYYY-MM-DD"; AT=$2; shift ;;
	--profile) [ -n "${2:-}" ] || die "--profile needs a directory"; PROFILE_DIR=$2; mkdir -p "$PROFILE_DIR" || die "cannot create $PROFILE_DIR"; shift ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
	shift
done
[ "$SMALL" = 1 ] && RUNS=2 WARM=1
need sqlite3 curl
[[ " $BACKENDS " == *" postgres "* ]] && need_pg
build
y=${AT:0:4}
B14="$((y - 14))${AT:4}" # born on or before: aged 14+ on AT (domain.BornBy)
B18="$((y - 18))${AT:4}"

# plain_sql UNIT_ID prints the statements of store.Stats for the unit on AT
# (as it was), values inlined: the subtree, communes, smart villages and
# their communes, teams, team members, dossiers counted and grouped, the
# residents' and households' figures, and the dossiers open on AT with
# their last step (what the overdue count reads).
plain_sql() {
	local down="WITH RECURSIVE down(id) AS (SELECT CAST($1 AS BIGINT) UNION SELECT p.unit_id FROM unit_parents p JOIN down ON p.parent_id = down.id
		WHERE (p.valid_from IS NULL OR p.valid_from <= '$AT') AND (p.valid_to IS NULL OR p.valid_to >= '$AT'))"
	local living="r.birth_date <= '$AT' AND (r.moved_in IS NULL OR r.moved_in <= '$AT') AND (r.left_on IS NULL OR r.left_on > '$AT')"
	cat <<SQL
$down, sv AS (SELECT e.village_id AS id FROM enrolments e WHERE e.village_id IN (SELECT id FROM down)
	AND e.enrolled_on <= '$AT' AND (e.ended_on IS NULL OR e.ended_on >= '$AT'))
SELECT (SELECT count(*) FROM units u WHERE u.id IN (SELECT id FROM down) AND u.level = 'commune'),
	(SELECT count(DISTINCT p.parent_id) FROM unit_parents p WHERE p.unit_id IN (SELECT id FROM sv)
		AND (p.valid_from IS NULL OR p.valid_from <= '$AT') AND (p.valid_to IS NULL OR p.valid_to >= '$AT')),
	(SELECT count(*) FROM sv),
	(SELECT count(DISTINCT t.id) FROM teams t JOIN team_units tu ON tu.team_id = t.id WHERE t.kind = 'village' AND tu.unit_id IN (SELECT id FROM sv)),
	(SELECT count(*) FROM team_members m JOIN team_units tu ON tu.team_id = m.team_id WHERE tu.unit_id IN (SELECT id FROM down)
		AND m.joined_on <= '$AT' AND (m.left_on IS NULL OR m.left_on >= '$AT'));
$down SELECT pr.sector, pr.field, pr.code, d.portal, substr(d.received_on, 1, 7), sum(CASE WHEN d.practice THEN 0 ELSE 1 END), sum(CASE WHEN d.practice THEN 1 ELSE 0 END)
	FROM dossiers d JOIN procedures pr ON pr.id = d.procedure_id
	WHERE d.village_id IN (SELECT id FROM down) AND d.received_on <= '$AT' AND d.state <> 'voided'
	GROUP BY pr.sector, pr.field, pr.code, d.portal, substr(d.received_on, 1, 7);
$down SELECT count(*), sum(CASE WHEN r.birth_date <= '$B14' THEN 1 ELSE 0 END),
	sum(CASE WHEN r.birth_date <= '$B14' AND r.account_since <= '$AT' THEN 1 ELSE 0 END),
	sum(CASE WHEN r.birth_date <= '$B18' THEN 1 ELSE 0 END),
	sum(CASE WHEN r.birth_date <= '$B18' AND r.smartphone_since <= '$AT' THEN 1 ELSE 0 END)
	FROM residents r WHERE r.village_id IN (SELECT id FROM down) AND $living;
$down SELECT count(*), sum(x.bank), sum(x.zalo) FROM (SELECT h.id, max(CASE WHEN h.bank_since <= '$AT' OR r.bank_since <= '$AT' THEN 1 ELSE 0 END) AS bank,
	max(CASE WHEN h.zalo_since <= '$AT' THEN 1 ELSE 0 END) AS zalo
	FROM households h JOIN residents r ON r.household_id = h.id WHERE h.village_id IN (SELECT id FROM down) AND $living GROUP BY h.id) x;
$down SELECT x.state, x.last_on, pr.processing_days FROM (SELECT d.procedure_id,
	(SELECT st.to_state FROM dossier_steps st WHERE st.dossier_id = d.id AND st.on_date <= '$AT' ORDER BY st.on_date DESC, st.id DESC LIMIT 1) AS state,
	(SELECT max(st.on_date) FROM dossier_steps st WHERE st.dossier_id = d.id AND st.on_date <= '$AT') AS last_on
	FROM dossiers d WHERE d.village_id IN (SELECT id FROM down) AND d.received_on <= '$AT' AND d.state <> 'voided' AND NOT d.practice) x
	JOIN procedures pr ON pr.id = x.procedure_id WHERE x.state IN ('processing', 'result_collected');
SQL
}

# plain_ms DSN UNIT_ID prints, for each of RUNS blocks of the plain SQL (one
# warm-up block first, not counted), its wall and CPU (user+sys, sqlite3
# only: on PostgreSQL the work is in the server) milliseconds.
plain_ms() {
	local q i
	q=$(plain_sql "$2")
	case "$1" in
	sqlite:*)
		{
			echo ".timer on"
			for i in $(seq 0 "$RUNS"); do printf '.output /dev/null\n%s\n.output stdout\n.print BLOCK\n' "$q"; done
		} | sqlite3 -readonly "${1#sqlite:}" |
			awk '$1 == "Run" { t += $4 * 1000; c += ($6 + $8) * 1000 } $1 == "BLOCK" { if (n++ > 0) printf "%.3f %.3f\n", t, c; t = 0; c = 0 }'
		;;
	postgres:*)
		{
			echo '\timing on'
			for i in $(seq 0 "$RUNS"); do printf '\\o /dev/null\n%s\n\\o\n\\echo BLOCK\n' "$q"; done
		} | psql -q -d "$1" |
			awk '$1 == "Time:" { t += $2 } $1 == "BLOCK" { if (n++ > 0) printf "%.3f -\n", t; t = 0 }'
		;;
	esac
}

# api_ms URL prints, for RUNS requests (after WARM ones), the wall
# milliseconds and the CPU milliseconds serve spent meanwhile (user+sys
# from /proc; on a shared, overloaded machine the wall time is mostly
# waiting for a core, the CPU time is not). A request past serve's
# WriteTimeout (120 s) still shows its time, marked "!".
TICK=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
api_ms() {
	local i c0 c1 out
	for i in $(seq 2 "$WARM"); do curl -sS -o /dev/null "$1" || true; done # check made the first
	for i in $(seq 1 "$RUNS"); do
		c0=$(cpu_ticks "$SERVE_PID")
		out=$(curl -sS -o /dev/null -w '%{time_total} %{http_code}' "$1" 2>/dev/null || true)
		c1=$(cpu_ticks "$SERVE_PID")
		awk -v o="$out" -v c=$((c1 - c0)) -v t="$TICK" 'BEGIN { split(o, a, " "); printf "%.3f %.0f %s\n", a[1] * 1000, c * 1000 / t, (a[2] == "200") ? "" : "!" }'
	done
}

# check DSN UNIT_ID URL: the plain SQL and the API agree on two figures.
check() {
	local json sqlres api_d api_a
	json=$(curl -sS "$3" 2>/dev/null || true) # also the warm-up request
	[ -n "$json" ] || { note "$3: no answer (past serve's WriteTimeout?): figures not compared"; return 0; }
	api_d=$(grep -o '"dossiers":[0-9]*' <<<"$json" | cut -d: -f2)
	api_a=$(grep -o '"residents_14plus":[0-9]*' <<<"$json" | cut -d: -f2)
	local q
	q=$(plain_sql "$2" | awk 'BEGIN { RS = ";\n" } NR == 3')
	sqlres=$(sql "$1" "$q" | cut -f2)
	[ "$sqlres" = "$api_a" ] || note "residents 14+ differ: API $api_a, plain SQL $sqlres"
	[ -n "$api_d" ] || note "no dossier count in the API's answer"
}

machine
echo "P2 unit stats on the $(dataset_name) data set, at $AT, as it was, warm; medians of $RUNS runs"
printf '%-9s %-9s %-6s %11s %11s %6s %10s %10s %6s  %s\n' backend unit code thonso_ms sql_ms ratio thonso_cpu sql_cpu ratio "targets (wall): ≤ 50 ms, ratio ≤ 1.5"
for b in $BACKENDS; do
	dsn=$(dataset "$b")
	[ -n "$PROFILE_DIR" ] && export THONSO_CPUPROFILE="$PROFILE_DIR/p2-$b.cpu.pprof"
	start_serve "$dsn"
	base=$BASE
	unset THONSO_CPUPROFILE
	prov=$(sql "$dsn" "SELECT code FROM units WHERE level = 'province' ORDER BY id LIMIT 1")
	comm=$(sql "$dsn" "SELECT u.code FROM units u JOIN unit_parents p ON p.unit_id = u.id JOIN units v ON v.id = p.parent_id WHERE u.level = 'commune' AND v.code = '$prov' ORDER BY u.id LIMIT 1")
	for unit in "province:$prov" "commune:$comm"; do
		code=${unit#*:}
		id=$(sql "$dsn" "SELECT id FROM units WHERE code = '$code' ORDER BY id LIMIT 1")
		url="$base/api/v1/units/$code/stats?at=$AT"
		check "$dsn" "$id" "$url"
		mapfile -t a < <(api_ms "$url")
		mapfile -t p < <(plain_ms "$dsn" "$id")
		[ ${#p[@]} -gt 0 ] || die "the plain SQL gave no timings on $b"
		ta=$(median $(printf '%s\n' "${a[@]}" | cut -d' ' -f1)) ca=$(median $(printf '%s\n' "${a[@]}" | cut -d' ' -f2))
		tp=$(median $(printf '%s\n' "${p[@]}" | cut -d' ' -f1)) cp="-"
		[[ "${p[0]}" == *" -" ]] || cp=$(median $(printf '%s\n' "${p[@]}" | cut -d' ' -f2))
		cr=$(ratio "$ca" "$cp")
		cp=$(awk -v x="$cp" 'BEGIN { if (x == "-") print "-"; else printf "%.0f\n", x }')
		[ "$cp" = - ] && { cr=-; ca="-"; }
		verdict=ok
		awk -v a="$ta" -v p="$tp" 'BEGIN { exit !(a <= 50 && a <= 1.5 * p) }' || verdict=MISSED
		printf '%-9s %-9s %-6s %11.1f %11.1f %6s %10s %10s %6s  %s (runs ms: thonso %s; SQL %s)\n' "$b" "${unit%%:*}" "$code" "$ta" "$tp" "$(ratio "$ta" "$tp")" \
			"$ca" "$cp" "$cr" "$verdict" "$(printf '%s, ' "${a[@]}" | sed 's/, $//')" "$(printf '%s, ' "${p[@]}" | sed 's/, $//')"
	done
	stop_serve
	if [ -n "$PROFILE_DIR" ]; then
		echo "-- $b: top of the CPU profile of serve ($PROFILE_DIR/p2-$b.cpu.pprof)"
		(cd "$ROOT" && go tool pprof -top -cum "$THONSO" "$PROFILE_DIR/p2-$b.cpu.pprof" 2>/dev/null | sed -n '1,6p;7,40{/thonso\/internal\|sqlite\.\|pgx\|database\/sql\.(\*DB)\.Query/p}' | head -30)
		cp "$THONSO" "$PROFILE_DIR/thonso" # the binary the profile reads with
	fi
done
