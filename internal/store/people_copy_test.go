package store

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"thonso/internal/domain"
)

// Each value goes out in COPY's binary format for its column's type; a
// value the column cannot take is an error naming it, never a wrong byte.
func TestAppendCopyValue(t *testing.T) {
	at := time.Date(2000, 1, 1, 0, 0, 1, 500, time.UTC) // a second (and 0,5 µs, dropped) after PostgreSQL's epoch
	for _, c := range []struct {
		oid  uint32
		v    any
		want string
	}{
		{oidInt8, int64(258), "00000008" + "0000000000000102"},
		{oidInt8, 7, "00000008" + "0000000000000007"},
		{oidInt4, 1, "00000004" + "00000001"},
		{oidInt2, int64(-1), "00000002" + "ffff"},
		{oidText, "Đông", "00000006" + hex.EncodeToString([]byte("Đông"))},
		{oidText, nil, "ffffffff"},
		{oidText, domain.Date{}, "ffffffff"}, // a zero date is NULL
		{oidText, domain.MustDate("2025-07-01"), "0000000a" + hex.EncodeToString([]byte("2025-07-01"))},
		{oidBool, true, "00000001" + "01"},
		{oidBool, false, "00000001" + "00"},
		{oidTimestamptz, at, "00000008" + "00000000000f4240"},
	} {
		got, err := appendCopyValue(nil, c.oid, c.v)
		if err != nil || hex.EncodeToString(got) != c.want {
			t.Errorf("%d %#v: %x %v, want %s", c.oid, c.v, got, err, c.want)
		}
	}
	for _, c := range []struct {
		oid  uint32
		v    any
		says string
	}{
		{oidInt4, int64(1) << 40, "4-byte"},
		{oidInt8, "12", "not an integer"},
		{oidBool, 1, "does not go"},
		{oidTimestamptz, "2025-07-01", "does not go"},
		{700, 1.5, "not one COPY"},
	} {
		buf := []byte("kept")
		got, err := appendCopyValue(buf, c.oid, c.v)
		if err == nil || !strings.Contains(err.Error(), c.says) || !bytes.Equal(got, []byte("kept")) {
			t.Errorf("%d %#v: %x %v, want an error saying %q", c.oid, c.v, got, err, c.says)
		}
	}
}
