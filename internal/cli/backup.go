package cli

import (
	"os"
	"path/filepath"
	"strings"

	"thonso/internal/domain"
	"thonso/internal/store"
)

func runBackup(e *env, args []string) error {
	fs := e.flags("backup")
	e.cfg.DBFlag(fs)
	out := fs.String("o", "", "the backup file to write (gzip'd JSON lines; never overwritten)")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if *out == "" && fs.NArg() == 1 {
		*out = fs.Arg(0)
	}
	if *out == "" {
		return domain.Errorf(domain.EINVALID, "cli.backup_needs_output")
	}
	// Backing up a SQLite file that is not there would create it.
	if path, ok := strings.CutPrefix(e.cfg.DB, "sqlite:"); ok {
		if _, err := os.Stat(path); err != nil {
			return domain.Errorf(domain.EINVALID, "backup.nothing", "where", e.cfg.DB)
		}
	}
	s, err := e.open()
	if err != nil {
		return err
	}
	defer s.Close()
	if v, err := s.SchemaVersion(e.ctx); err != nil {
		return err
	} else if v == 0 {
		return domain.Errorf(domain.EINVALID, "backup.nothing", "where", s.Where)
	}
	info, err := writeBackup(e, s, *out)
	if err != nil {
		return err
	}
	e.println(e.t("cli.backup_done", "db", s.Where, "file", *out, "tables", len(info.Tables), "rows", info.Rows, "version", info.SchemaVersion))
	return nil
}

// writeBackup writes to a temporary file beside path, syncs it and renames
// it into place: a crash never leaves a half backup under the real name.
func writeBackup(e *env, s *store.Store, path string) (store.BackupInfo, error) {
	if _, err := os.Stat(path); err == nil {
		return store.BackupInfo{}, domain.Errorf(domain.EINVALID, "cli.backup_exists", "file", path)
	}
	fail := func(err error) error {
		return domain.Errorf(domain.EINTERNAL, "cli.backup_failed", "file", path, "reason", firstLine(err.Error()))
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.part")
	if err != nil {
		return store.BackupInfo{}, fail(err)
	}
	defer os.Remove(tmp.Name())
	info, err := s.Backup(e.ctx, tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		if _, ok := domain.AsError(err); ok {
			return info, err
		}
		return info, fail(err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		return info, fail(err)
	}
	return info, nil
}
