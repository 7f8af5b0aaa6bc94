package web

import (
	"context"
	"net/http"
	"strconv"

	"thonso/internal/domain"
	"thonso/internal/i18n"
	"thonso/internal/report"
	"thonso/internal/store"
)

// DefaultExportSyncVillages is how many villages a unit may have for its
// export to be made while the browser waits; more run in the background.
const DefaultExportSyncVillages = 300

// exportLang is the language of an export and of its refusals: the chosen
// language (cookie), else the Accept-Language of the request — the link
// is also fetched by scripts, which say what they read.
func (s *Server) exportLang(r *http.Request) string {
	if c, err := r.Cookie("lang"); err == nil && (c.Value == "en" || c.Value == "vi") {
		return c.Value
	}
	return i18n.Lang(r.Header.Get("Accept-Language"))
}

// unitExport: GET /units/{code}/export?format=xlsx|pdf|csv&at=dd/mm/yyyy
// [&view=current][&background=1] — a unit's report as a file. Small units
// stream at once; a province, a unit with many villages, or background=1
// becomes a job whose page follows it. Nothing is stored for a refused
// request; a unit outside the user's scope is a 404.
func (s *Server) unitExport(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "export.links_title")
	p.Lang = s.exportLang(r)
	p.AtError = "" // the date is checked here, naming its parameter
	q := r.URL.Query()
	view := q.Get("view")
	if view == "" {
		view = q.Get("attribution")
	}
	ctx := r.Context()
	req, err := report.ParseRequest(r.PathValue("code"), q.Get("format"), q.Get("at"), view, p.Today)
	var u domain.Unit
	if err == nil {
		u, err = report.Resolve(ctx, s.Store, req, p.Today)
	}
	if err == nil {
		err = s.inScope(r, actorOf(r).Scope(domain.PermReportView), u.ID)
	}
	var villages []domain.Unit
	if err == nil {
		villages, err = s.Store.VillagesUnder(ctx, u.ID, req.At, req.Current)
	}
	if err != nil {
		p.Title = p.T("ui.error_title")
		s.fail(w, p, err)
		return
	}
	limit := s.ExportSyncVillages
	if limit <= 0 {
		limit = DefaultExportSyncVillages
	}
	bg := q.Get("background")
	if bg == "1" || bg == "true" || u.Level == domain.LevelProvince || len(villages) > limit {
		job, err := s.Store.QueueExport(ctx, actorOf(r), store.ExportJob{UnitID: u.ID, UnitCode: u.Code, UnitName: u.Name,
			At: req.At, Current: req.Current, Format: req.Format, Lang: p.Lang})
		if err != nil {
			s.fail(w, p, err)
			return
		}
		s.wakeExports()
		http.Redirect(w, r, "/exports/"+strconv.FormatInt(job.ID, 10), http.StatusSeeOther)
		return
	}
	b, err := s.makeExport(ctx, u, req, p.Lang, nil)
	if err != nil {
		s.fail(w, p, err)
		return
	}
	sendExport(w, report.FileName(u.Code, req.At, req.Current, req.Format), b)
}

// makeExport gathers a unit's report and writes it in a format.
func (s *Server) makeExport(ctx context.Context, u domain.Unit, req report.Request, lang string, progress report.Progress) ([]byte, error) {
	d, err := report.Gather(ctx, s.Store, u, req.At, req.Current, progress)
	if err != nil {
		return nil, err
	}
	d.Made, d.Demo = s.Now(), s.Demo
	return report.Write(d, req.Format, report.Text{Cat: s.Cat, Lang: lang})
}

// sendExport sends a file as a download.
func sendExport(w http.ResponseWriter, name string, b []byte) {
	format := "csv"
	for _, f := range report.Formats {
		if len(name) > len(f) && name[len(name)-len(f):] == f {
			format = f
		}
	}
	w.Header().Set("Content-Type", report.ContentType(format))
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.Write(b)
}
