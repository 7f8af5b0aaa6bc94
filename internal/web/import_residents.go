package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"thonso/internal/domain"
	"thonso/internal/importer"
	"thonso/internal/store"
)

// maxUpload is the largest spreadsheet accepted (a province's list fits).
const maxUpload = 20 << 20

type importPage struct {
	*Page
	Village  string
	Error    string
	Upload   store.Upload
	Report   importer.PeopleReport
	Messages []string // the problems, translated: "dòng 5, cột “Ngày sinh”: …"
	Outcome  *importOutcome
	Running  bool
	// PurposeError is beside the purpose asked before the rejected rows
	// (names, phones, CCCD) are downloaded.
	PurposeError string
	Purposes     []string
}

type importOutcome struct {
	Created, Updated, Unchanged, Rejected, Households int
	Error                                             string
}

func (s *Server) importForm(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.import_residents")
	s.render(w, http.StatusOK, "import", importPage{Page: p, Village: r.URL.Query().Get("village")})
}

// importTemplate sends the spreadsheet template with every column.
func (s *Server) importTemplate(w http.ResponseWriter, r *http.Request) {
	b, err := importer.ResidentTemplate()
	if err != nil {
		s.fail(w, s.newPage(w, r, ""), err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="mau-nhan-khau.xlsx"`)
	w.Write(b)
}

// importUpload keeps the file and shows its preview: what would be
// created, updated or left alone, and every problem row.
func (s *Server) importUpload(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.import_residents")
	a := actorOf(r)
	ip := importPage{Page: p, Village: strings.TrimSpace(r.FormValue("village"))}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			ip.Error = p.T("import.too_large", "max", maxUpload>>20)
		} else {
			ip.Error = p.T("import.no_file")
		}
		s.render(w, http.StatusUnprocessableEntity, "import", ip)
		return
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, maxUpload+1))
	if err != nil || len(data) > maxUpload {
		ip.Error = p.T("import.too_large", "max", maxUpload>>20)
		s.render(w, http.StatusUnprocessableEntity, "import", ip)
		return
	}
	var villageID int64
	if ip.Village != "" {
		v, err := s.villageByRef(r, ip.Village, p.Today)
		if err != nil {
			ip.Error = s.Cat.Err(p.Lang, err)
			s.render(w, http.StatusUnprocessableEntity, "import", ip)
			return
		}
		villageID = v.ID
	}
	up := store.Upload{Kind: "residents", Name: filepath.Base(hdr.Filename), VillageID: villageID, Data: data}
	rep, perr := s.dryRun(r, p, up)
	// A file refused as a whole (not a spreadsheet, no header, legacy
	// font…) is not kept: there is nothing in it to import later.
	var fe *domain.FileErrors
	if errors.As(perr, &fe) && len(rep.Problems) == 0 {
		var msgs []string
		for _, re := range fe.Rows {
			msgs = append(msgs, s.Cat.T(p.Lang, re.Err.Key, re.Err.Args))
		}
		ip.Error = strings.Join(msgs, " ")
		s.render(w, http.StatusUnprocessableEntity, "import", ip)
		return
	}
	if up.ID, err = s.Store.SaveUpload(r.Context(), a, up); err != nil {
		s.fail(w, p, err)
		return
	}
	s.showPreview(w, r, p, up, ip, rep, perr)
}

func (s *Server) dryRun(r *http.Request, p *Page, up store.Upload) (importer.PeopleReport, error) {
	return importer.ImportPeople(r.Context(), s.Store, actorOf(r), bytes.NewReader(up.Data), up.Name, p.Today,
		importer.PeopleOptions{VillageID: up.VillageID, DryRun: true})
}

func (s *Server) preview(w http.ResponseWriter, r *http.Request, p *Page, up store.Upload, ip importPage) {
	rep, err := s.dryRun(r, p, up)
	s.showPreview(w, r, p, up, ip, rep, err)
}

func (s *Server) showPreview(w http.ResponseWriter, r *http.Request, p *Page, up store.Upload, ip importPage, rep importer.PeopleReport, err error) {
	ip.Upload, ip.Report, ip.Purposes = up, rep, domain.Purposes
	status := http.StatusOK
	if ip.PurposeError != "" {
		status = http.StatusUnprocessableEntity
	}
	if err != nil {
		var fe *domain.FileErrors
		if !errors.As(err, &fe) {
			s.fail(w, p, err)
			return
		}
		status = http.StatusUnprocessableEntity
		if len(rep.Problems) == 0 { // a problem of the file as a whole
			for _, re := range fe.Rows {
				ip.Messages = append(ip.Messages, s.Cat.T(p.Lang, re.Err.Key, re.Err.Args))
			}
		}
	}
	for _, pr := range rep.Problems {
		ip.Messages = append(ip.Messages, p.T("import.row_problem", "row", pr.Row, "column", pr.Column, "message", s.Cat.T(p.Lang, pr.Err.Key, pr.Err.Args)))
	}
	s.render(w, status, "import_preview", ip)
}

func (s *Server) villageByRef(r *http.Request, ref string, at domain.Date) (domain.Unit, error) {
	if u, err := s.Store.UnitAt(r.Context(), ref, at); err == nil && u.Level == domain.LevelVillage {
		return u, nil
	}
	u, _, err := s.Store.VillageBySlug(r.Context(), ref, at)
	return u, err
}

func (s *Server) loadUpload(w http.ResponseWriter, r *http.Request, p *Page) (store.Upload, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.fail(w, p, domain.Errorf(domain.ENOTFOUND, "import.upload_not_found"))
		return store.Upload{}, false
	}
	up, err := s.Store.LoadUpload(r.Context(), actorOf(r), id)
	if err != nil {
		s.fail(w, p, err)
		return up, false
	}
	return up, true
}

// importApply runs the confirmed import in the background (a big file
// takes a while on a small server); the status page follows its progress.
// mode=valid imports only the valid rows.
func (s *Server) importApply(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.import_residents")
	up, ok := s.loadUpload(w, r, p)
	if !ok {
		return
	}
	started, err := s.Store.StartUpload(r.Context(), up.ID)
	if err != nil {
		s.fail(w, p, err)
		return
	}
	if started {
		a := actorOf(r)
		validOnly := r.PostFormValue("mode") == "valid"
		today := p.Today
		go s.runImport(a, up, validOnly, today)
	}
	http.Redirect(w, r, "/import/residents/"+strconv.FormatInt(up.ID, 10), http.StatusSeeOther)
}

func (s *Server) runImport(a *domain.Actor, up store.Upload, validOnly bool, today domain.Date) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	out := importOutcome{}
	status := "failed"
	defer func() {
		if v := recover(); v != nil {
			s.Log.Error("import panic", "upload", up.ID, "value", v)
			out.Error = "error.internal"
		}
		s.progress.Delete(up.ID)
		// A fresh context: the import's own may have timed out.
		fin, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		b, _ := json.Marshal(out)
		if err := s.Store.FinishUpload(fin, up.ID, status, string(b)); err != nil {
			s.Log.Error("import finish", "upload", up.ID, "err", err)
		}
	}()
	progress := func(done, total int) { s.progress.Store(up.ID, done) }
	rep, err := importer.ImportPeople(ctx, s.Store, a, bytes.NewReader(up.Data), up.Name, today,
		importer.PeopleOptions{VillageID: up.VillageID, ValidOnly: validOnly, Progress: progress})
	out = importOutcome{Created: rep.Result.Created, Updated: rep.Result.Updated, Unchanged: rep.Result.Unchanged, Rejected: len(rep.Rejected), Households: rep.Result.HouseholdsCreated}
	if err == nil {
		status = "done"
		return
	}
	if e, ok := domain.AsError(err); ok {
		out.Error = e.Key
	} else if _, ok := err.(*domain.FileErrors); ok {
		out.Error = "import.refused_rows"
	} else {
		out.Error = "error.internal"
		s.Log.Error("import", "upload", up.ID, "err", err)
	}
}

// importStatus follows a running import (the page refreshes itself, no
// JavaScript) and shows its outcome.
func (s *Server) importStatus(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.import_residents")
	up, ok := s.loadUpload(w, r, p)
	if !ok {
		return
	}
	ip := importPage{Page: p, Upload: up}
	switch up.Status {
	case "uploaded":
		s.preview(w, r, p, up, ip)
		return
	case "running":
		ip.Running = true
		if n, ok := s.progress.Load(up.ID); ok {
			ip.Upload.Done = n.(int)
		}
	default:
		var out importOutcome
		json.Unmarshal([]byte(up.Result), &out)
		if out.Error != "" {
			out.Error = p.T(out.Error)
		}
		ip.Outcome = &out
	}
	s.render(w, http.StatusOK, "import_status", ip)
}

// importRejected sends the rows the preview rejected, with an error
// column, as a spreadsheet to fix and upload again. The rows hold names,
// phones and CCCDs: the download asks a purpose (?purpose=…) and is
// audited with it; without one the preview comes back with the message
// beside the purpose.
func (s *Server) importRejected(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.import_residents")
	up, ok := s.loadUpload(w, r, p)
	if !ok {
		return
	}
	purpose := r.URL.Query().Get("purpose")
	if !domain.ValidPurpose(purpose) {
		s.preview(w, r, p, up, importPage{Page: p, Upload: up, PurposeError: p.T("purpose.missing")})
		return
	}
	if err := s.Store.Audit(r.Context(), actorOf(r), store.AuditEntry{Action: "export", Entity: "upload", EntityID: strconv.FormatInt(up.ID, 10),
		UnitID: up.VillageID, Purpose: purpose, Changes: []store.Change{store.Plain("file", "", "rejected.xlsx")}}); err != nil {
		s.fail(w, p, err)
		return
	}
	rep, err := importer.ImportPeople(r.Context(), s.Store, actorOf(r), bytes.NewReader(up.Data), up.Name, p.Today,
		importer.PeopleOptions{VillageID: up.VillageID, DryRun: true, ValidOnly: true})
	if err != nil && len(rep.Rejected) == 0 {
		s.fail(w, p, err)
		return
	}
	b, err := importer.RejectedFile(rep.Info, rep.Rejected, func(e *domain.Error) string { return s.Cat.T(p.Lang, e.Key, e.Args) })
	if err != nil {
		s.fail(w, p, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="dong-loi.xlsx"`)
	w.Write(b)
}
