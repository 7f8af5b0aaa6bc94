package cli

import (
	"os"
	"time"

	"thonso/internal/domain"
	"thonso/internal/report"
)

// runExport writes a unit's report for a date to a file:
// thonso export --unit CODE --at DATE [--view current] --format xlsx|pdf|csv -o FILE.
// The file is written only when the whole report is made.
func runExport(e *env, args []string) error {
	fs := e.flags("export")
	e.cfg.DBFlag(fs)
	unit := fs.String("unit", "", "the unit's code (a village's T000123 code or slug works too)")
	at := fs.String("at", "", "the date of the figures, dd/mm/yyyy or YYYY-MM-DD (default: today)")
	view := fs.String("view", "as_was", "as_was: the unit as it was on the date; current: re-attributed to today's units")
	format := fs.String("format", "", "xlsx, pdf or csv")
	out := fs.String("o", "", "the file to write")
	lang := fs.String("lang", e.cfg.Lang, "language of the report: vi or en")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	for _, m := range [][2]string{{"--unit", *unit}, {"--format", *format}, {"-o", *out}} {
		if m[1] == "" {
			return domain.Errorf(domain.EINVALID, "cli.export_missing", "what", m[0])
		}
	}
	today := domain.DateOf(time.Now())
	req, err := report.ParseRequest(*unit, *format, *at, *view, today)
	if err != nil {
		return err
	}
	s, err := e.openReady()
	if err != nil {
		return err
	}
	defer s.Close()
	u, err := report.Resolve(e.ctx, s, req, today)
	if err != nil {
		return err
	}
	d, err := report.Gather(e.ctx, s, u, req.At, req.Current, nil)
	if err != nil {
		return err
	}
	// A database holding the demo says so on every page it prints.
	v, err := s.Meta(e.ctx, "demo_version")
	if err != nil {
		return err
	}
	d.Demo = v != ""
	l := "vi"
	if *lang == "en" {
		l = "en"
	}
	b, err := report.Write(d, req.Format, report.Text{Cat: e.cat, Lang: l})
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		return domain.Errorf(domain.EINVALID, "cli.bad_flag", "reason", err.Error())
	}
	e.println(e.t("cli.export_done", "file", *out, "size", len(b)))
	return nil
}
