#!/usr/bin/env bash
# The edge gateway of THIS machine, an appliance of tenant-a. It is installed with the real installer
# (edge-installer.bin: checks the flags, writes the config and the registration token), then run in the background
# by this script so that stack.sh can follow and stop it. On its first start it enrols at appliance-service's edge
# endpoint (https://localhost:$EDGE_HTTPS_PORT) with the registration token in $RUN/secrets/registration-token
# (demo.sh creates one), then speaks MQTT over TLS with its own certificate to the edge broker (mqtt.sh).
# GATEWAY_NAME=gateway-virt GATEWAY_SSH_KEY=FILE GATEWAY_SSH_KNOWN_HOSTS=FILE (demo-virtualized.sh) installs a second,
# virtualized gateway beside it (-v true: libvirt over qemu+ssh://root@127.0.0.1 with that key, accepting only the
# host keys in that known_hosts file), in $RUN/gateway-virt, without metrics.
# usage: [GATEWAY_UID=...] gateway.sh up|down|status     log: $RUN/logs/$GATEWAY_NAME.log
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

TARGET=$REPO_ROOT/edge-gateway/target
NAME=${GATEWAY_NAME:-gateway}
LOG=$LOGS/$NAME.log
GATEWAY_UID=${GATEWAY_UID:-$(gateway_uid)}
TOKEN_FILE=${REGISTRATION_TOKEN_FILE:-$SECRETS/registration-token}

INSTALLER=$TARGET/edge-installer.bin
HOME_DIR=$RUN/$NAME/edgefleet-gateway
SSH_KEY=${GATEWAY_SSH_KEY:-}

up() {
  if is_running "$NAME"; then say "$NAME: already up, appliance $GATEWAY_UID"; return 0; fi
  port_open "$EDGE_HTTPS_PORT" || die "gateway: appliance-service's edge endpoint is not up on localhost:$EDGE_HTTPS_PORT (services.sh up)"
  port_open "$MQTT_PORT" || die "gateway: the MQTT broker is not up on localhost:$MQTT_PORT (mqtt.sh up)"
  if [ ! -x "$INSTALLER" ]; then
    say "gateway: building edge-gateway (log $LOGS/build-gateway.log) ..."
    (cd "$REPO_ROOT" && mvn_logged gateway "$LOGS/build-gateway.log" -DskipTests -pl edge-gateway -am package)
  fi
  # a first installation needs a registration token; an installed gateway keeps its identity (a new token makes it
  # enrol again)
  local token=()
  if [ -s "$TOKEN_FILE" ]; then token=(--registration-token-file "$TOKEN_FILE")
  elif [ ! -s "$HOME_DIR/gateway.properties" ]; then
    die "gateway: no registration token in $TOKEN_FILE (a tenant-admin creates one: POST /v1/registration-tokens; demo.sh does)"
  fi
  local ip kind=() metrics=(--metrics-listen "127.0.0.1:$GATEWAY_METRICS_PORT")
  ip=$(hostname -I 2>/dev/null | awk '{print $1}')
  if [ -n "$SSH_KEY" ]; then # virtualized: libvirt of this machine over SSH as root
    # the host's SSH key is pinned (GATEWAY_SSH_KNOWN_HOSTS, which demo-virtualized.sh writes from /etc/ssh)
    [ -s "${GATEWAY_SSH_KNOWN_HOSTS:-}" ] || die "gateway: GATEWAY_SSH_KNOWN_HOSTS must name the pinned host keys of 127.0.0.1"
    ip=127.0.0.1 kind=(-v true -s "$SSH_KEY" -u root --ssh-known-hosts "$GATEWAY_SSH_KNOWN_HOSTS") metrics=(--metrics-listen off)
  fi
  # the edge endpoint's and the broker's certificates are signed by the stack's platform CA
  "$INSTALLER" --target "$RUN/$NAME" -- -i "${ip:-127.0.0.1}" -a "https://localhost:$EDGE_HTTPS_PORT" -d "$GATEWAY_UID" \
    "${token[@]}" "${kind[@]}" --custom-cacert "$SECRETS/pki/platform-ca.crt" --heartbeat-interval 10 \
    "${metrics[@]}" --no-start >>"$LOG" 2>&1 \
    || fail_with_log "$NAME" "$LOG" "the installer refused its flags"
  # its spans go to the stack's Zipkin (a line the installer does not write: off on a real appliance unless set)
  grep -q '^tracing.zipkin-endpoint=' "$HOME_DIR/gateway.properties" \
    || echo "tracing.zipkin-endpoint=http://localhost:$ZIPKIN_PORT/api/v2/spans" >>"$HOME_DIR/gateway.properties"
  # LIBVIRT_DOMAIN_TYPE (demo-virtualized.sh): kvm or qemu for the virtualized gateway's nodes (a hand-added key)
  if [ -n "$SSH_KEY" ] && [ -n "${LIBVIRT_DOMAIN_TYPE:-}" ]; then
    sed -i '/^libvirt.domain-type=/d' "$HOME_DIR/gateway.properties"
    echo "libvirt.domain-type=$LIBVIRT_DOMAIN_TYPE" >>"$HOME_DIR/gateway.properties"
  fi
  start_bg "$NAME" java -Xmx192m -jar "$HOME_DIR/dist/edge-gateway.jar" run --config "$HOME_DIR/gateway.properties"
  # it has no port: up means its first report (the registration) was taken by the broker
  local deadline=$((SECONDS + 90))
  until grep -q "registration of appliance '$GATEWAY_UID' sent" "$LOG"; do
    is_running "$NAME" || fail_with_log "$NAME" "$LOG" "exited"
    [ $SECONDS -lt "$deadline" ] \
      || give_up "$NAME" "$LOG" "registration not sent within 90 s: $(grep -E 'reports wait locally|enrol' "$LOG" | tail -n 1)"
    sleep 0.5
  done
  say "$NAME: up (pid $(pid_of "$NAME")), appliance $GATEWAY_UID, enrolled, registration sent over MQTT"
}

case "${1:-}" in
  up) up ;;
  down) stop_pid "$NAME" 20
        # stack.sh down stops the virtualized demo's gateway too
        if [ "$NAME" = gateway ] && is_running gateway-virt; then stop_pid gateway-virt 20; fi ;;
  status) report_status "$NAME" "appliance $GATEWAY_UID, MQTT ssl://localhost:$MQTT_PORT, heartbeat every 10 s" ;;
  *) usage_die ;;
esac
