// Package cli holds thonso's subcommands, one file each.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"thonso/internal/config"
	"thonso/internal/domain"
	"thonso/internal/i18n"
	"thonso/internal/store"

	_ "time/tzdata" // Asia/Ho_Chi_Minh on a machine without zoneinfo
)

// env is what every command gets.
type env struct {
	ctx    context.Context
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	cfg    config.Config
	cat    *i18n.Catalog
	// ready, when set, receives the address serve listens on (tests).
	ready func(addr string)
}

type command struct {
	name, usage, summary string
	run                  func(e *env, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "serve [--db DSN] [--addr HOST:PORT] [--demo] [--migrate]", "run the web app and the API", runServe},
		{"migrate", "migrate [--db DSN]", "bring the database to the current schema", runMigrate},
		{"demo", "demo [--db DSN] [--reset]", "load the Bảo Thắng demo data set", runDemo},
		{"import", "import units [--db DSN] [--legal-act TEXT] FILE…  |  import residents [--db DSN] [--village CODE|SLUG] [--dry-run] [--valid-only] FILE",
			"import official unit lists or a unit-change CSV/XLSX; or a village's residents from a spreadsheet", runImport},
		{"unit", "unit [--db DSN] CODE[@DATE]", "show a unit as it was on a date (dd/mm/yyyy or YYYY-MM-DD)", runUnit},
		{"user", "user add [--db DSN] --login L [--phone P] --name NAME --role ROLE [--unit CODE[@DATE]] [--password-stdin]", "create an account with a role over a unit's subtree", runUser},
		{"export", "export [--db DSN] --unit CODE [--at DATE] [--view as_was|current] --format xlsx|pdf|csv -o FILE [--lang vi|en]",
			"write a unit's report for a date: a spreadsheet, an administrative report (PDF) or the villages as CSV", runExport},
		{"backup", "backup [--db DSN] -o FILE", "write a consistent backup of the whole database while it runs (gzip'd JSON lines, restorable into SQLite or PostgreSQL)", runBackup},
		{"restore", "restore FILE [--db DSN]", "load a backup into an empty database (refuses a non-empty one, a damaged file or a newer schema)", runRestore},
		{"retention", "retention [--db DSN] --retention-years N", "remove practice-dossier details and session logs older than N years (env THONSO_RETENTION_YEARS); audited", runRetention},
		{"token", "token create [--db DSN] --login L [--expires DAYS] [--name NOTE]", "create an API token; it is printed once, alone on the last line", runToken},
	}
}

// Options lets tests wire Run (the address serve listens on).
type Options struct {
	Ready func(addr string)
}

// Run runs thonso with args and returns the exit status.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return RunWith(ctx, args, stdin, stdout, stderr, Options{})
}

// RunWith is Run with test hooks.
func RunWith(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, o Options) int {
	cat, err := i18n.Load()
	if err != nil {
		fmt.Fprintln(stderr, "thonso:", err)
		return 1
	}
	e := &env{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr, cfg: config.FromEnv(), cat: cat, ready: o.Ready}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		stop := startProfile(stderr)
		err := c.run(e, args[1:])
		stop()
		if err == nil {
			return 0
		}
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		e.printErr(err)
		return 1
	}
	fmt.Fprintln(stderr, cat.T(e.cfg.Lang, "cli.unknown_command", map[string]any{"name": args[0]}))
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, `thonso — Thôn Số, software for the smart digital-transformation village model

Usage: thonso COMMAND [flags]

Commands:`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, `
"thonso COMMAND --help" explains a command's flags.

Environment: THONSO_DB (database, default sqlite:thonso.db), THONSO_ADDR
(listen address, default 127.0.0.1:8080), THONSO_LANG (vi or en: language
of messages, default vi); for serve also THONSO_PUBLIC_URL,
THONSO_TRUSTED_PROXIES, THONSO_LOG_FORMAT, THONSO_LOG_LEVEL,
THONSO_BACKUP_DIR, THONSO_BACKUP_EVERY, THONSO_BACKUP_KEEP (see its --help).`)
}

// flags makes a FlagSet whose --help prints the command's usage.
func (e *env) flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stdout)
	for _, c := range commands() {
		if c.name == name {
			fs.Usage = func() {
				fmt.Fprintf(e.stdout, "Usage: thonso %s\n\n%s.\n\nFlags:\n", c.usage, strings.ToUpper(c.summary[:1])+c.summary[1:])
				fs.PrintDefaults()
			}
		}
	}
	return fs
}

// parse parses flags; a bad flag is an EINVALID error with its reason.
func (e *env) parse(fs *flag.FlagSet, args []string) error {
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	fs.SetOutput(e.stdout)
	if errors.Is(err, flag.ErrHelp) {
		fs.Usage()
		return err
	}
	if err != nil {
		return domain.Errorf(domain.EINVALID, "cli.bad_flag", "reason", err.Error())
	}
	return nil
}

// openReady opens the database and makes its schema usable the way serve
// does: an empty one is migrated, an older or newer one is refused with
// what to do.
func (e *env) openReady() (*store.Store, error) {
	s, err := e.open()
	if err != nil {
		return nil, err
	}
	if err := e.prepareSchema(s, false); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// open opens and checks the database named by --db / THONSO_DB.
func (e *env) open() (*store.Store, error) {
	if err := e.cfg.Validate(); err != nil {
		return nil, err
	}
	return store.Open(e.ctx, e.cfg.DB)
}

func (e *env) t(key string, kv ...any) string {
	args := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		args[fmt.Sprint(kv[i])] = kv[i+1]
	}
	return e.cat.T(e.cfg.Lang, key, args)
}

// printErr prints an error as one translated line (a file's errors one
// line per row), never a stack trace.
func (e *env) printErr(err error) {
	var fe *domain.FileErrors
	if errors.As(err, &fe) {
		for i, r := range fe.Rows {
			if i == 50 {
				fmt.Fprintf(e.stderr, "… (%d)\n", len(fe.Rows)-50)
				break
			}
			msg := e.cat.T(e.cfg.Lang, r.Err.Key, r.Err.Args)
			if r.Row > 0 && r.Column != "" {
				fmt.Fprintln(e.stderr, e.t("import.cell_error", "file", r.File, "row", r.Row, "column", r.Column, "message", msg))
			} else if r.Row > 0 && strings.HasSuffix(r.File, ".json") {
				fmt.Fprintln(e.stderr, e.t("import.item_error", "file", r.File, "row", r.Row, "message", msg))
			} else if r.Row > 0 {
				fmt.Fprintln(e.stderr, e.t("import.row_error", "file", r.File, "row", r.Row, "message", msg))
			} else {
				fmt.Fprintln(e.stderr, e.t("import.file_error", "file", r.File, "message", msg))
			}
		}
		fmt.Fprintln(e.stderr, e.t("import.refused", "count", len(fe.Rows)))
		return
	}
	if de, ok := domain.AsError(err); ok && e.cat.Has(de.Key) {
		fmt.Fprintln(e.stderr, "thonso: "+e.cat.T(e.cfg.Lang, de.Key, de.Args))
		if near, ok := de.Args["nearest"].([]domain.Date); ok && len(near) > 0 {
			fmt.Fprintln(e.stderr, e.t("unit.nearest", "dates", near))
		}
		return
	}
	fmt.Fprintln(e.stderr, "thonso: "+firstLine(err.Error()))
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
