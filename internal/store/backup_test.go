package store_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"reflect"
	"strings"
	"testing"

	"thonso/internal/demo"
	"thonso/internal/domain"
	"thonso/internal/store"
	"thonso/internal/store/storetest"
	"thonso/internal/testenv"
)

// TestTablesListed fails when a migration creates a table that the backup
// (tables in admin.go) or the reset (resetOrder in reset.go) does not know.
func TestTablesListed(t *testing.T) {
	ctx := storetest.Ctx()
	s := openSQLite(t)
	have, err := s.ExistingTables(ctx)
	if err != nil {
		t.Fatal(err)
	}
	inReset := map[string]bool{}
	for _, r := range store.ResetOrder() {
		inReset[r] = true
		if !store.IsTable(r) {
			t.Errorf("resetOrder names %s, missing from tables in admin.go", r)
		}
	}
	// Kept by a reset on purpose: the append-only audit trail and the
	// tables migrations seed.
	kept := map[string]bool{"audit_log": true, "days_off": true, "procedures": true}
	for _, tb := range have {
		if tb == "schema_migrations" {
			continue
		}
		if !store.IsTable(tb) {
			t.Errorf("migration creates table %s: add it to tables in internal/store/admin.go", tb)
		}
		if !inReset[tb] && !kept[tb] {
			t.Errorf("migration creates table %s: add it to resetOrder in internal/store/reset.go", tb)
		}
	}
	if got := len(store.LoadOrder()); got != len(have)-1 {
		t.Errorf("LoadOrder has %d tables, the schema %d", got, len(have)-1)
	}
}

func backupBytes(t *testing.T, s *store.Store) ([]byte, store.BackupInfo) {
	t.Helper()
	var buf bytes.Buffer
	info, err := s.Backup(storetest.Ctx(), &buf)
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), info
}

func opener(b []byte) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
}

// sameData checks that dst holds exactly src's rows, table by table,
// apart from the one audit entry the restore adds.
func sameData(t *testing.T, src, dst *store.Store) {
	t.Helper()
	ctx := storetest.Ctx()
	a, err := src.Checksums(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b, err := dst.Checksums(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != len(b) || len(a) < 50 {
		t.Fatalf("tables: source %d, restored %d", len(a), len(b))
	}
	for tb, sa := range a {
		sb := b[tb]
		if tb == "audit_log" {
			if sb.Rows != sa.Rows+1 {
				t.Errorf("audit_log: %d rows restored, want %d + the restore", sb.Rows, sa.Rows)
			}
			n, err := dst.CountWhere(ctx, "audit_log", "action", "restore")
			if err != nil || n != 1 {
				t.Errorf("restore audit entries: %d %v", n, err)
			}
			got, err := dst.ChecksumExcept(ctx, "audit_log", "action", "restore")
			if err != nil {
				t.Fatal(err)
			}
			if got != sa {
				t.Errorf("audit_log differs apart from the restore entry")
			}
			continue
		}
		if sa != sb {
			t.Errorf("%s: source %d rows %s…, restored %d rows %s…", tb, sa.Rows, sa.Sum[:12], sb.Rows, sb.Sum[:12])
		}
	}
}

func TestBackupRoundTrip(t *testing.T) {
	ctx := storetest.Ctx()
	openers := map[string]func(t *testing.T) *store.Store{
		"sqlite": func(t *testing.T) *store.Store { return storetest.EmptySQLite(t) },
	}
	if dsn := pgDSN(t); dsn != "" {
		openers["postgres"] = func(t *testing.T) *store.Store { return storetest.EmptyPostgres(t, dsn) }
	}
	for srcName, openSrc := range openers {
		src := openSrc(t)
		if _, err := src.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := demo.Load(ctx, src); err != nil {
			t.Fatal(err)
		}
		file, info := backupBytes(t, src)
		if info.SchemaVersion != src.KnownVersion() || info.Rows < 10000 {
			t.Fatalf("%s backup: %+v", srcName, info)
		}
		for dstName, openDst := range openers {
			t.Run(srcName+"_to_"+dstName, func(t *testing.T) {
				dst := openDst(t)
				if _, err := dst.Restore(ctx, domain.CLIActor(), opener(file)); err != nil {
					t.Fatal(err)
				}
				sameData(t, src, dst)
				// Identities continue past the restored ids.
				if _, err := dst.CreateUser(ctx, domain.CLIActor(), store.NewUser{Login: "sau.khoiphuc", Name: "Sau khôi phục", PasswordHash: "h"}, "admin", 0); err != nil {
					t.Fatal(err)
				}
			})
		}
	}
}

func pgDSN(t *testing.T) string {
	return testenv.Postgres(t)
}

// rewrite decompresses a backup, lets edit change its lines and
// compresses it again.
func rewrite(t *testing.T, file []byte, edit func(lines []string) []string) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	lines := edit(strings.Split(strings.TrimSuffix(string(raw), "\n"), "\n"))
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(strings.Join(lines, "\n") + "\n"))
	zw.Close()
	return buf.Bytes()
}

func TestRestoreRefuses(t *testing.T) {
	ctx := storetest.Ctx()
	src := openSQLite(t)
	if _, err := demo.Load(ctx, src); err != nil {
		t.Fatal(err)
	}
	file, _ := backupBytes(t, src)
	newer := rewrite(t, file, func(l []string) []string {
		l[0] = strings.Replace(l[0], `"schema_version":`, `"schema_version":9`, 1)
		return l
	})
	tampered := rewrite(t, file, func(l []string) []string {
		for i, line := range l {
			if strings.Contains(line, "Đông Căm") && strings.HasPrefix(line, "[") {
				l[i] = strings.Replace(line, "Đông Căm", "Đông Cam", 1)
				break
			}
		}
		return l
	})
	cases := []struct {
		name string
		file []byte
		key  string
	}{
		{"truncated", file[:len(file)/2], "backup.truncated"},
		{"last line cut", rewrite(t, file, func(l []string) []string { return l[:len(l)-1] }), "backup.truncated"},
		{"newer schema", newer, "backup.schema_newer"},
		{"tampered row", tampered, "backup.checksum"},
		{"not a backup", []byte("hello"), "backup.not_backup"},
		{"extra line", rewrite(t, file, func(l []string) []string { return append(l, "[1]") }), "backup.corrupt"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dst := storetest.EmptySQLite(t)
			_, err := dst.Restore(ctx, domain.CLIActor(), opener(c.file))
			if de, ok := domain.AsError(err); !ok || de.Key != c.key {
				t.Fatalf("err = %v, want %s", err, c.key)
			}
			if have, _ := dst.ExistingTables(ctx); len(have) != 0 {
				t.Errorf("target touched: %v", have)
			}
		})
	}
	t.Run("non-empty target", func(t *testing.T) {
		dst := openSQLite(t)
		if _, err := dst.CreateUser(ctx, domain.CLIActor(), store.NewUser{Login: "nguoi.dung", Name: "Người dùng", PasswordHash: "h"}, "admin", 0); err != nil {
			t.Fatal(err)
		}
		before, _ := dst.Checksums(ctx)
		_, err := dst.Restore(ctx, domain.CLIActor(), opener(file))
		if de, ok := domain.AsError(err); !ok || de.Key != "backup.target_not_empty" {
			t.Fatalf("err = %v", err)
		}
		after, _ := dst.Checksums(ctx)
		if !reflect.DeepEqual(before, after) {
			t.Error("non-empty target changed")
		}
	})
	t.Run("migrated empty target", func(t *testing.T) {
		dst := openSQLite(t) // migrated: only the seeded days off and procedures
		if _, err := dst.Restore(ctx, domain.CLIActor(), opener(file)); err != nil {
			t.Fatal(err)
		}
		sameData(t, src, dst)
	})
}
