#!/usr/bin/env bash
# Where the CPU of a durable POST /record goes: async-profiler samples every thread of the service
# (cpu event, 1 ms) during a steady wrk load, and the table scales them to the process CPU time read
# from /proc/<pid>/stat over the same window (user + system, DuckDB's threads included).
# Usage: bench/record-profile.sh [seconds] [connections]
#   ASYNC_PROFILER=/path/to/libasyncProfiler.so (async-profiler 3.0, linux-x64)
#   PRELOADED=<dir> copies a data folder already holding the 1M rows instead of loading them.
#   PROFILE_OUT=<dir> keeps the collapsed stacks and a flame graph there.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
secs=${1:-30}
conns=${2:-64}
ap=${ASYNC_PROFILER:-/tmp/bulkbis/ap/linux-x64/libasyncProfiler.so}
[ -f "$ap" ] || { echo "async-profiler not found at $ap (set ASYNC_PROFILER)"; exit 1; }
build
work=$(mktemp -d /tmp/eider-profile.XXXX)
out=${PROFILE_OUT:-$work}
mkdir -p "$out"
trap 'stop_eider; rm -rf "$work"' EXIT
if [ -n "${PRELOADED:-}" ]; then
  cp -r "$PRELOADED/." "$work/"
else
  java "$root/bench/GenerateNdjson.java" "$work/preload.ndjson" 1000000
  start_eider "$work" 18082
  curl -sf -X POST -H 'Content-Type: application/x-ndjson' --data-binary @"$work/preload.ndjson" \
    http://127.0.0.1:18082/v1/tables/records/records > /dev/null
  curl -sf http://127.0.0.1:18082/v1/tables/records > /dev/null
  stop_eider
  rm "$work/preload.ndjson"
fi
start_eider "$work" 18082
# A long warm-up: on a busy machine the JIT compiler is still at work after 10 s.
wrk -t2 -c"$conns" -d30s -s "$root/bench/record.lua" http://127.0.0.1:18082 > /dev/null
# jcmd takes key=value words as its own options: the agent's options go in quotes of their own.
jcmd "$pid" JVMTI.agent_load "$ap" "\"start,event=cpu,interval=1ms,threads\"" > /dev/null
cpu0=$(cpu_ms "$pid")
wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$root/bench/record.lua" http://127.0.0.1:18082 > "$out/wrk.txt"
cpu1=$(cpu_ms "$pid")
jcmd "$pid" JVMTI.agent_load "$ap" "\"dump,file=$out/collapsed.txt,collapsed\"" > /dev/null
jcmd "$pid" JVMTI.agent_load "$ap" "\"stop,file=$out/flame.html,flamegraph\"" > /dev/null
grep -E "Requests/sec|99%|50%|Non-2xx" "$out/wrk.txt"
requests=$(awk '/requests in/ {print $1}' "$out/wrk.txt")
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
java "$root/bench/ProfileTable.java" "$out/collapsed.txt" $((cpu1 - cpu0)) "$requests"
