#!/bin/bash
# Render throughput (JMH): complete messages/s (render + escaping + links + MIME) for the shipped
# weekly-picks MJML email, single thread and all cores, beside liqp used naively in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f bench/target/tessera-bench.jar ] && [ "${REBUILD:-1}" = 0 ] || ./mvnw -q -DskipTests package -pl bench -am
JAVA="${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
"$JAVA" -jar bench/target/tessera-bench.jar 'content.RenderBenchmark' \
  -wi "${WARMUPS:-2}" -i "${ITERATIONS:-3}" -w 5s -r 5s -f 1 "$@" | grep -E '^Benchmark|RenderBenchmark\.|message size|Exception|Error'
