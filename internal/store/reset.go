package store

import (
	"context"
	"database/sql"

	"thonso/internal/domain"
)

// resetOrder deletes children before parents.
// The audit trail is append-only and survives a reset. village_revs
// comes last, so a restore loads it first and the triggers that fire on
// the rows loaded after it give every unit a new revision.
var resetOrder = []string{"subject_requests", "consents", "export_jobs", "sync_changes", "devices", "lookup_failures", "zalo_groups", "village_equipment", "wifi_points", "village_profiles", "evidence", "assessment_rounds", "assessment_rows", "assessment_values", "assessments", "indicators", "criteria_groups", "criteria_sets", "step_labels", "dossier_helpers", "dossier_links", "dossier_steps", "dossiers", "featured_procedures", "announcement_villages", "announcement_uses", "announcements", "training_attendees", "trainings", "session_attendance", "session_logs", "calendar_feeds", "duty_roster", "duty_exceptions", "duty_slots", "team_members", "team_units", "teams", "positions", "uploads", "sessions", "api_tokens", "login_failures", "grants", "users", "residents", "households", "enrolments", "unit_events", "unit_links", "unit_slugs", "unit_parents", "unit_names", "units", "counters", "meta", "village_revs"}

// Reset deletes every row of every table (thonso demo --reset), in one
// transaction; the schema stays.
func (s *Store) Reset(ctx context.Context, a *domain.Actor) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		for _, t := range resetOrder {
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+t); err != nil {
				return internal("reset "+t, err)
			}
		}
		return s.audit(ctx, tx, a, AuditEntry{Action: "reset", Entity: "database"})
	})
}
