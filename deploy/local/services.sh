#!/usr/bin/env bash
# The Quarkus services, each from its built jar, against the local postgres/kafka/keycloak, and the edge bridge
# between the MQTT edge broker (mqtt.sh) and Kafka. appliance-service gets the edge CA (enrolment, CRL) and its
# edge HTTPS port; the bridge the broker's platform listener and, beside the broker, its ACL, CRL and pid files.
# The console (web pages for operators) last: it calls the services with the signed-in user's token, logging in through
# Keycloak's edgefleet-console client (secret from keycloak.sh in $SECRETS/edgefleet-console).
# usage: [BUILD=1] services.sh up|down|status     logs: $RUN/logs/<module>.log
# A module whose directory has no pom.xml yet is skipped, so the script fits every stage of the repo.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

# module:port, in start order
SERVICES=("appliance-service:$APPLIANCE_PORT" "profile-service:$PROFILE_PORT"
          "cluster-service:$CLUSTER_PORT" "policy-service:$POLICY_PORT" "edge-bridge:$BRIDGE_PORT"
          "console:$CONSOLE_PORT")
PKI=$SECRETS/pki
MQTT_DIR=$RUN/mqtt

jar_of() { echo "$REPO_ROOT/$1/target/quarkus-app/quarkus-run.jar"; }
ready_url() { echo "http://localhost:$1/q/health/ready"; }
present() { [ -f "$REPO_ROOT/$1/pom.xml" ]; }

require_port() { # what port script
  port_open "$2" || die "services: $1 is not up on localhost:$2 (run deploy/local/$3 up, or stack.sh up)"
}

# One reactor build for all modules (and the gateway); refused while something runs from the jars it replaces.
build() {
  local m
  for m in "${SERVICES[@]%%:*}" gateway; do
    is_running "$m" && die "services: $m is running from the jars a build would replace; stop it first (stack.sh down)"
  done
  say "services: building, about a minute (mvn -DskipTests package at $REPO_ROOT; log $LOGS/build.log) ..."
  local started=$SECONDS
  (cd "$REPO_ROOT" && mvn_logged build "$LOGS/build.log" -DskipTests package)
  say "services: built in $((SECONDS - started)) s"
}

policy_secret_key() {
  mkdir -p "$SECRETS" && chmod 700 "$SECRETS"
  [ -s "$SECRETS/policy-secret-key" ] || (umask 077 && head -c 32 /dev/urandom | base64 >"$SECRETS/policy-secret-key")
  tr -d '\n' <"$SECRETS/policy-secret-key"
}

up() {
  local entry m port to_start=() to_wait=() need_build=0
  # BUILD=1: rebuild first (refused while something runs from the jars)
  if [ "${BUILD:-0}" = 1 ]; then build; fi
  for entry in "${SERVICES[@]}"; do
    m=${entry%%:*}
    if ! present "$m"; then say "$m: no module in $REPO_ROOT/$m yet, skipped"; continue; fi
    to_wait+=("$entry")
    if is_running "$m"; then say "$m: already running"; continue; fi
    to_start+=("$entry")
    [ -f "$(jar_of "$m")" ] || need_build=1
  done
  if [ ${#to_start[@]} -gt 0 ]; then
    require_port postgres "$PG_PORT" postgres.sh
    require_port kafka "$KAFKA_PORT" kafka.sh
    require_port keycloak "$KEYCLOAK_PORT" keycloak.sh
    require_port mqtt "$MQTT_PORT" mqtt.sh
    if [ "$need_build" = 1 ] && [ "${BUILD:-0}" != 1 ]; then build; fi
    # each service logs in to Kafka as itself, with only its own rights (topics, users, ACLs: idempotent)
    "$LOCAL_DIR/kafka.sh" access
  fi
  for entry in "${to_start[@]}"; do
    m=${entry%%:*} port=${entry##*:}
    [ -f "$(jar_of "$m")" ] || die "$m: no $(jar_of "$m") after the build (not a Quarkus app yet? see $LOGS/build.log)"
    port_free_or_die "$m" "$port"
    mkdir -p "$RUN/tmp/$m"
    # cwd = the module, as with a hand-started `java -jar`; its own temp dir keeps Vert.x caches
    # apart; like the infrastructure, it listens on localhost only
    local extra=()
    case $m in
      # policy-service encrypts object-store secrets at rest with a key of this stack (made once)
      policy-service) extra=(POLICY_SECRET_KEY="$(policy_secret_key)") ;;
      # appliance-service holds the edge CA: enrolment and renewal on its HTTPS edge port, the public CRL
      appliance-service) extra=(EDGE_CA_CERT_FILE="$PKI/edge-ca.crt" EDGE_CA_KEY_FILE="$PKI/edge-ca.key"
          EDGE_HTTPS_PORT="$EDGE_HTTPS_PORT" EDGE_TLS_CERT_FILE="$PKI/server.crt" EDGE_TLS_KEY_FILE="$PKI/server.key"
          MQTT_URL="ssl://localhost:$MQTT_PORT") ;;
      # the bridge: the broker's platform listener with its certificate; beside the broker it keeps the device
      # ACL and the CRL in step with appliance-service (access sync)
      edge-bridge) extra=(BRIDGE_MQTT_URL="ssl://localhost:$MQTT_PLATFORM_PORT" BRIDGE_MQTT_CERT_FILE="$PKI/bridge.crt"
          BRIDGE_MQTT_KEY_FILE="$PKI/bridge.key" BRIDGE_MQTT_CA_FILE="$PKI/platform-ca.crt" BRIDGE_MQTT_CLIENT_ID=edge-bridge-local
          BRIDGE_MOSQUITTO_ACL_FILE="$MQTT_DIR/device.acl" BRIDGE_MOSQUITTO_CRL_FILE="$MQTT_DIR/edge-ca.crl.pem"
          BRIDGE_MOSQUITTO_PID_FILE="$MQTT_DIR/mosquitto.pid" BRIDGE_MOSQUITTO_EDGE_CA_FILE="$PKI/edge-ca.crt"
          BRIDGE_MOSQUITTO_CRL_URL="http://localhost:$APPLIANCE_PORT/v1/certificate-authority/crl.pem") ;;
    esac
    if [ "$m" = console ]; then
      [ -s "$SECRETS/edgefleet-console" ] || die "console: no client secret in $SECRETS/edgefleet-console (keycloak.sh up makes it)"
      (cd "$REPO_ROOT/$m" && start_bg "$m" env HTTP_PORT="$port" QUARKUS_HTTP_HOST=127.0.0.1 \
        OIDC_URL="http://localhost:$KEYCLOAK_PORT/realms/edgefleet" OIDC_CLIENT_SECRET="$(tr -d '\n' <"$SECRETS/edgefleet-console")" \
        APPLIANCE_SERVICE_URL="http://localhost:$APPLIANCE_PORT" PROFILE_SERVICE_URL="http://localhost:$PROFILE_PORT" \
        CLUSTER_SERVICE_URL="http://localhost:$CLUSTER_PORT" POLICY_SERVICE_URL="http://localhost:$POLICY_PORT" \
        java -Xmx192m -Djava.io.tmpdir="$RUN/tmp/$m" -jar "$(jar_of "$m")")
      say "$m: starting on port $port (log $LOGS/$m.log)"
      continue
    fi
    (cd "$REPO_ROOT/$m" && start_bg "$m" env "${extra[@]}" HTTP_PORT="$port" QUARKUS_HTTP_HOST=127.0.0.1 \
      DB_USER=edgefleet DB_PASSWORD=edgefleet \
      DB_REACTIVE_URL="postgresql://localhost:$PG_PORT/edgefleet" \
      DB_JDBC_URL="jdbc:postgresql://localhost:$PG_PORT/edgefleet" \
      KAFKA_BOOTSTRAP="localhost:$KAFKA_PORT" KAFKA_PASSWORD="$(tr -d '\n' <"$SECRETS/kafka/$m.password")" \
      OIDC_URL="http://localhost:$KEYCLOAK_PORT/realms/edgefleet" \
      ZIPKIN_ENDPOINT="http://localhost:$ZIPKIN_PORT/api/v2/spans" \
      java -Xmx256m -Djava.io.tmpdir="$RUN/tmp/$m" -jar "$(jar_of "$m")")
    say "$m: starting on port $port (log $LOGS/$m.log)"
  done
  # they start in parallel; up = ready (a running one that is not ready yet is waited for too)
  local started=$SECONDS
  for entry in "${to_wait[@]}"; do
    m=${entry%%:*} port=${entry##*:}
    wait_for_http "$m" "$(ready_url "$port")" 120 "$LOGS/$m.log"
    say "$m: up on http://localhost:$port (pid $(pid_of "$m"), ready after $((SECONDS - started)) s)"
  done
}

down() {
  local i m
  for ((i = ${#SERVICES[@]} - 1; i >= 0; i--)); do
    m=${SERVICES[i]%%:*}
    if present "$m" || [ -f "$PIDS/$m.pid" ]; then stop_pid "$m" 30; fi
  done
}

status() {
  local entry m port rc=0 health
  for entry in "${SERVICES[@]}"; do
    m=${entry%%:*} port=${entry##*:}
    present "$m" || { say "$m: no module yet"; continue; }
    health=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$(ready_url "$port")" || true)
    report_status "$m" "http://localhost:$port ($([ "$health" = 200 ] && echo ready || echo "not ready: $health"))" || rc=1
  done
  return $rc
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) usage_die ;;
esac
