package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"thonso/internal/api"
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
