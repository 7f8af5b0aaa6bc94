package storetest

import (
	"database/sql"
	"strconv"
	"strings"
	"testing"
	"time"

	"thonso/internal/domain"
	"thonso/internal/store"
)

// testPublicVersion: every change to what a public page shows moves the
// public data version, whoever makes it (store or raw SQL); a refused
// change and a change elsewhere (a resident) leave it.
func testPublicVersion(t *testing.T, open Opener) {
	s := open(t)
	MustDemo(t, s)
	dc := village(t, s, "Thôn Đông Căm", today)
	admin := mustActor(t, s, MustUser(t, s, "adm.pv", domain.RoleAdmin, 0))
	version := func() int64 {
		t.Helper()
		v, ok, err := s.PublicVersion(Ctx())
		if err != nil || !ok {
			t.Fatalf("public version: %d %v %v", v, ok, err)
		}
		return v
	}
	v0 := version()
	if err := s.SetIntro(Ctx(), admin, dc.ID, "Giới thiệu phiên bản"); err != nil {
		t.Fatal(err)
	}
	v1 := version()
	if v1 <= v0 {
		t.Fatalf("intro saved, version %d → %d", v0, v1)
	}
	if err := s.SetIntro(Ctx(), admin, dc.ID, string(make([]byte, domain.MaxIntro+10))); err == nil {
		t.Fatal("an oversized intro was taken")
	}
	if v := version(); v != v1 {
		t.Fatalf("a refused change moved the version %d → %d", v1, v)
	}
	if err := s.Exec(Ctx(), "UPDATE unit_names SET name = name WHERE unit_id = $1", dc.ID); err != nil {
		t.Fatal(err)
	}
	if v := version(); v <= v1 {
		t.Fatalf("a rename through SQL left the version at %d", v)
	}
}

// testPublicVersionWatch: CurrentPublicVersion, which the public-page
// cache checks on every request without a query where it can, follows
// a write made through the store at once, and one made by another
// process (another store on the same database: another app server, the
// command line, SQL): at once on SQLite, as soon as the notification
// arrives on PostgreSQL (LISTEN/NOTIFY: milliseconds; 5 s allowed here).
func testPublicVersionWatch(t *testing.T, open Opener) {
	s := open(t)
	if strings.Contains(s.Where, "***") {
		t.Skip("the DSN has a password: cannot open a second store on it")
	}
	other, err := store.Open(Ctx(), s.Where)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	cur := func() int64 {
		t.Helper()
		v, ok, err := s.CurrentPublicVersion(Ctx())
		if err != nil || !ok {
			t.Fatalf("current public version: %d %v %v", v, ok, err)
		}
		return v
	}
	stored := func() int64 {
		t.Helper()
		v, ok, err := s.PublicVersion(Ctx())
		if err != nil || !ok {
			t.Fatalf("public version: %d %v %v", v, ok, err)
		}
		return v
	}
	v0 := cur()
	if v := cur(); v != v0 || v != stored() {
		t.Fatalf("no change, yet %d → %d (stored %d)", v0, v, stored())
	}
	if err := s.Exec(Ctx(), "INSERT INTO positions (code, name) VALUES ('pv1', 'Thử phiên bản')"); err != nil {
		t.Fatal(err)
	}
	v1 := cur()
	if v1 == v0 || v1 != stored() {
		t.Fatalf("own write: %d → %d (stored %d)", v0, v1, stored())
	}
	if err := other.Exec(Ctx(), "INSERT INTO positions (code, name) VALUES ('pv2', 'Thử phiên bản 2')"); err != nil {
		t.Fatal(err)
	}
	want := stored()
	if want == v1 {
		t.Fatal("the other store's write left the version")
	}
	deadline := time.Now().Add(5 * time.Second)
	for cur() != want {
		if s.Dialect() == "sqlite" || time.Now().After(deadline) {
			t.Fatalf("another process's write not seen: %d, stored %d", cur(), want)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if v := cur(); v != want {
		t.Fatalf("then %d, stored %d", v, want)
	}
	if s.Dialect() != "postgres" {
		return
	}
	// The listener's connection is lost: writes are still seen (read
	// from the primary until it listens again).
	db, err := sql.Open("pgx", s.Where)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'LISTEN thonso_public' AND datname = current_database()"); err != nil {
		t.Fatal(err)
	}
	for i := 3; i <= 5; i++ {
		if err := other.Exec(Ctx(), "INSERT INTO positions (code, name) VALUES ($1, 'Thử phiên bản')", "pv"+strconv.Itoa(i)); err != nil {
			t.Fatal(err)
		}
		want := stored()
		deadline := time.Now().Add(5 * time.Second)
		for cur() != want {
			if time.Now().After(deadline) {
				t.Fatalf("after the listener was cut, write %d not seen: %d, stored %d", i, cur(), want)
			}
			time.Sleep(5 * time.Millisecond)
		}
		time.Sleep(700 * time.Millisecond) // across the reconnection
	}
}
