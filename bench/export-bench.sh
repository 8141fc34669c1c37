#!/usr/bin/env bash
# Export benchmark: snapshot of a ROWS-row table to S3Proxy on loopback vs DuckDB's own COPY plus a
# plain upload, and a changes export of 1,000 rows. Usage: bench/export-bench.sh [ROWS] (default 10000000)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -DskipTests test-compile
./mvnw -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
exec java -Xmx512m -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" dev.eider.bench.ExportBench "${1:-10000000}"
