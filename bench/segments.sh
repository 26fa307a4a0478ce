#!/usr/bin/env bash
# Segments benchmark (issue 4): live event-to-membership latency, timer lateness, backfill time and
# the naive SQL-refresh baseline with the ratio, in one run. Usage:
#   bench/segments.sh [profiles=1000000] [events/s=10000] [seconds=30]
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
[ -f bench/target/tessera-bench.jar ] || ./mvnw -q -DskipTests package -pl bench -am
exec "$JAVA" -Xmx8g --enable-native-access=ALL-UNNAMED -cp bench/target/tessera-bench.jar \
  io.tessera.bench.segment.SegmentBench "${1:-1000000}" "${2:-10000}" "${3:-30}" 2> >(grep -v -e '^WARNING' -e SLF4J >&2)
