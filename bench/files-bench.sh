#!/usr/bin/env bash
# Record files: a file PUT through Eider versus a plain AWS SDK PUT of the same bytes to the same
# S3Proxy bucket, 1 MiB and 100 MiB, alternating in one run. Usage: bench/files-bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -DskipTests test-compile
./mvnw -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
exec java -Xmx512m -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" dev.eider.bench.FilesBench
