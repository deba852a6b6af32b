#!/bin/sh
# EdgeFleet edge gateway installer: a shell header followed by a gzipped tar of the gateway.
# usage: edge-installer.bin [--target DIR] -- -i IP [-a HOST:PORT] [-d DEVICEID] [-v true -s KEY -u USER] ...
#        edge-installer.bin -- --help        (every flag)
# It unpacks the gateway under DIR/edgefleet-gateway/dist (DIR defaults to /tmp), then runs its
# installer, which checks every flag, writes the configuration and starts the gateway.
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
dist="$target/edgefleet-gateway/dist"
mkdir -p "$dist"
payload=$(awk '/^__EDGEFLEET_PAYLOAD__$/ { print NR + 1; exit }' "$0")
tail -n +"$payload" "$0" | tar -xzf - -C "$dist"
exec java -jar "$dist/edge-gateway.jar" install --target "$target" "$@"
__EDGEFLEET_PAYLOAD__
