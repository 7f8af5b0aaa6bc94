// Package testenv helps tests find the outside things they need — the
// PostgreSQL of these machines, the shared official lists — and skip with
// a reason when one is missing, except under CI (THONSO_CI set), where a
// missing part is a failure: CI must never silently skip.
package testenv

import (
	"context"
	"database/sql"
	"os"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
)

// DefaultPostgres is the PostgreSQL these machines run (trust auth).
const DefaultPostgres = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// Missing skips the test with why, or fails it under CI.
func Missing(t testing.TB, why string) {
	t.Helper()
	if os.Getenv("THONSO_CI") != "" {
		t.Fatalf("required under CI: %s", why)
	}
	t.Skip(why)
}

// Postgres returns the DSN of THONSO_TEST_POSTGRES, or of the machine's
// default PostgreSQL when it answers; otherwise it skips (fails under CI).
func Postgres(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("THONSO_TEST_POSTGRES")
	if dsn == "" {
		dsn = DefaultPostgres
	}
	db, err := sql.Open("pgx", dsn)
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		err = db.PingContext(ctx)
		cancel()
		db.Close()
	}
	if err != nil {
		Missing(t, "PostgreSQL not reachable at "+dsn+" (set THONSO_TEST_POSTGRES): "+err.Error())
	}
	return dsn
}
