#!/bin/bash
# Scale-out benchmark: 1, 2 and 3 `tessera serve` nodes in cluster mode on this machine, each on a
# fresh Kafka topic (12 partitions) and PostgreSQL schema. Per node count: peak ingest (IngestLoad,
# connections split over the nodes), applied events/s end to end (Kafka -> profiles -> segments ->
# PostgreSQL), and event-to-membership p50/p99 at half the sustainable rate; then the scaling
# efficiency rate(n) / (n x rate(1)). See io.tessera.bench.cluster.ClusterBench.
# Needs: a JDK 21+, and PostgreSQL binaries (initdb; Debian's postgresql package) or TESSERA_PG_URL.
# The Kafka broker is run from Maven artifacts (testkit's KafkaBroker); nothing else to install.
# Usage: bench/cluster.sh [SECONDS] [CONNECTIONS] [MAX_NODES]   (defaults 8 s, 6 connections, 3)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN="${1:-8}"
CONNECTIONS="${2:-6}"
MAX_NODES="${3:-3}"

JAVA=java
major() { "$1" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1; }
if [ -n "${JAVA_HOME:-}" ]; then JAVA="$JAVA_HOME/bin/java"; fi
if [ "$(major "$JAVA")" -lt 21 ] 2>/dev/null; then
  for d in $(ls -d /usr/lib/jvm/* /opt/java/* /opt/jdk* 2>/dev/null | sort -rV); do
    if [ -x "$d/bin/java" ] && [ "$(major "$d/bin/java")" -ge 21 ] 2>/dev/null; then JAVA="$d/bin/java"; break; fi
  done
fi

stamp=bench/target/.cluster-bench-built
if [ ! -f server/target/tessera.jar ] || [ ! -f bench/target/tessera-bench.jar ] || [ ! -f "$stamp" ] || \
   [ -n "$(find server/src/main bench/src/main core/src/main log/src/main store/src/main testkit/src/main -newer "$stamp" -print -quit)" ]; then
  rm -f server/target/tessera.jar server/target/original-tessera.jar bench/target/*.jar
  ./mvnw -q -B -DskipTests package -pl bench -am
  touch "$stamp"
fi

echo "== Tessera cluster mode: 1..$MAX_NODES nodes, ${SECONDS_PER_RUN}s per load run, $CONNECTIONS connections in total (load avg: $(cut -d' ' -f1-3 /proc/loadavg))"
exec "$JAVA" -Dlogback.configurationFile=io/tessera/bench/cluster/quiet-logback.xml \
  -cp bench/target/tessera-bench.jar io.tessera.bench.cluster.ClusterBench server/target/tessera.jar \
  "$SECONDS_PER_RUN" "$CONNECTIONS" "$MAX_NODES"
