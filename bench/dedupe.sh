#!/bin/bash
# Fuzzy dedupe benchmark (issue 3): P/R/F1 and wall time of `tessera dedupe` on FEBRL 1-4 and on a
# seeded 100,000-record file. Usage: bench/dedupe.sh   (from anywhere; builds the bench jar if needed)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
jar=bench/target/tessera-bench.jar
if [ ! -f "$jar" ] || [ -n "$(find core/src server/src bench/src -newer "$jar" -name '*.java' | head -1)" ]; then
  ./mvnw -q -DskipTests package -pl bench -am
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
nproc_used=${DEDUPE_CPUS:-2}
"${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}" -XX:ActiveProcessorCount="$nproc_used" -Xmx2g -cp "$jar" io.tessera.bench.dedupe.DedupeBench "$root/../shared/data/febrl" "$work"
