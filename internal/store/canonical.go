package store

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Column kinds shared by both databases. A backup names each column's
// kind so that a file made on SQLite loads into PostgreSQL and back: the
// value is read in its kind, never in the engine's storage class.
const (
	kindInt   = "int"
	kindFloat = "float"
	kindBool  = "bool"
	kindTime  = "time"
	kindBytes = "bytes"
	kindText  = "text"
)

// kindOf maps a driver's column type name to a kind.
func kindOf(dbType string) string {
	t := strings.ToUpper(dbType)
	switch {
	case strings.Contains(t, "BOOL"):
		return kindBool
	case strings.Contains(t, "INT"):
		return kindInt
	case strings.Contains(t, "TIMESTAMP"), t == "DATETIME":
		return kindTime
	case strings.Contains(t, "REAL"), strings.Contains(t, "FLOAT"), strings.Contains(t, "DOUBLE"), strings.Contains(t, "NUMERIC"):
		return kindFloat
	case strings.Contains(t, "BLOB"), strings.Contains(t, "BYTEA"):
		return kindBytes
	}
	return kindText
}

// timeLayouts are the forms a timestamp may take when a driver hands it
// over as text.
var timeLayouts = []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999", "2006-01-02"}

// canonical turns a scanned value into the form a backup writes and a
// checksum hashes: int64, float64, bool, string (times as UTC RFC 3339 to
// the microsecond, PostgreSQL's precision), []byte or nil.
func canonical(kind string, v any) any {
	if v == nil {
		return nil
	}
	switch kind {
	case kindInt:
		switch x := v.(type) {
		case int64:
			return x
		case int32:
			return int64(x)
		case int:
			return int64(x)
		case float64:
			return int64(x)
		case bool:
			if x {
				return int64(1)
			}
			return int64(0)
		}
	case kindFloat:
		switch x := v.(type) {
		case float64:
			return x
		case float32:
			return float64(x)
		case int64:
			return float64(x)
		case int32:
			return float64(x)
		}
	case kindBool:
		switch x := v.(type) {
		case bool:
			return x
		case int64:
			return x != 0
		case int32:
			return x != 0
		}
	case kindTime:
		switch x := v.(type) {
		case time.Time:
			return formatTime(x)
		case string:
			if t, ok := parseTime(x); ok {
				return formatTime(t)
			}
			return x
		case []byte:
			if t, ok := parseTime(string(x)); ok {
				return formatTime(t)
			}
			return string(x)
		}
	case kindBytes:
		switch x := v.(type) {
		case []byte:
			return append([]byte{}, x...)
		case string:
			return []byte(x)
		}
	}
	switch x := v.(type) {
	case []byte:
		if kind == kindBytes {
			return x
		}
		return string(x)
	case time.Time:
		return formatTime(x)
	case string, int64, float64, bool:
		return x
	}
	return fmt.Sprint(v)
}

func formatTime(t time.Time) string {
	return t.UTC().Truncate(time.Microsecond).Format("2006-01-02T15:04:05.999999Z")
}

func parseTime(s string) (time.Time, bool) {
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// fromJSON turns a value read from a backup into what the driver stores
// for a column of kind: the inverse of canonical.
func fromJSON(kind string, raw json.RawMessage) (any, error) {
	s := strings.TrimSpace(string(raw))
	if s == "null" {
		return nil, nil
	}
	switch kind {
	case kindInt:
		if s == "true" || s == "false" {
			return s == "true", nil
		}
		return strconv.ParseInt(s, 10, 64)
	case kindFloat:
		return strconv.ParseFloat(s, 64)
	case kindBool:
		switch s {
		case "true", "1":
			return true, nil
		case "false", "0":
			return false, nil
		}
		return nil, fmt.Errorf("not a boolean: %.20s", s)
	}
	var str string
	if err := json.Unmarshal(raw, &str); err != nil {
		return nil, err
	}
	switch kind {
	case kindTime:
		if t, ok := parseTime(str); ok {
			return t.UTC(), nil
		}
		return str, nil
	case kindBytes:
		return base64.StdEncoding.DecodeString(str)
	}
	return str, nil
}

// rowSum adds up rows' hashes word by word, so a table's checksum does
// not depend on the order rows come in (the engines sort text differently).
type rowSum struct {
	rows int64
	w    [4]uint64
}

func (r *rowSum) add(row []any) error {
	b, err := json.Marshal(row)
	if err != nil {
		return err
	}
	h := sha256.Sum256(b)
	for i := range r.w {
		r.w[i] += binary.BigEndian.Uint64(h[i*8:])
	}
	r.rows++
	return nil
}

func (r *rowSum) hex() string {
	var b [32]byte
	for i, w := range r.w {
		binary.BigEndian.PutUint64(b[i*8:], w)
	}
	return hex.EncodeToString(b[:])
}
