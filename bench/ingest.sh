#!/bin/bash
# Ingestion benchmark: Tessera (embedded, durable) vs nginx discarding the same requests.
# Starts Tessera on a fresh data dir, drives /v1/batch with bench's IngestLoad (batches of 100
# realistic events, unique messageIds, keep-alive connections), then at 50% of the peak rate for
# p99, then nginx (return 200, body read and discarded) with the same load; prints rates and ratio.
# Usage: bench/ingest.sh [SECONDS] [CONNECTIONS]     (defaults 15 s, 8 connections)
#        PROFILES=false bench/ingest.sh …   ingestion alone: the profile engine does not consume the log
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN="${1:-15}"
CONNECTIONS="${2:-8}"
TESSERA_PORT=18181
NGINX_PORT=18182
KEY=bench-write-key
TOKEN=bench-admin-token

JAVA=java
major() { "$1" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1; }
if [ -n "${JAVA_HOME:-}" ]; then JAVA="$JAVA_HOME/bin/java"; fi
if [ "$(major "$JAVA")" -lt 21 ] 2>/dev/null; then
  for d in $(ls -d /usr/lib/jvm/* /opt/java/* /opt/jdk* 2>/dev/null | sort -rV); do
    if [ -x "$d/bin/java" ] && [ "$(major "$d/bin/java")" -ge 21 ] 2>/dev/null; then JAVA="$d/bin/java"; break; fi
  done
fi
command -v nginx >/dev/null || { echo "nginx is not installed (apt-get install nginx)"; exit 1; }

stamp=bench/target/.ingest-bench-built
if [ ! -f server/target/tessera.jar ] || [ ! -f bench/target/tessera-bench.jar ] || [ ! -f "$stamp" ] || \
   [ -n "$(find server/src/main bench/src/main core/src/main log/src/main store/src/main -newer "$stamp" -print -quit)" ]; then
  rm -f server/target/tessera.jar server/target/original-tessera.jar bench/target/*.jar
  ./mvnw -q -B -DskipTests package -pl bench -am
  touch "$stamp"
fi
LOAD=(env "$JAVA" -cp bench/target/tessera-bench.jar io.tessera.bench.ingest.IngestLoad 127.0.0.1)

work=$(mktemp -d /tmp/tessera-ingest-bench.XXXXXX)
cleanup() {
  [ -n "${tessera_pid:-}" ] && kill "$tessera_pid" 2>/dev/null || true
  [ -n "${nginx_pid:-}" ] && kill "$nginx_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }

echo "== Tessera serve (embedded, SQLite event log, synchronous=FULL, profile engine ${PROFILES:-true}), fresh data dir, $CONNECTIONS connections, ${SECONDS_PER_RUN}s"
TESSERA_WRITE_KEYS=$KEY TESSERA_ADMIN_TOKEN=$TOKEN TESSERA_SERVER_HOST=127.0.0.1 TESSERA_PROFILES_ENABLED=${PROFILES:-true} \
  "$JAVA" --enable-native-access=ALL-UNNAMED ${TESSERA_BENCH_JAVA_OPTS:-} -jar server/target/tessera.jar serve \
  --data-dir "$work/data" --port $TESSERA_PORT > "$work/tessera.log" 2>&1 &
tessera_pid=$!
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$TESSERA_PORT/healthz" >/dev/null && break; sleep 0.2; done
"${LOAD[@]}" $TESSERA_PORT $KEY "$CONNECTIONS" 5 0 warmup >/dev/null   # JIT warm-up
peak=$("${LOAD[@]}" $TESSERA_PORT $KEY "$CONNECTIONS" "$SECONDS_PER_RUN" 0 peak)
echo "tessera peak:     $peak"
rate=$(echo "$peak" | field events_per_s)
half=$(awk "BEGIN{print int($rate/2)}")
halfrun=$("${LOAD[@]}" $TESSERA_PORT $KEY "$CONNECTIONS" "$SECONDS_PER_RUN" "$half" half)
echo "tessera 50% load: $halfrun (target $half events/s)"
stats=$(curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$TESSERA_PORT/api/v1/stats")
echo "tessera stats:    $stats"
kill "$tessera_pid"; wait "$tessera_pid" 2>/dev/null || true; tessera_pid=

echo "== nginx $(nginx -v 2>&1 | sed 's/.*\///'): return 200, request body read and discarded"
mkdir -p "$work/nginx/tmp"
sed "s/NGINX_PORT/$NGINX_PORT/" bench/nginx-discard.conf > "$work/nginx/nginx.conf"
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -e stderr 2> "$work/nginx.log" &
nginx_pid=$!
for _ in $(seq 1 50); do curl -s -o /dev/null "http://127.0.0.1:$NGINX_PORT/" && break; sleep 0.1; done
"${LOAD[@]}" $NGINX_PORT $KEY "$CONNECTIONS" 3 0 warmup >/dev/null
ng=$("${LOAD[@]}" $NGINX_PORT $KEY "$CONNECTIONS" "$SECONDS_PER_RUN" 0 nginx)
echo "nginx peak:       $ng"
ngrate=$(echo "$ng" | field events_per_s)
kill "$nginx_pid"; wait "$nginx_pid" 2>/dev/null || true; nginx_pid=

echo "== summary"
printf 'tessera_events_per_s=%s nginx_events_per_s=%s ratio=%s p50_ms=%s p99_ms=%s p99_at_50pct_ms=%s\n' \
  "$rate" "$ngrate" "$(awk "BEGIN{printf \"%.2f\", $rate/$ngrate}")" \
  "$(echo "$peak" | field p50_ms)" "$(echo "$peak" | field p99_ms)" "$(echo "$halfrun" | field p99_ms)"
