package store

import (
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"thonso/internal/domain"
)

// lookupPipelined reads a chunk's CCCD owners and its households' members
// on PostgreSQL in one round trip: both queries go out together (pgx's
// pipeline) with their lists as arrays. Each query and each wait for an
// answer was a turn of the connection idle while a busy client got back
// to it — a million-row load has a thousand chunks.
func (w *peopleWriter) lookupPipelined(cccds []string, households []int64, owners map[string]cccdOwner,
	member func(id, household, village int64, name string, birth domain.Date)) error {
	if len(cccds) == 0 && len(households) == 0 {
		return nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("lookup: not a pgx connection")
		}
		batch := &pgx.Batch{}
		batch.Queue("SELECT cccd, id, village_id FROM residents WHERE cccd = ANY($1)", cccds)
		batch.Queue("SELECT id, household_id, village_id, full_name, birth_date FROM residents WHERE household_id = ANY($1)", households)
		br := c.Conn().SendBatch(w.ctx, batch)
		rows, err := br.Query()
		if err != nil {
			br.Close()
			return internal("cccd owners", err)
		}
		for rows.Next() {
			var cccd string
			var o cccdOwner
			if err := rows.Scan(&cccd, &o.id, &o.village); err != nil {
				rows.Close()
				br.Close()
				return internal("cccd owners", err)
			}
			owners[cccd] = o
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			br.Close()
			return internal("cccd owners", err)
		}
		if rows, err = br.Query(); err != nil {
			br.Close()
			return internal("members", err)
		}
		for rows.Next() {
			var id, household, village int64
			var name string
			var birth domain.Date
			if err := rows.Scan(&id, &household, &village, &name, &birth); err != nil {
				rows.Close()
				br.Close()
				return internal("members", err)
			}
			member(id, household, village, name, birth)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			br.Close()
			return internal("members", err)
		}
		return internal("lookup", br.Close())
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
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("update households: not a pgx connection")
		}
		batch := &pgx.Batch{}
		for i := range hs {
			h := &hs[i]
			batch.Queue(updateHouseholdSQL, h.Hamlet, h.Address, h.Bank.Since, h.Bank.Helped, h.Zalo.Since, h.Zalo.Helped, w.now, h.ID)
		}
		return c.Conn().SendBatch(w.ctx, batch).Close()
	})
}
