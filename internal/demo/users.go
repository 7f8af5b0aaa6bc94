package demo

import (
	"context"

	"thonso/internal/domain"
	"thonso/internal/store"
)

// Password is every demo account's password. Demo only: the README and
// serve --demo say so.
const Password = "minhhoa-2024"

// User is a demo account: one per role on the Bảo Thắng demo.
type User struct {
	Login, Phone, Name string
	Role               domain.Role
	UnitCode           string // resolved on End; "" for the administrator
	Village            string // a village name instead of a code
}

// Users are the demo accounts.
var Users = []User{
	{"quantri", "0399990001", "Quản trị hệ thống (minh hoạ)", domain.RoleAdmin, "", ""},
	{"canbo.giaphu", "0399990002", "Lê Thị Minh (minh hoạ)", domain.RoleOfficer, "02923", ""},
	{"totruong.dongcam", "0399990003", "Hoàng Văn Sơn (minh hoạ)", domain.RoleTeamLeader, "", "Thôn Đông Căm"},
	{"thanhvien.dongcam", "0399990004", "Lý Thị Hoa (minh hoạ)", domain.RoleMember, "", "Thôn Đông Căm"},
	{"xem.laocai", "0399990005", "Phạm Quốc Bảo (minh hoạ)", domain.RoleViewer, "15", ""},
	{"canbo.laocai", "0399990006", "Trần Thu Hà (minh hoạ)", domain.RoleOfficer, "15", ""},
}

func loadUsers(ctx context.Context, s *store.Store) error {
	for _, u := range Users {
		var unitID int64
		switch {
		case u.UnitCode != "":
			unit, err := s.UnitAt(ctx, u.UnitCode, End)
			if err != nil {
				return err
			}
			unitID = unit.ID
		case u.Village != "":
			vs, _, err := s.SearchUnits(ctx, store.UnitQuery{At: End, Q: u.Village, Level: domain.LevelVillage})
			if err != nil || len(vs) == 0 {
				return domain.Errorf(domain.ENOTFOUND, "unit.not_found")
			}
			unitID = vs[0].ID
		}
		_, err := s.WithClock(at(domain.MustDate("2024-01-02"))).CreateUser(ctx, domain.CLIActor(),
			store.NewUser{Login: u.Login, Phone: u.Phone, Name: u.Name, PasswordHash: domain.HashPassword(Password)}, u.Role, unitID)
		if err != nil && domain.ErrorCode(err) != domain.ECONFLICT {
			return err
		}
	}
	return nil
}
