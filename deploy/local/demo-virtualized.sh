#!/usr/bin/env bash
# A virtualized cluster on THIS machine, end to end, in one command: libvirtd and QEMU (deploy/ci/libvirt-up.sh),
# the Debian packages a virtualized appliance needs (openssh-server, netcat-openbsd, dnsmasq-base), two storage pools
# and a NAT network for the demo, the guest image (node-image/mk-guest-image.sh) as the image volume, the stack, a
# registration token and a second, virtualized gateway (libvirt over qemu+ssh://root@127.0.0.1 with a key of its own;
# this host's keys pinned from /etc/ssh at install, --ssh-known-hosts). Then a virtualized profile and a 1-master
# cluster, followed until RUNNING — which a virtualized node is only once its guest booted and applied its bootstrap
# (minutes in software emulation) — the node's serial console (GET …/nodes/{node}/console) and a security scan inside the VM.
# The nodes run in software emulation (libvirt domain type qemu) unless DOMAIN_TYPE=kvm: a host whose /dev/kvm exists
# but cannot run guests (a nested VM like this project's machines) pauses them with "emulation failure".
# usage: [DOMAIN_TYPE=kvm] demo-virtualized.sh     (as root; leaves everything running: stack.sh down stops the stack and both
#                                 gateways; the demo's domain, pools and network stay until the cluster is deleted
#                                 and `demo-virtualized.sh clean`)
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

VIRT_UID=${VIRT_UID:-edge-virt-$(hostname -s | tr -c 'a-zA-Z0-9\n' '-')}
NAME=gateway-virt
LV="virsh -q -c qemu:///system"
POOL_DIR=${DEMO_POOL_DIR:-/var/lib/libvirt/images/edgefleet-demo} # under Debian's 0711 images dir: QEMU reaches it
IMAGES_POOL=ef-demo-images VMS_POOL=ef-demo-vms NETWORK=ef-demo
NET_PREFIX=172.30.150 # outside the kubernetes pack's pod (192.168.0.0/16) and service (10.96.0.0/12) ranges
IMAGE=node-guest.raw
SSH_DIR=$SECRETS/libvirt-ssh
TOKEN_URL=http://localhost:$KEYCLOAK_PORT/realms/edgefleet/protocol/openid-connect/token
BODY=$(mktemp)
trap 'rm -f "$BODY"' EXIT

step() { printf '\n==> %s\n' "$*"; }
[ "$(id -u)" -eq 0 ] || die "run as root: it installs packages, sets up libvirt and lets the gateway in over SSH as root"

if [ "${1:-}" = clean ]; then
  $LV net-destroy "$NETWORK" 2>/dev/null || true; $LV net-undefine "$NETWORK" 2>/dev/null || true
  for p in "$VMS_POOL" "$IMAGES_POOL"; do
    $LV pool-destroy "$p" 2>/dev/null || true; $LV pool-undefine "$p" 2>/dev/null || true
  done
  say "removed network $NETWORK and pools $IMAGES_POOL, $VMS_POOL (files stay in $POOL_DIR)"
  exit 0
fi

step "libvirtd and QEMU (deploy/ci/libvirt-up.sh)"
"$REPO_ROOT/deploy/ci/libvirt-up.sh"

step "what a virtualized appliance needs: openssh-server (qemu+ssh), netcat-openbsd (socket=), dnsmasq-base (NAT networks)"
missing=()
for p in openssh-server netcat-openbsd dnsmasq-base jq curl; do
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" = installed ] || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; else say "installed"; fi
pgrep -x sshd >/dev/null || { mkdir -p /run/sshd; /usr/sbin/sshd; say "started sshd"; }

step "SSH access of the gateway to libvirt: its own key, root's authorized_keys, this host's key pinned"
mkdir -p "$SSH_DIR" && chmod 700 "$SSH_DIR"
[ -s "$SSH_DIR/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C edgefleet-demo-gateway -f "$SSH_DIR/id_ed25519"
mkdir -p /root/.ssh && chmod 700 /root/.ssh
grep -qF "$(cut -d' ' -f2 "$SSH_DIR/id_ed25519.pub")" /root/.ssh/authorized_keys 2>/dev/null \
  || cat "$SSH_DIR/id_ed25519.pub" >>/root/.ssh/authorized_keys
# pinned from this machine's own key files, not from what answers on the port: the gateway's installer takes this file
# (--ssh-known-hosts) and its qemu+ssh accepts no other host key
for k in /etc/ssh/ssh_host_*_key.pub; do echo "127.0.0.1 $(cut -d' ' -f1,2 "$k")"; done >"$SSH_DIR/known_hosts"
ssh -o BatchMode=yes -o UserKnownHostsFile="$SSH_DIR/known_hosts" -o GlobalKnownHostsFile=/dev/null \
  -o StrictHostKeyChecking=yes -i "$SSH_DIR/id_ed25519" root@127.0.0.1 "nc -h >/dev/null 2>&1; virsh -q -c qemu:///system uri" \
  || die "the gateway could not reach libvirt over SSH as root@127.0.0.1 with $SSH_DIR/id_ed25519 (sshd: PermitRootLogin?)"

step "storage pools $IMAGES_POOL, $VMS_POOL in $POOL_DIR and NAT network $NETWORK ($NET_PREFIX.0/24)"
for p in "$IMAGES_POOL" "$VMS_POOL"; do
  if ! $LV pool-info "$p" >/dev/null 2>&1; then
    mkdir -p "$POOL_DIR/${p#ef-demo-}" && chmod 0711 "$POOL_DIR" "$POOL_DIR/${p#ef-demo-}"
    $LV pool-define-as "$p" dir --target "$POOL_DIR/${p#ef-demo-}" >/dev/null
  fi
  # the output is read whole first: with pipefail, `virsh … | grep -q` fails at random when grep ends before virsh
  # (SIGPIPE, 141), and the demo then started an active pool again ("already active") on its second run
  grep -q 'State: *running' <<<"$($LV pool-info "$p")" || $LV pool-start "$p" >/dev/null
  $LV pool-autostart "$p" >/dev/null
done
if ! $LV net-info "$NETWORK" >/dev/null 2>&1; then
  net=$(mktemp)
  cat >"$net" <<EOF
<network><name>$NETWORK</name><forward mode='nat'/><bridge name='virbr-efdemo' stp='on'/>
  <ip address='$NET_PREFIX.1' netmask='255.255.255.0'><dhcp><range start='$NET_PREFIX.10' end='$NET_PREFIX.200'/></dhcp></ip>
</network>
EOF
  $LV net-define "$net" >/dev/null && rm -f "$net"
fi
grep -q 'Active: *yes' <<<"$($LV net-info "$NETWORK")" || $LV net-start "$NETWORK" >/dev/null
$LV net-autostart "$NETWORK" >/dev/null
say "ok"

step "guest image $IMAGE in pool $IMAGES_POOL (node-image/mk-guest-image.sh: Debian's cloud kernel, busybox, qemu-ga)"
if [ ! -s "$POOL_DIR/images/$IMAGE" ]; then
  "$LOCAL_DIR/node-image/mk-guest-image.sh" "$POOL_DIR/images/$IMAGE" >"$LOGS/guest-image.log" 2>&1 \
    || fail_with_log guest-image "$LOGS/guest-image.log" "building the guest image failed"
fi
$LV pool-refresh "$IMAGES_POOL" >/dev/null
say "$(du -h "$POOL_DIR/images/$IMAGE" | cut -f1) $POOL_DIR/images/$IMAGE"

step "stack up"
"$LOCAL_DIR/stack.sh" up
TOKEN=$(curl -sf -d grant_type=password -d client_id=edgefleet-cli -d username=admin-a -d password=admin-a-pass \
  "$TOKEN_URL" | jq -r .access_token) || die "no token for admin-a from $TOKEN_URL (see $LOGS/keycloak.log)"
api() { # method url [json]
  curl -s -o "$BODY" -w '%{http_code}' -X "$1" -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' ${3:+-d "$3"} "$2"
}
APPLIANCES=http://localhost:$APPLIANCE_PORT/v1/appliances
PROFILES=http://localhost:$PROFILE_PORT/v1/profiles
CLUSTERS=http://localhost:$CLUSTER_PORT/v1/clusters

step "appliance $VIRT_UID and its virtualized gateway ($NAME, libvirt over qemu+ssh://root@127.0.0.1)"
code=$(api POST "$APPLIANCES" "$(jq -nc --arg uid "$VIRT_UID" '{uid: $uid, tags: {name: "virtualized demo appliance"}}')")
case $code in 201|409) ;; *) die "POST $APPLIANCES answered $code: $(cat "$BODY")" ;; esac
TOKEN_FILE=$SECRETS/registration-token-virt
if [ ! -e "$RUN/$NAME/edgefleet-gateway/state/identity/current" ]; then
  code=$(api POST "http://localhost:$APPLIANCE_PORT/v1/registration-tokens" \
    "$(jq -nc --arg uid "$VIRT_UID" '{uid: $uid, description: "virtualized demo gateway", maxUses: 1}')")
  [ "$code" = 201 ] || die "POST /v1/registration-tokens answered $code: $(cat "$BODY")"
  (umask 077 && jq -r .token "$BODY" >"$TOKEN_FILE")
fi
GATEWAY_NAME=$NAME GATEWAY_UID=$VIRT_UID GATEWAY_SSH_KEY=$SSH_DIR/id_ed25519 GATEWAY_SSH_KNOWN_HOSTS=$SSH_DIR/known_hosts \
  REGISTRATION_TOKEN_FILE=$TOKEN_FILE \
  LIBVIRT_DOMAIN_TYPE=${DOMAIN_TYPE:-qemu} "$LOCAL_DIR/gateway.sh" up
deadline=$((SECONDS + 120))
until [ "$(api GET "$APPLIANCES/$VIRT_UID")" = 200 ] && [ "$(jq -r .status "$BODY")" = READY ]; do
  [ $SECONDS -lt $deadline ] || die "appliance $VIRT_UID not READY after 120 s (see $LOGS/$NAME.log)"
  sleep 2
done
say "READY, kind $(jq -r .kind "$BODY"); pools: $(jq -r '[.inventory.libvirt.storagePools[]?.name] | join(", ")' "$BODY")"

step "virtualized profile demo-virtualized (OS layer names the image volume: pack.vmImage=$IMAGE)"
code=$(api GET "$PROFILES?name=demo-virtualized&type=FULL")
PROFILE_ID=$(jq -r '[.items[]? | select(.name == "demo-virtualized")][0].id // empty' "$BODY")
if [ -z "$PROFILE_ID" ]; then
  code=$(api POST "$PROFILES" "$(jq -nc --arg image "$IMAGE" '{name: "demo-virtualized", type: "FULL",
    environment: "edge", cloudType: "virtualized", layers: [
      {name: "ubuntu", version: "22.04.x", values: ("pack:\n  vmImage: " + $image + "\n")},
      {name: "kubernetes", version: "1.29.x"}, {name: "calico", version: "3.27.x"},
      {name: "local-path-provisioner", version: "0.0.x"}]}')")
  [ "$code" = 201 ] || die "POST $PROFILES answered $code: $(cat "$BODY")"
  PROFILE_ID=$(jq -r .id "$BODY")
fi
say "profile $PROFILE_ID"

step "cluster demo-virt: 1 master (1 vCPU, 1 GiB, 2 GiB root disk) on $VIRT_UID, network $NETWORK"
CLUSTER_BODY=$(jq -nc --arg profile "$PROFILE_ID" --arg uid "$VIRT_UID" --arg net "$NETWORK" \
  --arg images "$IMAGES_POOL" --arg vms "$VMS_POOL" --arg vip "$NET_PREFIX.250" --rawfile key "$SSH_DIR/id_ed25519.pub" \
  '{name: "demo-virt", profileId: $profile, cloudConfig: {virtualIp: $vip, sshKeys: [($key | rtrimstr("\n"))]},
    pools: [{name: "masters", master: true, size: 1, allowWorkerCapability: true, cpu: 1, memoryGb: 1, rootDiskGb: 2,
             appliances: [{uid: $uid, networkType: "network", networkName: $net, imagePool: $images,
                           targetPool: $vms, dataPool: $vms}]}]}')
CLUSTER_ID='' deadline=$((SECONDS + 60))
while [ -z "$CLUSTER_ID" ]; do
  code=$(api POST "$CLUSTERS" "$CLUSTER_BODY")
  case $code in
    201) CLUSTER_ID=$(jq -r .id "$BODY") ;;
    409) api GET "$CLUSTERS?size=200" >/dev/null
         CLUSTER_ID=$(jq -r '[.items[] | select(.name == "demo-virt")][0].id // empty' "$BODY")
         [ -n "$CLUSTER_ID" ] || die "cluster name demo-virt is taken but not listed" ;;
    400) [ $SECONDS -lt $deadline ] || die "POST $CLUSTERS answered 400: $(jq -c .errors "$BODY")"; sleep 2 ;;
    *) die "POST $CLUSTERS answered $code: $(cat "$BODY")" ;;
  esac
done
say "cluster $CLUSTER_ID"

step "until RUNNING: the guest boots in software emulation and applies its bootstrap (up to 15 min)"
deadline=$((SECONDS + 900)) last=''
while :; do
  api GET "$CLUSTERS/$CLUSTER_ID" >/dev/null
  status=$(jq -r .status "$BODY")
  api GET "$CLUSTERS/$CLUSTER_ID/events" >/dev/null
  now=$(jq -r 'last | "\(.kind) \(.status)\(if .message then ": " + .message else "" end)"' "$BODY")
  [ "$now" = "$last" ] || say "  $status  $now ($SECONDS s)"
  last=$now
  case $status in RUNNING) break ;; FAILED|DELETED) die "cluster $CLUSTER_ID is $status: $now" ;; esac
  [ $SECONDS -lt $deadline ] || die "cluster $CLUSTER_ID not RUNNING after 15 min (see $LOGS/$NAME.log)"
  sleep 5
done
api GET "$CLUSTERS/$CLUSTER_ID/nodes" >/dev/null
NODE=$(jq -r '.[0].nodeId' "$BODY")
jq -r '.[] | "  \(.nodeId)  \(.role)  \(.state)  domain \(.ref // "")  ip \(.ip // "-")"' "$BODY"

step "the node's serial console, read by its gateway (GET …/nodes/$NODE/console?lines=15)"
code=202
for _ in 1 2 3 4 5; do
  code=$(api GET "$CLUSTERS/$CLUSTER_ID/nodes/$NODE/console?lines=15")
  [ "$code" = 202 ] || break
  sleep 2
done
[ "$code" = 200 ] || die "console answered $code: $(cat "$BODY")"
jq -r '.lines[] | "  | " + .' "$BODY"

step "security scan inside the VM (configuration security, open ports, conformance; policy-service)"
POLICIES=http://localhost:$POLICY_PORT/v1
SCAN_BODY=$(jq -nc --arg c "$CLUSTER_ID" '{clusterId: $c, scan: {kinds: ["CONFIGURATION_SECURITY", "PENETRATION", "CONFORMANCE"]}}')
deadline=$((SECONDS + 60))
while :; do # policy-service learns that the cluster runs from cluster-events: a moment after RUNNING
  code=$(api POST "$POLICIES/scans" "$SCAN_BODY")
  [ "$code" = 202 ] || die "POST $POLICIES/scans answered $code: $(cat "$BODY")"
  [ "$(jq -r .status "$BODY")" = SKIPPED ] && [ $SECONDS -lt $deadline ] && { sleep 2; continue; }
  break
done
SCAN_ID=$(jq -r .id "$BODY")
deadline=$((SECONDS + 300)) status=RUNNING
while [ "$status" = RUNNING ] && [ $SECONDS -lt $deadline ]; do
  sleep 2
  [ "$(api GET "$POLICIES/scans/$SCAN_ID")" = 200 ] && status=$(jq -r .status "$BODY")
done
jq -r '"  scan \(.status): \(.scan.pass) passed, \(.scan.fail) failed, \(.scan.warn) warnings"' "$BODY"
[ "$status" = SUCCEEDED ] || die "scan $SCAN_ID $status: $(jq -r .reason "$BODY") (see $LOGS/policy-service.log, $LOGS/$NAME.log)"
echo
say "cluster demo-virt ($CLUSTER_ID) RUNNING on $VIRT_UID: virsh -c qemu:///system list; console log in $POOL_DIR/vms"
say "delete it: curl -X DELETE -H \"Authorization: Bearer \$TOKEN\" $CLUSTERS/$CLUSTER_ID; then $0 clean"
say "the stack keeps running: deploy/local/stack.sh down stops it and both gateways"
