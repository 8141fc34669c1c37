#!/usr/bin/env bash
# A long property-based fuzz of the HTTP surface (HttpFuzzIT) against a live service on loopback.
# ./mvnw verify runs a bounded fuzz (jqwik.tries.default in src/test/resources/junit-platform.properties).
# Usage: bench/fuzz.sh [tries]            (default 20000; a failing sample is replayed first next time)
set -euo pipefail
cd "$(dirname "$0")/.."
tries=${1:-20000}
./mvnw -q -Dspotless.check.skip=true -Dtest=HttpFuzzIT -Dsurefire.failIfNoSpecifiedTests=false \
  -Djqwik.tries.default="$tries" test
