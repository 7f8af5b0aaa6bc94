package store_test

import (
	"testing"

	"thonso/internal/domain"
	"thonso/internal/store"
	"thonso/internal/store/storetest"
	"thonso/internal/testenv"
)

// BenchmarkNationalImport imports the pre-2025 list and the 2025 merges
// (14.161 units, 11.358 links) into an empty database.
func BenchmarkNationalImport(b *testing.B) {
	batches := storetest.MustNationalBatches(b)
	for _, backend := range backends(b) {
		b.Run(backend.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				s := backend.open(b)
				b.StartTimer()
				if _, err := s.ApplyUnitBatches(storetest.Ctx(), nil, batches); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkUnitAt resolves reused codes on dates on the national tree.
func BenchmarkUnitAt(b *testing.B) {
	batches := storetest.MustNationalBatches(b)
	dates := []domain.Date{domain.MustDate("2024-10-31"), domain.MustDate("2026-10-31")}
	codes := []string{"15", "02923", "086", "00004", "26732"}
	for _, backend := range backends(b) {
		b.Run(backend.name, func(b *testing.B) {
			s := backend.open(b)
			if _, err := s.ApplyUnitBatches(storetest.Ctx(), nil, batches); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				_, err := s.UnitAt(storetest.Ctx(), codes[i%len(codes)], dates[i%2])
				if err != nil && domain.ErrorCode(err) != domain.ENOTFOUND {
					b.Fatal(err)
				}
			}
		})
	}
}

type backend struct {
	name string
	open func(testing.TB) *store.Store
}

func backends(b *testing.B) []backend {
	out := []backend{{"sqlite", openSQLite}}
	dsn := testenv.Postgres(b)
	out = append(out, backend{"postgres", func(tb testing.TB) *store.Store { return storetest.OpenPostgres(tb, dsn) }})
	return out
}

// BenchmarkFigures computes the registry figures of Thôn Đông Căm and of
// Xã Gia Phú as it was on 31/10/2024 (three villages) on the demo data.
func BenchmarkFigures(b *testing.B) {
	for _, backend := range backends(b) {
		s := backend.open(b)
		storetest.MustDemo(b, s)
		at := domain.MustDate("2024-10-31")
		dc, _ := s.UnitAt(storetest.Ctx(), "T000001", at)
		gp, _ := s.UnitAt(storetest.Ctx(), "02923", at) // old Gia Phú: three villages
		for _, c := range []struct {
			name string
			id   int64
		}{{"village", dc.ID}, {"commune", gp.ID}} {
			b.Run(backend.name+"/"+c.name, func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					if _, err := s.Figures(storetest.Ctx(), c.id, at); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
