package domain

import (
	"slices"
	"strconv"
	"time"
)

// Consent purposes: what a person agreed to (Law 91/2025/QH15: consent
// names its purpose).
const (
	ConsentPublicPhone  = "public_phone"  // a team member's phone on the village page and poster
	ConsentContactPhone = "contact_phone" // the team may call a resident
)

// ConsentPurposes lists the purposes a consent may be for, by subject kind.
var ConsentPurposes = map[string][]string{
	"member":   {ConsentPublicPhone},
	"resident": {ConsentContactPhone},
}

// ConsentWays are how a consent was given ("unknown": recorded before
// the way was asked).
var ConsentWays = []string{"in_person", "paper_form", "phone", "zalo", "other"}

// Consent is one person's consent for one purpose, from given_on until
// withdrawn_on (not included).
type Consent struct {
	ID          int64
	SubjectKind string // member, resident
	SubjectID   int64
	UnitID      int64
	Purpose     string
	GivenOn     Date
	How         string
	Note        string
	WithdrawnOn Date
	RecordedBy  int64
	CreatedAt   time.Time
}

// InForce reports whether c holds on d.
func (c Consent) InForce(d Date) bool {
	return !c.GivenOn.After(d) && (c.WithdrawnOn.IsZero() || d.Before(c.WithdrawnOn))
}

// Validate checks a consent being recorded on today.
func (c Consent) Validate(today Date) error {
	if !slices.Contains(ConsentPurposes[c.SubjectKind], c.Purpose) {
		return Errorf(EINVALID, "consent.purpose_invalid").WithField("consent_purpose")
	}
	if c.GivenOn.IsZero() {
		return Errorf(EINVALID, "consent.given_missing").WithField("given_on")
	}
	if c.GivenOn.After(today) {
		return Errorf(EINVALID, "consent.given_future").WithField("given_on")
	}
	if !slices.Contains(ConsentWays, c.How) {
		return Errorf(EINVALID, "consent.how_invalid").WithField("how")
	}
	return CheckLength(c.Note, MaxNote, "note")
}

// Subject request kinds: the rights a resident exercises.
const (
	RequestSee     = "see"
	RequestCorrect = "correct"
	RequestDelete  = "delete"
)

// RequestKinds lists the kinds of subject request.
var RequestKinds = []string{RequestSee, RequestCorrect, RequestDelete}

// Subject request states.
const (
	RequestReceived = "received"
	RequestDone     = "done"
	RequestRefused  = "refused"
)

// RequestDueWorkingDays is how many working days a request may take
// (counted from the day after receipt, skipping weekends and days off).
const RequestDueWorkingDays = 2

// SubjectRequest is a resident's request about their own data.
type SubjectRequest struct {
	ID         int64
	ResidentID int64
	VillageID  int64
	Kind       string
	ReceivedOn Date
	DueOn      Date
	State      string
	Note       string
	Reason     string // why it was refused
	ClosedOn   Date
	RecordedBy int64
	ClosedBy   int64
	CreatedAt  time.Time
	Version    int

	ResidentName string // for lists
}

// Overdue reports whether r is still open after its due date on today.
func (r SubjectRequest) Overdue(today Date) bool {
	return r.State == RequestReceived && today.After(r.DueOn)
}

// RequestDue is the due date of a request received on d.
func RequestDue(d Date, days map[Date]DayOff) Date {
	return AddWorkingDays(d, RequestDueWorkingDays, days)
}

// Validate checks a new request on today.
func (r SubjectRequest) Validate(today Date) error {
	if !slices.Contains(RequestKinds, r.Kind) {
		return Errorf(EINVALID, "request.kind_invalid").WithField("kind")
	}
	if r.ReceivedOn.IsZero() {
		return Errorf(EINVALID, "request.received_missing").WithField("received_on")
	}
	if r.ReceivedOn.After(today) {
		return Errorf(EINVALID, "request.received_future").WithField("received_on")
	}
	return CheckLength(r.Note, MaxNote, "request_note")
}

// ErasedName is the name an anonymised resident keeps, so lists and
// provenance still show a row while nobody can tell who it was.
func ErasedName(id int64) string { return "Người dân đã xoá #" + strconv.FormatInt(id, 10) }
