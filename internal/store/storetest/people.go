package storetest

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"thonso/internal/demo"
	"thonso/internal/domain"
	"thonso/internal/store"
)

func testDemoFigures(t *testing.T, open Opener) {
	s := open(t)
	MustDemo(t, s)
	dc := village(t, s, "Thôn Đông Căm", today)
	f, err := s.Figures(Ctx(), dc.ID, demo.ReportDate)
	if err != nil {
		t.Fatal(err)
	}
	if f.Aged14 != 387 || f.Accounts14 != 257 {
		t.Fatalf("Đông Căm on 31/10/2024: %d/%d, want 257/387", f.Accounts14, f.Aged14)
	}
	later, _ := s.Figures(Ctx(), dc.ID, today)
	if store.Rate(later.Accounts14, later.Aged14) <= store.Rate(f.Accounts14, f.Aged14) {
		t.Fatalf("rate did not rise: %d/%d", later.Accounts14, later.Aged14)
	}
	if f.Households == 0 || f.HouseholdsZalo == 0 || f.HouseholdsBank == 0 || f.Smartphone18 == 0 || f.Adults18 <= f.Smartphone18 {
		t.Fatalf("figures %+v", f)
	}
	// The commune as it was: old Gia Phú on 31/10/2024 counts its three
	// villages; today's Gia Phú also Xuân Giao's.
	oldGP := MustUnit(t, s, "02923", oct2024)
	cf, _ := s.Figures(Ctx(), oldGP.ID, oct2024)
	newGP := MustUnit(t, s, "02923", today)
	nf, _ := s.Figures(Ctx(), newGP.ID, today)
	bau := village(t, s, "Thôn Bầu 1", today)
	bf, _ := s.Figures(Ctx(), bau.ID, today)
	if cf.Aged14 <= f.Aged14 || nf.Residents <= bf.Residents || bf.Residents == 0 {
		t.Fatalf("commune figures: old %+v new %+v", cf, nf)
	}
}

func testResidentsAsOf(t *testing.T, open Opener) {
	s := open(t)
	MustDemo(t, s)
	admin := domain.CLIActor()
	cocTum := village(t, s, "Thôn Cóc Tủm", today)
	h, err := s.CreateHousehold(Ctx(), admin, domain.Household{VillageID: cocTum.ID, Number: "T-1"})
	if err != nil {
		t.Fatal(err)
	}
	dates := []string{"2024-12-31", "2025-01-01", "2025-01-02"}
	base := map[string]store.Figures{}
	for _, d := range dates {
		base[d], _ = s.Figures(Ctx(), cocTum.ID, domain.MustDate(d))
	}
	mk := func(name string, birth, in, left string, reason domain.LeftReason) domain.Resident {
		r := domain.Resident{HouseholdID: h.ID, FullName: name, BirthDate: domain.MustDate(birth), Sex: domain.SexMale, Relation: "con"}
		if in != "" {
			r.MovedIn = domain.MustDate(in)
		}
		if left != "" {
			r.LeftOn, r.LeftReason = domain.MustDate(left), reason
		}
		r.VNeID = domain.Adoption{Since: domain.MustDate("2024-12-01")}
		r.Portal = domain.Adoption{Since: domain.MustDate("2024-12-02")}
		got, err := s.CreateResident(Ctx(), admin, r)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return got
	}
	mk("Người Chuyển Đi", "1990-01-01", "", "2025-01-02", domain.LeftMoved) // lives there on 01/01/2025
	mk("Người Đã Mất", "1940-01-01", "", "2025-01-01", domain.LeftDeceased) // not on 01/01/2025 (left that day)
	mk("Người Chuyển Đến", "1995-05-05", "2025-01-01", "", "")              // lives there from 01/01/2025
	mk("Em Mười Bốn", "2011-01-01", "", "", "")                             // 14 on 01/01/2025, not the day before
	// The deceased counts the day before she died; the newcomer from the
	// day he came; the boy from his 14th birthday; the leaver until he left.
	for d, want := range map[string]int{"2024-12-31": 2, "2025-01-01": 3, "2025-01-02": 2} {
		f, _ := s.Figures(Ctx(), cocTum.ID, domain.MustDate(d))
		if f.Aged14-base[d].Aged14 != want || f.Accounts14-base[d].Accounts14 != want {
			t.Errorf("on %s: +%d aged 14+ (+%d accounts), want +%d", d, f.Aged14-base[d].Aged14, f.Accounts14-base[d].Accounts14, want)
		}
	}
}

func testResidentRules(t *testing.T, open Opener) {
	s := open(t)
	MustDemo(t, s)
	admin := domain.CLIActor()
	dc := village(t, s, "Thôn Đông Căm", today)
	hs, err := s.Households(Ctx(), admin.Scope(domain.PermResidentView), dc.ID)
	if err != nil || len(hs) < 100 || hs[0].Number != "1" || hs[1].Number != "2" {
		t.Fatalf("households: %d %v", len(hs), err)
	}
	people, _, err := s.Residents(Ctx(), admin.Scope(domain.PermResidentView), store.ResidentQuery{HouseholdID: hs[0].ID})
	if err != nil || len(people) == 0 {
		t.Fatal(err)
	}
	taken := ""
	for _, p := range people {
		if p.CCCD != "" {
			taken = p.CCCD
		}
	}
	before := TableCounts(t, s)
	r := domain.Resident{HouseholdID: hs[1].ID, FullName: "Vàng Thị Súa", BirthDate: domain.MustDate("1990-01-01"), Sex: domain.SexFemale, CCCD: taken}
	_, err = s.CreateResident(Ctx(), admin, r)
	if e, _ := domain.AsError(err); e == nil || (e.Key != "cccd.duplicate" && e.Key != "cccd.mismatch") {
		t.Fatalf("duplicate CCCD: %v", err)
	}
	r.CCCD = ""
	r.BirthDate = domain.MustDate("2030-01-01")
	if _, err := s.CreateResident(Ctx(), admin, r); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("future birth: %v", err)
	}
	if after := TableCounts(t, s); !reflect.DeepEqual(before, after) {
		t.Fatal("a refused resident was written")
	}
	// Stale version.
	p := people[0]
	p.Relation = "khac"
	if _, err := s.UpdateResident(Ctx(), admin, p); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateResident(Ctx(), admin, p); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("stale update: %v", err)
	}
	// Scope: the Đông Căm member sees nothing of Cóc Tủm.
	m, _, _ := s.Credentials(Ctx(), "thanhvien.dongcam")
	ma := mustActor(t, s, m)
	ct := village(t, s, "Thôn Cóc Tủm", today)
	if rs, _, _ := s.Residents(Ctx(), ma.Scope(domain.PermResidentView), store.ResidentQuery{VillageID: ct.ID}); len(rs) != 0 {
		t.Fatalf("member sees %d residents of another village", len(rs))
	}
	others, _, _ := s.Residents(Ctx(), domain.CLIActor().Scope(domain.PermResidentView), store.ResidentQuery{VillageID: ct.ID, Limit: 1})
	if _, err := s.Resident(Ctx(), ma.Scope(domain.PermResidentView), others[0].ID); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("other village's resident: %v", err)
	}
	if _, err := s.Resident(Ctx(), ma.Scope(domain.PermResidentView), p.ID); err != nil {
		t.Fatalf("own village's resident: %v", err)
	}
	// Search: accents optional, household number, phone.
	sc := ma.Scope(domain.PermResidentView)
	name := people[0].FullName
	if rs, _, _ := s.Residents(Ctx(), sc, store.ResidentQuery{Q: foldForTest(name)}); len(rs) == 0 {
		t.Fatalf("search %q found nothing", foldForTest(name))
	}
	if rs, _, _ := s.Residents(Ctx(), sc, store.ResidentQuery{Q: "1", VillageID: dc.ID}); len(rs) != len(people) {
		t.Fatalf("household 1: %d, want %d", len(rs), len(people))
	}
	for _, x := range people {
		if x.Phone != "" {
			q := x.Phone[:4] + "." + x.Phone[4:7] + "." + x.Phone[7:]
			if rs, _, _ := s.Residents(Ctx(), sc, store.ResidentQuery{Q: q}); len(rs) != 1 || rs[0].ID != x.ID {
				t.Fatalf("phone %s: %d", q, len(rs))
			}
		}
	}
	// Paging in Vietnamese order is complete and stable.
	all, _, _ := s.Residents(Ctx(), sc, store.ResidentQuery{VillageID: dc.ID, Limit: 1000})
	var paged []int64
	after := ""
	for {
		page, next, err := s.Residents(Ctx(), sc, store.ResidentQuery{VillageID: dc.ID, Limit: 97, After: after})
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range page {
			paged = append(paged, x.ID)
		}
		if next == "" {
			break
		}
		after = next
	}
	if len(paged) != len(all) || paged[0] != all[0].ID || paged[len(paged)-1] != all[len(all)-1].ID {
		t.Fatalf("paged %d of %d", len(paged), len(all))
	}
}

func foldForTest(s string) string {
	out := []rune{}
	for _, r := range []rune(s) {
		switch r {
		case 'Đ':
			r = 'D'
		case 'đ':
			r = 'd'
		}
		out = append(out, r)
	}
	return string(out)
}

func testPeopleImport(t *testing.T, open Opener) {
	s := open(t)
	MustDemo(t, s)
	admin := domain.CLIActor()
	ct := village(t, s, "Thôn Cóc Tủm", today)
	row := func(n int, name, birth string, sex domain.Sex, cccd, hh string) store.PersonRow {
		return store.PersonRow{Pos: domain.Pos{File: "ds.xlsx", Row: n}, VillageID: ct.ID, Household: domain.Household{Number: hh, Hamlet: "Xóm 2"},
			Resident: domain.Resident{FullName: name, BirthDate: domain.MustDate(birth), Sex: sex, CCCD: cccd, Relation: "chu_ho"}}
	}
	rows := []store.PersonRow{
		row(2, "Giàng A Páo", "1980-02-03", domain.SexMale, domain.CCCDFor(10, domain.SexMale, 1980, 900001), "H-50"),
		row(3, "Sùng Thị Mỷ", "1982-04-05", domain.SexFemale, "", "H-50"),
	}
	rows[1].Resident.Relation = "vo"
	before := TableCounts(t, s)
	res, err := s.ApplyPeople(Ctx(), admin, rows, store.PeopleOptions{DryRun: true})
	if err != nil || res.Created != 2 || res.HouseholdsCreated != 1 {
		t.Fatalf("dry run %+v %v", res, err)
	}
	if after := TableCounts(t, s); !reflect.DeepEqual(before, after) {
		t.Fatal("a dry run wrote")
	}
	if res, err = s.ApplyPeople(Ctx(), admin, rows, store.PeopleOptions{Source: "ds.xlsx"}); err != nil || res.Created != 2 {
		t.Fatalf("apply %+v %v", res, err)
	}
	// One audit entry for the village, listing the two new residents.
	es, _, _ := s.AuditEntries(Ctx(), domain.Scope{UnitIDs: []int64{ct.ID}}, store.AuditFilter{Entity: "resident", EntityID: "ds.xlsx"})
	if len(es) != 1 || es[0].UnitID != ct.ID || es[0].Changes[0].Field != "created" || len(strings.Split(*es[0].Changes[0].After, ",")) != 2 {
		t.Fatalf("import audit %+v", es)
	}
	// Re-import: unchanged; then one changed row updates, matched by name +
	// birth + household (no CCCD) and by CCCD (name spelt differently).
	if res, _ = s.ApplyPeople(Ctx(), admin, rows, store.PeopleOptions{}); res.Unchanged != 2 || res.Created != 0 {
		t.Fatalf("re-import %+v", res)
	}
	rows[1].Resident.Phone = "0399 999 000"
	rows[0].Resident.FullName = "Giàng A Pao"
	if res, _ = s.ApplyPeople(Ctx(), admin, rows, store.PeopleOptions{}); res.Updated != 2 || res.Created != 0 {
		t.Fatalf("update %+v", res)
	}
	var fe *domain.FileErrors
	// A file without the phone column does not erase phones; a "yes"
	// dated later does not move an earlier fact.
	stored, _, _ := s.Residents(Ctx(), domain.Scope{All: true}, store.ResidentQuery{VillageID: ct.ID, Q: "Sùng Thị Mỷ"})
	if len(stored) != 1 || stored[0].Phone != "0399999000" {
		t.Fatalf("stored %+v", stored)
	}
	lean := rows[1]
	lean.Resident.Phone = ""
	lean.Resident.Smartphone = domain.Adoption{Since: domain.MustDate("2026-10-01")}
	if _, err := s.ApplyPeople(Ctx(), admin, []store.PersonRow{lean}, store.PeopleOptions{}); err != nil {
		t.Fatal(err)
	}
	earlier := lean
	earlier.Resident.Smartphone = domain.Adoption{Since: domain.MustDate("2026-11-01")}
	s.ApplyPeople(Ctx(), admin, []store.PersonRow{earlier}, store.PeopleOptions{})
	again, _ := s.Resident(Ctx(), domain.Scope{All: true}, stored[0].ID)
	if again.Phone != "0399999000" || again.Smartphone.Since != domain.MustDate("2026-10-01") {
		t.Fatalf("re-import erased or moved: %+v", again)
	}
	// The same person twice in one file (no CCCD) is a row error.
	twice := []store.PersonRow{row(8, "Hầu A Chư", "1990-01-01", domain.SexMale, "", "H-60"), row(9, "Hầu A Chư", "1990-01-01", domain.SexMale, "", "H-60")}
	_, err = s.ApplyPeople(Ctx(), admin, twice, store.PeopleOptions{})
	if !errors.As(err, &fe) || fe.Rows[0].Row != 9 || fe.Rows[0].Err.Key != "resident.duplicate_in_file_row" {
		t.Fatalf("twice in a file: %v", err)
	}
	// A bad row refuses the load; valid-only skips it.
	bad := append([]store.PersonRow{}, rows...)
	bad = append(bad, row(4, "Vàng A Sử", "2031-01-01", domain.SexMale, "", "H-51"), row(5, "Lý A Dình", "1980-07-07", domain.SexMale, rows[0].Resident.CCCD, "H-52"))
	before = TableCounts(t, s)
	_, err = s.ApplyPeople(Ctx(), admin, bad, store.PeopleOptions{})
	if !errors.As(err, &fe) || len(fe.Rows) != 2 || fe.Rows[0].Row != 4 || fe.Rows[1].Err.Key != "cccd.duplicate_in_file" {
		t.Fatalf("bad load: %v", err)
	}
	if after := TableCounts(t, s); !reflect.DeepEqual(before, after) {
		t.Fatal("a refused load wrote")
	}
	bad = append(bad, row(6, "Thào Seo Lử", "1999-09-09", domain.SexMale, "", "H-53"))
	res, err = s.ApplyPeople(Ctx(), admin, bad, store.PeopleOptions{ValidOnly: true})
	if err != nil || res.Created != 1 || len(res.Rejected) != 2 {
		t.Fatalf("valid only %+v %v", res, err)
	}
	// A CCCD already used in another village is refused, not a crash.
	dcResidents, _, _ := s.Residents(Ctx(), domain.Scope{All: true}, store.ResidentQuery{VillageID: village(t, s, "Thôn Đông Căm", today).ID, Limit: 50})
	var taken domain.Resident
	for _, x := range dcResidents {
		if x.CCCD != "" {
			taken = x
		}
	}
	clash := row(7, "Người Trùng Số", taken.BirthDate.String(), taken.Sex, taken.CCCD, "H-54")
	clash.Resident.YearOnly = false
	_, err = s.ApplyPeople(Ctx(), admin, []store.PersonRow{clash}, store.PeopleOptions{})
	if !errors.As(err, &fe) || fe.Rows[0].Err.Key != "cccd.duplicate" {
		t.Fatalf("CCCD of another village: %v", err)
	}
	// Out of scope: a member of Đông Căm cannot load into Cóc Tủm.
	m, _, _ := s.Credentials(Ctx(), "thanhvien.dongcam")
	if _, err := s.ApplyPeople(Ctx(), mustActor(t, s, m), rows, store.PeopleOptions{}); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("out of scope load: %v", err)
	}
}

// testDemoDeterministic: two loads of the demo hold the same people.
func testDemoDeterministic(t *testing.T, open Opener) {
	digest := func() []string {
		s := open(t)
		MustDemo(t, s)
		var out []string
		after := ""
		for {
			rs, next, err := s.Residents(Ctx(), domain.Scope{All: true}, store.ResidentQuery{Limit: 1000, After: after, ByFullName: true})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rs {
				r.ID, r.HouseholdID, r.VillageID = 0, 0, 0
				out = append(out, fmt.Sprintf("%+v", r))
			}
			if next == "" {
				return out
			}
			after = next
		}
	}
	a, b := digest(), digest()
	if len(a) < 3000 || !reflect.DeepEqual(a, b) {
		t.Fatalf("demo differs between runs (%d vs %d residents)", len(a), len(b))
	}
}
