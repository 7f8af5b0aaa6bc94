package store

import (
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"thonso/internal/domain"
	"thonso/internal/textvi"
)

// lookupRequest is what a chunk looks up: the households of the
// villages it names first, the owners of its CCCDs, the members of its
// households already known.
type lookupRequest struct {
	fresh      []int64
	cccds      []string
	households []int64
}

// lookupAnswers receive what was found, in this order: each household of
// the fresh villages, then householdsDone (only if there are fresh
// villages), the CCCD owners, the members (of the known households, then
// every resident of the fresh villages).
type lookupAnswers struct {
	household      func(domain.Household)
	householdsDone func()
	owner, member  func(domain.Resident)
}

// lookupPipelined reads a chunk's lookups on PostgreSQL in one round
// trip: the queries go out together (pgx's pipeline) with their lists as
// arrays. Each query, and each wait for an answer, was a turn of the
// connection idle while a busy client got back to it; a million-row load
// has five hundred chunks. A fresh village's members come as all its
// residents (stored before the load: it has not written there yet), as
// its households' ids are not known before the answer.
func (w *peopleWriter) lookupPipelined(req lookupRequest, ans lookupAnswers) error {
	return w.withPgx("lookup", func(c *pgx.Conn) error {
		batch := &pgx.Batch{}
		if len(req.fresh) > 0 {
			batch.Queue("SELECT "+householdCols+" FROM households h WHERE h.village_id = ANY($1)", req.fresh).Query(func(rows pgx.Rows) error {
				for rows.Next() {
					h, err := scanHousehold(rows)
					if err != nil {
						return err
					}
					ans.household(h)
				}
				if err := rows.Err(); err != nil {
					return err
				}
				ans.householdsDone()
				return nil
			})
		}
		residents := func(fn func(domain.Resident)) func(pgx.Rows) error {
			return func(rows pgx.Rows) error {
				for rows.Next() {
					r, err := scanResident(rows)
					if err != nil {
						return err
					}
					fn(r)
				}
				return rows.Err()
			}
		}
		if len(req.cccds) > 0 {
			batch.Queue("SELECT "+residentCols+" FROM residents r WHERE r.cccd = ANY($1)", req.cccds).Query(residents(ans.owner))
		}
		members := residents(ans.member)
		if len(req.households) > 0 {
			batch.Queue("SELECT "+residentCols+" FROM residents r WHERE r.household_id = ANY($1)", req.households).Query(members)
		}
		if len(req.fresh) > 0 {
			batch.Queue("SELECT "+residentCols+" FROM residents r WHERE r.village_id = ANY($1)", req.fresh).Query(members)
		}
		if batch.Len() == 0 {
			return nil
		}
		return internal("lookup", c.SendBatch(w.ctx, batch).Close())
	})
}

const updateHouseholdSQL = `UPDATE households SET hamlet = $1, address = $2, bank_since = $3, bank_helped = $4, zalo_since = $5, zalo_helped = $6,
	updated_at = $7, version = version + 1 WHERE id = $8`

// updateHouseholds writes a batch's updates of stored households: on
// PostgreSQL in one round trip (pgx's pipeline), elsewhere one by one.
func (w *peopleWriter) updateHouseholds(hs []domain.Household) error {
	if len(hs) == 0 {
		return nil
	}
	if w.s.dialect.name != "postgres" {
		for i := range hs {
			h := &hs[i]
			if err := w.exec(updateHouseholdSQL, h.Hamlet, h.Address, h.Bank.Since, h.Bank.Helped, h.Zalo.Since, h.Zalo.Helped, w.now, h.ID); err != nil {
				return err
			}
		}
		return nil
	}
	return w.withPgx("update households", func(c *pgx.Conn) error {
		batch := &pgx.Batch{}
		for i := range hs {
			h := &hs[i]
			batch.Queue(updateHouseholdSQL, h.Hamlet, h.Address, h.Bank.Since, h.Bank.Helped, h.Zalo.Since, h.Zalo.Helped, w.now, h.ID)
		}
		return c.SendBatch(w.ctx, batch).Close()
	})
}

// updateResidents writes a batch's updates of stored residents: on
// PostgreSQL in one round trip (pgx's pipeline; a re-import of an updated
// file updates every row), elsewhere one by one. A resident changed by
// someone else since the chunk read it is ECONFLICT, as in the one-by-one
// update.
func (w *peopleWriter) updateResidents(rs []domain.Resident) error {
	if len(rs) == 0 {
		return nil
	}
	col := textvi.NewCollator()
	q := updateResidentSQL()
	if w.s.dialect.name != "postgres" {
		w.mu.Lock()
		defer w.mu.Unlock()
		st, err := w.stmt(q) // prepared once a load
		if err != nil {
			return err
		}
		for _, r := range rs {
			res, err := st.ExecContext(w.ctx, updateResidentArgs(r, col, w.now)...)
			if err != nil {
				return internal("update resident", err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return domain.Errorf(domain.ECONFLICT, "record.stale")
			}
		}
		return nil
	}
	return w.withPgx("update residents", func(c *pgx.Conn) error {
		batch := &pgx.Batch{}
		for _, r := range rs {
			batch.Queue(q, updateResidentArgs(r, col, w.now)...).Exec(func(tag pgconn.CommandTag) error {
				if tag.RowsAffected() == 0 {
					return domain.Errorf(domain.ECONFLICT, "record.stale")
				}
				return nil
			})
		}
		return internal("update resident", c.SendBatch(w.ctx, batch).Close())
	})
}
