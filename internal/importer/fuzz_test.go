package importer

import (
	"bytes"
	"errors"
	"testing"
	"unicode/utf8"

	"thonso/internal/domain"
)

// checkResidents reads data as the named file: no panic, every problem is
// a *domain.FileErrors or a row error with a translation key, and every
// row's values are valid UTF-8 (they go into the rejected-rows file).
func checkResidents(t *testing.T, data []byte, name string) {
	rows := 0
	_, err := ReadResidents(bytes.NewReader(data), name, ResidentOptions{Today: domain.MustDate("2026-10-31"), MaxRows: 2000}, func(r ResidentRow) error {
		rows++
		for _, e := range r.Errors {
			if e.Err == nil || e.Err.Key == "" {
				t.Fatalf("row %d: error without a key: %+v", r.Row, e)
			}
		}
		for _, v := range r.Values {
			if !utf8.ValidString(v) {
				t.Fatalf("row %d: value %q not UTF-8", r.Row, v)
			}
		}
		if r.Resident.Phone != "" {
			if p, err := domain.ParsePhone(r.Resident.Phone); err != nil || p != r.Resident.Phone {
				t.Fatalf("row %d: phone %q not canonical", r.Row, r.Resident.Phone)
			}
		}
		return nil
	})
	if err != nil {
		var fe *domain.FileErrors
		if !errors.As(err, &fe) {
			t.Fatalf("error is not a file error: %v", err)
		}
	}
}

// FuzzResidentsCSV fuzzes the spreadsheet reader on CSV rows.
func FuzzResidentsCSV(f *testing.F) {
	for _, s := range []string{
		"Họ và tên,Ngày sinh,Giới tính,Số hộ\nLò Văn A,01/02/1990,Nam,1\n",
		"HO TEN,nam sinh,GIỚI TÍNH,Mã hộ,SĐT,Quan hệ,CCCD,Thôn,Số nhà,Xóm\nPhạm Thị Lan,1990,nu,12,0912.345.678,Mẹ,,Đông Căm,\"Số 3, ngõ 2\",Xóm Trên\n",
		"sep=|\r\nHọ và tên|Ngày sinh|Giới tính|Số hộ\r\nLò Văn A|1990|Nam|1,5\r\n",
		"\ufeffDanh sách,,,\nHọ và tên,Ngày sinh,Giới tính,Số hộ,Có điện thoại thông minh\nA,32874,Nữ,2,x\n",
		"Họ và tên,Ngày sinh,Giới tính,Số hộ,Số CCCD,Tài khoản VNeID mức 2\nB,1/1/2000,Nam,3,1090012345,15/03/2024\n",
		"Hä vµ tªn,Ngµy sinh\nNguyÔn V¨n A,1990\n",
		"\"unterminated,\n",
		"Họ và tên,Ngày sinh,Giới tính,Số hộ\n\xff\xfe,1990,Nam,1\n",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { checkResidents(t, data, "f.csv") })
}

// FuzzResidentsXLSX fuzzes our streaming xlsx reader (zip + XML).
func FuzzResidentsXLSX(f *testing.F) {
	if tpl, err := ResidentTemplate(); err == nil {
		f.Add(tpl)
	}
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) { checkResidents(t, data, "f.xlsx") })
}

// FuzzUnitFile fuzzes unit-change files (CSV) and the official JSON lists:
// no panic, and any problem is a *domain.FileErrors.
func FuzzUnitFile(f *testing.F) {
	f.Add("c.csv", []byte(changesCSV))
	f.Add("c.csv", []byte("old_code,new_code,kind,effective_date\n02923,,dissolve,31/02/2026\n"))
	f.Add("h.csv", []byte("ma,ten\n1,2\n"))
	f.Add("d.json", []byte(`{"data_date":"2025-03-01","data":[{"level1_id":"01","name":"Thành phố Hà Nội","type":"Thành phố Trung ương","level2s":[]}]}`))
	f.Add("m.json", []byte(`{"data":[{"code":"01","name":"Hà Nội","level2s":[{"code":"00004","name":"Phường Ba Đình","merges":[{"code":"00001","kind":"full"}]}]}]}`))
	f.Add("x.json", []byte(`{`))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		if len(name) > 50 {
			return
		}
		_, err := UnitFile(name, data, "")
		if err != nil {
			var fe *domain.FileErrors
			var de *domain.Error
			if !errors.As(err, &fe) && !errors.As(err, &de) {
				t.Fatalf("%s: %v", name, err)
			}
		}
	})
}
