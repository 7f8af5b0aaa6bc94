package store_test

import (
	"path/filepath"
	"testing"

	"thonso/internal/store"
	"thonso/internal/store/storetest"
)

// OpenSQLite opens a migrated SQLite store in a temporary directory.
func openSQLite(t testing.TB) *store.Store {
	s, err := store.Open(storetest.Ctx(), "sqlite:"+filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(storetest.Ctx()); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSQLite(t *testing.T) { storetest.Run(t, openSQLite) }
