package cli

import (
	"fmt"
	"strings"
	"time"

	"thonso/internal/domain"
	"thonso/internal/textvi"
)

func runUnit(e *env, args []string) error {
	fs := e.flags("unit")
	e.cfg.DBFlag(fs)
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return domain.Errorf(domain.EINVALID, "cli.missing_args", "what", "CODE[@DATE]")
	}
	code, when, _ := strings.Cut(fs.Arg(0), "@")
	at := domain.DateOf(time.Now())
	if when != "" {
		d, err := textvi.ParseDate(when)
		if err != nil {
			return err
		}
		at = d
	}
	s, err := e.openReady()
	if err != nil {
		return err
	}
	defer s.Close()
	u, err := s.UnitAt(e.ctx, code, at)
	if err != nil {
		return err
	}
	lang := e.cfg.Lang
	valid := e.cat.T(lang, "ui.valid_from_to", map[string]any{"from": orText(u.ValidFrom.VN(), e.t("ui.since_before")), "to": orText(u.ValidTo.VN(), e.t("ui.still_valid"))})
	fmt.Fprintf(e.stdout, "%s (%s %s) — %s\n%s: %s\n", u.Name, e.t("ui.code"), u.Code, e.t("level."+string(u.Level)), e.t("ui.valid"), valid)
	if u.Parent != nil {
		fmt.Fprintf(e.stdout, "%s: %s (%s)\n", e.t("ui.parent"), u.Parent.Name, u.Parent.Code)
	}
	if u.Slug != "" {
		fmt.Fprintf(e.stdout, "%s: /v/%s\n", e.t("ui.slug"), u.Slug)
	}
	pred, err := s.Predecessors(e.ctx, u.ID)
	if err != nil {
		return err
	}
	for _, p := range pred {
		fmt.Fprintf(e.stdout, "%s: %s (%s) — %s, %s %s\n", e.t("ui.predecessors"), p.Name, p.Code, e.t("kind."+string(p.Kind)), e.t("ui.effective", "date", p.Effective), p.LegalAct)
	}
	succ, err := s.Successors(e.ctx, u.ID)
	if err != nil {
		return err
	}
	for _, x := range succ {
		fmt.Fprintf(e.stdout, "%s: %s (%s) — %s, %s %s\n", e.t("ui.successors"), x.Name, x.Code, e.t("kind."+string(x.Kind)), e.t("ui.effective", "date", x.Effective), x.LegalAct)
	}
	return nil
}

func orText(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}
