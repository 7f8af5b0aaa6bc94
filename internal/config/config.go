// Package config reads Thôn Số's settings from flags and THONSO_*
// environment variables; the result is passed down, never global.
package config

import (
	"flag"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"thonso/internal/domain"
)

// DefaultDB is the embedded database a fresh machine gets.
const DefaultDB = "sqlite:thonso.db"

// Config holds the settings shared by the commands.
type Config struct {
	DB string // sqlite:PATH or postgres://…
	// DBRead are PostgreSQL hot standbys that serve read-only work
	// (dashboards, public pages, exports, the stats API); DBReadMaxLag is
	// how far behind one may be and still serve.
	DBRead       []string
	DBReadMaxLag time.Duration
	Addr         string // where serve listens
	Lang         string // language of command-line messages: vi or en
	// TrustedProxies may set X-Forwarded-For (comma-separated IPs or CIDRs).
	TrustedProxies string
	// PublicURL is the address residents reach the site at
	// (https://thonso.example.vn): QR codes and posters carry it.
	PublicURL string
	// ExportSyncVillages: a unit with more villages exports in the
	// background (0: the web server's default).
	ExportSyncVillages int
	// ExportWorkers is how many background exports run at once.
	ExportWorkers int
	// BackupDir, when set, makes serve write a backup there every
	// BackupEvery, keeping the newest BackupKeep.
	BackupDir   string
	BackupEvery time.Duration
	BackupKeep  int
	// RetentionYears, when above 0, is how long practice-dossier details
	// and session logs are kept: serve removes older ones daily, and
	// thonso retention does it once (0: kept; the commune decides).
	RetentionYears int
	// LogFormat is text or json; LogLevel debug, info, warn or error.
	LogFormat string
	LogLevel  string
}

// FromEnv returns the defaults overridden by THONSO_DB, THONSO_ADDR and THONSO_LANG.
func FromEnv() Config {
	c := Config{DB: DefaultDB, Addr: "127.0.0.1:8080", Lang: "vi"}
	if v := os.Getenv("THONSO_DB"); v != "" {
		c.DB = v
	}
	if v := os.Getenv("THONSO_ADDR"); v != "" {
		c.Addr = v
	}
	for _, d := range strings.Split(os.Getenv("THONSO_DB_READ"), ",") {
		if d = strings.TrimSpace(d); d != "" {
			c.DBRead = append(c.DBRead, d)
		}
	}
	c.DBReadMaxLag = 30 * time.Second
	if d, err := time.ParseDuration(os.Getenv("THONSO_DB_READ_MAX_LAG")); err == nil {
		c.DBReadMaxLag = d
	}
	c.TrustedProxies = os.Getenv("THONSO_TRUSTED_PROXIES")
	c.BackupDir = os.Getenv("THONSO_BACKUP_DIR")
	c.BackupEvery = 24 * time.Hour
	if d, err := time.ParseDuration(os.Getenv("THONSO_BACKUP_EVERY")); err == nil {
		c.BackupEvery = d
	}
	c.BackupKeep = 7
	if n, err := strconv.Atoi(os.Getenv("THONSO_BACKUP_KEEP")); err == nil {
		c.BackupKeep = n
	}
	c.RetentionYears, _ = strconv.Atoi(os.Getenv("THONSO_RETENTION_YEARS"))
	c.LogFormat = "text"
	if v := os.Getenv("THONSO_LOG_FORMAT"); v != "" {
		c.LogFormat = v
	}
	c.LogLevel = "warn"
	if v := os.Getenv("THONSO_LOG_LEVEL"); v != "" {
		c.LogLevel = v
	}
	c.PublicURL = os.Getenv("THONSO_PUBLIC_URL")
	c.ExportSyncVillages, _ = strconv.Atoi(os.Getenv("THONSO_EXPORT_SYNC_VILLAGES"))
	c.ExportWorkers = 2
	if n, err := strconv.Atoi(os.Getenv("THONSO_EXPORT_WORKERS")); err == nil && n > 0 {
		c.ExportWorkers = n
	}
	if v := os.Getenv("THONSO_LANG"); strings.HasPrefix(v, "en") {
		c.Lang = "en"
	}
	return c
}

// DBFlag registers --db on fs, defaulting to c.DB.
func (c *Config) DBFlag(fs *flag.FlagSet) {
	fs.StringVar(&c.DB, "db", c.DB, "database: sqlite:PATH or postgres://USER@HOST:PORT/DB (env THONSO_DB)")
}

// DBReadFlags registers --db-read (repeatable) and --db-read-max-lag on fs.
// A --db-read given on the command line replaces THONSO_DB_READ's list.
func (c *Config) DBReadFlags(fs *flag.FlagSet) {
	fromEnv := true
	fs.Func("db-read", "a PostgreSQL hot standby for read-only work: dashboards, public pages, exports, the stats API; repeat for several (env THONSO_DB_READ, comma-separated)", func(v string) error {
		if fromEnv {
			c.DBRead, fromEnv = nil, false
		}
		c.DBRead = append(c.DBRead, v)
		return nil
	})
	fs.DurationVar(&c.DBReadMaxLag, "db-read-max-lag", c.DBReadMaxLag, "a replica further behind the primary serves nothing until it catches up (env THONSO_DB_READ_MAX_LAG)")
}

// CheckReplicas refuses read replicas the database cannot have: SQLite
// has no standby to read from.
func (c Config) CheckReplicas() error {
	if len(c.DBRead) == 0 {
		return nil
	}
	if strings.HasPrefix(c.DB, "sqlite:") {
		return domain.Errorf(domain.EINVALID, "db.read_sqlite")
	}
	if c.DBReadMaxLag < time.Second {
		return domain.Errorf(domain.EINVALID, "cli.bad_flag", "reason", "--db-read-max-lag "+c.DBReadMaxLag.String()+" (>= 1s)")
	}
	for _, d := range c.DBRead {
		if !strings.HasPrefix(d, "postgres://") && !strings.HasPrefix(d, "postgresql://") {
			return domain.Errorf(domain.EINVALID, "db.read_dsn")
		}
	}
	return nil
}

// Validate checks the settings before anything is opened.
func (c Config) Validate() error {
	if !strings.HasPrefix(c.DB, "sqlite:") && !strings.HasPrefix(c.DB, "postgres://") && !strings.HasPrefix(c.DB, "postgresql://") {
		return domain.Errorf(domain.EINVALID, "db.dsn_unknown", "dsn", c.DB)
	}
	return nil
}

// CheckPublicURL checks the public base URL: empty (use the request's
// host), or an absolute http(s) URL with a host and no query.
func (c Config) CheckPublicURL() error {
	if c.PublicURL == "" {
		return nil
	}
	u, err := url.Parse(c.PublicURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return domain.Errorf(domain.EINVALID, "cli.bad_flag", "reason", "--public-url "+c.PublicURL)
	}
	return nil
}

// Proxies parses TrustedProxies.
func (c Config) Proxies() ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, part := range strings.Split(c.TrustedProxies, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if !strings.Contains(part, "/") {
			a, err := netip.ParseAddr(part)
			if err != nil {
				return nil, domain.Errorf(domain.EINVALID, "cli.bad_flag", "reason", "--trusted-proxy "+part)
			}
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(part)
		if err != nil {
			return nil, domain.Errorf(domain.EINVALID, "cli.bad_flag", "reason", "--trusted-proxy "+part)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// CheckServe checks the settings only serve uses.
func (c Config) CheckServe() error {
	if c.RetentionYears < 0 {
		return domain.Errorf(domain.EINVALID, "retention.years_invalid").WithField("retention_years")
	}
	if c.BackupDir != "" {
		if st, err := os.Stat(c.BackupDir); err != nil || !st.IsDir() {
			return domain.Errorf(domain.EINVALID, "cli.bad_flag", "reason", "--backup-dir "+c.BackupDir)
		}
		if c.BackupEvery < time.Minute {
			return domain.Errorf(domain.EINVALID, "cli.bad_flag", "reason", "--backup-every "+c.BackupEvery.String()+" (>= 1m)")
		}
		if c.BackupKeep < 1 {
			return domain.Errorf(domain.EINVALID, "cli.bad_flag", "reason", "--backup-keep "+strconv.Itoa(c.BackupKeep)+" (>= 1)")
		}
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return domain.Errorf(domain.EINVALID, "cli.bad_flag", "reason", "--log-format "+c.LogFormat+" (text|json)")
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return domain.Errorf(domain.EINVALID, "cli.bad_flag", "reason", "--log-level "+c.LogLevel+" (debug|info|warn|error)")
	}
	return nil
}
