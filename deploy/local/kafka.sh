#!/usr/bin/env bash
# Single-node KRaft Kafka broker from Maven Central jars (no Docker, no tarball), locked down as in production
# (docs/edge-link.md, "Kafka inside"): SASL on every listener (SCRAM-SHA-512 for clients, PLAIN on the controller
# listener), StandardAuthorizer, nothing allowed without an ACL, no topic created by a client. PLAIN on the client
# listener knows only `admin`: Debian's kcat (librdkafka 2.0.2) fails every SCRAM login here that Java clients pass. `access` (run by
# services.sh after the build) creates the topics, one SCRAM user per service and the ACLs of events' KafkaAccess.
# Passwords: $RUN/secrets/kafka/<principal>.password (made once; `admin` is the super user, e.g. for kcat).
# usage: kafka.sh up|down|status|access     data: $RUN/kafka   log: $RUN/logs/kafka.log
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

HOME_DIR=$RUN/kafka
LIBS=$HOME_DIR/libs
CONTROLLER_PORT=$((KAFKA_PORT + 1))
LOG=$LOGS/kafka.log
KAFKA_SECRETS=$SECRETS/kafka
PRINCIPALS=(admin appliance-service profile-service cluster-service policy-service edge-bridge)

# one random password per principal, made once (0600, in the stack's secrets)
make_passwords() {
  mkdir -p "$KAFKA_SECRETS" && chmod 700 "$SECRETS" "$KAFKA_SECRETS"
  local p
  for p in "${PRINCIPALS[@]}"; do
    [ -s "$KAFKA_SECRETS/$p.password" ] || (umask 077 && head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' >"$KAFKA_SECRETS/$p.password")
  done
}
password_of() { tr -d '\n' <"$KAFKA_SECRETS/$1.password"; }

fetch_libs() {
  [ -d "$LIBS" ] && return 0
  say "kafka: downloading the broker's jars (once) ..."
  # into a temp dir first, so an interrupted download is not taken for a complete one
  rm -rf "$LIBS.part"
  mvn_logged kafka "$LOGS/kafka-download.log" -f "$LOCAL_DIR/kafka-broker/pom.xml" \
    "$DEPENDENCY_PLUGIN:copy-dependencies" -DincludeScope=runtime -DoutputDirectory="$LIBS.part"
  mv "$LIBS.part" "$LIBS"
}

write_config() {
  local admin; admin=$(password_of admin)
  (umask 077 && cat >"$HOME_DIR/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@localhost:$CONTROLLER_PORT
listeners=SASL_PLAINTEXT://localhost:$KAFKA_PORT,CONTROLLER://localhost:$CONTROLLER_PORT
advertised.listeners=SASL_PLAINTEXT://localhost:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=SASL_PLAINTEXT
listener.security.protocol.map=CONTROLLER:SASL_PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT
sasl.enabled.mechanisms=SCRAM-SHA-512,PLAIN
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$admin";
listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="$admin" user_admin="$admin";
sasl.mechanism.controller.protocol=PLAIN
listener.name.controller.sasl.enabled.mechanisms=PLAIN
listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="$admin" user_admin="$admin";
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
super.users=User:admin
allow.everyone.if.no.acl.found=false
log.dirs=$HOME_DIR/data
num.partitions=3
auto.create.topics.enable=false
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
PROPS
  )
  cat >"$HOME_DIR/log4j2.properties" <<'L4J'
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.stdout.ref = STDOUT
L4J
}

up() {
  if is_running kafka; then say "kafka: already up on localhost:$KAFKA_PORT"; return 0; fi
  port_free_or_die kafka "$KAFKA_PORT"
  port_free_or_die kafka "$CONTROLLER_PORT"
  mkdir -p "$HOME_DIR/tmp"
  fetch_libs
  make_passwords
  write_config
  # data of a stack from before SASL has no admin user: start it afresh (local data only)
  if [ -f "$HOME_DIR/data/meta.properties" ] && [ ! -f "$HOME_DIR/data/.sasl" ]; then
    say "kafka: the stored data predates SASL; formatting afresh"
    rm -rf "$HOME_DIR/data"
  fi
  # KRaft needs formatted storage; format only once so topics survive restarts. The admin's SCRAM credential
  # is written at format time: the broker needs it before it can authenticate anyone.
  if [ ! -f "$HOME_DIR/data/meta.properties" ]; then
    java -cp "$LIBS/*" kafka.tools.StorageTool format --ignore-formatted \
      -t "$(java -cp "$LIBS/*" kafka.tools.StorageTool random-uuid)" \
      -c "$HOME_DIR/server.properties" --add-scram "SCRAM-SHA-512=[name=admin,password=$(password_of admin)]" \
      >"$LOGS/kafka-format.log" 2>&1 \
      || fail_with_log kafka "$LOGS/kafka-format.log" "formatting the storage failed"
    touch "$HOME_DIR/data/.sasl"
  fi
  start_bg kafka java -Xms256m -Xmx512m -Djava.io.tmpdir="$HOME_DIR/tmp" \
    -Dlog4j2.configurationFile="$HOME_DIR/log4j2.properties" \
    -cp "$LIBS/*" kafka.Kafka "$HOME_DIR/server.properties"
  wait_for_port kafka "$KAFKA_PORT" 60 "$LOG"
  say "kafka: up on localhost:$KAFKA_PORT (pid $(pid_of kafka))"
}

# topics, SCRAM users and ACLs (needs the built events module: services.sh runs it after its build)
access() {
  port_open "$KAFKA_PORT" || die "kafka: not up on localhost:$KAFKA_PORT (kafka.sh up)"
  local classes=$REPO_ROOT/events/target/classes
  [ -d "$classes/io/edgefleet/events" ] || die "kafka: $classes missing: build first (mvn -DskipTests package)"
  make_passwords
  java -cp "$LIBS/*:$classes" "$LOCAL_DIR/kafka-broker/KafkaSetup.java" "localhost:$KAFKA_PORT" "$KAFKA_SECRETS" \
    >"$LOGS/kafka-access.log" 2>&1 || fail_with_log kafka "$LOGS/kafka-access.log" "setting up topics, users and ACLs failed"
  sed 's/^/  /' "$LOGS/kafka-access.log"
}

case "${1:-}" in
  up) up ;;
  access) access ;;
  down) stop_pid kafka 30 ;;
  status) report_status kafka "localhost:$KAFKA_PORT" ;;
  *) die "usage: $(basename "$0") up|down|status|access" ;;
esac
