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
}

var (
	sqliteDialect   = dialect{name: "sqlite", maxParams: 30000}
	postgresDialect = dialect{name: "postgres", lockUnits: "LOCK TABLE units IN SHARE ROW EXCLUSIVE MODE", maxParams: 60000}
)
