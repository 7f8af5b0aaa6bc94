package cli_test

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestRetentionCommand: off without a period, refused below 1, and a run
// on a migrated database says what it removed.
func TestRetentionCommand(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "r.db")
	run(t, "migrate", "--db", db).mustOK(t)
	run(t, "retention", "--db", db).oneLine(t, "Chưa đặt thời hạn lưu giữ")
	run(t, "retention", "--db", db, "--retention-years", "-1").oneLine(t, "Số năm lưu giữ phải là số nguyên từ 1 trở lên")
	r := run(t, "retention", "--db", db, "--retention-years", "5").mustOK(t)
	if !strings.Contains(r.stdout, "Đã áp dụng thời hạn lưu giữ 5 năm") || !strings.Contains(r.stdout, "0 nhật ký buổi trực") {
		t.Fatalf("stdout %q", r.stdout)
	}
}
