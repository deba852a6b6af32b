#!/usr/bin/env bash
# Build the ~2 MB "node" image offline: a busybox-static rootfs + `docker import`
# (no image registry is reachable from these machines). Needs /bin/busybox (Debian busybox-static).
# usage: mk-node-image.sh [tag]     (default edgefleet/node:latest; DOCKER_HOST is honoured)
set -euo pipefail

TAG=${1:-edgefleet/node:latest}
BUSYBOX=${BUSYBOX:-/bin/busybox}
[ -x "$BUSYBOX" ] || { echo "error: $BUSYBOX missing: apt-get install busybox-static" >&2; exit 1; }
# the rootfs has no libc: a dynamically linked busybox would not run in it
if ldd "$BUSYBOX" >/dev/null 2>&1; then
  echo "error: $BUSYBOX is not a static busybox (Debian package busybox-static)" >&2; exit 1
fi

R=$(mktemp -d)
trap 'rm -rf "$R"' EXIT
mkdir -p "$R"/{bin,sbin,etc/init.d,proc,sys,dev,tmp,run,var/log,root}
cp "$BUSYBOX" "$R/bin/busybox"
for applet in $("$R/bin/busybox" --list-full); do
  [ -e "$R/$applet" ] || { mkdir -p "$R/$(dirname "$applet")"; ln -s /bin/busybox "$R/$applet"; }
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$R/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$R/etc/group"
# busybox init as PID 1: a tiny HTTP server on 8080 and a heartbeat line every 5 s in the log
cat >"$R/etc/inittab" <<'EOT'
::sysinit:/etc/init.d/rcS
::respawn:/bin/sh -c 'exec /bin/busybox httpd -f -p 8080 -h /tmp'
::respawn:/bin/sh -c 'while :; do echo "node alive $(date +%T)"; sleep 5; done'
::shutdown:/bin/echo init shutting down
EOT
cat >"$R/etc/init.d/rcS" <<'EOT'
#!/bin/sh
echo "rcS: sysinit on $(hostname)"
EOT
chmod 755 "$R/etc/init.d/rcS"
chmod 1777 "$R/tmp"
tar -C "$R" -c . | docker import -c 'CMD ["/sbin/init"]' -c 'ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin' - "$TAG" >/dev/null
echo "built image $TAG"
