package importer_test

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"thonso/internal/domain"
	"thonso/internal/importer"
	"thonso/internal/store/storetest"
)

var (
	bigOnce sync.Once
	bigPath string
)

// bigSheet writes, once, a 100 000-row resident list of one village.
func bigSheet(b *testing.B) string {
	bigOnce.Do(func() {
		dir, _ := os.MkdirTemp("", "thonso-bench")
		bigPath = filepath.Join(dir, "100k.xlsx")
		f := excelize.NewFile()
		sw, _ := f.NewStreamWriter("Sheet1")
		sw.SetRow("A1", []any{"Họ và tên", "Ngày sinh", "Giới tính", "Số hộ", "Số CCCD", "Số điện thoại", "Có điện thoại thông minh"})
		given := []string{"An", "Bình", "Hùng", "Lan", "Mai", "Páo", "Thuỷ", "Dũng", "Khánh", "Yến"}
		for i := 0; i < 100000; i++ {
			sex, text := domain.SexMale, "Nam"
			if i%2 == 1 {
				sex, text = domain.SexFemale, "Nữ"
			}
			y := 1940 + i%80
			cell, _ := excelize.CoordinatesToCellName(1, i+2)
			sw.SetRow(cell, []any{fmt.Sprintf("Lò Văn %s %d", given[i%len(given)], i), fmt.Sprintf("%02d/%02d/%d", 1+i%28, 1+i%12, y), text,
				fmt.Sprint(1 + i/4), domain.CCCDFor(11, sex, y, i), "", "x"})
		}
		sw.Flush()
		f.SaveAs(bigPath)
	})
	return bigPath
}

// BenchmarkImportPeople100k imports a 100 000-row .xlsx into one village
// on SQLite, end to end (read, check, match, write), reporting the peak
// heap the import reached.
func BenchmarkImportPeople100k(b *testing.B) {
	path := bigSheet(b)
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s := storetest.DemoSQLite(b)
		v, _ := s.UnitAt(storetest.Ctx(), "T000004", domain.MustDate("2026-10-31"))
		f, _ := os.Open(path)
		runtime.GC()
		var peak uint64
		sample := func(int, int) {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak {
				peak = m.HeapInuse
			}
		}
		b.StartTimer()
		start := time.Now()
		rep, err := importer.ImportPeople(storetest.Ctx(), s, domain.CLIActor(), f, "100k.xlsx", domain.MustDate("2026-11-28"),
			importer.PeopleOptions{VillageID: v.ID, Progress: sample})
		b.StopTimer()
		f.Close()
		if err != nil || rep.Result.Created != 100000 {
			b.Fatalf("import: %+v %v", rep.Result, err)
		}
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
		b.ReportMetric(float64(time.Since(start).Milliseconds()), "ms")
		b.StartTimer()
	}
}

// BenchmarkImportPeopleCSV imports 20 000 CSV rows over three villages on
// SQLite, end to end, and reports the allocations per row and the peak
// heap: a streaming import's heap does not grow with the file.
func BenchmarkImportPeopleCSV(b *testing.B) {
	const rows = 20000
	csv := residentsCSV(rows, []string{"T000001", "T000002", "T000003"}, nil)
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s := storetest.DemoSQLite(b)
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		var peak uint64
		sample := func(int, int) {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapInuse)
		}
		b.StartTimer()
		rep, err := importer.ImportPeople(storetest.Ctx(), s, domain.CLIActor(), strings.NewReader(csv), "20k.csv", streamToday,
			importer.PeopleOptions{Progress: sample})
		b.StopTimer()
		runtime.ReadMemStats(&after)
		if err != nil || rep.Result.Created != rows {
			b.Fatalf("import: %+v %v", rep.Result, err)
		}
		b.ReportMetric(float64(after.Mallocs-before.Mallocs)/rows, "allocs/row")
		b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/rows, "B/row")
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
		b.StartTimer()
	}
}
