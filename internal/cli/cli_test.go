package cli_test

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	nfd "golang.org/x/text/unicode/norm"

	"thonso/internal/cli"
	"thonso/internal/store/storetest"
)

type result struct {
	code           int
	stdout, stderr string
}

func run(t *testing.T, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := cli.Run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return result{code, out.String(), errb.String()}
}

func (r result) mustOK(t *testing.T) result {
	t.Helper()
	if r.code != 0 {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	return r
}

// oneLine checks an error is one (or a few) readable lines, no stack trace.
func (r result) oneLine(t *testing.T, want ...string) {
	t.Helper()
	if r.code == 0 {
		t.Fatalf("exit 0, want failure; stdout %s", r.stdout)
	}
	for _, w := range want {
		if !strings.Contains(r.stderr, w) {
			t.Errorf("stderr lacks %q:\n%s", w, r.stderr)
		}
	}
	if strings.Contains(r.stderr, "goroutine") || strings.Contains(r.stderr, ".go:") || strings.Count(r.stderr, "\n") > 3 {
		t.Errorf("stderr is not a short message:\n%s", r.stderr)
	}
}

func TestHelp(t *testing.T) {
	r := run(t, "--help").mustOK(t)
	for _, c := range []string{"serve", "migrate", "demo", "import", "unit", "export", "THONSO_DB"} {
		if !strings.Contains(r.stdout, c) {
			t.Errorf("help lacks %s", c)
		}
	}
	for _, c := range []string{"serve", "migrate", "demo", "import", "unit"} {
		r := run(t, c, "--help").mustOK(t)
		if !strings.Contains(r.stdout, "Usage: thonso "+c) || (c != "import" && !strings.Contains(r.stdout, "-db")) {
			t.Errorf("%s --help:\n%s", c, r.stdout)
		}
	}
	r = run(t, "frobnicate")
	if r.code != 2 || !strings.Contains(r.stderr, "Không có lệnh “frobnicate”") {
		t.Fatalf("unknown command: %+v", r)
	}
	run(t, "migrate", "--bogus").oneLine(t, "Tham số không hợp lệ")
}

func TestBadDatabases(t *testing.T) {
	dir := t.TempDir()
	run(t, "migrate", "--db", "mysql://x").oneLine(t, "Chuỗi kết nối “mysql://x” không hợp lệ")
	run(t, "migrate", "--db", "sqlite:"+filepath.Join(dir, "no", "such", "x.db")).oneLine(t, "thư mục", "không tồn tại")
	run(t, "migrate", "--db", "postgres://postgres:secret@127.0.0.1:1/test?connect_timeout=2").oneLine(t, "Không kết nối được cơ sở dữ liệu postgres://postgres:***@127.0.0.1:1/test")
	notDB := filepath.Join(dir, "text.db")
	os.WriteFile(notDB, bytes.Repeat([]byte("not a database at all "), 100), 0o644)
	run(t, "migrate", "--db", "sqlite:"+notDB).oneLine(t, "không phải là cơ sở dữ liệu SQLite")
	t.Setenv("THONSO_LANG", "en")
	run(t, "migrate", "--db", "mysql://x").oneLine(t, "The connection string “mysql://x” is not valid")
}

func TestLockedSQLite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "locked.db")
	run(t, "migrate", "--db", "sqlite:"+path).mustOK(t)
	other, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(context.Background(), "BEGIN EXCLUSIVE"); err != nil {
		t.Fatal(err)
	}
	defer conn.ExecContext(context.Background(), "ROLLBACK")
	// Waits out busy_timeout (5 s), then says what and where.
	run(t, "demo", "--db", "sqlite:"+path).oneLine(t, "đang bị một tiến trình khác khoá", path)
}

func TestSchemaNewerRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "newer.db")
	run(t, "migrate", "--db", "sqlite:"+path).mustOK(t)
	db, _ := sql.Open("sqlite", "file:"+path)
	if _, err := db.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', '2030-01-01')"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	run(t, "serve", "--db", "sqlite:"+path, "--addr", "127.0.0.1:0").oneLine(t, "phiên bản 999", "mới hơn")
	run(t, "migrate", "--db", "sqlite:"+path).oneLine(t, "phiên bản 999")
}

func TestUnitCommand(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "u.db")
	r := run(t, "demo", "--db", db).mustOK(t)
	if !strings.Contains(r.stdout, "20 thôn CĐS thông minh") {
		t.Fatalf("demo: %s", r.stdout)
	}
	if r := run(t, "demo", "--db", db).mustOK(t); !strings.Contains(r.stdout, "đã có dữ liệu minh hoạ") {
		t.Fatalf("second demo: %s", r.stdout)
	}
	r = run(t, "unit", "--db", db, "086@31/10/2024").mustOK(t)
	if !strings.Contains(r.stdout, "Huyện Bảo Thắng") || !strings.Contains(r.stdout, "Tỉnh Lào Cai (10)") || !strings.Contains(r.stdout, "Tỉnh Lào Cai (15)") {
		t.Fatalf("unit 086: %s", r.stdout)
	}
	run(t, "unit", "--db", db, "086@2025-07-01").oneLine(t, "Không tìm thấy đơn vị có mã 086 vào ngày 01/07/2025.", "30/06/2025")
	run(t, "unit", "--db", db, "086@30/02/2025").oneLine(t, "Ngày “30/02/2025” không hợp lệ")
	if r := run(t, "demo", "--db", db, "--reset").mustOK(t); !strings.Contains(r.stdout, "Đã nạp") {
		t.Fatalf("reset: %s", r.stdout)
	}
}

func counts(t *testing.T, db string) string {
	t.Helper()
	r := run(t, "unit", "--db", db, "02923@2026-01-01")
	return r.stdout + r.stderr
}

func TestImportChangeFile(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "i.db")
	run(t, "demo", "--db", db).mustOK(t)
	bad := filepath.Join(dir, "thay-doi.csv")
	os.WriteFile(bad, []byte("old_code,new_code,kind,effective_date,legal_act,new_name,new_parent_code\n"+
		"02923,99901,full,01/01/2026,NQ thử,Xã Mới,15\n"+
		",99902,full,01/01/2026,,Xã Thiếu Mã,15\n"+
		"02905,99903,full,01/01/2026,,Xã Lạc,77\n"+
		"02908,55555,full,01/01/2026,,,\n"+
		"02926,99904,full,32/01/2026,,Xã Sai Ngày,15\n"), 0o644)
	before := counts(t, db)
	r := run(t, "import", "units", "--db", db, bad)
	if r.code == 0 {
		t.Fatal("bad file imported")
	}
	for _, want := range []string{"thay-doi.csv, dòng 3: Thiếu mã đơn vị.", "thay-doi.csv, dòng 6: Ngày “32/01/2026” không hợp lệ", "Không nhập gì"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	// Fix the file-level errors; the database-level ones are reported next.
	os.WriteFile(bad, []byte("old_code,new_code,kind,effective_date,legal_act,new_name,new_parent_code\n"+
		"02923,99901,full,01/01/2026,NQ thử,Xã Mới,15\n"+
		"02905,99903,full,01/01/2026,,Xã Lạc,77\n"+
		"02908,55555,full,01/01/2026,,,\n"), 0o644)
	r = run(t, "import", "units", "--db", db, bad)
	for _, want := range []string{"dòng 3: Đơn vị cấp trên 77 của 99903 không tồn tại vào ngày 01/01/2026.", "dòng 4: Đơn vị nhận sáp nhập 55555 không tồn tại vào ngày 01/01/2026."} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if after := counts(t, db); after != before {
		t.Fatalf("a refused import changed the database:\n%s\n%s", before, after)
	}
	good := filepath.Join(dir, "good.csv")
	os.WriteFile(good, []byte("\xef\xbb\xbfMã cũ;Mã mới;Hình thức;Ngày hiệu lực;Văn bản;Tên mới;Mã cấp trên mới\n"+
		"02923;99901;toàn bộ;01/01/2026;Nghị quyết thử 1/NQ;Xã Gia Phú Mới;15\n"+
		"02926;99901;full;01/01/2026;;;\n"), 0o644)
	r = run(t, "import", "units", "--db", db, good).mustOK(t)
	if !strings.Contains(r.stdout, "thêm 1 đơn vị") || !strings.Contains(r.stdout, "kết thúc 2") {
		t.Fatalf("good import: %s", r.stdout)
	}
	if r := run(t, "import", "units", "--db", db, good).mustOK(t); !strings.Contains(r.stdout, "Không có gì thay đổi") {
		t.Fatalf("second import: %s", r.stdout)
	}
	r = run(t, "unit", "--db", db, "T000001@2026-02-01").mustOK(t)
	if !strings.Contains(r.stdout, "Xã Gia Phú Mới (99901)") {
		t.Fatalf("Đông Căm did not follow its commune: %s", r.stdout)
	}
}

func TestImportNational(t *testing.T) {
	dir := storetest.SharedData(t)
	db := "sqlite:" + filepath.Join(t.TempDir(), "n.db")
	files := []string{filepath.Join(dir, "dvhcvn-20250701/merges.json"), filepath.Join(dir, "dvhcvn-pre2025/dvhcvn.json")}
	args := append([]string{"import", "units", "--db", db, "--legal-act", "Nghị quyết 202/2025/QH15"}, files...)
	r := run(t, args...).mustOK(t)
	if !strings.Contains(r.stdout, "thêm 14.161 đơn vị") {
		t.Fatalf("national import: %s", r.stdout)
	}
	if r := run(t, args...).mustOK(t); !strings.Contains(r.stdout, "Không có gì thay đổi") {
		t.Fatalf("second national import: %s", r.stdout)
	}
	r = run(t, "unit", "--db", db, "02923@2025-07-01").mustOK(t)
	if !strings.Contains(r.stdout, "Xã Thống Nhất (02659)") || !strings.Contains(r.stdout, "Nghị quyết 202/2025/QH15") {
		t.Fatalf("unit: %s", r.stdout)
	}
	run(t, "import", "units", "--db", db, filepath.Join(dir, "README.md")).oneLine(t, "README.md", "Không nhận ra loại tệp")
}

func runIn(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := cli.Run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return result{code, out.String(), errb.String()}
}

func TestUserAndToken(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "acc.db")
	run(t, "demo", "--db", db).mustOK(t)
	r := runIn(t, "mat-khau-quan-tri\n", "user", "add", "--db", db, "--login", "Admin2", "--name", "Trần Thị Quản Trị", "--role", "admin", "--password-stdin").mustOK(t)
	if !strings.Contains(r.stdout, "Đã tạo tài khoản admin2 với vai trò Quản trị hệ thống.") {
		t.Fatalf("user add: %s", r.stdout)
	}
	runIn(t, "mat-khau-can-bo\n", "user", "add", "--db", db, "--login", "cb.xuanquang", "--phone", "0399 990 100", "--name", "Cán bộ", "--role", "officer", "--unit", "02926@31/10/2026", "--password-stdin").mustOK(t)
	runIn(t, "ngan\n", "user", "add", "--db", db, "--login", "cb.x", "--name", "X", "--role", "officer", "--unit", "02926", "--password-stdin").oneLine(t, "Mật khẩu cần ít nhất 8 ký tự.")
	runIn(t, "mat-khau-dai-du\n", "user", "add", "--db", db, "--login", "cb.y", "--name", "Y", "--role", "chief", "--unit", "02926", "--password-stdin").oneLine(t, "Vai trò “chief” không hợp lệ")
	runIn(t, "mat-khau-dai-du\n", "user", "add", "--db", db, "--login", "cb.z", "--name", "Z", "--role", "officer", "--password-stdin").oneLine(t, "Vai trò này cần một đơn vị")
	runIn(t, "mat-khau-dai-du\n", "user", "add", "--db", db, "--login", "cb.w", "--name", "W", "--role", "officer", "--unit", "086", "--password-stdin").oneLine(t, "Không tìm thấy đơn vị có mã 086", "30/06/2025")
	runIn(t, "mat-khau-dai-du\n", "user", "add", "--db", db, "--login", "admin2", "--name", "W", "--role", "viewer", "--unit", "15", "--password-stdin").oneLine(t, "đã có người dùng")
	// Without --password-stdin (no terminal here) it prompts and reads a line.
	r = runIn(t, "mat-khau-nhac\n", "user", "add", "--db", db, "--login", "xem.them", "--name", "Người Xem", "--role", "viewer", "--unit", "15").mustOK(t)
	if !strings.Contains(r.stderr, "Mật khẩu: ") {
		t.Fatalf("no prompt: %q", r.stderr)
	}

	r = run(t, "token", "create", "--db", db, "--login", "0399990100", "--expires", "30").mustOK(t)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	tok := lines[len(lines)-1]
	if !strings.HasPrefix(tok, "ts_") || strings.Contains(tok, " ") || len(tok) < 30 {
		t.Fatalf("token is not alone on the last line: %q", r.stdout)
	}
	run(t, "token", "create", "--db", db, "--login", "khong.co").oneLine(t, "Không tìm thấy tài khoản.")
	run(t, "token", "create", "--db", db, "--login", "admin2", "--expires", "-1").oneLine(t, "Tham số không hợp lệ")
	if r := run(t, "user", "--help").mustOK(t); !strings.Contains(r.stdout, "--password-stdin") {
		t.Fatalf("user --help: %s", r.stdout)
	}
}

func TestImportResidentsCLI(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "r.db")
	run(t, "demo", "--db", db).mustOK(t)
	csv := "\ufeffHọ và tên;Ngày sinh;Giới tính;Số hộ;Số điện thoại\r\n" +
		norm("Nguyễn Văn Hùng") + ";12/05/1988;Nam;N-1;84912345678\r\n" +
		"Trần Thị Lan;1990;Nữ;N-1;\r\n"
	path := filepath.Join(dir, "ds.csv")
	os.WriteFile(path, []byte(csv), 0o644)
	r := run(t, "import", "residents", "--db", db, "--village", "dong-cam", "--dry-run", path).mustOK(t)
	if !strings.Contains(r.stdout, "Xem trước") || !strings.Contains(r.stdout, "sẽ tạo 2 nhân khẩu") {
		t.Fatalf("dry run: %s", r.stdout)
	}
	r = run(t, "import", "residents", "--db", db, "--village", "T000001", path).mustOK(t)
	if !strings.Contains(r.stdout, "tạo 2 nhân khẩu") {
		t.Fatalf("import: %s", r.stdout)
	}
	if r := run(t, "import", "residents", "--db", db, "--village", "T000001", path).mustOK(t); !strings.Contains(r.stdout, "giữ nguyên 2") {
		t.Fatalf("re-import: %s", r.stdout)
	}
	bad := filepath.Join(dir, "loi.csv")
	os.WriteFile(bad, []byte("Họ và tên,Ngày sinh,Giới tính,Số hộ\nA Lồng,01/01/2090,Nam,N-2\nB Lồng,01/01/1990,Nam,N-2\n"), 0o644)
	r = run(t, "import", "residents", "--db", db, "--village", "T000001", bad)
	if r.code == 0 || !strings.Contains(r.stderr, "loi.csv, dòng 2, cột “Ngày sinh”") || !strings.Contains(r.stderr, "Không nhập gì") {
		t.Fatalf("bad file: %d %s %s", r.code, r.stdout, r.stderr)
	}
	r = run(t, "import", "residents", "--db", db, "--village", "T000001", "--valid-only", bad).mustOK(t)
	if !strings.Contains(r.stdout, "tạo 1 nhân khẩu") || !strings.Contains(r.stdout, "loi-loi.xlsx") {
		t.Fatalf("valid only: %s", r.stdout)
	}
	if _, err := os.Stat(filepath.Join(dir, "loi-loi.xlsx")); err != nil {
		t.Fatal("no rejected-rows file")
	}
	run(t, "import", "residents", "--db", db, "--village", "02923", path).oneLine(t, "không phải là một thôn")
	run(t, "import", "residents", "--db", db, "--village", "T000001", filepath.Join(dir, "khong-co.xlsx")).oneLine(t, "Không đọc được tệp")
}

// norm writes s decomposed (NFD), as some keyboards and old files do.
func norm(s string) string { return nfd.NFD.String(s) }

func TestImportResidentsManyVillages(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "m.db")
	run(t, "demo", "--db", db).mustOK(t)
	path := filepath.Join(dir, "xa.csv")
	os.WriteFile(path, []byte("Mã thôn,Họ và tên,Ngày sinh,Giới tính,Số hộ\nT000001,Hà Văn Một,1980,Nam,X-1\ncoc-tum,Hà Văn Hai,1981,Nam,X-1\nThôn Bầu 1,Hà Văn Ba,1982,Nam,X-1\nThôn Không Có,Hà Văn Bốn,1983,Nam,X-1\n"), 0o644)
	r := run(t, "import", "residents", "--db", db, path)
	if r.code == 0 || !strings.Contains(r.stderr, "dòng 5") || !strings.Contains(r.stderr, "Không tìm thấy thôn “Thôn Không Có”") {
		t.Fatalf("unknown village: %d %s", r.code, r.stderr)
	}
	r = run(t, "import", "residents", "--db", db, "--valid-only", path).mustOK(t)
	if !strings.Contains(r.stdout, "tạo 3 nhân khẩu") || !strings.Contains(r.stdout, "3 hộ mới") {
		t.Fatalf("three villages: %s", r.stdout)
	}
}

// TestExportCommand writes the district's workbook, PDF and CSV from the
// command line, and refuses bad words naming the flag, writing nothing.
func TestExportCommand(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "x.db")
	run(t, "demo", "--db", db).mustOK(t)
	if r := run(t, "export", "--help").mustOK(t); !strings.Contains(r.stdout, "Usage: thonso export") || !strings.Contains(r.stdout, "-format") {
		t.Fatalf("export --help: %s", r.stdout)
	}
	xlsx := filepath.Join(dir, "086.xlsx")
	r := run(t, "export", "--db", db, "--unit", "086", "--at", "31/10/2024", "--format", "xlsx", "-o", xlsx).mustOK(t)
	if !strings.Contains(r.stdout, "Đã xuất") {
		t.Errorf("stdout: %s", r.stdout)
	}
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("Tổng hợp")
	ok := false
	for i, row := range rows {
		if len(row) > 1 && row[0] == "Hồ sơ của người dân" {
			v, _ := f.GetCellValue("Tổng hợp", "B"+strconv.Itoa(i+1), excelize.Options{RawCellValue: true})
			ok = v == "1189"
		}
	}
	if !ok {
		t.Errorf("xlsx summary: %v", rows)
	}
	pdf := filepath.Join(dir, "086.pdf")
	run(t, "export", "--db", db, "--unit", "086", "--at", "2024-10-31", "--format", "pdf", "-o", pdf).mustOK(t)
	if b, _ := os.ReadFile(pdf); !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Errorf("not a PDF")
	}
	csv := filepath.Join(dir, "gia-phu.csv")
	run(t, "export", "--db", db, "--unit", "02923", "--at", "31/10/2024", "--view", "current", "--format", "csv", "-o", csv).mustOK(t)
	if b, _ := os.ReadFile(csv); !bytes.HasPrefix(b, []byte("\ufeffSTT,")) || !strings.Contains(string(b), "Thôn Bầu 1") {
		t.Errorf("csv: %.300s", b)
	}
	bad := filepath.Join(dir, "bad.out")
	run(t, "export", "--db", db, "--unit", "086", "--at", "31/10/2024", "--format", "doc", "-o", bad).oneLine(t, "tham số format")
	run(t, "export", "--db", db, "--unit", "99999", "--at", "31/10/2024", "--format", "pdf", "-o", bad).oneLine(t, "Không có đơn vị mã “99999”")
	run(t, "export", "--db", db, "--unit", "086", "--at", "31/13/2024", "--format", "pdf", "-o", bad).oneLine(t, "tham số at")
	run(t, "export", "--db", db, "--unit", "086", "--at", "31/10/2024", "--view", "nay", "--format", "pdf", "-o", bad).oneLine(t, "tham số view")
	run(t, "export", "--db", db, "--unit", "086", "--at", "31/10/2024", "--view", "current", "--format", "pdf", "-o", bad).oneLine(t, "Không có đơn vị mã “086”")
	run(t, "export", "--db", db, "--unit", "086", "--format", "pdf").oneLine(t, "-o")
	if _, err := os.Stat(bad); err == nil {
		t.Errorf("a refused export wrote a file")
	}
}
