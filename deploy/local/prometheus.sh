#!/usr/bin/env bash
# Prometheus (Debian's package) scraping every service's and the edge bridge's /q/metrics and the local gateway's
# /metrics, with EdgeFleet's alert
# rules (prometheus/alerts.yml, unit-tested by promtool in the test command). No Alertmanager here: firing alerts are
# listed at http://localhost:$PROMETHEUS_PORT/alerts and by its API (/api/v1/alerts).
# usage: prometheus.sh up|down|status     data: $RUN/prometheus   log: $RUN/logs/prometheus.log
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

HOME_DIR=$RUN/prometheus
LOG=$LOGS/prometheus.log

write_config() {
  local job port
  cp "$LOCAL_DIR/prometheus/alerts.yml" "$HOME_DIR/alerts.yml"
  {
    cat <<CONF
# EdgeFleet local Prometheus (deploy/local/prometheus.sh)
global:
  scrape_interval: 15s
  evaluation_interval: 15s
rule_files: [alerts.yml]
scrape_configs:
CONF
    for job in "appliance-service:$APPLIANCE_PORT" "profile-service:$PROFILE_PORT" "cluster-service:$CLUSTER_PORT" \
               "policy-service:$POLICY_PORT" "edge-bridge:$BRIDGE_PORT"; do
      port=${job##*:}
      printf '  - job_name: %s\n    metrics_path: /q/metrics\n    static_configs: [{targets: ["localhost:%s"]}]\n' \
        "${job%%:*}" "$port"
    done
    # this machine's gateway (gateway.sh), when it runs; a gateway down is the appliance's alert, not ServiceDown
    printf '  - job_name: edge-gateway\n    metrics_path: /metrics\n    static_configs: [{targets: ["127.0.0.1:%s"]}]\n' \
      "$GATEWAY_METRICS_PORT"
  } >"$HOME_DIR/prometheus.yml"
  promtool check config "$HOME_DIR/prometheus.yml" >"$LOGS/prometheus-config-check.log" 2>&1 \
    || fail_with_log prometheus "$LOGS/prometheus-config-check.log" "the generated configuration is invalid"
}

up() {
  if is_running prometheus; then say "prometheus: already up on http://localhost:$PROMETHEUS_PORT"; return 0; fi
  need_cmd prometheus
  need_cmd promtool prometheus
  port_free_or_die prometheus "$PROMETHEUS_PORT"
  mkdir -p "$HOME_DIR/data"
  write_config
  start_bg prometheus prometheus --config.file="$HOME_DIR/prometheus.yml" --storage.tsdb.path="$HOME_DIR/data" \
    --storage.tsdb.retention.time=7d --web.listen-address="127.0.0.1:$PROMETHEUS_PORT"
  wait_for_http prometheus "http://localhost:$PROMETHEUS_PORT/-/ready" 60 "$LOG"
  say "prometheus: up on http://localhost:$PROMETHEUS_PORT (pid $(pid_of prometheus))"
}

case "${1:-}" in
  up) up ;;
  down) stop_pid prometheus 20 ;;
  status) report_status prometheus "http://localhost:$PROMETHEUS_PORT (targets /targets, alerts /alerts)" ;;
  *) usage_die ;;
esac
