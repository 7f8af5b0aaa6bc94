package main

import (
	"runtime"
	"testing"
)

// TestTuneProcs: serve gets at least minServeProcs processors unless
// GOMAXPROCS is set; other commands are left alone.
func TestTuneProcs(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	runtime.GOMAXPROCS(1)
	tuneProcs([]string{"import", "residents"})
	if n := runtime.GOMAXPROCS(0); n != 1 {
		t.Fatalf("import: GOMAXPROCS %d, want 1 (untouched)", n)
	}
	t.Setenv("GOMAXPROCS", "1")
	tuneProcs([]string{"serve"})
	if n := runtime.GOMAXPROCS(0); n != 1 {
		t.Fatalf("serve with GOMAXPROCS=1 set: %d, want 1", n)
	}
	t.Setenv("GOMAXPROCS", "")
	tuneProcs([]string{"serve", "--demo"})
	if n := runtime.GOMAXPROCS(0); n != minServeProcs {
		t.Fatalf("serve: GOMAXPROCS %d, want %d", n, minServeProcs)
	}
}
