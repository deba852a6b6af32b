#!/usr/bin/env bash
# The local stack's PKI (docs/edge-link.md, "Identities and keys"), made once with openssl under
# $RUN/secrets/pki (0700, keys 0600, PKCS#8):
#   edge-ca.{crt,key}      signs device certificates and the CRL; its key is handed to appliance-service only
#   platform-ca.{crt,key}  signs server certificates and the bridge's client certificate; gateways trust it
#   server.{crt,key}       localhost / 127.0.0.1: Mosquitto and appliance-service's edge HTTPS port
#   bridge.{crt,key}       CN=edgefleet-bridge, the bridge's identity on the broker's platform listener
#   edge-ca.crl.pem        an empty CRL to start Mosquitto with (the bridge installs appliance-service's afterwards)
# usage: pki.sh up|status      (nothing to stop; `rm -rf $RUN/secrets/pki` starts over: every appliance re-enrols)
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

PKI=$SECRETS/pki

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$PKI/$1.key" 2>/dev/null; }

ca() { # name common-name
  key "$1"
  openssl req -x509 -new -key "$PKI/$1.key" -out "$PKI/$1.crt" -days 3650 -subj "/CN=$2" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
}

leaf() { # name subject ca extensions
  key "$1"
  openssl req -new -key "$PKI/$1.key" -subj "$2" -out "$PKI/$1.csr" 2>/dev/null
  printf '%b' "$4" >"$PKI/$1.ext"
  openssl x509 -req -in "$PKI/$1.csr" -CA "$PKI/$3.crt" -CAkey "$PKI/$3.key" -CAcreateserial -days 825 \
    -extfile "$PKI/$1.ext" -out "$PKI/$1.crt" 2>/dev/null
  rm -f "$PKI/$1.csr" "$PKI/$1.ext"
}

# an empty CRL of the edge CA (openssl ca wants its small database)
empty_crl() {
  local db; db=$(mktemp -d)
  : >"$db/index.txt"; echo 01 >"$db/crlnumber"
  cat >"$db/ca.cnf" <<CNF
[ca]
default_ca = edge
[edge]
database = $db/index.txt
crlnumber = $db/crlnumber
default_md = sha256
default_crl_days = 7
CNF
  openssl ca -gencrl -config "$db/ca.cnf" -cert "$PKI/edge-ca.crt" -keyfile "$PKI/edge-ca.key" -out "$PKI/edge-ca.crl.pem" 2>/dev/null
  rm -rf "$db"
}

up() {
  need_cmd openssl
  if [ -s "$PKI/bridge.crt" ]; then say "pki: present in $PKI"; return 0; fi
  mkdir -p "$PKI" && chmod 700 "$SECRETS" "$PKI"
  (
    umask 077
    ca edge-ca "EdgeFleet edge CA (local stack)"
    ca platform-ca "EdgeFleet platform CA (local stack)"
    leaf server "/CN=localhost" platform-ca \
      "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyAgreement\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n"
    leaf bridge "/CN=edgefleet-bridge" platform-ca \
      "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyAgreement\nextendedKeyUsage=clientAuth\n"
    empty_crl
  )
  chmod 644 "$PKI"/*.crt "$PKI/edge-ca.crl.pem"
  say "pki: made in $PKI (edge CA, platform CA, server and bridge certificates)"
}

case "${1:-}" in
  up) up ;;
  down) ;;
  status) if [ -s "$PKI/bridge.crt" ]; then say "pki: $PKI (edge CA until $(openssl x509 -in "$PKI/edge-ca.crt" -noout -enddate | cut -d= -f2))"; else say "pki: not made yet"; exit 1; fi ;;
  *) usage_die ;;
esac
