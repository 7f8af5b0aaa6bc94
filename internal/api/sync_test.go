package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"thonso/internal/domain"
	"thonso/internal/store"
)

// TestSyncResidentCorrection: a resident corrected on the phone (a VNeID
// account opened at the session) is applied once however often it is
// resent; a correction made on details someone has since changed is
// refused with the person's name; a resident of another village, a broken
// date: refused, nothing written.
func TestSyncResidentCorrection(t *testing.T) {
	s, call := tokenClient(t, "thanhvien.dongcam")
	_, dev := call("POST", "/api/v1/devices", map[string]any{"name": "Điện thoại của Hoa"})
	_, ref := call("GET", "/api/v1/offline/T000001", nil)
	team, _ := ref["team"].(map[string]any)
	if team == nil || len(team["members"].([]any)) == 0 {
		t.Fatalf("no team for the session form: %v", ref["team"])
	}
	var p map[string]any
	for _, x := range ref["residents"].([]any) {
		r := x.(map[string]any)
		if r["vneid"] == nil && r["birth"] != nil && r["birth_year"].(float64) < 2000 {
			p = r
			break
		}
	}
	if p == nil {
		t.Fatal("no resident without VNeID in Đông Căm")
	}
	id := int64(p["id"].(float64))
	sync := func(cid string, payload map[string]any) map[string]any {
		t.Helper()
		st, out := call("POST", "/api/v1/sync", map[string]any{"device_id": dev["id"], "changes": []any{
			map[string]any{"id": cid, "kind": "resident.update", "payload": payload}}})
		if st != 200 {
			t.Fatalf("sync: %d %v", st, out)
		}
		return out["results"].([]any)[0].(map[string]any)
	}
	fix := map[string]any{"resident_id": id, "version": p["version"], "vneid": map[string]any{"since": "2026-10-30", "helped": true}}
	for i, want := range []string{"applied", "already_applied", "already_applied"} {
		if r := sync("5e1f0000-0000-4000-8000-000000000001", fix); r["status"] != want {
			t.Fatalf("send %d: %v", i, r)
		}
	}
	ctx := context.Background()
	got, err := s.Resident(ctx, domain.Scope{All: true}, id)
	if err != nil || !got.VNeID.Helped || got.VNeID.Since.String() != "2026-10-30" || got.Version != int(p["version"].(float64))+1 {
		t.Fatalf("after the correction: %+v %v", got.VNeID, err)
	}
	if got.FullName != p["name"] || got.BirthDate.String() != p["birth"] {
		t.Fatalf("fields not sent were changed: %q %s", got.FullName, got.BirthDate)
	}
	audits, _ := s.CountWhere(ctx, "audit_log", "action", "update")
	// The same version again from a second correction: someone changed it.
	stale := sync("5e1f0000-0000-4000-8000-000000000002", map[string]any{"resident_id": id, "version": p["version"], "full_name": "Tên Sai"})
	if e := stale["error"].(map[string]any); stale["status"] != "refused" || e["code"] != "ECONFLICT" || !strings.Contains(e["message"].(string), got.FullName) {
		t.Fatalf("stale correction: %v", stale)
	}
	// Another village's resident, a broken date, no version: refused.
	other, _, _ := s.Residents(ctx, domain.Scope{All: true}, store.ResidentQuery{VillageID: villageID(t, s, "T000003"), Limit: 1})
	for i, bad := range []map[string]any{
		{"resident_id": other[0].ID, "version": other[0].Version, "full_name": "Ngoài thôn"},
		{"resident_id": id, "version": got.Version, "birth_date": "31/02/2020"},
		{"resident_id": id, "full_name": "Không phiên bản"},
		{"resident_id": id, "version": got.Version, "full_name": ""},
	} {
		r := sync(fmt.Sprintf("5e1f0000-0000-4000-8000-00000000001%d", i), bad)
		if r["status"] != "refused" || r["error"].(map[string]any)["message"] == "" {
			t.Errorf("bad correction %d: %v", i, r)
		}
	}
	after, _ := s.Resident(ctx, domain.Scope{All: true}, id)
	if after.Version != got.Version || after.FullName != got.FullName {
		t.Fatalf("a refused correction changed the resident: %+v", after)
	}
	if n, _ := s.CountWhere(ctx, "audit_log", "action", "update"); n != audits {
		t.Fatalf("refused corrections wrote %d updates", n-audits)
	}
}

func villageID(t *testing.T, s *store.Store, code string) int64 {
	t.Helper()
	u, err := s.UnitAt(context.Background(), code, domain.NewDate(2026, 10, 31))
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// TestOfflineFirstSyncOf2000: a village grown to 2,000 residents (with
// their adoption dates) still comes to the phone in under 1 MB over the
// wire, uncompressed (a proxy's gzip makes it about a fifth).
func TestOfflineFirstSyncOf2000(t *testing.T) {
	s, call := tokenClient(t, "thanhvien.dongcam")
	ctx := context.Background()
	dc := villageID(t, s, "T000001")
	n, _ := s.CountWhere(ctx, "residents", "village_id", dc)
	var rows []store.PersonRow
	for i := 0; n+i < 2020; i++ { // a few of the demo's have moved away or died
		d := domain.NewDate(1950+i%60, time.Month(1+i%12), 1+i%28)
		rows = append(rows, store.PersonRow{VillageID: dc, Household: domain.Household{Number: fmt.Sprintf("T%04d", i/4)},
			Resident: domain.Resident{FullName: fmt.Sprintf("Hoàng Thị Thử Nghiệm %d", i), BirthDate: d, Sex: domain.SexFemale, Relation: domain.Relation("con"),
				Smartphone: domain.Adoption{Since: domain.NewDate(2024, 3, 1)}, VNeID: domain.Adoption{Since: domain.NewDate(2024, 5, 2), Helped: true}}})
		if i%4 == 0 {
			rows[len(rows)-1].Resident.Relation = domain.Relation("chu_ho")
		}
	}
	if _, err := s.ApplyPeople(ctx, domain.CLIActor(), rows, store.PeopleOptions{Source: "test"}); err != nil {
		t.Fatal(err)
	}
	st, m := call("GET", "/api/v1/offline/T000001", nil)
	raw, _ := json.Marshal(m)
	people := len(m["residents"].([]any))
	if st != 200 || people < 2000 || len(raw) > 1<<20 {
		t.Fatalf("%d: %d residents in %d B (limit 1 MB)", st, people, len(raw))
	}
	t.Logf("first sync of %d residents: %d B", people, len(raw))
}
