package domain

import "slices"

// TeamKind tells a village team from a commune's community team.
type TeamKind string

const (
	TeamVillage   TeamKind = "village"   // Tổ công nghệ số thôn / tổ dân phố
	TeamCommunity TeamKind = "community" // Tổ công nghệ số cộng đồng of a commune
)

// Team is a digital-technology team.
type Team struct {
	ID           int64
	Kind         TeamKind
	Name         string
	UnitID       int64 // the village, or the commune on the date read
	DecisionNo   string
	DecisionDate Date
	StartedOn    Date
	EndedOn      Date
	Version      int
}

// MemberRole is a member's role in the team.
type MemberRole string

const (
	RoleTeamLead   MemberRole = "leader" // tổ trưởng
	RoleTeamDeputy MemberRole = "deputy" // tổ phó
	RoleTeamMember MemberRole = "member" // thành viên
)

// Member is a person on a team for a period.
type Member struct {
	ID          int64
	TeamID      int64
	ResidentID  int64
	FullName    string
	Phone       string
	Role        MemberRole
	Position    string // code of positions: bi_thu_chi_bo, truong_thon, …
	JoinedOn    Date
	LeftOn      Date
	PhonePublic bool
	ConsentOn   Date   // the day the member agreed to show the phone publicly
	ConsentHow  string // how that consent was given, when adding the member (consents.how)
	Version     int
}

// ActiveOn reports whether m was on the team on d.
func (m Member) ActiveOn(d Date) bool {
	return !m.JoinedOn.After(d) && (m.LeftOn.IsZero() || !m.LeftOn.Before(d))
}

// PublicPhone is the phone shown on the village page: only with consent.
func (m Member) PublicPhone() string {
	if m.PhonePublic && !m.ConsentOn.IsZero() {
		return m.Phone
	}
	return ""
}

// Validate checks a member: a name, a role, a join date, a leave date not
// before it, a phone in form, and no public phone without consent.
func (m Member) Validate() error {
	if m.FullName == "" {
		return Errorf(EINVALID, "member.name_missing").WithField("full_name")
	}
	switch m.Role {
	case RoleTeamLead, RoleTeamDeputy, RoleTeamMember:
	default:
		return Errorf(EINVALID, "member.role_invalid").WithField("role")
	}
	if m.JoinedOn.IsZero() {
		return Errorf(EINVALID, "member.joined_missing").WithField("joined_on")
	}
	if !m.LeftOn.IsZero() && m.LeftOn.Before(m.JoinedOn) {
		return Errorf(EINVALID, "member.left_before_joined").WithField("left_on")
	}
	if m.Phone != "" {
		if _, err := ParsePhone(m.Phone); err != nil {
			return err
		}
	}
	if m.PhonePublic && (m.ConsentOn.IsZero() || m.Phone == "") {
		return Errorf(EINVALID, "member.public_without_consent").WithField("phone_public")
	}
	if m.PhonePublic && m.ConsentHow != "" && !slices.Contains(ConsentWays, m.ConsentHow) {
		return Errorf(EINVALID, "consent.how_invalid").WithField("consent_how")
	}
	return nil
}

// Positions a member may hold in the village (officers can add more).
var Positions = []string{"bi_thu_chi_bo", "truong_thon", "truong_ban_mat_tran", "bi_thu_chi_doan", "chi_hoi_truong_phu_nu",
	"cong_an_vien", "giao_vien", "cong_dan_tieu_bieu", "chu_cua_hang_dien_thoai", "tho_sua_may_tinh", "can_bo_xa", "doan_vien"}
