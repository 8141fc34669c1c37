#!/usr/bin/env bash
# Keyset pagination on a large table: GET /v1/tables/records/records?after=<k>&limit=<n> at the start, the
# middle and the end of a table of ROWS records loaded in random key order (as upserts arrive), beside
# GET /health/live (a no-op route) in the same run. DuckDB has no ordered index scan, so a page's cost
# depends on how many rows follow the cursor; this shows by how much.
# Usage: bench/page-bench.sh [rows=10000000] [limit=100] [pages=20]
# With OLD_JAR=<jar of another build>, the same data is also paged by that build, alternating.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
rows=${1:-10000000}
limit=${2:-100}
pages=${3:-20}
build
work=$(mktemp -d /tmp/eider-page.XXXX)
trap 'stop_eider; rm -rf "$work"' EXIT
mkdir "$work/data"
start_eider "$work/data" 18084
echo "--- loading $rows records in random key order (NDJSON bodies of 1M lines)"
load_ids 18084 "$rows" shuffled
curl -sf http://127.0.0.1:18084/v1/tables/records | grep -o '"row_count":[0-9]*'
stop_eider

# median_ms <url>: the median time of $pages GETs of the url, in ms.
median_ms() {
  for _ in $(seq "$pages"); do curl -sf -o /dev/null -w '%{time_total}\n' "$1"; done \
    | sort -g | awk '{v[NR]=$1} END {printf "%.1f", v[int((NR+1)/2)] * 1000}'
}

measure() {
  local label=$1 base=http://127.0.0.1:18084
  start_eider "$work/data" 18084
  curl -sf "$base/v1/tables/records/records?limit=$limit" > /dev/null   # warm-up
  printf '%-10s %12s %12s %12s %12s\n' "$label" "$(median_ms "$base/health/live")" \
    "$(median_ms "$base/v1/tables/records/records?limit=$limit")" \
    "$(median_ms "$base/v1/tables/records/records?after=$((rows / 2))&limit=$limit")" \
    "$(median_ms "$base/v1/tables/records/records?after=$((rows - limit - 1))&limit=$limit")"
  stop_eider
}

echo "--- median of $pages requests each, ms; pages of $limit records"
printf '%-10s %12s %12s %12s %12s\n' build live first_page middle_page last_page
for round in 1 2; do
  jar=$root/target/eider.jar measure "this"
  if [ -n "${OLD_JAR:-}" ]; then jar=$OLD_JAR measure "old"; fi
done
