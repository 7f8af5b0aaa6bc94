#!/usr/bin/env bash
# Unit-tree benchmarks on SQLite and PostgreSQL, several runs each, printed
# as one table of medians (these machines are shared and noisy).
#   bench/units.sh [COUNT]      (default 5 runs)
set -euo pipefail
export GOTOOLCHAIN=go1.27.3
cd "$(dirname "$0")/.."
count=${1:-5}
out=$(mktemp)
go test -run '^$' -bench 'NationalImport' -benchtime 2x -count "$count" ./internal/store/ >>"$out"
go test -run '^$' -bench 'UnitAt' -count "$count" ./internal/store/ >>"$out"
go test -run '^$' -bench 'CommunePage' -count "$count" ./internal/web/ >>"$out"
go test -run '^$' -bench 'Figures' -count "$count" ./internal/store/ >>"$out"
printf "%-36s %6s %15s %15s %15s\n" benchmark runs median min max
awk '/^Benchmark/ { name=$1; sub(/-[0-9]+$/, "", name); v[name]=v[name] " " $3; n[name]++ }
END {
  for (k in v) {
    m = split(substr(v[k], 2), a, " ")
    for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    med = (m % 2) ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
    printf "%-36s %6d %12.3f ms %12.3f ms %12.3f ms\n", k, m, med / 1e6, a[1] / 1e6, a[m] / 1e6
  }
}' "$out" | sort
rm -f "$out"
