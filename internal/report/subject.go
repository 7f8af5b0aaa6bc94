package report

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/go-fonts/dejavu/dejavusans"
	"github.com/go-fonts/dejavu/dejavusansbold"
	"github.com/go-pdf/fpdf"

	"thonso/internal/domain"
	"thonso/internal/store"
)

// SubjectFile is the JSON a resident receives for a "see" request:
// everything held about them, field names in English snake_case, dates ISO.
type SubjectFile struct {
	RequestID   int64               `json:"request_id"`
	Made        time.Time           `json:"made"`
	Resident    subjectResident     `json:"resident"`
	Household   subjectHousehold    `json:"household"`
	Dossiers    []subjectDossier    `json:"dossiers"`
	Trainings   []subjectTraining   `json:"trainings"`
	Memberships []subjectMembership `json:"team_memberships"`
	Consents    []subjectConsent    `json:"consents"`
	Requests    []subjectRequest    `json:"requests"`
	Audit       []subjectAudit      `json:"audit"`
}

type subjectResident struct {
	ID              int64       `json:"id"`
	FullName        string      `json:"full_name"`
	BirthDate       domain.Date `json:"birth_date"`
	BirthYearOnly   bool        `json:"birth_year_only"`
	Sex             string      `json:"sex"`
	Phone           *string     `json:"phone"`
	CCCD            *string     `json:"cccd"`
	Relation        string      `json:"relation"`
	Village         string      `json:"village"`
	VillageCode     string      `json:"village_code"`
	MovedIn         domain.Date `json:"moved_in"`
	LeftOn          domain.Date `json:"left_on"`
	LeftReason      *string     `json:"left_reason"`
	SmartphoneSince domain.Date `json:"smartphone_since"`
	VNeIDSince      domain.Date `json:"vneid_since"`
	PortalSince     domain.Date `json:"portal_since"`
	BankSince       domain.Date `json:"bank_since"`
	ErasedOn        domain.Date `json:"erased_on"`
}

type subjectHousehold struct {
	ID        int64       `json:"id"`
	Number    string      `json:"number"`
	Hamlet    string      `json:"hamlet"`
	Address   string      `json:"address"`
	BankSince domain.Date `json:"bank_since"`
	ZaloSince domain.Date `json:"zalo_since"`
}

type subjectDossier struct {
	ID            int64       `json:"id"`
	Procedure     string      `json:"procedure"`
	ApplicantName string      `json:"applicant_name"`
	Phone         *string     `json:"applicant_phone"`
	SubjectName   string      `json:"subject_name"`
	Portal        string      `json:"portal"`
	PortalCode    *string     `json:"portal_code"`
	State         string      `json:"state"`
	ReceivedOn    domain.Date `json:"received_on"`
	ReturnedOn    domain.Date `json:"returned_on"`
	Practice      bool        `json:"practice"`
}

type subjectTraining struct {
	On    domain.Date `json:"on"`
	Topic string      `json:"topic"`
	Place string      `json:"place"`
}

type subjectMembership struct {
	MemberID    int64       `json:"member_id"`
	FullName    string      `json:"full_name"`
	Phone       *string     `json:"phone"`
	Role        string      `json:"role"`
	JoinedOn    domain.Date `json:"joined_on"`
	LeftOn      domain.Date `json:"left_on"`
	PhonePublic bool        `json:"phone_public"`
}

type subjectConsent struct {
	Purpose     string      `json:"purpose"`
	GivenOn     domain.Date `json:"given_on"`
	How         string      `json:"how"`
	Note        string      `json:"note"`
	WithdrawnOn domain.Date `json:"withdrawn_on"`
}

type subjectRequest struct {
	ID         int64       `json:"id"`
	Kind       string      `json:"kind"`
	ReceivedOn domain.Date `json:"received_on"`
	DueOn      domain.Date `json:"due_on"`
	State      string      `json:"state"`
	Reason     string      `json:"reason"`
	ClosedOn   domain.Date `json:"closed_on"`
}

type subjectAudit struct {
	At      time.Time      `json:"at"`
	Login   string         `json:"login"`
	Action  string         `json:"action"`
	Purpose *string        `json:"purpose"`
	Changes []store.Change `json:"changes"`
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// NewSubjectFile shapes a resident's data for the JSON file.
func NewSubjectFile(d store.SubjectData, requestID int64, made time.Time) SubjectFile {
	r := d.Resident
	f := SubjectFile{RequestID: requestID, Made: made.UTC(),
		Resident: subjectResident{ID: r.ID, FullName: r.FullName, BirthDate: r.BirthDate, BirthYearOnly: r.YearOnly, Sex: string(r.Sex),
			Phone: optional(r.Phone), CCCD: optional(r.CCCD), Relation: string(r.Relation), Village: d.Village.Name, VillageCode: d.Village.Code,
			MovedIn: r.MovedIn, LeftOn: r.LeftOn, LeftReason: optional(string(r.LeftReason)), SmartphoneSince: r.Smartphone.Since,
			VNeIDSince: r.VNeID.Since, PortalSince: r.Portal.Since, BankSince: r.PersonalBank.Since, ErasedOn: r.ErasedOn},
		Household: subjectHousehold{ID: d.Household.ID, Number: d.Household.Number, Hamlet: d.Household.Hamlet, Address: d.Household.Address,
			BankSince: d.Household.Bank.Since, ZaloSince: d.Household.Zalo.Since},
		Dossiers: []subjectDossier{}, Trainings: []subjectTraining{}, Memberships: []subjectMembership{}, Consents: []subjectConsent{},
		Requests: []subjectRequest{}, Audit: []subjectAudit{}}
	for _, x := range d.Dossiers {
		f.Dossiers = append(f.Dossiers, subjectDossier{ID: x.ID, Procedure: x.Procedure, ApplicantName: x.ApplicantName, Phone: optional(x.Phone),
			SubjectName: x.SubjectName, Portal: x.Portal, PortalCode: optional(x.PortalCode), State: x.State, ReceivedOn: x.ReceivedOn,
			ReturnedOn: x.ReturnedOn, Practice: x.Practice})
	}
	for _, x := range d.Trainings {
		f.Trainings = append(f.Trainings, subjectTraining(x))
	}
	for _, m := range d.Memberships {
		f.Memberships = append(f.Memberships, subjectMembership{MemberID: m.ID, FullName: m.FullName, Phone: optional(m.Phone), Role: string(m.Role),
			JoinedOn: m.JoinedOn, LeftOn: m.LeftOn, PhonePublic: m.PhonePublic})
	}
	for _, c := range d.Consents {
		f.Consents = append(f.Consents, subjectConsent{Purpose: c.Purpose, GivenOn: c.GivenOn, How: c.How, Note: c.Note, WithdrawnOn: c.WithdrawnOn})
	}
	for _, q := range d.Requests {
		f.Requests = append(f.Requests, subjectRequest{ID: q.ID, Kind: q.Kind, ReceivedOn: q.ReceivedOn, DueOn: q.DueOn, State: q.State,
			Reason: q.Reason, ClosedOn: q.ClosedOn})
	}
	for _, e := range d.Audit {
		f.Audit = append(f.Audit, subjectAudit{At: e.At.UTC(), Login: e.Login, Action: e.Action, Purpose: optional(e.Purpose), Changes: e.Changes})
	}
	return f
}

// SubjectJSON writes the file as indented UTF-8 JSON.
func SubjectJSON(f SubjectFile) ([]byte, error) {
	return json.MarshalIndent(f, "", "  ")
}

// SubjectPDF writes the same data as a readable A4 document in DejaVu
// Sans, in the request's language.
func SubjectPDF(f SubjectFile, t Text) ([]byte, error) {
	p := fpdf.New("P", "mm", "A4", "")
	p.SetMargins(20, 20, 15)
	p.SetAutoPageBreak(true, 20)
	p.AddUTF8FontFromBytes("dejavu", "", dejavusans.TTF)
	p.AddUTF8FontFromBytes("dejavu", "B", dejavusansbold.TTF)
	p.SetCreator("Thôn Số", true)
	p.SetCreationDate(f.Made)
	p.SetModificationDate(f.Made)
	title := t.T("subject.title", "name", f.Resident.FullName)
	p.SetTitle(title, true)
	p.AddPage()
	w := 175.0
	p.SetFont("dejavu", "B", 14)
	p.MultiCell(w, 7, title, "", "L", false)
	p.SetFont("dejavu", "", 10)
	p.MultiCell(w, 5, t.T("subject.made", "date", domain.DateOf(f.Made).VN(), "id", f.RequestID), "", "L", false)
	heading := func(key string) {
		p.Ln(3)
		p.SetFont("dejavu", "B", 12)
		p.MultiCell(w, 7, t.T(key), "", "L", false)
		p.SetFont("dejavu", "", 10)
	}
	row := func(key, value string) {
		if value == "" {
			value = "—"
		}
		p.SetFont("dejavu", "B", 10)
		p.CellFormat(60, 6, t.T(key), "", 0, "L", false, 0, "")
		p.SetFont("dejavu", "", 10)
		p.MultiCell(w-60, 6, value, "", "L", false)
	}
	line := func(s string) { p.MultiCell(w, 5.5, "• "+s, "", "L", false) }
	none := func(n int) {
		if n == 0 {
			p.MultiCell(w, 5.5, t.T("subject.none"), "", "L", false)
		}
	}
	str := func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	}
	r := f.Resident
	birth := r.BirthDate.VN()
	if r.BirthYearOnly {
		birth = strconv.Itoa(r.BirthDate.Year())
	}
	heading("subject.resident")
	row("subject.field.full_name", r.FullName)
	row("subject.field.birth", birth)
	if r.Sex != "" {
		row("subject.field.sex", t.T("sex."+r.Sex))
	}
	row("subject.field.phone", str(r.Phone))
	row("subject.field.cccd", str(r.CCCD))
	if r.Relation != "" {
		row("subject.field.relation", t.T("relation."+r.Relation))
	}
	row("subject.field.village", r.Village)
	row("subject.field.moved_in", r.MovedIn.VN())
	row("subject.field.left_on", r.LeftOn.VN())
	row("subject.field.smartphone", r.SmartphoneSince.VN())
	row("subject.field.vneid", r.VNeIDSince.VN())
	row("subject.field.portal", r.PortalSince.VN())
	row("subject.field.bank", r.BankSince.VN())
	heading("subject.household")
	row("subject.field.household", f.Household.Number)
	row("subject.field.address", strings.TrimSpace(strings.Join([]string{f.Household.Address, f.Household.Hamlet}, " ")))
	heading("subject.dossiers")
	for _, d := range f.Dossiers {
		s := d.ReceivedOn.VN() + " — " + d.Procedure + " (" + d.State + ")"
		if d.PortalCode != nil {
			s += " · " + *d.PortalCode
		}
		if d.SubjectName != "" {
			s += " · " + d.SubjectName
		}
		line(s)
	}
	none(len(f.Dossiers))
	heading("subject.trainings")
	for _, x := range f.Trainings {
		line(x.On.VN() + " — " + x.Topic + optionalSuffix(x.Place))
	}
	none(len(f.Trainings))
	heading("subject.memberships")
	for _, m := range f.Memberships {
		line(m.JoinedOn.VN() + " — " + m.FullName + " (" + t.T("member_role."+m.Role) + ")" + optionalSuffix(str(m.Phone)))
	}
	none(len(f.Memberships))
	heading("subject.consents")
	for _, c := range f.Consents {
		s := t.T("consent.purpose."+c.Purpose) + " · " + c.GivenOn.VN() + " · " + t.T("consent.how."+c.How)
		if !c.WithdrawnOn.IsZero() {
			s += " · " + t.T("ui.consent_withdrawn_on") + " " + c.WithdrawnOn.VN()
		}
		line(s)
	}
	none(len(f.Consents))
	heading("subject.requests")
	for _, q := range f.Requests {
		line(q.ReceivedOn.VN() + " — " + t.T("request.kind."+q.Kind) + " · " + t.T("request.state."+q.State))
	}
	none(len(f.Requests))
	heading("subject.audit")
	for _, e := range f.Audit {
		s := e.At.In(domain.Vietnam()).Format("02/01/2006 15:04") + " — " + e.Login + " — " + e.Action
		if e.Purpose != nil {
			s += " (" + t.T("purpose."+*e.Purpose) + ")"
		}
		line(s)
	}
	none(len(f.Audit))
	var b bytes.Buffer
	if err := p.Output(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func optionalSuffix(s string) string {
	if s == "" {
		return ""
	}
	return " · " + s
}
