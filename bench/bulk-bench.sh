#!/usr/bin/env bash
# Bulk NDJSON upsert of 1M records over HTTP against DuckDB's own load of the same file.
# Usage: bench/bulk-bench.sh [records] [runs]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
n=${1:-1000000}
runs=${2:-3}
build
work=$(mktemp -d /tmp/eider-bulk.XXXX)
trap 'stop_eider; rm -rf "$work"' EXIT
java "$root/bench/GenerateNdjson.java" "$work/records.ndjson" "$n"
echo "records=$n file_bytes=$(stat -c %s "$work/records.ndjson") runs=$runs"
# eider_cpu_s: the service's CPU time from the POST until the rows are visible; on a shared machine
# it varies far less than wall time.
printf '%-4s %12s %14s %16s %12s %14s\n' run native_s eider_ack_s eider_visible_s eider_cpu_s peak_rss_mb
for i in $(seq "$runs"); do
  native=$(java -cp "$jar" "$root/bench/NativeLoad.java" "$work/records.ndjson" 2 | tail -1)
  mkdir -p "$work/run$i"
  start_eider "$work/run$i" 18080
  c0=$(cpu_ms "$pid")
  t0=$(date +%s%N)
  curl -sf -X POST -H 'Content-Type: application/x-ndjson' --data-binary @"$work/records.ndjson" \
    http://127.0.0.1:18080/v1/tables/records/records > /dev/null
  t1=$(date +%s%N)
  # Reads wait for acknowledged writes to be applied: this answers once all rows are in DuckDB.
  count=$(curl -sf http://127.0.0.1:18080/v1/tables/records | sed 's/.*"row_count":\([0-9]*\).*/\1/')
  t2=$(date +%s%N)
  c2=$(cpu_ms "$pid")
  peak=$(peak_rss_mb "$pid")
  [ "$count" = "$n" ] || { echo "expected $n rows, found $count"; exit 1; }
  stop_eider
  printf '%-4s %12s %14.3f %16.3f %12.3f %14s\n' "$i" "$native" "$(echo "($t1-$t0)/1000000000" | bc -l)" \
    "$(echo "($t2-$t0)/1000000000" | bc -l)" "$(echo "($c2-$c0)/1000" | bc -l)" "$peak"
done
