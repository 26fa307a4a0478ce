#!/usr/bin/env bash
# Segments benchmark (issue 4): initial evaluation, live event-to-membership latency, timer
# lateness, backfill time (over the synthetic store and over a real SQLite profile store, whose
# bulk load is printed apart) and the naive SQL-refresh baseline with the ratio, in one run. Usage:
#   bench/segments.sh [profiles=1000000] [events/s=10000] [seconds=30]
#   PROFILES=100000 bench/segments.sh      # quick mode (also RATE=, SECONDS_=)
#   ONLY=backfill bench/segments.sh        # set-up, initial evaluation and the backfills only
#   ONLY=live bench/segments.sh            # set-up, initial evaluation and the live phase only
#   WARMUP=0 bench/segments.sh             # seconds of live load before the measured phase (default 10)
#   BENCH_JAVA_OPTS=-XX:+UseZGC bench/segments.sh   # extra JVM options (garbage collector, JFR, ...)
#   GC_OPTS= bench/segments.sh             # without the server's GC settings (default: those of ./tessera)
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
# (Re)build when the jar is missing or older than any source it contains.
if [ ! -f bench/target/tessera-bench.jar ] || [ -n "$(find core store log testkit bench -name '*.java' -newer bench/target/tessera-bench.jar -print -quit)" ]; then
  ./mvnw -q -DskipTests package -pl bench -am
fi
# the server's garbage-collector settings, as ./tessera passes them (a 10 ms pause goal)
GC_OPTS="${GC_OPTS-$(sed -n 's/^gc_opts="\(.*\)"$/\1/p' tessera)}"
exec "$JAVA" -Xmx10g $GC_OPTS -Dbench.warmup="${WARMUP:-10}" ${BENCH_JAVA_OPTS:-} --enable-native-access=ALL-UNNAMED -cp bench/target/tessera-bench.jar \
  io.tessera.bench.segment.SegmentBench "${PROFILES:-${1:-1000000}}" "${RATE:-${2:-10000}}" "${SECONDS_:-${3:-30}}" "${ONLY:-all}" \
  2> >(grep -v -e '^WARNING' -e SLF4J >&2)
