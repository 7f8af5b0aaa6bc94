package web_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"thonso/internal/domain"
	"thonso/internal/i18n"
	"thonso/internal/store"
	"thonso/internal/web"
)

// exportServer is the matrix's demo copy served by a web server whose
// background exports run (as serve runs them).
type exportServer struct {
	matrixServer
	srv *httptest.Server
}

func newExportServer(t *testing.T) exportServer {
	t.Helper()
	m := newMatrixServer(t)
	cat, _ := i18n.Load()
	w, err := web.New(&web.Server{Store: m.store, Cat: cat, Demo: true, Now: func() time.Time { return time.Date(2026, 10, 31, 3, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() { w.RunExports(ctx, 2); close(stopped) }()
	srv := httptest.NewServer(w.Handler(nil))
	t.Cleanup(func() { srv.Close(); cancel(); <-stopped })
	return exportServer{m, srv}
}

// get fetches path as a role with extra headers, without following redirects.
func (e exportServer) get(t *testing.T, role, path string, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	if role != "anon" {
		u, _, err := e.store.Credentials(context.Background(), roleLogin[role])
		if err != nil {
			t.Fatal(err)
		}
		a, _ := e.store.Actor(context.Background(), u, "127.0.0.1", "web")
		secret, err := e.store.CreateSession(context.Background(), a, "export")
		if err != nil {
			t.Fatal(err)
		}
		req.AddCookie(&http.Cookie{Name: "thonso_session", Value: secret})
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, b
}

func openXLSX(t *testing.T, b []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not an xlsx: %v (%.200s)", err, b)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// TestExportDownloads: the district's workbook has the report's figures;
// today's Gia Phú re-attributed on 31/10/2024 counts Xuân Giao's villages;
// the commune's PDF is its People's Committee's report; the CSV has a BOM.
func TestExportDownloads(t *testing.T) {
	e := newExportServer(t)
	res, b := e.get(t, "admin", "/units/086/export?format=xlsx&at=31/10/2024", nil)
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Type"), "spreadsheetml") ||
		!strings.Contains(res.Header.Get("Content-Disposition"), `filename="bao-cao-086-2024-10-31.xlsx"`) {
		t.Fatalf("district xlsx: %d %v", res.StatusCode, res.Header)
	}
	f := openXLSX(t, b)
	rows, _ := f.GetRows("Tổng hợp")
	found := false
	for i, r := range rows {
		if len(r) > 1 && r[0] == "Hồ sơ của người dân" {
			v, _ := f.GetCellValue("Tổng hợp", "B"+itoa(int64(i+1)), excelize.Options{RawCellValue: true})
			found = v == "1189"
		}
	}
	if !found {
		t.Errorf("district summary lacks 1189 residents' dossiers: %v", rows)
	}

	res, b = e.get(t, "officer", "/units/02923/export?format=xlsx&at=31/10/2024&view=current", nil)
	if res.StatusCode != 200 {
		t.Fatalf("Gia Phú re-attributed: %d %.300s", res.StatusCode, b)
	}
	vr, _ := openXLSX(t, b).GetRows("Thôn")
	names := ""
	for _, r := range vr {
		names += r[2] + "|"
	}
	if !strings.Contains(names, "Thôn Đông Căm") || !strings.Contains(names, "Thôn Bầu 1") {
		t.Errorf("today's Gia Phú villages: %s", names)
	}

	res, b = e.get(t, "officer", "/units/02923/export?format=pdf&at=31/10/2024&view=current", nil)
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("pdf: %d %v", res.StatusCode, res.Header)
	}
	if txt := pdfText(t, b); txt != "" {
		for _, w := range []string{"UBND XÃ GIA PHÚ", "Gia Phú, ngày 31 tháng 10 năm 2024", "Độc lập - Tự do - Hạnh phúc", "Nơi nhận:", "quy đổi"} {
			if !strings.Contains(txt, w) {
				t.Errorf("PDF lacks %q", w)
			}
		}
	}
	res, b = e.get(t, "viewer", "/units/T000001/export?format=csv&at=2024-10-31", nil)
	if res.StatusCode != 200 || !bytes.HasPrefix(b, []byte("\ufeffSTT,")) || !strings.Contains(string(b), "Thôn Đông Căm") {
		t.Fatalf("csv: %d %.300s", res.StatusCode, b)
	}
	// The exports partial on a unit's page carries the date and the reading.
	if _, body := e.as(t, "admin", "GET", "/units/02923/dossiers?at=31/10/2024&view=current", nil); !strings.Contains(body,
		`href="/units/02923/export?format=pdf&amp;at=2024-10-31&amp;view=current"`) {
		t.Errorf("no export links on the counts page")
	}
	// English headers when English is chosen.
	res, b = e.get(t, "viewer", "/units/T000001/export?format=csv&at=2024-10-31", map[string]string{"Accept-Language": "en"})
	if !bytes.HasPrefix(b, []byte("\ufeffNo.,Village code")) {
		t.Fatalf("English csv: %.200s", b)
	}
}

// TestExportBadInput: each bad parameter is named in the answer, in the
// request's language, and nothing is stored.
func TestExportBadInput(t *testing.T) {
	e := newExportServer(t)
	en := map[string]string{"Accept-Language": "en-US,en;q=0.9"}
	cases := []struct {
		role, path string
		header     map[string]string
		status     int
		want       string
	}{
		{"admin", "/units/086/export?format=doc&at=31/10/2024", nil, 400, "Định dạng “doc” không hỗ trợ (tham số format)"},
		{"admin", "/units/086/export?format=doc&at=31/10/2024", en, 400, "Format “doc” is not supported (parameter format)"},
		{"admin", "/units/086/export?at=31/10/2024", nil, 400, "(tham số format)"},
		{"admin", "/units/99999/export?format=xlsx&at=31/10/2024", nil, 404, "Không có đơn vị mã “99999” vào ngày 31/10/2024 (tham số code)"},
		{"admin", "/units/99999/export?format=xlsx&at=31/10/2024", en, 404, "There is no unit with code “99999” on 31/10/2024 (parameter code)"},
		{"admin", "/units/086/export?format=xlsx&at=31/10/2025", nil, 404, "Không có đơn vị mã “086” vào ngày 31/10/2025"},
		{"admin", "/units/086/export?format=xlsx&at=31/10/2024&view=current", nil, 404, "Không có đơn vị mã “086” vào ngày 31/10/2026"},
		{"admin", "/units/086/export?format=xlsx&at=31/02/2024", nil, 400, "Ngày “31/02/2024” không hợp lệ (tham số at)"},
		{"admin", "/units/086/export?format=xlsx&at=hôm+qua", en, 400, "(parameter at)"},
		{"admin", "/units/086/export?format=xlsx&at=31/10/2024&view=hien_nay", nil, 400, "Cách tính “hien_nay” không hợp lệ (tham số view)"},
		{"admin", "/units/086/export?format=xlsx&at=31/10/2024&attribution=now", en, 400, "(parameter view)"},
		{"officer_out", "/units/02923/export?format=xlsx&at=31/12/2025", nil, 404, "Không tìm thấy"},
		{"leader", "/units/086/export?format=pdf&at=31/10/2024", nil, 404, "Không tìm thấy"},
	}
	for _, c := range cases {
		for _, bg := range []string{"", "&background=1"} {
			res, b := e.get(t, c.role, c.path+bg, c.header)
			if res.StatusCode != c.status || !strings.Contains(string(b), c.want) {
				t.Errorf("%s %s: %d, want %d with %q\n%.300s", c.role, c.path+bg, res.StatusCode, c.status, c.want, b)
			}
		}
	}
	if n, err := e.store.CountRows(context.Background(), "export_jobs"); err != nil || n != 1 { // the fixture's own
		t.Errorf("refused requests stored jobs: %d %v", n, err)
	}
}

var jobPath = regexp.MustCompile(`^/exports/(\d+)$`)

// TestExportBackground: a background export shows its progress on a page
// that refreshes itself, survives a reload, and gives its file only to
// the user who asked; a province always goes to the background.
func TestExportBackground(t *testing.T) {
	e := newExportServer(t)
	res, _ := e.get(t, "admin", "/units/086/export?format=pdf&at=31/10/2024&background=1", nil)
	loc := res.Header.Get("Location")
	if res.StatusCode != 303 || !jobPath.MatchString(loc) {
		t.Fatalf("background: %d %q", res.StatusCode, loc)
	}
	var page string
	deadline := time.Now().Add(60 * time.Second)
	for {
		res, b := e.get(t, "admin", loc, nil)
		page = string(b)
		if res.StatusCode != 200 {
			t.Fatalf("job page: %d %.300s", res.StatusCode, b)
		}
		if strings.Contains(page, `id="export-done"`) || strings.Contains(page, `id="export-failed"`) {
			break
		}
		if !strings.Contains(page, `http-equiv="refresh"`) {
			t.Fatalf("a waiting job's page does not refresh itself:\n%s", page)
		}
		if time.Now().After(deadline) {
			t.Fatalf("job not done in 60 s:\n%s", page)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if !strings.Contains(page, "Đã xuất xong") || !strings.Contains(page, loc+"/file") || strings.Contains(page, `http-equiv="refresh"`) {
		t.Fatalf("done page:\n%s", page)
	}
	res, b := e.get(t, "admin", loc+"/file", nil)
	if res.StatusCode != 200 || !bytes.HasPrefix(b, []byte("%PDF-")) || !strings.Contains(res.Header.Get("Content-Disposition"), "bao-cao-086-2024-10-31.pdf") {
		t.Fatalf("file: %d %v", res.StatusCode, res.Header)
	}
	if txt := pdfText(t, b); txt != "" && (!strings.Contains(txt, "1.189") || !strings.Contains(txt, "Bảo Thắng")) {
		t.Errorf("background PDF text lacks the figures")
	}
	for _, role := range []string{"viewer", "officer"} {
		for _, p := range []string{loc, loc + "/file"} {
			if res, _ := e.get(t, role, p, nil); res.StatusCode != 404 {
				t.Errorf("%s sees %s: %d", role, p, res.StatusCode)
			}
		}
	}
	// A province is always exported in the background.
	res, _ = e.get(t, "viewer", "/units/15/export?format=csv&at=31/10/2026", nil)
	if res.StatusCode != 303 || !jobPath.MatchString(res.Header.Get("Location")) {
		t.Fatalf("province: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
}

// TestExportLostJob: a job left running by a server that stopped is
// marked failed once its heartbeat is stale, and its page says so.
func TestExportLostJob(t *testing.T) {
	m := newMatrixServer(t) // no workers: the job stays where it is put
	ctx := context.Background()
	u, _, _ := m.store.Credentials(ctx, "quantri")
	a, _ := m.store.Actor(ctx, u, "127.0.0.1", "web")
	dc, _ := m.store.UnitAt(ctx, "T000001", domain.MustDate("2024-10-31"))
	job, err := m.store.QueueExport(ctx, a, store.ExportJob{UnitID: dc.ID, UnitCode: dc.Code, UnitName: dc.Name, At: domain.MustDate("2024-10-31"), Format: "xlsx", Lang: "vi"})
	if err != nil {
		t.Fatal(err)
	}
	claimed, ok, err := m.store.ClaimExport(ctx)
	if err != nil || !ok || claimed.ID != job.ID {
		t.Fatalf("claim: %v %v %+v", ok, err, claimed)
	}
	if n, _ := m.store.FailLostExports(ctx); n != 0 {
		t.Fatalf("a fresh job was taken for lost")
	}
	later := m.store.WithClock(func() time.Time { return time.Now().Add(store.ExportStale + time.Minute) })
	if n, err := later.FailLostExports(ctx); n != 1 || err != nil {
		t.Fatalf("lost job: %d %v", n, err)
	}
	_, body := m.as(t, "admin", "GET", "/exports/"+itoa(job.ID), nil)
	if !strings.Contains(body, "Máy chủ đã dừng khi đang xuất") || !strings.Contains(body, "background=1") {
		t.Fatalf("lost job page:\n%.1000s", body)
	}
}
