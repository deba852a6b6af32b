#!/usr/bin/env bash
# The whole local stack: postgres, kafka, keycloak, docker, the S3 object store, the MQTT edge broker, the services,
# the edge bridge and Prometheus (and, on "down", the gateway).
# usage: stack.sh up|down|status
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

UP_ORDER=(postgres kafka keycloak docker s3 mqtt zipkin services prometheus)
DOWN_ORDER=(gateway prometheus services zipkin mqtt s3 docker keycloak kafka postgres)

row() { printf '  %-18s %-5s %s\n' "$@"; }

# state of a pid-managed component; services are "up" only when ready
state() { # name [ready-url]
  if ! is_running "$1"; then echo down
  elif [ -z "${2:-}" ] || [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$2")" = 200 ]; then echo up
  else echo "starting"
  fi
}

summary() {
  local entry m port
  echo
  row COMPONENT STATE ADDRESS
  row postgres "$(state postgres)" "postgresql://localhost:$PG_PORT/edgefleet  user/password edgefleet/edgefleet"
  row kafka "$(state kafka)" "localhost:$KAFKA_PORT"
  row keycloak "$(state keycloak)" "http://localhost:$KEYCLOAK_PORT/realms/edgefleet  console /admin admin/admin"
  row docker "$(docker version >/dev/null 2>&1 && echo up || echo down)" "unix:///var/run/docker.sock  image edgefleet/node:latest"
  row s3 "$(state s3)" "http://localhost:$S3_PORT  bucket edgefleet-backups, keys in $SECRETS/s3-*"
  row mqtt "$(state mqtt)" "ssl://localhost:$MQTT_PORT (devices), ssl://localhost:$MQTT_PLATFORM_PORT (bridge); PKI in $SECRETS/pki"
  for entry in "appliance-service:$APPLIANCE_PORT" "profile-service:$PROFILE_PORT" \
               "cluster-service:$CLUSTER_PORT" "policy-service:$POLICY_PORT" "edge-bridge:$BRIDGE_PORT"; do
    m=${entry%%:*} port=${entry##*:}
    if [ -f "$REPO_ROOT/$m/pom.xml" ]; then
      row "$m" "$(state "$m" "http://localhost:$port/q/health/ready")" "http://localhost:$port  (OpenAPI /q/openapi, metrics /q/metrics)"
    else
      row "$m" "-" "no module yet (port $port)"
    fi
  done
  if [ -f "$REPO_ROOT/console/pom.xml" ]; then
    row console "$(state console "http://localhost:$CONSOLE_PORT/q/health/ready")" "http://localhost:$CONSOLE_PORT  (web console; log in as admin-a/admin-a-pass or viewer-a/viewer-a-pass)"
  fi
  row prometheus "$(state prometheus "http://localhost:$PROMETHEUS_PORT/-/ready")" "http://localhost:$PROMETHEUS_PORT  (targets /targets, alerts /alerts)"
  row zipkin "$(state zipkin "http://localhost:$ZIPKIN_PORT/health")" "http://localhost:$ZIPKIN_PORT  (traces of the services, the bridge and the gateway)"
  row gateway "$(state gateway)" "appliance ${GATEWAY_UID:-$(gateway_uid)} of tenant-a over MQTT ssl://localhost:$MQTT_PORT, enrolled at https://localhost:$EDGE_HTTPS_PORT, metrics http://127.0.0.1:$GATEWAY_METRICS_PORT/metrics"
  echo "  logs: $LOGS   secrets: $SECRETS"
}

case "${1:-}" in
  up)
    for c in "${UP_ORDER[@]}"; do
      started=$SECONDS
      "$LOCAL_DIR/$c.sh" up
      say "  ($c: $((SECONDS - started)) s)"
    done
    summary ;;
  down)
    for c in "${DOWN_ORDER[@]}"; do "$LOCAL_DIR/$c.sh" down; done ;;
  status)
    rc=0
    for c in "${UP_ORDER[@]}" gateway; do "$LOCAL_DIR/$c.sh" status || rc=1; done
    summary
    exit $rc ;;
  *) usage_die ;;
esac
