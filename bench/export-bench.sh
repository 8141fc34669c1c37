#!/usr/bin/env bash
# Export benchmark, for each table size given (default 1M and 10M rows): a snapshot to S3Proxy on loopback vs
# DuckDB's own COPY and a plain upload; change exports of 1,000 contiguous and 1,000 scattered ids vs the three
# PUTs a change export cannot avoid. Usage: bench/export-bench.sh [ROWS...]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -o -Dspotless.check.skip=true -DskipTests test-compile
./mvnw -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
exec java -Xmx512m -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" dev.eider.bench.ExportBench "$@"
