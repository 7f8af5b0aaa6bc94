package store

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"

	"thonso/internal/domain"
)

// backupReader walks a backup file line by line and checks its shape as
// it goes: the header, each table's rows against its column count, each
// table's count and checksum, and the closing line.
type backupReader struct {
	dec    *json.Decoder
	header backupHeader
}

func errBackupCorrupt(reason string) error {
	return domain.Errorf(domain.EINVALID, "backup.corrupt", "reason", reason)
}

func newBackupReader(r io.Reader) (*backupReader, error) {
	zr, err := gzip.NewReader(bufio.NewReaderSize(r, 1<<16))
	if err != nil {
		return nil, domain.Errorf(domain.EINVALID, "backup.not_backup")
	}
	br := &backupReader{dec: json.NewDecoder(zr)}
	if err := br.dec.Decode(&br.header); err != nil || br.header.Format != BackupFormat {
		return nil, domain.Errorf(domain.EINVALID, "backup.not_backup")
	}
	if br.header.FormatVersion > BackupFormatVersion {
		return nil, domain.Errorf(domain.EINVALID, "backup.format_newer", "have", br.header.FormatVersion, "known", BackupFormatVersion)
	}
	return br, nil
}

// next reads one line as raw JSON; a cut or damaged file is EINVALID.
func (br *backupReader) next() (json.RawMessage, error) {
	var raw json.RawMessage
	if err := br.dec.Decode(&raw); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, domain.Errorf(domain.EINVALID, "backup.truncated")
		}
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, errBackupCorrupt(err.Error())
		}
		// gzip checksum errors and the like
		return nil, domain.Errorf(domain.EINVALID, "backup.truncated")
	}
	return raw, nil
}

// tableVisitor receives a backup's content: a table's head, each of its
// rows (raw values, one per column) and its end.
type tableVisitor struct {
	head func(h tableHead) error
	row  func(vals []json.RawMessage) error
	end  func(table string) error
}

// walk reads the whole file, verifying every table's count and checksum
// and the closing line; v's functions may be nil.
func (br *backupReader) walk(v tableVisitor) (BackupInfo, error) {
	info := BackupInfo{SchemaVersion: br.header.SchemaVersion, Engine: br.header.Engine, CreatedAt: br.header.CreatedAt, Tables: map[string]TableSum{}}
	for {
		raw, err := br.next()
		if err != nil {
			return info, err
		}
		var fin backupEnd
		if err := json.Unmarshal(raw, &fin); err == nil && fin.EndOfBackup {
			if fin.Tables != len(info.Tables) || fin.Rows != info.Rows {
				return info, errBackupCorrupt("end line")
			}
			var extra json.RawMessage
			if err := br.dec.Decode(&extra); !errors.Is(err, io.EOF) {
				return info, errBackupCorrupt("data after the end")
			}
			return info, nil
		}
		var h tableHead
		if err := json.Unmarshal(raw, &h); err != nil || h.Table == "" || len(h.Columns) == 0 || len(h.Columns) != len(h.Kinds) {
			return info, errBackupCorrupt("table header")
		}
		if !tables[h.Table] {
			return info, errBackupCorrupt("unknown table " + h.Table)
		}
		if _, dup := info.Tables[h.Table]; dup {
			return info, errBackupCorrupt("table twice " + h.Table)
		}
		if v.head != nil {
			if err := v.head(h); err != nil {
				return info, err
			}
		}
		var sum rowSum
		canon := make([]any, len(h.Columns))
		for {
			raw, err := br.next()
			if err != nil {
				return info, err
			}
			if len(raw) > 0 && raw[0] == '{' {
				var end tableEnd
				if err := json.Unmarshal(raw, &end); err != nil || end.End != h.Table {
					return info, errBackupCorrupt("end of " + h.Table)
				}
				if end.Rows != sum.rows || end.Sum != sum.hex() {
					return info, domain.Errorf(domain.EINVALID, "backup.checksum", "table", h.Table)
				}
				break
			}
			var vals []json.RawMessage
			if err := json.Unmarshal(raw, &vals); err != nil || len(vals) != len(h.Columns) {
				return info, errBackupCorrupt("row of " + h.Table)
			}
			for i, r := range vals {
				x, err := fromJSON(h.Kinds[i], r)
				if err != nil {
					return info, errBackupCorrupt("value of " + h.Table + "." + h.Columns[i])
				}
				canon[i] = canonical(h.Kinds[i], x)
			}
			if err := sum.add(canon); err != nil {
				return info, err
			}
			if v.row != nil {
				if err := v.row(vals); err != nil {
					return info, err
				}
			}
		}
		if v.end != nil {
			if err := v.end(h.Table); err != nil {
				return info, err
			}
		}
		info.Tables[h.Table] = TableSum{Rows: sum.rows, Sum: sum.hex()}
		info.Rows += sum.rows
	}
}

// VerifyBackup reads a whole backup and checks it: format, every table's
// rows, counts and checksums, and that it was not cut short.
func VerifyBackup(r io.Reader) (BackupInfo, error) {
	br, err := newBackupReader(r)
	if err != nil {
		return BackupInfo{}, err
	}
	return br.walk(tableVisitor{})
}
