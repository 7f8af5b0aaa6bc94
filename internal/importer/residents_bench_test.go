package importer

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"thonso/internal/domain"
)

// writeResidents100k writes a 100 000-row resident sheet with realistic
// values (a title above the header, birth dates as Excel dates, text dates
// and years, CCCDs as text, a few bad cells) using excelize's StreamWriter.
func writeResidents100k(path string, n int) error {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	custom := "dd/mm/yyyy"
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &custom})
	if err != nil {
		return err
	}
	if err := sw.SetRow("A1", []any{"DANH SÁCH NHÂN KHẨU XÃ GIA PHÚ"}); err != nil {
		return err
	}
	header := []any{"STT", "Mã thôn", "Số hộ", "Xóm", "Số nhà / Địa chỉ", "Họ và tên", "Ngày sinh", "Giới tính", "Quan hệ với chủ hộ",
		"Số CCCD", "Số điện thoại", "Có điện thoại thông minh", "Ngày kích hoạt VNeID", "Đã đăng nhập Cổng DVC", "Tài khoản ngân hàng",
		"Tổ CNS hỗ trợ", "Hộ có tài khoản ngân hàng", "Hộ tham gia nhóm Zalo", "Ghi chú"}
	if err := sw.SetRow("A3", header); err != nil {
		return err
	}
	family := []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Lò", "Giàng", "Sùng", "Vàng", "Đặng", "Bùi", "Hà"}
	middle := []string{"Văn", "Thị", "Đức", "Minh", "A", "Seo", "Thu", "Ngọc"}
	given := []string{"An", "Bình", "Hùng", "Lan", "Mai", "Páo", "Chứ", "Thuỷ", "Dũng", "Khánh", "Yến", "Tú", "Sơn", "Hà"}
	relations := []string{"Chủ hộ", "Vợ", "Con", "Con", "Mẹ", "Cháu"}
	row := make([]any, len(header))
	for i := range n {
		sex, sexText := domain.SexMale, "Nam"
		if i%2 == 1 {
			sex, sexText = domain.SexFemale, "Nữ"
		}
		year := 1935 + i%85
		birth := time.Date(year, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC)
		row[0] = i + 1
		row[1] = fmt.Sprintf("T%06d", 1+i/5000)
		row[2] = fmt.Sprintf("%03d", i/4%1000)
		row[3] = fmt.Sprintf("Xóm %d", 1+i/4%7)
		row[4] = fmt.Sprintf("Số %d, đường %d", 1+i/4%300, 1+i/1200)
		row[5] = family[i%len(family)] + " " + middle[i/7%len(middle)] + " " + given[i/3%len(given)]
		switch i % 3 {
		case 0:
			row[6] = excelize.Cell{StyleID: dateStyle, Value: birth}
		case 1:
			row[6] = birth.Format("02/01/2006")
		default:
			row[6] = year
		}
		row[7] = sexText
		row[8] = relations[i%len(relations)]
		row[9] = domain.CCCDFor(10, sex, year, i)
		row[10] = fmt.Sprintf("03999%05d", i%100000)
		if i%500 == 0 {
			row[10] = "09x" // a bad cell now and then
		}
		row[11] = map[bool]string{true: "x", false: ""}[i%3 != 0]
		row[12] = ""
		if i%4 == 0 {
			row[12] = "15/04/2024"
		}
		row[13] = map[bool]string{true: "có", false: ""}[i%5 == 0]
		row[14] = map[bool]string{true: "x", false: "không"}[i%2 == 0]
		row[15] = map[bool]string{true: "x", false: ""}[i%6 == 0]
		row[16] = map[bool]string{true: "x", false: ""}[i%4 == 0]
		row[17] = map[bool]string{true: "x", false: ""}[i%4 == 1]
		row[18] = ""
		cell, _ := excelize.CoordinatesToCellName(1, i+4)
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.SaveAs(path)
}

// BenchmarkReadResidents100k times ReadResidents over a 100 000-row XLSX
// and reports the peak heap in use while reading (sampled every 1000 rows)
// — the figure that shows the sheet is streamed, not loaded.
func BenchmarkReadResidents100k(b *testing.B) {
	const n = 100_000
	path := filepath.Join(b.TempDir(), "nhan-khau-100k.xlsx")
	if err := writeResidents100k(path, n); err != nil {
		b.Fatal(err)
	}
	st, _ := os.Stat(path)
	b.ReportAllocs()
	runtime.GC()
	var ms runtime.MemStats
	var peak uint64
	b.ResetTimer()
	for range b.N {
		fh, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		rows, bad := 0, 0
		_, err = ReadResidents(fh, path, ResidentOptions{Today: domain.MustDate("2024-10-31")}, func(r ResidentRow) error {
			rows++
			if len(r.Errors) > 0 {
				bad++
			}
			if rows%1000 == 0 {
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse)
			}
			return nil
		})
		fh.Close()
		if err != nil {
			b.Fatal(err)
		}
		if rows != n || bad != n/500 {
			b.Fatalf("%d rows, %d with errors", rows, bad)
		}
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(st.Size())/(1<<20), "file-MB")
}
