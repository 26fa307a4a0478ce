#!/bin/bash
# Engine benchmarks: apply-event-to-profile (JMH) and durable SqliteEventLog append with group commit.
# Usage: bench/engine.sh [--quick]   (--quick: shorter runs, as recorded in docs/BENCHMARKS.md)
set -euo pipefail
cd "$(dirname "$0")/.."
# server/pom.xml shades into its own main jar name, so a stale uber jar would be re-shaded first: drop it
rm -f server/target/tessera.jar server/target/original-tessera.jar bench/target/*.jar
./mvnw -q -DskipTests package -pl bench -am
JAR=bench/target/tessera-bench.jar
# the same JDK >= 21 the Maven wrapper picks
JAVA=java
major() { "$1" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1; }
if [ -n "${JAVA_HOME:-}" ]; then JAVA="$JAVA_HOME/bin/java"; fi
if [ "$(major "$JAVA")" -lt 21 ] 2>/dev/null; then
  for d in /usr/lib/jvm/* /opt/java/* /opt/jdk*; do
    if [ -x "$d/bin/java" ] && [ "$(major "$d/bin/java")" -ge 21 ] 2>/dev/null; then JAVA="$d/bin/java"; break; fi
  done
fi
JAVA_OPTS=(--enable-native-access=ALL-UNNAMED)
JMH_ARGS=(-wi 2 -i 3 -f 1)
LOG_SECONDS=10
if [ "${1:-}" = "--quick" ]; then JMH_ARGS=(-wi 2 -i 3 -f 1 -w 3s -r 5s); LOG_SECONDS=5; fi
echo "== ApplyEventBenchmark (events/s on one thread = per core)"
"$JAVA" "${JAVA_OPTS[@]}" -jar "$JAR" ApplyEventBenchmark "${JMH_ARGS[@]}" -rf text -rff /tmp/apply-event-bench.txt > /tmp/apply-event-bench.log
sed -n '/^Benchmark/,$p' /tmp/apply-event-bench.txt
echo "== SqliteEventLog append (durable, group commit)"
"$JAVA" "${JAVA_OPTS[@]}" -cp "$JAR" io.tessera.bench.LogAppendBenchmark "$LOG_SECONDS" 1 4 16 64
