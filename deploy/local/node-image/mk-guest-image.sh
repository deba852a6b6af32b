#!/usr/bin/env bash
# Build a small bootable disk image for virtualized (libvirt) nodes, offline from Debian packages: the
# Debian cloud kernel and an initramfs with busybox-static and the QEMU guest agent, booted by SYSLINUX
# from a FAT disk (the driver's domains boot from their root disk through SeaBIOS). At boot the guest
#  - applies the gateway's bootstrap document (fw_cfg entry opt/io.edgefleet/bootstrap, see the gateway's
#    libvirt Bootstrap class): host name, SSH keys of root, environment and the spec's files; then writes the
#    document's sha256 to /run/edgefleet/bootstrap.sha256, which tells the gateway the node is ready;
#  - mounts its data disk (vdb, ext2 made on first boot) at /var/lib/edgefleet, so node data survives reboots;
#  - runs qemu-ga on the virtio-serial port org.qemu.guest_agent.0, through which the gateway runs the
#    policy tasks (scans, backups, restores, patches) in the node.
# It runs no Kubernetes: it stands for a node OS image in the tests and for trying virtualized clusters by hand.
# usage: mk-guest-image.sh OUTPUT.raw        Needs root for apt-get (installs mtools, syslinux, dosfstools).
set -euo pipefail

OUT=$(realpath -m "${1:?usage: mk-guest-image.sh OUTPUT.raw}")
mkdir -p "$(dirname "$OUT")"
BUSYBOX=${BUSYBOX:-/bin/busybox}
log() { echo "mk-guest-image: $*" >&2; }

need_packages=()
for p in busybox-static syslinux syslinux-common mtools dosfstools; do
  dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -qx installed || need_packages+=("$p")
done
if [ "${#need_packages[@]}" -gt 0 ]; then
  log "installing ${need_packages[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends "${need_packages[@]}" >/tmp/mk-guest-image-apt.log 2>&1 \
    || { apt-get update >>/tmp/mk-guest-image-apt.log 2>&1 \
         && apt-get install -y --no-install-recommends "${need_packages[@]}" >>/tmp/mk-guest-image-apt.log 2>&1; } \
    || { log "apt-get install failed, see /tmp/mk-guest-image-apt.log"; exit 1; }
fi

W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cd "$W"
# apt-get download writes into the current directory as user _apt when it can
chmod 0777 "$W"
kernel_pkg=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
[ -n "$kernel_pkg" ] || { apt-get update >/dev/null 2>&1; kernel_pkg=$(apt-cache depends linux-image-cloud-amd64 | awk '/Depends: linux-image-[0-9]/ {print $2; exit}'); }
[ -n "$kernel_pkg" ] || { log "cannot find Debian's cloud kernel package"; exit 1; }
log "downloading $kernel_pkg and qemu-guest-agent"
apt-get download "$kernel_pkg" qemu-guest-agent >download.log 2>&1 || { cat download.log >&2; exit 1; }
for d in *.deb; do dpkg-deb -x "$d" pkg; done
KVER=$(ls pkg/lib/modules)

R=$W/root
mkdir -p "$R"/{bin,sbin,usr/bin,usr/sbin,etc/init.d,proc,sys,dev,tmp,run,root,lib/modules,var/lib/edgefleet}
ln -s ../run "$R/var/run"
cp "$BUSYBOX" "$R/bin/busybox"
for applet in $("$R/bin/busybox" --list-full); do
  [ -e "$R/$applet" ] || ln -s /bin/busybox "$R/$applet"
done

# the guest agent and the shared libraries it needs (resolved against this machine's, same Debian release)
cp pkg/usr/sbin/qemu-ga "$R/usr/sbin/qemu-ga"
if ldd pkg/usr/sbin/qemu-ga | grep -q 'not found'; then
  log "qemu-ga needs libraries this machine lacks:"; ldd pkg/usr/sbin/qemu-ga | grep 'not found' >&2
  log "install qemu-system-x86 (deploy/ci/libvirt-up.sh does), which brings them"; exit 1
fi
for lib in $(ldd pkg/usr/sbin/qemu-ga | grep -o '/[^ ]*'); do
  mkdir -p "$R$(dirname "$lib")"
  cp -L "$lib" "$R$lib"
done

# kernel modules for virtio disks, network, the agent's port and fw_cfg, dependencies first (read from
# each module's own "depends=" field: the package has no modules.dep, depmod makes it at install)
modules=()
ko_file() { find "pkg/lib/modules/$KVER/kernel" \( -name "$1.ko" -o -name "${1//_/-}.ko" \) | head -1; }
add_module() {
  local name=$1 file dep known
  for known in "${modules[@]}"; do [ "$(basename "$known" .ko)" = "$name" ] && return 0; done
  file=$(ko_file "$name")
  [ -n "$file" ] || return 0  # built into the kernel
  for dep in $(grep -a -o 'depends=[a-z0-9_,-]*' "$file" | head -1 | cut -d= -f2 | tr , ' '); do add_module "$dep"; done
  modules+=("$file")
}
for name in virtio_pci virtio_blk virtio_net virtio_console qemu_fw_cfg; do add_module "$name"; done
: >"$R/etc/modules"
for m in "${modules[@]}"; do
  cp "$m" "$R/lib/modules/"
  basename "$m" >>"$R/etc/modules"
done

printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$R/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$R/etc/group"
chmod 1777 "$R/tmp"

cat >"$R/init" <<'EOT'
#!/bin/sh
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs -o mode=0755 tmpfs /run
exec /sbin/init
EOT
chmod 755 "$R/init"

cat >"$R/etc/inittab" <<'EOT'
::sysinit:/etc/init.d/rcS
::respawn:/etc/init.d/guest-agent
::ctrlaltdel:/sbin/reboot
::shutdown:/bin/umount -a -r
EOT

cat >"$R/etc/init.d/rcS" <<'EOT'
#!/bin/sh
for m in $(cat /etc/modules); do insmod "/lib/modules/$m"; done
mkdir -p /run/lock
# the data disk: made on first boot, node data lives there
if [ -b /dev/vdb ]; then
  mount -t ext2 /dev/vdb /var/lib/edgefleet 2>/dev/null || { mke2fs -q /dev/vdb >/dev/null && mount -t ext2 /dev/vdb /var/lib/edgefleet; }
fi
ip link set lo up
for i in /sys/class/net/eth*; do [ -e "$i" ] && ip link set "${i##*/}" up && udhcpc -b -q -i "${i##*/}" -s /etc/udhcpc.script >/dev/null 2>&1; done
doc=/sys/firmware/qemu_fw_cfg/by_name/opt/io.edgefleet/bootstrap/raw
if [ -r "$doc" ]; then
  # the gateway counts the node ready once this file holds the sha256 of the document it gave (read through the agent)
  if base64 -d "$doc" | awk -f /etc/bootstrap.awk; then
    mkdir -p /run/edgefleet
    base64 -d "$doc" | sha256sum | cut -d' ' -f1 >/run/edgefleet/bootstrap.sha256
    echo "bootstrap applied for $(hostname)"
  else
    echo "bootstrap document could not be applied"
  fi
else
  echo "no bootstrap document in fw_cfg"
fi
EOT
cat >"$R/etc/udhcpc.script" <<'EOT'
#!/bin/sh
case "$1" in
  bound|renew) ip addr flush dev "$interface"; ip addr add "$ip/${mask:-24}" dev "$interface"
               [ -n "$router" ] && ip route add default via "${router%% *}" dev "$interface" ;;
esac
EOT
cat >"$R/etc/init.d/guest-agent" <<'EOT'
#!/bin/sh
# the agent's virtio-serial port, by name (there is no udev to make /dev/virtio-ports links)
for p in /sys/class/virtio-ports/*; do
  [ "$(cat "$p/name" 2>/dev/null)" = org.qemu.guest_agent.0 ] && exec /usr/sbin/qemu-ga -m virtio-serial -p "/dev/${p##*/}" -t /run
done
echo "no org.qemu.guest_agent.0 port"; sleep 60
EOT
# qemu-ga reboots and powers off through shutdown(8), which busybox has not (the applet links point at
# /bin/busybox, which outside the image is the host's: never write through one)
rm -f "$R/sbin/shutdown"
cat >"$R/sbin/shutdown" <<'EOT'
#!/bin/sh
case "$*" in *-r*) exec reboot ;; *-h*|*-P*) exec poweroff ;; *) exec halt ;; esac
EOT
chmod 755 "$R/etc/init.d/rcS" "$R/etc/init.d/guest-agent" "$R/etc/udhcpc.script" "$R/sbin/shutdown"

# The bootstrap document is JSON; busybox has no JSON tool, so a small parser in awk applies it.
cat >"$R/etc/bootstrap.awk" <<'EOT'
function q(s) { gsub(/'/, "'\\''", s); return "'" s "'" }
function ws() { while (substr(J, P, 1) ~ /[ \t\r\n]/) P++ }
function hex(h,   i, v) { v = 0; for (i = 1; i <= 4; i++) v = v * 16 + index("0123456789abcdef", tolower(substr(h, i, 1))) - 1; return v }
function str(   c, out) {
  P++; out = ""
  while (1) {
    if (match(substr(J, P, 4096), /^[^"\\]+/)) { out = out substr(J, P, RLENGTH); P += RLENGTH; continue }
    c = substr(J, P, 1)
    if (c == "\"") { P++; return out }
    if (c != "\\") { print "bootstrap: unterminated string" > "/dev/stderr"; exit 1 }
    c = substr(J, P + 1, 1); P += 2
    if (c == "n") out = out "\n"; else if (c == "t") out = out "\t"; else if (c == "r") out = out "\r"
    else if (c == "b") out = out "\b"; else if (c == "f") out = out "\f"
    else if (c == "u") { out = out sprintf("%c", hex(substr(J, P, 4))); P += 4 }
    else out = out c
  }
}
function value(path,   c, i, k) {
  ws(); c = substr(J, P, 1)
  if (c == "{") {
    P++; ws(); if (substr(J, P, 1) == "}") { P++; return }
    while (1) {
      ws(); k = str(); ws(); P++; value(path == "" ? k : path "." k); ws()
      c = substr(J, P, 1); P++; if (c == "}") return
    }
  }
  if (c == "[") {
    P++; N[path] = 0; ws(); if (substr(J, P, 1) == "]") { P++; return }
    for (i = 0; ; i++) {
      value(path "." i); N[path] = i + 1; ws()
      c = substr(J, P, 1); P++; if (c == "]") return
    }
  }
  if (c == "\"") { V[path] = str(); return }
  match(substr(J, P), /^[^,}\] \t\r\n]+/); V[path] = substr(J, P, RLENGTH); P += RLENGTH
}
{ J = J $0 "\n" }
END {
  P = 1; value("")
  if (V["hostname"] != "") { print V["hostname"] > "/etc/hostname"; close("/etc/hostname"); system("hostname " q(V["hostname"])) }
  if (N["sshAuthorizedKeys"] > 0) {
    f = "/root/.ssh/authorized_keys"; system("mkdir -p /root/.ssh && chmod 0700 /root/.ssh")
    for (i = 0; i < N["sshAuthorizedKeys"]; i++) print V["sshAuthorizedKeys." i] > f
    close(f); system("chmod 0600 " f)
  }
  for (k in V) if (index(k, "env.") == 1) {
    v = V[k]; gsub(/["\\$`]/, "\\\\&", v); print substr(k, 5) "=\"" v "\"" > "/etc/environment"
  }
  close("/etc/environment")
  for (i = 0; i < N["files"]; i++) {
    p = V["files." i ".path"]; if (p !~ /^\//) continue
    d = p; sub(/\/[^\/]*$/, "", d); if (d != "") system("mkdir -p " q(d))
    printf "%s", V["files." i ".content"] > p; close(p)
    system("chown " q(V["files." i ".owner"]) " " q(p) "; chmod " q(V["files." i ".permissions"]) " " q(p))
  }
}
EOT

(cd "$R" && find . | "$BUSYBOX" cpio -o -H newc 2>/dev/null | gzip -9) >initrd.gz
cp "pkg/boot/vmlinuz-$KVER" vmlinuz
cat >syslinux.cfg <<'EOT'
DEFAULT node
TIMEOUT 0
PROMPT 0
LABEL node
  KERNEL vmlinuz
  INITRD initrd.gz
  APPEND console=ttyS0 quiet panic=5
EOT
size_kib=$(( ( $(stat -c %s vmlinuz) + $(stat -c %s initrd.gz) ) / 1024 + 4096 ))
rm -f "$OUT"
mkfs.fat -C -n EFNODE "$OUT" "$size_kib" >/dev/null
mcopy -i "$OUT" vmlinuz initrd.gz syslinux.cfg ::/
syslinux --install "$OUT"
log "built $OUT ($(du -h "$OUT" | cut -f1), kernel $KVER, qemu-ga $(dpkg-deb -f qemu-guest-agent_*.deb Version))"
