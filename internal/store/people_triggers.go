package store

import "strings"

// bulkInsertTriggers are SQLite's per-row triggers that give a village a
// new revision when a resident or household is inserted (migration 0019).
// Run once per row they were 40 % of a bulk load's SQLite time; the load
// drops them inside its transaction, gives each village it wrote to a new
// revision itself, and creates them again from their stored text before
// it commits. DDL is transactional in SQLite, so a load that rolls back
// restores them too, and readers (WAL) never see them missing. PostgreSQL's
// are statement triggers over the inserted rows: cheap, left alone.
var bulkInsertTriggers = []string{"village_revs_resident_ins", "village_revs_resident_hh_ins", "village_revs_household_ins"}

// suspendTriggers drops the bulk insert triggers, once, keeping their
// text, and defers the foreign key checks to the commit.
func (w *peopleWriter) suspendTriggers() error {
	if w.s.dialect.name != "sqlite" || w.triggers != nil {
		return nil
	}
	w.triggers = map[string]string{}
	// Foreign keys checked at commit (SQLite resets this at the end of the
	// transaction): with dialect.bulkInsert, no statement journal.
	if _, err := w.tx.ExecContext(w.ctx, "PRAGMA defer_foreign_keys = ON"); err != nil {
		return internal("defer foreign keys", err)
	}
	rs, err := w.tx.QueryContext(w.ctx, "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN ('"+strings.Join(bulkInsertTriggers, "', '")+"')")
	if err != nil {
		return internal("triggers", err)
	}
	for rs.Next() {
		var name, text string
		if err := rs.Scan(&name, &text); err != nil {
			rs.Close()
			return internal("triggers", err)
		}
		w.triggers[name] = text
	}
	if err := rs.Close(); err != nil {
		return internal("triggers", err)
	}
	for name := range w.triggers {
		if _, err := w.tx.ExecContext(w.ctx, "DROP TRIGGER "+name); err != nil {
			return internal("triggers", err)
		}
	}
	return nil
}

// restoreTriggers does what the dropped triggers would have done (a new
// revision for every village the load inserted into: a load's households
// and residents are always of the row's village) and creates them again.
func (w *peopleWriter) restoreTriggers() error {
	if len(w.triggers) == 0 {
		return nil
	}
	for v := range w.inserted {
		if _, err := w.tx.ExecContext(w.ctx, "INSERT INTO village_revs (village_id, rev) VALUES ($1, random()) ON CONFLICT (village_id) DO UPDATE SET rev = random()", v); err != nil {
			return internal("village revision", err)
		}
	}
	for _, name := range bulkInsertTriggers {
		if text, ok := w.triggers[name]; ok {
			if _, err := w.tx.ExecContext(w.ctx, text); err != nil {
				return internal("triggers", err)
			}
		}
	}
	w.triggers = nil
	return nil
}
