package cli_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"thonso/internal/domain"
	"thonso/internal/store"
)

// TestBackupRestoreCLI backs up a database while another connection keeps
// writing to it (as serve would), restores it into a new file, and checks
// the refusals print one Vietnamese line and leave the target alone.
func TestBackupRestoreCLI(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "a.db")
	run(t, "demo", "--db", db).mustOK(t)

	ctx, cancel := context.WithCancel(context.Background())
	s, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan int)
	go func() {
		n := 0
		for ctx.Err() == nil {
			if _, err := s.CreateUser(ctx, domain.CLIActor(), store.NewUser{Login: fmt.Sprintf("ban.sao.%d", n), Name: "Bản sao", PasswordHash: "h"}, "admin", 0); err == nil {
				n++
			}
		}
		done <- n
	}()
	file := filepath.Join(dir, "sao-luu.jsonl.gz")
	r := run(t, "backup", "--db", db, "-o", file)
	cancel()
	writes := <-done
	s.Close()
	r.mustOK(t)
	t.Logf("%s (%d accounts written meanwhile)", r.stdout, writes)

	run(t, "backup", "--db", db, "-o", file).oneLine(t, "đã có")
	run(t, "backup", "--db", "sqlite:"+filepath.Join(dir, "khong-co.db"), "-o", filepath.Join(dir, "x.gz")).oneLine(t, "không có gì để sao lưu")
	if _, err := os.Stat(filepath.Join(dir, "khong-co.db")); err == nil {
		t.Error("backup created the database it was asked to copy")
	}
	target := "sqlite:" + filepath.Join(dir, "b.db")
	run(t, "restore", file, "--db", target).mustOK(t)
	run(t, "restore", file, "--db", target).oneLine(t, "không trống", "Không thay đổi gì")

	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(dir, "cut.gz")
	os.WriteFile(cut, b[:len(b)*2/3], 0o600)
	c := filepath.Join(dir, "c.db")
	run(t, "restore", cut, "--db", "sqlite:"+c).oneLine(t, "cắt cụt")
	if _, err := os.Stat(c); err == nil {
		t.Error("a refused restore created the target file")
	}
	run(t, "restore", "--db", target).oneLine(t, "Thiếu tệp sao lưu")

	// A newer schema is refused after the file is read whole; the new
	// target file made to check it is removed again.
	newer := filepath.Join(dir, "newer.gz")
	os.WriteFile(newer, newerSchema(t, b), 0o600)
	d := filepath.Join(dir, "d.db")
	run(t, "restore", newer, "--db", "sqlite:"+d).oneLine(t, "mới hơn")
	if _, err := os.Stat(d); err == nil {
		t.Error("a refused restore left the target file")
	}
}

// newerSchema rewrites a backup's header to a schema version no binary has.
func newerSchema(t *testing.T, file []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	raw = bytes.Replace(raw, []byte(`"schema_version":`), []byte(`"schema_version":9`), 1)
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	zw.Write(raw)
	zw.Close()
	return out.Bytes()
}
