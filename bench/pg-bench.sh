#!/usr/bin/env bash
# Eider on PostgreSQL beside PostgreSQL's own best, in one run on one PostgreSQL 16 (zonky's binaries,
# started by dev.eider.bench.PgServer with fsync and synchronous_commit on):
#  1. single-record POST /record (wrk, bench/record.lua, random ids in 1..1M on a 1M-row table) into 1
#     instance and into 3 instances at once (one wrk each, rates summed), against pgbench running the
#     same single-row INSERT ... ON CONFLICT with as many clients; GET /health/live as the no-op ceiling;
#  2. an NDJSON upsert of BULK rows into 1 instance (and a third into each of 3), against psql's
#     \copy of the same rows into a staging table plus one INSERT ... SELECT ... ON CONFLICT;
#  3. exports of an EXPORT_ROWS-row table to a local folder: a snapshot against psql's COPY ... TO a
#     CSV file plus DuckDB's conversion of that file to Parquet, and changes exports of 1,000 rows.
# Usage: bench/pg-bench.sh [seconds=15] [bulk_rows=1000000] [export_rows=1000000] [connections=64]
# (0 for seconds or bulk_rows skips that part, e.g. "bench/pg-bench.sh 0 0 10000000" for exports alone)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
secs=${1:-15}
bulk=${2:-1000000}
export_rows=${3:-1000000}
conns=${4:-64}
build
bench_classpath
work=$(mktemp -d /tmp/eider-pg.XXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2> /dev/null || true; wait "$p" 2> /dev/null || true; done
  stop_pg
  rm -rf "$work"
}
trap cleanup EXIT
summary="$work/summary"
row() { printf '%-58s %14s %14s %8s\n' "$@" | tee -a "$summary"; }
now() { date +%s%N; }
secs_since() { echo "($(now) - $1) / 1000000000" | bc -l | xargs printf '%.3f'; }
ratio() { echo "$1 / $2" | bc -l | xargs printf '%.2f'; }


# post_ndjson <port> <file>, row_count <port>: used by the bulk and the export parts alike.
post_ndjson() { curl -sf -X POST -H 'Content-Type: application/x-ndjson' --data-binary @"$2" \
  "http://127.0.0.1:$1/v1/tables/records/records" > /dev/null; }
row_count() { curl -sf "http://127.0.0.1:$1/v1/tables/records" | jq .row_count; }

# eider_up <name> <port> <database>: one instance in its own folder, exports only when asked.
export EIDER_EXPORT_EVERY=24h
eider_up() {
  mkdir -p "$work/$1"
  EIDER_DATABASE=$(jdbc "$3") EIDER_EXPORT_TARGET="file:$work/$1/exports" start_eider "$work/$1" "$2"
  pids+=("$pid")
}
eider_down() {
  for p in "${pids[@]}"; do kill "$p" 2> /dev/null || true; wait "$p" 2> /dev/null || true; done
  pids=()
}
wrk_rate() { awk '/Requests\/sec/ {print $2}' "$1"; }
wrk_p99() { awk '$1 == "99%" {print $2}' "$1"; }
wrk_errors() { grep -E "Non-2xx|Socket errors" "$1" || true; }

echo "machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GB; $(uptime | sed 's/.*load/load/')"
start_pg "$work"
echo "PostgreSQL $(pg postgres -Atc 'SHOW server_version'): fsync=$(pg postgres -Atc 'SHOW fsync')" \
  "synchronous_commit=$(pg postgres -Atc 'SHOW synchronous_commit')" \
  "shared_buffers=$(pg postgres -Atc 'SHOW shared_buffers')"
printf '%-58s %14s %14s %8s\n' "measure" "eider" "postgresql" "ratio" | tee "$summary"

# ---------------------------------------------------------------- 1. single-record upserts
if [ "$secs" != 0 ]; then
echo "--- 1. single-record upserts, $conns connections, ${secs}s each"
pg postgres -c "CREATE DATABASE rec"
eider_up rec1 18091 rec
pg rec -c "INSERT INTO records SELECT i, 'value-' || i, nextval('_eider_seq'), false, pg_current_xact_id()
           FROM generate_series(1, 1000000) i" -c "VACUUM ANALYZE records"
wrk -t2 -c"$conns" -d5s -s "$root/bench/record.lua" http://127.0.0.1:18091 > /dev/null   # warm-up
wrk -t2 -c"$conns" -d"${secs}s" --latency http://127.0.0.1:18091/health/live > "$work/live.txt"
wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$root/bench/record.lua" http://127.0.0.1:18091 > "$work/one.txt"
wrk_errors "$work/one.txt"
eider_up rec2 18092 rec
eider_up rec3 18093 rec
warm_pids=()
for port in 18091 18092 18093; do   # warm-up of the two new instances (and the first again)
  wrk -t1 -c"$conns" -d5s -s "$root/bench/record.lua" "http://127.0.0.1:$port" > /dev/null &
  warm_pids+=($!)
done
wait "${warm_pids[@]}"
three_pids=()
for port in 18091 18092 18093; do
  wrk -t1 -c"$conns" -d"${secs}s" --latency -s "$root/bench/record.lua" "http://127.0.0.1:$port" > "$work/three-$port.txt" &
  three_pids+=($!)
done
wait "${three_pids[@]}"
three=0
for port in 18091 18092 18093; do
  wrk_errors "$work/three-$port.txt"
  three=$(echo "$three + $(wrk_rate "$work/three-$port.txt")" | bc -l)
done
eider_down
# PostgreSQL's own: the same statement Eider's upsert runs per row, one transaction per row.
cat > "$work/upsert.sql" << 'EOF'
\set id random(1, 1000000)
INSERT INTO records (id, value, _seq, _deleted, _xid) VALUES (:id, 'value-' || :id, nextval('_eider_seq'), false, pg_current_xact_id()) ON CONFLICT (id) DO UPDATE SET value = excluded.value, _seq = nextval('_eider_seq'), _deleted = excluded._deleted, _xid = excluded._xid;
EOF
pgbench -n -M prepared -c "$conns" -j 2 -T "$secs" -f "$work/upsert.sql" "postgresql://postgres@127.0.0.1:$pg_port/rec" \
  > "$work/pgbench.txt" 2>&1
pgb=$(awk '/^tps/ {printf "%.0f", $3}' "$work/pgbench.txt")
pgb_lat=$(awk '/latency average/ {print $4}' "$work/pgbench.txt")
one=$(printf '%.0f' "$(wrk_rate "$work/one.txt")")
live=$(wrk_rate "$work/live.txt")
row "POST /record, 1 instance (req/s; p99 $(wrk_p99 "$work/one.txt"))" "$one" "$pgb" "$(ratio "$one" "$pgb")"
row "POST /record, 3 instances, 3x$conns connections (req/s)" "$(printf '%.0f' "$three")" "$pgb" "$(ratio "$three" "$pgb")"
row "  (pgbench: $conns clients, latency avg ${pgb_lat} ms)" "" "" ""
row "GET /health/live, 1 instance: HTTP ceiling (req/s)" "$(printf '%.0f' "$live")" "" ""
fi

# ---------------------------------------------------------------- 2. bulk NDJSON upserts
if [ "$bulk" != 0 ]; then
echo "--- 2. bulk upsert of $bulk rows"
java "$root/bench/GenerateNdjson.java" "$work/bulk.ndjson" "$bulk"
sed -E 's/^\{"id":([0-9]+),"value":"([^"]*)"\}$/\1,\2/' "$work/bulk.ndjson" > "$work/bulk.csv"
split -n l/3 -d "$work/bulk.ndjson" "$work/third.ndjson."
split -n l/3 -d "$work/bulk.csv" "$work/third.csv."
reference_load() {   # <database> <csv file>: the rows staged by \copy, merged by one INSERT ... ON CONFLICT
  pg "$1" << EOF
BEGIN;
CREATE TEMP TABLE stage (id bigint, value text) ON COMMIT DROP;
\copy stage FROM '$2' (FORMAT csv)
INSERT INTO ref SELECT id, value, nextval('_eider_seq'), false, pg_current_xact_id() FROM stage
  ON CONFLICT (id) DO UPDATE SET value = excluded.value, _seq = nextval('_eider_seq'), _deleted = excluded._deleted,
  _xid = excluded._xid;
COMMIT;
EOF
}
pg postgres -c "CREATE DATABASE bulk1"
eider_up bulk1 18091 bulk1
pg bulk1 -c "CREATE TABLE ref (LIKE records INCLUDING ALL)"   # same columns, key and _xid index
t0=$(now); reference_load bulk1 "$work/bulk.csv"; ref1=$(secs_since "$t0")
t0=$(now); post_ndjson 18091 "$work/bulk.ndjson"; ack1=$(secs_since "$t0")
count=$(row_count 18091); vis1=$(secs_since "$t0")
[ "$count" = "$bulk" ] || { echo "expected $bulk rows, found $count"; exit 1; }
eider_down
row "NDJSON upsert $bulk rows, 1 instance: acknowledged (s)" "$ack1" "$ref1" "$(ratio "$ref1" "$ack1")"
row "  same, visible: GET /v1/tables/records counts them (s)" "$vis1" "$ref1" "$(ratio "$ref1" "$vis1")"

pg postgres -c "CREATE DATABASE bulk3"
for i in 1 2 3; do eider_up "bulk3-$i" "1809$i" bulk3; done
pg bulk3 -c "CREATE TABLE ref (LIKE records INCLUDING ALL)"
t0=$(now)
load_pids=()
for i in 0 1 2; do reference_load bulk3 "$work/third.csv.0$i" & load_pids+=($!); done
wait "${load_pids[@]}"
ref3=$(secs_since "$t0")
t0=$(now)
load_pids=()
for i in 0 1 2; do post_ndjson "1809$((i + 1))" "$work/third.ndjson.0$i" & load_pids+=($!); done
wait "${load_pids[@]}"
ack3=$(secs_since "$t0")
count=$(row_count 18091)
[ "$count" = "$bulk" ] || { echo "expected $bulk rows, found $count"; exit 1; }
eider_down
row "NDJSON upsert, a third into each of 3 instances (s)" "$ack3" "$ref3" "$(ratio "$ref3" "$ack3")"
row "  (postgresql: 3 psql sessions, a third each)" "" "" ""
fi

# ---------------------------------------------------------------- 3. exports
echo "--- 3. exports of a $export_rows-row table to a local folder"
pg postgres -c "CREATE DATABASE exp"
eider_up exp 18091 exp
t0=$(now)
pg exp -c "INSERT INTO records SELECT i, 'value-' || i, nextval('_eider_seq'), false, pg_current_xact_id()
           FROM generate_series(1, $export_rows) i" -c "VACUUM ANALYZE records"
echo "loaded $export_rows rows in $(secs_since "$t0") s (not part of the figures)"
# export_now <mode>: sets $export_s (the export's own duration_ms: from the attempt's start to its success) and
# $export_json. It polls every 0.1 s: a poll every few ms (a curl and a jq each) took enough of two cores to slow
# the export it measured by a third (2.0 s against 3.1 s for 1M rows, alternating, same run).
export_now() {
  local t0 id state
  t0=$(now)
  id=$(curl -sf --json "{\"table\": \"records\", \"mode\": \"$1\"}" http://127.0.0.1:18091/v1/exports | jq .id)
  while :; do
    export_json=$(curl -sf "http://127.0.0.1:18091/v1/exports/$id")
    state=$(jq -r .state <<< "$export_json")
    case $state in succeeded) break ;; failed | skipped | cancelled) echo "$export_json"; exit 1 ;; esac
    # An export that never starts (the service logs why: export_tick_failed) would otherwise hang the run.
    [ $(( ($(now) - t0) / 1000000000 )) -lt 900 ] || { echo "export $id still $state after 900 s"; exit 1; }
    sleep 0.1
  done
  export_s=$(jq '.duration_ms / 1000' <<< "$export_json")
}
# Three rounds, each the reference and then a snapshot (one row changed first: an unchanged table's snapshot is
# skipped); round 1 runs Eider's export path in a cold JVM, so the figure is rounds 2 and 3 summed.
snap_sum=0
ref_sum=0
for round in 1 2 3; do
  t0=$(now)
  pg exp -c "\copy (SELECT id, value, _seq FROM records WHERE NOT _deleted) TO '$work/ref.csv' (FORMAT csv)"
  copy_s=$(secs_since "$t0")
  duck_s=$(java -cp "$(cat "$root/target/bench.classpath")" "$root/bench/CsvToParquet.java" "$work/ref.csv" \
    "$work/ref.parquet" 2 | tail -1)
  ref_s=$(echo "$copy_s + $duck_s" | bc -l | xargs printf '%.3f')
  curl -sf --json "{\"id\": 1, \"value\": \"snapshot round $round\"}" http://127.0.0.1:18091/record > /dev/null
  export_now snapshot
  echo "snapshot round $round: $(jq -c '{rows, bytes, duration_ms, objects: (.objects | length)}' <<< "$export_json");" \
    "reference Parquet $(stat -c %s "$work/ref.parquet") bytes"
  row "  round $round: snapshot / psql COPY $copy_s s + DuckDB CSV to Parquet $duck_s s" "$export_s" "$ref_s" \
    "$(ratio "$ref_s" "$export_s")"
  if [ "$round" -gt 1 ]; then
    snap_sum=$(echo "$snap_sum + $export_s" | bc -l)
    ref_sum=$(echo "$ref_sum + $ref_s" | bc -l)
  fi
done
snap_s=$(printf '%.3f' "$snap_sum")
last_snap_s=$export_s
row "snapshot export of $export_rows rows, rounds 2+3 (s)" "$snap_s" "$(printf '%.3f' "$ref_sum")" \
  "$(ratio "$ref_sum" "$snap_sum")"
changes=()
for round in 1 2 3; do
  seq 1 1000 | sed "s/.*/{\"id\":&,\"value\":\"changed-$round-&\"}/" > "$work/changes.ndjson"
  post_ndjson 18091 "$work/changes.ndjson"
  export_now changes
  [ "$(jq .rows <<< "$export_json")" = 1000 ] || { echo "expected 1000 rows: $export_json"; exit 1; }
  changes+=("$export_s")
done
eider_down
row "changes export, 1,000 rows, rounds 1/2/3 (s)" "${changes[*]}" "" ""
row "  changes export (round 3) as a share of the snapshot's time (round 3)" "${changes[2]}" "$last_snap_s" \
  "$(echo "100 * ${changes[2]} / $last_snap_s" | bc -l | xargs printf '%.1f%%')"

echo
echo "=== summary (ratio: Eider's speed relative to PostgreSQL's own in this run, i.e. its rate divided by"
echo "    PostgreSQL's, or PostgreSQL's time divided by Eider's; above 1 means Eider was faster)"
cat "$summary"
echo "load after the run: $(uptime | sed 's/.*load/load/')"
