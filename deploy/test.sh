#!/usr/bin/env bash
# The test command: every test of every module, against real infrastructure.
# - Kafka (KRaft) and PostgreSQL are started inside the tests from Maven Central artifacts; OIDC tokens
#   come from Quarkus' OIDC test server.
# - The edge gateway's Docker node driver runs against a real Docker engine: deploy/ci/docker-up.sh
#   installs Debian's docker.io when missing, starts dockerd and builds the node image.
# - Its libvirt driver runs against libvirt's test driver (needs Debian's libvirt0) and a real libvirtd
#   with QEMU: deploy/ci/libvirt-up.sh installs and starts them. Where libvirtd cannot start, only the
#   real-QEMU test is skipped, saying why.
# - The edge link runs on a real Mosquitto broker (and the gateway's proxy test on a real tinyproxy), started
#   by the tests; deploy/ci/mqtt-up.sh installs Debian's packages when missing.
# - The console's tests drive a real headless Chromium (Selenium): deploy/ci/chromium-up.sh installs Debian's chromium
#   and chromium-driver when missing.
# - The alert rules of the local Prometheus are checked and unit-tested by promtool (deploy/ci/prometheus-check.sh).
# - Then the SDK walkthrough (deploy/local/sdk-walkthrough.sh): the whole stack of deploy/local, driven through the
#   generated Java SDK only. A stack that was already running is left running; one started here is stopped again.
# Extra arguments go to Maven, e.g. `deploy/test.sh -pl appliance-service` (and skip the walkthrough).
# Run as root (apt, dockerd).
set -euo pipefail
cd "$(dirname "$0")/.."
deploy/ci/docker-up.sh
deploy/ci/mqtt-up.sh
deploy/ci/chromium-up.sh
deploy/ci/prometheus-check.sh
deploy/ci/libvirt-up.sh || echo "warning: libvirtd is not available here; the real libvirt + QEMU test will be skipped"
if [ $# -gt 0 ]; then
  exec mvn -B verify "$@"
fi
mvn -B verify
if deploy/local/stack.sh status >/dev/null 2>&1; then
  deploy/local/sdk-walkthrough.sh
else
  trap 'deploy/local/stack.sh down >/dev/null 2>&1 || true' EXIT
  deploy/local/sdk-walkthrough.sh
fi
