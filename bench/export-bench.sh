#!/usr/bin/env bash
# Export benchmark, for each table size given (default 1M and 10M rows): a snapshot to S3Proxy on loopback vs
# DuckDB's own COPY and a plain upload; change exports of 1,000 contiguous and 1,000 scattered ids vs the three
# PUTs a change export cannot avoid. Usage: bench/export-bench.sh [ROWS...]
#
# S3_ELSEWHERE=1 runs S3Proxy in a process of its own on the second core and the benchmark on the first
# (taskset), as a store on another machine would be: its CPU is not taken from DuckDB's COPY. Every figure of
# that run, references included, is then a one-core figure. SNAPSHOTS_ONLY=1 skips the change exports;
# BENCH_JAVA_OPTS passes JVM options to the benchmark (say -Dpart.size=16777216 for parts other than the default).
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -o -Dspotless.check.skip=true -DskipTests test-compile
./mvnw -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
cp="target/test-classes:target/classes:$(cat target/bench.classpath)"
if [ -z "${S3_ELSEWHERE:-}" ]; then
  exec java -Xmx512m ${BENCH_JAVA_OPTS:-} -cp "$cp" dev.eider.bench.ExportBench "$@"
fi
store=$(mktemp -d)
taskset -c 1 java -Xmx512m -cp "$cp" dev.eider.bench.S3ProxyMain "$store" > "$store/out" 2>&1 &
s3=$!
trap 'kill $s3 2> /dev/null; wait $s3 2> /dev/null; rm -rf "$store"' EXIT
until grep -q '^endpoint ' "$store/out"; do
  kill -0 $s3 2> /dev/null || { cat "$store/out"; exit 1; }
  sleep 0.1
done
endpoint=$(sed -n 's/^endpoint //p' "$store/out")
taskset -c 0 java -Xmx512m ${BENCH_JAVA_OPTS:-} -Ds3.endpoint="$endpoint" -cp "$cp" dev.eider.bench.ExportBench "$@"
