package loadgen_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"thonso/internal/cli"
	"thonso/internal/loadgen"
	"thonso/internal/testenv"
)

// TestLoad is the short load run: 20 users for 10 s against a real
// `thonso serve --demo` on SQLite, then on PostgreSQL. Every request must
// succeed and every kind of request must have been made. It takes about
// a minute with setup, and loads the machine: CI runs it as a step of its
// own (THONSO_LOAD_TEST=1), not in parallel with the other packages.
func TestLoad(t *testing.T) {
	if os.Getenv("THONSO_LOAD_TEST") == "" {
		t.Skip("a 10-second load run per database: set THONSO_LOAD_TEST=1 (CI runs it as its own step)")
	}
	t.Run("sqlite", func(t *testing.T) {
		drive(t, "sqlite:"+filepath.Join(t.TempDir(), "load.db"))
	})
	t.Run("postgres", func(t *testing.T) {
		drive(t, freshSchema(t, testenv.Postgres(t)))
	})
}

func drive(t *testing.T, db string) {
	base := serve(t, db)
	cfg := loadgen.Config{BaseURL: base, Users: 20, Duration: 10 * time.Second, Think: 200 * time.Millisecond, ForwardedFor: true, Timeout: 30 * time.Second}
	started := time.Now()
	rep, err := loadgen.Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	var table bytes.Buffer
	rep.Write(&table)
	t.Logf("%s\n%s", db, table.String())
	if rep.Errors() != 0 {
		t.Errorf("%d requests failed", rep.Errors())
	}
	if len(rep.Missing) > 0 {
		t.Errorf("no request made of: %s", strings.Join(rep.Missing, ", "))
	}
	if len(rep.Rows) < 15 {
		t.Errorf("%d kinds of request, want the 16 of officers, members (web and API) and residents", len(rep.Rows))
	}
	// Bounded: the run ends by itself, at most one request timeout late.
	if took := time.Since(started) - rep.Setup; took > cfg.Duration+cfg.Timeout {
		t.Errorf("the run took %s after setup, for a 10 s run", took)
	}
	if leaks := leftovers(); leaks != "" {
		t.Errorf("goroutines of the driver still running after Run returned:\n%s", leaks)
	}
}

// leftovers returns the stacks of goroutines running driver code.
func leftovers() string {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	var out []string
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "thonso/internal/loadgen.") {
			out = append(out, g)
		}
	}
	return strings.Join(out, "\n\n")
}

// syncBuffer is a bytes.Buffer the server goroutine and the test share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// serve runs `thonso serve --demo` on db and a free port, trusting
// loopback as a proxy (the residents' addresses), until the test ends.
// Anything the server logs at warn or above fails the test.
func serve(t *testing.T, db string) string {
	t.Helper()
	var stdout, stderr syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan int, 1)
	go func() {
		done <- cli.RunWith(ctx, []string{"serve", "--demo", "--db", db, "--addr", "127.0.0.1:0", "--trusted-proxy", "127.0.0.1"},
			strings.NewReader(""), &stdout, &stderr, cli.Options{Ready: func(addr string) { ready <- addr }})
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case status := <-done:
			if status != 0 {
				t.Errorf("thonso serve exited with status %d", status)
			}
		case <-time.After(20 * time.Second):
			t.Errorf("thonso serve did not stop within 20 s")
		}
		if s := stderr.String(); s != "" {
			t.Errorf("the server logged:\n%s", s)
		}
	})
	select {
	case addr := <-ready:
		return "http://" + addr
	case status := <-done:
		t.Fatalf("thonso serve exited with status %d\n%s\n%s", status, stdout.String(), stderr.String())
	case <-time.After(2 * time.Minute):
		t.Fatalf("thonso serve did not listen within 2 minutes\n%s", stderr.String())
	}
	return ""
}

// freshSchema makes an empty schema for one run and returns the DSN that
// uses it; the schema is dropped when the test ends (after the server).
func freshSchema(t *testing.T, dsn string) string {
	t.Helper()
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_load_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		admin.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
