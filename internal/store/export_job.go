package store

import (
	"context"
	"database/sql"
	"time"

	"thonso/internal/domain"
)

// ExportJob is a report export that runs in the background: the row holds
// its whole state, so any app server shows its progress and serves the file.
type ExportJob struct {
	ID       int64
	UserID   int64
	UnitID   int64
	UnitCode string
	UnitName string
	At       domain.Date
	Current  bool
	Format   string // xlsx, pdf, csv
	Lang     string
	Status   string // queued, running, done, failed
	Done     int
	Total    int
	FileName string
	File     []byte // only read by ExportFile
	Error    string // a translation key when failed
	Created  time.Time
	Updated  time.Time
}

// ExportStale is how long a running job may go without a heartbeat before
// it is taken for lost (its server stopped) and marked failed.
const ExportStale = 2 * time.Minute

const exportCols = "id, user_id, unit_id, unit_code, unit_name, at, current, format, lang, status, done, total, file_name, error, created_at, updated_at"

func scanExportJob(sc interface{ Scan(...any) error }) (ExportJob, error) {
	var j ExportJob
	err := sc.Scan(&j.ID, &j.UserID, &j.UnitID, &j.UnitCode, &j.UnitName, &j.At, &j.Current, &j.Format, &j.Lang, &j.Status,
		&j.Done, &j.Total, &j.FileName, &j.Error, &j.Created, &j.Updated)
	return j, err
}

// QueueExport records an export to run in the background for its user.
func (s *Store) QueueExport(ctx context.Context, a *domain.Actor, j ExportJob) (ExportJob, error) {
	now := s.now()
	err := s.w.QueryRowContext(ctx, `INSERT INTO export_jobs (user_id, unit_id, unit_code, unit_name, at, current, format, lang, status, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'queued', $9, $9) RETURNING id`,
		a.User.ID, j.UnitID, j.UnitCode, j.UnitName, j.At, j.Current, j.Format, j.Lang, now).Scan(&j.ID)
	if err != nil {
		return j, internal("queue export", err)
	}
	j.UserID, j.Status, j.Created, j.Updated = a.User.ID, "queued", now, now
	return j, nil
}

// ExportJobOf reads a job of this user; anyone else's is ENOTFOUND, so
// its existence is not revealed.
func (s *Store) ExportJobOf(ctx context.Context, a *domain.Actor, id int64) (ExportJob, error) {
	j, err := scanExportJob(s.r.QueryRowContext(ctx, "SELECT "+exportCols+" FROM export_jobs WHERE id = $1 AND user_id = $2", id, a.User.ID))
	if err == sql.ErrNoRows {
		return j, domain.Errorf(domain.ENOTFOUND, "export.job_not_found")
	}
	return j, internal("export job", err)
}

// ExportFile reads a finished job's file, for its user only.
func (s *Store) ExportFile(ctx context.Context, a *domain.Actor, id int64) (name string, file []byte, err error) {
	err = s.r.QueryRowContext(ctx, "SELECT file_name, file FROM export_jobs WHERE id = $1 AND user_id = $2 AND status = 'done'", id, a.User.ID).Scan(&name, &file)
	if err == sql.ErrNoRows {
		return "", nil, domain.Errorf(domain.ENOTFOUND, "export.job_not_found")
	}
	return name, file, internal("export file", err)
}

// ClaimExport takes the oldest queued job for this server (running, with a
// fresh heartbeat); ok is false when none waits. Two servers never take the
// same job: the update only succeeds on a row still queued.
func (s *Store) ClaimExport(ctx context.Context) (ExportJob, bool, error) {
	for {
		var id int64
		err := s.r.QueryRowContext(ctx, "SELECT id FROM export_jobs WHERE status = 'queued' ORDER BY id LIMIT 1").Scan(&id)
		if err == sql.ErrNoRows {
			return ExportJob{}, false, nil
		}
		if err != nil {
			return ExportJob{}, false, internal("claim export", err)
		}
		res, err := s.w.ExecContext(ctx, "UPDATE export_jobs SET status = 'running', updated_at = $1 WHERE id = $2 AND status = 'queued'", s.now(), id)
		if err != nil {
			return ExportJob{}, false, internal("claim export", err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			j, err := scanExportJob(s.r.QueryRowContext(ctx, "SELECT "+exportCols+" FROM export_jobs WHERE id = $1", id))
			return j, err == nil, internal("claim export", err)
		}
	}
}

// ExportProgress records how far a job is; it is also the job's heartbeat.
func (s *Store) ExportProgress(ctx context.Context, id int64, done, total int) error {
	_, err := s.w.ExecContext(ctx, "UPDATE export_jobs SET done = $1, total = $2, updated_at = $3 WHERE id = $4 AND status = 'running'", done, total, s.now(), id)
	return internal("export progress", err)
}

// FinishExport stores a job's file, or its failure (a translation key).
func (s *Store) FinishExport(ctx context.Context, id int64, name string, file []byte, failure string) error {
	status := "done"
	if failure != "" {
		status, file = "failed", nil
	}
	_, err := s.w.ExecContext(ctx, "UPDATE export_jobs SET status = $1, file_name = $2, file = $3, error = $4, updated_at = $5 WHERE id = $6",
		status, name, file, failure, s.now(), id)
	return internal("finish export", err)
}

// FailLostExports marks failed the running jobs whose heartbeat is older
// than ExportStale: their server stopped (a crash, a restart) mid-export.
// Each server calls it when it starts and while it waits for work.
func (s *Store) FailLostExports(ctx context.Context) (int, error) {
	now := s.now()
	res, err := s.w.ExecContext(ctx, "UPDATE export_jobs SET status = 'failed', error = 'export.lost', updated_at = $1 WHERE status = 'running' AND updated_at < $2",
		now, now.Add(-ExportStale))
	if err != nil {
		return 0, internal("fail lost exports", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}
