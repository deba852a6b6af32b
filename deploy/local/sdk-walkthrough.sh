#!/usr/bin/env bash
# The management API through the Java SDK only (sdk module): brings the stack up, then runs
# LocalStackWalkthroughTest against it — register this machine as an appliance, issue a registration token, start
# its gateway with it (gateway.sh), wait for READY, create a profile, create a cluster and follow its progress
# (Server-Sent Events) to RUNNING, scale a pool, then delete the cluster and follow it to DELETED.
# usage: [GATEWAY_UID=...] sdk-walkthrough.sh      (leaves the stack running; stop it with stack.sh down)
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

GATEWAY_UID=${GATEWAY_UID:-$(gateway_uid)}
export GATEWAY_UID

"$LOCAL_DIR/stack.sh" up
say "SDK walkthrough (log $LOGS/sdk-walkthrough.log) ..."
started=$SECONDS
if ! (cd "$REPO_ROOT" && mvn -B -pl sdk test -Dtest=LocalStackWalkthroughTest -Dsurefire.failIfNoSpecifiedTests=false \
        -Dedgefleet.walkthrough=true -Dedgefleet.gateway-uid="$GATEWAY_UID" -Dedgefleet.run-dir="$RUN" \
        -Dedgefleet.keycloak-url="http://localhost:$KEYCLOAK_PORT" -Dedgefleet.appliance-url="http://localhost:$APPLIANCE_PORT" \
        -Dedgefleet.profile-url="http://localhost:$PROFILE_PORT" -Dedgefleet.cluster-url="http://localhost:$CLUSTER_PORT" \
        -Dedgefleet.policy-url="http://localhost:$POLICY_PORT" >"$LOGS/sdk-walkthrough.log" 2>&1); then
  grep -E '^(==>|  )|FAIL|Tests run' "$LOGS/sdk-walkthrough.log" | tail -40 >&2 || true
  die "the SDK walkthrough failed after $((SECONDS - started)) s; see $LOGS/sdk-walkthrough.log, $LOGS/cluster-service.log and $LOGS/gateway.log"
fi
sed -n 's/^\(==> .*\|  .*\)$/\1/p' "$LOGS/sdk-walkthrough.log" | grep -v '^  at \|^\s*$' | head -60 || true
say "SDK walkthrough passed in $((SECONDS - started)) s"
# Prometheus scrapes every service, the bridge and the gateway, and evaluates the alert rules on what it gets
jobs="appliance-service|profile-service|cluster-service|policy-service|edge-bridge|edge-gateway"
scraped() {
  curl -s -G "http://localhost:$PROMETHEUS_PORT/api/v1/query" --data-urlencode "query=count(up{job=~\"$jobs\"} == 1)" \
    | grep -o '"[0-9]*"\]' | tr -dc 0-9
}
deadline=$((SECONDS + 60))
until [ "$(scraped)" = 6 ]; do
  [ $SECONDS -lt $deadline ] || die "prometheus: not every target is scraped; see http://localhost:$PROMETHEUS_PORT/targets"
  sleep 2
done
say "prometheus: all 6 targets scraped (services, edge bridge, gateway); alerts at http://localhost:$PROMETHEUS_PORT/alerts"
