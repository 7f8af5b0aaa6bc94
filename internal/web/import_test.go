package web_test

import (
	"bytes"
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"thonso/internal/domain"
	"thonso/internal/store"
)

// sheet writes an .xlsx with a title row above the header, as villages do.
func sheet(t *testing.T, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	f.SetCellValue("Sheet1", "A1", "DANH SÁCH NHÂN KHẨU THÔN CÓC TỦM")
	f.MergeCell("Sheet1", "A1", "F1")
	for i, r := range rows {
		for j, v := range r {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+3)
			f.SetCellValue("Sheet1", cell, v)
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// upload posts a spreadsheet as the import form does.
func (b *browser) upload(path string, fields map[string]string, name string, data []byte) (int, string) {
	b.t.Helper()
	return b.uploadField(path, fields, "file", name, data)
}

func TestImportResidentsWeb(t *testing.T) {
	env := newLoginEnv(t)
	ctx := context.Background()
	b := loggedInAs(t, env, "canbo.giaphu")
	if status, body, h := b.get("/import/residents/template.xlsx"); status != 200 || !strings.Contains(h.Get("Content-Type"), "spreadsheetml") || len(body) < 1000 {
		t.Fatalf("template: %d", status)
	}
	header := []any{"STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Số điện thoại", "Quan hệ với chủ hộ", "Số hộ", "Ghi chú"}
	good := [][]any{header,
		{1, "Giàng A Páo", "03/02/1980", "Nam", domain.CCCDFor(10, domain.SexMale, 1980, 770001), "0912.345.678", "Chủ hộ", "K-1", ""},
		{2, "Sùng Thị Mỷ", "1982", "Nữ", "", "", "Vợ", "K-1", "ghi chú thêm"},
	}
	bad := append(append([][]any{}, good...),
		[]any{3, "Vàng A Sử", "30/02/1990", "Nam", "", "", "Con", "K-1", ""},
		[]any{4, "Lý Thị Dua", "01/01/1995", "Nữ", domain.CCCDFor(10, domain.SexMale, 1995, 770002), "12345", "Con", "K-2", ""},
	)
	before, _ := env.store.CountRows(ctx, "residents")
	status, body := b.upload("/import/residents", map[string]string{"village": "T000003"}, "coc-tum.xlsx", sheet(t, bad))
	if status != 422 {
		t.Fatalf("preview with errors: %d %.300s", status, body)
	}
	for _, want := range []string{"Dòng 6, cột “Ngày sinh”", "Dòng 7, cột “Số CCCD”", "Dòng 7, cột “Số điện thoại”", "Chỉ nhập các dòng hợp lệ", "Sẽ thêm 2 nhân khẩu"} {
		if !strings.Contains(body, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	if strings.Contains(body, `id="import-apply"`) {
		t.Fatal("a file with errors offers a full import")
	}
	i := strings.Index(body, "/import/residents/") + len("/import/residents/")
	id := body[i : i+strings.IndexAny(body[i:], "/\"")]
	// The rejected rows hold names and phones: no purpose, no file; the
	// preview comes back with the message beside the purpose.
	if status, x, _ := b.get("/import/residents/" + id + "/rejected.xlsx"); status != 422 || !strings.Contains(x, `id="purpose-err"`) ||
		!strings.Contains(x, "Hãy chọn mục đích trước khi xem hoặc xuất dữ liệu cá nhân.") {
		t.Fatalf("rejected rows without a purpose: %d %.300s", status, x)
	}
	if status, _, _ := b.get("/import/residents/" + id + "/rejected.xlsx?purpose=for-fun"); status != 422 {
		t.Fatalf("rejected rows with a made-up purpose: %d", status)
	}
	if status, x, h := b.get("/import/residents/" + id + "/rejected.xlsx?purpose=verify"); status != 200 || !strings.Contains(h.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("rejected rows: %d", status)
	} else {
		f, err := excelize.OpenReader(strings.NewReader(x))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows(f.GetSheetList()[0])
		last := rows[len(rows)-1]
		if len(rows) < 3 || !strings.Contains(strings.Join(last, "|"), "Lý Thị Dua") || !strings.Contains(strings.Join(last, "|"), "không hợp lệ") {
			t.Fatalf("rejected file rows %v", rows)
		}
	}
	if es, _, _ := env.store.AuditEntries(ctx, domain.Scope{All: true}, store.AuditFilter{Entity: "upload", EntityID: id}); len(es) != 1 || es[0].Action != "export" || es[0].Purpose != "verify" {
		t.Fatalf("the download's audit: %+v", es)
	}
	if after, _ := env.store.CountRows(ctx, "residents"); after != before {
		t.Fatal("a preview wrote")
	}
	// Import only the valid rows, in the background; the status page follows.
	if status, _, _ := b.post("/import/residents/"+id+"/apply", url.Values{"mode": {"valid"}}); status != 303 {
		t.Fatalf("apply: %d", status)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, body, _ = b.get("/import/residents/" + id)
		if strings.Contains(body, `id="import-done"`) || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !strings.Contains(body, "tạo 2 nhân khẩu") || !strings.Contains(body, "bỏ qua 2 dòng lỗi") {
		t.Fatalf("outcome: %.500s", body)
	}
	if after, _ := env.store.CountRows(ctx, "residents"); after != before+2 {
		t.Fatalf("residents %d → %d", before, after)
	}
	// A second click does not import twice.
	b.post("/import/residents/"+id+"/apply", url.Values{"mode": {"valid"}})
	time.Sleep(200 * time.Millisecond)
	if after, _ := env.store.CountRows(ctx, "residents"); after != before+2 {
		t.Fatal("imported twice")
	}
	// Re-importing the clean file changes nothing (matched, not duplicated).
	status, body = b.upload("/import/residents", map[string]string{"village": "T000003"}, "coc-tum.xlsx", sheet(t, good))
	if status != 200 || !strings.Contains(body, "Giữ nguyên 2 nhân khẩu") || !strings.Contains(body, `id="import-apply"`) {
		t.Fatalf("re-import preview: %d %.400s", status, body)
	}
	// Not a spreadsheet; someone else's upload; outside the scope.
	if status, body := b.upload("/import/residents", map[string]string{"village": "T000003"}, "anh.xlsx", []byte("GIF89a")); status != 422 || !strings.Contains(body, "problems") && !strings.Contains(body, "không") {
		t.Fatalf("not a spreadsheet: %d", status)
	}
	other := loggedInAs(t, env, "totruong.dongcam")
	if status, _, _ := other.get("/import/residents/" + id); status != 404 {
		t.Fatalf("someone else's upload: %d", status)
	}
	if status, body := other.upload("/import/residents", map[string]string{"village": "T000003"}, "coc-tum.xlsx", sheet(t, good)); status != 404 {
		t.Fatalf("outside scope: %d %.300s", status, body)
	}
	people, _, _ := env.store.Residents(ctx, domain.Scope{All: true}, store.ResidentQuery{Q: "Giàng A Páo"})
	if len(people) != 1 || people[0].Phone != "0912345678" {
		t.Fatalf("imported %+v", people)
	}
}
