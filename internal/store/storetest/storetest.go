// Package storetest is the conformance suite every store backend passes:
// sqlite_test.go runs it on a temporary file, postgres_test.go on a fresh
// schema of the PostgreSQL named by THONSO_TEST_POSTGRES.
package storetest

import (
	"context"
	"testing"

	"thonso/internal/store"
)

// Opener returns a new, empty, migrated store for one test.
type Opener func(t testing.TB) *store.Store

// Run runs every store test against stores made by open.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(*testing.T, Opener)
	}{
		{"Migrate", testMigrate},
		{"PublicVersion", testPublicVersion},
		{"PublicVersionWatch", testPublicVersionWatch},
		{"DemoAsOf", testDemoAsOf},
		{"DemoIdempotent", testDemoIdempotent},
		{"Successors", testSuccessors},
		{"Search", testSearch},
		{"BadBatchChangesNothing", testBadBatch},
		{"RenameAndMove", testRenameAndMove},
		{"Dissolve", testDissolve},
		{"NationalImport", testNationalImport},
		{"DemoAfterNational", testDemoAfterNational},
		{"GrantsAndScope", testGrantsAndScope},
		{"SessionsTokensThrottle", testSessionsTokensThrottle},
		{"AuditAppendOnly", testAuditAppendOnly},
		{"DemoFigures", testDemoFigures},
		{"ResidentsAsOf", testResidentsAsOf},
		{"ResidentRules", testResidentRules},
		{"PeopleImport", testPeopleImport},
		{"PeopleChunks", testPeopleChunks},
		{"RevisionTriggers", testRevisionTriggers},
		{"DemoDeterministic", testDemoDeterministic},
		{"TeamFigures", testTeamFigures},
		{"Schedules", testSchedules},
		{"Activities", testActivities},
		{"Trainees", testTrainees},
		{"Positions", testPositions},
		{"DossierHelpers", testDossierHelpers},
		{"CriteriaSets", testCriteriaSets},
		{"Computations", testComputations},
		{"AssessmentFlow", testAssessmentFlow},
		{"PastAssessment", testPastAssessment},
		{"MountainTarget", testMountainTarget},
		{"Stats", testStats},
		{"StatsAggregates", testStatsAggregates},
		{"SyncOnce", testSyncOnce},
		{"DaysOff", testDaysOff},
		{"Catalogue", testCatalogue},
		{"DossierFlow", testDossierFlow},
		{"DemoDossiers", testDemoDossiers},
		{"VillageInfo", testVillageInfo},
		{"Lookup", testLookup},
		{"ExportJobs", testExportJobs},
		{"Consents", testConsents},
		{"SubjectRequests", testSubjectRequests},
		{"Retention", testRetention},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel() // each test has its own database (file or schema)
			tc.fn(t, open)
		})
	}
}

// Ctx is the context tests use.
func Ctx() context.Context { return context.Background() }
