package storetest

import (
	"reflect"
	"testing"
	"time"

	"thonso/internal/domain"
	"thonso/internal/store"
)

// privacyClock pins the store's clock two days after the demo ends.
func privacyClock(s *store.Store) {
	s.Now = func() time.Time { return time.Date(2026, 11, 2, 3, 0, 0, 0, time.UTC) }
}

func wantErr(t *testing.T, what string, err error, code, key, field string) {
	t.Helper()
	e, _ := domain.AsError(err)
	if e == nil || e.Code != code || e.Key != key || e.Field != field {
		t.Fatalf("%s: got %v (field %q), want %s %s at %q", what, err, func() string {
			if e == nil {
				return ""
			}
			return e.Field
		}(), code, key, field)
	}
}

// testConsents: a member's public phone follows the consents table; bad
// input is refused at its field and changes nothing.
func testConsents(t *testing.T, open Opener) {
	s := open(t)
	MustDemo(t, s)
	privacyClock(s)
	admin := domain.CLIActor()
	dc := village(t, s, "Thôn Đông Căm", today)
	teams, err := s.TeamsOf(Ctx(), dc.ID, today)
	if err != nil || len(teams) == 0 {
		t.Fatalf("teams: %v", err)
	}
	ms, _ := s.Members(Ctx(), teams[0].ID, today)
	var m domain.Member
	for _, x := range ms {
		if x.PublicPhone() != "" {
			m = x
			break
		}
	}
	if m.ID == 0 {
		t.Fatal("no member with a public phone")
	}
	// The demo's members came with their consent recorded.
	cs, err := s.Consents(Ctx(), "member", m.ID)
	if err != nil || len(cs) != 1 || cs[0].Purpose != domain.ConsentPublicPhone || cs[0].GivenOn != m.ConsentOn || !cs[0].InForce(today) {
		t.Fatalf("demo consent: %+v %v", cs, err)
	}
	before := TableCounts(t, s)
	nc, _ := s.CountRows(Ctx(), "consents")
	_, err = s.WithdrawConsent(Ctx(), admin, cs[0].ID, m.ConsentOn.AddDays(-1))
	wantErr(t, "withdrawn before given", err, domain.EINVALID, "consent.withdrawn_before_given", "withdrawn_on")
	_, err = s.WithdrawConsent(Ctx(), admin, cs[0].ID, domain.MustDate("2026-11-03"))
	wantErr(t, "withdrawn tomorrow", err, domain.EINVALID, "consent.withdrawn_future", "withdrawn_on")
	_, err = s.RecordConsent(Ctx(), admin, domain.Consent{SubjectKind: "member", SubjectID: m.ID, Purpose: domain.ConsentPublicPhone, GivenOn: today, How: "zalo"})
	wantErr(t, "second consent in force", err, domain.ECONFLICT, "consent.already", "consent_purpose")
	_, err = s.RecordConsent(Ctx(), admin, domain.Consent{SubjectKind: "resident", SubjectID: 1, Purpose: domain.ConsentPublicPhone, GivenOn: today, How: "zalo"})
	wantErr(t, "resident public_phone", err, domain.EINVALID, "consent.purpose_invalid", "consent_purpose")
	if after, n := TableCounts(t, s), mustCount(t, s, "consents"); !reflect.DeepEqual(before, after) || n != nc {
		t.Fatal("refused consents changed data")
	}
	// Withdrawn today: the phone leaves the village page today.
	if _, err := s.WithdrawConsent(Ctx(), admin, cs[0].ID, domain.MustDate("2026-11-02")); err != nil {
		t.Fatal(err)
	}
	got, _ := s.MemberByID(Ctx(), m.ID)
	if got.PublicPhone() != "" || got.PhonePublic || !got.ConsentOn.IsZero() {
		t.Fatalf("after withdrawal: %+v", got)
	}
	_, err = s.WithdrawConsent(Ctx(), admin, cs[0].ID, domain.MustDate("2026-11-02"))
	wantErr(t, "withdrawn twice", err, domain.ECONFLICT, "consent.already_withdrawn", "withdrawn_on")
	// Given again, by Zalo: back on the page.
	c, err := s.RecordConsent(Ctx(), admin, domain.Consent{SubjectKind: "member", SubjectID: m.ID, Purpose: domain.ConsentPublicPhone, GivenOn: domain.MustDate("2026-11-02"), How: "zalo"})
	if err != nil {
		t.Fatal(err)
	}
	got, _ = s.MemberByID(Ctx(), m.ID)
	if got.PublicPhone() != m.Phone || got.ConsentOn != c.GivenOn {
		t.Fatalf("after consent: %+v", got)
	}
	// A resident's consent to be called.
	rs, _, _ := s.Residents(Ctx(), admin.Scope(domain.PermResidentView), store.ResidentQuery{VillageID: dc.ID, Limit: 1})
	for _, bad := range []struct {
		c          domain.Consent
		key, field string
	}{
		{domain.Consent{Purpose: domain.ConsentContactPhone, How: "phone"}, "consent.given_missing", "given_on"},
		{domain.Consent{Purpose: domain.ConsentContactPhone, GivenOn: domain.MustDate("2026-12-01"), How: "phone"}, "consent.given_future", "given_on"},
		{domain.Consent{Purpose: domain.ConsentContactPhone, GivenOn: today, How: "fax"}, "consent.how_invalid", "how"},
	} {
		bad.c.SubjectKind, bad.c.SubjectID = "resident", rs[0].ID
		_, err := s.RecordConsent(Ctx(), admin, bad.c)
		wantErr(t, bad.key, err, domain.EINVALID, bad.key, bad.field)
	}
	rc, err := s.RecordConsent(Ctx(), admin, domain.Consent{SubjectKind: "resident", SubjectID: rs[0].ID, Purpose: domain.ConsentContactPhone, GivenOn: today, How: "paper_form", Note: "phiếu số 12"})
	if err != nil || rc.UnitID != dc.ID {
		t.Fatalf("resident consent: %+v %v", rc, err)
	}
	// Someone of another village cannot record it.
	other := village(t, s, "Thôn Cóc Tủm", today)
	u := mustActor(t, s, MustUser(t, s, "to-truong-coc-tum", domain.RoleTeamLeader, other.ID))
	_, err = s.RecordConsent(Ctx(), u, domain.Consent{SubjectKind: "resident", SubjectID: rs[0].ID, Purpose: domain.ConsentContactPhone, GivenOn: today, How: "phone"})
	if domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("other village: %v", err)
	}
}

func mustCount(t testing.TB, s *store.Store, table string) int {
	t.Helper()
	n, err := s.CountRows(Ctx(), table)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// testSubjectRequests: due two working days ahead across weekends and
// days off; refusal needs a reason; scope; a "delete" done anonymises the
// resident and leaves every figure as it was.
func testSubjectRequests(t *testing.T, open Opener) {
	s := open(t)
	MustDemo(t, s)
	privacyClock(s)
	admin := domain.CLIActor()
	for recv, due := range map[string]string{
		"2025-04-29": "2025-05-06", // 30/4, 1/5 and 2/5 (for Saturday 26/4) off, then a weekend
		"2025-11-07": "2025-11-11", // a Friday: the weekend is skipped
		"2025-11-10": "2025-11-12", // an ordinary Monday
		"2026-02-13": "2026-02-24", // the Friday before Tết Bính Ngọ
	} {
		got, err := s.RequestDueOn(Ctx(), domain.MustDate(recv))
		if err != nil || got != domain.MustDate(due) {
			t.Errorf("received %s: due %s (%v), want %s", recv, got, err, due)
		}
	}
	dc := village(t, s, "Thôn Đông Căm", today)
	ds, err := s.Dossiers(Ctx(), admin.Scope(domain.PermDossierEdit), store.DossierQuery{VillageID: dc.ID, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var person int64
	for _, d := range ds {
		if d.ApplicantID != 0 && !d.Practice {
			person = d.ApplicantID
			break
		}
	}
	if person == 0 {
		t.Fatal("no applicant in Đông Căm")
	}
	leader := mustActor(t, s, MustUser(t, s, "to-truong-dong-cam", domain.RoleTeamLeader, dc.ID))
	member := mustActor(t, s, MustUser(t, s, "to-vien-dong-cam", domain.RoleMember, dc.ID))
	before := mustCount(t, s, "subject_requests")
	_, err = s.CreateSubjectRequest(Ctx(), leader, domain.SubjectRequest{ResidentID: person, Kind: "forget", ReceivedOn: today})
	wantErr(t, "kind", err, domain.EINVALID, "request.kind_invalid", "kind")
	_, err = s.CreateSubjectRequest(Ctx(), leader, domain.SubjectRequest{ResidentID: person, Kind: "see"})
	wantErr(t, "no date", err, domain.EINVALID, "request.received_missing", "received_on")
	_, err = s.CreateSubjectRequest(Ctx(), leader, domain.SubjectRequest{ResidentID: person, Kind: "see", ReceivedOn: domain.MustDate("2026-11-05")})
	wantErr(t, "future", err, domain.EINVALID, "request.received_future", "received_on")
	if _, err := s.CreateSubjectRequest(Ctx(), member, domain.SubjectRequest{ResidentID: person, Kind: "see", ReceivedOn: today}); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("a member without resident:view_pii: %v", err)
	}
	if n := mustCount(t, s, "subject_requests"); n != before {
		t.Fatal("refused requests were stored")
	}
	see, err := s.CreateSubjectRequest(Ctx(), leader, domain.SubjectRequest{ResidentID: person, Kind: "see", ReceivedOn: domain.MustDate("2026-10-29")})
	if err != nil || see.DueOn != domain.MustDate("2026-11-02") || see.State != "received" {
		t.Fatalf("see: %+v %v", see, err)
	}
	late, err := s.CreateSubjectRequest(Ctx(), leader, domain.SubjectRequest{ResidentID: person, Kind: "correct", ReceivedOn: domain.MustDate("2026-10-27")})
	if err != nil || !late.Overdue(domain.DateOf(s.Now())) || see.Overdue(domain.DateOf(s.Now())) {
		t.Fatalf("overdue: %+v %v", late, err)
	}
	list, err := s.SubjectRequests(Ctx(), leader.Scope(domain.PermResidentViewPII), store.RequestQuery{})
	if err != nil || len(list) != 2 || list[0].ID != late.ID {
		t.Fatalf("register: %+v %v", list, err)
	}
	other := mustActor(t, s, MustUser(t, s, "to-truong-coc-tum", domain.RoleTeamLeader, village(t, s, "Thôn Cóc Tủm", today).ID))
	if l, _ := s.SubjectRequests(Ctx(), other.Scope(domain.PermResidentViewPII), store.RequestQuery{}); len(l) != 0 {
		t.Fatalf("another village sees %d requests", len(l))
	}
	_, err = s.CloseSubjectRequest(Ctx(), leader, store.CloseRequest{ID: late.ID, Version: 1, State: "refused", Reason: "  "})
	wantErr(t, "no reason", err, domain.EINVALID, "request.reason_missing", "reason")
	if q, err := s.CloseSubjectRequest(Ctx(), leader, store.CloseRequest{ID: late.ID, Version: 1, State: "refused", Reason: "Không xác minh được người yêu cầu"}); err != nil || q.State != "refused" || q.ClosedOn.IsZero() {
		t.Fatalf("refuse: %+v %v", q, err)
	}
	_, err = s.CloseSubjectRequest(Ctx(), leader, store.CloseRequest{ID: late.ID, Version: 2, State: "done"})
	wantErr(t, "closed twice", err, domain.ECONFLICT, "request.closed", "state")

	// See: everything held about the person.
	data, err := s.SubjectDataOf(Ctx(), leader, person)
	if err != nil || len(data.Dossiers) == 0 || len(data.Requests) != 2 || data.Household.ID == 0 || data.Village.ID != dc.ID {
		t.Fatalf("subject data: %+v %v", data, err)
	}

	// Delete: the figures of the village, commune and district are the
	// same before and after, on the report's day and today.
	gp := MustUnit(t, s, "02923", today)
	bt := MustUnit(t, s, "086", oct2024)
	type fig struct {
		unit int64
		at   domain.Date
	}
	figs := []fig{{dc.ID, today}, {dc.ID, oct2024}, {gp.ID, today}, {bt.ID, oct2024}}
	statsOf := func() []store.UnitStats {
		var out []store.UnitStats
		for _, f := range figs {
			st, err := s.Stats(Ctx(), f.unit, f.at, false)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, st)
		}
		return out
	}
	figuresBefore, _ := s.Figures(Ctx(), dc.ID, today)
	statsBefore := statsOf()
	del, err := s.CreateSubjectRequest(Ctx(), leader, domain.SubjectRequest{ResidentID: person, Kind: "delete", ReceivedOn: today})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CloseSubjectRequest(Ctx(), leader, store.CloseRequest{ID: del.ID, Version: 1, State: "done"}); err != nil {
		t.Fatal(err)
	}
	r, _ := s.Resident(Ctx(), admin.Scope(domain.PermResidentView), person)
	if r.FullName != domain.ErasedName(person) || r.Phone != "" || r.CCCD != "" || r.ErasedOn.IsZero() {
		t.Fatalf("anonymised: %+v", r)
	}
	data, _ = s.SubjectDataOf(Ctx(), leader, person)
	for _, d := range data.Dossiers {
		if d.ApplicantName != domain.ErasedName(person) || d.Phone != "" || d.SubjectName != "" {
			t.Fatalf("dossier kept personal data: %+v", d)
		}
	}
	if found, _, _ := s.Residents(Ctx(), admin.Scope(domain.PermResidentView), store.ResidentQuery{VillageID: dc.ID, Q: data.Resident.FullName}); len(found) != 1 {
		t.Fatalf("search by the erased name: %d", len(found))
	}
	figuresAfter, _ := s.Figures(Ctx(), dc.ID, today)
	if !reflect.DeepEqual(figuresBefore, figuresAfter) || !reflect.DeepEqual(statsBefore, statsOf()) {
		t.Fatalf("figures changed by anonymising:\n%+v\n%+v", figuresBefore, figuresAfter)
	}
	if err := s.AnonymiseResident(Ctx(), leader, person); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("anonymised twice: %v", err)
	}
	entries, _, _ := s.AuditEntries(Ctx(), domain.Scope{All: true}, store.AuditFilter{Entity: "subject_request", Limit: 50})
	if len(entries) != 5 { // see, correct and delete received; correct refused; delete done
		t.Errorf("%d audit entries of requests, want 5", len(entries))
	}
}

// testRetention: practice-dossier details and session logs older than N
// years go; counts of practice dossiers stay; one audit entry.
func testRetention(t *testing.T, open Opener) {
	s := open(t)
	MustDemo(t, s)
	privacyClock(s)
	admin := domain.CLIActor()
	if _, err := s.ApplyRetention(Ctx(), admin, 0); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("0 years: %v", err)
	}
	bt := MustUnit(t, s, "086", oct2024)
	countBefore, _ := s.CountDossiers(Ctx(), bt.ID, oct2024, false)
	logsBefore := mustCount(t, s, "session_logs")
	dc := village(t, s, "Thôn Đông Căm", today)
	ds, _ := s.Dossiers(Ctx(), admin.Scope(domain.PermDossierEdit), store.DossierQuery{VillageID: dc.ID, Limit: 1000})
	var oldPractice, resident domain.Dossier
	for _, d := range ds {
		if d.Practice && d.ReceivedOn.Before(domain.MustDate("2024-11-02")) && oldPractice.ID == 0 {
			oldPractice = d
		}
		if !d.Practice && d.ApplicantName != "" && d.ReceivedOn.Before(domain.MustDate("2024-11-02")) && resident.ID == 0 {
			resident = d
		}
	}
	if oldPractice.ID == 0 || resident.ID == 0 || oldPractice.ApplicantName == "" {
		t.Fatalf("demo practice dossiers: %+v %+v", oldPractice, resident)
	}
	res, err := s.ApplyRetention(Ctx(), admin, 2)
	if err != nil || res.Cutoff != domain.MustDate("2024-11-02") || res.PracticeDossiers == 0 || res.SessionLogs == 0 {
		t.Fatalf("retention: %+v %v", res, err)
	}
	if n := mustCount(t, s, "session_logs"); n != logsBefore-res.SessionLogs {
		t.Fatalf("session logs %d → %d, removed %d", logsBefore, n, res.SessionLogs)
	}
	d, _ := s.Dossier(Ctx(), admin.Scope(domain.PermDossierEdit), oldPractice.ID)
	if d.ApplicantName != "" || d.ApplicantPhone != "" || d.PortalCode != "" || d.ApplicantID != 0 || d.ReceivedOn != oldPractice.ReceivedOn {
		t.Fatalf("old practice dossier kept details: %+v", d)
	}
	if d, _ := s.Dossier(Ctx(), admin.Scope(domain.PermDossierEdit), resident.ID); d.ApplicantName != resident.ApplicantName {
		t.Fatalf("a residents' dossier lost details: %+v", d)
	}
	if countAfter, _ := s.CountDossiers(Ctx(), bt.ID, oct2024, false); countAfter != countBefore {
		t.Fatalf("counts changed: %+v → %+v", countBefore, countAfter)
	}
	again, err := s.ApplyRetention(Ctx(), admin, 2)
	if err != nil || again.PracticeDossiers != 0 || again.SessionLogs != 0 {
		t.Fatalf("second run: %+v %v", again, err)
	}
	entries, _, _ := s.AuditEntries(Ctx(), domain.Scope{All: true}, store.AuditFilter{Entity: "database", Limit: 10})
	n := 0
	for _, e := range entries {
		if e.Action == "retention" {
			n++
		}
	}
	if n != 2 {
		t.Fatalf("%d retention audit entries, want 2", n)
	}
}
