#!/usr/bin/env bash
# Keycloak (dev mode, H2 database) with the realm "edgefleet": users, roles and the CLI's client (gateways have
# certificates of their own, docs/edge-link.md). Local only: fixed admin and user passwords, see the README.
# usage: keycloak.sh up|down|status     dist+data: $RUN/keycloak   log: $RUN/logs/keycloak.log
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

KC_VERSION=26.7.3
HOME_DIR=$RUN/keycloak
DIST=$HOME_DIR/dist
LOG=$LOGS/keycloak.log
TEMPLATE_DIR=$LOCAL_DIR/keycloak
ISSUER=http://localhost:$KEYCLOAK_PORT/realms/edgefleet

fetch_dist() {
  [ -x "$DIST/bin/kc.sh" ] && return 0
  say "keycloak: downloading Keycloak $KC_VERSION (once, ~180 MB) ..."
  local dl=$HOME_DIR/download
  mvn_copy keycloak "org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip" "$dl"
  rm -rf "$HOME_DIR/unzip" "$DIST"
  unzip -q "$dl/keycloak-quarkus-dist-$KC_VERSION.zip" -d "$HOME_DIR/unzip"
  mv "$HOME_DIR/unzip/keycloak-$KC_VERSION" "$DIST"
  rm -rf "$HOME_DIR/unzip"
}

confidential_clients() { jq -r '.clients[] | select(.publicClient | not) | .clientId' "$TEMPLATE_DIR/edgefleet-realm.json"; }

# The realm JSON = the template + one random secret per confidential client (kept in
# $SECRETS/<client-id>, reused on later starts) + the user profile declaring "tenant"
# (undeclared attributes are dropped since Keycloak 24).
generate_realm() {
  local id secrets='{}' out=$DIST/data/import/edgefleet-realm.json
  mkdir -p "$SECRETS" "$(dirname "$out")" && chmod 700 "$SECRETS"
  for id in $(confidential_clients); do
    [ -s "$SECRETS/$id" ] || (umask 077 && od -An -tx1 -N24 /dev/urandom | tr -d ' \n' >"$SECRETS/$id")
    # through files and stdin, not argv, so that `ps` does not show the secrets
    secrets=$(jq --arg id "$id" --rawfile secret "$SECRETS/$id" '. + {($id): $secret}' <<<"$secrets")
  done
  (umask 077 && jq --arg console_port "$CONSOLE_PORT" --slurpfile secrets <(printf '%s' "$secrets") --slurpfile profile "$TEMPLATE_DIR/user-profile.json" '
    .clients |= map(if .publicClient then . else .secret = $secrets[0][.clientId] end)
    | .clients |= map(if .clientId == "edgefleet-console" then .redirectUris = ["http://localhost:\($console_port)/*"] else . end)
    | .components["org.keycloak.userprofile.UserProfileProvider"] = [{
        providerId: "declarative-user-profile", subComponents: {},
        config: {"kc.user.profile.config": [$profile[0] | tojson]}}]' \
    "$TEMPLATE_DIR/edgefleet-realm.json" >"$out")
}

# A realm imported earlier keeps the secrets it was imported with: say so instead of failing later.
check_client_secrets() {
  local id answer
  for id in $(confidential_clients); do
    # a token, or (the console's client has no service account) Keycloak's "Client not enabled to retrieve service
    # account", which it says only after the secret was right; a wrong secret or an unknown client is "Invalid client"
    answer=$(curl -s -d grant_type=client_credentials -d "client_id=$id" --data-urlencode "client_secret@$SECRETS/$id" \
      "$ISSUER/protocol/openid-connect/token") || die "keycloak: no answer from $ISSUER"
    if ! jq -e '.access_token or (.error_description // "" | startswith("Client not enabled to retrieve service account"))' \
      >/dev/null 2>&1 <<<"$answer"; then
      die "keycloak: client $id does not accept the secret in $SECRETS/$id (realm imported with another one, or before the client existed?); to re-import: keycloak.sh down; rm -rf $DIST/data/h2; keycloak.sh up"
    fi
  done
}

up() {
  need_cmd jq
  need_cmd unzip
  if is_running keycloak; then check_client_secrets; say "keycloak: already up, realm $ISSUER"; return 0; fi
  port_free_or_die keycloak "$KEYCLOAK_PORT"
  fetch_dist
  generate_realm
  mkdir -p "$HOME_DIR/tmp"
  local started=$SECONDS
  say "keycloak: starting (40-70 s the first time, about 20 s later) ..."
  KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=admin \
    JAVA_OPTS_APPEND="-Djava.io.tmpdir=$HOME_DIR/tmp" \
    start_bg keycloak "$DIST/bin/kc.sh" start-dev --http-host=127.0.0.1 --http-port="$KEYCLOAK_PORT" --import-realm
  wait_for_http keycloak "$ISSUER/.well-known/openid-configuration" 240 "$LOG"
  check_client_secrets
  say "keycloak: up on http://localhost:$KEYCLOAK_PORT (pid $(pid_of keycloak), $((SECONDS - started)) s), realm $ISSUER, admin console admin/admin"
}

case "${1:-}" in
  up) up ;;
  down) stop_pid keycloak 30 ;;
  status) report_status keycloak "http://localhost:$KEYCLOAK_PORT realm $ISSUER" ;;
  *) usage_die ;;
esac
