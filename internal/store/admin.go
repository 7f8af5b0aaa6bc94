package store

import (
	"context"

	"thonso/internal/domain"
)

// tables lists every table a backup or a count may name.
var tables = map[string]bool{"units": true, "unit_names": true, "unit_parents": true, "unit_links": true,
	"unit_events": true, "unit_slugs": true, "counters": true, "enrolments": true, "meta": true,
	"users": true, "grants": true, "sessions": true, "api_tokens": true, "login_failures": true, "audit_log": true,
	"households": true, "residents": true, "uploads": true, "teams": true, "team_units": true, "team_members": true,
	"duty_slots": true, "duty_exceptions": true, "duty_roster": true, "calendar_feeds": true, "positions": true,
	"session_logs": true, "session_attendance": true, "trainings": true, "training_attendees": true, "announcements": true, "announcement_uses": true, "days_off": true, "announcement_villages": true, "procedures": true, "featured_procedures": true, "dossiers": true, "dossier_steps": true, "dossier_links": true, "dossier_helpers": true, "step_labels": true, "criteria_sets": true, "criteria_groups": true, "indicators": true, "assessments": true, "assessment_values": true, "assessment_rows": true, "assessment_rounds": true, "evidence": true,
	"village_profiles": true, "wifi_points": true, "village_equipment": true, "zalo_groups": true, "lookup_failures": true, "devices": true, "sync_changes": true, "export_jobs": true,
	"consents": true, "subject_requests": true, "village_revs": true}

// derived lists the tables computed from the others: village_revs (the
// revisions of the units' summaries, migration 0019) is neither backed up
// nor checksummed; a restore or a reset leaves it to the triggers, which
// give every unit a new revision as its rows are loaded.
var derived = map[string]bool{"village_revs": true}

// CountRows counts the rows of one of our tables.
func (s *Store) CountRows(ctx context.Context, table string) (int, error) {
	if !tables[table] {
		return 0, domain.Errorf(domain.EINVALID, "db.table_unknown", "table", table)
	}
	var n int
	err := s.r.QueryRowContext(ctx, "SELECT count(*) FROM "+table).Scan(&n)
	return n, internal("count", err)
}

// Exec runs one statement; for tests that must show what the database refuses.
func (s *Store) Exec(ctx context.Context, q string, args ...any) error {
	_, err := s.w.ExecContext(ctx, q, args...)
	s.pub.invalidate()
	return err
}

// CountWhere counts rows of table whose column equals value.
func (s *Store) CountWhere(ctx context.Context, table, column string, value any) (int, error) {
	if !tables[table] {
		return 0, domain.Errorf(domain.EINVALID, "db.table_unknown", "table", table)
	}
	for _, r := range column {
		if !(r >= 'a' && r <= 'z' || r == '_') {
			return 0, domain.Errorf(domain.EINVALID, "db.table_unknown", "table", column)
		}
	}
	var n int
	err := s.r.QueryRowContext(ctx, "SELECT count(*) FROM "+table+" WHERE "+column+" = $1", value).Scan(&n)
	return n, internal("count", err)
}
