package storetest

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"thonso/internal/domain"
	"thonso/internal/importer"
	"thonso/internal/store"
)

// SharedData is where the official lists live (never copied into the repo).
func SharedData(t testing.TB) string {
	dir := os.Getenv("THONSO_SHARED_DATA")
	if dir == "" {
		wd, _ := os.Getwd()
		for d := wd; d != "/" && d != "."; d = filepath.Dir(d) {
			if st, err := os.Stat(filepath.Join(d, "..", "shared", "data")); err == nil && st.IsDir() {
				dir = filepath.Join(d, "..", "shared", "data")
				break
			}
		}
	}
	if dir == "" {
		t.Fatal("../shared/data not found; set THONSO_SHARED_DATA")
	}
	return dir
}

// MustNationalBatches reads the pre-2025 list and the 2025 merges.
func MustNationalBatches(t testing.TB) []domain.UnitBatch {
	t.Helper()
	dir := SharedData(t)
	var out []domain.UnitBatch
	for _, f := range []string{"dvhcvn-pre2025/dvhcvn.json", "dvhcvn-20250701/merges.json"} {
		data, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		b, err := importer.UnitFile(f, data, "")
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out = append(out, b)
	}
	return out
}

func countLevel(t *testing.T, s *store.Store, lv domain.Level, at domain.Date) int {
	n := 0
	after := ""
	for {
		us, next, err := s.SearchUnits(Ctx(), store.UnitQuery{At: at, Level: lv, After: after, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		n += len(us)
		if next == "" {
			return n
		}
		after = next
	}
}

func testNationalImport(t *testing.T, open Opener) {
	s := open(t)
	// The demo first, then the national lists: they add what is missing
	// and rewrite nothing of the demo's.
	MustDemo(t, s)
	gpBefore := MustUnit(t, s, "02923", today)
	batches := MustNationalBatches(t)
	for _, b := range batches {
		start := time.Now()
		res, err := s.ApplyUnitBatch(Ctx(), nil, b)
		t.Logf("%s: %v", b.Source, time.Since(start))
		if err != nil {
			t.Fatalf("%s: %v", b.Source, err)
		}
		if !res.Changed() {
			t.Fatalf("%s changed nothing", b.Source)
		}
		if len(res.Review) > 0 {
			t.Logf("%s: %d units to review", b.Source, len(res.Review))
		}
	}
	for _, c := range []struct {
		lv   domain.Level
		at   domain.Date
		want int
	}{
		{domain.LevelProvince, snapshot, 63}, {domain.LevelDistrict, snapshot, 696}, {domain.LevelCommune, snapshot, 10047},
		{domain.LevelProvince, today, 34}, {domain.LevelDistrict, today, 0}, {domain.LevelCommune, today, 3321},
	} {
		if got := countLevel(t, s, c.lv, c.at); got != c.want {
			t.Errorf("%s on %s: %d, want %d", c.lv, c.at, got, c.want)
		}
	}
	// The demo's Gia Phú is the one the list names; Thống Nhất joined it.
	gp := MustUnit(t, s, "02923", today)
	if gp.ID != gpBefore.ID {
		t.Fatal("the import recreated Xã Gia Phú")
	}
	pred, _ := s.Predecessors(Ctx(), gp.ID)
	acts := map[string]string{}
	for _, p := range pred {
		acts[p.Name] = p.LegalAct
	}
	if len(pred) != 3 || acts["Xã Thống Nhất"] != "" || acts["Xã Xuân Giao"] != "Nghị quyết 1673/NQ-UBTVQH15" {
		t.Fatalf("Gia Phú predecessors %v", acts)
	}
	// Every district is gone, with duties passed on; island districts merged.
	hn := MustUnit(t, s, "001", snapshot)
	hs, _ := s.Successors(Ctx(), hn.ID)
	if len(hs) != 1 || hs[0].Code != "01" || hs[0].Kind != domain.LinkDissolve {
		t.Fatalf("Quận Ba Đình successors %+v", hs)
	}
	cd := MustUnit(t, s, "755", snapshot)
	cs, _ := s.Successors(Ctx(), cd.ID)
	if len(cs) != 1 || cs[0].Code != "26732" || cs[0].Kind != domain.LinkMergeFull {
		t.Fatalf("Huyện Côn Đảo successors %+v", cs)
	}
	// A second import of the same files changes nothing.
	before := TableCounts(t, s)
	for _, b := range batches {
		res, err := s.ApplyUnitBatch(Ctx(), nil, b)
		if err != nil || res.Changed() {
			t.Fatalf("re-import %s: %+v %v", b.Source, res, err)
		}
	}
	if after := TableCounts(t, s); !reflect.DeepEqual(before, after) {
		t.Fatalf("re-import wrote %v → %v", before, after)
	}
}

// testDemoAfterNational loads the national lists first, then the demo: the
// demo adds its villages and the legal acts the lists lacked, and creates
// no second Bảo Thắng.
func testDemoAfterNational(t *testing.T, open Opener) {
	s := open(t)
	for _, b := range MustNationalBatches(t) {
		if _, err := s.ApplyUnitBatch(Ctx(), nil, b); err != nil {
			t.Fatal(err)
		}
	}
	before := TableCounts(t, s)
	MustDemo(t, s)
	after := TableCounts(t, s)
	if after["units"] != before["units"]+24 {
		t.Fatalf("units %d → %d, want only the 24 villages added", before["units"], after["units"])
	}
	if after["unit_links"] != before["unit_links"] {
		t.Fatalf("links %d → %d", before["unit_links"], after["unit_links"])
	}
	gp := MustUnit(t, s, "02923", today)
	kids, _ := s.Children(Ctx(), gp.ID, today)
	if !contains(names(kids), "Thôn Đông Căm") || !contains(names(kids), "Thôn Bầu 1") {
		t.Fatalf("new Gia Phú villages %v", names(kids))
	}
	pred, _ := s.Predecessors(Ctx(), gp.ID)
	for _, p := range pred {
		want := "Nghị quyết 1673/NQ-UBTVQH15"
		if p.Code == "02659" {
			want = "" // Thống Nhất is not in the demo
		}
		if p.LegalAct != want {
			t.Errorf("%s legal act %q, want %q", p.Name, p.LegalAct, want)
		}
	}
	bt := MustUnit(t, s, "086", oct2024)
	if ev, _ := s.Events(Ctx(), bt.ID); len(ev) != 1 {
		t.Fatalf("Bảo Thắng dissolved %d times", len(ev))
	}
}
