package store_test

import (
	"os"
	"testing"

	"thonso/internal/store"
	"thonso/internal/store/storetest"
)

func TestPostgres(t *testing.T) {
	dsn := os.Getenv("THONSO_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("THONSO_TEST_POSTGRES is not set; .ci/run always sets it")
	}
	storetest.Run(t, func(tb testing.TB) *store.Store { return storetest.OpenPostgres(tb, dsn) })
}
