package report_test

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"thonso/internal/demo"
	"thonso/internal/domain"
	"thonso/internal/i18n"
	"thonso/internal/report"
	"thonso/internal/store"
	"thonso/internal/store/storetest"
	"thonso/internal/testenv"
)

var demoNow = time.Date(2026, 10, 31, 3, 0, 0, 0, time.UTC)

// demoStore opens a store holding the demo, on SQLite or PostgreSQL.
func demoStore(t testing.TB, backend string) *store.Store {
	t.Helper()
	var s *store.Store
	if backend == "postgres" {
		s = storetest.OpenPostgres(t, testenv.Postgres(t))
	} else {
		var err error
		s, err = store.Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "r.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		if _, err := s.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := demo.Load(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	return s.WithClock(func() time.Time { return demoNow })
}

func text(t testing.TB, lang string) report.Text {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	return report.Text{Cat: cat, Lang: lang}
}

func gather(t testing.TB, s *store.Store, code, at string, current bool) report.Data {
	t.Helper()
	ctx := context.Background()
	on := domain.MustDate(at)
	resolve := on
	if current {
		resolve = domain.DateOf(demoNow)
	}
	u, err := s.UnitAt(ctx, code, resolve)
	if err != nil {
		t.Fatal(err)
	}
	d, err := report.Gather(ctx, s, u, on, current, nil)
	if err != nil {
		t.Fatal(err)
	}
	d.Made = demoNow
	d.Demo = true
	return d
}

// findRow returns the row (1-based) whose column A holds label, or 0.
func findRow(rows [][]string, col int, label string) int {
	for i, r := range rows {
		if len(r) > col && r[col] == label {
			return i + 1
		}
	}
	return 0
}

func cellNum(t *testing.T, f *excelize.File, sheet, cell string) float64 {
	t.Helper()
	v, err := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	var x float64
	if _, err := fmt.Sscan(v, &x); err != nil {
		t.Fatalf("%s!%s = %q, not a number", sheet, cell, v)
	}
	return x
}

// TestDistrictXLSX opens the district's workbook back and finds the
// report's figures as numbers, rates as % cells, dates as dd/mm/yyyy dates,
// frozen headers — on both databases.
func TestDistrictXLSX(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			s := demoStore(t, backend)
			d := gather(t, s, "086", "2024-10-31", false)
			b, err := report.XLSX(d, text(t, "vi"))
			if err != nil {
				t.Fatal(err)
			}
			f, err := excelize.OpenReader(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			want := []string{"Tổng hợp", "Thôn", "Hồ sơ theo lĩnh vực và tháng", "Ma trận tiêu chí"}
			if got := f.GetSheetList(); strings.Join(got, "|") != strings.Join(want, "|") {
				t.Fatalf("sheets %v", got)
			}
			rows, _ := f.GetRows("Tổng hợp")
			check := func(label string, value, base float64, rate string) {
				t.Helper()
				r := findRow(rows, 0, label)
				if r == 0 {
					t.Fatalf("no line %q", label)
				}
				if got := cellNum(t, f, "Tổng hợp", "B"+itoa(r)); got != value {
					t.Errorf("%s = %v, want %v", label, got, value)
				}
				if base > 0 {
					if got := cellNum(t, f, "Tổng hợp", "C"+itoa(r)); got != base {
						t.Errorf("%s base = %v, want %v", label, got, base)
					}
					if shown, _ := f.GetCellValue("Tổng hợp", "D"+itoa(r)); shown != rate {
						t.Errorf("%s rate shows %q, want %q", label, shown, rate)
					}
				}
			}
			check("Xã có thôn chuyển đổi số thông minh", 14, 14, "100.0%")
			check("Thôn chuyển đổi số thông minh", 20, 0, "")
			check("Tổ công nghệ số thôn đã có hồ sơ", 20, 20, "100.0%")
			check("Thành viên tổ CNS thôn", 105, 0, "")
			check("Thành viên tổ CNS cộng đồng", 1150, 0, "")
			check("Hồ sơ của người dân", 1189, 0, "")
			if shown, _ := f.GetCellValue("Tổng hợp", "B3"); shown != "31/10/2024" {
				t.Errorf("as-of date shows %q", shown)
			}
			if typ, _ := f.GetCellType("Tổng hợp", "B3"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
				t.Errorf("as-of date is text, not a date")
			}
			if p, _ := f.GetPanes("Tổng hợp"); !p.Freeze || p.YSplit != 7 {
				t.Errorf("summary panes %+v", p)
			}
			// Villages: Đông Căm's line.
			vr, _ := f.GetRows("Thôn")
			if p, _ := f.GetPanes("Thôn"); !p.Freeze || p.YSplit != 1 {
				t.Errorf("villages panes %+v", p)
			}
			if vr[0][2] != "Thôn" || vr[0][11] != "Tỷ lệ tài khoản DVC" {
				t.Errorf("villages header %v", vr[0])
			}
			r := findRow(vr, 2, "Thôn Đông Căm")
			if r == 0 {
				t.Fatal("no Đông Căm line")
			}
			if got := cellNum(t, f, "Thôn", "G"+itoa(r)); got != 180 {
				t.Errorf("Đông Căm dossiers %v", got)
			}
			if a, b := cellNum(t, f, "Thôn", "K"+itoa(r)), cellNum(t, f, "Thôn", "J"+itoa(r)); a != 257 || b != 387 {
				t.Errorf("Đông Căm accounts %v/%v", a, b)
			}
			if rate := cellNum(t, f, "Thôn", "L"+itoa(r)); math.Abs(rate-257.0/387) > 1e-9 {
				t.Errorf("Đông Căm rate %v", rate)
			}
			if shown, _ := f.GetCellValue("Thôn", "L"+itoa(r)); shown != "66.4%" {
				t.Errorf("Đông Căm rate shows %q", shown)
			}
			if w, _ := f.GetColWidth("Thôn", "C"); w < 20 {
				t.Errorf("village column width %v", w)
			}
			// Dossiers by field and month: the grand total is 1.189, months are dates.
			dr, _ := f.GetRows("Hồ sơ theo lĩnh vực và tháng")
			last := dr[len(dr)-1]
			if last[0] != "Tổng cộng" || last[len(last)-1] != "1,189" && last[len(last)-1] != "1189" {
				t.Errorf("dossiers total row %v", last)
			}
			if dr[0][2] != "01/2024" {
				t.Errorf("first month header %q", dr[0][2])
			}
			// Criteria matrix: none approved by 31/10/2024; on 30/06/2025 the
			// 20 villages assessed at 31/12/2024, indicators in the header.
			if mr, _ := f.GetRows("Ma trận tiêu chí"); len(mr) != 3 {
				t.Errorf("matrix on 31/10/2024: %v", mr)
			}
			b, err = report.XLSX(gather(t, s, "086", "2025-06-30", false), text(t, "vi"))
			if err != nil {
				t.Fatal(err)
			}
			f2, err := excelize.OpenReader(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			defer f2.Close()
			mr, _ := f2.GetRows("Ma trận tiêu chí")
			if len(mr) != 1+20+2 || !strings.HasPrefix(mr[0][3], "1. ") || findRow(mr, 1, "Thôn Đông Căm") == 0 {
				t.Errorf("matrix on 30/06/2025: %d rows, header %v", len(mr), mr[0])
			}
			if shown, _ := f2.GetCellValue("Ma trận tiêu chí", "C2"); shown != "31/12/2024" {
				t.Errorf("assessed on shows %q", shown)
			}
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestReportPDF extracts the PDF's text as a reader's tool would and finds
// the administrative layout and the figures with every diacritic.
func TestReportPDF(t *testing.T) {
	s := demoStore(t, "sqlite")
	d := gather(t, s, "086", "2024-10-31", false)
	b, err := report.PDF(d, text(t, "vi"))
	if err != nil {
		t.Fatal(err)
	}
	txt := pdfText(t, b)
	for _, w := range []string{"UBND HUYỆN BẢO THẮNG", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "/BC-UBND",
		"Bảo Thắng, ngày 31 tháng 10 năm 2024", "BÁO CÁO", "Kết quả thực hiện mô hình thôn chuyển đổi số thông minh", "huyện Bảo Thắng",
		"14/14", "1.189", "1.150", "105", "Thôn Đông Căm", "66,4%", "Biểu đồ 1", "Nơi nhận:", "UBND tỉnh Lào Cai", "CHỦ TỊCH", "Dữ liệu minh hoạ"} {
		if txt != "" && !strings.Contains(txt, w) {
			t.Errorf("PDF text lacks %q", w)
		}
	}
	if !bytes.HasPrefix(b, []byte("%PDF-")) || !bytes.Contains(b, []byte("/MediaBox [0 0 595.28 841.89]")) {
		t.Errorf("not an A4 PDF")
	}
	// A commune's report is issued by its People's Committee.
	c := gather(t, s, "T000001", "2024-10-31", false)
	b, err = report.PDF(c, text(t, "vi"))
	if err != nil {
		t.Fatal(err)
	}
	txt = pdfText(t, b)
	for _, w := range []string{"UBND XÃ GIA PHÚ", "Gia Phú, ngày 31 tháng 10 năm 2024", "180", "257/387"} {
		if txt != "" && !strings.Contains(txt, w) {
			t.Errorf("village PDF text lacks %q", w)
		}
	}
}

// TestReportCSV: a byte-order mark, the Vietnamese header, Đông Căm's row.
func TestReportCSV(t *testing.T) {
	s := demoStore(t, "sqlite")
	d := gather(t, s, "02923", "2024-10-31", true)
	b, err := report.CSV(d, text(t, "vi"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) {
		t.Fatal("no BOM")
	}
	lines := strings.Split(string(b[3:]), "\r\n")
	if !strings.HasPrefix(lines[0], "STT,Mã thôn,Thôn,Xã,") {
		t.Errorf("header %q", lines[0])
	}
	var dc string
	for _, l := range lines {
		if strings.Contains(l, "Thôn Đông Căm") {
			dc = l
		}
	}
	if !strings.Contains(dc, ",180,") || !strings.Contains(dc, ",387,257,0.6641,") {
		t.Errorf("Đông Căm row %q", dc)
	}
	// Re-attributed: today's Gia Phú counts Xuân Giao's villages too.
	if !strings.Contains(string(b), "Thôn Bầu 1") {
		t.Errorf("today's Gia Phú lacks Thôn Bầu 1:\n%s", b)
	}
}

// pdfText extracts a PDF's text with pdftotext; "" when the tool is
// missing outside CI.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("THONSO_CI") != "" {
			t.Fatal("pdftotext (poppler-utils) is missing in CI")
		}
		t.Log("pdftotext missing: PDF text not checked")
		return ""
	}
	path := filepath.Join(t.TempDir(), "r.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}
