#!/usr/bin/env bash
# CI: the alert rules of the local stack are valid and behave as their unit tests say (promtool from Debian's
# prometheus package, installed when missing; nothing is started).
# usage: deploy/ci/prometheus-check.sh
set -euo pipefail
cd "$(dirname "$0")/../local/prometheus"
if ! command -v promtool >/dev/null 2>&1; then
  [ "$(id -u)" -eq 0 ] || { echo "error: promtool missing: apt-get install prometheus" >&2; exit 1; }
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  own_policy=false # policy-rc.d 101: the package's init script must not start a Prometheus of its own
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; own_policy=true
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null
  if $own_policy; then rm -f /usr/sbin/policy-rc.d; fi
fi
promtool check rules alerts.yml
promtool test rules alerts-test.yml
