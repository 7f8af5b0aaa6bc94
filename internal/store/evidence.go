package store

import (
	"bytes"
	"context"
	"database/sql"
	"image"
	_ "image/gif" // evidence photos may come as GIF
	"image/jpeg"
	_ "image/png" // or PNG (screenshots)

	"thonso/internal/domain"
)

// Evidence limits: a phone photo or a scanned decision fits easily.
const (
	EvidenceMaxBytes  = 5 << 20
	EvidenceMaxPixels = 40_000_000
)

// Evidence is a minh chứng file: a photo (re-encoded as JPEG, which drops
// EXIF and GPS data) or a PDF.
type Evidence struct {
	ID          int64
	Name        string
	ContentType string
	Data        []byte
}

// clean checks the file and re-encodes photos.
func (e *Evidence) clean() error {
	if len(e.Data) == 0 {
		return domain.Errorf(domain.EINVALID, "evidence.empty").WithField("evidence")
	}
	if len(e.Data) > EvidenceMaxBytes {
		return domain.Errorf(domain.EINVALID, "evidence.too_big", "max", "5 MB").WithField("evidence")
	}
	if bytes.HasPrefix(e.Data, []byte("%PDF-")) {
		e.ContentType = "application/pdf"
		return nil
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(e.Data))
	if err != nil {
		return domain.Errorf(domain.EINVALID, "evidence.type_invalid").WithField("evidence")
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > EvidenceMaxPixels {
		return domain.Errorf(domain.EINVALID, "evidence.too_many_pixels", "width", cfg.Width, "height", cfg.Height).WithField("evidence")
	}
	img, _, err := image.Decode(bytes.NewReader(e.Data))
	if err != nil {
		return domain.Errorf(domain.EINVALID, "evidence.type_invalid").WithField("evidence")
	}
	var out bytes.Buffer
	if err := jpeg.Encode(&out, img, &jpeg.Options{Quality: 85}); err != nil {
		return internal("evidence", err)
	}
	e.Data, e.ContentType = out.Bytes(), "image/jpeg"
	return nil
}

// EvidenceFile reads an evidence file for someone who may see the
// village's assessments.
func (s *Store) EvidenceFile(ctx context.Context, scope domain.Scope, id int64) (Evidence, error) {
	var e Evidence
	var village int64
	err := s.r.QueryRowContext(ctx, `SELECT e.id, e.name, e.content_type, e.data, a.village_id FROM evidence e JOIN assessments a ON a.id = e.assessment_id WHERE e.id = $1`, id).
		Scan(&e.ID, &e.Name, &e.ContentType, &e.Data, &village)
	if err == sql.ErrNoRows {
		return e, domain.Errorf(domain.ENOTFOUND, "evidence.not_found")
	}
	if err != nil {
		return e, internal("evidence", err)
	}
	return e, s.inScope(ctx, scope, village, "evidence.not_found")
}
