package cli

import (
	"os"
	"sort"
	"strings"

	"thonso/internal/domain"
	"thonso/internal/importer"
)

func runImport(e *env, args []string) error {
	if len(args) > 0 && args[0] == "residents" {
		return runImportResidents(e, args[1:])
	}
	if len(args) == 0 || (args[0] != "units" && !strings.HasPrefix(args[0], "-")) {
		fs := e.flags("import")
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fs.Usage()
			return nil
		}
		return domain.Errorf(domain.EINVALID, "cli.missing_args", "what", "“units FILE…” / “residents FILE”")
	}
	if args[0] == "units" {
		args = args[1:]
	}
	fs := e.flags("import")
	e.cfg.DBFlag(fs)
	act := fs.String("legal-act", "", "legal act recorded on every change that names none (e.g. \"Nghị quyết 202/2025/QH15\")")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	files := fs.Args()
	if len(files) == 0 {
		return domain.Errorf(domain.EINVALID, "cli.missing_args", "what", "FILE")
	}
	// Read every file before touching the database; the pre-2025 list
	// goes first, so that a merge file in the same call finds its units.
	var batches []domain.UnitBatch
	var fe domain.FileErrors
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return domain.Errorf(domain.EINVALID, "cli.file_unreadable", "file", f, "reason", err.Error())
		}
		b, err := importer.UnitFile(f, data, *act)
		if err != nil {
			if x, ok := err.(*domain.FileErrors); ok {
				fe.Rows = append(fe.Rows, x.Rows...)
				continue
			}
			return err
		}
		batches = append(batches, b)
	}
	if err := fe.Err(); err != nil {
		return err
	}
	sort.SliceStable(batches, func(i, j int) bool { return order(batches[i]) < order(batches[j]) })
	s, err := e.openReady()
	if err != nil {
		return err
	}
	defer s.Close()
	res, err := s.ApplyUnitBatches(e.ctx, domain.CLIActor(), batches)
	if err != nil {
		return err
	}
	if !res.Changed() {
		e.println(e.t("import.nothing"))
		return nil
	}
	e.println(e.t("import.done", "units", res.UnitsAdded, "ended", res.UnitsEnded, "links", res.LinksAdded, "moves", res.MovesAdded, "events", res.EventsAdded))
	if len(res.Review) > 0 {
		e.println(e.t("import.review", "count", len(res.Review), "codes", strings.Join(res.Review, ", ")))
	}
	return nil
}

// order puts snapshot lists (no dated units) before dated changes.
func order(b domain.UnitBatch) int {
	for _, u := range b.Units {
		if !u.ValidFrom.IsZero() {
			return 1
		}
	}
	if len(b.Links)+len(b.Moves)+len(b.Ends)+len(b.Renames) > 0 {
		return 1
	}
	return 0
}
