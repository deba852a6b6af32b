#!/usr/bin/env bash
# Benchmark: list endpoints at fleet size on real PostgreSQL, through the services' REST APIs: p50/p99 per filter, and
# PostgreSQL's plans (EXPLAIN ANALYZE) of the queries a list runs.
#   appliances: GET /v1/appliances with 100,000 appliances in a tenant (and as many in another)   (appliance-service)
#   clusters:   GET /v1/clusters with 10,000 clusters of 3 nodes in a tenant (and as many in another) (cluster-service)
# usage: deploy/bench/list-at-scale.sh [appliances|clusters] [COUNT] [ROUNDS]
#        (defaults: appliances, 100000 appliances or 10000 clusters, 30 rounds; a number first means appliances)
set -euo pipefail
cd "$(dirname "$0")/../.."
WHAT=appliances
case "${1:-}" in appliances | clusters) WHAT=$1; shift ;; esac
deploy/ci/mqtt-up.sh >/dev/null
if [ "$WHAT" = clusters ]; then
  mvn -B -q verify -pl cluster-service -am -DskipITs -Dtest=ClusterListAtScaleBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
    -Dbenchmark=true -Dclusters="${1:-10000}" -Drounds="${2:-30}" 2>&1 | grep -E '^\[bench\]|FAIL|ERROR\]' || true
else
  mvn -B -q verify -pl appliance-service -am -DskipITs -Dtest=ListAtScaleBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
    -Dbenchmark=true -Dappliances="${1:-100000}" -Drounds="${2:-30}" 2>&1 | grep -E '^\[bench\]|FAIL|ERROR\]' || true
fi
