package store

import (
	"bufio"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"time"
)

// BackupFormat names our backup files; BackupFormatVersion is bumped when
// their layout (not the schema) changes.
const (
	BackupFormat        = "thonso-backup"
	BackupFormatVersion = 1
)

// backupHeader is the first line of a backup.
type backupHeader struct {
	Format        string    `json:"format"`
	FormatVersion int       `json:"format_version"`
	SchemaVersion int       `json:"schema_version"`
	Engine        string    `json:"engine"`
	CreatedAt     time.Time `json:"created_at"`
}

// tableHead opens a table's rows; tableEnd closes them with the count and
// the checksum; backupEnd is the last line, so a cut file is noticed.
type tableHead struct {
	Table   string   `json:"table"`
	Columns []string `json:"columns"`
	Kinds   []string `json:"kinds"`
}

type tableEnd struct {
	End  string `json:"end"`
	Rows int64  `json:"rows"`
	Sum  string `json:"sum"`
}

type backupEnd struct {
	EndOfBackup bool  `json:"end_of_backup"`
	Tables      int   `json:"tables"`
	Rows        int64 `json:"rows"`
}

// BackupInfo says what a backup holds.
type BackupInfo struct {
	SchemaVersion int
	Engine        string
	CreatedAt     time.Time
	Tables        map[string]TableSum
	Rows          int64
}

// Backup writes every one of our tables to w as gzip'd JSON lines: a
// header naming the schema version, then per table its columns with their
// kinds, one JSON array per row, and the row count and checksum. It reads
// in one read transaction, so the copy is consistent while the server
// keeps writing; the same file restores into SQLite or PostgreSQL.
func (s *Store) Backup(ctx context.Context, w io.Writer) (BackupInfo, error) {
	info := BackupInfo{Engine: s.dialect.name, CreatedAt: s.now(), Tables: map[string]TableSum{}}
	zw := gzip.NewWriter(w)
	bw := bufio.NewWriterSize(zw, 1<<16)
	enc := json.NewEncoder(bw)
	err := s.readSnapshot(ctx, func(tx *sql.Tx) error {
		var v sql.NullInt64
		if err := tx.QueryRowContext(ctx, "SELECT max(version) FROM schema_migrations").Scan(&v); err != nil {
			return internal("backup: schema version", err)
		}
		info.SchemaVersion = int(v.Int64)
		if err := enc.Encode(backupHeader{BackupFormat, BackupFormatVersion, info.SchemaVersion, info.Engine, info.CreatedAt}); err != nil {
			return err
		}
		have, err := s.existingTables(ctx, tx)
		if err != nil {
			return err
		}
		order, err := s.presentInOrder(ctx, tx, have)
		if err != nil {
			return err
		}
		for _, t := range order {
			if derived[t] {
				continue // recomputed by the triggers on restore
			}
			var sum rowSum
			head := func(cols, kinds []string) error { return enc.Encode(tableHead{t, cols, kinds}) }
			err := scanTable(ctx, tx, t, head, func(_ []string, row []any) error {
				if err := sum.add(row); err != nil {
					return err
				}
				return enc.Encode(row)
			})
			if err != nil {
				return err
			}
			if err := enc.Encode(tableEnd{t, sum.rows, sum.hex()}); err != nil {
				return err
			}
			info.Tables[t] = TableSum{Rows: sum.rows, Sum: sum.hex()}
			info.Rows += sum.rows
		}
		return enc.Encode(backupEnd{true, len(info.Tables), info.Rows})
	})
	if err != nil {
		return info, internal("backup", err)
	}
	if err := bw.Flush(); err != nil {
		return info, internal("backup", err)
	}
	return info, internal("backup", zw.Close())
}
