#!/usr/bin/env bash
# Delivery benchmark: a whole campaign through the real pipeline (SQLite send ledger, suppression
# and consent checks, the real renderer — the shipped weekly-picks email: Liquid, escaping, content
# rules, recently viewed products, text part, final check — signed tracking links and pixel, MIME
# assembly, pooled SMTP) into Postfix's smtp-sink on loopback, and, against the same sink in the
# same run, Postfix's smtp-source sending equally sized messages over as many parallel sessions —
# the transport limit of this machine.
#
#   bench/delivery.sh [RECIPIENTS=1000000] [WORKERS=16] [unused] [DKIM=false]
#   bench/delivery.sh                                                       (the 1,000,000-recipient run)
#   RECIPIENTS=50000 bench/delivery.sh                                      (quick run)
#   PRERENDER_WINDOW=1 …                                                    (recipients claimed/rendered per worker batch; default 16)
#   REBUILD=0 …                                                             (reuse bench/target/tessera-bench.jar)
#   BENCH_JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/d.jfr,settings=profile" bench/delivery.sh …  (profile it)
#
# Needs the Debian package postfix (for /usr/sbin/smtp-sink and /usr/sbin/smtp-source; the mail
# system itself need not run). Prints one line per tool and the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
RECIPIENTS=${1:-${RECIPIENTS:-1000000}}
WORKERS=${2:-${WORKERS:-16}}
DKIM=${4:-${DKIM:-false}}
PORT=${DELIVERY_BENCH_PORT:-25250}
for tool in smtp-sink smtp-source; do
  command -v $tool >/dev/null || { echo "needs $tool: apt-get install postfix" >&2; exit 2; }
done

# the server module's shade plugin re-shades its own previous output; drop stale shaded jars first
if [ "${REBUILD:-1}" != 0 ] || [ ! -f bench/target/tessera-bench.jar ]; then
  rm -f server/target/tessera.jar server/target/original-tessera.jar bench/target/tessera-bench.jar
  ./mvnw -q -pl bench -am package -DskipTests
fi
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/temurin-25-jdk-amd64 2>/dev/null || dirname "$(dirname "$(readlink -f "$(command -v java)")")")/bin/java}

load0=$(cut -d' ' -f1-3 /proc/loadavg)
work=$(mktemp -d)
user_opt=(); [ "$(id -u)" = 0 ] && user_opt=(-u nobody)
smtp-sink "${user_opt[@]}" 127.0.0.1:$PORT 1000 & sink=$!
trap 'kill $sink 2>/dev/null; rm -rf "$work"' EXIT
sleep 0.5

"$JAVA" -Xmx1g -Dtessera.bench.prerenderWindow=${PRERENDER_WINDOW:-16} ${BENCH_JAVA_OPTS:-} -cp bench/target/tessera-bench.jar io.tessera.bench.delivery.DeliveryBench \
  "$RECIPIENTS" 127.0.0.1 "$PORT" "$WORKERS" 0 "$DKIM" "$work" >"$work/bench.out" 2>&1 || true
line=$(grep '^delivery-bench' "$work/bench.out") || { echo "the campaign failed:" >&2; tail -30 "$work/bench.out" >&2; exit 1; }
echo "$line"
bytes=$(sed -E 's/.*message_bytes=([0-9]+).*/\1/' <<<"$line")
tessera_rate=$(sed -E 's/.*msgs_per_s=([0-9]+).*/\1/' <<<"$line")

start=$(date +%s.%N)
smtp-source -s "$WORKERS" -m "$RECIPIENTS" -l "$bytes" -d -f news@shop.example -t r@d1.example 127.0.0.1:$PORT
end=$(date +%s.%N)
source_rate=$(awk -v n="$RECIPIENTS" -v a="$start" -v b="$end" 'BEGIN{printf "%.0f", n/(b-a)}')
echo "smtp-source sessions=$WORKERS messages=$RECIPIENTS message_bytes=$bytes msgs_per_s=$source_rate"
awk -v t="$tessera_rate" -v s="$source_rate" 'BEGIN{printf "tessera/smtp-source = %.0f%%\n", 100*t/s}'
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (at the start: $load0)"
