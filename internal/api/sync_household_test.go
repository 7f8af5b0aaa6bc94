package api_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"thonso/internal/domain"
	"thonso/internal/store"
)

// TestSyncHousehold: a household added offline, a resident added to it by
// naming its change, a household corrected on the version read — each
// applied once; a stale or forged change is refused and writes nothing.
func TestSyncHousehold(t *testing.T) {
	s, call := tokenClient(t, "thanhvien.dongcam")
	_, dev := call("POST", "/api/v1/devices", map[string]any{"name": "Điện thoại của Hoa"})
	send := func(changes ...map[string]any) []any {
		t.Helper()
		st, out := call("POST", "/api/v1/sync", map[string]any{"device_id": dev["id"], "changes": changes})
		if st != 200 {
			t.Fatalf("sync: %d %v", st, out)
		}
		return out["results"].([]any)
	}
	ctx := context.Background()
	all := domain.Scope{All: true}
	dongCam := villageID(t, s, "T000001")
	before, _ := s.Households(ctx, all, dongCam)
	hc := map[string]any{"id": "6a000000-0000-4000-8000-000000000001", "kind": "household.create",
		"payload": map[string]any{"village_code": "T000001", "number": "HM-901", "hamlet": "Xóm Mới", "zalo": map[string]any{"since": "2026-11-20", "helped": true}}}
	rc := map[string]any{"id": "6a000000-0000-4000-8000-000000000002", "kind": "resident.create",
		"payload": map[string]any{"household_change": "6a000000-0000-4000-8000-000000000001", "full_name": "Lò Văn Mới", "birth_date": "1990-05-04", "sex": "male", "relation": "chu_ho"}}
	// The whole outbox sent twice (the answer was lost the first time).
	for i := 0; i < 2; i++ {
		res := send(hc, rc)
		want := []string{"applied", "applied"}
		if i == 1 {
			want = []string{"already_applied", "already_applied"}
		}
		for j, r := range res {
			if r.(map[string]any)["status"] != want[j] {
				t.Fatalf("send %d change %d: %v", i, j, r)
			}
		}
	}
	after, _ := s.Households(ctx, all, dongCam)
	if len(after) != len(before)+1 {
		t.Fatalf("households %d → %d, want one more", len(before), len(after))
	}
	var h domain.Household
	for _, x := range after {
		if x.Number == "HM-901" {
			h = x
		}
	}
	if h.ID == 0 || h.Hamlet != "Xóm Mới" || h.Zalo.Since.String() != "2026-11-20" {
		t.Fatalf("household as stored: %+v", h)
	}
	if rs, _, _ := s.Residents(ctx, all, store.ResidentQuery{HouseholdID: h.ID, Limit: 10}); len(rs) != 1 || rs[0].FullName != "Lò Văn Mới" {
		t.Fatalf("the resident added to the new household: %+v", rs)
	}
	// A correction on the version read, then the same version again.
	fix := map[string]any{"id": "6a000000-0000-4000-8000-000000000003", "kind": "household.update",
		"payload": map[string]any{"household_id": h.ID, "version": h.Version, "bank": map[string]any{"since": "2026-11-25", "helped": true}}}
	if r := send(fix)[0].(map[string]any); r["status"] != "applied" {
		t.Fatalf("correction: %v", r)
	}
	got, _ := s.Household(ctx, all, h.ID)
	if !got.Bank.Helped || got.Bank.Since.String() != "2026-11-25" || got.Hamlet != "Xóm Mới" || got.Version != h.Version+1 {
		t.Fatalf("after the correction: %+v", got)
	}
	stale := send(map[string]any{"id": "6a000000-0000-4000-8000-000000000004", "kind": "household.update",
		"payload": map[string]any{"household_id": h.ID, "version": h.Version, "number": "HM-999"}})[0].(map[string]any)
	if e, _ := stale["error"].(map[string]any); stale["status"] != "refused" || e["code"] != "ECONFLICT" || !strings.Contains(e["message"].(string), "HM-901") {
		t.Fatalf("stale correction: %v", stale)
	}
	// Refused and nothing written: another village, a number taken, a
	// broken date, no version, a household change never applied, one made
	// by someone else's id.
	other, _ := s.Households(ctx, all, villageID(t, s, "T000003"))
	audits, _ := s.CountWhere(ctx, "audit_log", "entity", "household")
	for i, bad := range []map[string]any{
		{"kind": "household.create", "payload": map[string]any{"village_code": "T000003", "number": "HM-902"}},
		{"kind": "household.create", "payload": map[string]any{"village_code": "T000001", "number": "HM-901"}},
		{"kind": "household.create", "payload": map[string]any{"village_code": "T000001", "number": ""}},
		{"kind": "household.update", "payload": map[string]any{"household_id": other[0].ID, "version": other[0].Version, "number": "X"}},
		{"kind": "household.update", "payload": map[string]any{"household_id": h.ID, "version": got.Version, "bank": map[string]any{"since": "31/02/2026"}}},
		{"kind": "household.update", "payload": map[string]any{"household_id": h.ID, "number": "X"}},
		{"kind": "resident.create", "payload": map[string]any{"household_change": "6a000000-0000-4000-8000-0000000000ff", "full_name": "Chưa Có Hộ", "birth_date": "1990-01-01", "sex": "male", "relation": "chu_ho"}},
		{"kind": "household.update", "payload": "không phải đối tượng"},
		{"kind": "household.update", "payload": map[string]any{"household_id": "một", "version": 1}},
	} {
		bad["id"] = fmt.Sprintf("6a000000-0000-4000-8000-0000000001%02d", i)
		r := send(bad)[0].(map[string]any)
		e, _ := r["error"].(map[string]any)
		if msg, _ := e["message"].(string); r["status"] != "refused" || msg == "" || strings.ContainsAny(msg, "{}") {
			t.Errorf("bad change %d: %v", i, r)
		}
	}
	if n, _ := s.CountWhere(ctx, "audit_log", "entity", "household"); n != audits {
		t.Fatalf("refused changes wrote %d household audit entries", n-audits)
	}
	if now, _ := s.Household(ctx, all, h.ID); now.Version != got.Version || now.Number != "HM-901" {
		t.Fatalf("a refused change altered the household: %+v", now)
	}
	// The offline copy carries what the correction form needs.
	_, ref := call("GET", "/api/v1/offline/T000001", nil)
	found := false
	for _, x := range ref["households"].([]any) {
		m := x.(map[string]any)
		if m["number"] == "HM-901" {
			found = m["bank"] == "2026-11-25" && m["hamlet"] == "Xóm Mới" && m["version"].(float64) == float64(got.Version)
		}
	}
	if !found {
		t.Fatal("the offline copy lacks the corrected household")
	}
}
