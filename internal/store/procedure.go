package store

import (
	"context"
	"database/sql"

	"thonso/internal/domain"
)

const procedureCols = "p.id, p.code, p.name, p.sector, p.field, p.agency, p.portal, p.service_level, p.documents, p.fee, p.processing_days, p.retired_on, p.version"

func scanProcedure(sc interface{ Scan(...any) error }) (domain.Procedure, error) {
	var p domain.Procedure
	var level, docs string
	err := sc.Scan(&p.ID, &p.Code, &p.Name, &p.Sector, &p.Field, &p.Agency, &p.Portal, &level, &docs, &p.Fee, &p.ProcessingDays, &p.RetiredOn, &p.Version)
	p.FullyOnline = level == "full"
	p.Documents = domain.SplitDocuments(docs)
	return p, err
}

// Procedures lists the catalogue by sector, field and code.
func (s *Store) Procedures(ctx context.Context) ([]domain.Procedure, error) {
	rs, err := s.r.QueryContext(ctx, "SELECT "+procedureCols+" FROM procedures p ORDER BY p.sector, p.field, p.code")
	if err != nil {
		return nil, internal("procedures", err)
	}
	defer rs.Close()
	var out []domain.Procedure
	for rs.Next() {
		p, err := scanProcedure(rs)
		if err != nil {
			return nil, internal("procedures", err)
		}
		out = append(out, p)
	}
	return out, rs.Err()
}

// Procedure reads one procedure by national code.
func (s *Store) Procedure(ctx context.Context, code string) (domain.Procedure, error) {
	p, err := scanProcedure(s.r.QueryRowContext(ctx, "SELECT "+procedureCols+" FROM procedures p WHERE p.code = $1", code))
	if err == sql.ErrNoRows {
		return p, domain.Errorf(domain.ENOTFOUND, "procedure.not_found", "code", code)
	}
	return p, internal("procedure", err)
}
