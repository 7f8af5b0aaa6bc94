package cli_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"thonso/internal/store"
)

// TestSyntheticProvince: a small province generated through the store,
// deterministic for a seed, with the shape asked for; impossible shapes
// refused with one clear line and nothing written.
func TestSyntheticProvince(t *testing.T) {
	dir := t.TempDir()
	count := func(db, table string) int {
		s, err := store.Open(context.Background(), "sqlite:"+db)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		n, err := s.CountRows(context.Background(), table)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	a, b := filepath.Join(dir, "a.db"), filepath.Join(dir, "b.db")
	for _, db := range []string{a, b} {
		r := run(t, "demo", "--db", "sqlite:"+db, "--scale", "province", "--communes", "4", "--villages", "20", "--residents", "3000", "--dossiers", "600", "--seed", "7").mustOK(t)
		if !strings.Contains(r.stdout, "20 thôn, 3.000 người dân, 600 hồ sơ") {
			t.Fatalf("output: %s", r.stdout)
		}
	}
	for table, want := range map[string]int{"residents": 3000, "dossiers": 600} {
		if n := count(a, table); n != want {
			t.Errorf("%s: %d, want %d", table, n, want)
		}
	}
	// Same seed, same data.
	for _, table := range []string{"units", "households", "residents", "teams", "team_members", "dossiers", "dossier_steps"} {
		if count(a, table) != count(b, table) {
			t.Errorf("%s differs between two runs with one seed", table)
		}
	}
	bad := filepath.Join(dir, "bad.db")
	for _, args := range [][]string{
		{"--scale", "province", "--villages", "0"},
		{"--scale", "province", "--villages", "10", "--residents", "5"},
		{"--scale", "province", "--villages", "10", "--communes", "20"},
		{"--scale", "country"},
		{"--scale", "country", "--villages", "0"},
		{"--scale", "planet"},
	} {
		r := run(t, append([]string{"demo", "--db", "sqlite:" + bad}, args...)...)
		if r.code == 0 || strings.Count(strings.TrimSpace(r.stderr), "\n") > 0 || r.stderr == "" {
			t.Errorf("%v: exit %d, stderr %q", args, r.code, r.stderr)
		}
	}
	if n := count(bad, "units"); n != 0 {
		t.Fatalf("a refused shape wrote %d units", n)
	}
}
