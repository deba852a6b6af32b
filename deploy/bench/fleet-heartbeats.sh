#!/usr/bin/env bash
# Benchmark (issue 14): N simulated appliances (fleet-sim) heartbeat over the real edge link into the local stack.
#   1. the local stack (deploy/local: PostgreSQL, Kafka, Keycloak, Mosquitto, the services and the edge bridge)
#   2. REST: registers the N appliances with POST /v1/appliances (requests/s, p50/p99) — the REST benchmark
#   3. fleet-sim enrols them through the real enrolment API (HTTPS, registration tokens, a key and certificate each;
#      cached under the work dir: a rerun skips it), connects them over MQTT/TLS, each with its own certificate, from
#      several loopback source addresses, and heartbeats every HEARTBEAT (±JITTER) for MINUTES
#   4. with STORM_AFTER=<seconds>: that far into the heartbeat phase, restarts the MQTT broker with every appliance
#      connected (a reconnect storm): time until all are connected again, reconnect p50/p99, and how many appliances
#      appliance-service showed UNREACHABLE meanwhile (sampled every 2 s; each of them was only reconnecting)
#   5. prints: connections held, reports/s, report->state latency p50/p99 (appliance-service's last_seen_at minus the
#      report's time, sampled from its table), lost reports (broker-acknowledged by the simulator minus taken by
#      appliance-service, its edgefleet_events_total counter), CPU and RSS of the broker, the bridge, the services and
#      the simulator over the heartbeat phase.
# Loopback only; bounded in count (N) and time (MINUTES + registration + enrolment + connecting, capped at 10 minutes).
# usage: deploy/bench/fleet-heartbeats.sh [N] [MINUTES]        (default 10000 appliances, 10 minutes)
#   env: HEARTBEAT (60s), JITTER (5s), PREFIX (uid prefix, sim), SOURCES (loopback source addresses, 8),
#        ENROL_CONCURRENCY (4), CONNECT_CONCURRENCY (64), SIM_HEAP (JVM heap of the simulator), REGISTER (1; 0: no REST
#        registration), STORM_AFTER (seconds; unset: no broker restart), the ports of lib.sh
set -euo pipefail
N=${1:-10000}
MINUTES=${2:-10}
HEARTBEAT=${HEARTBEAT:-60s}
JITTER=${JITTER:-5s}
PREFIX=${PREFIX:-sim}
SOURCES=${SOURCES:-8}
ENROL_CONCURRENCY=${ENROL_CONCURRENCY:-4}
CONNECT_CONCURRENCY=${CONNECT_CONCURRENCY:-64}
SIM_HEAP=${SIM_HEAP:-$(((N / 10000 + 1) * 768))m}

# shellcheck source=../local/lib.sh
. "$(dirname "$0")/../local/lib.sh"
cd "$REPO_ROOT"
BENCH=$RUN/bench/fleet-heartbeats
mkdir -p "$BENCH"
chmod 700 "$BENCH"
bench() { printf '[bench] %s\n' "$*"; }

# One descriptor per connection, in the broker and in the simulator: the soft limit goes up to the hard one (inherited
# by everything started below). Raising the hard limit needs CAP_SYS_RESOURCE.
ulimit -n "$(ulimit -Hn)"
NOFILE=$(ulimit -n)
if [ "$NOFILE" != unlimited ] && [ $((N + 1000)) -gt "$NOFILE" ]; then
  bench "WARNING: $N appliances need about $((N + 1000)) file descriptors in the broker and in the simulator;" \
    "the limit here is $NOFILE (hard limit; raising it needs root with CAP_SYS_RESOURCE): expect refused connections"
fi

for c in postgres kafka keycloak mqtt services; do "$LOCAL_DIR/$c.sh" up; done
MQTT_PID=$(pid_of mqtt)
MQTT_NOFILE=$(awk '/Max open files/ {print $4}' "/proc/$MQTT_PID/limits")
bench "mosquitto pid $MQTT_PID may open $MQTT_NOFILE files"
if [ "$MQTT_NOFILE" != unlimited ] && [ "$MQTT_NOFILE" -lt $((N + 100)) ]; then
  bench "WARNING: mosquitto was started with a limit of $MQTT_NOFILE open files (< $N connections):" \
    "deploy/local/mqtt.sh down, then run this again (it raises the limit first)"
fi

SIM_JAR=$REPO_ROOT/fleet-sim/target/fleet-sim.jar
if [ ! -f "$SIM_JAR" ]; then
  say "fleet-sim: building (log $LOGS/fleet-sim-build.log) ..."
  mvn_logged fleet-sim "$LOGS/fleet-sim-build.log" -DskipTests package -pl fleet-sim -am
fi

# a tenant-admin token from Keycloak (local user admin-a, tenant-a)
access_token() {
  curl -sf -d grant_type=password -d client_id=edgefleet-cli -d username=admin-a -d password=admin-a-pass \
    "http://localhost:$KEYCLOAK_PORT/realms/edgefleet/protocol/openid-connect/token" \
    | sed -E 's/.*"access_token":"([^"]+)".*/\1/'
}
(umask 077 && access_token >"$BENCH/bearer")
API=http://localhost:$APPLIANCE_PORT

bench "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB RAM, $(. /etc/os-release && echo "$PRETTY_NAME"), $(java -version 2>&1 | head -1)"
bench "load average before: $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared: other loads skew every figure)"
bench "appliances $N (uids $PREFIX-000001..), heartbeat $HEARTBEAT ±$JITTER for $MINUTES min, $SOURCES source addresses"

# --- REST: register the N appliances (REGISTER=0 skips it: enrolment registers an unknown uid on the spot)
if [ "${REGISTER:-1}" = 1 ]; then
  # the access token lives 5 minutes and registering thousands takes longer: a fresh one every minute (read per request)
  (while sleep 60; do (umask 077 && access_token >"$BENCH/bearer.new" && mv "$BENCH/bearer.new" "$BENCH/bearer"); done) &
  REFRESH_PID=$!
  java -jar "$SIM_JAR" register --api "$API" --bearer-file "$BENCH/bearer" --prefix "$PREFIX" --count "$N" \
    --concurrency 16 | sed 's/^\[fleet\]/[bench]/' || bench "REST registration: not every answer was 201 or 409 (above)"
  kill "$REFRESH_PID" 2>/dev/null || true
fi

# --- registration tokens: one per parallel enrolment (appliance-service counts a token's uses under a row lock)
(umask 077 && access_token >"$BENCH/bearer") # a fresh one: the registration may have outlived the first (5 min)
: >"$BENCH/tokens"
chmod 600 "$BENCH/tokens"
for _ in $(seq "$ENROL_CONCURRENCY"); do
  curl -sf -H "Authorization: Bearer $(cat "$BENCH/bearer")" -H 'Content-Type: application/json' \
    -d "{\"description\":\"fleet-sim benchmark\",\"maxUses\":$((N < 100000 ? N : 100000)),\"expiresAt\":\"$(date -u -d '+1 day' +%Y-%m-%dT%H:%M:%SZ)\"}" \
    "$API/v1/registration-tokens" | sed -E 's/.*"token":"([^"]+)".*/\1\n/' >>"$BENCH/tokens"
done

# --- measurements around the heartbeat phase
metric() { # url name-and-labels-regex -> sum of the matching samples
  curl -s --max-time 10 "$1" | awk -v re="$2" '$0 !~ /^#/ && $1 ~ re {s += $2} END {printf "%d\n", s}'
}
applied() { metric "$API/q/metrics" '^edgefleet_events_total\{.*consumer="appliance-service/gateway-reports".*outcome="(applied|duplicate)"'; }
dead() { metric "$API/q/metrics" '^edgefleet_events_total\{.*consumer="appliance-service/gateway-reports".*outcome="dead_lettered"'; }
relayed() { metric "http://localhost:$BRIDGE_PORT/q/metrics" '^edgefleet_bridge_reports_total\{.*outcome="relayed"'; }
HZ=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
rss_mib() { awk '/VmRSS/ {printf "%d\n", $2 / 1024}' "/proc/$1/status" 2>/dev/null || echo 0; }
psql_q() { PGPASSWORD=edgefleet psql -X -tA "host=localhost port=$PG_PORT user=edgefleet dbname=edgefleet" -c "$1"; }

COMPONENTS=(mqtt edge-bridge appliance-service cluster-service policy-service profile-service)
declare -A PID CPU0 RSSMAX
for c in "${COMPONENTS[@]}"; do PID[$c]=$(pid_of "$c" || true); RSSMAX[$c]=0; done
APPLIED0=$(applied); RELAYED0=$(relayed); DEAD0=$(dead)

SIM_LOG=$BENCH/fleet-sim.log
rm -f "$BENCH/summary.json" "$BENCH/latency.txt"
: >"$SIM_LOG" # before the simulator starts: the progress tail below follows it
java -Xmx"$SIM_HEAP" -XX:+UseParallelGC -jar "$SIM_JAR" run --enrol-url "https://localhost:$EDGE_HTTPS_PORT" \
  --ca-file "$SECRETS/pki/platform-ca.crt" --tokens-file "$BENCH/tokens" --work-dir "$BENCH" --prefix "$PREFIX" \
  --count "$N" --heartbeat "$HEARTBEAT" --jitter "$JITTER" --duration "${MINUTES}m" --sources "$SOURCES" \
  --enrol-concurrency "$ENROL_CONCURRENCY" --connect-concurrency "$CONNECT_CONCURRENCY" \
  --summary-file "$BENCH/summary.json" >"$SIM_LOG" 2>&1 &
SIM_PID=$!
trap 'kill $SIM_PID 2>/dev/null || true' EXIT
PID[fleet-sim]=$SIM_PID RSSMAX[fleet-sim]=0
COMPONENTS+=(fleet-sim)

# until every appliance is connected (or gave up): the heartbeat phase starts then
tail -n +1 -f "$SIM_LOG" --pid "$SIM_PID" | sed -u 's/^\[fleet\]/[bench]/' | grep --line-buffered -E '^\[bench\] (enrolment|connect|summary)|ERROR|Exception' &
until grep -q '^\[fleet\] connect:' "$SIM_LOG" 2>/dev/null; do
  kill -0 "$SIM_PID" 2>/dev/null || { bench "the simulator ended early: $SIM_LOG"; tail -20 "$SIM_LOG"; exit 1; }
  sleep 2
done
PHASE0=$(date +%s.%N)
for c in "${COMPONENTS[@]}"; do CPU0[$c]=$(cpu_ticks "${PID[$c]}"); done

# sample RSS every 10 s, and report->state latencies every 30 s (each appliance's last applied report); in a storm,
# UNREACHABLE appliances every 2 s from the broker's restart on
last_sample=0 STORM_AT=0 UNREACHABLE_MAX=0 MQTT_TICKS_BEFORE=0
unreachable() { psql_q "select count(*) from appliance.appliance where uid like '$PREFIX-%' and status = 'UNREACHABLE'" 2>/dev/null || echo 0; }
UNREACHABLE_BEFORE=$(unreachable)
: >"$BENCH/unreachable-uids.txt"
while kill -0 "$SIM_PID" 2>/dev/null; do
  if [ -n "${STORM_AFTER:-}" ] && [ "$STORM_AT" = 0 ] \
    && [ "$(awk -v a="$PHASE0" -v b="$(date +%s.%N)" 'BEGIN {print (b - a >= '"$STORM_AFTER"')}')" = 1 ]; then
    MQTT_TICKS_BEFORE=$(($(cpu_ticks "${PID[mqtt]}") - ${CPU0[mqtt]}))
    STORM_AT=$(date +%s.%N)
    bench "reconnect storm: restarting the MQTT broker with $(grep -o 'connected=[0-9]*' "$SIM_LOG" | tail -1) appliances"
    "$LOCAL_DIR/mqtt.sh" down >/dev/null
    "$LOCAL_DIR/mqtt.sh" up >/dev/null
    bench "reconnect storm: the broker was down $(awk -v a="$STORM_AT" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}') s"
    PID[mqtt]=$(pid_of mqtt) CPU0[mqtt]=$(cpu_ticks "$(pid_of mqtt)")
  fi
  if [ "$STORM_AT" != 0 ]; then
    u=$(unreachable); [ "$u" -gt "$UNREACHABLE_MAX" ] && UNREACHABLE_MAX=$u
    psql_q "select uid from appliance.appliance where uid like '$PREFIX-%' and status = 'UNREACHABLE'" \
      >>"$BENCH/unreachable-uids.txt" 2>/dev/null || true
  fi
  for c in "${COMPONENTS[@]}"; do
    r=$(rss_mib "${PID[$c]}"); [ "$r" -gt "${RSSMAX[$c]}" ] && RSSMAX[$c]=$r
  done
  if [ $((SECONDS - last_sample)) -ge 30 ]; then
    last_sample=$SECONDS
    psql_q "select uid || ' ' || extract(epoch from last_report_at) || ' ' ||
              round(extract(epoch from (last_seen_at - last_report_at)) * 1000)
            from appliance.appliance where uid like '$PREFIX-%' and last_seen_at > now() - interval '35 seconds'" \
      >>"$BENCH/latency.txt" 2>/dev/null || true
  fi
  # CPU up to the end of the phase (the simulator's summary), not its shutdown
  if grep -q '^\[fleet\] summary:' "$SIM_LOG"; then break; fi
  if [ "$STORM_AT" != 0 ]; then sleep 2; else sleep 10; fi
done
PHASE1=$(date +%s.%N)
declare -A CPU1
for c in "${COMPONENTS[@]}"; do CPU1[$c]=$(cpu_ticks "${PID[$c]}"); done
wait "$SIM_PID" || bench "the simulator exited with an error: $SIM_LOG"
trap - EXIT

# reports still queued (in Kafka, behind appliance-service's consumer) are not lost: wait until appliance-service has
# taken as many as the broker acknowledged, or its counter stood still for 30 s, DRAIN_SECONDS (600) at most
ACKED_TOTAL=$(sed -E 's/.*"reportsAcked":([0-9]+).*/\1/' "$BENCH/summary.json" 2>/dev/null || echo 0)
DRAIN_START=$SECONDS prev=-1 still=0
while [ $((SECONDS - DRAIN_START)) -lt "${DRAIN_SECONDS:-600}" ]; do
  now=$(($(applied) - APPLIED0))
  [ "$now" -ge "$ACKED_TOTAL" ] && break
  if [ "$now" = "$prev" ]; then still=$((still + 5)); [ "$still" -ge 30 ] && break; else still=0; fi
  prev=$now; sleep 5
done
DRAINED=$((SECONDS - DRAIN_START))
APPLIED=$(($(applied) - APPLIED0)); RELAYED=$(($(relayed) - RELAYED0)); DEAD=$(($(dead) - DEAD0))

[ -f "$BENCH/summary.json" ] || { bench "no summary from the simulator: $SIM_LOG"; exit 1; }
json() { sed -E "s/.*\"$1\":([^,}]*).*/\1/" "$BENCH/summary.json"; }
ACKED=$(json reportsAcked)
PHASE_S=$(awk -v a="$PHASE0" -v b="$PHASE1" 'BEGIN {printf "%.0f", b - a}')
sort -u "$BENCH/latency.txt" | awk '{print $3}' | sort -n >"$BENCH/latency-sorted.txt"
SAMPLES=$(wc -l <"$BENCH/latency-sorted.txt")
pct() { [ "$SAMPLES" -gt 0 ] && sed -n "$(((SAMPLES * $1 + 99) / 100))p" "$BENCH/latency-sorted.txt" || echo '-'; }

bench "---- fleet heartbeats: $N appliances, heartbeat $HEARTBEAT ±$JITTER, heartbeat phase ${PHASE_S} s ----"
bench "enrolment: $(json enrolled) enrolled ($(json enrolPerSecond)/s, p99 $(json enrolP99Ms) ms), $(json enrolCached) from the cache, $(json enrolFailed) failed"
bench "connect: all connected: $(json allConnected) after $(json connectSeconds) s (p50 $(json connectP50Ms) ms, p99 $(json connectP99Ms) ms per appliance)"
bench "connections held at the end: $(json connectedAtEnd) of $(json appliances); connections lost during the run: $(json connectionsLost)"
bench "reports/s in the heartbeat phase: $(json reportsPerSecondInPhase) (broker-acknowledged; PUBACK p50 $(json pubAckP50Ms) ms, p99 $(json pubAckP99Ms) ms)"
bench "report->state (appliance-service last_seen_at - report time, $SAMPLES samples): p50 $(pct 50) ms, p99 $(pct 99) ms, max $(tail -1 "$BENCH/latency-sorted.txt" 2>/dev/null || echo -) ms"
# the same per minute of the phase (by the report's own time): a cold start's backlog and the sustained rate apart
bench "report->state per minute of the heartbeat phase (by report time; minute 0 includes reports of the connect ramp):"
sort -u "$BENCH/latency.txt" | awk -v t0="$PHASE0" '{m = int(($2 - t0) / 60); if (m < 0) m = 0; print m, $3}' \
  | sort -k1,1n -k2,2n | awk '
    function flush() { if (n) printf "[bench]   minute %d: %d samples, p50 %d ms, p99 %d ms, max %d ms\n", m, n, v[int((n + 1) / 2)], v[int((n * 99 + 99) / 100)], v[n] }
    $1 != m { flush(); m = $1; n = 0 } { v[++n] = $2 } END { flush() }' m=-1
bench "reports acknowledged by the broker $ACKED, relayed by the bridge $RELAYED, taken by appliance-service $APPLIED (dead-lettered $DEAD)"
bench "appliance-service took the last of them $DRAINED s after the heartbeat phase ended (its backlog)"
bench "lost reports: $((ACKED - APPLIED)) (also not acknowledged: $(json reportsFailed) failed, $(json reportsNoSubscriber) without subscriber, $(json reportsRefused) refused; $(json heartbeatsWhileOffline) due while offline)"
for c in "${COMPONENTS[@]}"; do
  [ -n "${PID[$c]}" ] || continue
  if [ "$c" = fleet-sim ]; then # it measures itself: it may have exited before the last sample here
    bench "$(printf '%-18s CPU %5s %% of one core (phase average), RSS max %5s MiB' "$c" "$(json simCpuPercentInPhase)" "${RSSMAX[$c]}")"
    continue
  fi
  [ "$c" = mqtt ] && CPU1[$c]=$((CPU1[$c] + MQTT_TICKS_BEFORE)) # both broker processes of a storm
  cpu=$(awk -v a="${CPU0[$c]}" -v b="${CPU1[$c]}" -v hz="$HZ" -v s="$PHASE_S" 'BEGIN {printf "%.1f", (b - a) / hz / (s > 0 ? s : 1) * 100}')
  bench "$(printf '%-18s CPU %5s %% of one core (phase average), RSS max %5s MiB' "$c" "$cpu" "${RSSMAX[$c]}")"
done
if [ "$STORM_AT" != 0 ]; then
  bench "reconnect storm: all $(json appliances) connected again $(json secondsUntilAllBack) s after the first lost connection ($(json reconnects) reconnects, p50 $(json reconnectP50Ms) ms, p99 $(json reconnectP99Ms) ms, max $(json reconnectMaxMs) ms)"
  bench "reconnect storm: appliances shown UNREACHABLE meanwhile: $(sort -u "$BENCH/unreachable-uids.txt" | grep -c . || true) (at most $UNREACHABLE_MAX at once; $UNREACHABLE_BEFORE before the restart; sampled every 2 s)"
fi
bench "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
bench "mosquitto persistence file: $(du -h "$RUN/mqtt/data/mosquitto.db" 2>/dev/null | cut -f1 || echo none) (autosave every 60 s)"
bench "details: $SIM_LOG, $BENCH/summary.json"
