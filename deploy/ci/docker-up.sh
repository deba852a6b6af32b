#!/usr/bin/env bash
# CI: the Docker engine and node image that the tests of the gateway's Docker node driver run against
# (they fail, not skip, without them). Idempotent: installs docker.io + busybox-static when dockerd is
# missing (/usr/local/bin/docker may be a client only), starts dockerd when nothing answers, builds
# edgefleet/node:latest when it is missing. The work is deploy/local/docker.sh's; dockerd's log and
# pid file go to .run/ (EDGEFLEET_RUN_DIR moves it), `deploy/local/docker.sh down` stops it again.
# usage: deploy/ci/docker-up.sh     then e.g.: mvn -B -pl edge-gateway -am verify
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

# deploy/local/lib.sh wants curl besides java and mvn (which a Maven build has anyway)
if ! command -v curl >/dev/null 2>&1; then
  [ "$(id -u)" -eq 0 ] || { echo "error: curl is missing: apt-get install curl" >&2; exit 1; }
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends curl
fi

"$ROOT/deploy/local/docker.sh" up

# what the tests will find: the engine (DOCKER_HOST or the default socket) and the node image
NODE_IMAGE=${NODE_IMAGE:-edgefleet/node:latest}
docker version --format "docker-up: dockerd {{.Server.Version}} (API {{.Server.APIVersion}}) at ${DOCKER_HOST:-unix:///var/run/docker.sock}"
docker image inspect --format "docker-up: node image $NODE_IMAGE present ({{.Size}} bytes)" "$NODE_IMAGE"
