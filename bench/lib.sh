# Shared helpers for the benchmark scripts (sourced).
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# EIDER_JAR runs another build (say, an older commit's jar) against the same scripts.
jar=${EIDER_JAR:-$root/target/eider.jar}
java_opts=${EIDER_JAVA_OPTS:--Xms64m -Xmx160m -XX:+UseSerialGC -XX:MaxMetaspaceSize=96m -Xss512k}

build() {
  [ -f "$jar" ] || (cd "$root" && ./mvnw -q -DskipTests package)
}

# start_eider <dir> <port>: starts the service in <dir>, sets $pid, waits until ready, and sets
# $ready_ms to the time from launch to the first 200 of /health/ready.
start_eider() {
  local dir=$1 port=$2 t0 t1
  t0=$(date +%s%N)
  (cd "$dir" && exec java $java_opts -jar "$jar" serve --port "$port" > "$dir/eider.log" 2>&1) &
  pid=$!
  until curl -sf "http://127.0.0.1:$port/health/ready" > /dev/null; do
    kill -0 $pid 2> /dev/null || { cat "$dir/eider.log"; return 1; }
    sleep 0.01
  done
  t1=$(date +%s%N)
  ready_ms=$(( (t1 - t0) / 1000000 ))
}

stop_eider() {
  kill "$pid" 2> /dev/null || true
  wait "$pid" 2> /dev/null || true
}

rss_mb() {
  awk '/VmRSS/ {printf "%d", $2/1024}' "/proc/$1/status"
}

# cpu_ms <pid>: user plus system CPU time the process has used, in ms (all its threads, DuckDB's too).
cpu_ms() {
  awk -v hz="$(getconf CLK_TCK)" '{printf "%d", ($14 + $15) * 1000 / hz}' "/proc/$1/stat"
}

# thread_cpu_ms <pid> <tid>: user plus system CPU time of one thread, in ms.
thread_cpu_ms() {
  awk -v hz="$(getconf CLK_TCK)" '{printf "%d", ($14 + $15) * 1000 / hz}' "/proc/$1/task/$2/stat"
}

peak_rss_mb() {
  awk '/VmHWM/ {printf "%d", $2/1024}' "/proc/$1/status"
}

# bench_classpath: compiles the test classes (benchmark harnesses live there) and sets $bench_cp to
# them plus the test-scope dependencies (embedded PostgreSQL's binaries among them).
bench_classpath() {
  (cd "$root" && ./mvnw -q -o -Dspotless.check.skip=true test-compile)
  [ "$root/target/bench.classpath" -nt "$root/pom.xml" ] || (cd "$root" \
    && ./mvnw -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath)
  bench_cp="$root/target/test-classes:$root/target/classes:$(cat "$root/target/bench.classpath")"
}

# load_ids <port> <rows> [order]: upserts ids 1..rows ({"id":n,"value":"value-n"}) in NDJSON bodies of 1M lines;
# order "shuffled" sends each body's ids in random order (as upserts arrive), else ascending.
load_ids() {
  local port=$1 rows=$2 order=${3:-sorted} from to
  for ((from = 1; from <= rows; from += 1000000)); do
    to=$(( from + 999999 < rows ? from + 999999 : rows ))
    seq "$from" "$to" | if [ "$order" = shuffled ]; then shuf; else cat; fi \
      | awk '{printf "{\"id\":%d,\"value\":\"value-%d\"}\n", $1, $1}' \
      | curl -sf -X POST -H 'Content-Type: application/x-ndjson' --data-binary @- \
        "http://127.0.0.1:$port/v1/tables/records/records" > /dev/null
  done
}

# PostgreSQL for the benchmarks: start_pg <folder> starts one (zonky's binaries through
# dev.eider.bench.PgServer, fsync and synchronous_commit on) on $pg_port and sets $pg_pid; needs
# bench_classpath first. pg <database> [psql args] runs psql there; jdbc <database> is Eider's URL for it.
pg_port=${PG_PORT:-15432}
pg_pid=
start_pg() {
  (cd "$1" && exec java -Xmx96m -XX:+UseSerialGC -cp "$bench_cp" dev.eider.bench.PgServer "$pg_port" "$1/pg" \
    > "$1/pg.log" 2>&1) &
  pg_pid=$!
  until grep -qs '^jdbc:' "$1/pg.log"; do
    kill -0 "$pg_pid" 2> /dev/null || { cat "$1/pg.log"; return 1; }
    sleep 0.2
  done
}
stop_pg() {
  if [ -n "$pg_pid" ]; then kill "$pg_pid" 2> /dev/null || true; wait "$pg_pid" 2> /dev/null || true; fi
}
pg() { psql -X -q -v ON_ERROR_STOP=1 "postgresql://postgres@127.0.0.1:$pg_port/$1" "${@:2}"; }
jdbc() { echo "jdbc:postgresql://127.0.0.1:$pg_port/$1?user=postgres&password=postgres"; }
