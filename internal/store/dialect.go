package store

// dialect holds the few places SQLite and PostgreSQL differ; everything
// else is written in the SQL both share, with $N placeholders.
type dialect struct {
	name string
	// lockUnits serialises writers of the unit tree inside a transaction
	// (SQLite already has one writer: BEGIN IMMEDIATE).
	lockUnits string
	// maxParams is the most bind parameters one statement may carry.
	maxParams int
	// anonParams makes bulk inserts use "?" placeholders: SQLite looks
	// numbered ones up linearly, which makes a 500-row insert quadratic
	// (measured: 3.3 s of a 3.4 s national import went to it).
	anonParams bool
	// bulkInsert starts a bulk load's multi-row INSERTs. On SQLite, OR
	// FAIL (with deferred foreign keys) lets a statement that fails half
	// way keep its first rows, so SQLite keeps no statement journal of the
	// pages it touches — 8 % of a million-row import. A bulk load rolls
	// its whole transaction back on any error, so nothing half-done stays.
	bulkInsert string
}

// param is the placeholder of the n-th argument of a bulk insert.
func (d dialect) param(n int) string {
	if d.anonParams {
		return "?"
	}
	return "$" + itoa(n)
}

var (
	sqliteDialect   = dialect{name: "sqlite", maxParams: 30000, anonParams: true, bulkInsert: "INSERT OR FAIL INTO "}
	postgresDialect = dialect{name: "postgres", lockUnits: "LOCK TABLE units IN SHARE ROW EXCLUSIVE MODE", maxParams: 60000, bulkInsert: "INSERT INTO "}
)
