package cli

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"time"

	"golang.org/x/term"

	"thonso/internal/domain"
	"thonso/internal/store"
	"thonso/internal/textvi"
)

// runUser: thonso user add --login L [--phone P] --name "…" --role ROLE [--unit CODE[@DATE]] [--password-stdin].
func runUser(e *env, args []string) error {
	if len(args) == 0 || args[0] != "add" {
		fs := e.flags("user")
		fs.Usage()
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return nil
		}
		return domain.Errorf(domain.EINVALID, "cli.missing_args", "what", "“add”")
	}
	fs := e.flags("user")
	e.cfg.DBFlag(fs)
	login := fs.String("login", "", "login name (letters, digits, . _ -)")
	phone := fs.String("phone", "", "phone number, also usable to log in")
	name := fs.String("name", "", "full name")
	role := fs.String("role", "", "admin, officer, team_leader, member or viewer")
	unit := fs.String("unit", "", "CODE[@DATE] of the unit the role covers (not for admin); DATE defaults to today")
	stdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input instead of prompting")
	if err := e.parse(fs, args[1:]); err != nil {
		return err
	}
	if *login == "" || *name == "" || *role == "" {
		return domain.Errorf(domain.EINVALID, "cli.missing_args", "what", "--login, --name, --role")
	}
	r := domain.Role(*role)
	if !r.Valid() {
		return domain.Errorf(domain.EINVALID, "grant.role_invalid", "role", *role)
	}
	s, err := e.openReady()
	if err != nil {
		return err
	}
	defer s.Close()
	var unitID int64
	if r.NeedsUnit() {
		if *unit == "" {
			return domain.Errorf(domain.EINVALID, "grant.unit_missing")
		}
		u, err := e.resolveUnit(s, *unit)
		if err != nil {
			return err
		}
		unitID = u.ID
	} else if *unit != "" {
		return domain.Errorf(domain.EINVALID, "grant.admin_no_unit")
	}
	pw, err := e.readPassword(*stdin)
	if err != nil {
		return err
	}
	if err := domain.CheckPassword(pw); err != nil {
		return err
	}
	u, err := s.CreateUser(e.ctx, domain.CLIActor(), store.NewUser{Login: *login, Phone: *phone, Name: *name, PasswordHash: domain.HashPassword(pw)}, r, unitID)
	if err != nil {
		return err
	}
	e.println(e.t("cli.user_added", "login", u.Login, "role", e.t("role."+string(r))))
	return nil
}

// resolveUnit reads CODE[@DATE] (DATE dd/mm/yyyy or ISO, today by default).
func (e *env) resolveUnit(s *store.Store, arg string) (domain.Unit, error) {
	code, when, _ := strings.Cut(arg, "@")
	at := domain.DateOf(time.Now())
	if when != "" {
		d, err := textvi.ParseDate(when)
		if err != nil {
			return domain.Unit{}, err
		}
		at = d
	}
	return s.UnitAt(e.ctx, code, at)
}

// readPassword reads a password: the first line of stdin, or a prompt
// without echo on a terminal, asked twice.
func (e *env) readPassword(fromStdin bool) (string, error) {
	if f, ok := e.stdin.(*os.File); ok && !fromStdin && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(e.stderr, e.t("cli.password_prompt"))
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(e.stderr)
		if err != nil {
			return "", err
		}
		fmt.Fprint(e.stderr, e.t("cli.password_again"))
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(e.stderr)
		if err != nil {
			return "", err
		}
		if string(a) != string(b) {
			return "", domain.Errorf(domain.EINVALID, "password.mismatch")
		}
		return string(a), nil
	}
	if !fromStdin {
		fmt.Fprint(e.stderr, e.t("cli.password_prompt"))
	}
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", domain.Errorf(domain.EINVALID, "password.too_short", "min", domain.MinPasswordLen)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// runToken: thonso token create --login L [--expires DAYS] [--name N].
func runToken(e *env, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		fs := e.flags("token")
		fs.Usage()
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return nil
		}
		return domain.Errorf(domain.EINVALID, "cli.missing_args", "what", "“create”")
	}
	fs := e.flags("token")
	e.cfg.DBFlag(fs)
	login := fs.String("login", "", "the user the token acts as")
	days := fs.Int("expires", 0, "days until the token expires (0: never)")
	name := fs.String("name", "", "a note saying what the token is for")
	if err := e.parse(fs, args[1:]); err != nil {
		return err
	}
	if *login == "" {
		return domain.Errorf(domain.EINVALID, "cli.missing_args", "what", "--login")
	}
	if *days < 0 {
		return domain.Errorf(domain.EINVALID, "cli.bad_flag", "reason", "--expires")
	}
	s, err := e.openReady()
	if err != nil {
		return err
	}
	defer s.Close()
	u, _, err := s.Credentials(e.ctx, *login)
	if err != nil {
		return err
	}
	secret, t, err := s.CreateToken(e.ctx, domain.CLIActor(), u.ID, *name, time.Duration(*days)*24*time.Hour)
	if err != nil {
		return err
	}
	if t.ExpiresAt != nil {
		e.println(e.t("cli.token_created_until", "login", u.Login, "date", domain.DateOf(*t.ExpiresAt)))
	} else {
		e.println(e.t("cli.token_created", "login", u.Login))
	}
	e.println(secret)
	return nil
}
