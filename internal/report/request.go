package report

import (
	"context"
	"strings"

	"thonso/internal/domain"
	"thonso/internal/store"
	"thonso/internal/textvi"
)

// Request is an export asked for by the web or the command line, checked.
type Request struct {
	Code    string
	At      domain.Date
	Current bool
	Format  string
}

// ParseRequest checks an export's words: the format (xlsx, pdf, csv), the
// date (dd/mm/yyyy or ISO; empty is today) and the reading (as_was, the
// default, or current). Each refusal names its parameter.
func ParseRequest(code, format, at, view string, today domain.Date) (Request, error) {
	r := Request{Code: strings.TrimSpace(code), Format: strings.ToLower(strings.TrimSpace(format)), At: today}
	if !ValidFormat(r.Format) {
		return r, domain.Errorf(domain.EINVALID, "export.bad_format", "value", format).WithField("format")
	}
	if strings.TrimSpace(at) != "" {
		d, err := textvi.ParseDate(at)
		if err != nil || d.IsZero() {
			return r, domain.Errorf(domain.EINVALID, "export.bad_date", "value", at).WithField("at")
		}
		r.At = d
	}
	switch strings.TrimSpace(view) {
	case "", "as_was":
	case "current":
		r.Current = true
	default:
		return r, domain.Errorf(domain.EINVALID, "export.bad_view", "value", view).WithField("view")
	}
	if r.Code == "" {
		return r, domain.Errorf(domain.EINVALID, "export.unit_not_found", "code", code, "date", r.At).WithField("code")
	}
	return r, nil
}

// Resolve finds the unit an export is about: the code on the date, or —
// re-attributed — the unit carrying the code today (CONVENTIONS.md: a unit
// that does not exist today has no re-attributed figures).
func Resolve(ctx context.Context, st *store.Store, r Request, today domain.Date) (domain.Unit, error) {
	on := r.At
	if r.Current {
		on = today
	}
	u, err := st.UnitAt(ctx, r.Code, on)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return u, domain.Errorf(domain.ENOTFOUND, "export.unit_not_found", "code", r.Code, "date", on).WithField("code")
	}
	return u, err
}
