package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"thonso/internal/api"
	"thonso/internal/domain"
	"thonso/internal/i18n"
	"thonso/internal/store"
	"thonso/internal/store/storetest"
	"thonso/internal/web"
)

// badCase is one malformed request. who: "admin" (a session with the
// CSRF cookie and field), "nocsrf" (a session, no CSRF field), "anon",
// "token" (the administrator's API token), "none" (no credentials).
type badCase struct {
	name, who, method, path, ctype string
	body                           []byte
	okStatus                       []int // allowed statuses besides 400–499; none by default
}

// vietnamese reports whether s holds a letter only Vietnamese uses.
func vietnamese(s string) bool {
	return strings.ContainsAny(s, "ăâđêôơưĂÂĐÊÔƠƯàáạảãầấậẩẫằắặẳẵèéẹẻẽềếệểễìíịỉĩòóọỏõồốộổỗờớợởỡùúụủũừứựửữỳýỵỷỹ")
}

// traffic tables record requests rather than data: left out of the
// before/after comparison (with api_tokens, whose last_used_at moves, and
// the background export jobs and sync ids of other branches).
var traffic = map[string]bool{"audit_log": true, "sessions": true, "login_failures": true, "lookup_failures": true, "api_tokens": true,
	"export_jobs": true, "sync_changes": true}

type badServer struct {
	srv     *httptest.Server
	store   *store.Store
	session string
	token   string
}

func newBadServer(t *testing.T) badServer {
	t.Helper()
	ctx := context.Background()
	s := storetest.DemoSQLite(t)
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return time.Date(2026, 10, 31, 3, 0, 0, 0, time.UTC) }
	w, err := web.New(&web.Server{Store: s, Cat: cat, Demo: true, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	a := &api.API{Store: s, Cat: cat, Now: now}
	srv := httptest.NewServer(w.Handler(a.Handler()))
	t.Cleanup(srv.Close)
	u, _, err := s.Credentials(ctx, "quantri")
	if err != nil {
		t.Fatal(err)
	}
	act, _ := s.Actor(ctx, u, "127.0.0.1", "web")
	sess, err := s.CreateSession(ctx, act, "bad-input")
	if err != nil {
		t.Fatal(err)
	}
	tok, _, err := s.CreateToken(ctx, domain.CLIActor(), u.ID, "bad-input", 0)
	if err != nil {
		t.Fatal(err)
	}
	return badServer{srv: srv, store: s, session: sess, token: tok}
}

const badCSRF = "bad-input-csrf-token-0123456789"

func (b badServer) do(t *testing.T, c badCase) (int, string, http.Header) {
	t.Helper()
	body := c.body
	if c.who == "admin" && c.method == "POST" && (c.ctype == "" || c.ctype == "application/x-www-form-urlencoded") {
		if len(body) > 0 {
			body = append(append([]byte{}, body...), '&')
		}
		body = append(body, []byte("csrf="+badCSRF)...)
	}
	req, err := http.NewRequest(c.method, b.srv.URL+c.path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	ctype := c.ctype
	if ctype == "" && c.method != "GET" {
		ctype = "application/x-www-form-urlencoded"
		if c.who == "token" || c.who == "none" {
			ctype = "application/json"
		}
	}
	if ctype != "-" && ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	switch c.who {
	case "admin", "nocsrf":
		req.AddCookie(&http.Cookie{Name: "thonso_session", Value: b.session})
		req.AddCookie(&http.Cookie{Name: "thonso_csrf", Value: badCSRF})
	case "token":
		req.Header.Set("Authorization", "Bearer "+b.token)
	}
	cl := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := cl.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(out), res.Header
}

func (b badServer) sums(t *testing.T) map[string]store.TableSum {
	t.Helper()
	all, err := b.store.Checksums(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for k := range traffic {
		delete(all, k)
	}
	return all
}

// ids finds records of Đông Căm to aim at, through the API.
func (b badServer) ids(t *testing.T) (household, resident, dossier int64, version int) {
	t.Helper()
	get := func(path string) []map[string]any {
		_, body, _ := b.do(t, badCase{who: "token", method: "GET", path: path})
		var l struct{ Items []map[string]any }
		if err := json.Unmarshal([]byte(body), &l); err != nil || len(l.Items) == 0 {
			t.Fatalf("%s: %v %.200s", path, err, body)
		}
		return l.Items
	}
	household = int64(get("/api/v1/villages/T000001/households")[0]["id"].(float64))
	resident = int64(get("/api/v1/villages/T000001/residents")[0]["id"].(float64))
	_, body, _ := b.do(t, badCase{who: "token", method: "POST", path: "/api/v1/dossiers",
		body: []byte(`{"village_code":"T000001","procedure":"1.010041","applicant_name":"Lò Văn Đích","received_on":"2026-10-30"}`)})
	var d struct {
		ID      int64 `json:"id"`
		Version int   `json:"version"`
	}
	if err := json.Unmarshal([]byte(body), &d); err != nil || d.ID == 0 {
		t.Fatalf("dossier: %v %.200s", err, body)
	}
	return household, resident, d.ID, d.Version
}

func multipartBody(field, filename string, data []byte, extra map[string]string) ([]byte, string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range extra {
		mw.WriteField(k, v)
	}
	if field != "" {
		fw, _ := mw.CreateFormFile(field, filename)
		fw.Write(data)
	}
	mw.Close()
	return buf.Bytes(), mw.FormDataContentType()
}

// badCases builds the corpus: API bodies, query strings, forms, uploads,
// oversize bodies, wrong content types, broken UTF-8, SQL and HTML
// injection.
func badCases(hh, res, dos int64, ver int) []badCase {
	var cs []badCase
	add := func(c badCase) { cs = append(cs, c) }
	js := func(v any) []byte { b, _ := json.Marshal(v); return b }

	// --- API JSON bodies ----------------------------------------------
	rawBodies := map[string]string{
		"empty": "", "open brace": "{", "array": "[]", "null": "null", "number": "1", "string": `"x"`, "two objects": "{}{}",
		"trailing garbage": `{"village_code":"T000001"} x`, "broken utf-8": "{\"applicant_name\":\"\xff\xfe\"}", "bom": "\ufeff{}",
		"deep nesting": strings.Repeat("[", 100000), "huge number": `{"applicant_id":1e400}`, "negative id": `{"household_id":-1}`,
		"unknown field": `{"hacker":true}`, "lone surrogate": `{"full_name":"\ud800"}`, "nul byte": "{\"full_name\":\"a\x00b\"}",
		"object for string": `{"village_code":{"$ne":1}}`, "array for string": `{"procedure":["1.010041"]}`, "string for number": `{"version":"1"}`,
		"bool for date": `{"received_on":true}`,
	}
	for _, ep := range []struct{ method, path string }{
		{"POST", "/api/v1/dossiers"}, {"POST", "/api/v1/residents"}, {"POST", "/api/v1/households"},
		{"PATCH", "/api/v1/residents/" + strconv.FormatInt(res, 10)}, {"POST", "/api/v1/dossiers/" + strconv.FormatInt(dos, 10) + "/steps"},
	} {
		for name, body := range rawBodies {
			add(badCase{name: ep.method + " " + ep.path + " " + name, who: "token", method: ep.method, path: ep.path, body: []byte(body)})
		}
	}
	dossier := func(mod map[string]any) []byte {
		m := map[string]any{"village_code": "T000001", "procedure": "1.010041", "applicant_name": "Lò Văn Thử", "received_on": "2026-10-30"}
		for k, v := range mod {
			if v == nil {
				delete(m, k)
			} else {
				m[k] = v
			}
		}
		return js(m)
	}
	for name, mod := range map[string]map[string]any{
		"sql in village":       {"village_code": "T000001' OR '1'='1"},
		"sql in procedure":     {"procedure": "1.010041'; DROP TABLE dossiers;--"},
		"html in procedure":    {"procedure": "<script>alert(1)</script>"},
		"unknown village":      {"village_code": "T999999"},
		"commune not village":  {"village_code": "02923"},
		"no applicant":         {"applicant_name": nil},
		"blank applicant":      {"applicant_name": "   "},
		"dd/mm date":           {"received_on": "30/10/2026"},
		"impossible date":      {"received_on": "2026-02-30"},
		"future date":          {"received_on": "2099-01-01"},
		"year zero":            {"received_on": "0000-01-01"},
		"sql in date":          {"received_on": "2026-10-30' OR 1=1"},
		"bad phone":            {"applicant_phone": "0912'; DROP TABLE residents;--"},
		"html phone":           {"applicant_phone": "<b>0912345678</b>"},
		"unknown applicant id": {"applicant_id": 987654321},
		"linked itself":        {"linked": []string{"1.010041"}},
		"linked unknown":       {"linked": []string{"9.999999"}},
		"unknown helper":       {"helper_ids": []int{987654321}},
		"unknown member":       {"member_id": 987654321},
		"name 100k":            {"applicant_name": strings.Repeat("Đ", 100000)},
	} {
		add(badCase{name: "POST dossier " + name, who: "token", method: "POST", path: "/api/v1/dossiers", body: dossier(mod)})
	}
	add(badCase{name: "POST dossier oversize 2MB", who: "token", method: "POST", path: "/api/v1/dossiers", body: dossier(map[string]any{"note": strings.Repeat("a", 2<<20)})})
	for _, ct := range []string{"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", "text/html; charset=utf-8", "application/jsonp"} {
		add(badCase{name: "POST dossier as " + ct, who: "token", method: "POST", path: "/api/v1/dossiers", ctype: ct, body: dossier(nil)})
	}
	add(badCase{name: "POST dossier without token", who: "none", method: "POST", path: "/api/v1/dossiers", body: dossier(nil)})
	resident := func(mod map[string]any) []byte {
		m := map[string]any{"household_id": hh, "full_name": "Lò Thị Thử", "birth_date": "1990-01-01", "sex": "nu", "relation": "con"}
		for k, v := range mod {
			m[k] = v
		}
		return js(m)
	}
	for name, mod := range map[string]map[string]any{
		"sql cccd": {"cccd": "001190' OR 1=1--"}, "html cccd": {"cccd": "<img src=x onerror=alert(1)>"}, "cccd 11 digits": {"cccd": "00119001234"},
		"cccd wrong sex": {"cccd": "001090012345"}, "phone letters": {"phone": "09abc45678"}, "phone 9 digits": {"phone": "091234567"},
		"sex unknown": {"sex": "x' OR 1=1"}, "relation unknown": {"relation": "<script>"}, "future birth": {"birth_date": "2099-01-01"},
		"birth 1800": {"birth_date": "1800-01-01"}, "household unknown": {"household_id": 987654321}, "household zero": {"household_id": 0},
		"blank name": {"full_name": ""}, "smartphone bad date": {"smartphone": map[string]any{"since": "31/10/2024"}},
	} {
		add(badCase{name: "POST resident " + name, who: "token", method: "POST", path: "/api/v1/residents", body: resident(mod)})
	}
	add(badCase{name: "PATCH resident no version", who: "token", method: "PATCH", path: "/api/v1/residents/" + strconv.FormatInt(res, 10), body: resident(nil)})
	add(badCase{name: "PATCH resident stale version", who: "token", method: "PATCH", path: "/api/v1/residents/" + strconv.FormatInt(res, 10), body: resident(map[string]any{"version": 999})})
	add(badCase{name: "PATCH resident unknown", who: "token", method: "PATCH", path: "/api/v1/residents/987654321", body: resident(map[string]any{"version": 1})})
	add(badCase{name: "PATCH resident sql id", who: "token", method: "PATCH", path: "/api/v1/residents/1%20OR%201=1", body: resident(map[string]any{"version": 1})})
	for name, m := range map[string]map[string]any{
		"household sql village": {"village_code": "' OR 1=1--", "number": "99"}, "household no number": {"village_code": "T000001"},
		"household bad bank date": {"village_code": "T000001", "number": "99", "bank": map[string]any{"since": "2024-13-01"}},
		"household html village":  {"village_code": "<script>", "number": "99"},
	} {
		add(badCase{name: "POST " + name, who: "token", method: "POST", path: "/api/v1/households", body: js(m)})
	}
	steps := "/api/v1/dossiers/" + strconv.FormatInt(dos, 10) + "/steps"
	for name, m := range map[string]map[string]any{
		"unknown action": {"action": "'; DELETE FROM dossiers;--", "on": "2026-10-30", "version": ver},
		"stale version":  {"action": "void", "on": "2026-10-30", "version": ver + 100},
		"no version":     {"action": "void", "on": "2026-10-30"},
		"bad date":       {"action": "void", "on": "30/10/2026", "version": ver},
		"future date":    {"action": "void", "on": "2099-10-30", "version": ver},
		"html action":    {"action": "<script>", "on": "2026-10-30", "version": ver},
	} {
		add(badCase{name: "POST step " + name, who: "token", method: "POST", path: steps, body: js(m)})
	}
	add(badCase{name: "POST step unknown dossier", who: "token", method: "POST", path: "/api/v1/dossiers/987654321/steps", body: js(map[string]any{"action": "void", "on": "2026-10-30", "version": 1})})
	for _, p := range []string{"/api/v1/units/%27%20OR%201=1", "/api/v1/units/086?at=31/02/2024", "/api/v1/units/086?at=%FF", "/api/v1/units?at=9999-99-99",
		"/api/v1/units?level=%3Cscript%3E", "/api/v1/units/02923/figures?at=abc", "/api/v1/villages/T000001/residents?reveal=true", "/api/v1/villages/T000001/residents?reveal=true&purpose=%3Cscript%3E",
		"/api/v1/villages/T000001/residents?cursor=%27%20OR%201=1", "/api/v1/villages/T000001/residents?limit=-1", "/api/v1/villages/%FF/dossiers", "/api/v1/dossiers/abc",
		"/api/v1/residents/-1", "/api/v1/households/99999999999999999999999", "/api/v1/khong-co", "/api/v1/villages?at=2024-02-30"} {
		add(badCase{name: "GET " + p, who: "token", method: "GET", path: p})
	}
	for _, m := range []string{"PUT", "DELETE", "PATCH"} {
		add(badCase{name: m + " /api/v1/dossiers", who: "token", method: m, path: "/api/v1/dossiers", body: dossier(nil)})
	}
	for name, h := range map[string]string{"basic": "Basic cXVhbnRyaTptaW5oaG9h", "empty bearer": "Bearer ", "wrong token": "Bearer ts_khongphaitoken", "sql token": "Bearer ' OR 1=1--"} {
		add(badCase{name: "auth " + name, who: "hdr:" + h, method: "POST", path: "/api/v1/dossiers", body: dossier(nil)})
	}
	add(badCase{name: "GET /api/v1/me without token", who: "none", method: "GET", path: "/api/v1/me"})

	// --- Web forms (a session with CSRF: only the input is wrong) --------
	hhPath := "/households/" + strconv.FormatInt(hh, 10)
	resPath := "/residents/" + strconv.FormatInt(res, 10)
	form := func(kv ...string) []byte {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Add(kv[i], kv[i+1])
		}
		return []byte(v.Encode())
	}
	for name, body := range map[string][]byte{
		"bad birth":       form("full_name", "Lò Văn Thử", "birth", "31/02/1990", "sex", "nam", "relation", "con"),
		"sql birth":       form("full_name", "Lò Văn Thử", "birth", "1990' OR 1=1--", "sex", "nam", "relation", "con"),
		"html phone":      form("full_name", "Lò Văn Thử", "birth", "1990", "sex", "nam", "relation", "con", "phone", "<script>alert(1)</script>"),
		"sql phone":       form("full_name", "Lò Văn Thử", "birth", "1990", "sex", "nam", "relation", "con", "phone", "0912345678'; DROP TABLE residents;--"),
		"sql cccd":        form("full_name", "Lò Văn Thử", "birth", "1990", "sex", "nam", "relation", "con", "cccd", "' UNION SELECT password_hash FROM users--"),
		"cccd mismatch":   form("full_name", "Lò Văn Thử", "birth", "1990", "sex", "nam", "relation", "con", "cccd", "001195012345"),
		"no name":         form("birth", "1990", "sex", "nam", "relation", "con"),
		"sex injection":   form("full_name", "Lò Văn Thử", "birth", "1990", "sex", "nam' --", "relation", "con"),
		"relation html":   form("full_name", "Lò Văn Thử", "birth", "1990", "sex", "nam", "relation", "<b>con</b>"),
		"future birth":    form("full_name", "Lò Văn Thử", "birth", "01/01/2099", "sex", "nam", "relation", "con"),
		"bad vneid date":  form("full_name", "Lò Văn Thử", "birth", "1990", "sex", "nam", "relation", "con", "vneid", "hôm qua"),
		"broken utf-8":    append(form("birth", "1990", "sex", "nam", "relation", "con"), []byte("&full_name=\xff\xfe%FF")...),
		"bad percent":     []byte("full_name=%ZZ&birth=%&sex=nam"),
		"moved in future": form("full_name", "Lò Văn Thử", "birth", "1990", "sex", "nam", "relation", "con", "moved_in", "01/01/2099"),
	} {
		add(badCase{name: "new resident " + name, who: "admin", method: "POST", path: hhPath + "/residents", body: body})
	}
	for name, body := range map[string][]byte{
		"stale version": form("full_name", "X", "birth", "1990", "sex", "nam", "relation", "con", "version", "999"),
		"sql version":   form("full_name", "X", "birth", "1990", "sex", "nam", "relation", "con", "version", "1 OR 1=1"),
		"bad birth":     form("full_name", "X", "birth", "99/99/9999", "sex", "nam", "relation", "con", "version", "1"),
	} {
		add(badCase{name: "edit resident " + name, who: "admin", method: "POST", path: resPath, body: body})
	}
	for name, body := range map[string][]byte{
		"bad bank date": form("number", "1", "bank", "32/01/2024", "version", "1"),
		"stale version": form("number", "1", "version", "999"),
		"sql zalo":      form("number", "1", "zalo", "2024-01-01'; --", "version", "1"),
	} {
		add(badCase{name: "edit household " + name, who: "admin", method: "POST", path: hhPath, body: body})
	}
	for name, body := range map[string][]byte{
		"no number":     form("hamlet", "Xóm Trên"),
		"bad bank date": form("number", "M-99", "bank", "<script>"),
		"sql zalo date": form("number", "M-99", "zalo", "' OR ''='"),
	} {
		add(badCase{name: "new household " + name, who: "admin", method: "POST", path: "/villages/T000001/households", body: body})
	}
	add(badCase{name: "new household sql village", who: "admin", method: "POST", path: "/villages/T000001'%20OR%20'1'='1/households", body: form("number", "M-99")})
	for name, body := range map[string][]byte{
		"no purpose": form(), "html purpose": form("purpose", "<script>"), "sql purpose": form("purpose", "' OR 1=1--"),
	} {
		add(badCase{name: "reveal " + name, who: "admin", method: "POST", path: resPath + "/reveal", body: body})
	}
	// Consents, data-subject requests (#11): every one refused beside its
	// field, nothing stored.
	for name, body := range map[string][]byte{
		"no date":     form("how", "phone"),
		"bad date":    form("given_on", "31/02/2026", "how", "phone"),
		"future date": form("given_on", "01/01/2099", "how", "phone"),
		"no how":      form("given_on", "30/10/2026"),
		"sql how":     form("given_on", "30/10/2026", "how", "' OR 1=1--"),
		"long note":   form("given_on", "30/10/2026", "how", "phone", "note", strings.Repeat("a", 5000)),
	} {
		add(badCase{name: "consent " + name, who: "admin", method: "POST", path: resPath + "/consents", body: body})
	}
	add(badCase{name: "withdraw unknown consent", who: "admin", method: "POST", path: resPath + "/consents/987654321/withdraw", body: form("withdrawn_on", "30/10/2026")})
	add(badCase{name: "withdraw sql consent", who: "admin", method: "POST", path: resPath + "/consents/1%20OR%201=1/withdraw", body: form("withdrawn_on", "30/10/2026")})
	for name, body := range map[string][]byte{
		"no kind":     form("received_on", "30/10/2026"),
		"bad kind":    form("kind", "forget", "received_on", "30/10/2026"),
		"sql kind":    form("kind", "see' OR 1=1--", "received_on", "30/10/2026"),
		"no date":     form("kind", "see"),
		"bad date":    form("kind", "see", "received_on", "30/02/2026"),
		"future date": form("kind", "delete", "received_on", "01/01/2099"),
		"long note":   form("kind", "see", "received_on", "30/10/2026", "request_note", strings.Repeat("ư", 4001)),
	} {
		add(badCase{name: "request " + name, who: "admin", method: "POST", path: resPath + "/requests", body: body})
	}
	for _, p := range []string{"/requests/987654321/close", "/requests/abc/close", "/requests/1%20OR%201=1/close"} {
		add(badCase{name: "close " + p, who: "admin", method: "POST", path: p, body: form("state", "done", "version", "1")})
	}
	for _, p := range []string{"/requests/987654321", "/requests/987654321/data.pdf", "/requests/abc/data.json"} {
		add(badCase{name: "GET " + p, who: "admin", method: "GET", path: p})
	}
	for name, body := range map[string][]byte{
		"no date":       form("how", "zalo"),
		"bad how":       form("given_on", "30/10/2026", "how", "<script>"),
		"withdraw date": form("withdrawn_on", "99/99/9999"),
	} {
		path := "/teams/1/members/1/consent"
		if strings.HasPrefix(name, "withdraw") {
			path += "/withdraw"
		}
		add(badCase{name: "member consent " + name, who: "admin", method: "POST", path: path, body: body})
	}
	add(badCase{name: "member consent unknown member", who: "admin", method: "POST", path: "/teams/1/members/987654321/consent", body: form("given_on", "30/10/2026", "how", "zalo")})
	for name, body := range map[string][]byte{
		"bad date":        form("procedure", "1.010041", "applicant_name", "Lò Văn Thử", "received_on", "30/02/2026"),
		"sql procedure":   form("procedure", "1.010041' OR 1=1", "applicant_name", "Lò Văn Thử", "received_on", "30/10/2026"),
		"html procedure":  form("procedure", "<script>", "applicant_name", "Lò Văn Thử", "received_on", "30/10/2026"),
		"no applicant":    form("procedure", "1.010041", "received_on", "30/10/2026"),
		"bad phone":       form("procedure", "1.010041", "applicant_name", "A", "applicant_phone", "<b>1</b>", "received_on", "30/10/2026"),
		"helper sql":      form("procedure", "1.010041", "applicant_name", "A", "received_on", "30/10/2026", "helpers", "1 OR 1=1"),
		"applicant sql":   form("procedure", "1.010041", "applicant_id", "1; DROP TABLE residents", "applicant_name", "A", "received_on", "30/10/2026"),
		"linked unknown":  form("procedure", "1.010041", "applicant_name", "A", "received_on", "30/10/2026", "linked", "' OR 1=1"),
		"future":          form("procedure", "1.010041", "applicant_name", "A", "received_on", "01/01/2099"),
		"empty form":      nil,
		"member injected": form("procedure", "1.010041", "applicant_name", "A", "received_on", "30/10/2026", "member", "987654321"),
	} {
		add(badCase{name: "receive dossier " + name, who: "admin", method: "POST", path: "/villages/T000001/dossiers", body: body})
	}
	dpath := "/dossiers/" + strconv.FormatInt(dos, 10) + "/steps"
	for name, body := range map[string][]byte{
		"unknown action": form("action", "drop", "on", "30/10/2026", "version", strconv.Itoa(ver)),
		"stale version":  form("action", "void", "on", "30/10/2026", "version", "9999"),
		"bad date":       form("action", "void", "on", "2026-02-31", "version", strconv.Itoa(ver)),
		"html action":    form("action", "<script>", "on", "30/10/2026", "version", strconv.Itoa(ver)),
	} {
		add(badCase{name: "dossier step " + name, who: "admin", method: "POST", path: dpath, body: body})
	}
	// Missing CSRF on every kind of form.
	for _, p := range []string{hhPath + "/residents", resPath, hhPath, "/villages/T000001/households", "/villages/T000001/dossiers", dpath, "/positions", "/days-off", "/users", "/me/tokens", "/import/residents"} {
		add(badCase{name: "no csrf " + p, who: "nocsrf", method: "POST", path: p, body: form("number", "1", "name", "x")})
	}
	for name, body := range map[string][]byte{
		"blank name": form("name", "   "), "broken utf-8": []byte("name=%FF%FE"),
	} {
		add(badCase{name: "position " + name, who: "admin", method: "POST", path: "/positions", body: body})
	}
	for name, body := range map[string][]byte{
		"bad date": form("on", "31/02/2027", "kind", "off", "name", "Nghỉ"), "sql date": form("on", "2027-01-01' --", "kind", "off"),
		"html kind": form("on", "01/01/2027", "kind", "<script>", "name", "Nghỉ"),
	} {
		add(badCase{name: "day off " + name, who: "admin", method: "POST", path: "/days-off", body: body})
	}
	for name, body := range map[string][]byte{
		"bad role":       form("login", "nguoi.moi", "name", "Người mới", "role", "god", "password", "mat-khau-dai-du-1234"),
		"sql unit":       form("login", "nguoi.moi", "name", "Người mới", "role", "officer", "unit", "' OR 1=1--", "password", "mat-khau-dai-du-1234"),
		"html login":     form("login", "<script>", "name", "Người mới", "role", "viewer", "unit", "15", "password", "mat-khau-dai-du-1234"),
		"short password": form("login", "nguoi.moi", "name", "Người mới", "role", "viewer", "unit", "15", "password", "1"),
		"existing login": form("login", "quantri", "name", "Trùng", "role", "admin", "password", "mat-khau-dai-du-1234"),
	} {
		add(badCase{name: "new user " + name, who: "admin", method: "POST", path: "/users", body: body})
	}
	for name, body := range map[string][]byte{
		"bad days": form("name", "x", "days", "-5"), "sql days": form("name", "x", "days", "1 OR 1=1"),
	} {
		add(badCase{name: "token " + name, who: "admin", method: "POST", path: "/me/tokens", body: body})
	}
	for name, body := range map[string][]byte{
		"wrong current": form("current", "sai", "password", "mat-khau-moi-dai-1234", "again", "mat-khau-moi-dai-1234"),
		"mismatch":      form("current", "minhhoa-2024", "password", "mat-khau-moi-dai-1234", "again", "khac"),
	} {
		add(badCase{name: "password " + name, who: "admin", method: "POST", path: "/me/password", body: body})
	}
	for name, body := range map[string][]byte{
		"bad url": form("url", "javascript:alert(1)", "since", "01/10/2026"), "not zalo": form("url", "https://evil.example/zalo.me", "since", "01/10/2026"),
		"bad date": form("url", "https://zalo.me/g/abc", "since", "99/99/2026"),
	} {
		add(badCase{name: "zalo " + name, who: "admin", method: "POST", path: "/villages/T000001/zalo", body: body})
	}
	add(badCase{name: "wifi bad date", who: "admin", method: "POST", path: "/villages/T000001/wifi", body: form("name", "Điểm", "since", "hôm nay")})

	// --- Uploads ------------------------------------------------------
	up := func(name, filename string, data []byte, extra map[string]string) {
		body, ct := multipartBody("file", filename, data, extra)
		if extra == nil {
			extra = map[string]string{}
		}
		add(badCase{name: "upload " + name, who: "admin", method: "POST", path: "/import/residents", ctype: ct, body: body})
	}
	csrf := map[string]string{"csrf": badCSRF, "village": "T000001"}
	up("xls", "ds.xls", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1garbage"), csrf)
	up("garbage xlsx", "ds.xlsx", []byte("PK\x03\x04 not really a zip"), csrf)
	up("empty csv", "ds.csv", nil, csrf)
	up("no header csv", "ds.csv", []byte("1,2,3\n4,5,6\n"), csrf)
	up("windows-1258 csv", "ds.csv", []byte("H\xd2 v\xe0 t\xean,Ng\xe0y sinh\nL\xf2 V\xe3n A,1990\n"), csrf)
	up("tcvn3 csv", "ds.csv", []byte("Hä vµ tªn,Ngµy sinh,Giíi tÝnh,Sè hé\nNguyÔn V¨n A,1990,Nam,1\n"), csrf)
	up("exe", "ds.exe", []byte("MZ\x90\x00"), csrf)
	up("html as csv", "ds.csv", []byte("<html><script>alert(1)</script></html>"), csrf)
	up("unknown village", "ds.csv", []byte("Họ và tên,Ngày sinh,Giới tính,Số hộ\nLò Văn A,1990,Nam,1\n"), map[string]string{"csrf": badCSRF, "village": "' OR 1=1--"})
	body, ct := multipartBody("", "", nil, csrf)
	add(badCase{name: "upload without file", who: "admin", method: "POST", path: "/import/residents", ctype: ct, body: body})
	add(badCase{name: "upload broken multipart", who: "admin", method: "POST", path: "/import/residents", ctype: "multipart/form-data; boundary=zzz", body: []byte("--zzz\r\nbroken")})
	add(badCase{name: "upload as urlencoded", who: "admin", method: "POST", path: "/import/residents", body: form("file", "Họ và tên\nA")})
	big, bct := multipartBody("file", "big.csv", bytes.Repeat([]byte("Lò Văn A,1990,Nam,1\n"), (22<<20)/20), csrf)
	add(badCase{name: "upload oversize 22MB", who: "admin", method: "POST", path: "/import/residents", ctype: bct, body: big})
	add(badCase{name: "apply unknown upload", who: "admin", method: "POST", path: "/import/residents/987654321/apply", body: form()})
	add(badCase{name: "apply sql upload", who: "admin", method: "POST", path: "/import/residents/1%20OR%201=1/apply", body: form()})
	add(badCase{name: "photo not an image", who: "admin", method: "POST", path: "/villages/T000001/photo", ctype: "", body: nil})
	pb, pct := multipartBody("photo", "a.jpg", []byte("not a jpeg <script>"), map[string]string{"csrf": badCSRF})
	add(badCase{name: "photo garbage", who: "admin", method: "POST", path: "/villages/T000001/photo", ctype: pct, body: pb})

	// --- Query strings and paths -------------------------------------
	for _, p := range []string{"/units?at=99/99/9999", "/units?at=%FF%FE", "/units/02923?at=abc", "/units/086?at=31/02/2024", "/units/%FF",
		"/units/086/dossiers?at=2024-13-01", "/units/086/dossiers?attribution=%3Cscript%3E", "/villages/T000001/dossiers/log?month=13/2024",
		"/villages/T000001/dossiers/log?month=%27%20OR%201=1", "/villages/T000001/scorecard?at=hôm%20nay", "/units/086/criteria?at=0000-01-01",
		"/v/%3Cscript%3E", "/v/dong-cam/qr.png?size=99999", "/v/dong-cam/qr.png?size=abc", "/v/dong-cam/qr.png?size=-1", "/v/%C3%28/qr.svg",
		"/residents/abc", "/residents/-1", "/households/1%20OR%201=1", "/dossiers/99999999999999999999", "/teams/%27", "/lich/%27%20OR%201=1.ics",
		"/evidence/abc", "/assessments/0", "/audit?from=31/02/2024", "/villages/T000001/residents?at=32/01/2024", "/import/residents/987654321",
		"/lang/xx", "/procedures/%3Cscript%3E/edit", "/criteria/abc"} {
		add(badCase{name: "GET " + p, who: "admin", method: "GET", path: p, okStatus: []int{303}})
	}
	// --- The public lookup and login (anonymous) ----------------------
	for name, v := range map[string][]byte{
		"sql code": form("ma", "' OR 1=1--", "so", "1234"), "html code": form("ma", "<script>", "so", "1234"),
		"letters for digits": form("ma", "ABCDEFGH", "so", "abcd"), "broken utf-8": []byte("ma=%FF%FE&so=%FF"),
	} {
		add(badCase{name: "lookup " + name, who: "anon", method: "POST", path: "/tra-cuu", body: v})
	}
	add(badCase{name: "login without csrf", who: "anon", method: "POST", path: "/login", body: form("login", "quantri", "password", "' OR 1=1--")})
	return cs
}

// TestBadInput sends the corpus through the real HTTP server (web and
// API): every request gets a 4xx with a Vietnamese message, none a 5xx,
// and the data tables are byte-for-byte as before.
func TestBadInput(t *testing.T) {
	b := newBadServer(t)
	hh, res, dos, ver := b.ids(t)
	cases := badCases(hh, res, dos, ver)
	if len(cases) < 200 {
		t.Fatalf("only %d cases", len(cases))
	}
	before := b.sums(t)
	for _, c := range cases {
		if h, ok := strings.CutPrefix(c.who, "hdr:"); ok {
			c.who = "none"
			c.ctype = "application/json"
			status, body := b.doHeader(t, c, h)
			checkAnswer(t, c, status, body, "application/json")
			continue
		}
		status, body, hdr := b.do(t, c)
		checkAnswer(t, c, status, body, hdr.Get("Content-Type"))
	}
	after := b.sums(t)
	for tb, s := range before {
		if after[tb] != s {
			t.Errorf("table %s changed: %d rows → %d rows", tb, s.Rows, after[tb].Rows)
		}
	}
	t.Logf("%d malformed requests answered 4xx in Vietnamese; %d data tables unchanged", len(cases), len(before))
}

func (b badServer) doHeader(t *testing.T, c badCase, h string) (int, string) {
	req, _ := http.NewRequest(c.method, b.srv.URL+c.path, bytes.NewReader(c.body))
	req.Header.Set("Content-Type", c.ctype)
	req.Header.Set("Authorization", h)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(out)
}

func checkAnswer(t *testing.T, c badCase, status int, body, ctype string) {
	t.Helper()
	allowed := status >= 400 && status < 500
	for _, s := range c.okStatus {
		allowed = allowed || status == s
	}
	if !allowed {
		t.Errorf("%s: status %d, want 4xx\n%.300s", c.name, status, body)
		return
	}
	if status == 303 {
		return
	}
	if strings.HasPrefix(c.path, "/api/") || strings.HasPrefix(ctype, "application/json") {
		var e struct {
			Code    string  `json:"code"`
			Message string  `json:"message"`
			Field   *string `json:"field"`
		}
		if err := json.Unmarshal([]byte(body), &e); err != nil || e.Code == "" || !vietnamese(e.Message) {
			t.Errorf("%s: %d, not a Vietnamese JSON error: %.300s", c.name, status, body)
		}
		return
	}
	if !vietnamese(body) {
		t.Errorf("%s: %d, no Vietnamese message: %.300s", c.name, status, body)
	}
	_ = fmt.Sprint
}
