#!/usr/bin/env bash
# CI: the browser the console's tests drive — Debian's chromium and chromium-driver (Selenium talks to the driver,
# which runs chromium headless). Installs them when missing; starts nothing (each test starts its own driver and
# browser). Idempotent.
# usage: deploy/ci/chromium-up.sh
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || [ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" -eq 0 ] || { echo "error: missing ${missing[*]}: apt-get install ${missing[*]}" >&2; exit 1; }
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "chromium-up: $(/usr/bin/chromium --version 2>/dev/null | sed -n 1p); $(/usr/bin/chromedriver --version 2>/dev/null | sed -n 1p)"
