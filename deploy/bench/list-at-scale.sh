#!/usr/bin/env bash
# Benchmark: GET /v1/appliances with 100,000 appliances in a tenant (and as many in another) on real PostgreSQL, through
# appliance-service's REST API: p50/p99 per filter, and PostgreSQL's plans (EXPLAIN ANALYZE) of the page queries.
# usage: deploy/bench/list-at-scale.sh [APPLIANCES] [ROUNDS]   (defaults 100000 and 30)
set -euo pipefail
cd "$(dirname "$0")/../.."
deploy/ci/mqtt-up.sh >/dev/null
mvn -B -q verify -pl appliance-service -am -DskipITs -Dtest=ListAtScaleBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbenchmark=true -Dappliances="${1:-100000}" -Drounds="${2:-30}" 2>&1 | grep -E '^\[bench\]|FAIL|ERROR\]' || true
