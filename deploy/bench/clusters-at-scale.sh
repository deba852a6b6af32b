#!/usr/bin/env bash
# Benchmark (issue 14): N clusters of 1 master + 2 workers (default 1,000) created through cluster-service's REST API
# (8 POSTs in flight) until every one is RUNNING, on SIMULATED appliances: fleet-sim's, one per cluster (one MQTT/TLS
# connection each with a device certificate of the test edge CA, answering node commands after 100 ms as
# RecordingNodeDriver does; nothing is created). Prints the time from the first POST to the last cluster RUNNING,
# clusters/minute and, per node operation (create-node command), the control plane's time (its time in cluster-service
# minus the time its appliance held it) with p50/p99/max, split into outbound, inbound and their legs (outbox, Kafka,
# bridge and Mosquitto, consumer). Real Kafka, PostgreSQL and the edge link (Mosquitto, the bridge process), started by
# the benchmark itself. The node commands' deadline and resend interval are production's (cluster.command-timeout=10m,
# commands.resend-interval=30s), not the test profile's 15 s and 3 s: with 3 s, every command waiting longer than 3 s
# for its result to be applied is sent again every 3 s, and each repeat's answer lengthens the queue it waits in (the
# first run at 1,000: 19,695 resends for 3,000 commands; docs/benchmarks.md, "Clusters at scale").
# usage: [IN_FLIGHT=8] [RATE=clusters/s] [WARMUP=clusters] [JVM_ARGS=...] deploy/bench/clusters-at-scale.sh [CLUSTERS]
#        (default 1000 clusters; JVM_ARGS: the benchmark JVM's options, default the tests' -Xmx768m, e.g. "-Xmx768m
#        -XX:+UseZGC" for a collector that does not stop the JVM for tens of milliseconds)
# WARMUP clusters (default 100, on appliances of their own) are created as fast as IN_FLIGHT allows and left RUNNING
# first, not counted: the figures are of a warm control plane (JIT-compiled, as in production), not of a cold JVM's
# first minutes, when C2 compiles for seconds on end (their figures are printed on a line of their own).
# RATE offers the clusters at a fixed rate (default: as fast as IN_FLIGHT POSTs allow, a burst that builds a queue):
# the control plane's time per node operation is its own only at a rate it keeps up with.
set -euo pipefail
cd "$(dirname "$0")/../.."
deploy/ci/mqtt-up.sh >/dev/null
mvn -B -q verify -pl cluster-service -am -DskipITs -Dtest=ClustersAtScaleBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbenchmark=true -Dclusters="${1:-1000}" -DwarmUp="${WARMUP:-100}" -DinFlight="${IN_FLIGHT:-8}" -Drate="${RATE:-0}" \
  -Dcluster.command-timeout=10m -Dcommands.resend-interval=30s -Dtest.jvm.args="${JVM_ARGS:--Xmx768m}" 2>&1 | grep -E '^\[bench\]|FAIL|ERROR\]' || true
