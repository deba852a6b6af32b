#!/usr/bin/env bash
# The MQTT edge broker: Eclipse Mosquitto 2.0 from Debian, configured as docs/edge-link.md says.
#   device listener   localhost:$MQTT_PORT    TLS, client certificates of the edge CA only (CRL checked), identity =
#                                             the certificate's CN = MQTT user = client id; ACL: read
#                                             edgefleet/<identity>/commands, write edgefleet/<identity>/reports
#   platform listener localhost:$MQTT_PLATFORM_PORT   TLS, the bridge's certificate (platform CA)
# The device ACL and the CRL are kept up to date by the bridge's access sync (SIGHUP re-reads both).
# usage: mqtt.sh up|down|status     data: $RUN/mqtt   log: $RUN/logs/mqtt.log
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

HOME_DIR=$RUN/mqtt
PKI=$SECRETS/pki
LOG=$LOGS/mqtt.log

write_config() {
  local tls="certfile $PKI/server.crt
keyfile $PKI/server.key
require_certificate true
use_identity_as_username true
allow_anonymous false"
  # the deny entries written by the bridge survive restarts; a first start gets the two patterns only
  [ -f "$HOME_DIR/device.acl" ] || printf 'pattern read edgefleet/%%u/commands\npattern write edgefleet/%%u/reports\n' >"$HOME_DIR/device.acl"
  # the bridge also reads the broker's client count: its link status carries it (a fleet reconnecting after a restart)
  printf 'user edgefleet-bridge\ntopic readwrite edgefleet/#\ntopic read $SYS/broker/clients/connected\n' >"$HOME_DIR/platform.acl"
  [ -f "$HOME_DIR/edge-ca.crl.pem" ] || cp "$PKI/edge-ca.crl.pem" "$HOME_DIR/edge-ca.crl.pem"
  cat >"$HOME_DIR/mosquitto.conf" <<CONF
# EdgeFleet local edge broker (deploy/local/mqtt.sh)
$([ "$(id -u)" -eq 0 ] && echo "user root")
pid_file $HOME_DIR/mosquitto.pid
per_listener_settings true
persistence true
persistence_location $HOME_DIR/data/
autosave_interval 60
max_packet_size 1048576
# \$SYS/broker/clients/connected every 10 s (the bridge's link status; well within the 90 s heartbeat timeout)
sys_interval 10
# per client: commands waiting for an offline appliance, reports for an away bridge (beyond it they are dropped)
max_queued_messages 100000
# no Nagle on the clients' sockets: a command or report written while the previous packet to that client is still
# unacknowledged would otherwise wait for the client's delayed ACK (~40 ms on Linux; docs/benchmarks.md)
set_tcp_nodelay true
log_dest stdout
log_type error
log_type warning
log_type notice
log_type information
connection_messages true
log_timestamp_format %Y-%m-%dT%H:%M:%S

# devices: edge CA certificates only, CRL checked, identity = CN, no session take-over by another device
listener $MQTT_PORT 127.0.0.1
cafile $PKI/edge-ca.crt
crlfile $HOME_DIR/edge-ca.crl.pem
$tls
use_username_as_clientid true
acl_file $HOME_DIR/device.acl

# platform: the bridge (platform CA)
listener $MQTT_PLATFORM_PORT 127.0.0.1
cafile $PKI/platform-ca.crt
$tls
acl_file $HOME_DIR/platform.acl
CONF
}

up() {
  if is_running mqtt; then say "mqtt: already up on localhost:$MQTT_PORT"; return 0; fi
  need_cmd mosquitto
  [ -x /usr/sbin/mosquitto ] || die "mqtt: /usr/sbin/mosquitto missing (apt-get install mosquitto)"
  port_free_or_die mqtt "$MQTT_PORT"
  port_free_or_die mqtt "$MQTT_PLATFORM_PORT"
  "$LOCAL_DIR/pki.sh" up
  mkdir -p "$HOME_DIR/data"
  write_config
  start_bg mqtt /usr/sbin/mosquitto -c "$HOME_DIR/mosquitto.conf"
  wait_for_port mqtt "$MQTT_PORT" 30 "$LOG"
  say "mqtt: up on localhost:$MQTT_PORT (devices) and localhost:$MQTT_PLATFORM_PORT (bridge) (pid $(pid_of mqtt))"
}

case "${1:-}" in
  up) up ;;
  down) stop_pid mqtt 20 ;;
  status) report_status mqtt "devices localhost:$MQTT_PORT, bridge localhost:$MQTT_PLATFORM_PORT" ;;
  *) usage_die ;;
esac
