#!/bin/bash
# Render throughput (JMH): complete messages/s (render + escaping + links + MIME), single thread and
# all cores, on our compiled Liquid engine and on liqp (pooled) side by side, the Liquid work alone
# on each, and liqp used naively — all in one run — for two MJML emails: the shipped weekly-picks
# (28 KB of HTML per message) and price-watch (bench resources, the issue's spec email: 4 blocks,
# 6 products); then the ratio of complete messages to naive liqp, and CPU time per message for both
# engines and both emails (the figure that survives a busy machine).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f bench/target/tessera-bench.jar ] && [ "${REBUILD:-1}" = 0 ] || ./mvnw -q -DskipTests package -pl bench -am
JAVA="${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
# weekly-picks: every benchmark; price-watch: the complete message and the naive baseline
"$JAVA" -jar bench/target/tessera-bench.jar 'content.RenderBenchmark' -p template=weekly-picks \
  -wi "${WARMUPS:-2}" -i "${ITERATIONS:-3}" -w 5s -r 5s -f 1 "$@" | grep -E '^Benchmark|RenderBenchmark\.|message size|Exception|Error' | tee -a "$out"
"$JAVA" -jar bench/target/tessera-bench.jar 'content.RenderBenchmark.(completeMessage(OneThread|AllCores)|naiveLiqp.*)$' \
  -p template=price-watch -wi "${WARMUPS:-2}" -i "${ITERATIONS:-3}" -w 5s -r 5s -f 1 "$@" \
  | grep -E 'RenderBenchmark\.|message size|Exception|Error' | tee -a "$out"
# complete messages (compiled engine) per naive liqp render, same run, same thread count
awk '/RenderBenchmark\./ { split($1, b, "."); name = b[length(b)]; score[name "|" $2] = ($(NF-2) == "±" ? $(NF-3) : $(NF-1)) }
  END { for (k in score) { split(k, p, "|"); n = p[1]; t = p[2]
          if (n == "completeMessageOneThread" && score["naiveLiqpOneThread|" t] > 0)
            printf "ratio to naive liqp, %s, one thread: %.1fx\n", t, score[k] / score["naiveLiqpOneThread|" t]
          if (n == "completeMessageAllCores" && score["naiveLiqpAllCores|" t] > 0)
            printf "ratio to naive liqp, %s, all cores: %.1fx\n", t, score[k] / score["naiveLiqpAllCores|" t] } }' "$out"
"$JAVA" -cp bench/target/tessera-bench.jar io.tessera.bench.content.RenderCpuPerMessage | grep -E 'CPU per|Exception|Error'
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
