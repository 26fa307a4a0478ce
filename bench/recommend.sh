#!/bin/bash
# Recommendations offline evaluation (UCI Online Retail, time split at 2011-09-01):
# hit rate@10 and NDCG@10 of the co-occurrence model vs the popularity baseline.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -pl core test -Dtest='RecommendationEvaluationTest' -Dsurefire.failIfNoSpecifiedTests=false \
  | grep -E '^recommend:'
