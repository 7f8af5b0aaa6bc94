// Package demo builds the Bảo Thắng demo data set through the same store
// code as the app, with the clock injected so that created_at follows the
// story. It ends on 31/10/2026 and is deterministic.
package demo

import "thonso/internal/domain"

// Version of the demo data set; serve --demo on a database holding an
// older one says so, and thonso demo --reset rebuilds it.
const Version = "2"

// End is the last date of the demo story.
var End = domain.MustDate("2026-10-31")

// Legal acts of the 2025 reorganisation as the demo records them.
const (
	ActLaoCaiCommunes = "Nghị quyết 1673/NQ-UBTVQH15"
	ActProvinces      = "Nghị quyết 202/2025/QH15"
	ActDistricts      = "Luật Tổ chức chính quyền địa phương số 72/2025/QH15"
)

// Reorg is 01/07/2025, the day the new units begin.
var Reorg = domain.MustDate("2025-07-01")

// Commune is one of Huyện Bảo Thắng's 14 communes and towns of 2024 and
// the new commune it became part of (../shared/data/baothang_2024_to_2025.csv).
type Commune struct {
	Code, Name, Type string
	NewCode, NewName string
}

// Communes are the 14 units of Huyện Bảo Thắng (10 › 086) before 2025.
var Communes = []Commune{
	{"02902", "Thị trấn N.T Phong Hải", "Thị trấn", "02902", "Xã Phong Hải"},
	{"02905", "Thị trấn Phố Lu", "Thị trấn", "02905", "Xã Bảo Thắng"},
	{"02908", "Thị trấn Tằng Loỏng", "Thị trấn", "02908", "Xã Tằng Loỏng"},
	{"02911", "Xã Bản Phiệt", "Xã", "02647", "Phường Lào Cai"},
	{"02914", "Xã Bản Cầm", "Xã", "02902", "Xã Phong Hải"},
	{"02917", "Xã Thái Niên", "Xã", "02905", "Xã Bảo Thắng"},
	{"02920", "Xã Phong Niên", "Xã", "02926", "Xã Xuân Quang"},
	{"02923", "Xã Gia Phú", "Xã", "02923", "Xã Gia Phú"},
	{"02926", "Xã Xuân Quang", "Xã", "02926", "Xã Xuân Quang"},
	{"02929", "Xã Sơn Hải", "Xã", "02905", "Xã Bảo Thắng"},
	{"02932", "Xã Xuân Giao", "Xã", "02923", "Xã Gia Phú"},
	{"02935", "Xã Trì Quang", "Xã", "02926", "Xã Xuân Quang"},
	{"02938", "Xã Sơn Hà", "Xã", "02905", "Xã Bảo Thắng"},
	{"02944", "Xã Phú Nhuận", "Xã", "02908", "Xã Tằng Loỏng"},
}

// Village is a demo village, under its commune of 2024. Enrolled is the
// date it joined the smart-village model (zero: not enrolled).
type Village struct {
	Name        string
	CommuneCode string
	Enrolled    domain.Date
	Decision    string
}

// Villages: 20 smart villages in all 14 communes, thôn Đông Căm first
// (10/2023), and a few villages not (yet) in the model.
var Villages = []Village{
	{"Thôn Đông Căm", "02923", domain.MustDate("2023-10-16"), "Quyết định 215/QĐ-UBND xã Gia Phú"},
	{"Thôn Phú Hợp 1", "02923", domain.MustDate("2024-03-04"), "Quyết định 48/QĐ-UBND xã Gia Phú"},
	{"Thôn Cóc Tủm", "02923", domain.MustDate("2024-05-06"), "Quyết định 97/QĐ-UBND xã Gia Phú"},
	{"Tổ dân phố số 1", "02905", domain.MustDate("2024-03-11"), "Quyết định 51/QĐ-UBND thị trấn Phố Lu"},
	{"Tổ dân phố số 5", "02905", domain.MustDate("2024-06-03"), "Quyết định 112/QĐ-UBND thị trấn Phố Lu"},
	{"Tổ dân phố số 3", "02908", domain.MustDate("2024-03-18"), "Quyết định 40/QĐ-UBND thị trấn Tằng Loỏng"},
	{"Tổ dân phố Phú Cường", "02908", domain.MustDate("2024-07-08"), "Quyết định 131/QĐ-UBND thị trấn Tằng Loỏng"},
	{"Tổ dân phố Tân Phong", "02902", domain.MustDate("2024-04-01"), "Quyết định 62/QĐ-UBND thị trấn N.T Phong Hải"},
	{"Thôn Làng Chung", "02911", domain.MustDate("2024-04-08"), "Quyết định 70/QĐ-UBND xã Bản Phiệt"},
	{"Thôn Cốc Lầy", "02914", domain.MustDate("2024-04-15"), "Quyết định 66/QĐ-UBND xã Bản Cầm"},
	{"Thôn Làng Mới", "02917", domain.MustDate("2024-04-22"), "Quyết định 73/QĐ-UBND xã Thái Niên"},
	{"Thôn Cốc Sâm 1", "02920", domain.MustDate("2024-03-25"), "Quyết định 55/QĐ-UBND xã Phong Niên"},
	{"Thôn Hải Niên", "02920", domain.MustDate("2024-08-05"), "Quyết định 140/QĐ-UBND xã Phong Niên"},
	{"Thôn Cốc Phương", "02926", domain.MustDate("2024-05-13"), "Quyết định 90/QĐ-UBND xã Xuân Quang"},
	{"Thôn Cửa Cải", "02929", domain.MustDate("2024-05-20"), "Quyết định 88/QĐ-UBND xã Sơn Hải"},
	{"Thôn Bầu 1", "02932", domain.MustDate("2024-05-27"), "Quyết định 95/QĐ-UBND xã Xuân Giao"},
	{"Thôn Lúc 2", "02935", domain.MustDate("2024-04-29"), "Quyết định 79/QĐ-UBND xã Trì Quang"},
	{"Thôn Tiến Lợi", "02935", domain.MustDate("2024-09-09"), "Quyết định 160/QĐ-UBND xã Trì Quang"},
	{"Thôn Tân Thành", "02938", domain.MustDate("2024-06-10"), "Quyết định 104/QĐ-UBND xã Sơn Hà"},
	{"Thôn Nhuần 1", "02944", domain.MustDate("2024-10-14"), "Quyết định 188/QĐ-UBND xã Phú Nhuận"},
	{"Thôn Phú Hợp 2", "02923", domain.Date{}, ""},
	{"Thôn Bầu 2", "02932", domain.Date{}, ""},
	{"Tổ dân phố số 2", "02905", domain.Date{}, ""},
	{"Thôn Cốc Sâm 2", "02920", domain.Date{}, ""},
}

// Snapshot is the date the pre-2025 official list describes; the demo's
// pre-2025 units resolve their parents on it, as the import does.
var Snapshot = domain.MustDate("2025-03-01")

// UnitBatches returns the demo's unit tree as two batches: the tree of
// 2024 (with the villages), then the 01/07/2025 reorganisation.
func UnitBatches() (before, reorg domain.UnitBatch) {
	before.Source = "demo"
	add := func(u domain.NewUnit) { before.Units = append(before.Units, u) }
	add(domain.NewUnit{Code: "10", Name: "Tỉnh Lào Cai", TypeWord: "Tỉnh", Level: domain.LevelProvince, ResolveAt: Snapshot})
	add(domain.NewUnit{Code: "15", Name: "Tỉnh Yên Bái", TypeWord: "Tỉnh", Level: domain.LevelProvince, ResolveAt: Snapshot})
	add(domain.NewUnit{Code: "086", Name: "Huyện Bảo Thắng", TypeWord: "Huyện", Level: domain.LevelDistrict, ParentCode: "10", ResolveAt: Snapshot})
	for _, c := range Communes {
		add(domain.NewUnit{Code: c.Code, Name: c.Name, TypeWord: c.Type, Level: domain.LevelCommune, ParentCode: "086", ResolveAt: Snapshot})
	}
	for _, v := range Villages {
		add(domain.NewUnit{Name: v.Name, Level: domain.LevelVillage, ParentCode: v.CommuneCode, ResolveAt: Snapshot})
	}

	reorg.Source = "demo"
	reorg.LegalAct = ActLaoCaiCommunes
	reorg.Units = append(reorg.Units, domain.NewUnit{Code: "15", Name: "Tỉnh Lào Cai", TypeWord: "Tỉnh", Level: domain.LevelProvince, ValidFrom: Reorg})
	seen := map[string]bool{}
	for _, c := range Communes {
		if !seen[c.NewCode] {
			seen[c.NewCode] = true
			reorg.Units = append(reorg.Units, domain.NewUnit{Code: c.NewCode, Name: c.NewName, Level: domain.LevelCommune, ParentCode: "15", ValidFrom: Reorg})
		}
		reorg.Links = append(reorg.Links, domain.NewLink{FromCode: c.Code, FromLevel: domain.LevelCommune, ToCode: c.NewCode,
			ToLevel: domain.LevelCommune, Kind: domain.LinkMergeFull, Effective: Reorg})
	}
	for _, old := range []string{"10", "15"} {
		reorg.Links = append(reorg.Links, domain.NewLink{FromCode: old, FromLevel: domain.LevelProvince, ToCode: "15",
			ToLevel: domain.LevelProvince, Kind: domain.LinkMergeFull, Effective: Reorg, LegalAct: ActProvinces})
	}
	reorg.Ends = append(reorg.Ends, domain.NewEnd{Code: "086", Level: domain.LevelDistrict, Effective: Reorg, LegalAct: ActDistricts, DutiesTo: "15"})
	return before, reorg
}
