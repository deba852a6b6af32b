#!/usr/bin/env bash
# Benchmark: one rollout over N clusters (one master each; default 1,000) in waves of 10 % through cluster-service, on
# SIMULATED appliances: fleet-sim's (one MQTT/TLS connection each with a device certificate of the test edge CA,
# answering node commands as RecordingNodeDriver does; nothing is created). Prints the set-up times, the rollout's total
# time, each wave's time and the CPU of the JVM that runs cluster-service (process CPU time / wall time; the simulator's
# threads and the benchmark's own subtracted). Real Kafka, PostgreSQL and the edge link (Mosquitto, the bridge process),
# started by the benchmark itself.
# The node commands' deadline is production's (cluster.command-timeout=10m), not the test profile's 15 s: a wave of
# 100 starts 100 commands at once, and on a loaded machine some took longer than 15 s to reach their appliance. The
# resend interval is production's (30 s) too: with the test profile's 3 s, a command whose answer waits behind the
# wave's other answers is sent again, and each repeat's answer lengthens that queue (see clusters-at-scale.sh).
# usage: deploy/bench/rollout-at-scale.sh [CLUSTERS]   (default 1000)
set -euo pipefail
cd "$(dirname "$0")/../.."
deploy/ci/mqtt-up.sh >/dev/null
mvn -B -q verify -pl cluster-service -am -DskipITs -Dtest=RolloutAtScaleBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbenchmark=true -Dclusters="${1:-1000}" -Dcluster.command-timeout=10m -Dcommands.resend-interval=30s 2>&1 | grep -E '^\[bench\]|FAIL|ERROR\]' || true
