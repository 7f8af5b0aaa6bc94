package store

import (
	"context"
	"database/sql"
	"time"

	"thonso/internal/domain"
)

// Upload is a spreadsheet kept between its preview and its import.
type Upload struct {
	ID        int64
	UserID    int64
	Kind      string
	Name      string
	VillageID int64
	Data      []byte
	Status    string // uploaded, running, done, failed
	Done      int
	Total     int
	Result    string // JSON of the outcome
}

// SaveUpload keeps an uploaded file for its user.
func (s *Store) SaveUpload(ctx context.Context, a *domain.Actor, u Upload) (int64, error) {
	var village any
	if u.VillageID != 0 {
		village = u.VillageID
	}
	var id int64
	now := s.now()
	err := s.w.QueryRowContext(ctx, `INSERT INTO uploads (user_id, kind, name, village_id, data, status, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, 'uploaded', $6, $6) RETURNING id`, a.User.ID, u.Kind, u.Name, village, u.Data, now).Scan(&id)
	return id, internal("save upload", err)
}

// LoadUpload reads an upload of this user (anyone else's is ENOTFOUND).
func (s *Store) LoadUpload(ctx context.Context, a *domain.Actor, id int64) (Upload, error) {
	var u Upload
	var village sql.NullInt64
	err := s.r.QueryRowContext(ctx, `SELECT id, user_id, kind, name, village_id, data, status, done, total, result FROM uploads WHERE id = $1 AND user_id = $2`,
		id, a.User.ID).Scan(&u.ID, &u.UserID, &u.Kind, &u.Name, &village, &u.Data, &u.Status, &u.Done, &u.Total, &u.Result)
	if err == sql.ErrNoRows {
		return u, domain.Errorf(domain.ENOTFOUND, "import.upload_not_found")
	}
	u.VillageID = village.Int64
	return u, internal("load upload", err)
}

// FinishUpload records an import's outcome and drops the file: a
// spreadsheet of personal data is not kept once it has been imported.
func (s *Store) FinishUpload(ctx context.Context, id int64, status, result string) error {
	_, err := s.w.ExecContext(ctx, "UPDATE uploads SET status = $1, result = $2, data = $3, updated_at = $4 WHERE id = $5",
		status, result, []byte{}, s.now(), id)
	return internal("finish upload", err)
}

// StartUpload moves an upload from uploaded to running; false when it was
// already started (a double click runs the import once). One left running
// for over an hour (a server restarted mid-import, whose transaction was
// rolled back) may start again.
func (s *Store) StartUpload(ctx context.Context, id int64) (bool, error) {
	now := s.now()
	res, err := s.w.ExecContext(ctx, `UPDATE uploads SET status = 'running', updated_at = $1 WHERE id = $2
		AND (status = 'uploaded' OR (status = 'running' AND updated_at < $3))`, now, id, now.Add(-time.Hour))
	if err != nil {
		return false, internal("start upload", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}
