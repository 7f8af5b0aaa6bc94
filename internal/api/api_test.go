package api_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"thonso/internal/api"
	"thonso/internal/domain"
	"thonso/internal/i18n"
	"thonso/internal/store/storetest"
)

func newServer(t *testing.T) *httptest.Server {
	t.Helper()
	s := storetest.DemoSQLite(t)
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return time.Date(2026, 10, 31, 9, 0, 0, 0, time.UTC) }
	a := &api.API{Store: s, Cat: cat, Now: now}
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	return srv
}

func loadSpec(t *testing.T, base string) *openapi3.T {
	t.Helper()
	res, err := http.Get(base + "/api/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	doc, err := openapi3.NewLoader().LoadFromData(b)
	if err != nil {
		t.Fatalf("openapi: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("openapi invalid: %v", err)
	}
	doc.Servers = openapi3.Servers{{URL: base}}
	return doc
}

// TestAPI calls every endpoint, checks status and content, and validates
// each response against the OpenAPI document.
func TestAPI(t *testing.T) {
	srv := newServer(t)
	doc := loadSpec(t, srv.URL)
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, path, lang string
		status           int
		contains         []string
	}{
		{"old Gia Phú", "/api/v1/units/02923?at=2024-10-31", "", 200, []string{`"name":"Xã Gia Phú"`, `"valid_to":"2025-06-30"`, `"parent":{"code":"086","name":"Huyện Bảo Thắng","level":"district"}`, `"predecessors":[]`}},
		{"new Gia Phú", "/api/v1/units/02923?at=2025-07-01", "", 200, []string{`"valid_from":"2025-07-01"`, `"code":"02932","name":"Xã Xuân Giao","valid_to":"2025-06-30","kind":"merge_full"`, `"parent":{"code":"15","name":"Tỉnh Lào Cai","level":"province"}`}},
		{"today by default", "/api/v1/units/15", "", 200, []string{`"name":"Tỉnh Lào Cai"`}},
		{"code reused", "/api/v1/units/15?at=2024-01-01", "", 200, []string{`"name":"Tỉnh Yên Bái"`, `"successors":[{"code":"15","name":"Tỉnh Lào Cai","valid_from":"2025-07-01","kind":"merge_full"}]`}},
		{"village has slug", "/api/v1/units/T000001?at=2024-10-31", "", 200, []string{`"slug":"dong-cam"`, `"level":"village"`}},
		{"district gone", "/api/v1/units/086?at=2025-07-01", "", 404, []string{`"code":"ENOTFOUND"`, `"message":"Không tìm thấy đơn vị có mã 086 vào ngày 01/07/2025."`, `"field":null`}},
		{"english error", "/api/v1/units/086?at=2025-07-01", "en-US,en;q=0.8", 404, []string{`"message":"No unit with code 086 on 01/07/2025."`}},
		{"bad date", "/api/v1/units/086?at=31/10/2024", "", 400, []string{`"code":"EINVALID"`, `"field":"at"`, "YYYY-MM-DD"}},
		{"children", "/api/v1/units?parent=086&at=2024-10-31&limit=5", "", 200, []string{`"next":"02914"`, `"code":"02902"`}},
		{"children page 2", "/api/v1/units?parent=086&at=2024-10-31&limit=100&cursor=02914", "", 200, []string{`"code":"02917"`, `"next":null`}},
		{"search no accents", "/api/v1/units?q=xuan%20giao&at=2024-10-31", "", 200, []string{`"name":"Xã Xuân Giao"`}},
		{"bad limit", "/api/v1/units?limit=0", "", 400, []string{`"field":"limit"`}},
		{"bad level", "/api/v1/units?level=hamlet", "", 400, []string{`"field":"level"`}},
		{"unknown parent", "/api/v1/units?parent=086&at=2026-01-01", "", 404, []string{`"field":"parent"`}},
		{"villages", "/api/v1/villages?q=dong%20cam&at=2024-10-31", "", 200, []string{`{"items":[{"code":"T000001","slug":"dong-cam","name":"Thôn Đông Căm","commune":{"code":"02923","name":"Xã Gia Phú"}}],"next":null}`}},
		{"villages today", "/api/v1/villages?q=BAU&at=2026-10-31", "", 200, []string{`"commune":{"code":"02923","name":"Xã Gia Phú"}`, `"name":"Thôn Bầu 1"`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", srv.URL+c.path, nil)
			if c.lang != "" {
				req.Header.Set("Accept-Language", c.lang)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != c.status {
				t.Fatalf("status %d, want %d: %s", res.StatusCode, c.status, body)
			}
			for _, want := range c.contains {
				if !strings.Contains(string(body), want) {
					t.Errorf("body lacks %s:\n%s", want, body)
				}
			}
			if !json.Valid(body) {
				t.Fatalf("not JSON: %s", body)
			}
			route, params, err := router.FindRoute(req)
			if err != nil {
				t.Fatalf("route not in OpenAPI: %v", err)
			}
			in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route}
			out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: res.StatusCode, Header: res.Header, Body: io.NopCloser(strings.NewReader(string(body)))}
			if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
				t.Fatalf("response does not match OpenAPI: %v", err)
			}
		})
	}
}

func TestTokens(t *testing.T) {
	ctx := context.Background()
	s := storetest.DemoSQLite(t)
	cat, _ := i18n.Load()
	srv := httptest.NewServer((&api.API{Store: s, Cat: cat}).Handler())
	defer srv.Close()
	u, _, _ := s.Credentials(ctx, "canbo.giaphu")
	secret, tok, err := s.CreateToken(ctx, domain.CLIActor(), u.ID, "thử", 0)
	if err != nil {
		t.Fatal(err)
	}
	call := func(auth, lang string) (int, string) {
		req, _ := http.NewRequest("GET", srv.URL+"/api/v1/me", nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		if lang != "" {
			req.Header.Set("Accept-Language", lang)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		return res.StatusCode, string(b)
	}
	if st, b := call("Bearer "+secret, ""); st != 200 || !strings.Contains(b, `"login":"canbo.giaphu"`) || !strings.Contains(b, `"role":"officer","unit":{"code":"02923","name":"Xã Gia Phú","level":"commune"}`) || !strings.Contains(b, "assessment:verify") {
		t.Fatalf("me: %d %s", st, b)
	}
	if st, b := call("", ""); st != 401 || !strings.Contains(b, `"code":"EUNAUTHORIZED"`) || !strings.Contains(b, "Cần mã API") {
		t.Fatalf("no token: %d %s", st, b)
	}
	if st, b := call("Bearer ts_khongdung", "en"); st != 401 || !strings.Contains(b, `"message":"The API token is invalid, expired or revoked."`) || !strings.Contains(b, `"field":null`) {
		t.Fatalf("bad token: %d %s", st, b)
	}
	if err := s.RevokeToken(ctx, domain.CLIActor(), u.ID, tok.ID); err != nil {
		t.Fatal(err)
	}
	if st, b := call("Bearer "+secret, ""); st != 401 || !strings.Contains(b, "đã bị thu hồi") {
		t.Fatalf("revoked token: %d %s", st, b)
	}
	// Public endpoints still answer without a token, and refuse a bad one.
	res, _ := http.Get(srv.URL + "/api/v1/units/15")
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("public endpoint: %d", res.StatusCode)
	}
}
