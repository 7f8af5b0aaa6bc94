package web_test

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"mime/multipart"

	"thonso/internal/domain"
	"thonso/internal/store"
	"thonso/internal/store/storetest"
)

// TestScorecard: Đông Căm on the report date — the report's 66,4% with its
// numerator and base, the gap to 90%, and the 257 and the 130 behind it;
// someone who may not see residents gets initials.
func TestScorecard(t *testing.T) {
	env := newLoginEnv(t)
	b := loggedInAs(t, env, "totruong.dongcam")
	status, body, _ := b.get("/villages/T000001/scorecard?at=31/10/2024")
	if status != 200 {
		t.Fatalf("scorecard %d", status)
	}
	for _, want := range []string{"Bộ tiêu chí thôn chuyển đổi số thông minh huyện Bảo Thắng giai đoạn 2024–2025", "66,4%", "257 / 387 người từ 14 tuổi",
		"cần thêm 92 người có tài khoản dịch vụ công để đạt ≥ 90%", "Chưa đạt thôn thông minh", "(giả định, không có trong báo cáo)", `href="/villages/T000001/scorecard/6?at=31/10/2024"`} {
		if !strings.Contains(body, want) {
			t.Errorf("scorecard lacks %q", want)
		}
	}
	if n := strings.Count(body, `<tr id="ind-`); n != 16 {
		t.Fatalf("%d indicator rows", n)
	}
	status, body, _ = b.get("/villages/T000001/scorecard/6?at=31/10/2024")
	if status != 200 || !strings.Contains(body, "Được tính (257)") || !strings.Contains(body, "Chưa được tính (130)") {
		t.Fatalf("provenance %d", status)
	}
	if n := strings.Count(body[strings.Index(body, `id="prov-counted"`):strings.Index(body, `id="others-title"`)], "<li>"); n != 257 {
		t.Fatalf("%d listed as counted", n)
	}
	viewer := loggedInAs(t, env, "xem.laocai")
	_, vbody, _ := viewer.get("/villages/T000001/scorecard/6?at=31/10/2024")
	if !strings.Contains(vbody, "chỉ hiện chữ cái đầu") || strings.Contains(vbody, `href="/residents/`) {
		t.Fatal("the viewer sees residents' names")
	}
	es, _, _ := env.store.AuditEntries(storetest.Ctx(), domain.Scope{All: true}, store.AuditFilter{Entity: "provenance", Limit: 10})
	if len(es) != 2 {
		t.Fatalf("provenance views audited: %d", len(es))
	}
	if status, _, _ := b.get("/villages/T000001/scorecard?at=31/02/2024"); status != 400 {
		t.Fatalf("bad date: %d", status)
	}
	if status, _, _ := b.get("/villages/T000001/scorecard/99?at=31/10/2024"); status != 404 {
		t.Fatalf("unknown indicator: %d", status)
	}
	// Before the set's period there is nothing to measure against.
	if _, body, _ := b.get("/villages/T000001/scorecard?at=31/12/2023"); !strings.Contains(body, `id="scorecard-noset"`) {
		t.Fatal("a set outside its period")
	}
}

func (b *browser) uploadField(path string, fields map[string]string, field, name string, data []byte) (int, string) {
	b.t.Helper()
	u, _ := url.Parse(b.base)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == "thonso_csrf" {
			mw.WriteField("csrf", c.Value)
		}
	}
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if data != nil {
		fw, _ := mw.CreateFormFile(field, name)
		fw.Write(data)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", b.base+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(out)
}

// TestAssessmentWeb: the team starts an assessment, bad values and files
// come back beside their box, the commune sends it back with a comment,
// the team resubmits, the commune verifies, the province approves.
func TestAssessmentWeb(t *testing.T) {
	env := newLoginEnv(t)
	lead := loggedInAs(t, env, "totruong.dongcam")
	status, body, _ := lead.post("/villages/T000001/assessments", url.Values{"as_of": {"31/12/2099"}})
	if status != 422 || !strings.Contains(body, `id="as_of-err"`) {
		t.Fatalf("a future date: %d", status)
	}
	status, _, h := lead.post("/villages/T000001/assessments", url.Values{"as_of": {"30/06/2025"}})
	if status != 303 {
		t.Fatalf("start: %d", status)
	}
	path := h.Get("Location")
	_, page, _ := lead.get(path)
	forms := regexp.MustCompile(`action="(/assessments/\d+/values/\d+)"`).FindAllStringSubmatch(page, -1)
	if len(forms) != 3 {
		t.Fatalf("%d entered indicators to fill", len(forms))
	}
	officer := loggedInAs(t, env, "canbo.giaphu")
	// The version from the acting user's page, else from whoever has a form
	// (a crafted request by someone shown none).
	version := func(bs ...*browser) string {
		for _, b := range append(bs, lead, officer) {
			_, p, _ := b.get(path)
			if m := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(p); m != nil {
				return m[1]
			}
		}
		t.Fatal("no form shows the version")
		return ""
	}
	evidence := func() int { n, _ := env.store.CountRows(storetest.Ctx(), "evidence"); return n }
	before := evidence()
	if status, body := lead.uploadField(forms[0][1], map[string]string{"value": "1", "version": version()}, "evidence", "virus.exe", []byte("MZ not a photo")); status != 422 ||
		!strings.Contains(body, "phải là ảnh (JPEG, PNG) hoặc PDF") {
		t.Fatalf("not an image: %d", status)
	}
	if status, body := lead.uploadField(forms[0][1], map[string]string{"value": "nhiều", "version": version()}, "", "", nil); status != 422 || !strings.Contains(body, "Giá trị không hợp lệ") {
		t.Fatalf("not a number: %d", status)
	}
	if evidence() != before {
		t.Fatal("refused evidence was stored")
	}
	for i, f := range forms {
		val := "1"
		if i < 2 { // the rates: 4 and 9
			val = "95"
		}
		var data []byte
		if i == 0 {
			data = []byte("%PDF-1.4\n% biên bản kiểm tra điểm Wi-Fi\n")
		}
		if status, body := lead.uploadField(f[1], map[string]string{"value": val, "version": version()}, "evidence", "bien-ban.pdf", data); status != 303 {
			t.Fatalf("enter %s: %d %s", f[1], status, body)
		}
	}
	review := func(b *browser, action string, extra url.Values) (int, string) {
		if extra == nil {
			extra = url.Values{}
		}
		extra.Set("action", action)
		extra.Set("version", version(b))
		st, body, _ := b.post(path+"/review", extra)
		return st, body
	}
	if st, _ := review(lead, "submit", nil); st != 303 {
		t.Fatalf("submit: %d", st)
	}
	if st, body := review(officer, "return", nil); st != 422 || !strings.Contains(body, `id="comment-err"`) {
		t.Fatalf("return without a comment: %d", st)
	}
	if st, _ := review(officer, "return", url.Values{"comment": {"Thiếu ảnh điểm Wi-Fi thứ hai"}}); st != 303 {
		t.Fatalf("return: %d", st)
	}
	if _, p, _ := lead.get(path); !strings.Contains(p, "Xã trả lại để sửa") || !strings.Contains(p, "Thiếu ảnh điểm Wi-Fi thứ hai") {
		t.Fatal("the team does not see why")
	}
	if _, q, _ := lead.get("/villages/T000001/dossiers"); !strings.Contains(q, `id="queue-assessments"`) || !strings.Contains(q, "Thiếu ảnh điểm Wi-Fi thứ hai") {
		t.Fatal("the sent-back assessment is not in the team's work queue")
	}
	if st, _ := review(lead, "submit", nil); st != 303 {
		t.Fatalf("resubmit: %d", st)
	}
	province := loggedInAs(t, env, "canbo.laocai")
	if st, body := review(province, "approve", url.Values{"decision_no": {"12/QĐ-UBND"}, "decision_date": {"15/07/2025"}}); st != 422 || !strings.Contains(body, "chưa được xã xác minh") {
		t.Fatalf("approve before verification: %d", st)
	}
	if st, _ := review(officer, "verify", nil); st != 303 {
		t.Fatalf("verify: %d", st)
	}
	st, _ := review(province, "approve", url.Values{"decision_no": {"12/QĐ-UBND"}, "decision_date": {"15/07/2025"}})
	if st != 303 {
		t.Fatalf("approve: %d", st)
	}
	_, p, _ := lead.get(path)
	if !strings.Contains(p, "Đã phê duyệt") || strings.Count(p, `<li>`) < 5 {
		t.Fatalf("approved page")
	}
}

// TestCriteriaMatrix: today's Gia Phú on 31/12/2025 holds old Gia Phú's
// and Xuân Giao's villages; each row is its latest approved assessment;
// as it was on 31/12/2024, old Gia Phú alone.
func TestCriteriaMatrix(t *testing.T) {
	env := newLoginEnv(t)
	b := loggedInAs(t, env, "canbo.giaphu")
	status, body, _ := b.get("/units/02923/criteria?at=31/12/2025")
	if status != 200 || !strings.Contains(body, `id="criteria-matrix"`) || !strings.Contains(body, "Thôn Đông Căm") {
		t.Fatalf("matrix %d", status)
	}
	rows := strings.Count(body, `<th scope="row">`)
	cells := strings.Count(body, `class="c-met" title="`) + strings.Count(body, `class="c-unmet" title="`)
	assessed := strings.Count(body, `<span class="meta"><a href="/assessments/`)
	if rows == 0 || assessed == 0 || cells != assessed*16 || strings.Count(body, "Chưa đánh giá") != rows-assessed {
		t.Fatalf("%d villages, %d assessed, %d indicator cells", rows, assessed, cells)
	}
	if !regexp.MustCompile(`\d+/\d+ thôn đạt trong số thôn đã có đánh giá được phê duyệt`).MatchString(body) {
		t.Fatal("no attainment line")
	}
	_, older, _ := b.get("/units/02923/criteria?at=31/12/2024")
	if strings.Count(older, `<th scope="row">`) > rows {
		t.Fatal("more villages as it was than after the merge")
	}
	if status, _, _ := b.get("/units/02923/criteria?at=32/12/2024"); status != 400 {
		t.Fatalf("bad date: %d", status)
	}
}

// TestCriteriaSetForm: the province that took over Bảo Thắng's duties
// manages its set; the set in use is frozen; its copy is edited, a bad
// line comes back at its box with nothing stored, a good edit is saved.
func TestCriteriaSetForm(t *testing.T) {
	env := newLoginEnv(t)
	b := loggedInAs(t, env, "canbo.laocai")
	status, body, _ := b.get("/criteria")
	m := regexp.MustCompile(`href="/criteria/(\d+)">Bộ tiêu chí thôn chuyển đổi số thông minh huyện Bảo Thắng`).FindStringSubmatch(body)
	if status != 200 || m == nil {
		t.Fatalf("sets %d: %s", status, body)
	}
	_, page, _ := b.get("/criteria/" + m[1])
	if !strings.Contains(page, `id="set-frozen"`) || strings.Contains(page, `id="set-save"`) {
		t.Fatal("a set in use is editable")
	}
	status, _, h := b.post("/criteria/"+m[1]+"/copy", nil)
	if status != 303 {
		t.Fatalf("copy: %d", status)
	}
	path := h.Get("Location")
	_, page, _ = b.get(path)
	if !strings.Contains(page, "Phiên bản 2") || !strings.Contains(page, `id="set-save"`) {
		t.Fatal("the copy is not an editable version 2")
	}
	form := url.Values{}
	for _, m := range regexp.MustCompile(`<input name="([^"]+)"[^>]*value="([^"]*)"`).FindAllStringSubmatch(page, -1) {
		form.Set(m[1], m[2])
	}
	for _, m := range regexp.MustCompile(`<input type="hidden" name="lock" value="(\d+)"`).FindAllStringSubmatch(page, -1) {
		form.Set("lock", m[1])
	}
	for _, sel := range regexp.MustCompile(`(?s)<select name="([^"]+)"[^>]*>(.*?)</select>`).FindAllStringSubmatch(page, -1) {
		if opt := regexp.MustCompile(`<option value="([^"]*)" selected>`).FindStringSubmatch(sel[2]); opt != nil {
			form.Set(sel[1], opt[1])
		} else if opt := regexp.MustCompile(`<option value="([^"]*)"`).FindStringSubmatch(sel[2]); opt != nil {
			form.Set(sel[1], opt[1])
		}
	}
	for _, k := range []string{"name", "from", "to", "rule_min"} {
		if v := regexp.MustCompile(`id="` + k + `" name="` + k + `"[^>]*value="([^"]*)"`).FindStringSubmatch(page); v != nil {
			form.Set(k, v[1])
		}
	}
	form.Set("rule", "all_mandatory")
	for _, c := range []string{"0", "1", "2", "4", "6", "7", "10", "11", "12"} { // the report's (R) ones stay mandatory
		form.Set("ind."+c+".mandatory", "1")
	}
	before, _ := env.store.CountRows(storetest.Ctx(), "indicators")
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("ind.1.min", "3")
	bad.Set("ind.1.max", "2")
	status, body, _ = b.post(path, bad)
	if status != 422 || !strings.Contains(body, `id="ind-1-target-err"`) || !strings.Contains(body, "mức thấp 3 lớn hơn mức cao 2") {
		t.Fatalf("inverted range %d", status)
	}
	bad.Set("ind.1.min", "1")
	bad.Set("ind.3.code", "1")
	if status, body, _ = b.post(path, bad); status != 422 || !strings.Contains(body, "Mã chỉ tiêu 1 bị trùng") {
		t.Fatalf("duplicate code %d", status)
	}
	if after, _ := env.store.CountRows(storetest.Ctx(), "indicators"); after != before {
		t.Fatal("a refused set changed the indicators")
	}
	form.Set("ind.5.min", "85")
	status, _, h = b.post(path, form)
	if status != 303 {
		t.Fatalf("save: %d", status)
	}
	if _, page, _ = b.get(h.Get("Location")); !strings.Contains(page, `id="set-saved"`) || !strings.Contains(page, `name="ind.5.min" id="ind-5-min" value="85"`) {
		t.Fatalf("the edit was not saved: %v %s", strings.Contains(page, `id="set-saved"`), regexp.MustCompile(`name="ind.5.min"[^>]*>`).FindString(page))
	}
}
