#!/bin/bash
# Render throughput (JMH): complete messages/s (render + escaping + links + MIME) for the shipped
# weekly-picks MJML email, single thread and all cores, on our compiled Liquid engine and on liqp
# (pooled) side by side, the Liquid work alone on each, and liqp used naively — all in one run;
# then CPU time per message for both engines (the figure that survives a busy machine).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f bench/target/tessera-bench.jar ] && [ "${REBUILD:-1}" = 0 ] || ./mvnw -q -DskipTests package -pl bench -am
JAVA="${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
"$JAVA" -jar bench/target/tessera-bench.jar 'content.RenderBenchmark' \
  -wi "${WARMUPS:-2}" -i "${ITERATIONS:-3}" -w 5s -r 5s -f 1 "$@" | grep -E '^Benchmark|RenderBenchmark\.|message size|Exception|Error'
"$JAVA" -cp bench/target/tessera-bench.jar io.tessera.bench.content.RenderCpuPerMessage | grep -E 'CPU per|Exception|Error'
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
