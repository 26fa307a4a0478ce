#!/usr/bin/env bash
# Open-time feed endpoint vs nginx serving a static JSON file of the same size, same run.
# Needs Debian packages wrk and nginx (nginx-light is enough). Prints max throughput of both,
# then latency percentiles of the feed at a paced 5,000 req/s (wrk + Lua per-connection delay).
# "javalin max" is the same bytes served from memory by the same Javalin server: the framework's ceiling.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}; DURATION=${DURATION:-10s}; RATE=${RATE:-5000}; CONNS=${CONNS:-50}
JAVA=${JAVA:-$( [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ] && echo /usr/lib/jvm/temurin-25-jdk-amd64/bin/java || echo java )}
srv=""; ngx=""
work=$(mktemp -d); trap 'kill $srv $ngx 2>/dev/null || true; rm -rf "$work"' EXIT
printf '<configuration><root level="WARN"/></configuration>' >"$work/logback.xml"
[ -f bench/target/tessera-bench.jar ] && [ "${REBUILD:-0}" = 0 ] || ./mvnw -q -DskipTests package -pl bench -am
"$JAVA" -Xms256m -Xmx512m -Dlogback.configurationFile="$work/logback.xml" -cp bench/target/tessera-bench.jar io.tessera.bench.opentime.OpenTimeFeedServer 18081 "$work" >"$work/server.log" 2>&1 &
srv=$!
for i in $(seq 1 150); do [ -f "$work/feed.json" ] && break; sleep 0.2; done
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
echo "feed body: $(wc -c <"$work/feed.json") bytes (nginx serves the same bytes)"
cat >"$work/pct.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("RESULT req/s=%.0f p50=%.2fms p99=%.2fms p99.9=%.2fms errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout))
end
LUA
# pacing: each connection waits CONNS/RATE seconds between requests, giving ~RATE req/s in total
delay_ms=$(awk -v c="$CONNS" -v r="$RATE" 'BEGIN{printf "%.3f", c*1000/r}')
cat "$work/pct.lua" >"$work/paced.lua"; echo "delay = function() return $delay_ms end" >>"$work/paced.lua"
wrk -t2 -c50 -d20s "http://127.0.0.1:18081$path" >/dev/null   # warm-up: JIT and caches
curl -fsS "http://127.0.0.1:18082/feed.json" >/dev/null || { echo "nginx does not serve the file" >&2; exit 1; }
for run in $(seq 1 "$RUNS"); do
  echo "run $run"
  printf '  tessera max : '; wrk -t2 -c50 -d"$DURATION" -s "$work/pct.lua" "http://127.0.0.1:18081$path" | grep RESULT
  printf '  nginx max   : '; wrk -t2 -c50 -d"$DURATION" -s "$work/pct.lua" "http://127.0.0.1:18082/feed.json" | grep RESULT
  printf '  javalin max : '; wrk -t2 -c50 -d"$DURATION" -s "$work/pct.lua" "http://127.0.0.1:18081/static.json" | grep RESULT
  printf '  tessera @%s: ' "$RATE"; wrk -t2 -c"$CONNS" -d"$DURATION" -s "$work/paced.lua" "http://127.0.0.1:18081$path" | grep RESULT
done
