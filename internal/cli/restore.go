package cli

import (
	"io"
	"os"
	"strings"

	"thonso/internal/domain"
	"thonso/internal/store"
)

func runRestore(e *env, args []string) error {
	fs := e.flags("restore")
	e.cfg.DBFlag(fs)
	if err := e.parse(fs, args); err != nil {
		return err
	}
	// "restore FILE --db DSN": flags may follow the file.
	if fs.NArg() == 0 {
		return domain.Errorf(domain.EINVALID, "cli.restore_needs_file")
	}
	file := fs.Arg(0)
	if err := e.parse(fs, fs.Args()[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return domain.Errorf(domain.EINVALID, "cli.bad_flag", "reason", fs.Arg(0))
	}
	open := func() (io.ReadCloser, error) {
		f, err := os.Open(file)
		if err != nil {
			return nil, domain.Errorf(domain.EINVALID, "cli.restore_open", "file", file, "reason", firstLine(err.Error()))
		}
		return f, nil
	}
	// Check the file before the target is even opened (SQLite would create it).
	f, err := open()
	if err != nil {
		return err
	}
	_, err = store.VerifyBackup(f)
	f.Close()
	if err != nil {
		return err
	}
	// A SQLite target that did not exist is removed again when the restore
	// is refused, so a refused restore leaves nothing behind.
	var created string
	if path, ok := strings.CutPrefix(e.cfg.DB, "sqlite:"); ok {
		if _, err := os.Stat(path); os.IsNotExist(err) {
			created = path
		}
	}
	s, err := e.open()
	if err != nil {
		return err
	}
	info, err := s.Restore(e.ctx, domain.CLIActor(), open)
	s.Close()
	if err != nil {
		if created != "" {
			for _, suffix := range []string{"", "-wal", "-shm"} {
				os.Remove(created + suffix)
			}
		}
		return err
	}
	e.println(e.t("cli.restore_done", "file", file, "db", s.Where, "tables", len(info.Tables), "rows", info.Rows, "version", s.KnownVersion()))
	return nil
}
