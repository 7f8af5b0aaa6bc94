package demo

// Naming patterns of the region's peoples, for synthetic residents only:
// family names, the middle word by sex, and given names by sex.
type naming struct {
	families                 []string
	maleMiddle, femaleMiddle []string
	male, female             []string
}

func namings() map[string]naming {
	return map[string]naming{
		"kinh": {
			families:   []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Đặng", "Ngô", "Dương", "Đinh"},
			maleMiddle: []string{"Văn", "Đức", "Quang", "Minh", "Xuân"}, femaleMiddle: []string{"Thị", "Thu", "Ngọc", "Thanh"},
			male:   []string{"Hùng", "Dũng", "Tuấn", "Thắng", "Cường", "Long", "Hải", "Sơn", "Bình", "Nam", "Phúc", "Đạt", "Khánh", "An"},
			female: []string{"Lan", "Hương", "Hoa", "Mai", "Hà", "Thảo", "Linh", "Nga", "Yến", "Trang", "Hằng", "Ánh", "Ân", "Quyên"},
		},
		"tay": {
			families:   []string{"Hoàng", "Nông", "Lường", "Hà", "Ma", "Đàm", "La", "Lục", "Vi"},
			maleMiddle: []string{"Văn"}, femaleMiddle: []string{"Thị"},
			male:   []string{"Thắng", "Quý", "Pàn", "Dìn", "Tuyên", "Chiến", "Hợp", "Lợi", "Thành", "Kiên"},
			female: []string{"Lan", "Thơm", "Sen", "Nhung", "Diệp", "Hiền", "Vân", "Tươi", "Bích"},
		},
		"giay": {
			families:   []string{"Lù", "Sần", "Lò", "Vàng", "Hoàng", "Lồ"},
			maleMiddle: []string{"Văn"}, femaleMiddle: []string{"Thị"},
			male:   []string{"Phúc", "Sình", "Pao", "Chiến", "Lềnh", "Tủa"},
			female: []string{"Mai", "Dung", "Xuân", "Hồng", "Thu"},
		},
		"dao": {
			families:   []string{"Bàn", "Triệu", "Đặng", "Lý", "Chảo", "Tẩn", "Phùn"},
			maleMiddle: []string{"Văn", "Tiến", "Kim"}, femaleMiddle: []string{"Thị", "Mùi"},
			male:   []string{"Phin", "Sơn", "Quẩy", "Chàn", "Kiều", "Tòn", "Lai", "Phú"},
			female: []string{"Mẩy", "Nái", "Xiêm", "Dảo", "Chang", "Slan", "Lìu"},
		},
		"hmong": {
			families:   []string{"Giàng", "Sùng", "Vàng", "Lù", "Thào", "Lý", "Hầu", "Cứ", "Mua"},
			maleMiddle: []string{"A", "Seo", "Văn"}, femaleMiddle: []string{"Thị"},
			male:   []string{"Páo", "Chư", "Lử", "Sính", "Dình", "Sử", "Cáng", "Tủa"},
			female: []string{"Mỷ", "Dua", "Sua", "Pà", "Chá", "Súa", "Mai"},
		},
	}
}

// communePeoples gives each 2024 commune the peoples that mostly live
// there, weighted by repetition.
func communePeoples() map[string][]string {
	return map[string][]string{
		"02902": {"kinh", "kinh", "tay"}, "02905": {"kinh", "kinh", "kinh", "tay"}, "02908": {"kinh", "kinh", "tay"},
		"02911": {"tay", "giay", "kinh"}, "02914": {"tay", "dao", "kinh"}, "02917": {"kinh", "tay"},
		"02920": {"dao", "hmong", "tay"}, "02923": {"tay", "kinh", "giay"}, "02926": {"tay", "dao", "kinh"},
		"02929": {"kinh", "kinh", "tay"}, "02932": {"kinh", "tay"}, "02935": {"tay", "dao", "kinh"},
		"02938": {"kinh", "tay"}, "02944": {"dao", "hmong", "tay"},
	}
}
