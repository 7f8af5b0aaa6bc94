package web

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"thonso/internal/report"
	"thonso/internal/store"
)

// wakeExports tells an idle worker a job is waiting (never blocks: a busy
// pool finds the job when it next looks).
func (s *Server) wakeExports() {
	select {
	case s.exportWake <- struct{}{}:
	default:
	}
}

// RunExports runs the background exports with a pool of workers until ctx
// ends. Jobs live in the database, so whichever server runs picks them up;
// a job left running by a server that stopped (crash, restart) is marked
// failed once its heartbeat is older than store.ExportStale, checked at
// start and whenever a worker waits.
func (s *Server) RunExports(ctx context.Context, workers int) {
	if workers < 1 {
		workers = 1
	}
	if _, err := s.Store.FailLostExports(ctx); err != nil {
		s.Log.Error("exports", "err", err)
	}
	done := make(chan struct{})
	for i := 0; i < workers; i++ {
		go func() {
			defer func() { done <- struct{}{} }()
			s.exportWorker(ctx)
		}()
	}
	for i := 0; i < workers; i++ {
		<-done
	}
}

func (s *Server) exportWorker(ctx context.Context) {
	tick := time.NewTicker(5 * time.Second)
	defer tick.Stop()
	for ctx.Err() == nil {
		job, ok, err := s.Store.ClaimExport(ctx)
		if err != nil && ctx.Err() == nil {
			s.Log.Error("exports claim", "err", err)
		}
		if ok {
			s.runExport(ctx, job)
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-s.exportWake:
		case <-tick.C:
			if _, err := s.Store.FailLostExports(ctx); err != nil && ctx.Err() == nil {
				s.Log.Error("exports", "err", err)
			}
		}
	}
}

// runExport makes one job's file; progress is written at most once a
// second and a heartbeat every 30 s, so the row shows the job alive.
func (s *Server) runExport(parent context.Context, job store.ExportJob) {
	// A background export only reads: a read replica may serve it.
	ctx, cancel := context.WithTimeout(store.ReadOnly(parent), 30*time.Minute)
	defer cancel()
	var last time.Time
	var done, total int
	progress := func(d, t int) {
		done, total = d, t
		if time.Since(last) >= time.Second {
			last = time.Now()
			s.Store.ExportProgress(ctx, job.ID, d, t)
		}
	}
	beat := time.NewTicker(30 * time.Second)
	defer beat.Stop()
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-beat.C:
				s.Store.ExportProgress(ctx, job.ID, done, total)
			}
		}
	}()
	failure, name := "", report.FileName(job.UnitCode, job.At, job.Current, job.Format)
	var b []byte
	func() {
		defer func() {
			if v := recover(); v != nil {
				s.Log.Error("export panic", "job", job.ID, "value", v)
				failure = "export.failed"
			}
		}()
		on := job.At
		if job.Current {
			on = s.today()
		}
		u, err := s.Store.UnitByID(ctx, job.UnitID, on)
		if err == nil {
			b, err = s.makeExport(ctx, u, report.Request{Code: job.UnitCode, At: job.At, Current: job.Current, Format: job.Format}, job.Lang, progress)
		}
		switch {
		case err != nil && parent.Err() != nil:
			failure = "export.lost" // the server is stopping
		case err != nil:
			s.Log.Error("export", "job", job.ID, "err", err)
			failure = "export.failed"
		}
	}()
	fin, cancelFin := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancelFin()
	if err := s.Store.FinishExport(fin, job.ID, name, b, failure); err != nil {
		s.Log.Error("export finish", "job", job.ID, "err", err)
	}
}

type exportJobPage struct {
	*Page
	Job     store.ExportJob
	Waiting bool
	Size    string
	Again   string // the export's link, to make it again
}

// exportJob: GET /exports/{id} — a background export's progress (the page
// refreshes itself, no script) and its download link; only its user sees it.
func (s *Server) exportJob(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "export.links_title")
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	job, err := s.Store.ExportJobOf(r.Context(), actorOf(r), id)
	if err != nil {
		s.fail(w, p, err)
		return
	}
	jp := exportJobPage{Page: p, Job: job, Waiting: job.Status == "queued" || job.Status == "running"}
	jp.Again = "/units/" + job.UnitCode + "/export?format=" + job.Format + "&at=" + job.At.String() + "&background=1"
	if job.Current {
		jp.Again += "&view=current"
	}
	p.Title = p.T("export.job_title", "unit", job.UnitName)
	p.Breadcrumb = []Crumb{{Name: job.UnitName, URL: unitURL(job.UnitCode, job.At)}, {Name: p.T("export.links_title")}}
	s.render(w, http.StatusOK, "export_job", jp)
}

// exportFile: GET /exports/{id}/file — a finished export, for its user.
func (s *Server) exportFile(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "export.links_title")
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	name, b, err := s.Store.ExportFile(r.Context(), actorOf(r), id)
	if err != nil {
		s.fail(w, p, err)
		return
	}
	sendExport(w, name, b)
}
