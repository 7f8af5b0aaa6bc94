package storetest

import (
	"testing"

	"thonso/internal/domain"
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
