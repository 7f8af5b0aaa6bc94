package web_test

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"thonso/internal/domain"
	"thonso/internal/store"
	"thonso/internal/textvi"
)

func TestDossierWorkflowWeb(t *testing.T) {
	env := newLoginEnv(t) // today: 31/10/2026
	b := loggedInAs(t, env, "thanhvien.dongcam")
	// A bad reception comes back beside its field.
	status, body, _ := b.post("/villages/T000001/dossiers", url.Values{"procedure": {""}, "applicant_name": {"Hà Thị Hồng"}, "received_on": {"30/10/2026"}})
	if status != 422 || !strings.Contains(body, "Không có thủ tục mã") || !strings.Contains(body, `value="Hà Thị Hồng"`) {
		t.Fatalf("bad reception: %d", status)
	}
	status, _, h := b.post("/villages/T000001/dossiers", url.Values{"procedure": {"2.000815"}, "applicant_name": {"Hà Thị Hồng"}, "applicant_phone": {"0399 999 555"}, "received_on": {"30/10/2026"}})
	if status != 303 {
		t.Fatalf("receive: %d", status)
	}
	path := h.Get("Location")
	_, body, _ = b.get(path)
	code := regexp.MustCompile(`id="lookup-code">([2-9A-Z]{8})<`).FindStringSubmatch(body)
	if code == nil || !strings.Contains(body, "Bản chính giấy tờ, văn bản") {
		t.Fatalf("receipt slip:\n%.600s", body)
	}
	version := func() string {
		_, body, _ := b.get(path)
		return regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(body)[1]
	}
	step := func(action, on, note, portal string) (int, string) {
		st, body, _ := b.post(path+"/steps", url.Values{"action": {action}, "on": {on}, "note": {note}, "portal_code": {portal}, "version": {version()}})
		return st, body
	}
	// Out of order: the message says what may come next, in words.
	if st, body := step("collect", "30/10/2026", "", ""); st != 422 || !strings.Contains(body, "Việc có thể làm tiếp: nộp trực tuyến") {
		t.Fatalf("out of order: %d", st)
	}
	for _, s := range [][4]string{
		{"submit", "30/10/2026", "", "H15.24-261030-9001"},
		{"accept", "30/10/2026", "", ""},
		{"request_correction", "31/10/2026", "Bổ sung bản chính", ""},
		{"resubmit", "31/10/2026", "", ""},
		{"accept", "31/10/2026", "", ""},
		{"collect", "31/10/2026", "", ""},
	} {
		if st, body := step(s[0], s[1], s[2], s[3]); st != 303 {
			t.Fatalf("%s: %d\n%.400s", s[0], st, body)
		}
	}
	_, body, _ = b.get("/villages/T000001/dossiers")
	if !strings.Contains(body, path) || !strings.Contains(body, "Kính báo Hà Thị Hồng: kết quả thủ tục") || !strings.Contains(body, `href="tel:0399999555"`) {
		t.Fatal("the collected dossier is not in the queue to return, with its notice")
	}
	if st, _ := step("return", "31/10/2026", "", ""); st != 303 {
		t.Fatalf("return: %d", st)
	}
	_, body, _ = b.get("/villages/T000001/dossiers")
	if strings.Contains(body, path+`"`) {
		t.Fatal("a returned dossier is still in the work queue")
	}
	_, body, _ = b.get(path)
	if strings.Contains(body, "portal-code-warning") {
		t.Fatal("a usual portal code is questioned")
	}
	if !strings.Contains(body, "5. Đã trả kết quả") || strings.Count(body, "2. Đã nộp trực tuyến") < 2 {
		t.Fatalf("steps:\n%.800s", body)
	}
	// The month's log book: her row, received and returned dates, an empty
	// signature cell; the view is audited; a bad month says so and shows
	// this month.
	_, body, _ = b.get("/villages/T000001/dossiers/log?month=10/2026")
	row := regexp.MustCompile(`(?s)<tr>\s*<td[^>]*>\d+</td>\s*<td[^>]*>30/10/2026</td>\s*<td[^>]*><a href="` + regexp.QuoteMeta(path) + `"[^>]*>` + code[1] + `</a></td>\s*<td[^>]*>Hà Thị Hồng</td>.*?H15.24-261030-9001.*?<td[^>]*>31/10/2026</td>\s*<td[^>]*class="sign"></td>`)
	if !row.MatchString(body) || !strings.Contains(body, "Sổ theo dõi tiếp nhận và trả kết quả hồ sơ") {
		t.Fatalf("log of 10/2026:\n%s", body)
	}
	if m := regexp.MustCompile(`tiếp nhận (\d+) hồ sơ, trả kết quả (\d+) hồ sơ`).FindStringSubmatch(body); m == nil || m[1] == "0" || m[2] == "0" {
		t.Fatalf("log summary: %v", m)
	}
	if st, body, _ := b.get("/villages/T000001/dossiers/log?month=13/2026"); st != 422 || !strings.Contains(body, "Tháng «13/2026» không hợp lệ") || !strings.Contains(body, `value="13/2026"`) {
		t.Fatalf("bad month: %d", st)
	}
	if _, body, _ = b.get("/villages/T000001/dossiers/log?month=09/2026"); strings.Contains(body, "Hà Thị Hồng") {
		t.Fatal("an October dossier in September's log")
	}
	if es, _, _ := env.store.AuditEntries(context.Background(), domain.Scope{All: true}, store.AuditFilter{Entity: "dossier_log"}); len(es) < 2 || es[0].Action != "view" || es[0].Login != "thanhvien.dongcam" {
		t.Fatalf("log views audited: %+v", es)
	}
	// The commune's officer follows the village's dossiers too.
	if st, _, _ := loggedInAs(t, env, "canbo.giaphu").get(path); st != 200 {
		t.Fatalf("the commune officer: %d", st)
	}
}

// TestMemberQueue: a member sees their own queue; overdue comes first.
func TestMemberQueue(t *testing.T) {
	env := newLoginEnv(t) // today: 31/10/2026
	b := loggedInAs(t, env, "thanhvien.dongcam")
	_, form, _ := b.get("/villages/T000001/dossiers/new")
	opts := regexp.MustCompile(`<option value="(\d+)">([^<]+)</option>`).FindAllStringSubmatch(form[strings.Index(form, `id="member"`):], -1)
	if len(opts) < 2 {
		t.Fatalf("members to choose: %v", opts)
	}
	mine, other := opts[0][1], opts[1][1]
	for _, who := range []struct{ name, member string }{{"Lò Văn Một", mine}, {"Lò Văn Hai", other}} {
		if st, _, _ := b.post("/villages/T000001/dossiers", url.Values{"procedure": {"2.000815"}, "applicant_name": {who.name}, "member": {who.member}, "received_on": {"31/10/2026"}}); st != 303 {
			t.Fatalf("receive for %s: %d", who.name, st)
		}
	}
	// A member of another village's team cannot be named here.
	ctx0 := context.Background()
	other3, _ := env.store.UnitAt(ctx0, "T000003", domain.MustDate("2026-10-31"))
	teams3, _ := env.store.TeamsOf(ctx0, other3.ID, domain.MustDate("2026-10-31"))
	if len(teams3) == 0 {
		t.Fatal("no team in T000003")
	}
	ms3, _ := env.store.Members(ctx0, teams3[0].ID, domain.MustDate("2026-10-31"))
	if st, body, _ := b.post("/villages/T000001/dossiers", url.Values{"procedure": {"2.000815"}, "applicant_name": {"Lò Văn Ba"}, "member": {strconv.FormatInt(ms3[0].ID, 10)}, "received_on": {"31/10/2026"}}); st != 422 ||
		!strings.Contains(body, `id="member-error">Thành viên hỗ trợ đã chọn không thuộc tổ công nghệ số của thôn`) {
		t.Fatalf("a member of another team: %d", st)
	}
	_, body, _ := b.get("/villages/T000001/dossiers?member=" + mine)
	if m := regexp.MustCompile(`href="(/dossiers/\d+)">[^<]*</a>\s*<span class="meta">Lò Văn Một`).FindStringSubmatch(body); m == nil {
		t.Fatal("Lò Văn Một's dossier not in the member's queue")
	} else if _, page, _ := b.get(m[1]); !strings.Contains(page, `id="assisting-member">`+opts[0][2]+`</dd>`) {
		t.Fatalf("the slip does not name the assisting member %s", opts[0][2])
	}
	if !strings.Contains(body, "Lò Văn Một") || strings.Contains(body, "Lò Văn Hai") || !strings.Contains(body, `<option value="`+mine+`" selected>`) {
		t.Fatal("the member's own queue")
	}
	// Not a member of this team: the whole team's queue.
	_, body, _ = b.get("/villages/T000001/dossiers?member=999999")
	if !strings.Contains(body, "Lò Văn Một") || !strings.Contains(body, "Lò Văn Hai") {
		t.Fatal("the whole team's queue")
	}
	// Overdue first within a queue: a 7-day procedure with the agency since
	// 27/10 is on time, a 1-day one since 29/10 is late and comes first.
	ctx, admin := context.Background(), domain.CLIActor()
	withAgency := func(code, name, on1, on2 string) {
		t.Helper()
		_, _, h := b.post("/villages/T000001/dossiers", url.Values{"procedure": {code}, "applicant_name": {name}, "received_on": {on1}})
		id, _ := strconv.ParseInt(strings.TrimPrefix(h.Get("Location"), "/dossiers/"), 10, 64)
		d, err := env.store.Dossier(ctx, admin.Scope(domain.PermDossierEdit), id)
		if err == nil {
			d, err = env.store.AdvanceDossier(ctx, admin, store.Step{DossierID: id, Version: d.Version, Action: domain.ActSubmit, On: domain.MustDate(on1), PortalCode: "H15.24-" + on1[2:4] + on1[5:7] + on1[8:] + "-77" + code[6:8]})
		}
		if err == nil {
			_, err = env.store.AdvanceDossier(ctx, admin, store.Step{DossierID: id, Version: d.Version, Action: domain.ActAccept, On: domain.MustDate(on2)})
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	withAgency("1.004222", "Lò Thị Đúng Hạn", "2026-10-27", "2026-10-27")
	withAgency("2.000815", "Lò Thị Quá Hạn", "2026-10-28", "2026-10-29")
	_, body, _ = b.get("/villages/T000001/dossiers")
	q := body[strings.Index(body, `id="queue.with_agency"`):]
	q = q[:strings.Index(q, "</section>")]
	items := strings.Split(q, "<li>")[1:]
	seenOnTime, overdue := false, 0
	for _, it := range items {
		over := strings.Contains(it, "quá hạn")
		if over {
			overdue++
		}
		if over && seenOnTime {
			t.Fatal("an overdue dossier after one on time")
		}
		seenOnTime = seenOnTime || !over
	}
	if overdue == 0 || !seenOnTime || strings.Index(q, "Lò Thị Quá Hạn") > strings.Index(q, "Lò Thị Đúng Hạn") {
		t.Fatalf("with the agency: %d dossiers, %d overdue\n%s", len(items), overdue, q)
	}
}

// TestLinkedProcedures: a birth registration filed with permanent
// residence (liên thông) is one dossier showing both checklists; a linked
// procedure that is the main one or unknown is refused beside the box,
// and nothing is stored.
func TestLinkedProcedures(t *testing.T) {
	env := newLoginEnv(t) // today: 31/10/2026
	b := loggedInAs(t, env, "thanhvien.dongcam")
	ctx := context.Background()
	count := func() int {
		c, err := env.store.CountDossiers(ctx, mustVillage(t, env), domain.MustDate("2026-10-31"), false)
		if err != nil {
			t.Fatal(err)
		}
		return c.Residents
	}
	before := count()
	for _, bad := range []struct{ linked, want string }{
		{"1.001193", "Thủ tục 1.001193 đã là thủ tục chính của hồ sơ"},
		{"9.999999", "9.999999"},
	} {
		st, body, _ := b.post("/villages/T000001/dossiers", url.Values{"procedure": {"1.001193"}, "applicant_name": {"Vàng Thị Mẹ"}, "subject_name": {"Vàng A Con"},
			"received_on": {"31/10/2026"}, "linked": {"1.004222", bad.linked}})
		if st != 422 || !regexp.MustCompile(`id="linked-error">[^<]*`+regexp.QuoteMeta(bad.want)).MatchString(body) || !strings.Contains(body, `value="1.004222" checked`) {
			t.Fatalf("linked %s: %d", bad.linked, st)
		}
	}
	// A bad phone is shown beside the phone box.
	if st, body, _ := b.post("/villages/T000001/dossiers", url.Values{"procedure": {"1.001193"}, "applicant_name": {"Vàng Thị Mẹ"}, "applicant_phone": {"12"}, "received_on": {"31/10/2026"}}); st != 422 ||
		!regexp.MustCompile(`(?s)id="applicant_phone".{0,400}role="alert"`).MatchString(body) {
		t.Fatalf("bad phone: %d", st)
	}
	if n := count(); n != before {
		t.Fatalf("refused dossiers were stored: %d → %d", before, n)
	}
	st, _, h := b.post("/villages/T000001/dossiers", url.Values{"procedure": {"1.001193"}, "applicant_name": {"Vàng Thị Mẹ"}, "subject_name": {"Vàng A Con"},
		"received_on": {"31/10/2026"}, "linked": {"1.004222", "1.004222", ""}})
	if st != 303 {
		t.Fatalf("receive with linked: %d", st)
	}
	_, body, _ := b.get(h.Get("Location"))
	if !strings.Contains(body, `id="linked-procedures">Đăng ký thường trú (1.004222)</dd>`) || !strings.Contains(body, "Giấy tờ chứng minh chỗ ở hợp pháp") {
		t.Fatalf("the dossier with its linked procedure:\n%s", body)
	}
	if n := count(); n != before+1 {
		t.Fatalf("a linked filing counts once: %d → %d", before, n)
	}
}

func mustVillage(t *testing.T, env loginEnv) int64 {
	t.Helper()
	u, err := env.store.UnitAt(context.Background(), "T000001", domain.MustDate("2026-10-31"))
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// TestApplicantFromRegistry: the member finds the applicant by name
// without accents, picks them, and the dossier is theirs; a resident of
// another village is refused beside the name and nothing is stored.
func TestApplicantFromRegistry(t *testing.T) {
	env := newLoginEnv(t) // today: 31/10/2026
	b := loggedInAs(t, env, "thanhvien.dongcam")
	ctx, all := context.Background(), domain.Scope{All: true}
	dc := mustVillage(t, env)
	rs, _, err := env.store.Residents(ctx, all, store.ResidentQuery{VillageID: dc, At: domain.MustDate("2026-10-31"), Limit: 1})
	if err != nil || len(rs) == 0 {
		t.Fatal(rs, err)
	}
	someone := rs[0]
	_, body, _ := b.get("/villages/T000001/dossiers/new?q=" + url.QueryEscape(textvi.Fold(someone.FullName)))
	pick := fmt.Sprintf(`href="/villages/T000001/dossiers/new?applicant=%d">%s</a> <span class="meta">sinh năm %d</span>`, someone.ID, someone.FullName, someone.BirthDate.Year())
	if !strings.Contains(body, pick) {
		t.Fatalf("search %q does not offer %s:\n%s", textvi.Fold(someone.FullName), someone.FullName, body)
	}
	_, body, _ = b.get(fmt.Sprintf("/villages/T000001/dossiers/new?applicant=%d", someone.ID))
	if !strings.Contains(body, `id="applicant-picked"`) || !strings.Contains(body, fmt.Sprintf(`name="applicant_id" value="%d"`, someone.ID)) {
		t.Fatal("the picked applicant is not on the form")
	}
	// Someone of another village: refused, nothing stored.
	others, _, _ := env.store.Residents(ctx, all, store.ResidentQuery{At: domain.MustDate("2026-10-31"), Limit: 500})
	var stranger domain.Resident
	for _, o := range others {
		if o.VillageID != dc {
			stranger = o
			break
		}
	}
	before, _ := env.store.CountDossiers(ctx, dc, domain.MustDate("2026-10-31"), false)
	st, body, _ := b.post("/villages/T000001/dossiers", url.Values{"procedure": {"2.000815"}, "applicant_id": {strconv.FormatInt(stranger.ID, 10)}, "applicant_name": {"x"}, "received_on": {"31/10/2026"}})
	if stranger.ID == 0 || st != 422 || !regexp.MustCompile(`(?s)id="applicant_name".{0,400}role="alert"`).MatchString(body) {
		t.Fatalf("a resident of another village: %d %d", stranger.ID, st)
	}
	if after, _ := env.store.CountDossiers(ctx, dc, domain.MustDate("2026-10-31"), false); after != before {
		t.Fatal("the refused dossier was stored")
	}
	st, _, h := b.post("/villages/T000001/dossiers", url.Values{"procedure": {"2.000815"}, "applicant_id": {strconv.FormatInt(someone.ID, 10)}, "received_on": {"31/10/2026"}})
	if st != 303 {
		t.Fatalf("receive for a registry resident: %d", st)
	}
	id, _ := strconv.ParseInt(strings.TrimPrefix(h.Get("Location"), "/dossiers/"), 10, 64)
	d, err := env.store.Dossier(ctx, all, id)
	if err != nil || d.ApplicantID != someone.ID || d.ApplicantName != someone.FullName {
		t.Fatalf("dossier applicant: %d %q (%v)", d.ApplicantID, d.ApplicantName, err)
	}
}

// TestStepLabels: the province words step 1 its own way and every village
// under it sees that word (in Vietnamese); bad input changes nothing.
func TestStepLabels(t *testing.T) {
	env := newLoginEnv(t) // today: 31/10/2026
	admin := loggedInAs(t, env, "quantri")
	if _, body, _ := admin.get("/units/15"); !strings.Contains(body, `href="/units/15/step-labels"`) {
		t.Fatal("no link from the province page")
	}
	long := strings.Repeat("Tiếp nhận ", 7)
	if st, body, _ := admin.post("/units/15/step-labels", url.Values{"received": {"Nhận hồ sơ"}, "processing": {long}}); st != 422 ||
		!regexp.MustCompile(`(?s)id="processing".{0,400}Tên bước dài quá 60 ký tự`).MatchString(body) || !strings.Contains(body, `value="Nhận hồ sơ"`) {
		t.Fatalf("too long: %d", st)
	}
	if st, _, _ := admin.post("/units/02923/step-labels", url.Values{"received": {"Nhận"}}); st != 404 {
		t.Fatalf("a commune: %d", st)
	}
	member := loggedInAs(t, env, "thanhvien.dongcam")
	_, _, h := member.post("/villages/T000001/dossiers", url.Values{"procedure": {"2.000815"}, "applicant_name": {"Lò Văn Nhãn"}, "received_on": {"31/10/2026"}})
	path := h.Get("Location")
	if _, body, _ := member.get(path); !strings.Contains(body, `id="dossier-state">1. Tiếp nhận`) {
		t.Fatal("standard label before")
	}
	if st, _, _ := admin.post("/units/15/step-labels", url.Values{"received": {"1. Nhận hồ sơ tại nhà văn hoá"}}); st != 303 {
		t.Fatalf("save: %d", st)
	}
	if _, body, _ := member.get(path); !strings.Contains(body, `id="dossier-state">1. Nhận hồ sơ tại nhà văn hoá`) {
		t.Fatal("the province's label is not used")
	}
	if _, body, _ := member.get("/villages/T000001/dossiers"); !strings.Contains(body, "1. Nhận hồ sơ tại nhà văn hoá") {
		t.Fatal("the queue does not use the province's label")
	}
	member.get("/lang/en?next=/")
	if _, body, _ := member.get(path); !strings.Contains(body, `id="dossier-state">1. Received`) {
		t.Fatalf("English keeps the standard label:\n%.300s", body[strings.Index(body, `id="dossier-state"`):])
	}
}

// TestDossierCounts: the district as of 31/10/2024 shows the report's
// 1.189 residents' dossiers, and every table adds up to them; Đông Căm
// has its 180.
func TestDossierCounts(t *testing.T) {
	env := newLoginEnv(t)
	b := loggedInAs(t, env, "quantri")
	st, body, _ := b.get("/units/086/dossiers?at=31/10/2024")
	if st != 200 || !strings.Contains(body, "1.189 hồ sơ của người dân tiếp nhận đến ngày 31/10/2024") {
		t.Fatalf("district total: %d\n%.2000s", st, body)
	}
	num := regexp.MustCompile(`<td class="num">([\d.]+)</td>`)
	for _, key := range []string{"ui.by_village", "ui.by_step", "ui.by_sector", "ui.by_field", "ui.by_procedure", "ui.by_portal", "ui.by_month"} {
		i := strings.Index(body, `id="`+key+`"`)
		if i < 0 {
			t.Fatalf("no table %s", key)
		}
		sec := body[i:]
		sec = sec[:strings.Index(sec, "</section>")]
		total := 0
		for _, m := range num.FindAllStringSubmatch(sec, -1) {
			n, _ := strconv.Atoi(strings.ReplaceAll(m[1], ".", ""))
			total += n
		}
		if total != 1189 {
			t.Errorf("%s adds up to %d, not 1189", key, total)
		}
	}
	if !regexp.MustCompile(`Thôn Đông Căm <span class="code">T000001</span></td><td class="num">180</td>`).MatchString(body) {
		t.Error("Đông Căm's 180 not in the village table")
	}
	// A bad date says so.
	if st, body, _ := b.get("/units/086/dossiers?at=31/13/2024"); st != 400 || !strings.Contains(body, "31/13/2024") {
		t.Fatalf("bad date: %d", st)
	}
}

// TestTickDocuments: the member ticks the papers received; a paper not on
// the checklist or a stale version changes nothing.
func TestTickDocuments(t *testing.T) {
	env := newLoginEnv(t)
	b := loggedInAs(t, env, "thanhvien.dongcam")
	_, _, h := b.post("/villages/T000001/dossiers", url.Values{"procedure": {"2.000815"}, "applicant_name": {"Lò Văn Giấy"}, "received_on": {"31/10/2026"}})
	path := h.Get("Location")
	ver := func() string {
		_, body, _ := b.get(path)
		return regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(body)[1]
	}
	v1 := ver()
	if st, body, _ := b.post(path+"/documents", url.Values{"version": {v1}, "doc": {"Bản chính giấy tờ, văn bản", "Sổ đỏ"}}); st != 422 || !strings.Contains(body, "«Sổ đỏ» không có trong danh sách giấy tờ") {
		t.Fatalf("unknown paper: %d", st)
	}
	if st, _, _ := b.post(path+"/documents", url.Values{"version": {v1}, "doc": {"Bản chính giấy tờ, văn bản"}}); st != 303 {
		t.Fatalf("tick: %d", st)
	}
	if st, body, _ := b.post(path+"/documents", url.Values{"version": {v1}, "doc": {}}); st != 422 || !strings.Contains(body, `id="documents-error"`) {
		t.Fatalf("stale version: %d", st)
	}
	_, body, _ := b.get(path)
	if !strings.Contains(body, `value="Bản chính giấy tờ, văn bản" checked>`) || strings.Contains(body, `value="Bản sao cần chứng thực (hoặc chụp tại chỗ)" checked>`) {
		t.Fatalf("ticks after saving:\n%s", body[strings.Index(body, `id="documents-form"`):][:900])
	}
}
