package web_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"thonso/internal/i18n"
	"thonso/internal/store"
	"thonso/internal/store/storetest"
	"thonso/internal/web"
)

// TestVillagePageNextSessionPasses: the cached page moves on when its
// next session ends, within the same day (so not by the midnight
// expiry): at 10:00 on Monday 02/11/2026 it shows that evening's
// session, at 21:30 the one on Wednesday.
func TestVillagePageNextSessionPasses(t *testing.T) {
	env := newLoginEnv(t)
	*env.clock = time.Date(2026, 11, 2, 3, 0, 0, 0, time.UTC) // 10:00 in Vietnam
	pageURL := env.srv.URL + "/v/dong-cam"
	_, first := plainGet(t, pageURL)
	_, again := plainGet(t, pageURL)
	if string(first) != string(again) || !strings.Contains(string(first), "02/11/2026 19:30") {
		t.Fatalf("morning page:\n%s", first)
	}
	*env.clock = time.Date(2026, 11, 2, 14, 30, 0, 0, time.UTC) // 21:30, the session over
	_, later := plainGet(t, pageURL)
	if page := string(later); strings.Contains(page, "02/11/2026 19:30") || !strings.Contains(page, "04/11/2026 19:30") {
		t.Fatalf("after the session the page still shows it:\n%s", page)
	}
}

// TestVillagePageOtherProcess: a change written to the SQLite file by
// another process (here another store with its own connections, as
// `thonso import` would open) shows at the next request, although this
// server's store saw no write.
func TestVillagePageOtherProcess(t *testing.T) {
	env := newLoginEnv(t)
	pageURL := env.srv.URL + "/v/dong-cam"
	plainGet(t, pageURL)
	plainGet(t, pageURL) // cached now
	other, err := store.Open(context.Background(), env.store.Where)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	dc := mustVillage(t, env)
	intro := "Viết từ một tiến trình khác."
	if err := other.SetIntro(context.Background(), leaderActor(t, other), dc, intro); err != nil {
		t.Fatal(err)
	}
	if _, page := plainGet(t, pageURL); !strings.Contains(string(page), intro) {
		t.Fatalf("the other process's change is not shown:\n%s", page)
	}
	// A change in raw SQL (sqlite3 on the file) as well.
	if err := other.Exec(context.Background(), "UPDATE unit_names SET name = 'Thôn Đông Căm Mới' WHERE unit_id = $1", dc); err != nil {
		t.Fatal(err)
	}
	if _, page := plainGet(t, pageURL); !strings.Contains(string(page), "Đông Căm Mới") {
		t.Fatalf("a rename in SQL is not shown:\n%s", page)
	}
}

// BenchmarkVillagePageHit is a cache hit through the whole handler
// chain (request log, security headers, the hit itself), without the
// network: what serve adds to net/http for each P1 request.
func BenchmarkVillagePageHit(b *testing.B) {
	s := storetest.DemoSQLite(b)
	now := func() time.Time { return time.Date(2026, 10, 31, 3, 0, 0, 0, time.UTC) }
	cat, _ := i18n.Load()
	w, err := web.New(&web.Server{Store: s.WithClock(now), Cat: cat, Demo: true, Now: now})
	if err != nil {
		b.Fatal(err)
	}
	h := w.Handler(nil)
	req := httptest.NewRequest("GET", "/v/dong-cam", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	h.ServeHTTP(httptest.NewRecorder(), req) // rendered and cached
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatal(rec.Code)
		}
	}
}
