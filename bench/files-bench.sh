#!/usr/bin/env bash
# Record files: uploads through Eider (target/eider.jar, folder files target, curl --parallel) against
# a plain durable create of the same bytes on the same disk (bench/PlainWrite.java: new file, write,
# fsync, fsync of its folder), in the same run: SMALL files of 64 KiB and LARGE files of 16 MiB, CONCURRENCY at a time.
# With --s3 it then runs the S3Proxy comparison (Eider vs a plain AWS SDK PUT, dev.eider.bench.FilesBench).
# Usage: bench/files-bench.sh [SMALL] [LARGE] [CONCURRENCY] [--s3]     (defaults 1000 20 8)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
small=${1:-1000}
large=${2:-20}
conc=${3:-8}
port=18090
build
work=$(mktemp -d /tmp/eider-files-bench.XXXX)
trap 'stop_eider; rm -rf "$work"' EXIT
head -c $((64 << 10)) /dev/urandom > "$work/small.bin"
head -c $((16 << 20)) /dev/urandom > "$work/large.bin"
cat > "$work/eider.yaml" <<YAML
tables:
  - name: docs
    primary_key: id
    columns:
      - {name: id, type: int64}
      - {name: pdf, type: file}
files:
  work_dir: $work/spool
YAML
start_eider "$work" "$port"
base="http://127.0.0.1:$port/v1/tables/docs/records"
seq 1 $((small + large)) | sed 's/.*/{"id": &}/' |
  curl -sf -X POST -H 'Content-Type: application/x-ndjson' --data-binary @- "$base" > /dev/null

# upload <file> <first id> <count> <parallel>: PUTs the file as the pdf of records first..first+count-1
# from one curl process; prints the seconds, and fails unless every answer was 200.
upload() {
  local file=$1 first=$2 count=$3 par=$4 t0 t1 ok
  for id in $(seq "$first" $((first + count - 1))); do
    printf 'url = "%s/%s/files/pdf"\nupload-file = "%s"\noutput = "/dev/null"\n' "$base" "$id" "$file"
  done > "$work/curl.conf"
  t0=$(date +%s%N)
  ok=$(curl -s --no-progress-meter --parallel --parallel-max "$par" -H 'Content-Type: application/octet-stream' \
    -w '%{http_code}\n' -K "$work/curl.conf" | grep -c '^200$' || true)
  t1=$(date +%s%N)
  [ "$ok" = "$count" ] || { echo "only $ok of $count uploads answered 200" >&2; exit 1; }
  echo "($t1 - $t0) / 1000000000" | bc -l
}

# plain <file> <count> <parallel>: the same bytes written durably beside Eider's files folder.
plain() {
  java "$root/bench/PlainWrite.java" "$1" "$work/plain-$RANDOM" "$2" "$3"
}

row() { # label count bytes_each eider_s plain_s
  local mib
  mib=$(echo "$2 * $3 / 1048576" | bc -l)
  printf '%-14s %6d %10.1f %10.1f %12.1f %10.2f\n' "$1" "$2" "$(echo "$mib / $4" | bc -l)" \
    "$(echo "$2 / $4" | bc -l)" "$(echo "$mib / $5" | bc -l)" "$(echo "$5 / $4" | bc -l)"
}

echo "small=$small x 64KiB large=$large x 16MiB concurrency=$conc heap=${java_opts}"
printf '%-14s %6s %10s %10s %12s %10s\n' files count eider_MiB/s eider_req/s plain_MiB/s ratio
es=$(upload "$work/small.bin" 1 "$small" "$conc"); ps=$(plain "$work/small.bin" "$small" "$conc")
row "64KiB" "$small" $((64 << 10)) "$es" "$ps"
el=$(upload "$work/large.bin" $((small + 1)) "$large" 2); pl=$(plain "$work/large.bin" "$large" 2)
row "16MiB (x2)" "$large" $((16 << 20)) "$el" "$pl"
stored=$(find "$work/exports/_files/docs/pdf" -type f | wc -l)
[ "$stored" = $((small + large)) ] || { echo "expected $((small + large)) objects, found $stored" >&2; exit 1; }
echo "objects stored: $stored; eider peak RSS: $(peak_rss_mb "$pid") MiB"
stop_eider

if [ "${4:-}" = "--s3" ]; then
  cd "$root"
  ./mvnw -q -DskipTests test-compile
  ./mvnw -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
  java -Xmx512m -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" dev.eider.bench.FilesBench
fi
