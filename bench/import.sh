#!/usr/bin/env bash
# Resident spreadsheet benchmarks: reading a 100 000-row .xlsx (streamed)
# and importing it end to end into SQLite, with peak heap.
#   bench/import.sh [COUNT]      (default 3 runs)
set -euo pipefail
export GOTOOLCHAIN=go1.27.3
cd "$(dirname "$0")/.."
count=${1:-3}
go test -run '^$' -bench 'ReadResidents100k|ImportPeople100k' -benchtime 1x -count "$count" -timeout 30m ./internal/importer/ |
	awk '/^Benchmark/ { name=$1; sub(/-[0-9]+$/, "", name); for (i = 3; i < NF; i++) if ($(i+1) ~ /MB$|^ms$/) printf "%-32s %12.1f %s\n", name, $i, $(i+1); printf "%-32s %12.2f s\n", name, $3/1e9 }'
