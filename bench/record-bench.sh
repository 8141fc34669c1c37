#!/usr/bin/env bash
# Single-record durable upserts: POST /record with random ids from 64 connections (wrk on the
# same machine), against a table preloaded with 1M rows. References in the same run: the same
# server answering GET /health/live (HTTP with no database work), and nginx answering a constant
# {"status":"success"} (skipped with a message when nginx is not installed).
# Usage: bench/record-bench.sh [seconds] [connections]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
secs=${1:-30}
conns=${2:-64}
build
work=$(mktemp -d /tmp/eider-record.XXXX)
trap 'stop_nginx; stop_eider; rm -rf "$work"' EXIT

# nginx_reference <port>: one worker (the service has 2 cores and wrk takes its share), no log.
nginx_pid=
nginx_reference() {
  local conf=$work/nginx.conf
  cat > "$conf" << CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx-body;
  server {
    listen 127.0.0.1:$1;
    location / { default_type application/json; return 200 '{"status":"success"}'; }
  }
}
CONF
  nginx -c "$conf" -p "$work" -g 'daemon off;' 2> /dev/null &
  nginx_pid=$!
  until curl -sf "http://127.0.0.1:$1/" > /dev/null; do
    kill -0 $nginx_pid 2> /dev/null || { echo "nginx did not start"; nginx_pid=; return 1; }
    sleep 0.01
  done
}

stop_nginx() {
  [ -n "$nginx_pid" ] && { kill "$nginx_pid" 2> /dev/null; wait "$nginx_pid" 2> /dev/null || true; }
  nginx_pid=
}
java "$root/bench/GenerateNdjson.java" "$work/preload.ndjson" 1000000
start_eider "$work" 18081
curl -sf -X POST -H 'Content-Type: application/x-ndjson' --data-binary @"$work/preload.ndjson" \
  http://127.0.0.1:18081/v1/tables/records/records > /dev/null
curl -sf http://127.0.0.1:18081/v1/tables/records > /dev/null   # waits until applied
stop_eider
start_eider "$work" 18081
echo "restart with 1M rows: ready in ${ready_ms} ms"
wrk -t2 -c"$conns" -d10s -s "$root/bench/record.lua" http://127.0.0.1:18081 > /dev/null   # warm-up
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
if command -v nginx > /dev/null && nginx_reference 18181; then
  wrk -t2 -c"$conns" -d5s -s "$root/bench/record.lua" http://127.0.0.1:18181 > /dev/null   # warm-up
  echo "--- reference: nginx return 200 (same POST, same connections)"
  wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$root/bench/record.lua" http://127.0.0.1:18181 \
    | grep -E "Requests/sec|99%|50%"
  stop_nginx
else
  echo "--- nginx reference skipped: nginx is not installed (apt-get install nginx-light)"
fi
echo "--- reference: GET /health/live"
wrk -t2 -c"$conns" -d"${secs}s" --latency http://127.0.0.1:18081/health/live | grep -E "Requests/sec|99%|50%"
echo "--- POST /record (durable upserts, random ids)"
wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$root/bench/record.lua" http://127.0.0.1:18081 | grep -E "Requests/sec|99%|50%|Non-2xx"
echo "rss_mb=$(rss_mb $pid) peak_rss_mb=$(peak_rss_mb $pid)"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
