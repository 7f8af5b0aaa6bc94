package report_test

import (
	"context"
	"testing"

	"thonso/internal/domain"
	"thonso/internal/report"
)

// BenchmarkDistrictExport measures the demo district's report on
// 31/10/2024 on SQLite: reading the figures (Gather), and the whole
// export (figures + file) as xlsx, PDF and CSV.
//
//	go test ./internal/report/ -run '^$' -bench DistrictExport -benchmem
func BenchmarkDistrictExport(b *testing.B) {
	s := demoStore(b, "sqlite")
	ctx := context.Background()
	at := domain.MustDate("2024-10-31")
	u, err := s.UnitAt(ctx, "086", at)
	if err != nil {
		b.Fatal(err)
	}
	t := text(b, "vi")
	b.Run("gather", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := report.Gather(ctx, s, u, at, false, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, format := range report.Formats {
		b.Run(format, func(b *testing.B) {
			size := 0
			for i := 0; i < b.N; i++ {
				d, err := report.Gather(ctx, s, u, at, false, nil)
				if err != nil {
					b.Fatal(err)
				}
				out, err := report.Write(d, format, t)
				if err != nil {
					b.Fatal(err)
				}
				size = len(out)
			}
			b.ReportMetric(float64(size), "bytes/file")
		})
	}
}
