#!/usr/bin/env bash
# Update-heavy ingest as the table grows (issue 10, goal 1): single-record durable POST /record from
# 64 connections with ids drawn uniformly from [1, ROWS], first into an empty table (nearly every
# write inserts), then into a table already holding those ROWS ids (every write updates a record).
# The reference is the empty-table run of the same script on the same machine. While each run goes,
# the applier's lag (acknowledged rows not yet applied) is sampled from /metrics every 5 s.
# Usage: bench/update-bench.sh [seconds] [rows] [connections]   (defaults: 300 10000000 64)
# STORE=postgres runs both phases on PostgreSQL instead (started as bench/pg-bench.sh starts it, a database
# for each phase; the full table is loaded by SQL, as pg-bench loads its own).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
secs=${1:-300}
rows=${2:-10000000}
conns=${3:-64}
store=${STORE:-duckdb}
build
work=$(mktemp -d /tmp/eider-update.XXXX)
trap 'stop_eider; stop_pg; rm -rf "$work"' EXIT
if [ "$store" = postgres ]; then
  bench_classpath
  start_pg "$work"
fi

# eider_on <phase>: the service for one phase, on its own folder (and database).
eider_on() {
  if [ "$store" = postgres ]; then
    # "full" is a keyword in PostgreSQL: each phase's database is named update_<phase>.
    [ "$(pg postgres -Atc "SELECT count(*) FROM pg_database WHERE datname = 'update_$1'")" = 1 ] \
      || pg postgres -c "CREATE DATABASE update_$1"
    EIDER_DATABASE=$(jdbc "update_$1") start_eider "$work/$1" 18082
  else
    start_eider "$work/$1" 18082
  fi
}
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
  # PostgreSQL has no applier (writes go to the database as they are logged): its column stays 0.
  applier=$(grep -l '^eider-applier$' /proc/$pid/task/*/comm | head -1 | cut -d/ -f5 || true)
  app_ms() { if [ -n "$applier" ]; then thread_cpu_ms $pid $applier; else echo 0; fi; }
  cpu0=$(cpu_ms $pid); app0=$(app_ms)
  out=$(wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$work/ids.lua" http://127.0.0.1:18082)
  echo "$out" | grep -E "Requests/sec|50%|99%|Non-2xx|Socket errors"
  reqs=$(echo "$out" | awk '/requests in/ {print $1}')
  echo "cpu per request: process $(( ($(cpu_ms $pid) - cpu0) * 1000 / reqs )) us, applier thread" \
    "$(( ($(app_ms) - app0) * 1000 / reqs )) us"
  kill $sampler 2> /dev/null; wait $sampler 2> /dev/null || true
  sort -g "$work/lag.txt" | awk '{v[NR]=$1} END {printf "apply lag rows: median %d, max %d (%d samples)\n", v[int((NR+1)/2)], v[NR], NR}'
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); rss_mb=$(rss_mb $pid)"
}

mkdir "$work/empty" "$work/full"
eider_on empty
wrk -t2 -c"$conns" -d10s -s "$work/ids.lua" http://127.0.0.1:18082 > /dev/null   # warm-up
run "reference: into an empty table"
stop_eider

eider_on full
echo "--- loading ids 1..$rows"
t0=$(date +%s%N)
if [ "$store" = postgres ]; then
  pg update_full -c "INSERT INTO records SELECT i, 'value-' || i, nextval('_eider_seq'), false, pg_current_xact_id()
              FROM generate_series(1, $rows) i" -c "VACUUM ANALYZE records"
else
  load_ids 18082 "$rows"
fi
curl -sf http://127.0.0.1:18082/v1/tables/records | grep -o '"row_count":[0-9]*'   # waits until applied
echo "loaded in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
stop_eider
eider_on full
wrk -t2 -c"$conns" -d10s -s "$work/ids.lua" http://127.0.0.1:18082 > /dev/null   # warm-up
run "into a table of $rows rows (every write updates)"
curl -sf http://127.0.0.1:18082/v1/tables/records | grep -o '"row_count":[0-9]*'
