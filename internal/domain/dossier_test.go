package domain

import "testing"

// TestDossierStateMachine walks every state × every action, for a
// procedure with the result on paper and one fully online.
func TestDossierStateMachine(t *testing.T) {
	want := map[DossierState]map[DossierAction]DossierState{
		StateReceived:   {ActSubmit: StateSubmitted, ActWithdraw: StateWithdrawn, ActVoid: StateVoided},
		StateSubmitted:  {ActDecline: StateReceived, ActAccept: StateProcessing, ActWithdraw: StateWithdrawn, ActVoid: StateVoided},
		StateProcessing: {ActRequestCorrection: StateCorrection, ActRefuse: StateRefused, ActCollect: StateCollected, ActWithdraw: StateWithdrawn, ActVoid: StateVoided},
		StateCorrection: {ActResubmit: StateSubmitted, ActRefuse: StateRefused, ActWithdraw: StateWithdrawn, ActVoid: StateVoided},
		StateCollected:  {ActReturn: StateReturned, ActWithdraw: StateWithdrawn, ActVoid: StateVoided},
		StateReturned:   {ActVoid: StateVoided},
		StateRefused:    {ActVoid: StateVoided},
		StateWithdrawn:  {ActVoid: StateVoided},
		StateVoided:     {},
	}
	for _, online := range []bool{false, true} {
		for _, from := range DossierStates {
			for _, act := range DossierActions {
				exp, ok := want[from][act]
				if online && from == StateProcessing && act == ActReturn {
					exp, ok = StateReturned, true // the result comes electronically: 3 → 5
				}
				got, err := Transition(from, act, online)
				if ok && (err != nil || got != exp) {
					t.Errorf("online=%v %s --%s--> %s, %v; want %s", online, from, act, got, err, exp)
				}
				if !ok {
					e, isErr := AsError(err)
					if !isErr || e.Key != "dossier.transition_invalid" || got != from {
						t.Errorf("online=%v %s --%s--> allowed (%s)", online, from, act, got)
					}
				}
			}
		}
	}
	// A refusal names what may come next.
	_, err := Transition(StateReceived, ActCollect, false)
	e, _ := AsError(err)
	if next, _ := e.Args["allowed"].([]string); len(next) != 3 || next[0] != "action.submit" {
		t.Fatalf("allowed after received: %v", e.Args["allowed"])
	}
	// A correction loop: 1 → 2 → 3 → 3b → 2 → 3 → 4 → 5.
	s := StateReceived
	for _, a := range []DossierAction{ActSubmit, ActAccept, ActRequestCorrection, ActResubmit, ActAccept, ActCollect, ActReturn} {
		if s, err = Transition(s, a, false); err != nil {
			t.Fatal(err)
		}
	}
	if s != StateReturned || s.Step() != 5 || !s.Final() {
		t.Fatalf("ended in %s", s)
	}
	today := MustDate("2024-10-31")
	if CheckStepDate(MustDate("2024-11-01"), Date{}, today) == nil || CheckStepDate(MustDate("2024-10-01"), MustDate("2024-10-02"), today) == nil ||
		CheckStepDate(MustDate("2024-10-02"), MustDate("2024-10-02"), today) != nil {
		t.Fatal("CheckStepDate")
	}
}

func TestOverdue(t *testing.T) {
	days := map[Date]DayOff{MustDate("2024-09-02"): {Kind: "off"}, MustDate("2024-09-03"): {Kind: "off"}}
	// Collected Saturday 31/08/2024: Sunday and the 2/9 holidays skipped, due Wednesday 04/09.
	d := Dossier{State: StateCollected, CollectedOn: MustDate("2024-08-31")}
	if Overdue(d, 1, MustDate("2024-09-04"), days) || !Overdue(d, 1, MustDate("2024-09-05"), days) {
		t.Fatal("collected overdue")
	}
	// With the agency from Friday 30/08 for 3 working days (weekend and the
	// 2/9 holidays skipped): due Friday 06/09.
	p := Dossier{State: StateProcessing, LastStepOn: MustDate("2024-08-30")}
	if Overdue(p, 3, MustDate("2024-09-06"), days) || !Overdue(p, 3, MustDate("2024-09-07"), days) {
		t.Fatal("processing overdue")
	}
	if Overdue(Dossier{State: StateReturned}, 1, MustDate("2030-01-01"), days) {
		t.Fatal("a returned dossier is never overdue")
	}
}

func TestPortalCodeUsual(t *testing.T) {
	for code, want := range map[string]bool{
		"H55.242-250310-0007": true, "G22.99-241001-0002": true, "G01.DVC-261030-7777": true,
		"H15.24-E2E-0001": false, "250310-0007": false, "h55.242-250310-0007": false, "H55.242 250310 0007": false, "": false,
	} {
		if got := PortalCodeUsual(code); got != want {
			t.Errorf("%q: %v, want %v", code, got, want)
		}
	}
}
