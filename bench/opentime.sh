#!/usr/bin/env bash
# Open-time feed endpoint vs nginx serving a static JSON file of the same size, same run, same machine.
# Needs Debian packages wrk and nginx (nginx-light is enough). Unattended; about 4 minutes with the
# defaults (plus ~1.5 min to build the bench jar if it is missing). Prints per round:
#   - maximum throughput (wrk -t2 -c50, closed loop) of the feed, of nginx, and of the same bytes served
#     from memory by the same Javalin server ("javalin max": the framework's ceiling);
#   - latency of the feed at a constant 5,000 req/s measured by ConstantRateLoad (open loop, each
#     request timed from its intended send time like wrk2, so no coordinated omission; exact percentiles);
# then a SUMMARY line with medians over the rounds and the feed/nginx throughput ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}; DURATION=${DURATION:-10}; RATE=${RATE:-5000}; CONNS=${CONNS:-50}; WARMUP=${WARMUP:-30}
THREADS=${THREADS:-virtual}   # Jetty on virtual threads as Tessera.start() runs it; THREADS=platform for its QueuedThreadPool
JAVA=${JAVA:-$( [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ] && echo /usr/lib/jvm/temurin-25-jdk-amd64/bin/java || echo java )}
srv=""; ngx=""
work=$(mktemp -d); trap 'kill $srv $ngx 2>/dev/null || true; rm -rf "$work"' EXIT
printf '<configuration><root level="WARN"/></configuration>' >"$work/logback.xml"
[ -f bench/target/tessera-bench.jar ] && [ "${REBUILD:-0}" = 0 ] || ./mvnw -q -B -ntp -DskipTests package -pl bench -am
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
"$JAVA" -Xms256m -Xmx512m -Dthreads="$THREADS" -Dlogback.configurationFile="$work/logback.xml" \
  -cp bench/target/tessera-bench.jar io.tessera.bench.opentime.OpenTimeFeedServer 18081 "$work" >"$work/server.log" 2>&1 &
srv=$!
for i in $(seq 1 150); do [ -f "$work/feed.json" ] && break; sleep 0.2; done
[ -f "$work/feed.json" ] || { echo "the feed server did not start:" >&2; cat "$work/server.log" >&2; exit 1; }
mkdir -p "$work/www"; cp "$work/feed.json" "$work/www/feed.json"; chmod 755 "$work" "$work/www"; chmod 644 "$work/www/feed.json"
cat >"$work/nginx.conf" <<CONF
worker_processes 2; daemon off; pid $work/nginx.pid; error_log $work/nginx-error.log;
events { worker_connections 1024; }
http { access_log off; server { listen 127.0.0.1:18082; root $work/www;
  location / { default_type application/json; add_header Cache-Control "no-store, private"; } } }
CONF
nginx -c "$work/nginx.conf" -p "$work" & ngx=$!
sleep 1
path=$(cat "$work/feed-path.txt")
feed="http://127.0.0.1:18081$path"
echo "feed body: $(wc -c <"$work/feed.json") bytes (nginx serves the same bytes); $(grep -m1 'threads' "$work/server.log" || echo "threads $THREADS")"
cat >"$work/max.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("RESULT req/s=%.0f p50=%.2fms p99=%.2fms errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout))
end
LUA
curl -fsS "$feed" >/dev/null || { echo "the feed does not answer" >&2; exit 1; }
curl -fsS "http://127.0.0.1:18082/feed.json" >/dev/null || { echo "nginx does not serve the file" >&2; exit 1; }
wrk -t2 -c50 -d"${WARMUP}s" "$feed" >/dev/null   # warm-up: JIT and caches
load() { "$JAVA" -Xms64m -Xmx256m -XX:+UseSerialGC -cp bench/target/tessera-bench.jar io.tessera.bench.opentime.ConstantRateLoad "$@"; }
load "$feed" "$RATE" 5 "$CONNS" 0 >/dev/null       # warm-up of the load generator itself
max() { wrk -t2 -c50 -d"${DURATION}s" -s "$work/max.lua" "$1" | grep RESULT | sed 's/^RESULT //'; }
: >"$work/rounds"
for run in $(seq 1 "$RUNS"); do
  t=$(max "$feed"); n=$(max "http://127.0.0.1:18082/feed.json"); j=$(max "http://127.0.0.1:18081/static.json")
  c=$(load "$feed" "$RATE" "$DURATION" "$CONNS" 2 | grep RESULT | sed 's/^RESULT //')
  echo "round $run (load $(cut -d' ' -f1 /proc/loadavg))"
  echo "  tessera max : $t"; echo "  nginx max   : $n"; echo "  javalin max : $j"; echo "  tessera @$RATE constant rate: $c"
  echo "$t | $n | $j | $c" >>"$work/rounds"
done
awk -F'|' '
  function v(s, k,   m) { if (match(s, k "=[0-9.]+")) { m = substr(s, RSTART + length(k) + 1, RLENGTH - length(k) - 1); return m + 0 } return -1 }
  function median(a, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
  { n++; T[n] = v($1, "req/s"); N[n] = v($2, "req/s"); J[n] = v($3, "req/s"); R[n] = T[n] / N[n]
    A[n] = v($4, "achieved"); P50[n] = v($4, "p50"); P99[n] = v($4, "p99"); P999[n] = v($4, "p99.9"); E[n] = v($4, "errors") }
  END { printf "SUMMARY (median of %d rounds) tessera max %.0f req/s | nginx max %.0f req/s | ratio %.0f%% (target >= 40%%) | javalin max %.0f req/s\n",
          n, median(T, n), median(N, n), 100 * median(R, n), median(J, n)
        printf "SUMMARY @%s req/s constant rate: achieved %.0f | p50 %.2f ms | p99 %.2f ms (target <= 5 ms) | p99.9 %.2f ms | errors %d\n",
          "'"$RATE"'", median(A, n), median(P50, n), median(P99, n), median(P999, n), median(E, n) }' "$work/rounds"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
