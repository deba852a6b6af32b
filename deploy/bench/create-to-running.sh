#!/usr/bin/env bash
# Benchmark: a containerized cluster (1 master + 2 workers) from REST create to RUNNING through cluster-service,
# Kafka, the edge link (Mosquitto, the bridge), the real edge gateway and the real Docker engine, against raw
# docker-java runs of the same three containers (same image, limits and network; each waited for until its readiness
# check passes, as a node is RUNNING only then); prints both per round and the control plane's overhead.
# usage: deploy/bench/create-to-running.sh [ROUNDS]   (default 3, after one warm-up round; needs deploy/ci/docker-up.sh)
set -euo pipefail
cd "$(dirname "$0")/../.."
deploy/ci/docker-up.sh >/dev/null
deploy/ci/mqtt-up.sh >/dev/null
mvn -B -q verify -pl cluster-service -am -Dtest=CreateToRunningBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbenchmark=true -Drounds="${1:-3}" 2>&1 | grep -E '^\[bench\]|FAIL|ERROR\]' || true
