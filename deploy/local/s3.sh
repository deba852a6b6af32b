#!/usr/bin/env bash
# An S3-compatible object store for backups: S3Proxy from Maven Central (checks AWS signatures like S3),
# objects as plain files under $RUN/s3/data/<bucket>/<key>, kept across restarts. Creates the bucket
# edgefleet-backups. Access key and secret: $SECRETS/s3-access-key and $SECRETS/s3-secret-key.
# usage: s3.sh up|down|status     log: $RUN/logs/s3.log
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

S3PROXY_VERSION=4.1.0
HOME_DIR=$RUN/s3
JAR=$HOME_DIR/s3proxy-$S3PROXY_VERSION-jar-with-dependencies.jar
BUCKET=${S3_BUCKET:-edgefleet-backups}
LOG=$LOGS/s3.log

up() {
  if is_running s3; then say "s3: already up on http://localhost:$S3_PORT"; return 0; fi
  port_free_or_die s3 "$S3_PORT"
  if [ ! -f "$JAR" ]; then
    say "s3: downloading S3Proxy $S3PROXY_VERSION (once, 55 MB) ..."
    mvn_copy s3 "org.gaul:s3proxy:$S3PROXY_VERSION:jar:jar-with-dependencies" "$HOME_DIR"
  fi
  mkdir -p "$SECRETS" "$HOME_DIR/data/$BUCKET" "$HOME_DIR/tmp" && chmod 700 "$SECRETS"
  [ -s "$SECRETS/s3-access-key" ] || (umask 077 && echo "edgefleet-$(od -An -tx1 -N4 /dev/urandom | tr -d ' \n')" >"$SECRETS/s3-access-key")
  [ -s "$SECRETS/s3-secret-key" ] || (umask 077 && od -An -tx1 -N20 /dev/urandom | tr -d ' \n' >"$SECRETS/s3-secret-key")
  (umask 077 && cat >"$HOME_DIR/s3proxy.properties" <<PROPS
s3proxy.endpoint=http://127.0.0.1:$S3_PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$(tr -d '\n' <"$SECRETS/s3-access-key")
s3proxy.credential=$(tr -d '\n' <"$SECRETS/s3-secret-key")
jclouds.provider=filesystem
jclouds.filesystem.basedir=$HOME_DIR/data
PROPS
  )
  start_bg s3 env LOG_LEVEL=warn java -Xmx256m -Djava.io.tmpdir="$HOME_DIR/tmp" -jar "$JAR" --properties "$HOME_DIR/s3proxy.properties"
  wait_for_port s3 "$S3_PORT" 60 "$LOG"
  say "s3: up on http://localhost:$S3_PORT, bucket $BUCKET (pid $(pid_of s3))"
}

case "${1:-}" in
  up) up ;;
  down) stop_pid s3 20 ;;
  status) report_status s3 "http://localhost:$S3_PORT bucket $BUCKET" ;;
  *) usage_die ;;
esac
