package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"thonso/internal/demo"
	"thonso/internal/domain"
	"thonso/internal/i18n"
	"thonso/internal/store"
	"thonso/internal/web"
)

// The roles of the matrix: each demo account, an officer of another
// commune (outside the records' scope), and nobody.
var matrixRoles = []string{"anon", "admin", "officer", "officer_out", "leader", "member", "viewer"}

var roleLogin = map[string]string{"admin": "quantri", "officer": "canbo.giaphu", "officer_out": "canbo.phonghai",
	"leader": "totruong.dongcam", "member": "thanhvien.dongcam", "viewer": "xem.laocai"}

// fixture is a demo database made once and copied for each case, so that
// a case that changes data cannot affect another.
type fixture struct {
	path        string
	memberID    int64
	grantID     int64
	tokenID     int64
	householdID int64
	residentID  int64
	editForm    url.Values // the resident's current values, as its edit form posts them
	uploadID    int64      // a spreadsheet the administrator uploaded (only they see it)
	trainingID  int64      // a training of Đông Căm's team with nobody named yet
	// Assessments of Đông Căm: a decided one of the demo, and a draft with
	// one entered value and its evidence.
	pastID, draftID, enteredID, computedID, evidenceID, setID int64
	draftVersion                                              int
	teamID                                                    int64 // Đông Căm's team
	teamMember                                                int64 // one of its members
	slotID                                                    int64 // one of its slots
	dossier                                                   domain.Dossier
	wifiID                                                    int64 // one of Đông Căm's Wi-Fi points
	exportID                                                  int64 // a finished export of the administrator's (only they see it)
	consentID                                                 int64 // the resident's consent to be phoned
	requestID                                                 int64 // the resident's "see" request, open
}

var (
	fixOnce sync.Once
	fix     fixture
	fixErr  error
)

func buildFixture(dir string) (fixture, error) {
	ctx := context.Background()
	path := filepath.Join(dir, "fixture.db")
	s, err := store.Open(ctx, "sqlite:"+path)
	if err != nil {
		return fixture{}, err
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		return fixture{}, err
	}
	if _, err := demo.Load(ctx, s); err != nil {
		return fixture{}, err
	}
	ph, err := s.UnitAt(ctx, "02902", demo.End)
	if err != nil {
		return fixture{}, err
	}
	if _, err := s.CreateUser(ctx, domain.CLIActor(), store.NewUser{Login: "canbo.phonghai", Name: "Cán bộ Phong Hải", PasswordHash: "x"}, domain.RoleOfficer, ph.ID); err != nil {
		return fixture{}, err
	}
	m, _, err := s.Credentials(ctx, "thanhvien.dongcam")
	if err != nil {
		return fixture{}, err
	}
	gs, err := s.Grants(ctx, m.ID)
	if err != nil {
		return fixture{}, err
	}
	adm, _, _ := s.Credentials(ctx, "quantri")
	_, tok, err := s.CreateToken(ctx, domain.CLIActor(), adm.ID, "matrix", 0)
	if err != nil {
		return fixture{}, err
	}
	dc, err := s.UnitAt(ctx, "T000001", demo.End)
	if err != nil {
		return fixture{}, err
	}
	hs, err := s.Households(ctx, domain.Scope{All: true}, dc.ID)
	if err != nil {
		return fixture{}, err
	}
	rs, _, err := s.Residents(ctx, domain.Scope{All: true}, store.ResidentQuery{HouseholdID: hs[0].ID})
	if err != nil {
		return fixture{}, err
	}
	r := rs[0]
	edit := url.Values{"full_name": {r.FullName}, "birth": {r.BirthText()}, "sex": {string(r.Sex)}, "relation": {string(r.Relation)},
		"phone": {r.Phone}, "cccd": {r.CCCD}, "version": {strconv.Itoa(r.Version)}}
	upID, err := s.SaveUpload(ctx, &domain.Actor{User: adm}, store.Upload{Kind: "residents", Name: "ds.csv", VillageID: dc.ID,
		Data: []byte("Họ và tên,Ngày sinh,Giới tính,Số hộ\nLò Văn Mới,1990,Nam,M-1\n")})
	if err != nil {
		return fixture{}, err
	}
	teams, err := s.TeamsOf(ctx, dc.ID, demo.End)
	if err != nil || len(teams) == 0 {
		return fixture{}, fmt.Errorf("no team: %v", err)
	}
	tms, err := s.Members(ctx, teams[0].ID, demo.End)
	if err != nil {
		return fixture{}, err
	}
	slots, err := s.Slots(ctx, teams[0].ID)
	if err != nil || len(slots) == 0 {
		return fixture{}, fmt.Errorf("no slot: %v", err)
	}
	ds, err := s.Dossiers(ctx, domain.Scope{All: true}, store.DossierQuery{VillageID: dc.ID, Limit: 1})
	if err != nil || len(ds) == 0 {
		return fixture{}, fmt.Errorf("no dossier: %v", err)
	}
	tr, err := s.WithClock(func() time.Time { return time.Date(2026, 10, 31, 3, 0, 0, 0, time.UTC) }).AddTraining(ctx, domain.CLIActor(),
		store.Training{TeamID: teams[0].ID, On: domain.MustDate("2026-10-20"), Topic: "Cài đặt VNeID", HandsOn: true})
	if err != nil {
		return fixture{}, err
	}
	clock := s.WithClock(func() time.Time { return time.Date(2026, 10, 31, 3, 0, 0, 0, time.UTC) })
	past, err := s.Assessments(ctx, dc.ID)
	if err != nil || len(past) == 0 {
		return fixture{}, fmt.Errorf("no assessment: %v", err)
	}
	draft, err := clock.Assess(ctx, domain.CLIActor(), dc.ID, domain.MustDate("2025-06-30"), false)
	if err != nil {
		return fixture{}, err
	}
	set, _ := s.Set(ctx, draft.SetID)
	var entered, computed int64
	for _, in := range set.Indicators {
		if in.Source == domain.SourceEntered && entered == 0 {
			entered = in.ID
		}
		if in.Computation == "account_rate_14" {
			computed = in.ID
		}
	}
	draft, err = clock.EnterValue(ctx, domain.CLIActor(), store.Entry{AssessmentID: draft.ID, IndicatorID: entered, Version: draft.Version, Value: 1,
		Evidence: &store.Evidence{Name: "bb.pdf", Data: []byte("%PDF-1.4\n% biên bản\n")}})
	if err != nil {
		return fixture{}, err
	}
	wifi, err := s.WifiPoints(ctx, dc.ID, demo.End)
	if err != nil || len(wifi) == 0 {
		return fixture{}, fmt.Errorf("no wifi: %v", err)
	}
	job, err := s.QueueExport(ctx, &domain.Actor{User: adm}, store.ExportJob{UnitID: dc.ID, UnitCode: dc.Code, UnitName: dc.Name,
		At: domain.MustDate("2024-10-31"), Format: "csv", Lang: "vi"})
	if err != nil {
		return fixture{}, err
	}
	if err := s.FinishExport(ctx, job.ID, "bao-cao-T000001-2024-10-31.csv", []byte("\ufeffSTT\r\n"), ""); err != nil {
		return fixture{}, err
	}
	consent, err := s.RecordConsent(ctx, domain.CLIActor(), domain.Consent{SubjectKind: "resident", SubjectID: r.ID, Purpose: domain.ConsentContactPhone,
		GivenOn: domain.MustDate("2026-10-01"), How: "paper_form"})
	if err != nil {
		return fixture{}, err
	}
	req, err := s.CreateSubjectRequest(ctx, domain.CLIActor(), domain.SubjectRequest{ResidentID: r.ID, Kind: domain.RequestSee, ReceivedOn: domain.MustDate("2026-10-30")})
	if err != nil {
		return fixture{}, err
	}
	// Checkpoint the WAL so that copying the main file copies everything.
	if err := s.Exec(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		return fixture{}, err
	}
	return fixture{path: path, memberID: m.ID, grantID: gs[0].ID, tokenID: tok.ID, householdID: hs[0].ID, residentID: r.ID, editForm: edit, uploadID: upID, teamID: teams[0].ID, teamMember: tms[0].ID, slotID: slots[0].ID, dossier: ds[0], trainingID: tr.ID,
		pastID: past[0].ID, draftID: draft.ID, draftVersion: draft.Version, enteredID: entered, computedID: computed, evidenceID: draft.Values[entered].EvidenceID, setID: set.ID, wifiID: wifi[0].ID, exportID: job.ID,
		consentID: consent.ID, requestID: req.ID}, nil
}

type matrixServer struct {
	srv   *httptest.Server
	store *store.Store
	css   string
}

func newMatrixServer(t *testing.T) matrixServer {
	t.Helper()
	fixOnce.Do(func() {
		dir, err := os.MkdirTemp("", "thonso-matrix")
		if err != nil {
			fixErr = err
			return
		}
		fix, fixErr = buildFixture(dir)
	})
	if fixErr != nil {
		t.Fatal(fixErr)
	}
	b, err := os.ReadFile(fix.path)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "case.db")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(context.Background(), "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	cat, _ := i18n.Load()
	w, err := web.New(&web.Server{Store: s, Cat: cat, Demo: true, Now: func() time.Time { return time.Date(2026, 10, 31, 3, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(w.Handler(nil))
	t.Cleanup(srv.Close)
	res, _ := srv.Client().Get(srv.URL + "/")
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	i := strings.Index(string(body), `/static/app.`)
	css := string(body)[i : i+strings.Index(string(body)[i:], `"`)]
	return matrixServer{srv: srv, store: s, css: css}
}

// as makes a request as a role: a session made in the store (the login
// form is tested on its own), and the CSRF cookie and field.
func (m matrixServer) as(t *testing.T, role, method, path string, form url.Values) (int, string) {
	t.Helper()
	var body io.Reader
	if form == nil {
		form = url.Values{}
	}
	form.Set("csrf", "matrix-csrf-token-0123456789")
	if method == "POST" {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, m.srv.URL+path, body)
	if method == "POST" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.AddCookie(&http.Cookie{Name: "thonso_csrf", Value: "matrix-csrf-token-0123456789"})
	if role != "anon" {
		u, _, err := m.store.Credentials(context.Background(), roleLogin[role])
		if err != nil {
			t.Fatalf("%s: %v", role, err)
		}
		a, _ := m.store.Actor(context.Background(), u, "127.0.0.1", "web")
		secret, err := m.store.CreateSession(context.Background(), a, "matrix")
		if err != nil {
			t.Fatal(err)
		}
		req.AddCookie(&http.Cookie{Name: "thonso_session", Value: secret})
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("Location") + string(b)
}

type matrixRow struct {
	method, pattern string
	path            func(fixture, matrixServer) string
	form            url.Values
	want            map[string]int // by role; "*" for the rest
}

// formsOf gives the rows whose form depends on the fixture their form.
var formsOf = map[string]func(fixture) url.Values{
	"POST /residents/{id}": func(f fixture) url.Values { return f.editForm },
	"POST /assessments/{id}/values/{indicator}": func(f fixture) url.Values {
		return url.Values{"value": {"2"}, "version": {strconv.Itoa(f.draftVersion)}}
	},
	"POST /assessments/{id}/review": func(f fixture) url.Values {
		return url.Values{"action": {"submit"}, "version": {strconv.Itoa(f.draftVersion)}}
	},
	"POST /trainings/{id}/residents": func(f fixture) url.Values { return url.Values{"residents": {strconv.FormatInt(f.residentID, 10)}} },
	"POST /dossiers/{id}/documents": func(f fixture) url.Values {
		return url.Values{"version": {strconv.Itoa(f.dossier.Version)}}
	},
	"POST /dossiers/{id}/steps": func(f fixture) url.Values {
		return url.Values{"action": {"void"}, "on": {"31/10/2026"}, "note": {"Nhập nhầm"}, "version": {strconv.Itoa(f.dossier.Version)}}
	},
}

func fixed(p string) func(fixture, matrixServer) string {
	return func(fixture, matrixServer) string { return p }
}

func all(code int) map[string]int { return map[string]int{"*": code} }

// staff: anonymous → login page; user:manage or audit:view holders get ok
// (out-of-scope officers get outOfScope); everyone else 403.
func staff(ok, outOfScope int) map[string]int {
	return map[string]int{"anon": 303, "admin": ok, "officer": ok, "officer_out": outOfScope, "*": 403}
}

// reports: report:view holders over the village (everyone but an officer
// elsewhere) reach it.
func reports(code int) map[string]int {
	return map[string]int{"anon": 303, "officer_out": 404, "*": code}
}

func loggedIn(code int) map[string]int { return map[string]int{"anon": 303, "*": code} }

// village: the Đông Căm team and the Gia Phú officer reach it; an officer
// elsewhere gets 404; a viewer lacks the permission.
func village(code int) map[string]int {
	return map[string]int{"anon": 303, "admin": code, "officer": code, "officer_out": 404, "leader": code, "member": code, "viewer": 403}
}

// team: team:manage holders of the village (its leader, the commune's
// officer, the administrator) may; a member lacks the permission; an
// officer elsewhere gets 404.
func team(code int) map[string]int {
	return map[string]int{"anon": 303, "admin": code, "officer": code, "officer_out": 404, "leader": code, "member": 403, "viewer": 403}
}

// pii: resident:view_pii holders of the village (officers, the team
// leader) may; a member and a viewer lack it; an officer elsewhere gets 404.
func pii(code int) map[string]int {
	return map[string]int{"anon": 303, "admin": code, "officer": code, "officer_out": 404, "leader": code, "member": 403, "viewer": 403}
}

func req(f fixture, suffix string) string {
	return "/requests/" + strconv.FormatInt(f.requestID, 10) + suffix
}

func hh(f fixture, suffix string) string {
	return "/households/" + strconv.FormatInt(f.householdID, 10) + suffix
}
func rsd(f fixture, suffix string) string {
	return "/residents/" + strconv.FormatInt(f.residentID, 10) + suffix
}

var matrix = []matrixRow{
	{"GET", "/healthz", fixed("/healthz"), nil, all(200)},
	{"GET", "/readyz", fixed("/readyz"), nil, all(200)},
	{"GET", "/metrics", fixed("/metrics"), nil, all(200)},
	{"GET", "/static/{file}", func(_ fixture, m matrixServer) string { return m.css }, nil, all(200)},
	{"GET", "/lang/{lang}", fixed("/lang/en?next=/"), nil, all(303)},
	{"GET", "/{$}", fixed("/"), nil, all(200)},
	{"GET", "/units", fixed("/units?q=gia+phu"), nil, all(200)},
	{"GET", "/units/{code}", fixed("/units/02923"), nil, all(200)},
	{"GET", "/login", fixed("/login"), nil, map[string]int{"anon": 200, "*": 303}},
	{"POST", "/login", fixed("/login"), url.Values{"login": {"quantri"}, "password": {"sai-mat-khau"}}, all(422)},
	{"POST", "/logout", fixed("/logout"), nil, all(303)},
	{"POST", "/logout-all", fixed("/logout-all"), nil, all(303)},
	{"GET", "/me", fixed("/me"), nil, loggedIn(200)},
	{"GET", "/me/password", fixed("/me/password"), nil, loggedIn(200)},
	{"POST", "/me/password", fixed("/me/password"), url.Values{"current": {"sai"}, "password": {"mat-khau-moi-1"}, "again": {"mat-khau-moi-1"}}, loggedIn(422)},
	{"POST", "/me/tokens", fixed("/me/tokens"), url.Values{"name": {"thử"}}, loggedIn(200)},
	{"POST", "/me/tokens/{id}/revoke", func(f fixture, _ matrixServer) string {
		return "/me/tokens/" + strconv.FormatInt(f.tokenID, 10) + "/revoke"
	}, nil,
		map[string]int{"anon": 303, "admin": 303, "*": 404}},
	{"GET", "/users", fixed("/users"), nil, staff(200, 200)},
	{"GET", "/users/new", fixed("/users/new"), nil, staff(200, 200)},
	{"POST", "/users", fixed("/users"), url.Values{"login": {"moi.thanhvien"}, "name": {"Người Mới"}, "role": {"member"}, "unit": {"T000001"}, "password": {"mat-khau-ban-dau"}},
		staff(303, 422)},
	{"GET", "/users/{id}", func(f fixture, _ matrixServer) string { return "/users/" + strconv.FormatInt(f.memberID, 10) }, nil, staff(200, 404)},
	{"POST", "/users/{id}/grants", func(f fixture, _ matrixServer) string {
		return "/users/" + strconv.FormatInt(f.memberID, 10) + "/grants"
	},
		url.Values{"role": {"viewer"}, "unit": {"T000001"}}, staff(303, 404)},
	{"POST", "/users/{id}/grants/{gid}/revoke", func(f fixture, _ matrixServer) string {
		return "/users/" + strconv.FormatInt(f.memberID, 10) + "/grants/" + strconv.FormatInt(f.grantID, 10) + "/revoke"
	}, nil, staff(303, 404)},
	{"POST", "/users/{id}/grants/{gid}/keep", func(f fixture, _ matrixServer) string {
		return "/users/" + strconv.FormatInt(f.memberID, 10) + "/grants/" + strconv.FormatInt(f.grantID, 10) + "/keep"
	}, nil, staff(303, 404)},
	{"POST", "/users/{id}/password", func(f fixture, _ matrixServer) string {
		return "/users/" + strconv.FormatInt(f.memberID, 10) + "/password"
	},
		url.Values{"password": {"mat-khau-dat-lai"}}, staff(303, 404)},
	{"GET", "/villages/{code}/residents", fixed("/villages/T000001/residents"), nil, village(200)},
	{"GET", "/villages/{code}/households/new", fixed("/villages/dong-cam/households/new"), nil, village(200)},
	{"POST", "/villages/{code}/households", fixed("/villages/T000001/households"), url.Values{"number": {"999"}}, village(303)},
	{"GET", "/households/{id}", func(f fixture, _ matrixServer) string { return hh(f, "") }, nil, village(200)},
	{"POST", "/households/{id}", func(f fixture, _ matrixServer) string { return hh(f, "") }, url.Values{"number": {"1"}, "hamlet": {"Xóm 9"}, "version": {"1"}}, village(303)},
	{"GET", "/households/{id}/residents/new", func(f fixture, _ matrixServer) string { return hh(f, "/residents/new") }, nil, village(200)},
	{"POST", "/households/{id}/residents", func(f fixture, _ matrixServer) string { return hh(f, "/residents") },
		url.Values{"full_name": {"Hoàng Văn Mới"}, "birth": {"2001"}, "sex": {"male"}, "relation": {"con"}}, village(303)},
	{"GET", "/residents/{id}", func(f fixture, _ matrixServer) string { return rsd(f, "") }, nil, village(200)},
	{"POST", "/residents/{id}/reveal", func(f fixture, _ matrixServer) string { return rsd(f, "/reveal") }, url.Values{"purpose": {"support"}},
		map[string]int{"anon": 303, "admin": 200, "officer": 200, "officer_out": 404, "leader": 200, "member": 403, "viewer": 403}},
	{"GET", "/residents/{id}/edit", func(f fixture, _ matrixServer) string { return rsd(f, "/edit") }, nil, village(200)},
	{"POST", "/residents/{id}/consents", func(f fixture, _ matrixServer) string { return rsd(f, "/consents") },
		url.Values{"given_on": {"30/10/2026"}, "how": {"phone"}}, village(422)}, // one is in force already: refused beside the field
	{"POST", "/residents/{id}/consents/{cid}/withdraw", func(f fixture, _ matrixServer) string {
		return rsd(f, "/consents/"+strconv.FormatInt(f.consentID, 10)+"/withdraw")
	}, url.Values{"withdrawn_on": {"31/10/2026"}}, village(303)},
	{"POST", "/residents/{id}/requests", func(f fixture, _ matrixServer) string { return rsd(f, "/requests") },
		url.Values{"kind": {"correct"}, "received_on": {"30/10/2026"}}, pii(303)},
	{"GET", "/requests", fixed("/requests"), nil, map[string]int{"anon": 303, "admin": 200, "officer": 200, "officer_out": 200, "leader": 200, "member": 403, "viewer": 403}},
	{"GET", "/requests/{id}", func(f fixture, _ matrixServer) string { return req(f, "") }, nil, pii(200)},
	{"POST", "/requests/{id}/close", func(f fixture, _ matrixServer) string { return req(f, "/close") },
		url.Values{"state": {"refused"}, "reason": {"Không xác minh được người yêu cầu"}, "version": {"1"}}, pii(303)},
	{"GET", "/requests/{id}/{file}", func(f fixture, _ matrixServer) string { return req(f, "/data.json") }, nil, pii(200)},
	{"POST", "/residents/{id}", func(f fixture, _ matrixServer) string { return rsd(f, "") }, nil, village(303)},
	{"GET", "/import/residents", fixed("/import/residents"), nil, map[string]int{"anon": 303, "viewer": 403, "*": 200}},
	{"GET", "/import/residents/template.xlsx", fixed("/import/residents/template.xlsx"), nil, map[string]int{"anon": 303, "viewer": 403, "*": 200}},
	{"POST", "/import/residents", fixed("/import/residents"), url.Values{"village": {"T000001"}}, map[string]int{"anon": 303, "viewer": 403, "*": 422}},
	{"GET", "/import/residents/{id}", func(f fixture, _ matrixServer) string {
		return "/import/residents/" + strconv.FormatInt(f.uploadID, 10)
	}, nil,
		map[string]int{"anon": 303, "viewer": 403, "admin": 200, "*": 404}},
	{"POST", "/import/residents/{id}/apply", func(f fixture, _ matrixServer) string {
		return "/import/residents/" + strconv.FormatInt(f.uploadID, 10) + "/apply"
	}, nil,
		map[string]int{"anon": 303, "viewer": 403, "admin": 303, "*": 404}},
	{"GET", "/import/residents/{id}/rejected.xlsx", func(f fixture, _ matrixServer) string {
		return "/import/residents/" + strconv.FormatInt(f.uploadID, 10) + "/rejected.xlsx?purpose=verify"
	}, nil, map[string]int{"anon": 303, "viewer": 403, "admin": 200, "*": 404}},
	{"GET", "/teams/{id}", func(f fixture, _ matrixServer) string { return "/teams/" + strconv.FormatInt(f.teamID, 10) }, nil, all(200)},
	{"GET", "/lich/{file}", fixed("/lich/khong-co-lich.ics"), nil, all(404)},
	{"POST", "/teams/{id}/members", func(f fixture, _ matrixServer) string {
		return "/teams/" + strconv.FormatInt(f.teamID, 10) + "/members"
	},
		url.Values{"full_name": {"Thành Viên Mới"}, "role": {"member"}, "joined_on": {"01/10/2026"}}, team(303)},
	{"POST", "/teams/{id}/slots", func(f fixture, _ matrixServer) string { return "/teams/" + strconv.FormatInt(f.teamID, 10) + "/slots" },
		url.Values{"weekday": {"6"}, "start": {"08:00"}, "end": {"10:00"}, "valid_from": {"01/10/2026"}}, team(303)},
	{"POST", "/teams/{id}/exceptions", func(f fixture, _ matrixServer) string {
		return "/teams/" + strconv.FormatInt(f.teamID, 10) + "/exceptions"
	},
		url.Values{"kind": {"cancel"}, "on": {"02/11/2026"}, "reason": {"Họp thôn"}}, team(303)},
	{"POST", "/teams/{id}/members/{mid}/consent", func(f fixture, _ matrixServer) string {
		return "/teams/" + strconv.FormatInt(f.teamID, 10) + "/members/" + strconv.FormatInt(f.teamMember, 10) + "/consent"
	}, url.Values{"given_on": {"30/10/2026"}, "how": {"zalo"}}, team(422)}, // the leader's consent is in force already
	{"POST", "/teams/{id}/members/{mid}/consent/withdraw", func(f fixture, _ matrixServer) string {
		return "/teams/" + strconv.FormatInt(f.teamID, 10) + "/members/" + strconv.FormatInt(f.teamMember, 10) + "/consent/withdraw"
	}, url.Values{"withdrawn_on": {"31/10/2026"}}, team(303)},
	{"POST", "/teams/{id}/members/{mid}/feed", func(f fixture, _ matrixServer) string {
		return "/teams/" + strconv.FormatInt(f.teamID, 10) + "/members/" + strconv.FormatInt(f.teamMember, 10) + "/feed"
	}, nil, team(200)},
	{"POST", "/teams/{id}/slots/{sid}/roster", func(f fixture, _ matrixServer) string {
		return "/teams/" + strconv.FormatInt(f.teamID, 10) + "/slots/" + strconv.FormatInt(f.slotID, 10) + "/roster"
	}, url.Values{"members": {"1"}}, team(303)},
	{"POST", "/teams/{id}/logs", func(f fixture, _ matrixServer) string { return "/teams/" + strconv.FormatInt(f.teamID, 10) + "/logs" },
		url.Values{"log_on": {"28/10/2026"}, "residents_helped": {"4"}}, team(303)},
	{"POST", "/teams/{id}/trainings", func(f fixture, _ matrixServer) string {
		return "/teams/" + strconv.FormatInt(f.teamID, 10) + "/trainings"
	},
		url.Values{"training_on": {"20/10/2026"}, "topic": {"Cài đặt VNeID"}, "residents_trained": {"12"}}, team(303)},
	{"POST", "/teams/{id}/announcements", func(f fixture, _ matrixServer) string {
		return "/teams/" + strconv.FormatInt(f.teamID, 10) + "/announcements"
	},
		url.Values{"body": {"Lịch trực tuần này"}, "channels": {"zalo"}, "used_on": {"27/10/2026"}}, team(303)},
	{"GET", "/trainings/{id}", func(f fixture, _ matrixServer) string { return "/trainings/" + strconv.FormatInt(f.trainingID, 10) }, nil, team(200)},
	{"POST", "/trainings/{id}/residents", func(f fixture, _ matrixServer) string {
		return "/trainings/" + strconv.FormatInt(f.trainingID, 10) + "/residents"
	}, nil, team(303)},
	{"GET", "/positions", fixed("/positions"), nil, map[string]int{"anon": 303, "admin": 200, "officer": 200, "officer_out": 200, "*": 403}},
	{"POST", "/positions", fixed("/positions"), url.Values{"name": {"Chủ hợp tác xã"}}, map[string]int{"anon": 303, "admin": 303, "officer": 303, "officer_out": 303, "*": 403}},
	{"GET", "/days-off", fixed("/days-off?year=2027"), nil, all(200)},
	{"POST", "/days-off", fixed("/days-off"), url.Values{"on": {"05/02/2027"}, "kind": {"off"}, "name": {"Tết Nguyên đán Đinh Mùi"}},
		map[string]int{"anon": 303, "admin": 303, "officer": 303, "officer_out": 303, "*": 403}},
	{"GET", "/villages/{code}/dossiers", fixed("/villages/T000001/dossiers"), nil, village(200)},
	{"GET", "/villages/{code}/dossiers/new", fixed("/villages/T000001/dossiers/new"), nil, village(200)},
	{"GET", "/villages/{code}/dossiers/log", fixed("/villages/T000001/dossiers/log?month=10/2024"), nil, village(200)},
	{"POST", "/villages/{code}/dossiers", fixed("/villages/T000001/dossiers"),
		url.Values{"procedure": {"2.000815"}, "applicant_name": {"Hà Thị Mới"}, "received_on": {"01/10/2026"}}, village(303)},
	{"GET", "/dossiers/{id}", func(f fixture, _ matrixServer) string { return "/dossiers/" + strconv.FormatInt(f.dossier.ID, 10) }, nil, village(200)},
	{"POST", "/dossiers/{id}/documents", func(f fixture, _ matrixServer) string {
		return "/dossiers/" + strconv.FormatInt(f.dossier.ID, 10) + "/documents"
	}, nil, village(303)},
	{"POST", "/dossiers/{id}/steps", func(f fixture, _ matrixServer) string {
		return "/dossiers/" + strconv.FormatInt(f.dossier.ID, 10) + "/steps"
	}, nil, village(303)},
	{"GET", "/procedures", fixed("/procedures"), nil, all(200)},
	{"GET", "/units/{code}/dossiers", fixed("/units/T000001/dossiers?at=31/10/2024"), nil, map[string]int{"anon": 303, "admin": 200, "officer": 200, "officer_out": 404, "leader": 200, "member": 200, "viewer": 200}},
	{"GET", "/units/{code}/step-labels", fixed("/units/15/step-labels"), nil, map[string]int{"anon": 303, "admin": 200, "*": 403}},
	{"POST", "/units/{code}/step-labels", fixed("/units/15/step-labels"), url.Values{"received": {"1. Tiếp nhận tại nhà văn hoá"}}, map[string]int{"anon": 303, "admin": 303, "*": 403}},
	{"GET", "/procedures/{code}/edit", fixed("/procedures/2.000815/edit"), nil, map[string]int{"anon": 303, "admin": 200, "officer": 200, "officer_out": 200, "*": 403}},
	{"POST", "/procedures/{code}", fixed("/procedures/2.000815"), url.Values{"name": {"Chứng thực bản sao từ bản chính giấy tờ, văn bản"}, "portal": {"provincial"},
		"fully_online": {"1"}, "processing_days": {"1"}, "version": {"1"}}, map[string]int{"anon": 303, "admin": 303, "officer": 303, "officer_out": 303, "*": 403}},
	{"POST", "/villages/{code}/featured", fixed("/villages/T000001/featured"), url.Values{"procedures": {"1.010041"}, "next": {"/"}}, team(303)},
	{"GET", "/criteria", fixed("/criteria"), nil, map[string]int{"anon": 303, "admin": 200, "*": 403}},
	{"GET", "/criteria/{id}", func(f fixture, _ matrixServer) string { return "/criteria/" + strconv.FormatInt(f.setID, 10) }, nil, map[string]int{"anon": 303, "admin": 200, "*": 403}},
	{"POST", "/criteria/{id}", func(f fixture, _ matrixServer) string { return "/criteria/" + strconv.FormatInt(f.setID, 10) }, nil, map[string]int{"anon": 303, "admin": 422, "*": 403}},
	{"POST", "/criteria/{id}/copy", func(f fixture, _ matrixServer) string { return "/criteria/" + strconv.FormatInt(f.setID, 10) + "/copy" }, nil, map[string]int{"anon": 303, "admin": 303, "*": 403}},
	{"POST", "/criteria/{id}/status", func(f fixture, _ matrixServer) string {
		return "/criteria/" + strconv.FormatInt(f.setID, 10) + "/status"
	}, url.Values{"status": {"retired"}}, map[string]int{"anon": 303, "admin": 303, "*": 403}},
	{"GET", "/u/{code}", fixed("/u/086?at=31/10/2024"), nil, all(200)},
	{"GET", "/sw.js", fixed("/sw.js"), nil, all(200)},
	{"GET", "/manifest.webmanifest", fixed("/manifest.webmanifest"), nil, all(200)},
	// Only a member of a village works offline; others are told why.
	{"GET", "/offline", fixed("/offline"), nil, map[string]int{"anon": 303, "leader": 200, "member": 200, "viewer": 403, "*": 403}},
	{"POST", "/offline/device", fixed("/offline/device"), url.Values{"name": {"Điện thoại của Hoa"}}, map[string]int{"anon": 303, "leader": 200, "member": 200, "viewer": 403, "*": 403}},
	{"GET", "/units/{code}/rankings", fixed("/units/T000001/rankings?at=31/10/2024"), nil, reports(200)},
	{"GET", "/units/{code}/dashboard", fixed("/units/T000001/dashboard?at=31/10/2024"), nil, reports(200)},
	{"GET", "/units/{code}/criteria", fixed("/units/02923/criteria?at=31/12/2025"), nil,
		map[string]int{"anon": 303, "admin": 200, "officer": 200, "officer_out": 404, "leader": 404, "member": 404, "viewer": 200}},
	{"GET", "/units/{code}/export", fixed("/units/02923/export?format=csv&at=31/12/2025"), nil,
		map[string]int{"anon": 303, "admin": 200, "officer": 200, "officer_out": 404, "leader": 404, "member": 404, "viewer": 200}},
	{"GET", "/exports/{id}", func(f fixture, _ matrixServer) string { return "/exports/" + strconv.FormatInt(f.exportID, 10) }, nil,
		map[string]int{"anon": 303, "admin": 200, "*": 404}},
	{"GET", "/exports/{id}/file", func(f fixture, _ matrixServer) string {
		return "/exports/" + strconv.FormatInt(f.exportID, 10) + "/file"
	}, nil,
		map[string]int{"anon": 303, "admin": 200, "*": 404}},
	{"GET", "/villages/{code}/scorecard", fixed("/villages/T000001/scorecard?at=31/10/2024"), nil, reports(200)},
	{"GET", "/villages/{code}/scorecard/{indicator}", fixed("/villages/T000001/scorecard/6?at=31/10/2024"), nil, reports(200)},
	{"POST", "/villages/{code}/assessments", fixed("/villages/T000001/assessments"), url.Values{"as_of": {"31/03/2025"}}, team(303)},
	{"GET", "/assessments/{id}", func(f fixture, _ matrixServer) string { return "/assessments/" + strconv.FormatInt(f.pastID, 10) }, nil, reports(200)},
	{"GET", "/assessments/{id}/rows/{indicator}", func(f fixture, _ matrixServer) string {
		return "/assessments/" + strconv.FormatInt(f.pastID, 10) + "/rows/" + strconv.FormatInt(f.computedID, 10)
	}, nil, reports(200)},
	{"POST", "/assessments/{id}/values/{indicator}", func(f fixture, _ matrixServer) string {
		return "/assessments/" + strconv.FormatInt(f.draftID, 10) + "/values/" + strconv.FormatInt(f.enteredID, 10)
	}, nil, team(303)},
	{"POST", "/assessments/{id}/review", func(f fixture, _ matrixServer) string {
		return "/assessments/" + strconv.FormatInt(f.draftID, 10) + "/review"
	}, nil,
		map[string]int{"anon": 303, "admin": 422, "officer": 422, "officer_out": 404, "leader": 422, "member": 403, "viewer": 403}},
	{"GET", "/evidence/{id}", func(f fixture, _ matrixServer) string { return "/evidence/" + strconv.FormatInt(f.evidenceID, 10) }, nil, reports(200)},
	{"GET", "/v/{slug}", fixed("/v/dong-cam"), nil, all(200)},
	{"GET", "/v/{slug}/qr.svg", fixed("/v/dong-cam/qr.svg"), nil, all(200)},
	{"GET", "/v/{slug}/qr.png", fixed("/v/dong-cam/qr.png?size=256"), nil, all(200)},
	{"GET", "/v/{slug}/poster.pdf", fixed("/v/dong-cam/poster.pdf"), nil, all(200)},
	{"GET", "/v/{slug}/photo.jpg", fixed("/v/dong-cam/photo.jpg"), nil, all(404)}, // the demo has no photo
	{"GET", "/tra-cuu", fixed("/tra-cuu?ma=ABCDEFGH"), nil, all(200)},
	{"POST", "/tra-cuu", fixed("/tra-cuu"), url.Values{"code": {"ABCDEFGH"}, "phone4": {"0000"}}, all(422)},
	{"GET", "/villages/{code}/public", fixed("/villages/T000001/public"), nil, team(200)},
	{"POST", "/villages/{code}/intro", fixed("/villages/T000001/intro"), url.Values{"intro": {"Thôn có tổ trực ba tối mỗi tuần."}}, team(303)},
	// Not multipart: refused as "not an image" beside the field, stored nothing.
	{"POST", "/villages/{code}/photo", fixed("/villages/T000001/photo"), nil, team(422)},
	{"POST", "/villages/{code}/wifi", fixed("/villages/T000001/wifi"), url.Values{"place": {"Trường tiểu học"}, "free": {"1"}, "since": {"01/10/2026"}}, team(303)},
	{"POST", "/villages/{code}/equipment", fixed("/villages/T000001/equipment"), url.Values{"kind": {"computer"}, "quantity": {"1"}, "eq_since": {"01/10/2026"}}, team(303)},
	{"POST", "/villages/{code}/zalo", fixed("/villages/T000001/zalo"), url.Values{"link": {"https://zalo.me/g/abc"}, "zalo_since": {"01/10/2026"}}, team(303)},
	{"POST", "/villages/{code}/infra/{kind}/{id}/end", func(f fixture, _ matrixServer) string {
		return "/villages/T000001/infra/wifi/" + strconv.FormatInt(f.wifiID, 10) + "/end"
	}, url.Values{"until": {"31/10/2026"}}, team(303)},
	{"GET", "/audit", fixed("/audit"), nil, staff(200, 200)},
	{"GET", "/audit.csv", fixed("/audit.csv?purpose=inspection"), nil, staff(200, 200)},
}

// TestAuthorizationMatrix runs every route as every role, inside and
// outside scope, against the real HTTP server on SQLite. A route missing
// from the matrix fails the test.
func TestAuthorizationMatrix(t *testing.T) {
	first := newMatrixServer(t)
	cat, _ := i18n.Load()
	w, _ := web.New(&web.Server{Store: first.store, Cat: cat})
	covered := map[string]bool{}
	for _, row := range matrix {
		covered[row.method+" "+row.pattern] = true
	}
	for _, r := range w.Routes() {
		if !covered[r.Method+" "+r.Pattern] {
			t.Errorf("route %s %s has no rows in the authorization matrix", r.Method, r.Pattern)
		}
	}
	for _, row := range matrix {
		for _, role := range matrixRoles {
			want, ok := row.want[role]
			if !ok {
				want = row.want["*"]
			}
			t.Run(row.method+" "+row.pattern+" as "+role, func(t *testing.T) {
				m := first
				if row.method == "POST" {
					m = newMatrixServer(t)
				}
				var form url.Values
				if fn := formsOf[row.method+" "+row.pattern]; fn != nil {
					row.form = fn(fix)
				}
				if row.form != nil {
					form = url.Values{}
					for k, v := range row.form {
						form[k] = append([]string(nil), v...)
					}
				}
				got, body := m.as(t, role, row.method, row.path(fix, m), form)
				if got != want {
					t.Fatalf("status %d, want %d\n%.400s", got, want, body)
				}
				if got == 403 && !strings.Contains(body, "Bạn không có quyền “") {
					t.Fatalf("403 page does not name the permission:\n%.400s", body)
				}
				if got == 303 && role == "anon" && want == 303 && row.pattern != "/lang/{lang}" && row.pattern != "/logout" && row.pattern != "/logout-all" && !strings.HasPrefix(body, "/login?next=") {
					t.Fatalf("anonymous not sent to login: %.200s", body)
				}
			})
		}
	}
}

func TestCSRFRequired(t *testing.T) {
	m := newMatrixServer(t)
	req, _ := http.NewRequest("POST", m.srv.URL+"/login", strings.NewReader("login=quantri&password="+demo.Password))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 403 || !strings.Contains(string(b), "Biểu mẫu đã hết hạn") {
		t.Fatalf("POST without CSRF: %d %.200s", res.StatusCode, b)
	}
}
