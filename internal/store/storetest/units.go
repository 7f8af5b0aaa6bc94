package storetest

import (
	"errors"
	"reflect"
	"testing"

	"thonso/internal/demo"
	"thonso/internal/domain"
	"thonso/internal/store"
)

var (
	oct2024  = domain.MustDate("2024-10-31")
	jun2025  = domain.MustDate("2025-06-30")
	jul2025  = domain.MustDate("2025-07-01")
	today    = domain.MustDate("2026-10-31")
	snapshot = demo.Snapshot
)

// MustDemo loads the demo into s.
func MustDemo(t testing.TB, s *store.Store) {
	t.Helper()
	if err := loadDemo(s); err != nil {
		t.Fatalf("demo: %v", err)
	}
}

func loadDemo(s *store.Store) error {
	_, err := demo.Load(Ctx(), s)
	return err
}

// MustUnit resolves a code on a date.
func MustUnit(t testing.TB, s *store.Store, code string, at domain.Date) domain.Unit {
	t.Helper()
	u, err := s.UnitAt(Ctx(), code, at)
	if err != nil {
		t.Fatalf("UnitAt(%s, %s): %v", code, at, err)
	}
	return u
}

func names(us []domain.Unit) []string {
	out := make([]string, len(us))
	for i, u := range us {
		out[i] = u.Name
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TableCounts counts the rows of the unit tables, to show a refused
// change wrote nothing.
func TableCounts(t testing.TB, s *store.Store) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, tb := range []string{"units", "unit_names", "unit_parents", "unit_links", "unit_events", "unit_slugs", "enrolments", "households", "residents", "teams", "team_members", "duty_slots"} {
		n, err := s.CountRows(Ctx(), tb)
		if err != nil {
			t.Fatal(err)
		}
		out[tb] = n
	}
	return out
}

func testMigrate(t *testing.T, open Opener) {
	s := open(t)
	v, err := s.SchemaVersion(Ctx())
	if err != nil || v != s.KnownVersion() || v < 1 {
		t.Fatalf("version = %d, %v; known %d", v, err, s.KnownVersion())
	}
	n, err := s.Migrate(Ctx())
	if err != nil || n != 0 {
		t.Fatalf("second migrate applied %d, %v", n, err)
	}
}

func testDemoAsOf(t *testing.T, open Opener) {
	s := open(t)
	MustDemo(t, s)

	// Huyện Bảo Thắng exists until 30/06/2025 and not on 01/07/2025.
	bt := MustUnit(t, s, "086", oct2024)
	if bt.Name != "Huyện Bảo Thắng" || bt.Level != domain.LevelDistrict || bt.Parent == nil || bt.Parent.Name != "Tỉnh Lào Cai" || bt.Parent.Code != "10" {
		t.Fatalf("086 on 31/10/2024 = %+v parent %+v", bt, bt.Parent)
	}
	kids, err := s.Children(Ctx(), bt.ID, oct2024)
	if err != nil || len(kids) != 14 {
		t.Fatalf("Bảo Thắng has %d communes (%v)", len(kids), err)
	}
	_, err = s.UnitAt(Ctx(), "086", jul2025)
	de, ok := domain.AsError(err)
	if !ok || de.Code != domain.ENOTFOUND {
		t.Fatalf("086 on 01/07/2025: %v", err)
	}
	if near, _ := de.Args["nearest"].([]domain.Date); len(near) != 1 || near[0] != jun2025 {
		t.Fatalf("nearest = %v, want 30/06/2025", de.Args["nearest"])
	}

	// Code 15 is Yên Bái before and Lào Cai after.
	if u := MustUnit(t, s, "15", oct2024); u.Name != "Tỉnh Yên Bái" {
		t.Fatalf("15 in 2024 = %s", u.Name)
	}
	if u := MustUnit(t, s, "15", jul2025); u.Name != "Tỉnh Lào Cai" {
		t.Fatalf("15 in 2025 = %s", u.Name)
	}

	// Thôn Đông Căm: one unit, under old Gia Phú in 2024, new Gia Phú today.
	oldGP := MustUnit(t, s, "02923", oct2024)
	newGP := MustUnit(t, s, "02923", today)
	if oldGP.ID == newGP.ID || newGP.Parent == nil || newGP.Parent.Code != "15" || newGP.ValidFrom != jul2025 || oldGP.ValidTo != jun2025 {
		t.Fatalf("Gia Phú old %+v new %+v", oldGP, newGP)
	}
	oldKids, _ := s.Children(Ctx(), oldGP.ID, oct2024)
	newKids, _ := s.Children(Ctx(), newGP.ID, today)
	if !contains(names(oldKids), "Thôn Đông Căm") || !contains(names(newKids), "Thôn Đông Căm") {
		t.Fatalf("old Gia Phú %v, new Gia Phú %v", names(oldKids), names(newKids))
	}
	var dc domain.Unit
	for _, k := range newKids {
		if k.Name == "Thôn Đông Căm" {
			dc = k
		}
	}
	for _, k := range oldKids {
		if k.Name == "Thôn Đông Căm" && k.ID != dc.ID {
			t.Fatal("Đông Căm was recreated")
		}
	}
	if dc.Slug != "dong-cam" || dc.Code == "" || dc.Code[0] != 'T' {
		t.Fatalf("Đông Căm code %q slug %q", dc.Code, dc.Slug)
	}
	// Its code resolves before and after with the right parent.
	if u := MustUnit(t, s, dc.Code, oct2024); u.Parent == nil || u.Parent.ID != oldGP.ID {
		t.Fatalf("Đông Căm parent 2024 = %+v", u.Parent)
	}
	if u := MustUnit(t, s, dc.Code, today); u.Parent == nil || u.Parent.ID != newGP.ID {
		t.Fatalf("Đông Căm parent today = %+v", u.Parent)
	}
	anc, err := s.Ancestors(Ctx(), MustUnit(t, s, dc.Code, oct2024))
	if err != nil || len(anc) != 3 || anc[0].Code != "10" || anc[1].Code != "086" {
		t.Fatalf("ancestors 2024 = %+v %v", anc, err)
	}
	// New Gia Phú holds the villages of old Gia Phú and Xuân Giao.
	for _, want := range []string{"Thôn Đông Căm", "Thôn Phú Hợp 1", "Thôn Bầu 1", "Thôn Bầu 2"} {
		if !contains(names(newKids), want) {
			t.Errorf("new Gia Phú lacks %s: %v", want, names(newKids))
		}
	}
	// Bản Phiệt's village went to Phường Lào Cai.
	pl := MustUnit(t, s, "02647", today)
	plKids, _ := s.Children(Ctx(), pl.ID, today)
	if pl.Name != "Phường Lào Cai" || !contains(names(plKids), "Thôn Làng Chung") {
		t.Fatalf("Phường Lào Cai = %s %v", pl.Name, names(plKids))
	}
	// Enrolment: Đông Căm first, in 10/2023.
	d, ok, err := s.EnrolledOn(Ctx(), dc.ID, oct2024)
	if err != nil || !ok || d.Year() != 2023 || d.Month() != 10 {
		t.Fatalf("Đông Căm enrolled %v %v %v", d, ok, err)
	}
	// 20 smart villages by 31/10/2024, in all 14 communes.
	n := 0
	communes := map[string]bool{}
	for _, c := range kids {
		vs, _ := s.Children(Ctx(), c.ID, oct2024)
		for _, v := range vs {
			if _, ok, _ := s.EnrolledOn(Ctx(), v.ID, oct2024); ok {
				n++
				communes[c.Code] = true
			}
		}
	}
	if n != 20 || len(communes) != 14 {
		t.Fatalf("%d smart villages in %d communes", n, len(communes))
	}
}

func testDemoIdempotent(t *testing.T, open Opener) {
	s := open(t)
	MustDemo(t, s)
	before := TableCounts(t, s)
	res, err := demo.Load(Ctx(), s)
	if err != nil || res.Loaded {
		t.Fatalf("second load: %+v %v", res, err)
	}
	// Applying the same batches again adds nothing either.
	b1, b2 := demo.UnitBatches()
	b1.Units = b1.Units[:17] // the villages have no code yet in the batch: they are created once, by Load
	for _, b := range []domain.UnitBatch{b1, b2} {
		r, err := s.ApplyUnitBatch(Ctx(), nil, b)
		if err != nil || r.Changed() {
			t.Fatalf("re-apply changed: %+v %v", r, err)
		}
	}
	if after := TableCounts(t, s); !reflect.DeepEqual(before, after) {
		t.Fatalf("counts %v → %v", before, after)
	}
}

func testSuccessors(t *testing.T, open Opener) {
	s := open(t)
	MustDemo(t, s)
	xg := MustUnit(t, s, "02932", oct2024)
	succ, err := s.Successors(Ctx(), xg.ID)
	if err != nil || len(succ) != 1 || succ[0].Code != "02923" || succ[0].Name != "Xã Gia Phú" || succ[0].Kind != domain.LinkMergeFull ||
		succ[0].Effective != jul2025 || succ[0].LegalAct != demo.ActLaoCaiCommunes {
		t.Fatalf("Xuân Giao successors %+v %v", succ, err)
	}
	on, err := s.SuccessorsOn(Ctx(), xg.ID, today)
	if err != nil || len(on) != 1 || on[0].Code != "02923" {
		t.Fatalf("Xuân Giao today %+v %v", on, err)
	}
	gp := MustUnit(t, s, "02923", today)
	pred, err := s.Predecessors(Ctx(), gp.ID)
	if err != nil || len(pred) != 2 {
		t.Fatalf("Gia Phú predecessors %+v %v", pred, err)
	}
	got := []string{pred[0].Name, pred[1].Name}
	if !contains(got, "Xã Gia Phú") || !contains(got, "Xã Xuân Giao") {
		t.Fatalf("predecessors %v", got)
	}
	// The district dissolved; its duties passed to today's Lào Cai (15).
	bt := MustUnit(t, s, "086", oct2024)
	bs, _ := s.Successors(Ctx(), bt.ID)
	if len(bs) != 1 || bs[0].Code != "15" || bs[0].Kind != domain.LinkDissolve || bs[0].Name != "Tỉnh Lào Cai" {
		t.Fatalf("Bảo Thắng successors %+v", bs)
	}
	ev, err := s.Events(Ctx(), bt.ID)
	if err != nil || len(ev) != 1 || ev[0].Kind != domain.EventDissolve || ev[0].Other == nil || ev[0].Other.Code != "15" {
		t.Fatalf("Bảo Thắng events %+v %v", ev, err)
	}
	// Old province 15 (Yên Bái) and old 10 both became new 15.
	lc := MustUnit(t, s, "15", today)
	pp, _ := s.Predecessors(Ctx(), lc.ID)
	var pn []string
	for _, p := range pp {
		if p.Kind == domain.LinkMergeFull {
			pn = append(pn, p.Code+" "+p.Name)
		}
	}
	if !reflect.DeepEqual(pn, []string{"10 Tỉnh Lào Cai", "15 Tỉnh Yên Bái"}) {
		t.Fatalf("Lào Cai predecessors %v", pn)
	}
}

func testSearch(t *testing.T, open Opener) {
	s := open(t)
	MustDemo(t, s)
	us, next, err := s.SearchUnits(Ctx(), store.UnitQuery{At: today, Q: "gia phu"})
	if err != nil || next != "" || len(us) != 1 || us[0].Name != "Xã Gia Phú" || us[0].Code != "02923" || us[0].Parent.Code != "15" {
		t.Fatalf("search gia phu today: %+v %q %v", us, next, err)
	}
	vs, _, err := s.SearchUnits(Ctx(), store.UnitQuery{At: today, Q: "DONG CAM", Level: domain.LevelVillage})
	if err != nil || len(vs) != 1 || vs[0].Name != "Thôn Đông Căm" || vs[0].Parent.Code != "02923" {
		t.Fatalf("search village: %+v %v", vs, err)
	}
	// Paging: 24 villages, 10 at a time.
	var all []string
	after := ""
	for i := 0; i < 5; i++ {
		page, nxt, err := s.SearchUnits(Ctx(), store.UnitQuery{At: today, Level: domain.LevelVillage, After: after, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range page {
			all = append(all, p.Code)
		}
		if nxt == "" {
			break
		}
		after = nxt
	}
	if len(all) != len(demo.Villages) {
		t.Fatalf("paged %d villages", len(all))
	}
	// LIKE wildcards in the query are literal.
	if us, _, _ := s.SearchUnits(Ctx(), store.UnitQuery{At: today, Q: "%"}); len(us) != 0 {
		t.Fatalf("%% matched %d", len(us))
	}
}

func testBadBatch(t *testing.T, open Opener) {
	s := open(t)
	MustDemo(t, s)
	before := TableCounts(t, s)
	pos := func(r int) domain.Pos { return domain.Pos{File: "bad.csv", Row: r} }
	bad := domain.UnitBatch{
		Units: []domain.NewUnit{
			{Pos: pos(2), Code: "99999", Name: "Xã Mới", Level: domain.LevelCommune, ParentCode: "15", ValidFrom: jul2025},
			{Pos: pos(3), Code: "", Name: "Xã Không Mã", Level: domain.LevelCommune, ParentCode: "15", ValidFrom: jul2025},
			{Pos: pos(4), Code: "88888", Name: "Xã Lạc", Level: domain.LevelCommune, ParentCode: "77", ValidFrom: jul2025},
			{Pos: pos(5), Code: "02923", Name: "Xã Gia Phú Hai", Level: domain.LevelCommune, ParentCode: "15", ValidFrom: domain.MustDate("2026-01-01")},
			{Pos: pos(6), Code: "77777", Name: "Xã Ngược", Level: domain.LevelCommune, ParentCode: "15", ValidFrom: domain.MustDate("2026-01-01"), ValidTo: domain.MustDate("2025-12-01")},
		},
		Links: []domain.NewLink{
			{Pos: pos(7), FromCode: "02923", FromLevel: domain.LevelCommune, ToCode: "55555", ToLevel: domain.LevelCommune, Kind: domain.LinkMergeFull, Effective: domain.MustDate("2026-01-01")},
		},
	}
	_, err := s.ApplyUnitBatch(Ctx(), nil, bad)
	var fe *domain.FileErrors
	if !errors.As(err, &fe) {
		t.Fatalf("bad batch: %v", err)
	}
	keys := map[int]string{}
	for _, r := range fe.Rows {
		keys[r.Row] = r.Err.Key
		if r.File != "bad.csv" {
			t.Errorf("row %d file %q", r.Row, r.File)
		}
	}
	want := map[int]string{3: "unit.code_missing", 4: "unit.parent_unknown", 6: "unit.end_before_start"}
	for row, key := range want {
		if keys[row] != key {
			t.Errorf("row %d: got %q want %q (all %v)", row, keys[row], key, keys)
		}
	}
	if after := TableCounts(t, s); !reflect.DeepEqual(before, after) {
		t.Fatalf("a refused batch wrote: %v → %v", before, after)
	}
	// Same code and level live twice on one date, and a merge into nothing.
	bad2 := domain.UnitBatch{
		Units: []domain.NewUnit{{Pos: pos(2), Code: "02923", Name: "Xã Gia Phú Hai", Level: domain.LevelCommune, ParentCode: "15", ValidFrom: domain.MustDate("2026-01-01")}},
		Links: []domain.NewLink{{Pos: pos(3), FromCode: "02905", FromLevel: domain.LevelCommune, ToCode: "55555", ToLevel: domain.LevelCommune, Kind: domain.LinkMergeFull, Effective: domain.MustDate("2026-01-01")}},
	}
	_, err = s.ApplyUnitBatch(Ctx(), nil, bad2)
	if !errors.As(err, &fe) {
		t.Fatalf("bad2: %v", err)
	}
	keys = map[int]string{}
	for _, r := range fe.Rows {
		keys[r.Row] = r.Err.Key
	}
	if keys[3] != "unit.merge_target_missing" {
		t.Fatalf("bad2 keys %v", keys)
	}
	bad3 := domain.UnitBatch{Units: bad2.Units}
	_, err = s.ApplyUnitBatch(Ctx(), nil, bad3)
	if !errors.As(err, &fe) || fe.Rows[0].Err.Key != "unit.code_overlap" || fe.Rows[0].Row != 2 {
		t.Fatalf("bad3: %v", err)
	}
	if after := TableCounts(t, s); !reflect.DeepEqual(before, after) {
		t.Fatalf("a refused batch wrote: %v → %v", before, after)
	}
}

func testRenameAndMove(t *testing.T, open Opener) {
	s := open(t)
	MustDemo(t, s)
	gp := MustUnit(t, s, "02923", today)
	kids, _ := s.Children(Ctx(), gp.ID, today)
	var dc domain.Unit
	for _, k := range kids {
		if k.Name == "Thôn Đông Căm" {
			dc = k
		}
	}
	eff := domain.MustDate("2026-09-01")
	res, err := s.ApplyUnitBatch(Ctx(), nil, domain.UnitBatch{
		Renames: []domain.NewRename{{Code: dc.Code, Level: domain.LevelVillage, Name: "Thôn Đông Căm Mới", Effective: eff, LegalAct: "Quyết định 1/QĐ-UBND"}},
		Moves:   []domain.NewMove{{Code: dc.Code, Level: domain.LevelVillage, ParentCode: "02905", Effective: eff}},
	})
	if err != nil || res.EventsAdded != 2 {
		t.Fatalf("rename+move: %+v %v", res, err)
	}
	now := MustUnit(t, s, dc.Code, today)
	was := MustUnit(t, s, dc.Code, domain.MustDate("2026-08-31"))
	if now.Name != "Thôn Đông Căm Mới" || now.Parent.Code != "02905" || was.Name != "Thôn Đông Căm" || was.Parent.Code != "02923" {
		t.Fatalf("now %+v %+v, was %+v %+v", now, now.Parent, was, was.Parent)
	}
	if now.Slug != "dong-cam-moi" {
		t.Fatalf("new slug %q", now.Slug)
	}
	u, current, err := s.VillageBySlug(Ctx(), "dong-cam", today)
	if err != nil || current || u.ID != dc.ID {
		t.Fatalf("old slug: %+v %v %v", u, current, err)
	}
	if _, _, err := s.VillageBySlug(Ctx(), "khong-co", today); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("unknown slug: %v", err)
	}
	// A move or rename dated before one already recorded is refused.
	_, err = s.ApplyUnitBatch(Ctx(), nil, domain.UnitBatch{
		Moves:   []domain.NewMove{{Pos: domain.Pos{File: "x.csv", Row: 2}, Code: dc.Code, Level: domain.LevelVillage, ParentCode: "02926", Effective: domain.MustDate("2026-08-01")}},
		Renames: []domain.NewRename{{Pos: domain.Pos{File: "x.csv", Row: 3}, Code: dc.Code, Level: domain.LevelVillage, Name: "Thôn Khác", Effective: domain.MustDate("2026-08-01")}},
	})
	var fe *domain.FileErrors
	if !errors.As(err, &fe) || len(fe.Rows) != 2 || fe.Rows[0].Err.Key != "unit.rename_conflict" && fe.Rows[0].Err.Key != "unit.move_conflict" {
		t.Fatalf("back-dated move and rename: %v", err)
	}
	// One batch may hold an old unit and its new namesake.
	res2, err := s.ApplyUnitBatch(Ctx(), nil, domain.UnitBatch{Units: []domain.NewUnit{
		{Code: "99001", Name: "Xã Cũ", Level: domain.LevelCommune, ParentCode: "15", ValidFrom: domain.MustDate("2025-08-01"), ValidTo: domain.MustDate("2026-06-30")},
		{Code: "99001", Name: "Xã Mới", Level: domain.LevelCommune, ParentCode: "15", ValidFrom: domain.MustDate("2026-07-01")},
	}})
	if err != nil || len(res2.AddedIDs) != 2 || res2.AddedIDs[0] == res2.AddedIDs[1] {
		t.Fatalf("namesakes in one batch: %+v %v", res2, err)
	}
	if u := MustUnit(t, s, "99001", domain.MustDate("2026-01-01")); u.Name != "Xã Cũ" || u.Parent == nil {
		t.Fatalf("old namesake %+v", u)
	}
	if u := MustUnit(t, s, "99001", today); u.Name != "Xã Mới" {
		t.Fatalf("new namesake %+v", u)
	}
	// A second village of the same name gets the commune in its slug.
	_, err = s.ApplyUnitBatch(Ctx(), nil, domain.UnitBatch{Units: []domain.NewUnit{
		{Name: "Thôn Đông Căm", Level: domain.LevelVillage, ParentCode: "02926", ValidFrom: eff},
	}})
	if err != nil {
		t.Fatal(err)
	}
	vs, _, _ := s.SearchUnits(Ctx(), store.UnitQuery{At: today, Q: "đông căm", Level: domain.LevelVillage})
	slugs := map[string]bool{}
	for _, v := range vs {
		slugs[v.Slug] = true
	}
	if !slugs["dong-cam-xuan-quang"] {
		t.Fatalf("slugs %v", slugs)
	}
}

func testDissolve(t *testing.T, open Opener) {
	s := open(t)
	MustDemo(t, s)
	eff := domain.MustDate("2026-03-01")
	_, err := s.ApplyUnitBatch(Ctx(), nil, domain.UnitBatch{
		LegalAct: "Nghị quyết thử",
		Units:    []domain.NewUnit{{Code: "99990", Name: "Xã Thử", Level: domain.LevelCommune, ParentCode: "15", ValidFrom: domain.MustDate("2026-01-01")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.ApplyUnitBatch(Ctx(), nil, domain.UnitBatch{Ends: []domain.NewEnd{{Code: "99990", Level: domain.LevelCommune, Effective: eff, DutiesTo: "02923"}}})
	if err != nil || res.UnitsEnded != 1 {
		t.Fatalf("dissolve %+v %v", res, err)
	}
	u := MustUnit(t, s, "99990", domain.MustDate("2026-02-28"))
	if u.ValidTo != domain.MustDate("2026-02-28") {
		t.Fatalf("valid_to %v", u.ValidTo)
	}
	if _, err := s.UnitAt(Ctx(), "99990", eff); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("after dissolve: %v", err)
	}
}
