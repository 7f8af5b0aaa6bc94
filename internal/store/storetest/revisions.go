package storetest

import (
	"database/sql"
	"strings"
	"testing"

	"thonso/internal/domain"
	"thonso/internal/store"
)

// testRevisionTriggers: an update that changes none of the columns a
// village's figures count (a phone, as a re-imported file brings) leaves
// the village's revision, so its summaries are kept; one that changes a
// counted column (the birth date) gives it a new revision, so they are
// recomputed. The revision is read from the database beside the store.
func testRevisionTriggers(t *testing.T, open Opener) {
	s := open(t)
	MustDemo(t, s)
	admin := domain.CLIActor()
	dc := village(t, s, "Thôn Đông Căm", today)
	people, _, err := s.Residents(Ctx(), admin.Scope(domain.PermResidentView), store.ResidentQuery{VillageID: dc.ID, Limit: 1})
	if err != nil || len(people) == 0 {
		t.Fatalf("residents: %v", err)
	}
	raw := rawDB(t, s)
	rev := func() int64 {
		t.Helper()
		var r int64
		if err := raw.QueryRow("SELECT rev FROM village_revs WHERE village_id = $1", dc.ID).Scan(&r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	p := people[0]
	before := rev()
	p.Phone = "0398 111 222"
	if p, err = s.UpdateResident(Ctx(), admin, p); err != nil {
		t.Fatal(err)
	}
	if after := rev(); after != before {
		t.Errorf("a phone changed the village's revision %d → %d", before, after)
	}
	p.BirthDate = p.BirthDate.AddDays(-1)
	if _, err = s.UpdateResident(Ctx(), admin, p); err != nil {
		t.Fatal(err)
	}
	if after := rev(); after == before {
		t.Errorf("a birth date left the village's revision at %d", before)
	}
}

// rawDB opens the store's database beside it, for what only SQL shows.
func rawDB(t *testing.T, s *store.Store) *sql.DB {
	t.Helper()
	driver, dsn := "pgx", s.Where
	if path, ok := strings.CutPrefix(s.Where, "sqlite:"); ok {
		driver, dsn = "sqlite", "file:"+path+"?_pragma=busy_timeout(5000)"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
