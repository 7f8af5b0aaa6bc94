package domain

import "testing"

func TestPassword(t *testing.T) {
	h := HashPassword("mật khẩu dài")
	if !VerifyPassword(h, "mật khẩu dài") || VerifyPassword(h, "mat khau dai") || VerifyPassword("", "x") || VerifyPassword("garbage", "x") {
		t.Fatal("verify")
	}
	if h == HashPassword("mật khẩu dài") {
		t.Fatal("salt not random")
	}
	if CheckPassword("ngắn") == nil || CheckPassword("đủ tám ký") != nil {
		t.Fatal("length rule")
	}
}

func TestRolePermissions(t *testing.T) {
	officer := func(lv Level) Grant { return Grant{Role: RoleOfficer, Unit: &UnitRef{ID: 1}, UnitLevel: lv} }
	cases := []struct {
		g    Grant
		p    Permission
		want bool
	}{
		{officer(LevelCommune), PermAssessmentVerify, true},
		{officer(LevelCommune), PermAssessmentApprove, false},
		{officer(LevelCommune), PermCriteriaManage, false},
		{officer(LevelProvince), PermAssessmentApprove, true},
		{officer(LevelDistrict), PermCriteriaManage, true},
		{Grant{Role: RoleViewer, UnitLevel: LevelProvince}, PermResidentView, false},
		{Grant{Role: RoleViewer, UnitLevel: LevelProvince}, PermReportView, true},
		{Grant{Role: RoleMember, UnitLevel: LevelVillage}, PermResidentViewPII, false},
		{Grant{Role: RoleTeamLeader, UnitLevel: LevelVillage}, PermResidentViewPII, true},
		{Grant{Role: RoleAdmin}, PermAuditView, true},
	}
	for _, c := range cases {
		if got := c.g.Allows(c.p); got != c.want {
			t.Errorf("%s@%s %s = %v", c.g.Role, c.g.UnitLevel, c.p, got)
		}
	}
	a := &Actor{Grants: []Grant{officer(LevelCommune), {Role: RoleViewer, Unit: &UnitRef{ID: 2}, UnitLevel: LevelProvince}}}
	if s := a.Scope(PermReportView); len(s.UnitIDs) != 2 || s.All {
		t.Fatalf("scope %+v", s)
	}
	if a.Can(PermCriteriaManage) || !a.Can(PermUserManage) {
		t.Fatal("Can")
	}
	if !CLIActor().Scope(PermUserManage).All {
		t.Fatal("cli actor")
	}
}
