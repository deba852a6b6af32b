#!/usr/bin/env bash
# The test command: every test of every module, against real infrastructure.
# Kafka (KRaft) and PostgreSQL are started inside the tests from Maven Central artifacts, OIDC tokens
# come from Quarkus' OIDC test server; nothing else has to run on the machine.
# Extra arguments go to Maven, e.g. `deploy/test.sh -pl appliance-service`.
set -euo pipefail
cd "$(dirname "$0")/.."
exec mvn -B verify "$@"
