// Package domain holds the entities and rules of Thôn Số that need no
// database: units and their history, civil dates, errors.
package domain

import (
	"errors"
	"fmt"
)

// Error codes. Each maps to one HTTP status in the api and web packages.
const (
	EINVALID      = "EINVALID"
	ENOTFOUND     = "ENOTFOUND"
	ECONFLICT     = "ECONFLICT"
	EFORBIDDEN    = "EFORBIDDEN"
	EUNAUTHORIZED = "EUNAUTHORIZED"
	EINTERNAL     = "EINTERNAL"
)

// Error is the one error type domain and store code return for anything a
// user can act on. Key is a translation key (internal/i18n); Args fill its
// placeholders; Field pins the message to a form input or JSON field.
type Error struct {
	Code  string
	Key   string
	Args  map[string]any
	Field string
}

func (e *Error) Error() string {
	if len(e.Args) == 0 {
		return fmt.Sprintf("%s: %s", e.Code, e.Key)
	}
	return fmt.Sprintf("%s: %s %v", e.Code, e.Key, e.Args)
}

// Errorf builds an Error; args are name/value pairs.
func Errorf(code, key string, kv ...any) *Error {
	e := &Error{Code: code, Key: key}
	if len(kv) > 0 {
		e.Args = make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			e.Args[fmt.Sprint(kv[i])] = kv[i+1]
		}
	}
	return e
}

// WithField returns the error pinned to a field.
func (e *Error) WithField(f string) *Error { e.Field = f; return e }

// ErrorCode returns the code of err, EINTERNAL for anything that is not an *Error.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// AsError returns err as an *Error when it is one.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// RowError is one problem found in one row of an input file.
type RowError struct {
	File   string
	Row    int
	Column string // the column's header as written in the file, when known
	Err    *Error
}

// FileErrors is every problem found in the files of one import; the import
// changes nothing when it is returned.
type FileErrors struct {
	Rows []RowError
}

func (f *FileErrors) Error() string {
	if len(f.Rows) == 0 {
		return "no errors"
	}
	r := f.Rows[0]
	return fmt.Sprintf("%d errors; first: %s row %d: %v", len(f.Rows), r.File, r.Row, r.Err)
}

// Add records a problem.
func (f *FileErrors) Add(file string, row int, e *Error) {
	f.Rows = append(f.Rows, RowError{File: file, Row: row, Err: e})
}

// Err returns f when it holds problems, nil otherwise.
func (f *FileErrors) Err() error {
	if len(f.Rows) == 0 {
		return nil
	}
	return f
}

// ErrorField returns the field err is pinned to, "" when none.
func ErrorField(err error) string {
	if e, ok := AsError(err); ok {
		return e.Field
	}
	return ""
}
