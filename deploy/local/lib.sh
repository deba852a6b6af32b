# shellcheck shell=bash
# shellcheck disable=SC2034  # variables used by the scripts that source this file
# Shared helpers and settings of the local-stack scripts: sourced by them, not run.

LOCAL_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$LOCAL_DIR/../.." && pwd)

for tool in java mvn curl; do
  command -v "$tool" >/dev/null 2>&1 \
    || { echo "error: '$tool' is missing (Debian: apt-get install openjdk-17-jdk-headless maven curl)" >&2; exit 1; }
done

# Everything the stack writes (downloads, data, logs, pids, secrets) lives under one ignored dir.
RUN=${EDGEFLEET_RUN_DIR:-$REPO_ROOT/.run}
mkdir -p "$RUN"
RUN=$(cd "$RUN" && pwd)   # absolute: it is handed to programs that run elsewhere
LOGS=$RUN/logs
PIDS=$RUN/pids
SECRETS=$RUN/secrets
mkdir -p "$LOGS" "$PIDS"

# Ports, each overridable from the environment.
: "${KAFKA_PORT:=19092}"          # the KRaft controller takes KAFKA_PORT+1
: "${PG_PORT:=15432}"
: "${KEYCLOAK_PORT:=18080}"
: "${APPLIANCE_PORT:=18081}"
: "${PROFILE_PORT:=18082}"
: "${CLUSTER_PORT:=18083}"
: "${POLICY_PORT:=18084}"
: "${S3_PORT:=19000}"              # the object store of backups (S3Proxy)
: "${MQTT_PORT:=18883}"            # the MQTT edge broker's device listener (TLS, client certificates)
: "${MQTT_PLATFORM_PORT:=18884}"   # its platform listener (the bridge)
: "${EDGE_HTTPS_PORT:=18443}"      # appliance-service's edge endpoint: enrolment over HTTPS
: "${BRIDGE_PORT:=18085}"          # the edge bridge's health and metrics
: "${GATEWAY_METRICS_PORT:=18090}" # the local gateway's metrics (GET /metrics, loopback)
: "${PROMETHEUS_PORT:=19090}"     # Prometheus: scrapes the services and the bridge, evaluates the alert rules
: "${CONSOLE_PORT:=18086}"         # the operators' web console (Keycloak's console client redirects only here)
: "${ZIPKIN_PORT:=19411}"         # Zipkin: the traces of the services, the bridge and the gateway (UI and API)
export CONSOLE_PORT ZIPKIN_PORT PROMETHEUS_PORT KAFKA_PORT PG_PORT KEYCLOAK_PORT APPLIANCE_PORT PROFILE_PORT CLUSTER_PORT POLICY_PORT S3_PORT GATEWAY_METRICS_PORT \
  MQTT_PORT MQTT_PLATFORM_PORT EDGE_HTTPS_PORT BRIDGE_PORT

# Pinned so that a pom-less `mvn` does not pick whatever version the repository metadata names.
DEPENDENCY_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.8.1

say() { printf '%s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Debian packages, quietly, with apt's output in a log that an error message can name.
apt_install() { # package...
  [ "$(id -u)" -eq 0 ] || die "missing Debian packages, as root run: apt-get install $*"
  say "installing $* ..."
  { DEBIAN_FRONTEND=noninteractive apt-get update -qq \
      && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"; } \
    >"$LOGS/apt.log" 2>&1 || fail_with_log apt "$LOGS/apt.log" "apt-get install $* failed"
}

# Install a Debian package when its command is missing.
need_cmd() { # command [package]
  command -v "$1" >/dev/null 2>&1 || apt_install "${2:-$1}"
}

# Maven quietly, its output in a log that an error message can name.
mvn_logged() { # name log mvn-args...
  local name=$1 log=$2; shift 2
  mvn -B -q "$@" >"$log" 2>&1 || fail_with_log "$name" "$log" "mvn $* failed"
}

# Copy one artifact from the Maven repository into a directory. Runs where no pom.xml is,
# so that Maven does not run it for a project.
mvn_copy() { # name artifact-coordinates output-dir
  local log=$LOGS/$1-download.log
  mkdir -p "$3" "$RUN/tmp"
  (cd "$RUN/tmp" && mvn_logged "$1" "$log" "$DEPENDENCY_PLUGIN:copy" -Dartifact="$2" -DoutputDirectory="$3")
}

# pid files: $PIDS/<name>.pid holds "pid start-time"; the start time tells a stale pid file
# (after a reboot, say) from one whose pid now belongs to another process.
proc_start() { # pid -> its start time, nothing for a gone (or zombie) process
  local f
  read -ra f < <(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) || return 0
  [ "${f[0]}" != Z ] && echo "${f[19]}"
}
alive() { [ -n "$(proc_start "$1")" ]; } # pid; unlike kill -0, false for a zombie
write_pid() { echo "$2 $(proc_start "$2")" >"$PIDS/$1.pid"; } # name pid
pid_of() { [ -s "$PIDS/$1.pid" ] && cut -d' ' -f1 "$PIDS/$1.pid"; }
is_running() { # name
  local pid start
  [ -s "$PIDS/$1.pid" ] || return 1
  read -r pid start <"$PIDS/$1.pid"
  [ -n "$start" ] && [ "$(proc_start "$pid")" = "$start" ]
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Refuse to start when a foreign process holds the port: we would only report its failure later.
port_free_or_die() { # name port
  if port_open "$2"; then
    die "$1: port $2 is already in use by another process (another stack? the ports can be moved, see deploy/local/lib.sh)"
  fi
}

# Start a command detached from this shell (own session, so Ctrl-C or a closed terminal
# does not take it down) with its output in $LOGS/<name>.log and its pid in $PIDS/<name>.pid.
start_bg() { # name command...
  local name=$1; shift
  setsid "$@" >"$LOGS/$name.log" 2>&1 </dev/null &
  write_pid "$name" $!
}

# The first thing anyone needs when a component does not come up: what, and the log's tail.
show_failure() { # name log message
  printf 'error: %s: %s\n       log: %s\n' "$1" "$3" "$2" >&2
  if [ -f "$2" ]; then tail -n 25 "$2" | sed 's/^/  | /' >&2; fi
}
fail_with_log() { show_failure "$@"; exit 1; }

# Stop a component that did not come up in time (after showing its log, before its shutdown
# noise), so that the next "up" starts it afresh.
give_up() { # name log message
  show_failure "$@"
  stop_pid "$1" 10 >/dev/null
  printf '       (stopped %s)\n' "$1" >&2
  exit 1
}

# Wait until a TCP port answers; give up early when the process died.
wait_for_port() { # name port timeout-seconds log
  local deadline=$((SECONDS + $3))
  until port_open "$2"; do
    is_running "$1" || fail_with_log "$1" "$4" "exited before opening port $2"
    [ $SECONDS -lt "$deadline" ] || give_up "$1" "$4" "port $2 not open after $3 s"
    sleep 0.2
  done
}

# Wait until a URL answers 200; give up early when the process died.
wait_for_http() { # name url timeout-seconds log
  local deadline=$((SECONDS + $3))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$2")" = 200 ]; do
    is_running "$1" || fail_with_log "$1" "$4" "exited before $2 answered"
    [ $SECONDS -lt "$deadline" ] || give_up "$1" "$4" "$2 did not answer 200 within $3 s"
    sleep 1
  done
}

# Stop what a pid file names: TERM, then KILL after a grace period. No-op when not running.
stop_pid() { # name [grace-seconds]
  local name=$1 grace=${2:-20} pid
  if ! is_running "$name"; then
    rm -f "$PIDS/$name.pid"
    say "$name: already down"
    return 0
  fi
  pid=$(pid_of "$name")
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + grace))
  while alive "$pid" && [ $SECONDS -lt "$deadline" ]; do sleep 0.2; done
  if alive "$pid"; then
    say "$name: still running after ${grace} s, killing pid $pid"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$PIDS/$name.pid"
  say "$name: stopped"
}

# One status line; the exit code tells scripts whether the component runs.
report_status() { # name detail
  if is_running "$1"; then
    say "$1: up (pid $(pid_of "$1")) $2"
  else
    say "$1: down"
    return 1
  fi
}

usage_die() { die "usage: $(basename "$0") up|down|status"; }

# The appliance uid this machine's gateway reports as: its machine id, like the gateway's own default.
gateway_uid() {
  if [ -s /etc/machine-id ]; then tr -d '[:space:]' </etc/machine-id; else echo "edge-$(hostname)"; fi
}
