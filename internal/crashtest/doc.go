// Package crashtest holds only tests: they build the real thonso binary,
// kill it with SIGKILL in the middle of an import and of a burst of API
// writes, and check what survives (crash_test.go).
package crashtest
