#!/usr/bin/env bash
# Single-record durable upserts: POST /record with random ids from 64 connections (wrk on the
# same machine), against a table preloaded with 1M rows. Reference in the same run: the same
# server answering GET /health/live (HTTP with no database work).
# Usage: bench/record-bench.sh [seconds] [connections]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
secs=${1:-30}
conns=${2:-64}
build
work=$(mktemp -d /tmp/eider-record.XXXX)
trap 'stop_eider; rm -rf "$work"' EXIT
java "$root/bench/GenerateNdjson.java" "$work/preload.ndjson" 1000000
start_eider "$work" 18081
curl -sf -X POST -H 'Content-Type: application/x-ndjson' --data-binary @"$work/preload.ndjson" \
  http://127.0.0.1:18081/v1/tables/records/records > /dev/null
curl -sf http://127.0.0.1:18081/v1/tables/records > /dev/null   # waits until applied
stop_eider
start_eider "$work" 18081
echo "restart with 1M rows: ready in ${ready_ms} ms"
wrk -t2 -c"$conns" -d10s -s "$root/bench/record.lua" http://127.0.0.1:18081 > /dev/null   # warm-up
echo "--- reference: GET /health/live"
wrk -t2 -c"$conns" -d"${secs}s" --latency http://127.0.0.1:18081/health/live | grep -E "Requests/sec|99%|50%"
echo "--- POST /record (durable upserts, random ids)"
wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$root/bench/record.lua" http://127.0.0.1:18081 | grep -E "Requests/sec|99%|50%|Non-2xx"
echo "rss_mb=$(rss_mb $pid) peak_rss_mb=$(peak_rss_mb $pid)"
