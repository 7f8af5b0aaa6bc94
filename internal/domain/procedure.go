package domain

import "strings"

// Procedure is an administrative procedure of the national catalogue.
type Procedure struct {
	ID             int64
	Code           string // national code, e.g. 2.000815
	Name           string
	Sector         string // ngành: tu_phap, cong_an, lao_dong_tbxh, …
	Field          string // lĩnh vực: chung_thuc, ho_tich, cu_tru, …
	Agency         string
	Portal         string // national (DVCQG) or provincial
	FullyOnline    bool   // toàn trình: the result comes online too
	Documents      []string
	Fee            string
	ProcessingDays int // working days
	RetiredOn      Date
	Version        int
}

// Retired reports whether the procedure is retired on d.
func (p Procedure) Retired(d Date) bool { return !p.RetiredOn.IsZero() && !d.Before(p.RetiredOn) }

// SplitDocuments reads the stored checklist (one document per line or "|").
func SplitDocuments(s string) []string {
	var out []string
	for _, d := range strings.FieldsFunc(s, func(r rune) bool { return r == '|' || r == '\n' }) {
		if d = strings.TrimSpace(d); d != "" {
			out = append(out, d)
		}
	}
	return out
}
