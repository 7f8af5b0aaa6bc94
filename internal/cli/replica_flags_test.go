package cli_test

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestReplicaFlagsRefused: read replicas with SQLite, a replica that is not
// a PostgreSQL DSN, and a lag limit under a second are refused in one line
// before anything is opened.
func TestReplicaFlagsRefused(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "x.db")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--db", db, "--db-read", "postgres://postgres@127.0.0.1:5433/thonso"}, "SQLite không có bản sao đọc"},
		{[]string{"serve", "--db", "postgres://postgres@127.0.0.1:1/x", "--db-read", "sqlite:y.db"}, "phải là chuỗi kết nối PostgreSQL"},
		{[]string{"serve", "--db", "postgres://postgres@127.0.0.1:1/x", "--db-read", "postgres://h/x", "--db-read-max-lag", "10ms"}, "--db-read-max-lag"},
	} {
		r := run(t, c.args...)
		if r.code == 0 || !strings.Contains(r.stderr, c.want) || strings.Count(strings.TrimSpace(r.stderr), "\n") > 1 {
			t.Errorf("%v: exit %d\n%s", c.args, r.code, r.stderr)
		}
	}
	t.Setenv("THONSO_DB_READ", "postgres://postgres@127.0.0.1:5433/a, postgres://postgres@127.0.0.1:5434/b")
	if r := run(t, "serve", "--db", db); r.code == 0 || !strings.Contains(r.stderr, "SQLite không có bản sao đọc") {
		t.Errorf("THONSO_DB_READ with SQLite: exit %d\n%s", r.code, r.stderr)
	}
}
