#!/usr/bin/env bash
# Update-heavy ingest as the table grows (issue 10, goal 1): single-record durable POST /record from
# 64 connections with ids drawn uniformly from [1, ROWS], first into an empty table (nearly every
# write inserts), then into a table already holding those ROWS ids (every write updates a record).
# The reference is the empty-table run of the same script on the same machine. While each run goes,
# the applier's lag (acknowledged rows not yet applied) is sampled from /metrics every 5 s.
# Usage: bench/update-bench.sh [seconds] [rows] [connections]   (defaults: 300 10000000 64)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
secs=${1:-300}
rows=${2:-10000000}
conns=${3:-64}
build
work=$(mktemp -d /tmp/eider-update.XXXX)
trap 'stop_eider; rm -rf "$work"' EXIT
cat > "$work/ids.lua" << LUA
math.randomseed(os.time())
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  local id = math.random(1, $rows)
  return wrk.format(nil, "/record", nil, '{"id":' .. id .. ',"value":"value-' .. id .. '"}')
end
LUA

# run <label>: the workload against the server on 18082, with the lag sampled meanwhile.
run() {
  echo "--- $1: ${secs}s, $conns connections, ids uniform in [1, $rows]"
  (while sleep 5; do
     curl -s http://127.0.0.1:18082/metrics | awk '/^eider_apply_lag_rows/ {print $2}'
   done > "$work/lag.txt") &
  local sampler=$!
  local applier cpu0 app0 out reqs
  applier=$(grep -l '^eider-applier$' /proc/$pid/task/*/comm | head -1 | cut -d/ -f5)
  cpu0=$(cpu_ms $pid); app0=$(thread_cpu_ms $pid $applier)
  out=$(wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$work/ids.lua" http://127.0.0.1:18082)
  echo "$out" | grep -E "Requests/sec|50%|99%|Non-2xx|Socket errors"
  reqs=$(echo "$out" | awk '/requests in/ {print $1}')
  echo "cpu per request: process $(( ($(cpu_ms $pid) - cpu0) * 1000 / reqs )) us, applier thread" \
    "$(( ($(thread_cpu_ms $pid $applier) - app0) * 1000 / reqs )) us"
  kill $sampler 2> /dev/null; wait $sampler 2> /dev/null || true
  sort -g "$work/lag.txt" | awk '{v[NR]=$1} END {printf "apply lag rows: median %d, max %d (%d samples)\n", v[int((NR+1)/2)], v[NR], NR}'
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); rss_mb=$(rss_mb $pid)"
}

mkdir "$work/empty" "$work/full"
start_eider "$work/empty" 18082
wrk -t2 -c"$conns" -d10s -s "$work/ids.lua" http://127.0.0.1:18082 > /dev/null   # warm-up
run "reference: into an empty table"
stop_eider

start_eider "$work/full" 18082
echo "--- loading ids 1..$rows in NDJSON bodies of 1M lines"
t0=$(date +%s%N)
load_ids 18082 "$rows"
curl -sf http://127.0.0.1:18082/v1/tables/records | grep -o '"row_count":[0-9]*'   # waits until applied
echo "loaded in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
stop_eider
start_eider "$work/full" 18082
wrk -t2 -c"$conns" -d10s -s "$work/ids.lua" http://127.0.0.1:18082 > /dev/null   # warm-up
run "into a table of $rows rows (every write updates)"
curl -sf http://127.0.0.1:18082/v1/tables/records | grep -o '"row_count":[0-9]*'
