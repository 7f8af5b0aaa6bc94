package store

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// publicChannel is the PostgreSQL channel bump_public_version notifies
// (migration 0021) when a transaction changes what a public page shows.
const publicChannel = "thonso_public"

// The listener checks its connection after listenQuiet without a
// notification, giving it listenPing to answer.
const (
	listenQuiet = time.Second
	listenPing  = 2 * time.Second
)

// publicWatch answers "what is the public data version now?" for the
// rendered-page cache of every request, without a round trip to the
// database where that can be exact:
//
//   - PostgreSQL: a listener connection LISTENs on publicChannel; every
//     committed change, made by this server, another one or the command
//     line, notifies it. While it listens, the version read after the
//     last notification is still the current one, so a cache hit costs no
//     query. A write committed through this Store forgets it at once
//     (invalidate), without waiting for its own notification. Without a
//     listener (not yet connected, or the connection lost) every call
//     reads the version from the primary, as before; a connection lost
//     without a word is found by a ping after a quiet second
//     (listenQuiet, listenPing).
//   - SQLite: another process (thonso import, restore…) may write the
//     file and nothing tells us. But every commit, from any process,
//     rewrites the WAL-index header at the start of the "-shm" file
//     before it returns (its iChange counter moves with every
//     transaction; sqlite.org/walformat.html, "The WAL-Index Header"),
//     so each call reads those 48 bytes (one pread, no lock, no SQL) and
//     reads the counter again only when they changed — exact, and about
//     a microsecond instead of a statement's fifteen. Without the file
//     (not in WAL mode, or unreadable) every call reads the counter,
//     with a statement prepared once per reader connection.
type publicWatch struct {
	dsn  string
	stmt *sql.Stmt // SQLite: the counter's read, prepared on the reader pool
	shm  *os.File  // SQLite: the "-shm" file, nil when not readable
	hdr  [walHdrSize]byte

	once sync.Once
	stop context.CancelFunc
	done chan struct{}

	mu        sync.Mutex
	gen       uint64 // moved by every invalidation
	listening bool
	known     bool
	v         int64
	ok        bool
}

// walHdrSize is the size of the first copy of SQLite's WAL-index header.
const walHdrSize = 48

const publicVersionQuery = "SELECT value FROM counters WHERE name = 'public_version'"

// invalidate forgets the known version: the next call reads it again.
// A read begun before the invalidation is not kept (gen moved).
func (w *publicWatch) invalidate() {
	w.mu.Lock()
	w.gen++
	w.known = false
	w.mu.Unlock()
}

// CurrentPublicVersion is the public data version as the primary holds
// it now: every write committed before the call is reflected (on
// PostgreSQL through the notifications, on SQLite by reading it). ok is
// false when the counter row is missing (a database being emptied).
// Caches compare it with the version a page was rendered under, which
// PublicVersion reads from the same database as the page's data.
func (s *Store) CurrentPublicVersion(ctx context.Context) (v int64, ok bool, err error) {
	w := s.pub
	if s.dialect.name == "sqlite" {
		return s.sqliteVersion(ctx)
	}
	w.once.Do(func() { s.startListener() })
	w.mu.Lock()
	if w.known {
		v, ok = w.v, w.ok
		w.mu.Unlock()
		return v, ok, nil
	}
	gen := w.gen
	w.mu.Unlock()
	err = s.w.QueryRowContext(ctx, publicVersionQuery).Scan(&v)
	if err == sql.ErrNoRows {
		v, ok, err = 0, false, nil
	} else if err != nil {
		return 0, false, internal("public version", err)
	} else {
		ok = true
	}
	w.mu.Lock()
	if w.listening && w.gen == gen {
		w.known, w.v, w.ok = true, v, ok
	}
	w.mu.Unlock()
	return v, ok, nil
}

func (s *Store) sqliteVersion(ctx context.Context) (v int64, ok bool, err error) {
	w := s.pub
	var hdr [walHdrSize]byte
	w.mu.Lock()
	shm := w.shm
	w.mu.Unlock()
	fresh := shm != nil
	if fresh {
		// The header is read before the counter: a commit in between
		// leaves a header that the next call finds changed.
		if n, err := shm.ReadAt(hdr[:], 0); n != walHdrSize || err != nil {
			fresh = false
		}
	}
	if fresh {
		w.mu.Lock()
		if w.known && hdr == w.hdr {
			v, ok = w.v, w.ok
			w.mu.Unlock()
			return v, ok, nil
		}
		w.mu.Unlock()
	}
	v, ok, err = s.readSQLiteVersion(ctx)
	if err == nil && fresh {
		w.mu.Lock()
		w.known, w.hdr, w.v, w.ok = true, hdr, v, ok
		w.mu.Unlock()
	}
	return v, ok, err
}

// readSQLiteVersion reads the counter with the statement prepared once.
func (s *Store) readSQLiteVersion(ctx context.Context) (v int64, ok bool, err error) {
	w := s.pub
	w.mu.Lock()
	st := w.stmt
	w.mu.Unlock()
	if st == nil {
		if st, err = s.r.primary.PrepareContext(ctx, publicVersionQuery); err != nil {
			return 0, false, internal("public version", err)
		}
		w.mu.Lock()
		if w.stmt == nil {
			w.stmt = st
		} else {
			st.Close()
			st = w.stmt
		}
		w.mu.Unlock()
	}
	err = st.QueryRowContext(ctx).Scan(&v)
	if err == sql.ErrNoRows {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, internal("public version", err)
	}
	return v, true, nil
}

// startListener runs the PostgreSQL listener until Close: it reconnects
// after a lost connection (one attempt a second), and while it is not
// listening every call asks the primary.
func (s *Store) startListener() {
	w := s.pub
	ctx, stop := context.WithCancel(context.Background())
	w.stop, w.done = stop, make(chan struct{})
	go func() {
		defer close(w.done)
		for ctx.Err() == nil {
			s.listen(ctx)
			select {
			case <-ctx.Done():
			case <-time.After(time.Second):
			}
		}
	}()
}

// listen holds one listener connection until it fails or ctx ends.
func (s *Store) listen(ctx context.Context) {
	w := s.pub
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	conn, err := pgx.Connect(cctx, w.dsn)
	cancel()
	if err != nil {
		return
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+publicChannel); err != nil {
		return
	}
	w.mu.Lock()
	w.listening = true
	w.gen++ // a version read before LISTEN may miss a change
	w.known = false
	w.mu.Unlock()
	defer func() {
		w.mu.Lock()
		w.listening = false
		w.gen++
		w.known = false
		w.mu.Unlock()
	}()
	for {
		wctx, cancel := context.WithTimeout(ctx, listenQuiet)
		_, err := conn.WaitForNotification(wctx)
		cancel()
		if err == nil {
			w.invalidate()
			continue
		}
		if ctx.Err() != nil || !errors.Is(err, context.DeadlineExceeded) {
			return // Close, or the connection failed
		}
		// A quiet second: make sure the connection still lives. A
		// connection lost without a word (a dropped network path) would
		// otherwise keep the version trusted while notifications no
		// longer arrive; this bounds that to listenQuiet + listenPing.
		pctx, cancel := context.WithTimeout(ctx, listenPing)
		err = conn.Ping(pctx)
		cancel()
		if err != nil {
			return
		}
	}
}

// closeWatch ends the listener and the prepared statement.
func (w *publicWatch) close() {
	w.once.Do(func() {}) // waits for a listener being started; none after Close
	if w.stop != nil {
		w.stop()
		<-w.done
	}
	if w.stmt != nil {
		w.stmt.Close()
	}
	if w.shm != nil {
		w.shm.Close()
	}
}

// watchSQLite opens the WAL-index file of the database at path, for
// sqliteVersion; without it (not in WAL mode) every call reads the
// counter. Only read, never mapped: a file truncated under us is a short
// read, not a crash.
func (w *publicWatch) watchSQLite(path string) {
	if f, err := os.Open(path + "-shm"); err == nil {
		w.shm = f
	}
}
