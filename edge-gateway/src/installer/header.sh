#!/bin/sh
# EdgeFleet edge gateway installer: a shell header followed by a gzipped tar of the gateway.
# usage: edge-installer.bin [--target DIR] -- -i IP [-a HOST:PORT] [-d DEVICEID] [-v true -s KEY -u USER] ...
#        edge-installer.bin -- --help        (every flag)
# It unpacks the gateway into a private temp directory (under $TMPDIR, default /tmp; removed when it ends) and
# runs its installer from there, which checks every flag before it writes anything: only then is the gateway
# copied to DIR/edgefleet-gateway/dist (DIR defaults to /tmp), the configuration written and the gateway started.
set -eu
target=/tmp
while [ $# -gt 0 ]; do
  case "$1" in
    --target) [ $# -ge 2 ] || { echo "error: --target needs a directory" >&2; exit 2; }; target=$2; shift 2 ;;
    --target=*) target=${1#--target=}; shift ;;
    --) shift; break ;;
    *) break ;;
  esac
done
command -v java >/dev/null 2>&1 || { echo "error: the gateway needs Java 17 or newer (Debian: apt-get install openjdk-17-jre-headless)" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/edgefleet-installer.XXXXXX") || { echo "error: cannot make a temp directory under ${TMPDIR:-/tmp} (set TMPDIR)" >&2; exit 2; }
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
payload=$(awk '/^__EDGEFLEET_PAYLOAD__$/ { print NR + 1; exit }' "$0")
tail -n +"$payload" "$0" | tar -xzf - -C "$work"
status=0
java -jar "$work/edge-gateway.jar" install --target "$target" --bundle "$work" "$@" || status=$?
exit $status
__EDGEFLEET_PAYLOAD__
