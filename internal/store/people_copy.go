package store

import (
	"bytes"
	"database/sql"
	"database/sql/driver"
	"encoding/binary"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// A batch's rows go to PostgreSQL with COPY, inside the load's
// transaction (its connection, below database/sql): several times faster
// than multi-row INSERTs, as psql's \copy is. The rows are encoded here
// in COPY's binary format, by the columns' types read once a load:
// pgx's generic encoder planned every value by reflection, a tenth of a
// million-row import's CPU, on the two cores the database needs too. A
// batch is encoded when it is held (encodeCopy), while the connection
// still writes the batch before, so the connection does not wait for it.
// Values that are driver.Valuers (dates) are sent as their value.

// encodeCopy encodes a held batch's households and residents.
func (w *peopleWriter) encodeCopy(q *writeBatch) error {
	var err error
	if q.hhCopy, err = w.encodeRows(q.hhCopy, "households", householdLoadCols, q.hhArgs, q.hhN); err != nil {
		return err
	}
	q.resCopy, err = w.encodeRows(q.resCopy, "residents", w.residentCols, q.resArgs, q.resN)
	return err
}

// encodeRows encodes n rows of len(cols) arguments into buf.
func (w *peopleWriter) encodeRows(buf []byte, table string, cols []string, args []any, n int) ([]byte, error) {
	buf = buf[:0]
	if n == 0 {
		return buf, nil
	}
	types, err := w.copyTypes(table, cols)
	if err != nil {
		return buf, err
	}
	width := len(cols)
	buf = append(buf, "PGCOPY\n\377\r\n\000"...)
	buf = binary.BigEndian.AppendUint32(buf, 0) // flags
	buf = binary.BigEndian.AppendUint32(buf, 0) // header extension
	for i := 0; i < n; i++ {
		buf = binary.BigEndian.AppendUint16(buf, uint16(width))
		for j, v := range args[i*width : (i+1)*width] {
			if buf, err = appendCopyValue(buf, types[j], v); err != nil {
				return buf, fmt.Errorf("copy into %s, column %s: %w", table, cols[j], err)
			}
		}
	}
	return binary.BigEndian.AppendUint16(buf, 0xFFFF), nil // the trailer: -1 fields
}

// copyRows sends n rows encoded by encodeRows.
func (w *peopleWriter) copyRows(table string, cols []string, data []byte, n int) error {
	return w.withPgx("copy into "+table, func(c *pgx.Conn) error {
		tag, err := c.PgConn().CopyFrom(w.ctx, bytes.NewReader(data), "COPY "+table+" ("+strings.Join(cols, ", ")+") FROM STDIN (FORMAT binary)")
		if err == nil && tag.RowsAffected() != int64(n) {
			err = fmt.Errorf("copy into %s: %d rows of %d", table, tag.RowsAffected(), n)
		}
		return err
	})
}

// withPgx runs fn on the load's connection as pgx's, holding w.mu: for what
// database/sql does not offer (COPY, pipelines).
func (w *peopleWriter) withPgx(op string, fn func(*pgx.Conn) error) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("%s: not a pgx connection", op)
		}
		return fn(c.Conn())
	})
}

// PostgreSQL type oids copyRows encodes.
const (
	oidBool        = 16
	oidInt8        = 20
	oidInt2        = 21
	oidInt4        = 23
	oidText        = 25
	oidVarchar     = 1043
	oidTimestamptz = 1184
)

// copyTypes reads the type of each column, once a load. The types are
// read before the first batch is sent, so the connection is free.
func (w *peopleWriter) copyTypes(table string, cols []string) ([]uint32, error) {
	if t, ok := w.copyOIDs[table]; ok {
		return t, nil
	}
	byName := map[string]uint32{}
	if err := w.query("SELECT attname, atttypid FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped", []any{table},
		func(rs *sql.Rows) error {
			var name string
			var oid uint32
			if err := rs.Scan(&name, &oid); err != nil {
				return err
			}
			byName[name] = oid
			return nil
		}); err != nil {
		return nil, err
	}
	types := make([]uint32, len(cols))
	for i, col := range cols {
		oid, ok := byName[col]
		if !ok {
			return nil, fmt.Errorf("copy into %s: no column %s", table, col)
		}
		types[i] = oid
	}
	if w.copyOIDs == nil {
		w.copyOIDs = map[string][]uint32{}
	}
	w.copyOIDs[table] = types
	return types, nil
}

// pgEpoch is where PostgreSQL's binary timestamps count from, in Unix
// microseconds: 2000-01-01 00:00 UTC.
const pgEpoch = 946_684_800_000_000

// appendCopyValue appends one field of a binary COPY row: its length
// (-1 for NULL) and its bytes.
func appendCopyValue(buf []byte, oid uint32, v any) ([]byte, error) {
	if dv, ok := v.(driver.Valuer); ok {
		var err error
		if v, err = dv.Value(); err != nil {
			return buf, err
		}
	}
	if v == nil {
		return binary.BigEndian.AppendUint32(buf, 0xFFFFFFFF), nil
	}
	switch oid {
	case oidText, oidVarchar:
		switch s := v.(type) {
		case string:
			buf = binary.BigEndian.AppendUint32(buf, uint32(len(s)))
			return append(buf, s...), nil
		case []byte:
			buf = binary.BigEndian.AppendUint32(buf, uint32(len(s)))
			return append(buf, s...), nil
		}
	case oidInt8, oidInt4, oidInt2:
		var n int64
		switch x := v.(type) {
		case int64:
			n = x
		case int:
			n = int64(x)
		case int32:
			n = int64(x)
		default:
			return buf, fmt.Errorf("%T is not an integer", v)
		}
		switch oid {
		case oidInt8:
			buf = binary.BigEndian.AppendUint32(buf, 8)
			return binary.BigEndian.AppendUint64(buf, uint64(n)), nil
		case oidInt4:
			if n != int64(int32(n)) {
				return buf, fmt.Errorf("%d does not fit a 4-byte integer", n)
			}
			buf = binary.BigEndian.AppendUint32(buf, 4)
			return binary.BigEndian.AppendUint32(buf, uint32(n)), nil
		default:
			if n != int64(int16(n)) {
				return buf, fmt.Errorf("%d does not fit a 2-byte integer", n)
			}
			buf = binary.BigEndian.AppendUint32(buf, 2)
			return binary.BigEndian.AppendUint16(buf, uint16(n)), nil
		}
	case oidBool:
		if b, ok := v.(bool); ok {
			buf = binary.BigEndian.AppendUint32(buf, 1)
			if b {
				return append(buf, 1), nil
			}
			return append(buf, 0), nil
		}
	case oidTimestamptz:
		if t, ok := v.(time.Time); ok {
			buf = binary.BigEndian.AppendUint32(buf, 8)
			return binary.BigEndian.AppendUint64(buf, uint64(t.UnixMicro()-pgEpoch)), nil
		}
	default:
		return buf, fmt.Errorf("type %d is not one COPY is taught to encode", oid)
	}
	return buf, fmt.Errorf("%T does not go in a column of type %d", v, oid)
}
