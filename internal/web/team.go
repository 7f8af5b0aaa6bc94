package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"thonso/internal/domain"
	"thonso/internal/store"
	"thonso/internal/textvi"
)

type teamPage struct {
	*Page
	Team      domain.Team
	Unit      domain.Unit
	Members   []domain.Member
	Slots     []domain.Slot
	Upcoming  []domain.Occurrence
	Next      *domain.Occurrence
	CanManage bool
	Form      map[string]string
	Errors    map[string]string
	FeedURL   string
	Status    int
	Zalo      string // ready-to-paste announcement texts, from the data
	Loud      string
	Logs      []store.SessionLog
	Trainings []store.Training
	Notices   []store.Announcement
	Names     map[int64]string // member id → name
	Holidays  []domain.DayOff  // days off in the next 60 days with a session still planned
	Villages  []domain.Unit    // a community team's villages, to target announcements
	Featured  []domain.Procedure
	Positions []store.Position
	Online    []domain.Procedure // fully online procedures a village may feature
	Rosters   map[int64][]int64  // slot id → members in turn order
	OnDuty    map[int64]string   // slot id → who is on duty at its next session
}

func (f teamPage) formValue(n string) string { return f.Form[n] }
func (f teamPage) formError(n string) string { return f.Errors[n] }

// Weekday names a weekday in the page's language.
func (p *Page) Weekday(d time.Weekday) string { return p.T("weekday." + strconv.Itoa(int(d))) }

// Clock writes minutes after midnight as 19:30.
func (p *Page) Clock(m int) string { return domain.Clock(m) }

// When writes an instant in Vietnam: "Thứ Hai 28/10/2024 19:30".
func (p *Page) Moment(t time.Time) string {
	v := t.In(domain.Vietnam())
	return p.Weekday(v.Weekday()) + " " + v.Format("02/01/2006 15:04")
}

func (s *Server) loadTeam(w http.ResponseWriter, r *http.Request, p *Page) (*teamPage, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.fail(w, p, domain.Errorf(domain.ENOTFOUND, "team.not_found"))
		return nil, false
	}
	ctx := r.Context()
	t, err := s.Store.Team(ctx, id, p.At)
	if err != nil {
		s.fail(w, p, err)
		return nil, false
	}
	u, err := s.Store.UnitByID(ctx, t.UnitID, p.At)
	if err != nil {
		s.fail(w, p, err)
		return nil, false
	}
	tp := &teamPage{Page: p, Team: t, Unit: u, Form: map[string]string{}, Errors: map[string]string{}, Status: http.StatusOK}
	if tp.Members, err = s.Store.Members(ctx, t.ID, p.At); err == nil {
		if tp.Slots, err = s.Store.Slots(ctx, t.ID); err == nil {
			var exc []domain.Exception
			if exc, err = s.Store.Exceptions(ctx, t.ID); err == nil {
				now := s.Now()
				if o, ok := domain.NextSession(tp.Slots, exc, now); ok {
					tp.Next = &o
				}
				for _, o := range domain.Sessions(tp.Slots, exc, p.Today, p.Today.AddDays(21)) {
					if o.End.After(now) {
						tp.Upcoming = append(tp.Upcoming, o)
					}
				}
			}
		}
	}
	if err != nil {
		s.fail(w, p, err)
		return nil, false
	}
	if a := actorOf(r); a != nil {
		tp.CanManage, _ = s.Store.Covers(ctx, a.Scope(domain.PermTeamManage), t.UnitID)
	}
	tp.Zalo, tp.Loud = domain.Announcement(t, tp.Members, tp.Slots, tp.Next)
	tp.Names = map[int64]string{}
	for _, m := range tp.Members {
		tp.Names[m.ID] = m.FullName
	}
	tp.Rosters, tp.OnDuty = map[int64][]int64{}, map[int64]string{}
	for _, sl := range tp.Slots {
		ro, err := s.Store.Roster(ctx, sl.ID)
		if err != nil {
			s.fail(w, p, err)
			return nil, false
		}
		tp.Rosters[sl.ID] = ro
		for _, o := range tp.Upcoming {
			if o.SlotID == sl.ID && len(ro) > 0 {
				tp.OnDuty[sl.ID] = tp.Names[store.OnDuty(ro, domain.OccurrenceIndex(sl, o.Date))]
				break
			}
		}
	}
	if tp.CanManage {
		// Public holidays are proposed as exceptions: the team decides.
		days, err := s.Store.DaysOff(ctx, p.Today, p.Today.AddDays(60))
		if err != nil {
			s.fail(w, p, err)
			return nil, false
		}
		exc, _ := s.Store.Exceptions(ctx, t.ID)
		for _, d := range days {
			if d.Kind == "off" && len(domain.Sessions(tp.Slots, exc, d.On, d.On)) > 0 {
				tp.Holidays = append(tp.Holidays, d)
			}
		}
	}
	if tp.Positions, err = s.Store.Positions(ctx); err != nil {
		s.fail(w, p, err)
		return nil, false
	}
	if t.Kind == domain.TeamVillage {
		if tp.Featured, err = s.Store.Featured(ctx, t.UnitID); err != nil {
			s.fail(w, p, err)
			return nil, false
		}
		if tp.CanManage {
			ps, _ := s.Store.Procedures(ctx)
			for _, pr := range ps {
				if pr.FullyOnline && pr.RetiredOn.IsZero() {
					tp.Online = append(tp.Online, pr)
				}
			}
		}
	}
	if tp.CanManage && t.Kind == domain.TeamCommunity {
		if tp.Villages, err = s.Store.Children(ctx, t.UnitID, p.Today); err != nil {
			s.fail(w, p, err)
			return nil, false
		}
	}
	if tp.CanManage {
		if tp.Logs, err = s.Store.SessionLogs(ctx, t.ID, 20); err == nil {
			if tp.Trainings, err = s.Store.Trainings(ctx, t.ID); err == nil {
				tp.Notices, err = s.Store.Announcements(ctx, t.ID)
			}
		}
		if err != nil {
			s.fail(w, p, err)
			return nil, false
		}
	}
	p.Title = t.Name
	p.Breadcrumb = []Crumb{{Name: u.Name, URL: p.UnitURL(u.Code)}, {Name: t.Name}}
	return tp, true
}

// teamShow is a team's page: members (phones only with consent), the
// weekly schedule, the next session and the coming three weeks.
func (s *Server) teamShow(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "ui.team")
	tp, ok := s.loadTeam(w, r, p)
	if !ok {
		return
	}
	s.render(w, http.StatusOK, "team", tp)
}

func (s *Server) teamForm(w http.ResponseWriter, r *http.Request, keys ...string) (*teamPage, bool) {
	p := s.newPage(w, r, "ui.team")
	tp, ok := s.loadTeam(w, r, p)
	if !ok {
		return nil, false
	}
	for _, k := range keys {
		tp.Form[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	return tp, true
}

func (s *Server) teamDone(w http.ResponseWriter, r *http.Request, tp *teamPage, err error, field string) {
	if err == nil && len(tp.Errors) == 0 {
		http.Redirect(w, r, "/teams/"+strconv.FormatInt(tp.Team.ID, 10), http.StatusSeeOther)
		return
	}
	if err != nil {
		if c := domain.ErrorCode(err); c == domain.EINTERNAL || c == domain.ENOTFOUND {
			s.fail(w, tp.Page, err)
			return
		}
		fieldErr(s, tp.Lang, tp.Errors, err, field)
	}
	s.render(w, http.StatusUnprocessableEntity, "team", tp)
}

func (s *Server) parseDateInto(tp *teamPage, field string) domain.Date {
	d, err := textvi.ParseDate(tp.Form[field])
	if err != nil {
		tp.Errors[field] = s.Cat.Err(tp.Lang, err)
	}
	return d
}

// memberAdd puts a person on the team.
func (s *Server) memberAdd(w http.ResponseWriter, r *http.Request) {
	tp, ok := s.teamForm(w, r, "full_name", "phone", "role", "position", "joined_on", "phone_public", "consent_on", "consent_how")
	if !ok {
		return
	}
	m := domain.Member{TeamID: tp.Team.ID, FullName: tp.Form["full_name"], Phone: tp.Form["phone"], Role: domain.MemberRole(tp.Form["role"]),
		Position: tp.Form["position"], JoinedOn: s.parseDateInto(tp, "joined_on"), PhonePublic: tp.Form["phone_public"] != "", ConsentOn: s.parseDateInto(tp, "consent_on"), ConsentHow: tp.Form["consent_how"]}
	var err error
	if len(tp.Errors) == 0 {
		_, err = s.Store.AddMember(r.Context(), actorOf(r), m)
	}
	s.teamDone(w, r, tp, err, "full_name")
}

// parseClock reads 19:30 (or 19h30) as minutes after midnight.
func parseClock(v string) (int, bool) {
	v = strings.ReplaceAll(strings.ToLower(strings.TrimSpace(v)), "h", ":")
	h, m, ok := strings.Cut(v, ":")
	hh, e1 := strconv.Atoi(h)
	mm := 0
	var e2 error
	if ok && m != "" {
		mm, e2 = strconv.Atoi(m)
	}
	if e1 != nil || e2 != nil || hh < 0 || hh > 23 || mm < 0 || mm > 59 {
		return 0, false
	}
	return hh*60 + mm, true
}

// slotAdd adds a weekly slot (every week or every other week).
func (s *Server) slotAdd(w http.ResponseWriter, r *http.Request) {
	tp, ok := s.teamForm(w, r, "weekday", "start", "end", "place", "valid_from", "every_weeks")
	if !ok {
		return
	}
	sl := domain.Slot{TeamID: tp.Team.ID, Place: tp.Form["place"], ValidFrom: s.parseDateInto(tp, "valid_from"), EveryWeeks: 1, Weekday: -1}
	if wd, err := strconv.Atoi(tp.Form["weekday"]); err == nil {
		sl.Weekday = time.Weekday(wd)
	}
	if n, err := strconv.Atoi(tp.Form["every_weeks"]); err == nil {
		sl.EveryWeeks = n
		sl.Anchor = sl.ValidFrom
	}
	var ok1, ok2 bool
	if sl.Start, ok1 = parseClock(tp.Form["start"]); !ok1 {
		tp.Errors["start"] = tp.T("slot.time_invalid")
	}
	end, ok2 := parseClock(tp.Form["end"])
	if !ok2 {
		tp.Errors["end"] = tp.T("slot.time_invalid")
	}
	if end <= sl.Start && ok1 && ok2 && end < 6*60 {
		end += 24 * 60 // ends after midnight
	}
	sl.End = end
	var err error
	if len(tp.Errors) == 0 {
		_, err = s.Store.AddSlot(r.Context(), actorOf(r), sl)
	}
	s.teamDone(w, r, tp, err, "start")
}

// exceptionAdd cancels a session on a date (or adds one).
func (s *Server) exceptionAdd(w http.ResponseWriter, r *http.Request) {
	tp, ok := s.teamForm(w, r, "kind", "on", "start", "end", "reason")
	if !ok {
		return
	}
	e := domain.Exception{TeamID: tp.Team.ID, Kind: domain.ExceptionKind(tp.Form["kind"]), On: s.parseDateInto(tp, "on"), Reason: tp.Form["reason"]}
	if e.Kind == domain.ExceptionAdd {
		var ok1, ok2 bool
		e.Start, ok1 = parseClock(tp.Form["start"])
		e.End, ok2 = parseClock(tp.Form["end"])
		if !ok1 || !ok2 {
			tp.Errors["start"] = tp.T("slot.time_invalid")
		}
	}
	var err error
	if len(tp.Errors) == 0 {
		_, err = s.Store.AddException(r.Context(), actorOf(r), e)
	}
	s.teamDone(w, r, tp, err, "on")
}

// feedCreate makes a member's calendar link and shows it once.
func (s *Server) feedCreate(w http.ResponseWriter, r *http.Request) {
	tp, ok := s.teamForm(w, r)
	if !ok {
		return
	}
	mid, _ := strconv.ParseInt(r.PathValue("mid"), 10, 64)
	secret, err := s.Store.CreateFeed(r.Context(), actorOf(r), mid)
	if err != nil {
		s.fail(w, tp.Page, err)
		return
	}
	scheme := "http"
	if s.secure(r) {
		scheme = "https"
	}
	tp.FeedURL = scheme + "://" + r.Host + "/lich/" + secret + ".ics"
	s.render(w, http.StatusOK, "team", tp)
}

func memberIDs(r *http.Request) []int64 {
	r.ParseForm()
	var out []int64
	for _, v := range r.PostForm["members"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			out = append(out, id)
		}
	}
	return out
}

// logAdd records a held session: who came, residents helped, what was done.
func (s *Server) logAdd(w http.ResponseWriter, r *http.Request) {
	tp, ok := s.teamForm(w, r, "log_on", "residents_helped", "notes")
	if !ok {
		return
	}
	l := store.SessionLog{TeamID: tp.Team.ID, On: s.parseDateInto(tp, "log_on"), Notes: tp.Form["notes"], MemberIDs: memberIDs(r)}
	if n, err := strconv.Atoi(tp.Form["residents_helped"]); err == nil || tp.Form["residents_helped"] == "" {
		l.ResidentsHelped = n
	} else {
		tp.Errors["residents_helped"] = tp.T("log.count_invalid")
	}
	var err error
	if len(tp.Errors) == 0 {
		_, err = s.Store.LogSession(r.Context(), actorOf(r), l)
	}
	s.teamDone(w, r, tp, err, "log_on")
}

// trainingAdd records a training of the team.
func (s *Server) trainingAdd(w http.ResponseWriter, r *http.Request) {
	tp, ok := s.teamForm(w, r, "training_on", "topic", "trainer", "training_place", "materials", "hands_on", "residents_trained")
	if !ok {
		return
	}
	t := store.Training{TeamID: tp.Team.ID, On: s.parseDateInto(tp, "training_on"), Topic: tp.Form["topic"], Trainer: tp.Form["trainer"],
		Place: tp.Form["training_place"], Materials: tp.Form["materials"], HandsOn: tp.Form["hands_on"] != "", MemberIDs: memberIDs(r)}
	if n, err := strconv.Atoi(tp.Form["residents_trained"]); err == nil || tp.Form["residents_trained"] == "" {
		t.ResidentsTrained = n
	} else {
		tp.Errors["residents_trained"] = tp.T("log.count_invalid")
	}
	var err error
	if len(tp.Errors) == 0 {
		_, err = s.Store.AddTraining(r.Context(), actorOf(r), t)
	}
	s.teamDone(w, r, tp, err, "topic")
}

// announcementAdd records an announcement and the channels it went out on.
func (s *Server) announcementAdd(w http.ResponseWriter, r *http.Request) {
	tp, ok := s.teamForm(w, r, "body", "used_on")
	if !ok {
		return
	}
	on := s.parseDateInto(tp, "used_on")
	an := store.Announcement{TeamID: tp.Team.ID, Body: r.PostFormValue("body")}
	for _, v := range r.PostForm["villages"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			an.Villages = append(an.Villages, id)
		}
	}
	for _, c := range r.PostForm["channels"] {
		an.Uses = append(an.Uses, store.AnnouncementUse{Channel: c, On: on})
	}
	var err error
	if len(tp.Errors) == 0 {
		_, err = s.Store.AddAnnouncement(r.Context(), actorOf(r), an)
	}
	s.teamDone(w, r, tp, err, "body")
}

// rosterSet puts the chosen members on a slot's rotation, in list order.
func (s *Server) rosterSet(w http.ResponseWriter, r *http.Request) {
	tp, ok := s.teamForm(w, r)
	if !ok {
		return
	}
	slot, _ := strconv.ParseInt(r.PathValue("sid"), 10, 64)
	owned := false
	for _, sl := range tp.Slots {
		owned = owned || sl.ID == slot
	}
	if !owned {
		s.fail(w, tp.Page, domain.Errorf(domain.ENOTFOUND, "slot.not_found"))
		return
	}
	err := s.Store.SetRoster(r.Context(), actorOf(r), slot, memberIDs(r))
	s.teamDone(w, r, tp, err, "members")
}

// InRoster reports whether a member is on a slot's rotation.
func (tp teamPage) InRoster(slot, member int64) bool {
	for _, m := range tp.Rosters[slot] {
		if m == member {
			return true
		}
	}
	return false
}

// IsFeatured reports whether a procedure is among the village's featured ones.
func (tp teamPage) IsFeatured(code string) bool {
	for _, f := range tp.Featured {
		if f.Code == code {
			return true
		}
	}
	return false
}
