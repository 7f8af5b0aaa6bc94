package storetest

import (
	"errors"
	"fmt"
	"reflect"
	"testing"

	"thonso/internal/domain"
	"thonso/internal/store"
)

// testPeopleChunks loads a file of five chunks. A chunk's rows are checked
// while the chunk before is being written (its keys in memory) and
// against the database for the chunks before that: duplicates are found
// either way, a household's head may come a chunk after it, a stored
// household and resident take the rows' facts, and a bad row in the last
// chunk leaves nothing of the four written before it.
func testPeopleChunks(t *testing.T, open Opener) {
	s := open(t)
	MustDemo(t, s)
	admin := domain.CLIActor()
	ct := village(t, s, "Thôn Cóc Tủm", today)
	all := domain.Scope{All: true}
	hhs, err := s.Households(Ctx(), all, ct.ID)
	if err != nil || len(hhs) == 0 {
		t.Fatalf("households %v", err)
	}
	hx := hhs[0]
	members, _, err := s.Residents(Ctx(), all, store.ResidentQuery{HouseholdID: hx.ID, WithLeft: true})
	if err != nil || len(members) == 0 {
		t.Fatalf("members of %s: %v", hx.Number, err)
	}
	ex := members[0]

	c := s.PeopleChunkRows()
	n := 5 * c
	rowOf := func(i int) int { return i + 2 } // the header is row 1
	build := func(prefix string, serial int) []store.PersonRow {
		rows := make([]store.PersonRow, n)
		for i := range rows {
			sex := domain.SexMale
			if i%2 == 1 {
				sex = domain.SexFemale
			}
			rel := domain.Relation("con")
			if i%4 == 0 {
				rel = "chu_ho"
			}
			y := 1950 + i%60
			rows[i] = store.PersonRow{Pos: domain.Pos{File: "khoi.csv", Row: rowOf(i)}, VillageID: ct.ID,
				Household: domain.Household{Number: fmt.Sprintf("K-%d", i/4)},
				Resident: domain.Resident{FullName: fmt.Sprintf("%s %d", prefix, i), BirthDate: domain.MustDate(fmt.Sprintf("%d-%02d-%02d", y, 1+i%12, 1+i%28)),
					Sex: sex, Relation: rel, CCCD: domain.CCCDFor(11, sex, y, serial+i)}}
		}
		return rows
	}
	rows := build("Lò Văn Khối", 800000)
	// A household whose head comes a chunk after its first member.
	rows[c-1].Household.Number, rows[c-1].Resident.Relation = "K-LATE", "con"
	rows[c+5].Household.Number, rows[c+5].Resident.Relation = "K-LATE", "chu_ho"
	same := func(i, of int) { // row i: row of's person again, without CCCD
		rows[i].Household, rows[i].Resident = rows[of].Household, rows[of].Resident
		rows[i].Resident.CCCD = ""
	}
	same(c+10, 20)   // the chunk before's (in memory)
	same(3*c+10, 40) // three chunks before's (in the database)
	// The same CCCD again: of a row from `from` on born the same year (and
	// so of the same sex), as a CCCD says.
	sameYear := func(t, from int) int {
		return from + ((t-from)%60+60)%60
	}
	cccdOf1, cccdOf2 := sameYear(c+20, 50), sameYear(3*c+20, c+50)
	rows[c+20].Resident.CCCD = rows[cccdOf1].Resident.CCCD
	rows[3*c+20].Resident.CCCD = rows[cccdOf2].Resident.CCCD
	// The stored resident, matched by name, birth and household, with a
	// new phone; and a new member of that household bringing its hamlet.
	rows[2*c+7].Household = domain.Household{Number: hx.Number}
	rows[2*c+7].Resident = domain.Resident{FullName: ex.FullName, BirthDate: ex.BirthDate, YearOnly: ex.YearOnly, Sex: ex.Sex, Phone: "0398 765 432"}
	rows[2*c+8].Household = domain.Household{Number: hx.Number, Hamlet: "Xóm Khối"}
	rows[2*c+8].Resident.Relation = "con"

	res, err := s.ApplyPeople(Ctx(), admin, rows, store.PeopleOptions{ValidOnly: true, Source: "khoi.csv"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range res.Rejected {
		got = append(got, fmt.Sprintf("%d %s %v", r.Row, r.Err.Key, r.Err.Args["other_row"]))
	}
	want := []string{
		fmt.Sprintf("%d resident.duplicate_in_file_row %d", rowOf(c+10), rowOf(20)),
		fmt.Sprintf("%d cccd.duplicate_in_file %d", rowOf(c+20), rowOf(cccdOf1)),
		fmt.Sprintf("%d resident.duplicate_in_file_row %d", rowOf(3*c+10), rowOf(40)),
		fmt.Sprintf("%d cccd.duplicate_in_file %d", rowOf(3*c+20), rowOf(cccdOf2)),
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("rejected %d rows %q…, want %q", len(got), got[:min(len(got), 8)], want)
	}
	if res.Created != n-5 || res.Updated != 1 || res.HouseholdsUpdated != 1 {
		t.Fatalf("result %+v", res)
	}
	counts := TableCounts(t, s)
	if again, _ := s.Resident(Ctx(), all, ex.ID); again.Phone != "0398765432" {
		t.Errorf("stored resident not updated: %+v", again)
	}
	hhs, _ = s.Households(Ctx(), all, ct.ID)
	var late domain.Household
	for _, h := range hhs {
		switch h.Number {
		case hx.Number:
			if h.Hamlet != "Xóm Khối" {
				t.Errorf("household %s hamlet %q", h.Number, h.Hamlet)
			}
		case "K-LATE":
			late = h
		}
	}
	lateMembers, _, _ := s.Residents(Ctx(), all, store.ResidentQuery{HouseholdID: late.ID, WithLeft: true})
	var head int64
	for _, m := range lateMembers {
		if m.FullName == rows[c+5].Resident.FullName {
			head = m.ID
		}
	}
	if len(lateMembers) != 2 || head == 0 || late.HeadID != head {
		t.Errorf("K-LATE: %d members, head %d, want %d", len(lateMembers), late.HeadID, head)
	}

	// A bad row in the last chunk: the four chunks before it are rolled back.
	bad := build("Lò Văn Hỏng", 900000)
	bad[4*c+3].Resident.BirthDate = domain.DateOf(today.Time().AddDate(1, 0, 0))
	_, err = s.ApplyPeople(Ctx(), admin, bad, store.PeopleOptions{Source: "hong.csv"})
	var fe *domain.FileErrors
	if !errors.As(err, &fe) || len(fe.Rows) != 1 || fe.Rows[0].Row != rowOf(4*c+3) {
		t.Fatalf("bad load: %v", err)
	}
	if now := TableCounts(t, s); !reflect.DeepEqual(counts, now) {
		t.Fatalf("a refused load wrote: %v, was %v", now, counts)
	}
}
