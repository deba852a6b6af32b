#!/usr/bin/env bash
# The main job, end to end: bring the stack up, register this machine as an appliance of tenant-a, issue a
# registration token for it, install and start its gateway (which enrols with the token: its own key, a certificate
# of the edge CA, then MQTT over TLS to the edge broker; the bridge relays to Kafka), wait until the appliance is
# READY, show its identity and the events, then deploy a small
# containerized cluster (1 master + 1 worker) on this machine's gateway and follow it until RUNNING,
# scan it (configuration security, open ports, conformance) and back it up to the local S3 store.
# usage: [GATEWAY_UID=...] demo.sh      (leaves everything running; stop with stack.sh down)
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

GATEWAY_UID=${GATEWAY_UID:-$(gateway_uid)}
export GATEWAY_UID
API=http://localhost:$APPLIANCE_PORT/v1/appliances
TOKEN_URL=http://localhost:$KEYCLOAK_PORT/realms/edgefleet/protocol/openid-connect/token
BODY=$(mktemp)
trap 'rm -f "$BODY"' EXIT

step() { printf '\n==> %s\n' "$*"; }

step "stack up"
"$LOCAL_DIR/stack.sh" up
need_cmd jq
need_cmd kcat kafkacat

step "token for admin-a (password grant, client edgefleet-cli)"
TOKEN=$(curl -sf -d grant_type=password -d client_id=edgefleet-cli -d username=admin-a -d password=admin-a-pass \
  "$TOKEN_URL" | jq -r .access_token) || die "no token for admin-a from $TOKEN_URL (see $LOGS/keycloak.log)"
say "ok (valid 300 s)"

api() { # method url [json]
  curl -s -o "$BODY" -w '%{http_code}' -X "$1" -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' ${3:+-d "$3"} "$2"
}

step "register appliance $GATEWAY_UID"
code=$(api POST "$API" "$(jq -nc --arg uid "$GATEWAY_UID" '{uid: $uid, tags: {name: "demo appliance"}}')")
case $code in
  201) say "registered, status $(jq -r .status "$BODY")" ;;
  409) say "already registered: $(jq -r '.detail // .title' "$BODY")" ;;
  *) die "POST $API answered $code: $(cat "$BODY") (see $LOGS/appliance-service.log)" ;;
esac

step "registration token for $GATEWAY_UID (tenant-admin), unless its gateway enrolled already"
if [ -e "$RUN/gateway/edgefleet-gateway/state/identity/client.crt" ]; then
  say "the gateway holds a certificate from an earlier run: no new token"
else
  code=$(api POST "http://localhost:$APPLIANCE_PORT/v1/registration-tokens" \
    "$(jq -nc --arg uid "$GATEWAY_UID" '{uid: $uid, description: "demo gateway", maxUses: 1}')")
  [ "$code" = 201 ] || die "POST /v1/registration-tokens answered $code: $(cat "$BODY") (see $LOGS/appliance-service.log)"
  (umask 077 && jq -r .token "$BODY" >"$SECRETS/registration-token")
  say "token $(jq -r .id "$BODY") for uid $GATEWAY_UID, 1 use, expires $(jq -r .expiresAt "$BODY") (secret in $SECRETS/registration-token)"
fi

step "gateway up: enrols at https://localhost:$EDGE_HTTPS_PORT, then MQTT over TLS to localhost:$MQTT_PORT"
since=$(date +%s)
"$LOCAL_DIR/gateway.sh" up

# READY, and seen by the service since the gateway (re)started: a READY left over from an
# earlier run does not count
step "waiting for status READY (up to 120 s)"
status='' deadline=$((SECONDS + 120)) started=$SECONDS
while :; do
  code=$(api GET "$API/$GATEWAY_UID")
  [ "$code" = 200 ] || die "GET $API/$GATEWAY_UID answered $code: $(cat "$BODY")"
  now=$(jq -r .status "$BODY")
  [ "$now" = "$status" ] || say "status $now (after $((SECONDS - started)) s)"
  status=$now
  fresh=$(jq --argjson since "$since" \
    '(.lastSeenAt // "1970-01-01T00:00:00Z") | sub("\\.[0-9]+"; "") | fromdateiso8601 >= $since' "$BODY")
  [ "$status" = READY ] && [ "$fresh" = true ] && break
  if [ $SECONDS -ge "$deadline" ]; then
    die "appliance $GATEWAY_UID not READY with a report since the gateway started, after 120 s (status $status); see $LOGS/gateway.log and $LOGS/appliance-service.log"
  fi
  sleep 2
done
say "READY, last report $(jq -r .lastSeenAt "$BODY")"
jq . "$BODY"
say "edge identity: $(jq -r '"\(.identity.status), certificate \(.identity.certificateSerial) until \(.identity.certificateExpiresAt)"' "$BODY")"

step "events of $GATEWAY_UID on appliance-events (read with kcat)"
# the outbox relays events a moment after the change: wait briefly for the pairing to show up
for _ in $(seq 30); do
  # as the stack's Kafka admin: every client must log in (the services each as themselves with SCRAM; kcat as
  # admin with PLAIN, as Debian's kcat fails SCRAM logins that Java clients pass)
  events=$(kcat -b "localhost:$KAFKA_PORT" -X security.protocol=SASL_PLAINTEXT -X sasl.mechanisms=PLAIN \
             -X sasl.username=admin -X sasl.password="$(tr -d '\n' <"$SECRETS/kafka/admin.password")" \
             -C -t appliance-events -o beginning -e -q \
             -f '%k\t%T\t%h\n' 2>/dev/null | awk -F'\t' -v uid="$GATEWAY_UID" '$1 == uid' || true)
  grep -q 'ce_type=edgefleet.appliance.paired' <<<"$events" && break
  sleep 1
done
# one line per event, from the ce_* headers of the CloudEvents Kafka binding
seen=()
while IFS=$'\t' read -r key ts headers; do
  [ -n "$key" ] || continue
  type=$(tr ',' '\n' <<<"$headers" | sed -n 's/^ce_type=//p')
  tenant=$(tr ',' '\n' <<<"$headers" | sed -n 's/^ce_tenant=//p')
  printf '  %s  key=%s  type=%s  tenant=%s\n' "$(date -d "@$((ts / 1000))" '+%F %T')" "$key" "$type" "$tenant"
  seen+=("${type#edgefleet.appliance.}")
done <<<"$events"
[ ${#seen[@]} -gt 0 ] || say "  (none yet)"

joined=$(printf '%s, ' "${seen[@]}")
echo
say "appliance $GATEWAY_UID is READY; events seen: ${joined%, }"

PROFILES=http://localhost:$PROFILE_PORT/v1/profiles
CLUSTERS=http://localhost:$CLUSTER_PORT/v1/clusters

step "a containerized cluster profile from the built-in packs (profile-service)"
code=$(api GET "$PROFILES?name=demo-containerized&type=FULL")
[ "$code" = 200 ] || die "GET $PROFILES answered $code: $(cat "$BODY") (see $LOGS/profile-service.log)"
PROFILE_ID=$(jq -r '[.items[] | select(.name == "demo-containerized")][0].id // empty' "$BODY")
if [ -z "$PROFILE_ID" ]; then
  code=$(api POST "$PROFILES" '{"name": "demo-containerized", "type": "FULL", "environment": "edge",
    "cloudType": "containerized", "tags": {"demo": "true"}, "layers": [
      {"name": "ubuntu", "version": "22.04.x"}, {"name": "kubernetes", "version": "1.29.x"},
      {"name": "calico", "version": "3.27.x"}, {"name": "local-path-provisioner", "version": "0.0.x"}]}')
  [ "$code" = 201 ] || die "POST $PROFILES answered $code: $(cat "$BODY") (see $LOGS/profile-service.log)"
  PROFILE_ID=$(jq -r .id "$BODY")
  say "created profile $PROFILE_ID"
else
  say "profile $PROFILE_ID (from an earlier run)"
fi

# one appliance serves one cluster: an earlier run's cluster "demo" is followed instead of a new one
step "cluster demo: 1 master + 1 worker on appliance $GATEWAY_UID (cluster-service)"
CLUSTER_BODY=$(jq -nc --arg profile "$PROFILE_ID" --arg uid "$GATEWAY_UID" '{name: "demo", profileId: $profile,
  pools: [{name: "masters", master: true, size: 1, allowWorkerCapability: true, cpu: 1, memoryGb: 1, appliances: [{uid: $uid}]},
          {name: "workers", size: 1, cpu: 1, memoryGb: 1, appliances: [{uid: $uid}]}]}')
CLUSTER_ID='' deadline=$((SECONDS + 60))
while [ -z "$CLUSTER_ID" ]; do
  code=$(api POST "$CLUSTERS" "$CLUSTER_BODY")
  case $code in
    201) CLUSTER_ID=$(jq -r .id "$BODY"); say "created cluster $CLUSTER_ID ($(jq -r .status "$BODY"))" ;;
    409) code=$(api GET "$CLUSTERS?size=200")
         CLUSTER_ID=$(jq -r '[.items[] | select(.name == "demo")][0].id // empty' "$BODY")
         [ -n "$CLUSTER_ID" ] || die "cluster name demo is taken but not listed"
         say "cluster demo exists already: $CLUSTER_ID ($(jq -r '.items[] | select(.name == "demo") | .status' "$BODY"))" ;;
    400) # cluster-service learns of profiles and appliances from their events: give them a moment
         if [ $SECONDS -ge "$deadline" ]; then die "POST $CLUSTERS answered 400: $(jq -c .errors "$BODY")"; fi
         sleep 2 ;;
    *) die "POST $CLUSTERS answered $code: $(cat "$BODY") (see $LOGS/cluster-service.log)" ;;
  esac
done

step "progress of cluster $CLUSTER_ID until RUNNING (Server-Sent Events, up to 300 s)"
# the stream stays open after RUNNING: read it from a process substitution and stop curl when done
exec 3< <(curl -sN --max-time 300 -H "Authorization: Bearer $TOKEN" -H 'Accept: text/event-stream' \
            "$CLUSTERS/$CLUSTER_ID/events")
stream_pid=$!
event='' outcome=''
while IFS= read -r line <&3; do
  case $line in
    "event:"*) event=${line#event:} ;;
    "data:"*)
      data=${line#data:}
      if [ "${event# }" = task ]; then
        jq -r '"  #\(.seq) \(.kind) \(.status)\(if .message then ": " + .message else "" end)"' <<<"$data"
      else
        status=$(jq -r .status <<<"$data")
        printf '  cluster %s%s\n' "$status" "$(jq -r 'if .statusReason then ": " + .statusReason else "" end' <<<"$data")"
        case $status in RUNNING|FAILED|DELETED) outcome=$status; break ;; esac
      fi ;;
  esac
done
kill "$stream_pid" 2>/dev/null || true
exec 3<&-
[ "$outcome" = RUNNING ] || die "cluster $CLUSTER_ID did not reach RUNNING (${outcome:-no answer within 300 s}); see $LOGS/cluster-service.log and $LOGS/gateway.log"
code=$(api GET "$CLUSTERS/$CLUSTER_ID/nodes")
jq -r '.[] | "  \(.nodeId)  \(.role)  \(.state)  container \((.ref // "")[0:12])  \(.ip // "")"' "$BODY"
echo
say "cluster demo ($CLUSTER_ID) is RUNNING on $GATEWAY_UID: docker ps --filter label=io.edgefleet.cluster=$CLUSTER_ID"

POLICIES=http://localhost:$POLICY_PORT/v1
wait_run() { # url -> the run's status once ended (up to 120 s)
  local deadline=$((SECONDS + 120)) status=RUNNING
  while [ "$status" = RUNNING ] && [ $SECONDS -lt $deadline ]; do
    sleep 1
    [ "$(api GET "$1")" = 200 ] && status=$(jq -r .status "$BODY")
  done
  echo "$status"
}

step "security scan of cluster demo, carried out by the gateway on the nodes (policy-service)"
SCAN_BODY=$(jq -nc --arg c "$CLUSTER_ID" '{clusterId: $c, scan: {kinds: ["CONFIGURATION_SECURITY", "PENETRATION", "CONFORMANCE"]}}')
deadline=$((SECONDS + 60))
while :; do # policy-service learns that the cluster runs from cluster-events: a moment after RUNNING
  code=$(api POST "$POLICIES/scans" "$SCAN_BODY")
  [ "$code" = 202 ] || die "POST $POLICIES/scans answered $code: $(cat "$BODY") (see $LOGS/policy-service.log)"
  [ "$(jq -r .status "$BODY")" = SKIPPED ] && [ $SECONDS -lt $deadline ] && { sleep 2; continue; }
  break
done
SCAN_ID=$(jq -r .id "$BODY")
[ "$(jq -r .status "$BODY")" = RUNNING ] || die "scan not started: $(jq -r .reason "$BODY")"
status=$(wait_run "$POLICIES/scans/$SCAN_ID")
jq -r '"  scan \(.status): \(.scan.pass) passed, \(.scan.fail) failed, \(.scan.warn) warnings",
       (.nodes[] | .nodeId as $n | .scanKind as $k | (.findings // [])[] | select(.status != "PASS")
        | "  \($n) \($k) \(.status) \(.checkId) \(.title): \(.evidence)")' "$BODY"
[ "$status" = SUCCEEDED ] || die "scan $SCAN_ID $status: $(jq -r .reason "$BODY") (see $LOGS/policy-service.log, $LOGS/gateway.log)"
say "report: curl -H \"Authorization: Bearer \$TOKEN\" -H 'Accept: text/csv' $POLICIES/scans/$SCAN_ID/report"

step "backup of cluster demo to the local object store (S3 API on localhost:$S3_PORT)"
BACKUP_POLICY=$(jq -nc --arg c "$CLUSTER_ID" --arg endpoint "http://127.0.0.1:$S3_PORT" \
  --rawfile ak "$SECRETS/s3-access-key" --rawfile sk "$SECRETS/s3-secret-key" \
  '{name: "demo-backup", kind: "BACKUP", clusterIds: [$c], schedule: {cron: "0 2 * * *", timeZone: "UTC"},
    backup: {store: {endpoint: $endpoint, bucket: "edgefleet-backups", prefix: "demo", accessKeyId: ($ak | rtrimstr("\n")),
             secretAccessKey: ($sk | rtrimstr("\n"))}, paths: ["/var/lib/edgefleet", "/var/log"], retention: {count: 7}}}')
code=$(api POST "$POLICIES/policies" "$BACKUP_POLICY")
case $code in
  201) POLICY_ID=$(jq -r .id "$BODY"); say "created policy demo-backup (nightly at 02:00 UTC, keeps 7)" ;;
  409) api GET "$POLICIES/policies?kind=BACKUP&size=200" >/dev/null
       POLICY_ID=$(jq -r '[.items[] | select(.name == "demo-backup")][0].id' "$BODY")
       api PUT "$POLICIES/policies/$POLICY_ID" "$BACKUP_POLICY" >/dev/null
       say "policy demo-backup exists already: $POLICY_ID (attached to $CLUSTER_ID)" ;;
  *) die "POST $POLICIES/policies answered $code: $(cat "$BODY")" ;;
esac
code=$(api POST "$POLICIES/policies/$POLICY_ID/runs" "$(jq -nc --arg c "$CLUSTER_ID" '{clusterId: $c}')")
[ "$code" = 202 ] || die "POST $POLICIES/policies/$POLICY_ID/runs answered $code: $(cat "$BODY")"
BACKUP_ID=$(jq -r '.[0].id' "$BODY")
status=$(wait_run "$POLICIES/backups/$BACKUP_ID")
jq -r '"  backup \(.status)\(if .reason then ": " + .reason else "" end), \(.backup.sizeBytes // 0) bytes at \(.backup.location)",
       ((.backup.archives // [])[] | "  \(.nodeId)  \(.sizeBytes) bytes  sha256 \(.sha256[0:16])...  \(.objectKey)")' "$BODY"
[ "$status" = SUCCEEDED ] || die "backup $BACKUP_ID $status (see $LOGS/policy-service.log, $LOGS/gateway.log)"
say "restore it with: curl -X POST -H \"Authorization: Bearer \$TOKEN\" -H 'Content-Type: application/json' -d '{\"backupId\": \"$BACKUP_ID\"}' $POLICIES/restores"
echo
say "delete the cluster with: curl -X DELETE -H \"Authorization: Bearer \$TOKEN\" $CLUSTERS/$CLUSTER_ID"
say "web console: http://localhost:$CONSOLE_PORT  log in as admin-a / admin-a-pass (tenant admin) or viewer-a / viewer-a-pass (viewer)"
say "the stack keeps running: deploy/local/stack.sh status | down"
