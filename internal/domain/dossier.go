package domain

import (
	"crypto/rand"
	"regexp"
	"sort"
	"time"
)

// DossierState is where an assisted dossier stands. The five steps keep
// their meaning whatever a province calls them; correction_requested is a
// state within step 3; refused, withdrawn and voided end a dossier.
type DossierState string

const (
	StateReceived   DossierState = "received"             // 1 Tiếp nhận
	StateSubmitted  DossierState = "submitted"            // 2 Đã nộp trực tuyến
	StateProcessing DossierState = "processing"           // 3 Cơ quan đang xử lý
	StateCorrection DossierState = "correction_requested" // 3 Yêu cầu bổ sung
	StateCollected  DossierState = "result_collected"     // 4 Đã nhận kết quả tại xã
	StateReturned   DossierState = "result_returned"      // 5 Đã trả kết quả
	StateRefused    DossierState = "refused"              // Từ chối (end)
	StateWithdrawn  DossierState = "withdrawn"            // Rút hồ sơ (end)
	StateVoided     DossierState = "voided"               // Huỷ, nhập nhầm (end; counts nowhere)
)

// DossierStates lists every state, in step order.
var DossierStates = []DossierState{StateReceived, StateSubmitted, StateProcessing, StateCorrection, StateCollected, StateReturned,
	StateRefused, StateWithdrawn, StateVoided}

// Step is the step number of a state (0 for the end states other than 5).
func (s DossierState) Step() int {
	switch s {
	case StateReceived:
		return 1
	case StateSubmitted:
		return 2
	case StateProcessing, StateCorrection:
		return 3
	case StateCollected:
		return 4
	case StateReturned:
		return 5
	}
	return 0
}

// Final reports whether nothing can follow (but voiding a mistake).
func (s DossierState) Final() bool {
	return s == StateReturned || s == StateRefused || s == StateWithdrawn || s == StateVoided
}

// DossierAction moves a dossier from one state to another.
type DossierAction string

const (
	ActSubmit            DossierAction = "submit"             // 1 → 2, with the portal's dossier code
	ActDecline           DossierAction = "decline"            // 2 → 1: the portal would not accept it (reason)
	ActAccept            DossierAction = "accept"             // 2 → 3: the agency took it
	ActRequestCorrection DossierAction = "request_correction" // 3 → 3 (correction requested; what is missing)
	ActResubmit          DossierAction = "resubmit"           // correction → 2
	ActRefuse            DossierAction = "refuse"             // 3 → refused (reason)
	ActCollect           DossierAction = "collect"            // 3 → 4
	ActReturn            DossierAction = "return"             // 4 → 5; 3 → 5 when the result comes electronically
	ActWithdraw          DossierAction = "withdraw"           // before 5 → withdrawn, at the resident's wish
	ActVoid              DossierAction = "void"               // entered by mistake → voided (reason)
)

// DossierActions lists every action.
var DossierActions = []DossierAction{ActSubmit, ActDecline, ActAccept, ActRequestCorrection, ActResubmit, ActRefuse, ActCollect, ActReturn, ActWithdraw, ActVoid}

// transitions is the whole state machine: from → action → to.
var transitions = map[DossierState]map[DossierAction]DossierState{
	StateReceived:   {ActSubmit: StateSubmitted, ActWithdraw: StateWithdrawn, ActVoid: StateVoided},
	StateSubmitted:  {ActDecline: StateReceived, ActAccept: StateProcessing, ActWithdraw: StateWithdrawn, ActVoid: StateVoided},
	StateProcessing: {ActRequestCorrection: StateCorrection, ActRefuse: StateRefused, ActCollect: StateCollected, ActReturn: StateReturned, ActWithdraw: StateWithdrawn, ActVoid: StateVoided},
	StateCorrection: {ActResubmit: StateSubmitted, ActRefuse: StateRefused, ActWithdraw: StateWithdrawn, ActVoid: StateVoided},
	StateCollected:  {ActReturn: StateReturned, ActWithdraw: StateWithdrawn, ActVoid: StateVoided},
	StateReturned:   {ActVoid: StateVoided},
	StateRefused:    {ActVoid: StateVoided},
	StateWithdrawn:  {ActVoid: StateVoided},
	StateVoided:     {},
}

// Allowed lists the actions possible from a state (for a fully online
// procedure, returning straight from step 3 is one of them).
func Allowed(from DossierState, fullyOnline bool) []DossierAction {
	var out []DossierAction
	for a := range transitions[from] {
		if a == ActReturn && from == StateProcessing && !fullyOnline {
			continue
		}
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return actionOrder(out[i]) < actionOrder(out[j]) })
	return out
}

func actionOrder(a DossierAction) int {
	for i, x := range DossierActions {
		if x == a {
			return i
		}
	}
	return len(DossierActions)
}

// Transition checks an action against the state machine and returns the
// next state. A refused move names the state and what may come next.
func Transition(from DossierState, act DossierAction, fullyOnline bool) (DossierState, error) {
	to, ok := transitions[from][act]
	if ok && act == ActReturn && from == StateProcessing && !fullyOnline {
		ok = false // step 5 without step 4 only when the result comes online
	}
	if !ok {
		// Args are translation keys, so the message names steps in words.
		var next []string
		for _, a := range Allowed(from, fullyOnline) {
			next = append(next, "action."+string(a))
		}
		return from, Errorf(EINVALID, "dossier.transition_invalid", "from", "state."+string(from), "action", "action."+string(act), "allowed", next).WithField("action")
	}
	return to, nil
}

// StepChange is one recorded transition of a dossier: who, when, why.
type StepChange struct {
	Action DossierAction
	From   DossierState
	To     DossierState
	On     Date
	ByUser int64
	Note   string
}

// CheckStepDate refuses a step dated before the previous one or after today.
func CheckStepDate(on, previous, today Date) error {
	if on.IsZero() {
		return Errorf(EINVALID, "dossier.date_missing").WithField("on")
	}
	if on.After(today) {
		return Errorf(EINVALID, "dossier.date_future", "date", on).WithField("on")
	}
	if !previous.IsZero() && on.Before(previous) {
		return Errorf(EINVALID, "dossier.date_before_previous", "date", on, "previous", previous).WithField("on")
	}
	return nil
}

// lookupAlphabet has 32 letters without look-alikes (no 0/O, 1/I).
const lookupAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

// NewLookupCode returns the 8-character code printed on a receipt slip
// (40 random bits): residents type it to check their dossier.
func NewLookupCode() string {
	b := make([]byte, 5)
	rand.Read(b)
	v := uint64(b[0])<<32 | uint64(b[1])<<24 | uint64(b[2])<<16 | uint64(b[3])<<8 | uint64(b[4])
	out := make([]byte, 8)
	for i := 7; i >= 0; i-- {
		out[i] = lookupAlphabet[v&31]
		v >>= 5
	}
	return string(out)
}

// NewDevicePrefix makes the 3-letter prefix of a phone's offline lookup
// codes (CONVENTIONS.md: a device prefix plus at least 40 random bits).
func NewDevicePrefix() string {
	b := make([]byte, 3)
	rand.Read(b)
	out := make([]byte, 3)
	for i := range b {
		out[i] = lookupAlphabet[b[i]&31]
	}
	return string(out)
}

// Dossier is one assisted application.
type Dossier struct {
	ID             int64
	VillageID      int64
	ProcedureID    int64
	ApplicantID    int64 // a resident of the registry, or 0 for a visitor
	ApplicantName  string
	ApplicantPhone string
	SubjectName    string // the person it concerns, when not the applicant
	Practice       bool   // a member practising on their own family's papers
	MemberID       int64
	HelperIDs      []int64 // other members who helped, besides MemberID
	Portal         string
	PortalCode     string
	LookupCode     string
	State          DossierState
	ReceivedOn     Date
	SubmittedOn    Date
	CollectedOn    Date
	ReturnedOn     Date
	EndedOn        Date
	LastStepOn     Date
	Version        int
	Linked         []int64 // procedures filed together (liên thông), read with one dossier
	// DocumentsReceived are the checklist papers ticked as received.
	DocumentsReceived []string
}

// Overdue says whether a dossier is late on today: a result collected and
// not returned by the next day that is not a Sunday or a day off, or a
// dossier with the agency (step 3) longer than the procedure's processing
// time in working days.
func Overdue(d Dossier, processingDays int, today Date, days map[Date]DayOff) bool {
	switch d.State {
	case StateCollected:
		due := d.CollectedOn.AddDays(1)
		for due.Time().Weekday() == time.Sunday || isOff(due, days) {
			due = due.AddDays(1)
		}
		return today.After(due)
	case StateProcessing, StateCorrection:
		if d.State == StateCorrection {
			return false // waiting on the team, not the agency
		}
		return today.After(AddWorkingDays(d.LastStepOn, processingDays, days))
	}
	return false
}

func isOff(d Date, days map[Date]DayOff) bool {
	x, ok := days[d]
	return ok && x.Kind == "off"
}

// portalCodeShape is the usual shape of a portal's dossier code:
// AGENCY-YYMMDD-NNNN, the agency being dotted letters and digits
// (H55.242-250310-0007, G22.99-241001-0002).
var portalCodeShape = regexp.MustCompile(`^[A-Z][A-Z0-9]*(\.[A-Z0-9]+)*-[0-9]{6}-[0-9]{3,6}$`)

// PortalCodeUsual reports whether a portal code has the usual shape. An
// unusual one is kept (portals differ) but the team is asked to check it.
func PortalCodeUsual(code string) bool { return portalCodeShape.MatchString(code) }
