package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"thonso/internal/domain"
	"thonso/internal/store"
)

// dossierLogPage is the monthly "sổ theo dõi tiếp nhận và trả kết quả":
// the paper book communes keep, with a column for the resident to sign
// when the result is handed over.
type dossierLogPage struct {
	*Page
	Village  domain.Unit
	Month    string // as shown and typed: "10/2024"
	Rows     []domain.Dossier
	Procs    map[int64]domain.Procedure
	Received int
	Returned int
	From, To domain.Date
	Form     map[string]string
	Errors   map[string]string
}

func (f dossierLogPage) formValue(n string) string { return f.Form[n] }
func (f dossierLogPage) formError(n string) string { return f.Errors[n] }

// parseMonth reads "10/2024", "10-2024" or "2024-10" and returns the
// first and last day of that month.
func parseMonth(s string) (from, to domain.Date, ok bool) {
	s = strings.TrimSpace(s)
	var m, y string
	if a, b, found := strings.Cut(strings.ReplaceAll(s, "-", "/"), "/"); found {
		if len(a) == 4 {
			y, m = a, b
		} else {
			m, y = a, b
		}
	}
	mi, err1 := strconv.Atoi(m)
	yi, err2 := strconv.Atoi(y)
	if err1 != nil || err2 != nil || mi < 1 || mi > 12 || yi < 2000 || yi > 2100 || len(y) != 4 {
		return from, to, false
	}
	from, to = monthBounds(yi, time.Month(mi))
	return from, to, true
}

// monthBounds is the first and last day of a month.
func monthBounds(y int, m time.Month) (from, to domain.Date) {
	first := time.Date(y, m, 1, 12, 0, 0, 0, time.UTC)
	return domain.DateOf(first), domain.DateOf(first.AddDate(0, 1, -1))
}

func (s *Server) dossierLog(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.dossier_log")
	a := actorOf(r)
	v, err := s.village(r, p)
	if err != nil {
		s.fail(w, p, err)
		return
	}
	lp := dossierLogPage{Page: p, Village: v, Form: map[string]string{}, Errors: map[string]string{}}
	s.useStepLabels(r, p, v)
	status := http.StatusOK
	typed := r.URL.Query().Get("month")
	from, to, ok := parseMonth(typed)
	if typed == "" || !ok {
		if typed != "" {
			lp.Errors["month"] = p.T("dossier.log_month_invalid", "value", typed)
			status = http.StatusUnprocessableEntity
		}
		from, to = monthBounds(p.Today.Year(), p.Today.Month())
	}
	lp.From, lp.To = from, to
	lp.Month = strconv.Itoa(int(from.Month())) + "/" + strconv.Itoa(from.Year())
	lp.Form["month"] = typed
	if typed == "" {
		lp.Form["month"] = lp.Month
	}
	if lp.Procs, _, err = s.procedureMap(r); err != nil {
		s.fail(w, p, err)
		return
	}
	if lp.Rows, err = s.Store.DossierLog(r.Context(), a.Scope(domain.PermDossierEdit), v.ID, from, to); err != nil {
		s.fail(w, p, err)
		return
	}
	for _, d := range lp.Rows {
		if !d.ReceivedOn.Before(from) {
			lp.Received++
		}
		if !d.ReturnedOn.IsZero() && !d.ReturnedOn.Before(from) && !d.ReturnedOn.After(to) {
			lp.Returned++
		}
	}
	// The book lists residents by name: a view of personal data.
	if err := s.Store.Audit(r.Context(), a, store.AuditEntry{Action: "view", Entity: "dossier_log", EntityID: from.String()[:7], UnitID: v.ID}); err != nil {
		s.fail(w, p, err)
		return
	}
	p.Title = p.T("ui.dossier_log_of", "village", v.Name, "month", lp.Month)
	p.Breadcrumb = []Crumb{{Name: v.Name, URL: "/villages/" + v.Code + "/dossiers"}, {Name: p.T("ui.dossier_log")}}
	s.render(w, status, "dossier_log", lp)
}
