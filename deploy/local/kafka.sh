#!/usr/bin/env bash
# Single-node KRaft Kafka broker from Maven Central jars (no Docker, no tarball).
# usage: kafka.sh up|down|status     data: $RUN/kafka   log: $RUN/logs/kafka.log
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

HOME_DIR=$RUN/kafka
LIBS=$HOME_DIR/libs
CONTROLLER_PORT=$((KAFKA_PORT + 1))
LOG=$LOGS/kafka.log

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
  cat >"$HOME_DIR/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@localhost:$CONTROLLER_PORT
listeners=PLAINTEXT://localhost:$KAFKA_PORT,CONTROLLER://localhost:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://localhost:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$HOME_DIR/data
num.partitions=3
auto.create.topics.enable=true
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
PROPS
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
  write_config
  # KRaft needs formatted storage; format only once so topics survive restarts
  if [ ! -f "$HOME_DIR/data/meta.properties" ]; then
    java -cp "$LIBS/*" kafka.tools.StorageTool format --ignore-formatted \
      -t "$(java -cp "$LIBS/*" kafka.tools.StorageTool random-uuid)" \
      -c "$HOME_DIR/server.properties" >"$LOGS/kafka-format.log" 2>&1 \
      || fail_with_log kafka "$LOGS/kafka-format.log" "formatting the storage failed"
  fi
  start_bg kafka java -Xms256m -Xmx512m -Djava.io.tmpdir="$HOME_DIR/tmp" \
    -Dlog4j2.configurationFile="$HOME_DIR/log4j2.properties" \
    -cp "$LIBS/*" kafka.Kafka "$HOME_DIR/server.properties"
  wait_for_port kafka "$KAFKA_PORT" 60 "$LOG"
  say "kafka: up on localhost:$KAFKA_PORT (pid $(pid_of kafka))"
}

case "${1:-}" in
  up) up ;;
  down) stop_pid kafka 30 ;;
  status) report_status kafka "localhost:$KAFKA_PORT" ;;
  *) usage_die ;;
esac
