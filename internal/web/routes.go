package web

import (
	"net/http"

	"thonso/internal/domain"
)

// Route is one entry of the route table, which the authorization matrix
// test walks: a route added here without rows there fails that test.
type Route struct {
	Method, Pattern string
	Public          bool
	Perm            domain.Permission
}

type routeDef struct {
	Route
	h http.HandlerFunc
}

func (s *Server) table() []routeDef {
	pub := func(m, p string, h http.HandlerFunc) routeDef { return routeDef{Route{m, p, true, ""}, h} }
	user := func(m, p string, h http.HandlerFunc) routeDef { return routeDef{Route{m, p, false, ""}, h} }
	perm := func(m, p string, perm domain.Permission, h http.HandlerFunc) routeDef {
		return routeDef{Route{m, p, false, perm}, h}
	}
	return []routeDef{
		pub("GET", "/healthz", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.Write([]byte("ok\n"))
		}),
		pub("GET", "/readyz", s.readyz),
		pub("GET", "/metrics", s.metrics),
		pub("GET", "/static/{file}", s.serveStatic),
		pub("GET", "/lang/{lang}", s.setLang),
		pub("GET", "/{$}", s.home),
		pub("GET", "/units", s.unitSearch),
		pub("GET", "/units/{code}", s.unitShow),
		pub("GET", "/teams/{id}", s.teamShow),
		pub("GET", "/lich/{file}", s.icsFeed),
		pub("GET", "/days-off", s.daysOff),
		pub("GET", "/procedures", s.procedureList),
		pub("GET", "/u/{code}", s.publicBoard),
		pub("GET", "/sw.js", s.serviceWorker),
		pub("GET", "/manifest.webmanifest", s.manifest),
		perm("GET", "/offline", domain.PermDossierEdit, s.offline),
		perm("POST", "/offline/device", domain.PermDossierEdit, s.offlineDevice),
		pub("GET", "/v/{slug}", s.villagePage),
		pub("GET", "/v/{slug}/qr.svg", s.villageQRSVG),
		pub("GET", "/v/{slug}/qr.png", s.villageQRPNG),
		pub("GET", "/v/{slug}/poster.pdf", s.villagePoster),
		pub("GET", "/v/{slug}/photo.jpg", s.villagePhoto),
		pub("GET", "/tra-cuu", s.lookupForm),
		pub("POST", "/tra-cuu", s.lookup),
		pub("GET", "/login", s.loginForm),
		pub("POST", "/login", s.login),
		user("POST", "/logout", s.logout),
		user("POST", "/logout-all", s.logoutAll),
		user("GET", "/me", s.me),
		user("GET", "/me/password", s.passwordForm),
		user("POST", "/me/password", s.passwordChange),
		user("POST", "/me/tokens", s.tokenCreate),
		user("POST", "/me/tokens/{id}/revoke", s.tokenRevoke),
		perm("GET", "/users", domain.PermUserManage, s.userList),
		perm("GET", "/users/new", domain.PermUserManage, s.userNewForm),
		perm("POST", "/users", domain.PermUserManage, s.userCreate),
		perm("GET", "/users/{id}", domain.PermUserManage, s.userShow),
		perm("POST", "/users/{id}/grants", domain.PermUserManage, s.grantAdd),
		perm("POST", "/users/{id}/grants/{gid}/revoke", domain.PermUserManage, s.grantRevoke),
		perm("POST", "/users/{id}/grants/{gid}/keep", domain.PermUserManage, s.grantKeep),
		perm("POST", "/users/{id}/password", domain.PermUserManage, s.passwordReset),
		perm("GET", "/villages/{code}/residents", domain.PermResidentView, s.residentList),
		perm("GET", "/villages/{code}/households/new", domain.PermResidentEdit, s.householdNewForm),
		perm("POST", "/villages/{code}/households", domain.PermResidentEdit, s.householdCreate),
		perm("GET", "/households/{id}", domain.PermResidentView, s.householdShow),
		perm("POST", "/households/{id}", domain.PermResidentEdit, s.householdUpdate),
		perm("GET", "/households/{id}/residents/new", domain.PermResidentEdit, s.residentNewForm),
		perm("POST", "/households/{id}/residents", domain.PermResidentEdit, s.residentCreate),
		perm("GET", "/residents/{id}", domain.PermResidentView, s.residentShow),
		perm("POST", "/residents/{id}/reveal", domain.PermResidentViewPII, s.residentReveal),
		perm("GET", "/residents/{id}/edit", domain.PermResidentEdit, s.residentEditForm),
		perm("POST", "/residents/{id}/consents", domain.PermResidentEdit, s.residentConsent),
		perm("POST", "/residents/{id}/consents/{cid}/withdraw", domain.PermResidentEdit, s.residentConsentWithdraw),
		perm("POST", "/residents/{id}/requests", domain.PermResidentViewPII, s.requestCreate),
		perm("GET", "/requests", domain.PermResidentViewPII, s.requestList),
		perm("GET", "/requests/{id}", domain.PermResidentViewPII, s.requestShow),
		perm("POST", "/requests/{id}/close", domain.PermResidentViewPII, s.requestClose),
		perm("GET", "/requests/{id}/{file}", domain.PermResidentViewPII, s.requestData),
		perm("POST", "/residents/{id}", domain.PermResidentEdit, s.residentUpdate),
		perm("GET", "/import/residents", domain.PermResidentEdit, s.importForm),
		perm("GET", "/import/residents/template.xlsx", domain.PermResidentEdit, s.importTemplate),
		perm("POST", "/import/residents", domain.PermResidentEdit, s.importUpload),
		perm("GET", "/import/residents/{id}", domain.PermResidentEdit, s.importStatus),
		perm("POST", "/import/residents/{id}/apply", domain.PermResidentEdit, s.importApply),
		perm("GET", "/import/residents/{id}/rejected.xlsx", domain.PermResidentEdit, s.importRejected),
		perm("POST", "/teams/{id}/members", domain.PermTeamManage, s.memberAdd),
		perm("POST", "/teams/{id}/members/{mid}/consent", domain.PermTeamManage, s.memberConsent),
		perm("POST", "/teams/{id}/members/{mid}/consent/withdraw", domain.PermTeamManage, s.memberConsentWithdraw),
		perm("POST", "/teams/{id}/slots", domain.PermTeamManage, s.slotAdd),
		perm("POST", "/teams/{id}/exceptions", domain.PermTeamManage, s.exceptionAdd),
		perm("POST", "/teams/{id}/members/{mid}/feed", domain.PermTeamManage, s.feedCreate),
		perm("POST", "/teams/{id}/slots/{sid}/roster", domain.PermTeamManage, s.rosterSet),
		perm("POST", "/teams/{id}/logs", domain.PermTeamManage, s.logAdd),
		perm("POST", "/teams/{id}/trainings", domain.PermTeamManage, s.trainingAdd),
		perm("POST", "/teams/{id}/announcements", domain.PermTeamManage, s.announcementAdd),
		perm("GET", "/trainings/{id}", domain.PermTeamManage, s.trainingShow),
		perm("POST", "/trainings/{id}/residents", domain.PermTeamManage, s.traineesAdd),
		perm("GET", "/positions", domain.PermUnitManage, s.positionList),
		perm("POST", "/positions", domain.PermUnitManage, s.positionAdd),
		perm("POST", "/days-off", domain.PermUnitManage, s.dayOffSave),
		perm("GET", "/procedures/{code}/edit", domain.PermUnitManage, s.procedureEditForm),
		perm("GET", "/units/{code}/dossiers", domain.PermReportView, s.dossierCounts),
		perm("GET", "/units/{code}/step-labels", domain.PermCriteriaManage, s.stepLabelsForm),
		perm("POST", "/units/{code}/step-labels", domain.PermCriteriaManage, s.stepLabelsSave),
		perm("POST", "/procedures/{code}", domain.PermUnitManage, s.procedureUpdate),
		perm("POST", "/villages/{code}/featured", domain.PermTeamManage, s.featuredSet),
		perm("GET", "/villages/{code}/public", domain.PermTeamManage, s.villageEdit),
		perm("POST", "/villages/{code}/intro", domain.PermTeamManage, s.introSave),
		perm("POST", "/villages/{code}/photo", domain.PermTeamManage, s.photoUpload),
		perm("POST", "/villages/{code}/wifi", domain.PermTeamManage, s.wifiAdd),
		perm("POST", "/villages/{code}/equipment", domain.PermTeamManage, s.equipmentAdd),
		perm("POST", "/villages/{code}/zalo", domain.PermTeamManage, s.zaloAdd),
		perm("POST", "/villages/{code}/infra/{kind}/{id}/end", domain.PermTeamManage, s.infraEnd),
		perm("GET", "/villages/{code}/dossiers", domain.PermDossierEdit, s.dossierQueue),
		perm("GET", "/villages/{code}/dossiers/new", domain.PermDossierEdit, s.dossierNewForm),
		perm("GET", "/villages/{code}/dossiers/log", domain.PermDossierEdit, s.dossierLog),
		perm("POST", "/villages/{code}/dossiers", domain.PermDossierEdit, s.dossierCreate),
		perm("GET", "/dossiers/{id}", domain.PermDossierEdit, s.dossierShow),
		perm("POST", "/dossiers/{id}/steps", domain.PermDossierEdit, s.dossierStep),
		perm("POST", "/dossiers/{id}/documents", domain.PermDossierEdit, s.dossierDocuments),
		perm("GET", "/criteria", domain.PermCriteriaManage, s.criteriaSets),
		perm("GET", "/criteria/{id}", domain.PermCriteriaManage, s.criteriaSetShow),
		perm("POST", "/criteria/{id}", domain.PermCriteriaManage, s.criteriaSetUpdate),
		perm("POST", "/criteria/{id}/copy", domain.PermCriteriaManage, s.criteriaSetCopy),
		perm("POST", "/criteria/{id}/status", domain.PermCriteriaManage, s.criteriaSetStatus),
		perm("GET", "/villages/{code}/scorecard", domain.PermReportView, s.scorecard),
		perm("GET", "/units/{code}/criteria", domain.PermReportView, s.criteriaMatrix),
		perm("GET", "/units/{code}/dashboard", domain.PermReportView, s.dashboard),
		perm("GET", "/units/{code}/rankings", domain.PermReportView, s.rankings),
		perm("GET", "/units/{code}/export", domain.PermReportView, s.unitExport),
		perm("GET", "/exports/{id}", domain.PermReportView, s.exportJob),
		perm("GET", "/exports/{id}/file", domain.PermReportView, s.exportFile),
		perm("GET", "/villages/{code}/scorecard/{indicator}", domain.PermReportView, s.scorecardRows),
		perm("POST", "/villages/{code}/assessments", domain.PermTeamManage, s.assessmentStart),
		perm("GET", "/assessments/{id}", domain.PermReportView, s.assessmentShow),
		perm("GET", "/assessments/{id}/rows/{indicator}", domain.PermReportView, s.assessmentRows),
		perm("POST", "/assessments/{id}/values/{indicator}", domain.PermTeamManage, s.assessmentValue),
		user("POST", "/assessments/{id}/review", s.assessmentReview),
		perm("GET", "/evidence/{id}", domain.PermReportView, s.evidenceFile),
		perm("GET", "/audit", domain.PermAuditView, s.auditList),
		perm("GET", "/audit.csv", domain.PermAuditView, s.auditExport),
	}
}

// Routes lists every route with its access rule.
func (s *Server) Routes() []Route {
	var out []Route
	for _, d := range s.table() {
		out = append(out, d.Route)
	}
	return out
}

func (s *Server) routes(mux *http.ServeMux) {
	for _, d := range s.table() {
		h := d.h
		if d.Method == http.MethodGet && replicaRoute(d.Pattern) {
			h = s.readReplica(h)
		}
		mux.HandleFunc(d.Method+" "+d.Pattern, s.guard(access{public: d.Public, perm: d.Perm}, h))
	}
	mux.HandleFunc("/", s.notFoundPage)
}
