//go:build unix

package store_test

import (
	"os"
	"syscall"
	"testing"
	"time"

	"thonso/internal/domain"
	"thonso/internal/store"
	"thonso/internal/store/storetest"
)

// BenchmarkProvinceStats measures the unit stats of the province and of
// one commune on the synthetic province (`thonso demo --scale province`),
// from the summaries (Stats, warm: the summaries built before the timer
// starts) and from the raw rows (StatsLive, the reference), and the
// dashboard's other reads (the 12-month trend and the children). Skipped
// unless THONSO_PROVINCE_DB names the data set (sqlite:PATH or a
// PostgreSQL DSN); the database is migrated first.
func BenchmarkProvinceStats(b *testing.B) {
	dsn := os.Getenv("THONSO_PROVINCE_DB")
	if dsn == "" {
		b.Skip("THONSO_PROVINCE_DB is not set (thonso demo --scale province --db DSN makes one)")
	}
	ctx := storetest.Ctx()
	s, err := store.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	at := domain.MustDate("2026-10-31")
	from := domain.MustDate("2025-11-01")
	for _, u := range []struct{ name, code string }{{"province", "90"}, {"commune", "99000"}} {
		unit, err := s.UnitAt(ctx, u.code, at)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.Stats(ctx, unit.ID, at, false); err != nil { // warm
			b.Fatal(err)
		}
		for _, c := range []struct {
			name string
			fn   func() error
		}{
			{"stats", func() error { _, err := s.Stats(ctx, unit.ID, at, false); return err }},
			{"stats_live", func() error { _, err := s.StatsLive(ctx, unit.ID, at, false); return err }},
			{"trend", func() error { _, err := s.Trend(ctx, unit.ID, from, at, false); return err }},
			{"trend_live", func() error { _, err := s.TrendLive(ctx, unit.ID, from, at, false); return err }},
			{"children", func() error { _, err := s.ChildStats(ctx, unit.ID, at, false); return err }},
			{"children_live", func() error { _, err := s.ChildStatsLive(ctx, unit.ID, at, false); return err }},
		} {
			b.Run(u.name+"/"+c.name, func(b *testing.B) {
				before := cpuTime()
				for i := 0; i < b.N; i++ {
					if err := c.fn(); err != nil {
						b.Fatal(err)
					}
				}
				// The process's CPU time per call: on a shared, loaded machine
				// a steadier measure than the wall clock (SQLite runs in the
				// process; PostgreSQL's own work is not in it).
				b.ReportMetric(float64((cpuTime()-before).Microseconds())/1000/float64(b.N), "cpu-ms/op")
			})
		}
	}
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
