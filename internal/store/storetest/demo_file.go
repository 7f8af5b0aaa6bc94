package storetest

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"thonso/internal/store"
)

// demoFile is a SQLite database with the demo loaded, built once per test
// binary and copied for each test: loading the demo is the slowest part
// of most HTTP tests, and every test still gets its own database.
var demoFile struct {
	once sync.Once
	path string
	err  error
}

func buildDemoFile() (string, error) {
	dir, err := os.MkdirTemp("", "thonso-demo")
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "demo.db")
	s, err := store.Open(Ctx(), "sqlite:"+path)
	if err != nil {
		return "", err
	}
	defer s.Close()
	if _, err := s.Migrate(Ctx()); err != nil {
		return "", err
	}
	if err := loadDemo(s); err != nil {
		return "", err
	}
	// Everything into the main file, so a copy of it is the whole database.
	return path, s.Exec(Ctx(), "PRAGMA wal_checkpoint(TRUNCATE)")
}

// DemoSQLite opens a SQLite store of its own in a temporary directory with
// the demo loaded: the fixture of the HTTP tests.
func DemoSQLite(t testing.TB) *store.Store {
	t.Helper()
	demoFile.once.Do(func() { demoFile.path, demoFile.err = buildDemoFile() })
	if demoFile.err != nil {
		t.Fatalf("demo: %v", demoFile.err)
	}
	b, err := os.ReadFile(demoFile.path)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "demo.db")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(Ctx(), "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
