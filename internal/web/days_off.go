package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"thonso/internal/domain"
)

type daysOffPage struct {
	*Page
	Year    int
	Days    []domain.DayOff
	CanEdit bool
	Form    map[string]string
	Errors  map[string]string
}

func (f daysOffPage) formValue(n string) string { return f.Form[n] }
func (f daysOffPage) formError(n string) string { return f.Errors[n] }

// daysOff lists a year's days off and make-up days; officers edit them
// (2027's lunar holidays are provisional until confirmed).
func (s *Server) daysOff(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.days_off")
	dp := s.daysOffPage(r, p)
	s.render(w, http.StatusOK, "days_off", dp)
}

func (s *Server) daysOffPage(r *http.Request, p *Page) daysOffPage {
	year := p.Today.Year()
	if y, err := strconv.Atoi(r.URL.Query().Get("year")); err == nil && y > 2000 && y < 2100 {
		year = y
	}
	days, _ := s.Store.DaysOff(r.Context(), domain.NewDate(year, time.January, 1), domain.NewDate(year, time.December, 31))
	a := actorOf(r)
	return daysOffPage{Page: p, Year: year, Days: days, CanEdit: a != nil && a.Can(domain.PermUnitManage), Form: map[string]string{"kind": "off"}, Errors: map[string]string{}}
}

// dayOffSave adds, changes or confirms a day.
func (s *Server) dayOffSave(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.days_off")
	dp := s.daysOffPage(r, p)
	for _, k := range []string{"on", "kind", "name"} {
		dp.Form[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	d := domain.DayOff{Kind: dp.Form["kind"], Name: dp.Form["name"]}
	on, err := parseDate(dp.Form["on"])
	if err != nil {
		fieldErr(s, p.Lang, dp.Errors, err, "on")
	}
	d.On = on
	if len(dp.Errors) == 0 {
		if err := s.Store.SetDayOff(r.Context(), actorOf(r), d); err != nil {
			if domain.ErrorCode(err) == domain.EINTERNAL || domain.ErrorCode(err) == domain.EFORBIDDEN {
				s.fail(w, p, err)
				return
			}
			fieldErr(s, p.Lang, dp.Errors, err, "on")
		} else {
			http.Redirect(w, r, "/days-off?year="+strconv.Itoa(d.On.Year()), http.StatusSeeOther)
			return
		}
	}
	s.render(w, http.StatusUnprocessableEntity, "days_off", dp)
}
