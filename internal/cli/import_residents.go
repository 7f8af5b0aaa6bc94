package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"thonso/internal/domain"
	"thonso/internal/importer"
)

// runImportResidents: thonso import residents [--village CODE|SLUG] [--dry-run] [--valid-only] FILE.
func runImportResidents(e *env, args []string) error {
	fs := e.flags("import")
	e.cfg.DBFlag(fs)
	village := fs.String("village", "", "the village every row belongs to (system code T000123 or slug); without it the file needs a “Mã thôn” or “Thôn” column")
	dry := fs.Bool("dry-run", false, "check the file and print what would change, writing nothing")
	validOnly := fs.Bool("valid-only", false, "import the valid rows and write the rejected ones to FILE-loi.xlsx")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return domain.Errorf(domain.EINVALID, "cli.missing_args", "what", "FILE")
	}
	path := fs.Arg(0)
	f, err := os.Open(path)
	if err != nil {
		return domain.Errorf(domain.EINVALID, "cli.file_unreadable", "file", path, "reason", err.Error())
	}
	defer f.Close()
	s, err := e.openReady()
	if err != nil {
		return err
	}
	defer s.Close()
	today := domain.DateOf(time.Now())
	opt := importer.PeopleOptions{DryRun: *dry, ValidOnly: *validOnly, Progress: func(done, total int) {
		if done > 0 && done%10000 == 0 {
			fmt.Fprintln(e.stderr, e.t("import.progress", "done", done))
		}
	}}
	if *village != "" {
		u, err := e.resolveUnit(s, *village)
		if err != nil {
			if v, _, err2 := s.VillageBySlug(e.ctx, *village, today); err2 == nil {
				u, err = v, nil
			}
		}
		if err != nil {
			return err
		}
		if u.Level != domain.LevelVillage {
			return domain.Errorf(domain.EINVALID, "import.not_a_village", "code", *village)
		}
		opt.VillageID = u.ID
	}
	rep, err := importer.ImportPeople(e.ctx, s, domain.CLIActor(), f, filepath.Base(path), today, opt)
	if err != nil {
		return err
	}
	r := rep.Result
	key := "import.people_done"
	if *dry {
		key = "import.people_preview"
	}
	e.println(e.t(key, "created", r.Created, "updated", r.Updated, "unchanged", r.Unchanged, "rejected", len(rep.Rejected),
		"households", r.HouseholdsCreated))
	if len(rep.Rejected) > 0 {
		for _, p := range rep.Problems {
			fmt.Fprintln(e.stderr, e.t("import.cell_error", "file", p.File, "row", p.Row, "column", p.Column, "message", e.cat.T(e.cfg.Lang, p.Err.Key, p.Err.Args)))
		}
		out := path[:len(path)-len(filepath.Ext(path))] + "-loi.xlsx"
		b, err := importer.RejectedFile(rep.Info, rep.Rejected, func(de *domain.Error) string { return e.cat.T(e.cfg.Lang, de.Key, de.Args) })
		if err == nil && os.WriteFile(out, b, 0o644) == nil {
			e.println(e.t("import.rejected_written", "file", out))
		}
	}
	return nil
}
