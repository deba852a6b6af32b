#!/usr/bin/env bash
# Benchmark (issue 14): N clusters of 1 master + 2 workers (default 1,000) created through cluster-service's REST API
# (8 POSTs in flight) until every one is RUNNING, on SIMULATED appliances: fleet-sim's, one per cluster (one MQTT/TLS
# connection each with a device certificate of the test edge CA, answering node commands after 100 ms as
# RecordingNodeDriver does; nothing is created). Prints the time from the first POST to the last cluster RUNNING,
# clusters/minute and, per node operation (create-node command), the control plane's time (its time in cluster-service
# minus the time its appliance held it) with p50/p99/max, split into outbound, inbound and their legs (outbox, Kafka,
# bridge and Mosquitto, consumer). Real Kafka, PostgreSQL and the edge link (Mosquitto, the bridge process), started by
# the benchmark itself. The node commands' deadline is production's (cluster.command-timeout=10m), not the test
# profile's 15 s (see rollout-at-scale.sh).
# usage: deploy/bench/clusters-at-scale.sh [CLUSTERS]   (default 1000)
set -euo pipefail
cd "$(dirname "$0")/../.."
deploy/ci/mqtt-up.sh >/dev/null
mvn -B -q verify -pl cluster-service -am -DskipITs -Dtest=ClustersAtScaleBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbenchmark=true -Dclusters="${1:-1000}" -Dcluster.command-timeout=10m 2>&1 | grep -E '^\[bench\]|FAIL|ERROR\]' || true
