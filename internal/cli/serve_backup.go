package cli

import (
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"thonso/internal/store"
)

// scheduledBackups writes a backup into dir every interval while serve
// runs, named by the time (thonso-YYYYMMDD-HHMMSS.jsonl.gz), and keeps the
// newest keep of them. A failure is logged and tried again next time.
func scheduledBackups(e *env, s *store.Store, log *slog.Logger, dir string, every time.Duration, keep int) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-e.ctx.Done():
			return
		case now := <-t.C:
			path := filepath.Join(dir, "thonso-"+now.UTC().Format("20060102-150405")+".jsonl.gz")
			if info, err := writeBackup(e, s, path); err != nil {
				log.Error("scheduled backup failed", "file", path, "err", err)
			} else {
				log.Info("scheduled backup", "file", path, "rows", info.Rows)
			}
			pruneBackups(dir, keep, log)
		}
	}
}

// pruneBackups removes all but the newest keep scheduled backups in dir.
func pruneBackups(dir string, keep int, log *slog.Logger) {
	names, _ := filepath.Glob(filepath.Join(dir, "thonso-*.jsonl.gz"))
	sort.Strings(names) // the names sort by time
	for len(names) > keep {
		if !strings.HasPrefix(filepath.Base(names[0]), "thonso-") {
			break
		}
		if err := os.Remove(names[0]); err != nil {
			log.Error("removing an old backup failed", "file", names[0], "err", err)
		}
		names = names[1:]
	}
}
