package store_test

import (
	"testing"

	"thonso/internal/store"
	"thonso/internal/store/storetest"
	"thonso/internal/testenv"
)

func TestPostgres(t *testing.T) {
	dsn := testenv.Postgres(t)
	storetest.Run(t, func(tb testing.TB) *store.Store { return storetest.OpenPostgres(tb, dsn) })
}
