#!/usr/bin/env bash
# Benchmark: N containerized nodes created and deleted through the edge gateway (MQTT command from a real
# Mosquitto -> local store -> Docker) against raw docker-java calls for the same containers; prints the overhead.
# usage: deploy/bench/gateway-overhead.sh [NODES]   (default 10; needs a Docker engine: deploy/ci/docker-up.sh)
set -euo pipefail
cd "$(dirname "$0")/../.."
deploy/ci/docker-up.sh >/dev/null
deploy/ci/mqtt-up.sh >/dev/null
mvn -B -q install -DskipTests -pl edge-gateway -am
mvn -B -q test -pl edge-gateway -Dtest=GatewayOverheadBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbenchmark=true -Dnodes="${1:-10}" 2>&1 | grep -v -E '^\s*$|^[0-9:,]+ (INFO|WARN)'
