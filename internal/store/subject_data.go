package store

import (
	"context"
	"strconv"

	"thonso/internal/domain"
)

// SubjectData is everything held about one resident, for a "see" request
// (Law 91/2025/QH15: the subject may obtain their data).
type SubjectData struct {
	Resident    domain.Resident
	Village     domain.Unit
	Household   domain.Household
	Dossiers    []SubjectDossier
	Trainings   []SubjectTraining
	Memberships []domain.Member
	Consents    []domain.Consent
	Requests    []domain.SubjectRequest
	Audit       []AuditEntry
}

// SubjectDossier is a dossier the resident applied for.
type SubjectDossier struct {
	ID            int64
	Procedure     string
	ApplicantName string
	Phone         string
	SubjectName   string
	Portal        string
	PortalCode    string
	State         string
	ReceivedOn    domain.Date
	ReturnedOn    domain.Date
	Practice      bool
}

// SubjectTraining is a training the resident attended.
type SubjectTraining struct {
	On    domain.Date
	Topic string
	Place string
}

// SubjectDataOf gathers a resident's data within scope (resident:view_pii,
// as for a subject request).
func (s *Store) SubjectDataOf(ctx context.Context, a *domain.Actor, id int64) (SubjectData, error) {
	var d SubjectData
	var err error
	if d.Resident, err = s.Resident(ctx, a.Scope(requestPerm), id); err != nil {
		return d, err
	}
	if d.Household, err = s.Household(ctx, domain.Scope{All: true}, d.Resident.HouseholdID); err != nil {
		return d, err
	}
	if d.Village, err = s.UnitByID(ctx, d.Resident.VillageID, domain.DateOf(s.now())); err != nil {
		return d, err
	}
	rs, err := s.r.QueryContext(ctx, `SELECT d.id, p.name, d.applicant_name, COALESCE(d.applicant_phone, ''), d.subject_name, d.portal, COALESCE(d.portal_code, ''),
		d.state, d.received_on, d.returned_on, d.practice
		FROM dossiers d JOIN procedures p ON p.id = d.procedure_id WHERE d.applicant_id = $1 ORDER BY d.received_on, d.id`, id)
	if err != nil {
		return d, internal("subject dossiers", err)
	}
	for rs.Next() {
		var x SubjectDossier
		if err := rs.Scan(&x.ID, &x.Procedure, &x.ApplicantName, &x.Phone, &x.SubjectName, &x.Portal, &x.PortalCode, &x.State, &x.ReceivedOn, &x.ReturnedOn, &x.Practice); err != nil {
			rs.Close()
			return d, internal("subject dossiers", err)
		}
		d.Dossiers = append(d.Dossiers, x)
	}
	rs.Close()
	rs, err = s.r.QueryContext(ctx, `SELECT t.on_date, t.topic, t.place FROM training_attendees a JOIN trainings t ON t.id = a.training_id
		WHERE a.resident_id = $1 ORDER BY t.on_date, t.id`, id)
	if err != nil {
		return d, internal("subject trainings", err)
	}
	for rs.Next() {
		var x SubjectTraining
		if err := rs.Scan(&x.On, &x.Topic, &x.Place); err != nil {
			rs.Close()
			return d, internal("subject trainings", err)
		}
		d.Trainings = append(d.Trainings, x)
	}
	rs.Close()
	rs, err = s.r.QueryContext(ctx, "SELECT "+memberCols+" FROM team_members m WHERE m.resident_id = $1 ORDER BY m.joined_on, m.id", id)
	if err != nil {
		return d, internal("subject memberships", err)
	}
	for rs.Next() {
		m, err := scanMember(rs)
		if err != nil {
			rs.Close()
			return d, internal("subject memberships", err)
		}
		d.Memberships = append(d.Memberships, m)
	}
	rs.Close()
	if d.Consents, err = s.Consents(ctx, "resident", id); err != nil {
		return d, err
	}
	for _, m := range d.Memberships {
		cs, err := s.Consents(ctx, "member", m.ID)
		if err != nil {
			return d, err
		}
		d.Consents = append(d.Consents, cs...)
	}
	if d.Requests, err = s.SubjectRequests(ctx, domain.Scope{All: true}, RequestQuery{ResidentID: id}); err != nil {
		return d, err
	}
	d.Audit, _, err = s.AuditEntries(ctx, domain.Scope{All: true}, AuditFilter{Entity: "resident", EntityID: strconv.FormatInt(id, 10), Limit: 5000})
	return d, err
}
