package web_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"thonso/internal/demo"
	"thonso/internal/domain"
	"thonso/internal/store"
)

func loggedInAs(t *testing.T, env loginEnv, login string) *browser {
	b := newBrowser(t, env.srv.URL)
	b.get("/login")
	if status, _, _ := b.post("/login", url.Values{"login": {login}, "password": {demo.Password}}); status != 303 {
		t.Fatalf("login %s: %d", login, status)
	}
	return b
}

func TestResidentPages(t *testing.T) {
	env := newLoginEnv(t)
	ctx := context.Background()
	dc, _ := env.store.UnitAt(ctx, "T000001", demo.End)
	all := domain.Scope{All: true}
	hs, _ := env.store.Households(ctx, all, dc.ID)
	people, _, _ := env.store.Residents(ctx, all, store.ResidentQuery{HouseholdID: hs[0].ID})
	var r domain.Resident
	for _, p := range people {
		if p.Phone != "" && p.CCCD != "" {
			r = p
		}
	}
	if r.ID == 0 {
		t.Fatal("no resident with phone and CCCD in household 1")
	}
	id := strconv.FormatInt(r.ID, 10)

	member := loggedInAs(t, env, "thanhvien.dongcam")
	status, body, h := member.get("/villages/T000001/residents?at=31/10/2024&q=1")
	if status != 200 || h.Get("Cache-Control") != "no-store" {
		t.Fatalf("list: %d", status)
	}
	for _, want := range []string{"257/387 (66,4%)", "Người từ 14 tuổi có tài khoản dịch vụ công", "•••• " + r.Phone[6:], "Dữ liệu minh hoạ"} {
		if !strings.Contains(body, want) {
			t.Errorf("list lacks %q", want)
		}
	}
	if strings.Contains(body, r.Phone) {
		t.Fatal("the list shows a phone unmasked")
	}
	// Searching by CCCD: not for a member; for the leader, audited.
	if _, body, _ := member.get("/villages/T000001/residents?q=" + r.CCCD); !strings.Contains(body, "cần quyền xem thông tin cá nhân") || strings.Contains(body, r.FullName) {
		t.Fatal("a member searched by CCCD")
	}
	status, body, _ = member.get("/residents/" + id)
	if status != 200 || strings.Contains(body, r.CCCD) || !strings.Contains(body, "•••• "+r.CCCD[8:]) || strings.Contains(body, `id="reveal"`) {
		t.Fatalf("member's view: %d", status)
	}
	if status, _, _ := member.post("/residents/"+id+"/reveal", url.Values{"purpose": {"support"}}); status != 403 {
		t.Fatalf("member reveal: %d", status)
	}

	leader := loggedInAs(t, env, "totruong.dongcam")
	_, body, _ = leader.get("/residents/" + id)
	if !strings.Contains(body, `id="reveal"`) || strings.Contains(body, r.CCCD) {
		t.Fatal("leader: masked by default, with a reveal button")
	}
	if _, body, _ := leader.get("/villages/T000001/residents?q=" + r.CCCD); !strings.Contains(body, r.FullName) {
		t.Fatal("the leader cannot find by CCCD")
	}
	if _, body, _ := leader.get("/villages/T000001/residents?sort=full"); !strings.Contains(body, "<strong>họ và tên</strong>") {
		t.Fatal("sort by full name")
	}
	if status, body, _ := leader.post("/residents/"+id+"/reveal", url.Values{"purpose": {""}}); status != 422 || !strings.Contains(body, "Hãy chọn mục đích") {
		t.Fatalf("reveal without a purpose: %d", status)
	}
	status, body, _ = leader.post("/residents/"+id+"/reveal", url.Values{"purpose": {"verify"}})
	if status != 200 || !strings.Contains(body, r.CCCD) || !strings.Contains(body, r.Phone) {
		t.Fatalf("reveal: %d", status)
	}
	es, _, _ := env.store.AuditEntries(ctx, all, store.AuditFilter{Entity: "resident", EntityID: id})
	actions := map[string]string{}
	for _, e := range es {
		actions[e.Action+"/"+e.Login] = e.Purpose
	}
	if _, ok := actions["view/thanhvien.dongcam"]; !ok || actions["reveal/totruong.dongcam"] != "verify" {
		t.Fatalf("audit: %v", actions)
	}

	// Edit form: bad input comes back beside the field, stored data untouched.
	before, _ := env.store.Resident(ctx, all, r.ID)
	form := url.Values{"full_name": {r.FullName}, "birth": {"31/02/1990"}, "sex": {string(r.Sex)}, "relation": {string(r.Relation)}, "version": {strconv.Itoa(r.Version)}}
	status, body, _ = leader.post("/residents/"+id, form)
	if status != 422 || !strings.Contains(body, "Ngày “31/02/1990” không hợp lệ") || !strings.Contains(body, `value="`+r.FullName+`"`) {
		t.Fatalf("bad date: %d", status)
	}
	form.Set("birth", "01/01/2090")
	if _, body, _ = leader.post("/residents/"+id, form); !strings.Contains(body, "ở tương lai") {
		t.Fatal("future birth accepted")
	}
	form.Set("birth", "1880")
	if _, body, _ = leader.post("/residents/"+id, form); !strings.Contains(body, "tuổi trên 130") {
		t.Fatal("age over 130 accepted")
	}
	other := people[0]
	if other.ID == r.ID {
		other = people[1]
	}
	form = url.Values{"full_name": {other.FullName}, "birth": {other.BirthText()}, "sex": {string(other.Sex)}, "relation": {string(other.Relation)},
		"cccd": {r.CCCD}, "version": {strconv.Itoa(other.Version)}}
	status, body, _ = leader.post("/residents/"+strconv.FormatInt(other.ID, 10), form)
	if status != 422 || !(strings.Contains(body, "đã thuộc về một nhân khẩu khác") || strings.Contains(body, "không khớp giới tính")) {
		t.Fatalf("duplicate CCCD: %d", status)
	}
	if after, _ := env.store.Resident(ctx, all, r.ID); after != before {
		t.Fatal("a refused form changed the resident")
	}
	// A good edit; then the same (stale) form again is refused.
	form = url.Values{"full_name": {r.FullName}, "birth": {r.BirthText()}, "sex": {string(r.Sex)}, "relation": {string(r.Relation)}, "phone": {r.Phone},
		"cccd": {r.CCCD}, "smartphone": {"02/03/2024"}, "smartphone_helped": {"1"}, "version": {strconv.Itoa(r.Version)}}
	if status, _, _ := leader.post("/residents/"+id, form); status != 303 {
		t.Fatalf("edit: %d", status)
	}
	if status, body, _ := leader.post("/residents/"+id, form); status != 422 || !strings.Contains(body, "Người khác vừa sửa") {
		t.Fatalf("stale edit: %d", status)
	}
	// An officer elsewhere does not know the resident exists.
	if _, err := env.store.CreateUser(ctx, domain.CLIActor(), store.NewUser{Login: "canbo.phonghai", Name: "X", PasswordHash: domain.HashPassword(demo.Password)}, domain.RoleOfficer, mustUnitID(t, env, "02902")); err != nil {
		t.Fatal(err)
	}
	out := loggedInAs(t, env, "canbo.phonghai")
	if status, _, _ := out.get("/residents/" + id); status != 404 {
		t.Fatalf("out of scope: %d", status)
	}
}

func mustUnitID(t *testing.T, env loginEnv, code string) int64 {
	u, err := env.store.UnitAt(context.Background(), code, demo.End)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}
