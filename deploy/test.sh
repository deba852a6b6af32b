#!/usr/bin/env bash
# The test command: every test of every module, against real infrastructure.
# Kafka (KRaft) and PostgreSQL are started inside the tests from Maven Central artifacts, OIDC tokens
# come from Quarkus' OIDC test server. The edge gateway's Docker node driver is tested against a real
# Docker engine: deploy/ci/docker-up.sh starts one (and builds the node image) unless one answers.
# Extra arguments go to Maven, e.g. `deploy/test.sh -pl appliance-service`.
set -euo pipefail
cd "$(dirname "$0")/.."
deploy/ci/docker-up.sh
exec mvn -B verify "$@"
