package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

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

// Featured lists the procedures a village features on a date.
func (s *Store) Featured(ctx context.Context, villageID int64) ([]domain.Procedure, error) {
	rs, err := s.r.QueryContext(ctx, "SELECT "+procedureCols+" FROM featured_procedures f JOIN procedures p ON p.id = f.procedure_id WHERE f.village_id = $1 ORDER BY p.code", villageID)
	if err != nil {
		return nil, internal("featured", err)
	}
	defer rs.Close()
	var out []domain.Procedure
	for rs.Next() {
		p, err := scanProcedure(rs)
		if err != nil {
			return nil, internal("featured", err)
		}
		out = append(out, p)
	}
	return out, rs.Err()
}

// SetFeatured sets the 1–2 fully online procedures a village features
// (team:manage on the village).
func (s *Store) SetFeatured(ctx context.Context, a *domain.Actor, villageID int64, codes []string, since domain.Date) error {
	if err := s.inScope(ctx, a.Scope(domain.PermTeamManage), villageID, "unit.not_found"); err != nil {
		return err
	}
	if len(codes) < 1 || len(codes) > 2 {
		return domain.Errorf(domain.EINVALID, "featured.count").WithField("procedures")
	}
	var ids []int64
	for _, c := range codes {
		p, err := s.Procedure(ctx, c)
		if err != nil {
			return domain.Errorf(domain.EINVALID, "procedure.not_found", "code", c).WithField("procedures")
		}
		if !p.FullyOnline {
			return domain.Errorf(domain.EINVALID, "featured.not_online", "code", c).WithField("procedures")
		}
		ids = append(ids, p.ID)
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM featured_procedures WHERE village_id = $1", villageID); err != nil {
			return internal("featured", err)
		}
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, "INSERT INTO featured_procedures (village_id, procedure_id, since) VALUES ($1, $2, $3)", villageID, id, since); err != nil {
				return internal("featured", err)
			}
		}
		return s.audit(ctx, tx, a, AuditEntry{Action: "update", Entity: "featured_procedures", UnitID: villageID, Changes: []Change{Plain("procedures", "", strings.Join(codes, ","))}})
	})
}

// UpdateProcedure changes a catalogue entry read at p.Version (officers).
func (s *Store) UpdateProcedure(ctx context.Context, a *domain.Actor, p domain.Procedure) error {
	if !a.Can(domain.PermUnitManage) {
		return domain.Errorf(domain.EFORBIDDEN, "auth.forbidden", "permission", string(domain.PermUnitManage))
	}
	p.Name = strings.TrimSpace(p.Name)
	if p.Name == "" {
		return domain.Errorf(domain.EINVALID, "procedure.name_missing").WithField("name")
	}
	if p.ProcessingDays < 1 || p.ProcessingDays > 365 {
		return domain.Errorf(domain.EINVALID, "procedure.days_invalid").WithField("processing_days")
	}
	if p.Portal != "national" && p.Portal != "provincial" {
		return domain.Errorf(domain.EINVALID, "procedure.portal_invalid").WithField("portal")
	}
	level := "partial"
	if p.FullyOnline {
		level = "full"
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE procedures SET name = $1, agency = $2, portal = $3, service_level = $4, documents = $5, fee = $6,
			processing_days = $7, retired_on = $8, version = version + 1 WHERE code = $9 AND version = $10`,
			p.Name, p.Agency, p.Portal, level, strings.Join(p.Documents, "|"), p.Fee, p.ProcessingDays, p.RetiredOn, p.Code, p.Version)
		if err != nil {
			return internal("update procedure", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return domain.Errorf(domain.ECONFLICT, "record.stale")
		}
		return s.audit(ctx, tx, a, AuditEntry{Action: "update", Entity: "procedure", EntityID: p.Code,
			Changes: []Change{Plain("name", "", p.Name), Plain("service_level", "", level), Plain("processing_days", "", strconv.Itoa(p.ProcessingDays))}})
	})
}
