package i18n

import (
	"testing"

	"thonso/internal/domain"
)

func TestCatalogsMatch(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(c.msgs["en"]) != len(c.msgs["vi"]) {
		t.Fatalf("vi has %d keys, en %d", len(c.msgs["vi"]), len(c.msgs["en"]))
	}
}

func TestTranslate(t *testing.T) {
	c, _ := Load()
	got := c.T("vi", "unit.not_found_on", map[string]any{"code": "086", "date": domain.MustDate("2025-07-01")})
	if got != "Không tìm thấy đơn vị có mã 086 vào ngày 01/07/2025." {
		t.Fatalf("vi: %q", got)
	}
	if got := c.Err("en", domain.Errorf(domain.ENOTFOUND, "unit.not_found_on", "code", "086", "date", domain.MustDate("2025-07-01"))); got != "No unit with code 086 on 01/07/2025." {
		t.Fatalf("en: %q", got)
	}
	if got := c.T("vi", "no.such.key", nil); got != "no.such.key" {
		t.Fatalf("missing key: %q", got)
	}
}

func TestNumbers(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1189: "1.189", 1000000: "1.000.000", -1150: "-1.150"} {
		if got := Int(n); got != want {
			t.Errorf("Int(%d) = %q", n, got)
		}
	}
	if got := Percent(257.0 / 387.0); got != "66,4%" {
		t.Errorf("Percent = %q", got)
	}
}

func TestLang(t *testing.T) {
	for in, want := range map[string]string{"": "vi", "en-US,en;q=0.9": "en", "vi-VN": "vi", "fr": "vi", "en": "en"} {
		if got := Lang(in); got != want {
			t.Errorf("Lang(%q) = %q", in, got)
		}
	}
}

func TestLabelArgs(t *testing.T) {
	c, _ := Load()
	_, err := domain.Transition(domain.StateReceived, domain.ActCollect, false)
	got := c.Err("vi", err)
	if got != "Không thể “nhận kết quả tại xã” khi hồ sơ đang ở bước “1. Tiếp nhận”. Việc có thể làm tiếp: nộp trực tuyến, rút hồ sơ, huỷ hồ sơ nhập nhầm." {
		t.Fatalf("message: %q", got)
	}
}
