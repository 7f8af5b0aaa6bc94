package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"thonso/internal/api"
	"thonso/internal/domain"
	"thonso/internal/i18n"
	"thonso/internal/store"
	"thonso/internal/store/storetest"
)

// TestStatsAPI: the report's figures as plain numbers, public, validated
// against the OpenAPI document; bad parameters named.
func TestStatsAPI(t *testing.T) {
	srv := newServer(t)
	doc := loadSpec(t, srv.URL)
	router, _ := gorillamux.NewRouter(doc)
	get := func(path, lang string) (int, map[string]any, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		if lang != "" {
			req.Header.Set("Accept-Language", lang)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		route, params, err := router.FindRoute(req)
		if err != nil {
			t.Fatalf("%s not in OpenAPI: %v", path, err)
		}
		in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route}
		out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: res.StatusCode, Header: res.Header, Body: io.NopCloser(bytes.NewReader(b))}
		if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
			t.Fatalf("%s: response does not match OpenAPI: %v\n%s", path, err, b)
		}
		var m map[string]any
		json.Unmarshal(b, &m)
		return res.StatusCode, m, string(b)
	}
	st, m, body := get("/api/v1/units/086/stats?at=2024-10-31", "")
	if st != 200 {
		t.Fatalf("district: %d %s", st, body)
	}
	want := map[string]float64{"communes": 14, "communes_with_smart_village": 14, "smart_villages": 20, "team_members": 105, "community_team_members": 1150,
		"dossiers": 1189, "teams": 20, "teams_with_dossiers": 20}
	for k, v := range want {
		if m[k] != v {
			t.Errorf("%s = %v, want %v", k, m[k], v)
		}
	}
	if u := m["unit"].(map[string]any); u["code"] != "086" || u["name"] != "Huyện Bảo Thắng" || u["level"] != "district" || m["attribution"] != "as_was" {
		t.Fatalf("unit %v", m["unit"])
	}
	st, m, body = get("/api/v1/villages/dong-cam/stats?at=2024-10-31", "")
	if st != 200 || m["dossiers"] != 180.0 || m["residents_14plus"] != 387.0 || m["public_service_accounts"] != 257.0 || m["public_service_account_target"] != 0.9 ||
		len(m["dossiers_by_sector"].(map[string]any)) != 3 {
		t.Fatalf("Đông Căm: %d %s", st, body)
	}
	if r := m["public_service_account_rate"].(float64); r < 0.6640 || r > 0.6641 {
		t.Fatalf("rate %v", r)
	}
	if v := m["village"].(map[string]any); v["code"] != "T000001" || v["slug"] != "dong-cam" || v["commune"].(map[string]any)["code"] != "02923" {
		t.Fatalf("village %v", v)
	}
	if st, m, _ = get("/api/v1/villages/T000001/stats?at=2024-10-31", ""); st != 200 || m["dossiers"] != 180.0 {
		t.Fatalf("by code: %d", st)
	}
	// Re-attributed: today's Gia Phú on 31/10/2024 holds more than old Gia Phú.
	_, old, _ := get("/api/v1/units/02923/stats?at=2024-10-31", "")
	st, cur, _ := get("/api/v1/units/02923/stats?at=2024-10-31&attribution=current", "")
	if st != 200 || cur["attribution"] != "current" || cur["smart_villages"].(float64) <= old["smart_villages"].(float64) {
		t.Fatalf("re-attributed %v vs %v", cur["smart_villages"], old["smart_villages"])
	}
	for _, c := range []struct {
		path, lang string
		status     int
		field, msg string
	}{
		{"/api/v1/units/99999/stats?at=2024-10-31", "", 404, "", "99999"},
		{"/api/v1/units/086/stats?at=2025-07-01", "", 404, "", "086"},
		{"/api/v1/units/086/stats?at=2024-10-31&attribution=current", "", 404, "", "086"},
		{"/api/v1/units/086/stats?at=31/10/2024", "", 400, "at", "YYYY-MM-DD"},
		{"/api/v1/units/086/stats?at=2024-10-31&attribution=both", "", 400, "attribution", "as_was"},
		{"/api/v1/units/086/stats?at=2024-10-31&attribution=both", "en", 400, "attribution", "re-attributed"},
		{"/api/v1/villages/khong-co/stats", "", 404, "", ""},
		{"/api/v1/units/086/stats?at=1900-01-01", "", 400, "at", "mô hình bắt đầu từ ngày 16/10/2023"},
	} {
		st, e, body := get(c.path, c.lang)
		if st != c.status || (c.field != "" && e["field"] != c.field) || !strings.Contains(body, c.msg) {
			t.Errorf("%s: %d %s", c.path, st, body)
		}
	}
}

// TestOpenAPICoversEveryRoute: every /api/v1 route the server has is in
// the OpenAPI document with its method, and the document names no route
// the server lacks.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	srv := newServer(t)
	doc := loadSpec(t, srv.URL)
	have := map[string]bool{}
	for _, r := range (&api.API{}).Routes() {
		key := r.Method + " " + r.Pattern
		have[key] = true
		item := doc.Paths.Value(r.Pattern)
		if item == nil || item.GetOperation(r.Method) == nil {
			t.Errorf("%s is not in the OpenAPI document", key)
		}
	}
	for path, item := range doc.Paths.Map() {
		if !strings.HasPrefix(path, "/api/v1/") {
			continue
		}
		for method := range item.Operations() {
			if !have[method+" "+path] {
				t.Errorf("the OpenAPI document describes %s %s, which the server lacks", method, path)
			}
		}
	}
}

// TestSyncAPI: a phone registers, sends its outbox twice (once applied),
// a forged code and an unknown kind are refused with reasons; a change
// another phone made stale is refused with the version conflict.
func TestSyncAPI(t *testing.T) {
	_, call := tokenClient(t, "thanhvien.dongcam")
	st, dev := call("POST", "/api/v1/devices", map[string]any{"name": "Điện thoại của Hoa"})
	if st != 201 || len(dev["prefix"].(string)) != 3 {
		t.Fatalf("device: %d %v", st, dev)
	}
	prefix := dev["prefix"].(string)
	receive := map[string]any{"id": "0b1e2c3d-4e5f-4a6b-8c7d-000000000001", "kind": "dossier.receive", "payload": map[string]any{
		"village_code": "T000001", "procedure": "2.000815", "applicant_name": "Lò Thị Mạng", "received_on": "2026-10-30", "lookup_code": prefix + "ABCD2345"}}
	body := map[string]any{"device_id": dev["id"], "changes": []any{receive,
		map[string]any{"id": "0b1e2c3d-4e5f-4a6b-8c7d-000000000002", "kind": "dossier.receive", "payload": map[string]any{
			"village_code": "T000001", "procedure": "2.000815", "applicant_name": "Giả", "received_on": "2026-10-30", "lookup_code": "ZZZABCD2345"}},
		map[string]any{"id": "0b1e2c3d-4e5f-4a6b-8c7d-000000000003", "kind": "resident.delete", "payload": map[string]any{}},
	}}
	st, out := call("POST", "/api/v1/sync", body)
	res, _ := out["results"].([]any)
	if st != 200 || len(res) != 3 {
		t.Fatalf("sync: %d %v", st, out)
	}
	first := res[0].(map[string]any)
	if first["status"] != "applied" || first["result"].(map[string]any)["lookup_code"] != prefix+"ABCD2345" {
		t.Fatalf("receive: %v", first)
	}
	for i, field := range map[int]string{1: "lookup_code", 2: "kind"} {
		r := res[i].(map[string]any)
		if r["status"] != "refused" || r["error"].(map[string]any)["field"] != field {
			t.Errorf("change %d: %v", i, r)
		}
	}
	// The whole outbox again: the receipt is already applied, same answer.
	st, out = call("POST", "/api/v1/sync", map[string]any{"device_id": dev["id"], "changes": []any{receive}})
	again := out["results"].([]any)[0].(map[string]any)
	if st != 200 || again["status"] != "already_applied" || again["result"].(map[string]any)["dossier_id"] != first["result"].(map[string]any)["dossier_id"] {
		t.Fatalf("resend: %d %v", st, again)
	}
	id := first["result"].(map[string]any)["dossier_id"]
	step := func(cid string, version any) map[string]any {
		_, out := call("POST", "/api/v1/sync", map[string]any{"device_id": dev["id"], "changes": []any{map[string]any{"id": cid, "kind": "dossier.step",
			"payload": map[string]any{"dossier_id": id, "action": "submit", "on": "2026-10-31", "portal_code": "G01.DVC-261031-0009", "version": version}}}})
		return out["results"].([]any)[0].(map[string]any)
	}
	if r := step("0b1e2c3d-4e5f-4a6b-8c7d-000000000004", 1); r["status"] != "applied" {
		t.Fatalf("step: %v", r)
	}
	if r := step("0b1e2c3d-4e5f-4a6b-8c7d-000000000005", 1); r["status"] != "refused" || r["error"].(map[string]any)["code"] != "ECONFLICT" {
		t.Fatalf("stale step: %v", r)
	}
	// A session logged offline by a member without team:manage: refused
	// with the reason every time it is sent, never recorded as done.
	logChange := map[string]any{"id": "0b1e2c3d-4e5f-4a6b-8c7d-000000000006", "kind": "session.log", "payload": map[string]any{
		"team_id": 1, "on": "2026-10-30", "residents_helped": 4, "notes": "Trực tối thứ Sáu"}}
	var statuses []string
	for i := 0; i < 2; i++ {
		_, out := call("POST", "/api/v1/sync", map[string]any{"device_id": dev["id"], "changes": []any{logChange}})
		r := out["results"].([]any)[0].(map[string]any)
		statuses = append(statuses, r["status"].(string))
	}
	if statuses[0] != "refused" || statuses[1] != "refused" {
		t.Fatalf("a member's session log: %v", statuses)
	}
	if st, _ := call("POST", "/api/v1/sync", map[string]any{"device_id": 999999, "changes": []any{}}); st != 404 {
		t.Fatalf("unknown device: %d", st)
	}
}

// tokenClient starts the API on the demo with a token of login and returns
// a caller that validates every answer against the OpenAPI document.
func tokenClient(t *testing.T, login string) (*store.Store, func(method, path string, body any) (int, map[string]any)) {
	t.Helper()
	ctx := context.Background()
	s := storetest.DemoSQLite(t)
	cat, _ := i18n.Load()
	srv := httptest.NewServer((&api.API{Store: s, Cat: cat, Now: func() time.Time { return time.Date(2026, 10, 31, 9, 0, 0, 0, time.UTC) }}).Handler())
	t.Cleanup(srv.Close)
	doc := loadSpec(t, srv.URL)
	router, _ := gorillamux.NewRouter(doc)
	u, _, _ := s.Credentials(ctx, login)
	tok, _, _ := s.CreateToken(ctx, domain.CLIActor(), u.ID, "", 0)
	return s, func(method, path string, body any) (int, map[string]any) {
		t.Helper()
		var rd io.Reader
		if body != nil {
			raw, _ := json.Marshal(body)
			rd = bytes.NewReader(raw)
		}
		req, _ := http.NewRequest(method, srv.URL+path, rd)
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		route, params, err := router.FindRoute(req)
		if err != nil {
			t.Fatalf("%s %s not in OpenAPI: %v", method, path, err)
		}
		in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
		out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: res.StatusCode, Header: res.Header, Body: io.NopCloser(bytes.NewReader(b))}
		if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
			t.Fatalf("%s %s: response does not match OpenAPI: %v\n%s", method, path, err, b)
		}
		var m map[string]any
		json.Unmarshal(b, &m)
		return res.StatusCode, m
	}
}

// TestOfflineData: the member's village for the phone — catalogue, open
// dossiers with their versions, sessions, residents without phones or
// CCCD, under 1 MB; audited; another village is not found.
func TestOfflineData(t *testing.T) {
	s, call := tokenClient(t, "thanhvien.dongcam")
	st, m := call("GET", "/api/v1/offline/T000001", nil)
	if st != 200 || len(m["procedures"].([]any)) < 10 || len(m["residents"].([]any)) < 300 || len(m["sessions"].([]any)) == 0 {
		t.Fatalf("offline data: %d", st)
	}
	raw, _ := json.Marshal(m)
	if len(raw) > 1<<20 || strings.Contains(string(raw), "cccd") || strings.Contains(string(raw), "0399") {
		t.Fatalf("%d bytes, or personal numbers in it", len(raw))
	}
	t.Logf("Đông Căm offline data: %d bytes, %d residents", len(raw), len(m["residents"].([]any)))
	if n, _ := s.CountWhere(context.Background(), "audit_log", "action", "offline_download"); n != 1 {
		t.Fatalf("downloads audited: %d", n)
	}
	if st, _ := call("GET", "/api/v1/offline/T000003", nil); st != 404 {
		t.Fatalf("another village: %d", st)
	}
}

// BenchmarkSync50: one phone's outbox of 50 receptions sent in one
// request (each change applied in its own transaction, exactly once).
func BenchmarkSync50(b *testing.B) {
	s := storetest.DemoSQLite(b)
	ctx := context.Background()
	cat, _ := i18n.Load()
	srv := httptest.NewServer((&api.API{Store: s, Cat: cat, Now: func() time.Time { return time.Date(2026, 10, 31, 9, 0, 0, 0, time.UTC) }}).Handler())
	defer srv.Close()
	u, _, _ := s.Credentials(ctx, "thanhvien.dongcam")
	tok, _, _ := s.CreateToken(ctx, domain.CLIActor(), u.ID, "", 0)
	a, _ := s.Actor(ctx, u, "127.0.0.1", "api")
	dev, _ := s.RegisterDevice(ctx, a, "bench")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var changes []any
		for k := 0; k < 50; k++ {
			changes = append(changes, map[string]any{"id": fmt.Sprintf("bench-%08d-%04d-0000", i, k), "kind": "dossier.receive", "payload": map[string]any{
				"village_code": "T000001", "procedure": "2.000815", "applicant_name": "Người thử", "received_on": "2026-10-30", "lookup_code": dev.Prefix + domain.NewLookupCode()}})
		}
		raw, _ := json.Marshal(map[string]any{"device_id": dev.ID, "changes": changes})
		req, _ := http.NewRequest("POST", srv.URL+"/api/v1/sync", bytes.NewReader(raw))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil || res.StatusCode != 200 {
			b.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
	}
}
