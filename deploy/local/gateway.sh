#!/usr/bin/env bash
# The edge gateway of THIS machine, reporting for tenant-a with the gateway-tenant-a credential.
# It is installed with the real installer (edge-installer.bin: checks the flags, writes the config),
# then run in the background by this script so that stack.sh can follow and stop it.
# usage: [GATEWAY_UID=...] gateway.sh up|down|status     log: $RUN/logs/gateway.log
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

TARGET=$REPO_ROOT/edge-gateway/target
LOG=$LOGS/gateway.log
TENANT=tenant-a
CLIENT_ID=gateway-$TENANT
GATEWAY_UID=${GATEWAY_UID:-$(gateway_uid)}

INSTALLER=$TARGET/edge-installer.bin
HOME_DIR=$RUN/gateway/edgefleet-gateway

up() {
  if is_running gateway; then say "gateway: already up, appliance $GATEWAY_UID"; return 0; fi
  port_open "$KAFKA_PORT" || die "gateway: kafka is not up on localhost:$KAFKA_PORT (run deploy/local/kafka.sh up, or stack.sh up)"
  [ -s "$SECRETS/$CLIENT_ID" ] || die "gateway: no client secret in $SECRETS/$CLIENT_ID (run deploy/local/keycloak.sh up first)"
  if [ ! -x "$INSTALLER" ]; then
    say "gateway: building edge-gateway (log $LOGS/build-gateway.log) ..."
    (cd "$REPO_ROOT" && mvn_logged gateway "$LOGS/build-gateway.log" -DskipTests -pl edge-gateway -am package)
  fi
  local ip
  ip=$(hostname -I 2>/dev/null | awk '{print $1}')
  "$INSTALLER" --target "$RUN/gateway" -- -i "${ip:-127.0.0.1}" -a "localhost:$KAFKA_PORT" -d "$GATEWAY_UID" \
    --tenant "$TENANT" --client-id "$CLIENT_ID" --client-secret-file "$SECRETS/$CLIENT_ID" \
    --token-url "http://localhost:$KEYCLOAK_PORT/realms/edgefleet/protocol/openid-connect/token" \
    --heartbeat-interval 10 --no-start >>"$LOG" 2>&1 || fail_with_log gateway "$LOG" "the installer refused its flags"
  start_bg gateway java -Xmx192m -jar "$HOME_DIR/dist/edge-gateway.jar" run --config "$HOME_DIR/gateway.properties"
  # it has no port yet: up means its first report (the registration) reached Kafka
  local deadline=$((SECONDS + 60))
  until grep -q "registration of appliance '$GATEWAY_UID' sent" "$LOG"; do
    is_running gateway || fail_with_log gateway "$LOG" "exited"
    [ $SECONDS -lt "$deadline" ] \
      || give_up gateway "$LOG" "registration not sent within 60 s: $(grep 'reports wait locally' "$LOG" | tail -n 1 | sed 's/.*retrying: //')"
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
