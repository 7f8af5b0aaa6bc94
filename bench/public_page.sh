#!/usr/bin/env bash
# The public village page under concurrent load, and its size over the
# wire. Starts `thonso serve --demo` on a fresh SQLite file on loopback,
# measures /v/dong-cam with wrk (apt-get install wrk) when it is there,
# else with the Go benchmark, then stops the server.
#   bench/public_page.sh [SECONDS] [CONNECTIONS]     (default 10 s, 32)
set -euo pipefail
export GOTOOLCHAIN=go1.27.3
cd "$(dirname "$0")/.."
secs=${1:-10}
conns=${2:-32}
tmp=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
base="http://127.0.0.1:$port"
go build -o "$tmp/thonso" ./cmd/thonso
"$tmp/thonso" serve --demo --db "sqlite:$tmp/bench.db" --addr "127.0.0.1:$port" >"$tmp/serve.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 1 60); do
	curl -fsS "$base/healthz" >/dev/null 2>&1 && break
	sleep 0.5
done
page="$base/v/dong-cam"
html_gz=$(curl -fsS -H 'Accept-Encoding: gzip' -o /dev/null -w '%{size_download}' "$page")
html_raw=$(curl -fsS -o /dev/null -w '%{size_download}' "$page")
hdr=$(curl -fsS -H 'Accept-Encoding: gzip' -o /dev/null -w '%{size_header}' "$page")
css=$(curl -fsS "$page" | grep -o '/static/public\.[0-9a-f]*\.css' | head -1)
css_bytes=$(curl -fsS -o /dev/null -w '%{size_download}' "$base$css")
etag=$(curl -fsS -D - -o /dev/null -H 'Accept-Encoding: gzip' "$page" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag" {print $2}')
not_modified=$(curl -s -o /dev/null -w '%{http_code} %{size_download}' -H 'Accept-Encoding: gzip' -H "If-None-Match: $etag" "$page")
printf '%-40s %8s\n' "what" "bytes"
printf '%-40s %8d\n' "page HTML, gzip (body on the wire)" "$html_gz"
printf '%-40s %8d\n' "page HTML, uncompressed" "$html_raw"
printf '%-40s %8d\n' "response headers" "$hdr"
printf '%-40s %8d\n' "stylesheet (first visit only, immutable)" "$css_bytes"
printf '%-40s %8d\n' "first visit total (HTML gz + CSS)" "$((html_gz + css_bytes))"
printf '%-40s %8s\n' "repeat visit (If-None-Match)" "$not_modified"
echo
if command -v wrk >/dev/null 2>&1; then
	echo "== wrk: ${secs}s, $conns connections, 2 threads, gzip"
	wrk -t2 -c"$conns" -d"${secs}s" --latency -H 'Accept-Encoding: gzip' "$page" | sed -n '1,20p'
	echo
	echo "== wrk: repeat visits (304), ${secs}s, $conns connections"
	wrk -t2 -c"$conns" -d"${secs}s" --latency -H 'Accept-Encoding: gzip' -H "If-None-Match: $etag" "$page" | sed -n '1,20p'
else
	echo "== wrk not installed: Go benchmark (parallel clients)"
	go test -run '^$' -bench 'VillagePage' -benchtime "${secs}s" ./internal/web/
fi
