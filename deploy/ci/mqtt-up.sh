#!/usr/bin/env bash
# CI: what the edge-link tests start themselves — Eclipse Mosquitto 2.0 (the MQTT edge broker, run by
# test-support's MosquittoBroker as a child process) and tinyproxy (a real HTTP CONNECT proxy for the gateway's
# proxy test). Installs Debian's packages when missing; starts nothing (Debian's service is not enabled here:
# no systemd). Idempotent.
# usage: deploy/ci/mqtt-up.sh
set -euo pipefail
missing=()
command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] || missing+=(mosquitto)
command -v mosquitto_pub >/dev/null 2>&1 || missing+=(mosquitto-clients)
command -v tinyproxy >/dev/null 2>&1 || [ -x /usr/bin/tinyproxy ] || missing+=(tinyproxy)
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" -eq 0 ] || { echo "error: missing ${missing[*]}: apt-get install ${missing[*]}" >&2; exit 1; }
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  # policy-rc.d 101: the packages' init scripts must not start a broker or proxy of their own
  own_policy=false
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; own_policy=true
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  if $own_policy; then rm -f /usr/sbin/policy-rc.d; fi
fi
echo "mqtt-up: $(/usr/sbin/mosquitto -h 2>/dev/null | sed -n 1p); tinyproxy $(/usr/bin/tinyproxy -v 2>&1 | sed -n 1p)"
