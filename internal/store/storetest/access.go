package storetest

import (
	"testing"
	"time"

	"thonso/internal/domain"
	"thonso/internal/store"
)

// MustUser creates a user with one grant, by the command line.
func MustUser(t testing.TB, s *store.Store, login string, role domain.Role, unitID int64) domain.User {
	t.Helper()
	u, err := s.CreateUser(Ctx(), domain.CLIActor(), store.NewUser{Login: login, Name: "Người " + login, PasswordHash: domain.HashPassword("mật-khẩu-" + login)}, role, unitID)
	if err != nil {
		t.Fatalf("user %s: %v", login, err)
	}
	return u
}

func mustActor(t testing.TB, s *store.Store, u domain.User) *domain.Actor {
	t.Helper()
	a, err := s.Actor(Ctx(), u, "127.0.0.1", "web")
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func village(t testing.TB, s *store.Store, name string, at domain.Date) domain.Unit {
	t.Helper()
	vs, _, err := s.SearchUnits(Ctx(), store.UnitQuery{At: at, Q: name, Level: domain.LevelVillage})
	if err != nil || len(vs) == 0 {
		t.Fatalf("village %s: %v", name, err)
	}
	for _, v := range vs {
		if v.Name == name {
			return v
		}
	}
	t.Fatalf("village %s not found", name)
	return domain.Unit{}
}

func testGrantsAndScope(t *testing.T, open Opener) {
	s := open(t)
	MustDemo(t, s)
	newGP := MustUnit(t, s, "02923", today)
	oldGP := MustUnit(t, s, "02923", oct2024)
	phongHai := MustUnit(t, s, "02902", today)
	dc := village(t, s, "Thôn Đông Căm", today)
	bau := village(t, s, "Thôn Bầu 1", today)

	officer := MustUser(t, s, "cb.giaphu", domain.RoleOfficer, newGP.ID)
	oldOfficer := MustUser(t, s, "cb.cu", domain.RoleOfficer, oldGP.ID)
	leader := MustUser(t, s, "tt.dongcam", domain.RoleTeamLeader, dc.ID)

	a := mustActor(t, s, officer)
	if !a.Can(domain.PermAssessmentVerify) || a.Can(domain.PermAssessmentApprove) {
		t.Fatal("commune officer permissions")
	}
	sc := a.Scope(domain.PermResidentView)
	for _, c := range []struct {
		unit domain.Unit
		want bool
	}{{dc, true}, {bau, true}, {newGP, true}, {phongHai, false}, {oldGP, true}} { // old Gia Phú became it: its past is read here
		if got, err := s.Covers(Ctx(), sc, c.unit.ID); err != nil || got != c.want {
			t.Errorf("new Gia Phú officer covers %s: %v (%v)", c.unit.Name, got, err)
		}
	}
	// A grant on old Gia Phú keeps covering what was recorded under it
	// (Đông Căm), not what joined the new commune from Xuân Giao.
	oa := mustActor(t, s, oldOfficer)
	if ok, _ := s.Covers(Ctx(), oa.Scope(domain.PermResidentView), dc.ID); !ok {
		t.Error("old Gia Phú grant lost Đông Căm")
	}
	if ok, _ := s.Covers(Ctx(), oa.Scope(domain.PermResidentView), bau.ID); ok {
		t.Error("old Gia Phú grant widened to Thôn Bầu 1")
	}
	// Listed for review on the successor's page, for those who manage it.
	rev, err := s.GrantsToReview(Ctx(), a, newGP.ID)
	if err != nil || len(rev) != 1 || rev[0].User.Login != "cb.cu" || rev[0].Unit.Name != "Xã Gia Phú" || rev[0].Ended != jun2025 {
		t.Fatalf("review: %+v %v", rev, err)
	}
	la := mustActor(t, s, leader)
	if rev, _ := s.GrantsToReview(Ctx(), la, newGP.ID); len(rev) != 0 {
		t.Fatal("a team leader sees grants to review")
	}
	if err := s.MarkGrantReviewed(Ctx(), a, rev[0].GrantID); err != nil {
		t.Fatal(err)
	}
	if rev, _ := s.GrantsToReview(Ctx(), a, newGP.ID); len(rev) != 0 {
		t.Fatal("reviewed grant still listed")
	}

	// Users: the officer manages the leader (in scope), not others.
	us, err := s.ListUsers(Ctx(), a.Scope(domain.PermUserManage), 0)
	if err != nil || len(us) != 2+3+1 { // and the demo's officer, leader and member, and old Gia Phú's officer to review
		t.Fatalf("officer sees %d users: %v", len(us), err)
	}
	other := MustUser(t, s, "cb.phonghai", domain.RoleOfficer, phongHai.ID)
	if _, err := s.ManagedUser(Ctx(), a, other.ID); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("out-of-scope user: %v", err)
	}
	// Nobody grants more than they hold, or outside their scope.
	newbie := MustUser(t, s, "tv.moi", domain.RoleMember, dc.ID)
	if err := s.AddGrant(Ctx(), la, newbie.ID, domain.RoleOfficer, dc.ID); domain.ErrorCode(err) != domain.ENOTFOUND && domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Fatalf("leader granted officer: %v", err)
	}
	if err := s.AddGrant(Ctx(), a, newbie.ID, domain.RoleOfficer, phongHai.ID); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Fatalf("grant outside scope: %v", err)
	}
	if err := s.AddGrant(Ctx(), a, newbie.ID, domain.RoleAdmin, 0); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Fatalf("officer granted admin: %v", err)
	}
	lc := MustUnit(t, s, "15", today)
	if err := s.AddGrant(Ctx(), a, newbie.ID, domain.RoleViewer, lc.ID); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Fatalf("grant above own unit: %v", err)
	}
	if err := s.AddGrant(Ctx(), a, newbie.ID, domain.RoleTeamLeader, dc.ID); err != nil {
		t.Fatalf("grant inside scope: %v", err)
	}
	if err := s.AddGrant(Ctx(), a, newbie.ID, domain.RoleTeamLeader, dc.ID); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("duplicate grant: %v", err)
	}
	gs, _ := s.Grants(Ctx(), newbie.ID)
	if len(gs) != 2 {
		t.Fatalf("grants %+v", gs)
	}
	if err := s.RevokeGrant(Ctx(), mustActor(t, s, other), gs[1].ID); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("revoke outside scope: %v", err)
	}
	if err := s.RevokeGrant(Ctx(), a, gs[1].ID); err != nil {
		t.Fatal(err)
	}
	if gs, _ := s.Grants(Ctx(), newbie.ID); len(gs) != 1 {
		t.Fatalf("after revoke %+v", gs)
	}
	// Logins and phones are unique; a duplicate is ECONFLICT.
	_, err = s.CreateUser(Ctx(), domain.CLIActor(), store.NewUser{Login: "CB.GIAPHU", Name: "X", PasswordHash: "x"}, domain.RoleViewer, lc.ID)
	if domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("duplicate login: %v", err)
	}
}

func testSessionsTokensThrottle(t *testing.T, open Opener) {
	s := open(t)
	MustDemo(t, s)
	clock := time.Date(2026, 10, 1, 1, 0, 0, 0, time.UTC)
	s = s.WithClock(func() time.Time { return clock })
	gp := MustUnit(t, s, "02923", today)
	u := MustUser(t, s, "cb.one", domain.RoleOfficer, gp.ID)
	a := mustActor(t, s, u)

	secret, err := s.CreateSession(Ctx(), a, "test")
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := s.CountRows(Ctx(), "sessions"); n != 1 {
		t.Fatal("no session row")
	}
	if got, err := s.SessionUser(Ctx(), secret); err != nil || got.ID != u.ID {
		t.Fatalf("session: %v", err)
	}
	clock = clock.Add(7 * time.Hour)
	if _, err := s.SessionUser(Ctx(), secret); err != nil {
		t.Fatalf("7 h idle: %v", err)
	}
	clock = clock.Add(8*time.Hour + time.Minute)
	if _, err := s.SessionUser(Ctx(), secret); domain.ErrorCode(err) != domain.EUNAUTHORIZED {
		t.Fatalf("8 h idle: %v", err)
	}
	s1, _ := s.CreateSession(Ctx(), a, "phone")
	s2, _ := s.CreateSession(Ctx(), a, "pc")
	if err := s.EndAllSessions(Ctx(), a, u.ID); err != nil {
		t.Fatal(err)
	}
	for _, x := range []string{s1, s2} {
		if _, err := s.SessionUser(Ctx(), x); domain.ErrorCode(err) != domain.EUNAUTHORIZED {
			t.Fatal("session survived log out everywhere")
		}
	}

	// Tokens are stored hashed, expire and can be revoked.
	tok, info, err := s.CreateToken(Ctx(), a, u.ID, "báo cáo", 24*time.Hour)
	if err != nil || len(tok) < 30 {
		t.Fatalf("token %q %v", tok, err)
	}
	if n, _ := s.CountWhere(Ctx(), "api_tokens", "token_hash", domain.HashSecret(tok)); n != 1 {
		t.Fatal("token hash not stored")
	}
	if n, _ := s.CountWhere(Ctx(), "api_tokens", "token_hash", tok); n != 0 {
		t.Fatal("token stored in clear")
	}
	if got, err := s.TokenUser(Ctx(), tok); err != nil || got.ID != u.ID {
		t.Fatalf("token user: %v", err)
	}
	clock = clock.Add(25 * time.Hour)
	if _, err := s.TokenUser(Ctx(), tok); domain.ErrorCode(err) != domain.EUNAUTHORIZED {
		t.Fatalf("expired token: %v", err)
	}
	tok2, info2, _ := s.CreateToken(Ctx(), a, u.ID, "", 0)
	if err := s.RevokeToken(Ctx(), a, u.ID, info2.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.TokenUser(Ctx(), tok2); domain.ErrorCode(err) != domain.EUNAUTHORIZED {
		t.Fatalf("revoked token: %v", err)
	}
	if err := s.RevokeToken(Ctx(), a, u.ID+1000, info.ID); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("revoke another's token: %v", err)
	}

	// Throttle: the 5th failure in 15 minutes locks the account 15 minutes.
	for i := 0; i < 4; i++ {
		s.RecordLoginFailure(Ctx(), "cb.one", "10.0.0.1")
		clock = clock.Add(time.Minute)
	}
	if until, _ := s.LoginLockedUntil(Ctx(), "cb.one", "10.0.0.1"); !until.IsZero() {
		t.Fatal("locked after 4 failures")
	}
	s.RecordLoginFailure(Ctx(), "CB.ONE", "10.0.0.2")
	fifth := clock
	until, _ := s.LoginLockedUntil(Ctx(), "cb.one", "10.0.0.9")
	if !until.Equal(fifth.Add(15 * time.Minute)) {
		t.Fatalf("locked until %v, want %v", until, fifth.Add(15*time.Minute))
	}
	clock = fifth.Add(15*time.Minute + time.Second)
	if until, _ := s.LoginLockedUntil(Ctx(), "cb.one", "10.0.0.9"); !until.IsZero() {
		t.Fatalf("still locked at %v: %v", clock, until)
	}
}

func testAuditAppendOnly(t *testing.T, open Opener) {
	s := open(t)
	MustDemo(t, s)
	gp := MustUnit(t, s, "02923", today)
	dc := village(t, s, "Thôn Đông Căm", today)
	u := MustUser(t, s, "cb.one", domain.RoleOfficer, gp.ID)
	a := mustActor(t, s, u)
	if err := s.Audit(Ctx(), a, store.AuditEntry{Action: "reveal", Entity: "resident", EntityID: "7", UnitID: dc.ID, Purpose: "support"}); err != nil {
		t.Fatal(err)
	}
	n, _ := s.CountRows(Ctx(), "audit_log")
	if n < 3 {
		t.Fatalf("audit has %d entries", n)
	}
	for _, q := range []string{"UPDATE audit_log SET login = 'x'", "DELETE FROM audit_log"} {
		if err := s.Exec(Ctx(), q); err == nil {
			t.Fatalf("%s succeeded", q)
		}
	}
	if m, _ := s.CountRows(Ctx(), "audit_log"); m != n {
		t.Fatal("audit changed")
	}
	// Personal values are never in the audit.
	es, _, err := s.AuditEntries(Ctx(), domain.Scope{All: true}, store.AuditFilter{Entity: "user"})
	if err != nil || len(es) == 0 {
		t.Fatalf("entries %v", err)
	}
	for _, e := range es {
		for _, c := range e.Changes {
			if c.Field == "name" && (c.Before != nil || c.After != nil || !c.Changed) {
				t.Fatalf("personal value in audit: %+v", c)
			}
		}
	}
	// Scope: the officer sees the reveal under Đông Căm, another does not.
	mine, _, _ := s.AuditEntries(Ctx(), a.Scope(domain.PermAuditView), store.AuditFilter{Entity: "resident", EntityID: "7"})
	if len(mine) != 1 || mine[0].Purpose != "support" || mine[0].Login != "cb.one" {
		t.Fatalf("officer audit %+v", mine)
	}
	ph := MustUnit(t, s, "02902", today)
	o := mustActor(t, s, MustUser(t, s, "cb.two", domain.RoleOfficer, ph.ID))
	if theirs, _, _ := s.AuditEntries(Ctx(), o.Scope(domain.PermAuditView), store.AuditFilter{Entity: "resident", EntityID: "7"}); len(theirs) != 0 {
		t.Fatal("audit leaked across scopes")
	}
	// The audit survives a reset, which is itself audited.
	if err := s.Reset(Ctx(), domain.CLIActor()); err != nil {
		t.Fatal(err)
	}
	if m, _ := s.CountRows(Ctx(), "audit_log"); m != n+1+2 {
		t.Fatalf("audit after reset %d, want %d", m, n+3)
	}
}
