package domain

import (
	"slices"
	"time"
)

// Permission names one thing a user may do.
type Permission string

// Permissions. A grant gives a role's permissions over one unit and its
// whole subtree (or everything, for the administrator).
const (
	PermUnitManage        Permission = "unit:manage"
	PermUserManage        Permission = "user:manage"
	PermResidentView      Permission = "resident:view"
	PermResidentViewPII   Permission = "resident:view_pii"
	PermResidentEdit      Permission = "resident:edit"
	PermTeamManage        Permission = "team:manage"
	PermDossierEdit       Permission = "dossier:edit"
	PermCriteriaManage    Permission = "criteria:manage"
	PermAssessmentVerify  Permission = "assessment:verify"
	PermAssessmentApprove Permission = "assessment:approve"
	PermReportView        Permission = "report:view"
	PermAuditView         Permission = "audit:view"
)

// AllPermissions lists every permission, for the administrator and docs.
var AllPermissions = []Permission{PermUnitManage, PermUserManage, PermResidentView, PermResidentViewPII, PermResidentEdit,
	PermTeamManage, PermDossierEdit, PermCriteriaManage, PermAssessmentVerify, PermAssessmentApprove, PermReportView, PermAuditView}

// Role bundles permissions.
type Role string

const (
	RoleAdmin      Role = "admin"
	RoleOfficer    Role = "officer"
	RoleTeamLeader Role = "team_leader"
	RoleMember     Role = "member"
	RoleViewer     Role = "viewer"
)

// Roles in order of reach.
var Roles = []Role{RoleAdmin, RoleOfficer, RoleTeamLeader, RoleMember, RoleViewer}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// NeedsUnit reports whether a grant of r must name a unit.
func (r Role) NeedsUnit() bool { return r != RoleAdmin }

// Permissions returns what r allows on a grant at a unit of level lv. An
// officer's reach follows the level of the unit (CONVENTIONS.md): a
// commune officer verifies assessments of its villages; the officer of a
// unit that owns criteria sets (a province, a district before 2025)
// manages them and approves assessments.
func (r Role) Permissions(lv Level) []Permission {
	switch r {
	case RoleAdmin:
		return AllPermissions
	case RoleOfficer:
		ps := []Permission{PermUnitManage, PermUserManage, PermResidentView, PermResidentViewPII, PermResidentEdit,
			PermTeamManage, PermDossierEdit, PermReportView, PermAuditView}
		switch lv {
		case LevelProvince, LevelDistrict:
			ps = append(ps, PermCriteriaManage, PermAssessmentApprove)
		case LevelCommune:
			ps = append(ps, PermAssessmentVerify)
		}
		return ps
	case RoleTeamLeader:
		return []Permission{PermResidentView, PermResidentViewPII, PermResidentEdit, PermTeamManage, PermDossierEdit, PermReportView}
	case RoleMember:
		return []Permission{PermResidentView, PermResidentEdit, PermDossierEdit, PermReportView}
	case RoleViewer:
		return []Permission{PermReportView}
	}
	return nil
}

// Grant is one role given to a user over a unit's subtree.
type Grant struct {
	ID        int64
	UserID    int64
	Role      Role
	Unit      *UnitRef // nil for the administrator: everything
	UnitLevel Level
	UnitEnded Date // the unit's valid_to, when it has ended (review needed)
	GrantedBy int64
	CreatedAt time.Time
}

// Allows reports whether g gives p.
func (g Grant) Allows(p Permission) bool { return slices.Contains(g.Role.Permissions(g.UnitLevel), p) }

// User is an account.
type User struct {
	ID         int64
	Login      string
	Phone      string
	Name       string
	MustChange bool
	Disabled   bool
	CreatedAt  time.Time
	Version    int
}

// Scope is the part of the tree a permission reaches: everything, or the
// subtrees of some units. The store filters every read and write of
// unit-owned data by it, so a handler cannot forget.
type Scope struct {
	All     bool
	UnitIDs []int64
}

// Empty reports whether s reaches nothing.
func (s Scope) Empty() bool { return !s.All && len(s.UnitIDs) == 0 }

// Actor is who is acting: a logged-in user, a token's user, or the
// command line.
type Actor struct {
	User   User
	Grants []Grant
	IP     string
	Via    string // "web", "api", "cli"
}

// Scope returns where a can use p.
func (a *Actor) Scope(p Permission) Scope {
	var s Scope
	if a == nil {
		return s
	}
	for _, g := range a.Grants {
		if !g.Allows(p) {
			continue
		}
		if g.Unit == nil {
			return Scope{All: true}
		}
		s.UnitIDs = append(s.UnitIDs, g.Unit.ID)
	}
	return s
}

// Can reports whether a holds p anywhere.
func (a *Actor) Can(p Permission) bool { return !a.Scope(p).Empty() }

// CLIActor is the command line acting with every permission (whoever can
// run the binary against the database already holds it).
func CLIActor() *Actor {
	return &Actor{User: User{Login: "cli"}, Grants: []Grant{{Role: RoleAdmin}}, Via: "cli"}
}

// Purposes a user picks from when revealing a masked value or exporting
// personal data (Decree 356/2025: processing needs a stated purpose).
var Purposes = []string{"support", "verify", "report", "inspection", "subject_request", "incident"}

// ValidPurpose reports whether p is one of Purposes.
func ValidPurpose(p string) bool { return slices.Contains(Purposes, p) }
