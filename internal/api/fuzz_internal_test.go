package api

import (
	"bytes"
	"net/http/httptest"
	"testing"

	"thonso/internal/domain"
)

// FuzzDecodeBodies decodes arbitrary JSON bodies into every input the API
// takes: no panic, and every failure is EINVALID with a translation key,
// which the API answers as 400.
func FuzzDecodeBodies(f *testing.F) {
	for _, s := range []string{
		`{"village_code":"T000001","procedure":"1.010041","applicant_name":"Lò Văn Thử","received_on":"2026-10-30"}`,
		`{"village_code":"T000001","procedure":"1.001193","applicant_name":"A","received_on":"2026-10-30","linked":["1.004222"],"helper_ids":[1,2]}`,
		`{"action":"submit","on":"2026-10-30","portal_code":"000.00.00.H38-261030-0001","version":1}`,
		`{"household_id":1,"full_name":"Lò Thị B","birth_date":"1990-01-01","sex":"nu","phone":"0912345678"}`,
		`{"village_code":"T000001","number":"12","bank":{"since":"2024-01-01","helped":true}}`,
		`{"received_on":"31/10/2026"}`, `{"version":"1"}`, `{"x":1}`, `[]`, `null`, `{}{}`, `{"applicant_id":1e400}`, `{"full_name":"\ud800"}`, "\xff", `{"linked":[null]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, v := range []any{&dossierInput{}, &stepInput{}, &residentInput{}, &householdInput{}, &map[string]any{}} {
			r := httptest.NewRequest("POST", "/", bytes.NewReader(body))
			err := decode(r, v)
			if err == nil {
				continue
			}
			de, ok := domain.AsError(err)
			if !ok || de.Code != domain.EINVALID || de.Key == "" {
				t.Fatalf("%T from %q: %v", v, body, err)
			}
		}
	})
}
