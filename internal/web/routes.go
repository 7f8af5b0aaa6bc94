package web

import "net/http"

// routes lists every page; one handler file per page.
func (s *Server) routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /static/{file}", s.serveStatic)
	mux.HandleFunc("GET /lang/{lang}", s.setLang)
	mux.HandleFunc("GET /{$}", s.home)
	mux.HandleFunc("GET /units", s.unitSearch)
	mux.HandleFunc("GET /units/{code}", s.unitShow)
	mux.HandleFunc("/", s.notFoundPage)
}
