package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"thonso/internal/demo"
	"thonso/internal/domain"
	"thonso/internal/store"
)

func dataSums(t *testing.T, s *store.Store) map[string]store.TableSum {
	t.Helper()
	all, err := s.Checksums(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for k := range traffic {
		delete(all, k)
	}
	return all
}

func sameSums(t *testing.T, what string, before, after map[string]store.TableSum) {
	t.Helper()
	for tb, s := range before {
		if after[tb] != s {
			t.Errorf("%s: table %s changed", what, tb)
		}
	}
}

// TestResidentConsentAndRequests walks the duties of #11 as a team
// leader: a consent recorded (bad input first), a "see" request answered
// with a PDF and a JSON file read back, a refusal that needs a reason, a
// "delete" that anonymises.
func TestResidentConsentAndRequests(t *testing.T) {
	env := newLoginEnv(t)
	ctx := context.Background()
	dc, _ := env.store.UnitAt(ctx, "T000001", demo.End)
	all := domain.Scope{All: true}
	ds, err := env.store.Dossiers(ctx, all, store.DossierQuery{VillageID: dc.ID, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var res domain.Resident
	for _, d := range ds {
		if d.ApplicantID != 0 && !d.Practice {
			res, _ = env.store.Resident(ctx, all, d.ApplicantID)
			break
		}
	}
	if res.ID == 0 {
		t.Fatal("no applicant")
	}
	rp := "/residents/" + strconv.FormatInt(res.ID, 10)
	b := loggedInAs(t, env, "totruong.dongcam")
	if status, body, _ := b.get(rp); status != 200 || !strings.Contains(body, `id="consent-form"`) || !strings.Contains(body, `id="request-form"`) ||
		!strings.Contains(body, "Chưa có sự đồng ý nào được ghi nhận.") {
		t.Fatalf("resident page: %d", status)
	}

	// Bad input: the message beside its field, nothing stored.
	before := dataSums(t, env.store)
	for _, c := range []struct {
		form  url.Values
		field string
		msg   string
	}{
		{url.Values{"given_on": {"31/02/2026"}, "how": {"phone"}}, "given_on", "Hãy nhập ngày người đó đồng ý (dd/mm/yyyy)."},
		{url.Values{"given_on": {"01/01/2027"}, "how": {"phone"}}, "given_on", "Ngày đồng ý không được sau hôm nay."},
		{url.Values{"given_on": {"30/10/2026"}}, "how", "Hãy chọn cách người đó đồng ý"},
	} {
		status, body, _ := b.post(rp+"/consents", c.form)
		if status != 422 || !strings.Contains(body, `id="`+c.field+`-err" role="alert">`+c.msg) {
			t.Errorf("consent %v: %d, want the message beside %s", c.form, status, c.field)
		}
	}
	for _, c := range []struct {
		form  url.Values
		field string
		msg   string
	}{
		{url.Values{"received_on": {"30/10/2026"}}, "kind", "Hãy chọn loại yêu cầu: xem, sửa hoặc xoá dữ liệu."},
		{url.Values{"kind": {"see"}, "received_on": {"hôm qua"}}, "received_on", "Hãy nhập ngày nhận yêu cầu (dd/mm/yyyy)."},
		{url.Values{"kind": {"see"}, "received_on": {"02/11/2026"}}, "received_on", "Ngày nhận yêu cầu không được sau hôm nay."},
	} {
		status, body, _ := b.post(rp+"/requests", c.form)
		if status != 422 || !strings.Contains(body, `id="`+c.field+`-err" role="alert">`+c.msg) {
			t.Errorf("request %v: %d, want the message beside %s", c.form, status, c.field)
		}
	}
	sameSums(t, "refused forms", before, dataSums(t, env.store))

	// A consent to be phoned, given on paper.
	if status, _, _ := b.post(rp+"/consents", url.Values{"given_on": {"30/10/2026"}, "how": {"paper_form"}, "note": {"Phiếu số 7"}}); status != 303 {
		t.Fatalf("consent: %d", status)
	}
	if _, body, _ := b.get(rp); !strings.Contains(body, "Tổ công nghệ số được gọi điện liên hệ · Ngày đồng ý 30/10/2026 · Phiếu giấy có chữ ký · Phiếu số 7") ||
		!strings.Contains(body, "Còn hiệu lực") {
		t.Fatalf("consent not shown: %.2000s", body[strings.Index(body, "<h2>Sự đồng ý"):])
	}

	// A second one while the first is in force: refused, said on the form.
	if status, body, _ := b.post(rp+"/consents", url.Values{"given_on": {"31/10/2026"}, "how": {"zalo"}}); status != 422 ||
		!strings.Contains(body, `id="consent_purpose-err" role="alert">Người này đang có một sự đồng ý còn hiệu lực cho mục đích này.`) {
		t.Fatalf("second consent: %d", status)
	}

	// "See": received on Thursday 29/10/2026, due Monday 02/11/2026.
	status, _, h := b.post(rp+"/requests", url.Values{"kind": {"see"}, "received_on": {"29/10/2026"}, "request_note": {"Xin bản dữ liệu"}})
	if status != 303 || !strings.HasPrefix(h.Get("Location"), "/requests/") {
		t.Fatalf("request: %d %s", status, h.Get("Location"))
	}
	reqURL := h.Get("Location")
	if _, body, _ := b.get(reqURL); !strings.Contains(body, `<dd id="due">02/11/2026`) || !strings.Contains(body, "data.pdf") {
		t.Fatalf("request page: %.1500s", body)
	}
	status, pdf, ph := b.get(reqURL + "/data.pdf")
	if status != 200 || ph.Get("Content-Type") != "application/pdf" {
		t.Fatalf("pdf: %d", status)
	}
	if text := pdfText(t, []byte(pdf)); text != "" {
		for _, want := range []string{"Dữ liệu cá nhân Thôn Số đang lưu về " + res.FullName, "Hồ sơ hành chính đã được hỗ trợ", "Sự đồng ý",
			"Tổ công nghệ số được gọi điện liên hệ", "Nhật ký: ai đã xem, sửa dữ liệu của người này", "Thôn Đông Căm", "Xem dữ liệu của mình"} {
			if !strings.Contains(text, want) {
				t.Errorf("PDF lacks %q", want)
			}
		}
	}
	status, js, _ := b.get(reqURL + "/data.json")
	var file struct {
		Resident struct {
			ID       int64   `json:"id"`
			FullName string  `json:"full_name"`
			Phone    *string `json:"phone"`
		} `json:"resident"`
		Household struct{ Number string } `json:"household"`
		Dossiers  []struct {
			Procedure  string `json:"procedure"`
			ReceivedOn string `json:"received_on"`
		} `json:"dossiers"`
		Consents []struct {
			Purpose, How, GivenOn string `json:"-"`
		} `json:"consents"`
		Requests []map[string]any `json:"requests"`
		Audit    []struct {
			Action  string  `json:"action"`
			Purpose *string `json:"purpose"`
		} `json:"audit"`
	}
	if err := json.Unmarshal([]byte(js), &file); status != 200 || err != nil {
		t.Fatalf("json: %d %v", status, err)
	}
	if file.Resident.ID != res.ID || file.Resident.FullName != res.FullName || len(file.Dossiers) == 0 || file.Dossiers[0].Procedure == "" ||
		len(file.Consents) != 1 || len(file.Requests) != 1 || file.Household.Number == "" {
		t.Fatalf("json content: %+v", file)
	}
	exported := 0
	for _, e := range file.Audit {
		if e.Action == "export" && e.Purpose != nil && *e.Purpose == "subject_request" {
			exported++
		}
	}
	if exported != 1 { // the PDF, made before the JSON, is in the JSON's audit
		t.Errorf("%d exports with purpose subject_request in the audit", exported)
	}

	// A refusal needs a reason; the request stays open.
	before = dataSums(t, env.store)
	if status, body, _ := b.post(reqURL+"/close", url.Values{"state": {"refused"}, "version": {"1"}}); status != 422 ||
		!strings.Contains(body, `id="reason-err" role="alert">Từ chối yêu cầu thì phải ghi lý do.`) {
		t.Fatalf("refusal without a reason: %d", status)
	}
	if status, body, _ := b.post(reqURL+"/close", url.Values{"version": {"1"}}); status != 422 || !strings.Contains(body, "Hãy chọn kết quả: đã thực hiện hoặc từ chối.") {
		t.Fatalf("no state: %d", status)
	}
	sameSums(t, "refused close", before, dataSums(t, env.store))
	if status, _, _ := b.post(reqURL+"/close", url.Values{"state": {"done"}, "version": {"1"}}); status != 303 {
		t.Fatalf("done: %d", status)
	}

	// The register lists it; an open overdue one is flagged.
	if _, err := env.store.CreateSubjectRequest(ctx, domain.CLIActor(), domain.SubjectRequest{ResidentID: res.ID, Kind: "correct", ReceivedOn: domain.MustDate("2026-10-26")}); err != nil {
		t.Fatal(err)
	}
	if _, body, _ := b.get("/requests"); !strings.Contains(body, `id="overdue-count">Quá hạn: 1`) || !strings.Contains(body, "Sửa dữ liệu") || !strings.Contains(body, "Đã thực hiện") {
		t.Fatalf("register: %.3000s", body)
	}

	// Delete: the name goes, the village's figures stay.
	figBefore, _ := env.store.Figures(ctx, dc.ID, demo.End)
	status, _, h = b.post(rp+"/requests", url.Values{"kind": {"delete"}, "received_on": {"31/10/2026"}})
	if status != 303 {
		t.Fatalf("delete request: %d", status)
	}
	if _, body, _ := b.get(h.Get("Location")); !strings.Contains(body, `id="delete-warning"`) {
		t.Fatal("no warning before a delete")
	}
	if status, _, _ := b.post(h.Get("Location")+"/close", url.Values{"state": {"done"}, "version": {"1"}}); status != 303 {
		t.Fatalf("delete done: %d", status)
	}
	_, body, _ := b.get(rp)
	if !strings.Contains(body, domain.ErasedName(res.ID)) || strings.Contains(body, res.FullName) || !strings.Contains(body, `id="erased"`) {
		t.Fatalf("anonymised page: %.1000s", body)
	}
	if figAfter, _ := env.store.Figures(ctx, dc.ID, demo.End); figAfter != figBefore {
		t.Fatalf("figures changed: %+v → %+v", figBefore, figAfter)
	}
	// A team member cannot open the register.
	m := loggedInAs(t, env, "thanhvien.dongcam")
	if status, _, _ := m.get("/requests"); status != 403 {
		t.Fatalf("member: %d", status)
	}
}

// TestMemberConsentOnPublicPage: the village page shows a member's phone
// only while their consent is in force.
func TestMemberConsentOnPublicPage(t *testing.T) {
	env := newLoginEnv(t)
	ctx := context.Background()
	dc, _ := env.store.UnitAt(ctx, "T000001", demo.End)
	teams, _ := env.store.TeamsOf(ctx, dc.ID, demo.End)
	ms, _ := env.store.Members(ctx, teams[0].ID, demo.End)
	var lead domain.Member
	for _, m := range ms {
		if m.Phone == "0399995001" {
			lead = m
		}
	}
	if lead.ID == 0 || lead.PublicPhone() == "" {
		t.Fatalf("leader %+v", lead)
	}
	public := func() string {
		res, err := http.Get(env.srv.URL + "/v/dong-cam")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return string(b)
	}
	if !strings.Contains(public(), `href="tel:0399995001"`) {
		t.Fatal("the leader's phone is not on the page")
	}
	b := loggedInAs(t, env, "totruong.dongcam")
	base := "/teams/" + strconv.FormatInt(teams[0].ID, 10) + "/members/" + strconv.FormatInt(lead.ID, 10)
	before := dataSums(t, env.store)
	if status, body, _ := b.post(base+"/consent/withdraw", url.Values{"withdrawn_on": {"01/11/2026"}}); status != 422 || !strings.Contains(body, "Ngày rút lại không được sau hôm nay.") {
		t.Fatalf("withdrawal tomorrow: %d", status)
	}
	sameSums(t, "refused withdrawal", before, dataSums(t, env.store))
	if status, _, _ := b.post(base+"/consent/withdraw", url.Values{"withdrawn_on": {"31/10/2026"}}); status != 303 {
		t.Fatalf("withdraw: %d", status)
	}
	if strings.Contains(public(), "0399995001") || strings.Contains(public(), "0399 995 001") {
		t.Fatal("the phone stayed on the page after the consent was withdrawn")
	}
	if status, body, _ := b.post(base+"/consent", url.Values{"given_on": {"31/10/2026"}, "how": {"fax"}}); status != 422 || !strings.Contains(body, "Hãy chọn cách người đó đồng ý") {
		t.Fatalf("bad how: %d", status)
	}
	if status, _, _ := b.post(base+"/consent", url.Values{"given_on": {"31/10/2026"}, "how": {"zalo"}}); status != 303 {
		t.Fatalf("consent again: %d", status)
	}
	if !strings.Contains(public(), `href="tel:0399995001"`) {
		t.Fatal("the phone did not come back with the consent")
	}
	cs, _ := env.store.Consents(ctx, "member", lead.ID)
	if len(cs) != 2 || cs[0].How != "zalo" || cs[1].WithdrawnOn != domain.MustDate("2026-10-31") {
		t.Fatalf("consents %+v", cs)
	}
}
