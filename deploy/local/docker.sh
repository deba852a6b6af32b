#!/usr/bin/env bash
# Docker engine for containerized nodes (vfs storage, no iptables, no default bridge: works on
# these VMs without systemd) and the offline-built node image edgefleet/node:latest.
# usage: docker.sh up|down|status     log: $RUN/logs/docker.log
# "down" stops only a dockerd this script started; an engine started otherwise is left alone.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

NODE_IMAGE=${NODE_IMAGE:-edgefleet/node:latest}
LOG=$LOGS/docker.log

engine_answers() { docker version >/dev/null 2>&1; }

install_engine() {
  # /usr/local/bin/docker may exist as a client only: look for the daemon itself
  command -v dockerd >/dev/null 2>&1 && [ -x /bin/busybox ] && return 0
  apt_install docker.io busybox-static
}

up() {
  install_engine
  if engine_answers; then
    say "docker: engine already answers$(is_running docker && echo " (pid $(pid_of docker))" || echo ' (not started by this script)')"
  else
    [ "$(id -u)" -eq 0 ] || die "docker: starting dockerd needs root"
    [ -d /sys/fs/cgroup/memory ] || [ -f /sys/fs/cgroup/cgroup.controllers ] || die "docker: no cgroups mounted"
    # own session and no systemd: vfs needs no kernel overlay support, no iptables/bridge on these VMs
    start_bg docker dockerd --storage-driver=vfs --iptables=false --ip-masq=false --bridge=none
    local deadline=$((SECONDS + 30))
    until engine_answers; do
      is_running docker || fail_with_log docker "$LOG" "dockerd exited"
      [ $SECONDS -lt "$deadline" ] || give_up docker "$LOG" "dockerd did not answer within 30 s"
      sleep 0.2
    done
    say "docker: dockerd $(docker version --format '{{.Server.Version}}') up (pid $(pid_of docker))"
  fi
  if ! docker image inspect "$NODE_IMAGE" >/dev/null 2>&1; then
    "$LOCAL_DIR/node-image/mk-node-image.sh" "$NODE_IMAGE"
    docker run --rm --network none "$NODE_IMAGE" /bin/echo "docker: node image $NODE_IMAGE runs" \
      || die "docker: the node image $NODE_IMAGE does not run"
  fi
}

down() {
  if ! is_running docker; then
    rm -f "$PIDS/docker.pid"
    say "docker: no dockerd started by this script$(engine_answers && echo ' (an engine started otherwise is running, left alone)')"
    return 0
  fi
  stop_pid docker 30
}

status() {
  if engine_answers; then
    say "docker: up (dockerd $(docker version --format '{{.Server.Version}}')$(is_running docker && echo ", pid $(pid_of docker)")), node image $NODE_IMAGE $(docker image inspect "$NODE_IMAGE" >/dev/null 2>&1 && echo present || echo missing)"
  else
    say "docker: down"
    return 1
  fi
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) usage_die ;;
esac
