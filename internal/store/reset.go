package store

import (
	"context"
	"database/sql"
)

// resetOrder deletes children before parents.
var resetOrder = []string{"enrolments", "unit_events", "unit_links", "unit_slugs", "unit_parents", "unit_names", "units", "counters", "meta"}

// Reset deletes every row of every table (thonso demo --reset), in one
// transaction; the schema stays.
func (s *Store) Reset(ctx context.Context) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		for _, t := range resetOrder {
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+t); err != nil {
				return internal("reset "+t, err)
			}
		}
		return nil
	})
}
