#!/usr/bin/env bash
# The trace backend: Zipkin's server from Maven Central (java -jar, spans kept in memory: a restart forgets them). The
# services, the edge bridge and the local gateway send it their spans (docs/operations.md, "Traces"); its UI and query
# API are at http://localhost:$ZIPKIN_PORT (e.g. /api/v2/traces?serviceName=cluster-service, /api/v2/trace/<id>).
# usage: zipkin.sh up|down|status     log: $RUN/logs/zipkin.log
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

ZIPKIN_VERSION=3.6.1
HOME_DIR=$RUN/zipkin
JAR=$HOME_DIR/zipkin-server-$ZIPKIN_VERSION-exec.jar
LOG=$LOGS/zipkin.log

up() {
  if is_running zipkin; then say "zipkin: already up on http://localhost:$ZIPKIN_PORT"; return 0; fi
  port_free_or_die zipkin "$ZIPKIN_PORT"
  if [ ! -f "$JAR" ]; then
    say "zipkin: downloading Zipkin $ZIPKIN_VERSION (once, 135 MB) ..."
    mvn_copy zipkin "io.zipkin:zipkin-server:$ZIPKIN_VERSION:jar:exec" "$HOME_DIR"
  fi
  mkdir -p "$HOME_DIR/tmp"
  start_bg zipkin env QUERY_PORT="$ZIPKIN_PORT" STORAGE_TYPE=mem MEM_MAX_SPANS=500000 SELF_TRACING_ENABLED=false \
    java -Xmx384m -Djava.io.tmpdir="$HOME_DIR/tmp" -jar "$JAR"
  wait_for_http zipkin "http://localhost:$ZIPKIN_PORT/health" 120 "$LOG"
  say "zipkin: up on http://localhost:$ZIPKIN_PORT (pid $(pid_of zipkin))"
}

case "${1:-}" in
  up) up ;;
  down) stop_pid zipkin 20 ;;
  status) report_status zipkin "http://localhost:$ZIPKIN_PORT (UI; spans in at /api/v2/spans)" ;;
  *) usage_die ;;
esac
