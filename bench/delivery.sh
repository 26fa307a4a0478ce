#!/usr/bin/env bash
# Delivery benchmark: a whole campaign through the real pipeline (SQLite send ledger, suppression
# check, per-recipient render, MIME assembly, pooled SMTP) into Postfix's smtp-sink on loopback,
# and, against the same sink in the same run, Postfix's smtp-source sending equally sized messages
# over as many parallel sessions — the transport limit of this machine.
#
#   bench/delivery.sh [RECIPIENTS=1000000] [WORKERS=8] [HTML_BYTES=8000] [DKIM=false]
#   BENCH_JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/d.jfr,settings=profile" bench/delivery.sh …  (profile it)
#
# Needs the Debian package postfix (for /usr/sbin/smtp-sink and /usr/sbin/smtp-source; the mail
# system itself need not run). Prints one line per tool and the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
RECIPIENTS=${1:-1000000}
WORKERS=${2:-8}
HTML_BYTES=${3:-8000}
DKIM=${4:-false}
PORT=${DELIVERY_BENCH_PORT:-25250}
for tool in smtp-sink smtp-source; do
  command -v $tool >/dev/null || { echo "needs $tool: apt-get install postfix" >&2; exit 2; }
done

# the server module's shade plugin re-shades its own previous output; drop stale shaded jars first
rm -f server/target/tessera.jar server/target/original-tessera.jar bench/target/tessera-bench.jar
./mvnw -q -pl bench -am package -DskipTests
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/temurin-25-jdk-amd64 2>/dev/null || dirname "$(dirname "$(readlink -f "$(command -v java)")")")/bin/java}

work=$(mktemp -d)
user_opt=(); [ "$(id -u)" = 0 ] && user_opt=(-u nobody)
smtp-sink "${user_opt[@]}" 127.0.0.1:$PORT 1000 & sink=$!
trap 'kill $sink 2>/dev/null; rm -rf "$work"' EXIT
sleep 0.5

line=$("$JAVA" -Xmx1g ${BENCH_JAVA_OPTS:-} -cp bench/target/tessera-bench.jar io.tessera.bench.delivery.DeliveryBench \
  "$RECIPIENTS" 127.0.0.1 "$PORT" "$WORKERS" "$HTML_BYTES" "$DKIM" "$work" 2>/dev/null | grep '^delivery-bench')
echo "$line"
bytes=$(sed -E 's/.*message_bytes=([0-9]+).*/\1/' <<<"$line")
tessera_rate=$(sed -E 's/.*msgs_per_s=([0-9]+).*/\1/' <<<"$line")

start=$(date +%s.%N)
smtp-source -s "$WORKERS" -m "$RECIPIENTS" -l "$bytes" -d -f news@shop.example -t r@d1.example 127.0.0.1:$PORT
end=$(date +%s.%N)
source_rate=$(awk -v n="$RECIPIENTS" -v a="$start" -v b="$end" 'BEGIN{printf "%.0f", n/(b-a)}')
echo "smtp-source sessions=$WORKERS messages=$RECIPIENTS message_bytes=$bytes msgs_per_s=$source_rate"
awk -v t="$tessera_rate" -v s="$source_rate" 'BEGIN{printf "tessera/smtp-source = %.0f%%\n", 100*t/s}'
echo "load average during the run: $(cut -d' ' -f1-3 /proc/loadavg)"
