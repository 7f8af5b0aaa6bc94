package store

import (
	"database/sql/driver"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// copyRows sends n rows of len(cols) arguments with PostgreSQL's COPY,
// inside the load's transaction (its connection, below database/sql):
// several times faster than multi-row INSERTs, as psql's \copy is.
// Values that are driver.Valuers (dates) are sent as their value.
func (w *peopleWriter) copyRows(table string, cols []string, args []any, n int) error {
	width := len(cols)
	row := make([]any, width)
	src := pgx.CopyFromSlice(n, func(i int) ([]any, error) {
		for j, v := range args[i*width : (i+1)*width] {
			if dv, ok := v.(driver.Valuer); ok {
				var err error
				if v, err = dv.Value(); err != nil {
					return nil, err
				}
			}
			row[j] = v
		}
		return row, nil
	})
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("copy into %s: not a pgx connection", table)
		}
		got, err := c.Conn().CopyFrom(w.ctx, pgx.Identifier{table}, cols, src)
		if err == nil && got != int64(n) {
			err = fmt.Errorf("copy into %s: %d rows of %d", table, got, n)
		}
		return err
	})
}
