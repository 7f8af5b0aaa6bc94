package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
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

// TestResidentAPI reads and writes households and residents with tokens,
// within scope and with masking, validating each exchange against the
// OpenAPI document.
func TestResidentAPI(t *testing.T) {
	ctx := context.Background()
	s := storetest.DemoSQLite(t)
	cat, _ := i18n.Load()
	srv := httptest.NewServer((&api.API{Store: s, Cat: cat, Now: func() time.Time { return time.Date(2026, 10, 31, 9, 0, 0, 0, time.UTC) }}).Handler())
	defer srv.Close()
	doc := loadSpec(t, srv.URL)
	router, _ := gorillamux.NewRouter(doc)
	token := func(login string) string {
		u, _, err := s.Credentials(ctx, login)
		if err != nil {
			t.Fatal(err)
		}
		secret, _, err := s.CreateToken(ctx, domain.CLIActor(), u.ID, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		return secret
	}
	leader, member, viewer := token("totruong.dongcam"), token("thanhvien.dongcam"), token("xem.laocai")
	call := func(tok, method, path string, body any) (int, string) {
		t.Helper()
		var rd io.Reader
		var raw []byte
		if body != nil {
			if s, ok := body.(string); ok {
				raw = []byte(s)
			} else {
				raw, _ = json.Marshal(body)
			}
			rd = bytes.NewReader(raw)
		}
		req, _ := http.NewRequest(method, srv.URL+path, rd)
		req.Header.Set("Authorization", "Bearer "+tok)
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
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
		if raw != nil {
			req.Body = io.NopCloser(bytes.NewReader(raw))
		}
		out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: res.StatusCode, Header: res.Header, Body: io.NopCloser(bytes.NewReader(b))}
		if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
			t.Fatalf("%s %s response does not match OpenAPI: %v\n%s", method, path, err, b)
		}
		return res.StatusCode, string(b)
	}

	st, body := call(member, "GET", "/api/v1/villages/T000001/residents?at=2024-10-31&limit=200", nil)
	var lst struct {
		Items []struct {
			ID    int64   `json:"id"`
			Phone *string `json:"phone"`
			CCCD  *string `json:"cccd"`
		} `json:"items"`
		Next *string `json:"next"`
	}
	json.Unmarshal([]byte(body), &lst)
	if st != 200 || len(lst.Items) != 200 || lst.Next == nil {
		t.Fatalf("list: %d %d", st, len(lst.Items))
	}
	for _, it := range lst.Items {
		if it.CCCD != nil && !strings.HasPrefix(*it.CCCD, "•••• ") {
			t.Fatalf("unmasked CCCD in a list: %s", *it.CCCD)
		}
	}
	id := strconv.FormatInt(lst.Items[0].ID, 10)
	if st, _ := call(member, "GET", "/api/v1/residents/"+id+"?reveal=true&purpose=support", nil); st != 403 {
		t.Fatalf("member reveal: %d", st)
	}
	if st, b := call(leader, "GET", "/api/v1/residents/"+id+"?reveal=true", nil); st != 400 || !strings.Contains(b, `"field":"purpose"`) {
		t.Fatalf("reveal without purpose: %d %s", st, b)
	}
	if st, b := call(leader, "GET", "/api/v1/residents/"+id+"?reveal=true&purpose=verify", nil); st != 200 || !strings.Contains(b, `"masked":false`) {
		t.Fatalf("reveal: %d %s", st, b)
	}
	if st, _ := call(member, "GET", "/api/v1/villages/T000001/residents?cccd=010190000101", nil); st != 403 {
		t.Fatalf("member CCCD search: %d", st)
	}
	if st, _ := call(leader, "GET", "/api/v1/villages/T000001/residents?cccd=010190000101", nil); st != 200 {
		t.Fatalf("leader CCCD search: %d", st)
	}
	if st, _ := call(viewer, "GET", "/api/v1/residents/"+id, nil); st != 404 {
		t.Fatalf("viewer reads a resident: %d", st)
	}
	if st, _ := call(leader, "GET", "/api/v1/villages/T000003/residents", nil); st != 404 {
		t.Fatalf("another village: %d", st)
	}
	st, body = call(viewer, "GET", "/api/v1/units/T000001/figures?at=2024-10-31", nil)
	if st != 200 || !strings.Contains(body, `"aged_14_plus":387`) || !strings.Contains(body, `"public_service_accounts_14_plus":257`) || !strings.Contains(body, `"public_service_account_rate":0.664`) {
		t.Fatalf("figures: %d %s", st, body)
	}
	if !strings.Contains(body, `"public_service_account_target":0.9`) {
		t.Fatalf("the target of the set in force: %s", body)
	}
	if st, body = call(viewer, "GET", "/api/v1/units/T000001/figures?at=2026-06-01", nil); st != 200 || !strings.Contains(body, `"public_service_account_target":null`) {
		t.Fatalf("no set in force in 2026: %d %s", st, body)
	}

	// Writes.
	st, body = call(member, "POST", "/api/v1/households", map[string]any{"village_code": "T000001", "number": "API-1", "hamlet": "Xóm 2"})
	if st != 201 {
		t.Fatalf("household: %d %s", st, body)
	}
	var h struct{ ID int64 }
	json.Unmarshal([]byte(body), &h)
	newR := map[string]any{"household_id": h.ID, "full_name": "Lù Văn Phúc", "birth_date": "1995-03-04", "sex": "male", "relation": "chu_ho",
		"phone": "+84 399 998 877", "vneid": map[string]any{"since": "2025-01-02", "helped": true}, "portal": map[string]any{"since": "2025-01-03", "helped": true}}
	st, body = call(member, "POST", "/api/v1/residents", newR)
	if st != 201 || !strings.Contains(body, `"phone":"•••• 8877"`) || !strings.Contains(body, `"public_service_account":{"since":"2025-01-03","helped":true}`) {
		t.Fatalf("create: %d %s", st, body)
	}
	var created struct {
		ID      int64 `json:"id"`
		Version int   `json:"version"`
	}
	json.Unmarshal([]byte(body), &created)
	before, _ := s.CountRows(ctx, "residents")
	for name, c := range map[string]struct {
		body  any
		field string
	}{
		"future birth":  {map[string]any{"household_id": h.ID, "full_name": "A", "birth_date": "2099-01-01", "sex": "male"}, "birth"},
		"bad date":      {`{"household_id": 1, "full_name": "A", "birth_date": "31/12/1990", "sex": "male"}`, ""},
		"unknown field": {map[string]any{"household_id": h.ID, "full_name": "A", "birth_date": "1990-01-01", "sex": "male", "password_vneid": "x"}, "password_vneid"},
		"bad phone":     {map[string]any{"household_id": h.ID, "full_name": "A", "birth_date": "1990-01-01", "sex": "male", "phone": "123"}, "phone"},
		"not JSON":      {"{", ""},
	} {
		st, b := call(member, "POST", "/api/v1/residents", c.body)
		if st != 400 || !strings.Contains(b, `"code":"EINVALID"`) || (c.field != "" && !strings.Contains(b, `"field":"`+c.field+`"`)) {
			t.Errorf("%s: %d %s", name, st, b)
		}
	}
	if after, _ := s.CountRows(ctx, "residents"); after != before {
		t.Fatal("a refused body wrote a resident")
	}
	upd := newR
	upd["version"] = created.Version
	upd["smartphone"] = map[string]any{"since": "2025-02-01", "helped": false}
	path := "/api/v1/residents/" + strconv.FormatInt(created.ID, 10)
	if st, b := call(member, "PATCH", path, upd); st != 200 || !strings.Contains(b, `"smartphone":{"since":"2025-02-01","helped":false}`) {
		t.Fatalf("patch: %d %s", st, b)
	}
	if st, b := call(member, "PATCH", path, upd); st != 409 || !strings.Contains(b, `"code":"ECONFLICT"`) {
		t.Fatalf("stale patch: %d %s", st, b)
	}
	// A PATCH without the phone (or with the masked value it was shown)
	// keeps the stored phone.
	lean := map[string]any{"full_name": "Lù Văn Phúc", "birth_date": "1995-03-04", "sex": "male", "relation": "chu_ho", "phone": "•••• 8877", "version": created.Version + 1}
	if st, b := call(member, "PATCH", path, lean); st != 200 || !strings.Contains(b, `"phone":"•••• 8877"`) {
		t.Fatalf("patch without phone: %d %s", st, b)
	}
	if st, _ := call(viewer, "POST", "/api/v1/households", map[string]any{"village_code": "T000001", "number": "API-2"}); st != 404 {
		t.Fatalf("viewer writes: %d", st)
	}
	var rs []domain.Resident
	rs, _, _ = s.Residents(ctx, domain.Scope{All: true}, store.ResidentQuery{HouseholdID: h.ID})
	if len(rs) != 1 || rs[0].Phone != "0399998877" {
		t.Fatalf("stored %+v", rs)
	}
}

// TestDossierAPI receives a dossier, walks it through its steps, and sees
// a wrong step and a stale version refused, all checked against OpenAPI.
func TestDossierAPI(t *testing.T) {
	ctx := context.Background()
	s, call := tokenClient(t, "thanhvien.dongcam")
	if st, m := call("GET", "/api/v1/procedures", nil); st != 200 || len(m["items"].([]any)) < 11 {
		t.Fatalf("catalogue: %d", st)
	}
	st, d := call("POST", "/api/v1/dossiers", map[string]any{"village_code": "T000001", "procedure": "1.010041", "applicant_name": "Lò Văn Thử", "received_on": "2026-10-30"})
	if st != 201 || d["state"] != "received" || len(d["lookup_code"].(string)) != 8 {
		t.Fatalf("receive: %d %v", st, d)
	}
	path := "/api/v1/dossiers/" + strconv.Itoa(int(d["id"].(float64)))
	version := d["version"].(float64)
	// Liên thông: linked procedures go in and come back; a bad one is a
	// 400 naming the field.
	if st, l := call("POST", "/api/v1/dossiers", map[string]any{"village_code": "T000001", "procedure": "1.001193", "applicant_name": "Lò Thị Mẹ", "received_on": "2026-10-30", "linked": []string{"1.004222"}}); st != 201 || fmt.Sprint(l["linked"]) != "[1.004222]" {
		t.Fatalf("linked: %d %v", st, l)
	}
	if st, q := call("GET", "/api/v1/villages/T000001/dossiers?state=received", nil); st != 200 || !strings.Contains(fmt.Sprint(q["items"]), "linked:[1.004222]") {
		t.Fatalf("the queue lacks the linked procedure: %d", st)
	}
	if st, e := call("POST", "/api/v1/dossiers", map[string]any{"village_code": "T000001", "procedure": "1.001193", "applicant_name": "Lò Thị Mẹ", "received_on": "2026-10-30", "linked": []string{"1.001193"}}); st != 400 || e["field"] != "linked" {
		t.Fatalf("linked to itself: %d %v", st, e)
	}
	if st, e := call("POST", path+"/steps", map[string]any{"action": "collect", "on": "2026-10-30", "version": version}); st != 400 || !strings.Contains(e["message"].(string), "nộp trực tuyến") {
		t.Fatalf("out of order: %d %v", st, e)
	}
	for _, s := range []map[string]any{
		{"action": "submit", "on": "2026-10-30", "portal_code": "G01.DVC-261030-7777"},
		{"action": "accept", "on": "2026-10-31"},
		{"action": "return", "on": "2026-10-31"}, // fully online: the result came electronically
	} {
		s["version"] = version
		st, d = call("POST", path+"/steps", s)
		if st != 200 {
			t.Fatalf("%v: %d %v", s["action"], st, d)
		}
		version = d["version"].(float64)
	}
	if d["state"] != "result_returned" || d["step"].(float64) != 5 {
		t.Fatalf("final %v", d)
	}
	if st, e := call("POST", path+"/steps", map[string]any{"action": "void", "on": "2026-10-31", "note": "x", "version": version - 1}); st != 409 || e["code"] != "ECONFLICT" {
		t.Fatalf("stale: %d %v", st, e)
	}
	if st, q := call("GET", "/api/v1/villages/T000001/dossiers?state=result_returned", nil); st != 200 || len(q["items"].([]any)) == 0 {
		t.Fatalf("queue: %d", st)
	}
	if st, q := call("GET", "/api/v1/villages/T000001/dossiers?state=result_returned&member=999999", nil); st != 200 || len(q["items"].([]any)) != 0 {
		t.Fatalf("a member with no dossiers: %d %v", st, q)
	}
	if st, e := call("GET", "/api/v1/villages/T000001/dossiers?member=abc", nil); st != 400 || e["field"] != "member" || !strings.Contains(e["message"].(string), "«abc»") {
		t.Fatalf("bad member: %d %v", st, e)
	}
	if st, _ := call("GET", "/api/v1/villages/T000003/dossiers", nil); st != 404 {
		t.Fatalf("another village's queue: %d", st)
	}
	// Two members receive together; one chosen twice is a 400 on helper_ids.
	dc, _ := s.UnitAt(ctx, "T000001", domain.MustDate("2026-10-31"))
	teams, _ := s.TeamsOf(ctx, dc.ID, domain.MustDate("2026-10-31"))
	ms, _ := s.Members(ctx, teams[0].ID, domain.MustDate("2026-10-31"))
	if st, e := call("POST", "/api/v1/dossiers", map[string]any{"village_code": "T000001", "procedure": "2.000815", "applicant_name": "Lò Văn Đôi", "received_on": "2026-10-30",
		"member_id": ms[0].ID, "helper_ids": []int64{ms[0].ID}}); st != 400 || e["field"] != "helpers" {
		t.Fatalf("helper twice: %d %v", st, e)
	}
	st, two := call("POST", "/api/v1/dossiers", map[string]any{"village_code": "T000001", "procedure": "2.000815", "applicant_name": "Lò Văn Đôi", "received_on": "2026-09-01",
		"member_id": ms[0].ID, "helper_ids": []int64{ms[1].ID}})
	if st != 201 || two["member_id"].(float64) != float64(ms[0].ID) || fmt.Sprint(two["helper_ids"]) != fmt.Sprintf("[%d]", ms[1].ID) || two["overdue"] != false {
		t.Fatalf("two members: %d %v", st, two)
	}
	// Left with the agency past its processing time: overdue, first in the queue.
	late := "/api/v1/dossiers/" + strconv.Itoa(int(two["id"].(float64)))
	v := two["version"].(float64)
	for _, step := range []map[string]any{{"action": "submit", "on": "2026-09-01", "portal_code": "G01.DVC-260901-0001"}, {"action": "accept", "on": "2026-09-02"}} {
		step["version"] = v
		if st, two = call("POST", late+"/steps", step); st != 200 {
			t.Fatalf("%v: %d %v", step["action"], st, two)
		}
		v = two["version"].(float64)
	}
	if two["overdue"] != true {
		t.Fatalf("with the agency since 02/09/2026: %v", two)
	}
	st, q := call("GET", "/api/v1/villages/T000001/dossiers?member="+strconv.FormatInt(ms[1].ID, 10), nil)
	items, _ := q["items"].([]any)
	if st != 200 || len(items) == 0 || items[0].(map[string]any)["id"] != two["id"] {
		t.Fatalf("the helper's queue does not start with the overdue dossier: %d %v", st, q)
	}
	for i := 1; i < len(items); i++ {
		if items[i].(map[string]any)["overdue"] == true && items[i-1].(map[string]any)["overdue"] == false {
			t.Fatal("an overdue dossier after one on time")
		}
	}
}
