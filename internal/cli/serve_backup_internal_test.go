package cli

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"thonso/internal/store"
)

// TestScheduledBackups runs the schedule at one a second and checks that
// only the newest two are kept and each is a whole backup.
func TestScheduledBackups(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := store.Open(ctx, "sqlite:"+filepath.Join(dir, "a.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "backups")
	os.Mkdir(out, 0o700)
	e := &env{ctx: ctx}
	done := make(chan struct{})
	go func() {
		scheduledBackups(e, s, slog.New(slog.NewTextHandler(io.Discard, nil)), out, time.Second, 2)
		close(done)
	}()
	time.Sleep(3500 * time.Millisecond)
	cancel()
	<-done
	names, _ := filepath.Glob(filepath.Join(out, "thonso-*.jsonl.gz"))
	if len(names) != 2 {
		t.Fatalf("kept %d backups, want 2: %v", len(names), names)
	}
	for _, n := range names {
		f, err := os.Open(n)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := store.VerifyBackup(f); err != nil {
			t.Errorf("%s: %v", n, err)
		}
		f.Close()
	}
}
