// Package config reads Thôn Số's settings from flags and THONSO_*
// environment variables; the result is passed down, never global.
package config

import (
	"flag"
	"os"
	"strings"

	"thonso/internal/domain"
)

// DefaultDB is the embedded database a fresh machine gets.
const DefaultDB = "sqlite:thonso.db"

// Config holds the settings shared by the commands.
type Config struct {
	DB   string // sqlite:PATH or postgres://…
	Addr string // where serve listens
	Lang string // language of command-line messages: vi or en
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
	if v := os.Getenv("THONSO_LANG"); strings.HasPrefix(v, "en") {
		c.Lang = "en"
	}
	return c
}

// DBFlag registers --db on fs, defaulting to c.DB.
func (c *Config) DBFlag(fs *flag.FlagSet) {
	fs.StringVar(&c.DB, "db", c.DB, "database: sqlite:PATH or postgres://USER@HOST:PORT/DB (env THONSO_DB)")
}

// Validate checks the settings before anything is opened.
func (c Config) Validate() error {
	if !strings.HasPrefix(c.DB, "sqlite:") && !strings.HasPrefix(c.DB, "postgres://") && !strings.HasPrefix(c.DB, "postgresql://") {
		return domain.Errorf(domain.EINVALID, "db.dsn_unknown", "dsn", c.DB)
	}
	return nil
}
