package store

import (
	"context"
	"database/sql"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"thonso/internal/domain"
)

// DefaultMaxLag is how far behind the primary a replica may be and still
// serve reads (--db-read-max-lag).
const DefaultMaxLag = 30 * time.Second

// replicaCheckEvery is how often the monitor measures each replica's lag.
const replicaCheckEvery = time.Second

// Options are the settings of Open beyond the primary's DSN.
type Options struct {
	// ReadDSNs are PostgreSQL hot standbys of the primary (--db-read).
	ReadDSNs []string
	// MaxLag: a replica further behind serves nothing until it catches up
	// (0: DefaultMaxLag).
	MaxLag time.Duration
}

// replica is one hot standby and what the monitor last found of it.
type replica struct {
	name   string // "replica1", … for /metrics
	where  string // DSN without password
	db     *sql.DB
	maxLag time.Duration
	served atomic.Int64 // queries sent to it

	mu     sync.Mutex
	st     ReplicaStatus
	downAt time.Time // set by a failed query; cleared by a good check
}

// ReplicaStatus is what /readyz and /metrics show of a replica.
type ReplicaStatus struct {
	Name, Where string
	// Up: it answered the last check and is a standby in recovery.
	Up bool
	// Reason says why it is not used ("" when it is).
	Reason string
	// Lag is how far its data is behind the primary's: 0 when it has
	// replayed everything the primary had written at the check, else the
	// age of the last transaction it replayed.
	Lag      time.Duration
	LagBytes int64
	// InUse: up and within the lag limit, so ReadOnly work goes to it.
	InUse   bool
	MaxLag  time.Duration
	Checked time.Time
	Served  int64
}

func (rp *replica) usable() bool {
	rp.mu.Lock()
	defer rp.mu.Unlock()
	return rp.st.InUse && rp.downAt.IsZero()
}

// failed sets a replica aside after a query failed on it for a reason of
// its own; the next good check brings it back.
func (rp *replica) failed(err error) {
	if !connectionLost(err) {
		return
	}
	rp.mu.Lock()
	defer rp.mu.Unlock()
	rp.downAt = time.Now()
	rp.st.InUse = false
	rp.st.Reason = firstLine(err.Error())
}

func (rp *replica) status() ReplicaStatus {
	rp.mu.Lock()
	defer rp.mu.Unlock()
	st := rp.st
	st.Served = rp.served.Load()
	return st
}

// openReplicas opens the replica pools; an unreachable replica does not
// stop the server (it is shown as down and retried), a malformed DSN does.
func openReplicas(dsns []string, maxLag time.Duration) ([]*replica, error) {
	if maxLag <= 0 {
		maxLag = DefaultMaxLag
	}
	var out []*replica
	for i, dsn := range dsns {
		if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
			for _, rp := range out {
				rp.db.Close()
			}
			return nil, domain.Errorf(domain.EINVALID, "db.read_dsn")
		}
		db, err := sql.Open("pgx", withAppName(dsn, "thonso-read"))
		if err != nil {
			return nil, openErr(redact(dsn), err)
		}
		db.SetMaxOpenConns(16)
		db.SetMaxIdleConns(8)
		name := "replica" + strconv.Itoa(i+1)
		rp := &replica{name: name, where: redact(dsn), db: db, maxLag: maxLag}
		rp.st = ReplicaStatus{Name: name, Where: rp.where, MaxLag: maxLag, Reason: "not checked yet"}
		out = append(out, rp)
	}
	return out, nil
}

// withAppName sets application_name unless the DSN does, so a standby's
// pg_stat_activity shows which connections are Thôn Số's reads.
func withAppName(dsn, name string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.Query().Has("application_name") {
		return dsn
	}
	q := u.Query()
	q.Set("application_name", name)
	u.RawQuery = q.Encode()
	return u.String()
}

// monitor measures every replica's lag every replicaCheckEvery until ctx
// ends.
func (s *Store) monitor(ctx context.Context) {
	t := time.NewTicker(replicaCheckEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.checkReplicas(ctx)
		}
	}
}

// checkReplicas asks the primary where its WAL is, then each replica how
// far it has replayed: a replica at or past that point is current (lag
// 0, even when the primary has been idle for hours); one behind is as old
// as the last transaction it replayed.
func (s *Store) checkReplicas(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	var primaryLSN string
	perr := s.w.QueryRowContext(ctx, "SELECT pg_current_wal_lsn()::text").Scan(&primaryLSN)
	for _, rp := range s.r.replicas {
		st := ReplicaStatus{Name: rp.name, Where: rp.where, MaxLag: rp.maxLag, Checked: time.Now()}
		var inRecovery bool
		var replay sql.NullString
		var age sql.NullFloat64
		err := rp.db.QueryRowContext(ctx, `SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text,
			EXTRACT(EPOCH FROM (clock_timestamp() - pg_last_xact_replay_timestamp()))::float8`).Scan(&inRecovery, &replay, &age)
		switch {
		case err != nil:
			st.Reason = firstLine(err.Error())
		case !inRecovery:
			// A writable database is not a copy of the primary: reading
			// from it could show other data.
			st.Reason = "not a standby (pg_is_in_recovery() = false)"
		default:
			st.Up = true
			p, r := parseLSN(primaryLSN), parseLSN(replay.String)
			switch {
			case perr != nil:
				st.Lag = -1
				st.Reason = "primary: " + firstLine(perr.Error())
			case r >= p:
				st.Lag = 0
			case age.Valid:
				st.Lag = time.Duration(age.Float64 * float64(time.Second))
				st.LagBytes = int64(p - r)
			default:
				st.Lag = -1 // never replayed a transaction
				st.LagBytes = int64(p - r)
			}
			if st.Reason == "" {
				if st.Lag < 0 || st.Lag > rp.maxLag {
					st.Reason = "lag"
				} else {
					st.InUse = true
				}
			}
		}
		rp.mu.Lock()
		rp.st = st
		if st.InUse {
			rp.downAt = time.Time{}
		}
		rp.mu.Unlock()
	}
}

// parseLSN reads PostgreSQL's "X/Y" WAL position (0 when empty).
func parseLSN(s string) uint64 {
	hi, lo, ok := strings.Cut(s, "/")
	if !ok {
		return 0
	}
	h, err1 := strconv.ParseUint(hi, 16, 32)
	l, err2 := strconv.ParseUint(lo, 16, 32)
	if err1 != nil || err2 != nil {
		return 0
	}
	return h<<32 | l
}

// Replicas reports every read replica as the monitor last found it.
func (s *Store) Replicas() []ReplicaStatus {
	var out []ReplicaStatus
	for _, rp := range s.r.replicas {
		out = append(out, rp.status())
	}
	return out
}
