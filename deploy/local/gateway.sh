#!/usr/bin/env bash
# The edge gateway of THIS machine, reporting for tenant-a with the gateway-tenant-a credential.
# usage: [GATEWAY_UID=...] gateway.sh up|down|status     log: $RUN/logs/gateway.log
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

TARGET=$REPO_ROOT/edge-gateway/target
LOG=$LOGS/gateway.log
TENANT=tenant-a
CLIENT_ID=gateway-$TENANT
GATEWAY_UID=${GATEWAY_UID:-$(gateway_uid)}

# target/edge-gateway.jar (+ target/lib/); a build without a finalName names it edge-gateway-<version>.jar
gateway_jar() {
  local jar
  for jar in "$TARGET/edge-gateway.jar" "$TARGET"/edge-gateway-*.jar; do
    case $jar in *-sources.jar | *-javadoc.jar | *-tests.jar) continue ;; esac
    [ -f "$jar" ] && { echo "$jar"; return 0; }
  done
  return 1
}

up() {
  if is_running gateway; then say "gateway: already up, appliance $GATEWAY_UID"; return 0; fi
  port_open "$KAFKA_PORT" || die "gateway: kafka is not up on localhost:$KAFKA_PORT (run deploy/local/kafka.sh up, or stack.sh up)"
  [ -s "$SECRETS/$CLIENT_ID" ] || die "gateway: no client secret in $SECRETS/$CLIENT_ID (run deploy/local/keycloak.sh up first)"
  if ! gateway_jar >/dev/null; then
    say "gateway: building edge-gateway (log $LOGS/build-gateway.log) ..."
    (cd "$REPO_ROOT" && mvn_logged gateway "$LOGS/build-gateway.log" -DskipTests -pl edge-gateway -am package)
  fi
  start_bg gateway java -Xmx128m -jar "$(gateway_jar)" run -d "$GATEWAY_UID" -a "localhost:$KAFKA_PORT" \
    --tenant "$TENANT" \
    --token-url "http://localhost:$KEYCLOAK_PORT/realms/edgefleet/protocol/openid-connect/token" \
    --client-id "$CLIENT_ID" --client-secret-file "$SECRETS/$CLIENT_ID" --heartbeat-interval 10
  # it has no port yet: up means its first report (the registration) reached Kafka
  local deadline=$((SECONDS + 60))
  until grep -q "registration of appliance '$GATEWAY_UID' sent" "$LOG"; do
    is_running gateway || fail_with_log gateway "$LOG" "exited"
    [ $SECONDS -lt "$deadline" ] \
      || give_up gateway "$LOG" "registration not sent within 60 s: $(grep 'report not sent' "$LOG" | tail -n 1 | sed 's/.*report not sent ([^)]*): //')"
    sleep 0.5
  done
  say "gateway: up (pid $(pid_of gateway)), appliance $GATEWAY_UID of $TENANT, registration sent"
}

case "${1:-}" in
  up) up ;;
  down) stop_pid gateway 20 ;;
  status) report_status gateway "appliance $GATEWAY_UID of $TENANT, heartbeat every 10 s" ;;
  *) usage_die ;;
esac
