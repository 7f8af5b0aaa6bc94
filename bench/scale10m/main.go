// Command scale10m loads a country-tier sample of residents, households
// and dossiers into a PostgreSQL database through COPY, then times the
// queries that matter at that size (docs/scale.md). The unit tree, teams
// and enrolments come first from `thonso demo --scale country` (through
// the store, as the app writes them); this program adds the bulk that the
// store would take hours to write row by row.
//
//	go run ./bench/scale10m -db postgres://postgres@127.0.0.1:5432/thonso_10m -residents 10000000
package main

import (
	"context"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"thonso/internal/domain"
	"thonso/internal/store"
	"thonso/internal/textvi"
)

func main() {
	dsn := flag.String("db", "", "PostgreSQL DSN of a database holding `thonso demo --scale country` units")
	residents := flag.Int("residents", 10_000_000, "residents to add")
	dossiers := flag.Int("dossiers", -1, "dossiers to add (default: 0.3 per resident)")
	timeOnly := flag.Bool("time-only", false, "skip the load, only time the queries")
	flag.Parse()
	if *dsn == "" || *residents < 1 {
		fmt.Fprintln(os.Stderr, "scale10m: -db DSN is required and -residents must be positive")
		os.Exit(2)
	}
	if *dossiers < 0 {
		*dossiers = *residents * 3 / 10
	}
	ctx := context.Background()
	if !*timeOnly {
		if err := load(ctx, *dsn, *residents, *dossiers); err != nil {
			fmt.Fprintln(os.Stderr, "scale10m:", err)
			os.Exit(1)
		}
	}
	if err := timeQueries(ctx, *dsn); err != nil {
		fmt.Fprintln(os.Stderr, "scale10m:", err)
		os.Exit(1)
	}
}

// secondary indexes are dropped before COPY and built after: the usual
// way to bulk-load, and what the measured "index build" time is.
var secondary = []string{
	"CREATE INDEX residents_village ON residents (village_id)",
	"CREATE INDEX residents_household ON residents (household_id)",
	"CREATE INDEX residents_name ON residents (name_fold)",
	"CREATE INDEX residents_phone ON residents (phone)",
	"CREATE INDEX dossiers_village ON dossiers (village_id, received_on)",
	"CREATE INDEX dossier_steps_dossier ON dossier_steps (dossier_id)",
}

func indexName(stmt string) string { return strings.Fields(stmt)[2] }

type village struct {
	id   int64
	size int
}

func load(ctx context.Context, dsn string, nRes, nDos int) error {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	var vs []village
	rows, err := conn.Query(ctx, "SELECT id FROM units WHERE level = 'village' ORDER BY id")
	if err != nil {
		return err
	}
	for rows.Next() {
		var v village
		rows.Scan(&v.id)
		vs = append(vs, v)
	}
	rows.Close()
	if len(vs) == 0 {
		return fmt.Errorf("no villages: run `thonso demo --scale country --villages N` first")
	}
	var procs []int64
	rows, err = conn.Query(ctx, "SELECT id FROM procedures ORDER BY id")
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		procs = append(procs, id)
	}
	rows.Close()
	if len(procs) == 0 {
		return fmt.Errorf("no procedures")
	}
	rng := rand.New(rand.NewPCG(10, 2026))
	// Log-normal village sizes, as the generator draws them.
	w := make([]float64, len(vs))
	sum := 0.0
	for i := range w {
		w[i] = math.Exp(rng.NormFloat64() * 0.6)
		sum += w[i]
	}
	left := nRes
	for i := range vs {
		vs[i].size = max(2, int(float64(nRes)*w[i]/sum))
		if i == len(vs)-1 {
			vs[i].size = max(2, left)
		}
		left -= vs[i].size
	}
	var maxH, maxR, maxD int64
	conn.QueryRow(ctx, "SELECT COALESCE(max(id),0) FROM households").Scan(&maxH)
	conn.QueryRow(ctx, "SELECT COALESCE(max(id),0) FROM residents").Scan(&maxR)
	conn.QueryRow(ctx, "SELECT COALESCE(max(id),0) FROM dossiers").Scan(&maxD)
	for _, st := range secondary {
		if _, err := conn.Exec(ctx, "DROP INDEX IF EXISTS "+indexName(st)); err != nil {
			return err
		}
	}
	// Rows are made consistent by construction; the foreign-key triggers
	// are skipped for this session (session_replication_role), as
	// pg_restore does, and the keys stay declared.
	if _, err := conn.Exec(ctx, "SET session_replication_role = replica"); err != nil {
		return err
	}
	start := time.Now()
	g := &gen{rng: rng, col: textvi.NewCollator(), keys: map[string][3]string{}, hID: maxH, rID: maxR, now: time.Date(2026, 10, 31, 3, 0, 0, 0, time.UTC)}
	// Households and residents, village by village; the ranges of resident
	// ids per village are kept for the dossiers' applicants.
	type span struct{ from, to int64 }
	spans := make([]span, len(vs))
	var hh [][]any
	var rs [][]any
	flushed := 0
	flush := func() error {
		if _, err := conn.CopyFrom(ctx, pgx.Identifier{"households"}, householdCols, pgx.CopyFromRows(hh)); err != nil {
			return fmt.Errorf("copy households: %w", err)
		}
		if _, err := conn.CopyFrom(ctx, pgx.Identifier{"residents"}, residentCols, pgx.CopyFromRows(rs)); err != nil {
			return fmt.Errorf("copy residents: %w", err)
		}
		flushed += len(rs)
		fmt.Fprintf(os.Stderr, "\rresidents %d/%d  %s", flushed, nRes, time.Since(start).Round(time.Second))
		hh, rs = hh[:0], rs[:0]
		return nil
	}
	for i, v := range vs {
		spans[i].from = g.rID + 1
		h, r := g.village(v)
		hh = append(hh, h...)
		rs = append(rs, r...)
		spans[i].to = g.rID
		if len(rs) >= 200_000 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr)
	resDone := time.Since(start)
	// Dossiers, spread over villages by size (active teams file more).
	t1 := time.Now()
	cum := make([]int, len(vs))
	total := 0
	for i, v := range vs {
		total += v.size
		cum[i] = total
	}
	var ds, steps [][]any
	dID, sID := maxD, int64(0)
	conn.QueryRow(ctx, "SELECT COALESCE(max(id),0) FROM dossier_steps").Scan(&sID)
	codes := map[string]bool{}
	crows, err := conn.Query(ctx, "SELECT lookup_code FROM dossiers")
	if err != nil {
		return err
	}
	for crows.Next() {
		var c string
		crows.Scan(&c)
		codes[c] = true
	}
	crows.Close()
	dflush := func() error {
		if _, err := conn.CopyFrom(ctx, pgx.Identifier{"dossiers"}, dossierCols, pgx.CopyFromRows(ds)); err != nil {
			return fmt.Errorf("copy dossiers: %w", err)
		}
		if _, err := conn.CopyFrom(ctx, pgx.Identifier{"dossier_steps"}, stepCols, pgx.CopyFromRows(steps)); err != nil {
			return fmt.Errorf("copy steps: %w", err)
		}
		fmt.Fprintf(os.Stderr, "\rdossiers %d/%d  %s", dID-maxD, nDos, time.Since(t1).Round(time.Second))
		ds, steps = ds[:0], steps[:0]
		return nil
	}
	for n := 0; n < nDos; n++ {
		k := sort.SearchInts(cum, rng.IntN(total)+1)
		sp := spans[k]
		app := sp.from + rng.Int64N(sp.to-sp.from+1)
		var code string
		for code == "" || codes[code] {
			code = lookupCode(rng)
		}
		codes[code] = true
		dID++
		d, st := g.dossier(dID, &sID, vs[k].id, procs[rng.IntN(len(procs))], app, code)
		ds = append(ds, d)
		steps = append(steps, st...)
		if len(ds) >= 100_000 {
			if err := dflush(); err != nil {
				return err
			}
		}
	}
	if err := dflush(); err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr)
	dosDone := time.Since(t1)
	t2 := time.Now()
	for _, st := range secondary {
		t := time.Now()
		if _, err := conn.Exec(ctx, st); err != nil {
			return err
		}
		fmt.Printf("index %-24s %6.1f s\n", indexName(st), time.Since(t).Seconds())
	}
	idxDone := time.Since(t2)
	t3 := time.Now()
	for _, q := range []string{
		"SELECT setval(pg_get_serial_sequence('households','id'), (SELECT max(id) FROM households))",
		"SELECT setval(pg_get_serial_sequence('residents','id'), (SELECT max(id) FROM residents))",
		"SELECT setval(pg_get_serial_sequence('dossiers','id'), (SELECT max(id) FROM dossiers))",
		"SELECT setval(pg_get_serial_sequence('dossier_steps','id'), (SELECT max(id) FROM dossier_steps))",
		"VACUUM ANALYZE households", "VACUUM ANALYZE residents", "VACUUM ANALYZE dossiers", "VACUUM ANALYZE dossier_steps",
	} {
		if _, err := conn.Exec(ctx, q); err != nil {
			return err
		}
	}
	fmt.Printf("\nload: %d villages, %d residents in %d households, %d dossiers\n", len(vs), nRes, g.hID-maxH, nDos)
	fmt.Printf("| step | time |\n|---|---|\n")
	fmt.Printf("| COPY households + residents | %.0f s (%.0f residents/s) |\n", resDone.Seconds(), float64(nRes)/resDone.Seconds())
	fmt.Printf("| COPY dossiers + steps | %.0f s |\n", dosDone.Seconds())
	fmt.Printf("| build secondary indexes | %.0f s |\n", idxDone.Seconds())
	fmt.Printf("| VACUUM ANALYZE | %.0f s |\n", time.Since(t3).Seconds())
	fmt.Printf("| total | %.0f s |\n\n", time.Since(start).Seconds())
	fmt.Printf("| table | rows | table | indexes | total |\n|---|---|---|---|---|\n")
	for _, t := range []string{"households", "residents", "dossiers", "dossier_steps", "units", "unit_names", "unit_parents", "team_members"} {
		var n int64
		var tb, ib, all string
		if err := conn.QueryRow(ctx, "SELECT c.reltuples::bigint, pg_size_pretty(pg_table_size(c.oid)), pg_size_pretty(pg_indexes_size(c.oid)), pg_size_pretty(pg_total_relation_size(c.oid)) FROM pg_class c WHERE c.relname = $1 AND c.relkind = 'r'", t).Scan(&n, &tb, &ib, &all); err != nil {
			return err
		}
		fmt.Printf("| %s | %d | %s | %s | %s |\n", t, n, tb, ib, all)
	}
	var dbSize string
	conn.QueryRow(ctx, "SELECT pg_size_pretty(pg_database_size(current_database()))").Scan(&dbSize)
	fmt.Printf("| whole database | | | | %s |\n", dbSize)
	return nil
}

var (
	householdCols = []string{"id", "village_id", "number", "hamlet", "address", "head_id", "bank_since", "bank_helped", "zalo_since", "zalo_helped", "created_at", "updated_at", "version"}
	residentCols  = []string{"id", "household_id", "village_id", "full_name", "name_fold", "sort_key", "sort_full", "birth_date", "year_only", "sex", "phone", "cccd", "relation",
		"moved_in", "left_on", "left_reason", "smartphone_since", "smartphone_helped", "vneid_since", "vneid_helped", "portal_since", "portal_helped", "account_since",
		"bank_since", "bank_helped", "created_at", "updated_at", "version"}
	dossierCols = []string{"id", "village_id", "procedure_id", "applicant_id", "applicant_name", "applicant_phone", "subject_name", "practice", "member_id",
		"portal", "portal_code", "lookup_code", "state", "received_on", "submitted_on", "collected_on", "returned_on", "ended_on", "last_step_on",
		"created_at", "updated_at", "version"}
	stepCols = []string{"id", "dossier_id", "action", "from_state", "to_state", "on_date", "by_user", "note", "created_at"}
)

var (
	families = []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Lò", "Giàng", "Vàng", "Sùng", "Hà"}
	middles  = []string{"Văn", "Thị", "Đức", "Minh", "Ngọc", "Thanh", "Hữu", "Quang", "Thu", "Hồng"}
	givens   = []string{"An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng", "Hương", "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vân", "Xuân", "Yến", "Chiến", "Páo", "Sính"}
)

type gen struct {
	rng        *rand.Rand
	col        *textvi.Collator
	keys       map[string][3]string // name → sort key, full sort key, fold
	hID, rID   int64
	cccd       int64
	now        time.Time
	phoneCount int64
}

func (g *gen) date(from, to int) string { // days since 1900-01-01
	d := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, from+g.rng.IntN(to-from+1))
	return d.Format("2006-01-02")
}

func days(iso string) int {
	t, _ := time.Parse("2006-01-02", iso)
	return int(t.Sub(time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)).Hours() / 24)
}

var (
	d2019 = days("2019-01-01")
	d2023 = days("2023-11-01")
	d2026 = days("2026-10-31")
)

// adopt returns a since date (or nil) with probability p, and whether the
// team helped.
func (g *gen) adopt(p float64, from int) (any, bool) {
	if g.rng.Float64() >= p || from >= d2026 {
		return nil, false
	}
	return g.date(max(from, d2019), d2026), g.rng.Float64() < 0.4
}

func (g *gen) village(v village) (hh [][]any, rs [][]any) {
	left := v.size
	n := 0
	for left > 0 {
		size := min(left, 1+g.rng.IntN(6))
		left -= size
		n++
		g.hID++
		hid := g.hID
		family := families[g.rng.IntN(len(families))]
		headID := g.rID + 1
		bank, bh := g.adopt(0.7, 0)
		zalo, zh := g.adopt(0.6, 0)
		hh = append(hh, []any{hid, v.id, "S" + fmt.Sprint(n), fmt.Sprintf("Xóm %d", 1+n%5), fmt.Sprintf("Số %d", n), headID, bank, bh, zalo, zh, g.now, g.now, 1})
		for k := 0; k < size; k++ {
			g.rID++
			sex := []string{"male", "female"}[g.rng.IntN(2)]
			mid := middles[g.rng.IntN(len(middles))]
			if sex == "female" && g.rng.IntN(2) == 0 {
				mid = "Thị"
			}
			name := family + " " + mid + " " + givens[g.rng.IntN(len(givens))]
			key, ok := g.keys[name]
			if !ok {
				key = [3]string{g.col.PersonSortKey(name), g.col.SortKey(name), textvi.Fold(name)}
				g.keys[name] = key
			}
			birth := g.date(days("1930-01-01"), days("2024-12-31"))
			born := days(birth)
			relation := "chu_ho"
			if k > 0 {
				relation = []string{"vo", "con", "con", "bo", "khac"}[g.rng.IntN(5)]
			}
			var phone, cccd any
			adult := born < days("2008-01-01")
			if adult && g.rng.Float64() < 0.8 {
				g.phoneCount++
				phone = fmt.Sprintf("03%08d", g.phoneCount%100_000_000)
			}
			if born < days("2012-01-01") {
				g.cccd++
				cccd = fmt.Sprintf("9%011d", g.cccd) // apart from the demo's CCCDs
			}
			sm, smh := g.adopt(0.75, born+14*365)
			vn, vnh := g.adopt(0.6, born+14*365)
			po, poh := g.adopt(0.55, born+14*365)
			var acc any
			if vn != nil && po != nil {
				acc = vn
				if po.(string) > vn.(string) {
					acc = po
				}
			}
			bk, bkh := g.adopt(0.5, born+15*365)
			var left, reason any
			if g.rng.Float64() < 0.03 {
				left, reason = g.date(d2023, d2026), []string{"moved", "deceased"}[g.rng.IntN(2)]
			}
			rs = append(rs, []any{g.rID, hid, v.id, name, key[2], key[0], key[1], birth, false, sex, phone, cccd, relation,
				nil, left, reason, sm, smh, vn, vnh, po, poh, acc, bk, bkh, g.now, g.now, 1})
		}
	}
	return hh, rs
}

func lookupCode(rng *rand.Rand) string {
	const alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
	b := make([]byte, 8)
	for i := range b {
		b[i] = alphabet[rng.IntN(len(alphabet))]
	}
	return string(b)
}

// dossier makes one dossier and its steps: most older ones returned,
// the newest still under way.
func (g *gen) dossier(id int64, stepID *int64, villageID, procID, applicant int64, code string) ([]any, [][]any) {
	recv := d2023 + g.rng.IntN(d2026-d2023-1)
	iso := func(d int) string {
		return time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, min(d, d2026)).Format("2006-01-02")
	}
	type step struct {
		act, from, to string
		on            int
	}
	path := []step{{"receive", "", "received", recv}}
	state, last := "received", recv
	adv := func(act, to string) {
		last += g.rng.IntN(4)
		if last > d2026 {
			return
		}
		path = append(path, step{act, state, to, last})
		state = to
	}
	stage := 5
	if d2026-recv < 20 {
		stage = g.rng.IntN(5)
	}
	var sub, col, ret, end any
	if stage >= 1 {
		adv("submit", "submitted")
		sub = iso(last)
	}
	if stage >= 2 && state == "submitted" {
		adv("accept", "processing")
	}
	if stage >= 3 && state == "processing" {
		adv("collect", "result_collected")
		col = iso(last)
	}
	if stage >= 4 && state == "result_collected" {
		adv("return", "result_returned")
		ret, end = iso(last), iso(last)
	}
	var portalCode any
	if sub != nil {
		portalCode = fmt.Sprintf("H%d.%08d", procID, id)
	}
	d := []any{id, villageID, procID, applicant, "Người nộp " + code, fmt.Sprintf("03%08d", id%100_000_000), "", false, nil,
		"dvcqg", portalCode, code, state, iso(recv), sub, col, ret, end, iso(last), g.now, g.now, 1}
	var steps [][]any
	for _, s := range path {
		*stepID++
		steps = append(steps, []any{*stepID, id, s.act, s.from, s.to, iso(s.on), nil, "", g.now})
	}
	return d, steps
}

// timeQueries opens the database through the store, as serve does, and
// times the key queries warm: median of 5 after one warm-up.
func timeQueries(ctx context.Context, dsn string) error {
	s, err := store.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	at := domain.MustDate("2026-10-31")
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	var prov, commune, vil int64
	var pcode, ccode, vcode, lookup, last4 string
	// The first province, its first commune, and that commune's biggest village.
	if err := conn.QueryRow(ctx, `SELECT p.id, p.code FROM units p WHERE p.level = 'province' ORDER BY p.id LIMIT 1`).Scan(&prov, &pcode); err != nil {
		return err
	}
	if err := conn.QueryRow(ctx, `SELECT c.id, c.code FROM units c JOIN unit_parents up ON up.unit_id = c.id WHERE up.parent_id = $1 AND c.level = 'commune' ORDER BY c.id LIMIT 1`, prov).Scan(&commune, &ccode); err != nil {
		return err
	}
	if err := conn.QueryRow(ctx, `SELECT v.id, v.code FROM units v JOIN unit_parents up ON up.unit_id = v.id JOIN residents r ON r.village_id = v.id
		WHERE up.parent_id = $1 GROUP BY v.id, v.code ORDER BY count(*) DESC LIMIT 1`, commune).Scan(&vil, &vcode); err != nil {
		return err
	}
	if err := conn.QueryRow(ctx, `SELECT lookup_code, right(applicant_phone, 4) FROM dossiers WHERE applicant_phone IS NOT NULL ORDER BY id DESC LIMIT 1`).Scan(&lookup, &last4); err != nil {
		return err
	}
	var nProv, nCom, nVil int64
	conn.QueryRow(ctx, `SELECT count(*) FROM residents r JOIN unit_parents v ON v.unit_id = r.village_id JOIN unit_parents c ON c.unit_id = v.parent_id WHERE c.parent_id = $1`, prov).Scan(&nProv)
	conn.QueryRow(ctx, `SELECT count(*) FROM residents r JOIN unit_parents v ON v.unit_id = r.village_id WHERE v.parent_id = $1`, commune).Scan(&nCom)
	conn.QueryRow(ctx, `SELECT count(*) FROM residents WHERE village_id = $1`, vil).Scan(&nVil)
	fmt.Printf("\nqueries (warm, median of 5), %s\n", time.Now().UTC().Format(time.RFC3339))
	fmt.Printf("| query | unit | residents under it | first (cold) | median | min | max |\n|---|---|---|---|---|---|---|\n")
	bench := func(name, unit string, n int64, fn func() error) error {
		t0 := time.Now()
		if err := fn(); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		first := time.Since(t0)
		var ts []time.Duration
		for i := 0; i < 5; i++ {
			t := time.Now()
			if err := fn(); err != nil {
				return err
			}
			ts = append(ts, time.Since(t))
		}
		sort.Slice(ts, func(i, j int) bool { return ts[i] < ts[j] })
		fmt.Printf("| %s | %s | %d | %s | %s | %s | %s |\n", name, unit, n, first.Round(time.Millisecond/10), ts[2].Round(time.Millisecond/10), ts[0].Round(time.Millisecond/10), ts[4].Round(time.Millisecond/10))
		return nil
	}
	all := domain.Scope{All: true}
	steps := []struct {
		name, unit string
		n          int64
		fn         func() error
	}{
		{"unit stats (dashboard figures)", "province " + pcode, nProv, func() error { _, err := s.Stats(ctx, prov, at, false); return err }},
		{"unit stats (dashboard figures)", "commune " + ccode, nCom, func() error { _, err := s.Stats(ctx, commune, at, false); return err }},
		{"resident list, first page (50)", "village " + vcode, nVil, func() error {
			_, _, err := s.Residents(ctx, all, store.ResidentQuery{VillageID: vil, At: at, Limit: 50})
			return err
		}},
		{"resident search by name, accents off", "village " + vcode, nVil, func() error {
			_, _, err := s.Residents(ctx, all, store.ResidentQuery{VillageID: vil, At: at, Q: "nguyen van", Limit: 50})
			return err
		}},
		{"dossier lookup by code (/tra-cuu)", "country", 0, func() error {
			_, ok, err := s.LookupDossier(ctx, lookup, last4)
			if err == nil && !ok {
				err = fmt.Errorf("lookup %s not found", lookup)
			}
			return err
		}},
	}
	for _, st := range steps {
		if err := bench(st.name, st.unit, st.n, st.fn); err != nil {
			return err
		}
	}
	return nil
}
