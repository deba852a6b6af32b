#!/usr/bin/env bash
# Real libvirtd + QEMU for the libvirt node driver's tests (and for trying the driver by hand).
# Idempotent: installs what is missing, starts virtlogd and libvirtd when they are not running, and
# waits until libvirtd answers on its socket. QEMU runs in software emulation where /dev/kvm is absent.
# Needs root and Debian's package archive. Installing libvirt-daemon-system also upgrades systemd
# packages; that is expected. Exit status 0 means qemu:///system is usable.
set -euo pipefail

SOCK=/var/run/libvirt/libvirt-sock
# dnsmasq-base: libvirt starts no NAT network without it (a Recommends, skipped by --no-install-recommends); the
# installer refuses qemu:///system without it (QemuSystemGatewayTest)
PACKAGES=(libvirt0 libvirt-daemon-system libvirt-clients qemu-system-x86 qemu-utils dnsmasq-base)

log() { echo "libvirt-up: $*" >&2; }
ready() { [ -S "$SOCK" ] && command -v virsh >/dev/null 2>&1 && virsh -q -c qemu:///system uri >/dev/null 2>&1; }

missing_packages() {
  local p
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -qx installed || echo "$p"
  done
}

# Without udev (containers, minimal VMs) /dev/kvm stays root:root 0600. QEMU runs as libvirt-qemu (group
# kvm), so libvirt finds KVM "enabled when probing, but not available now" and probes QEMU again on every
# call (seen: 30 s per domain definition). Debian's udev rule makes it root:kvm 0660; do the same.
fix_kvm() {
  if [ -c /dev/kvm ] && [ "$(id -u)" -eq 0 ] && getent group kvm >/dev/null \
     && [ "$(stat -c '%G %a' /dev/kvm)" != "kvm 660" ]; then
    log "giving group kvm access to /dev/kvm (udev would)"
    chgrp kvm /dev/kvm && chmod 0660 /dev/kvm
  fi
}

if ready && [ -z "$(missing_packages)" ]; then
  fix_kvm
  log "already up"
  exit 0
fi
[ "$(id -u)" -eq 0 ] || { log "must run as root to install and start libvirtd"; exit 1; }

mapfile -t missing < <(missing_packages)
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # the package lists may be stale or absent on a fresh machine
  if ! apt-get install -y --no-install-recommends "${missing[@]}" >/tmp/libvirt-up-apt.log 2>&1; then
    apt-get update >>/tmp/libvirt-up-apt.log 2>&1
    apt-get install -y --no-install-recommends "${missing[@]}" >>/tmp/libvirt-up-apt.log 2>&1 \
      || { log "apt-get install failed, see /tmp/libvirt-up-apt.log"; tail -20 /tmp/libvirt-up-apt.log >&2; exit 1; }
  fi
fi

fix_kvm

running() { pgrep -x "$1" >/dev/null 2>&1; }

running virtlogd || { log "starting virtlogd"; virtlogd -d; }
if ! running libvirtd; then
  log "starting libvirtd"
  # a stale pid file or socket from a killed daemon would make libvirtd refuse to start
  rm -f /var/run/libvirtd.pid
  libvirtd -d
fi

for _ in $(seq 1 100); do
  if ready; then
    log "ready: $(libvirtd --version), $(qemu-system-x86_64 --version | head -1), kvm: $([ -c /dev/kvm ] && echo yes || echo "no (software emulation)")"
    exit 0
  fi
  sleep 0.2
done
log "libvirtd did not answer on $SOCK within 20 s"
exit 1
