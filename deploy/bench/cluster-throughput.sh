#!/usr/bin/env bash
# Benchmark: provisions N clusters (1 master + 2 workers each) through cluster-service on SIMULATED appliances:
# real edge gateways whose node driver is RecordingNodeDriver (it only records operations; nothing is created),
# and prints clusters per minute and the control plane's p50/p99 latency from a gateway's result report to the
# state change in cluster-service. Real Kafka, PostgreSQL and the edge link (Mosquitto, the bridge process), started by
# the benchmark itself.
# usage: deploy/bench/cluster-throughput.sh [CLUSTERS]   (default 20)
set -euo pipefail
cd "$(dirname "$0")/../.."
deploy/ci/mqtt-up.sh >/dev/null
mvn -B -q verify -pl cluster-service -am -Dtest=ClusterThroughputBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbenchmark=true -Dclusters="${1:-20}" 2>&1 | grep -E '^\[bench\]|FAIL|ERROR\]' || true
