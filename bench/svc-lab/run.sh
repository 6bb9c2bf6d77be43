#!/usr/bin/env bash
# Services in the live lab (issue 5), measured side by side in one run:
#   1. iperf3 throughput: pod -> ClusterIP against pod -> pod IP (same server pod, cross node), and external client ->
#      NodePort against external client -> the same pod directly (a /32 route through the same node, see below);
#   2. connect (first-packet) latency to ClusterIPs with 10 and with 10,000 Services programmed (two labs, interleaved);
#   3. time from an API change to the nftables rules of every node (nft monitor in each node's namespace): a pod
#      turning unready (its probe failing), deleted, or relabeled out of its Service through the lab's API (its
#      endpoint leaves), and a Service added (its endpoints arrive).
#
#   sudo bench/svc-lab/run.sh                       # everything (about 5 minutes on 2 busy cores); the report
#                                                   # (markdown tables) goes to stdout, progress to stderr
#   sudo DUR=2 REPS=6 bench/svc-lab/run.sh          # shorter iperf3 part (variables go after sudo)
#   DUR=4 REPS=12                                    # iperf3 seconds per run, rounds over the four paths
#   N=200 LAT_ROUNDS=20                              # connects per lab and target per round, rounds
#   FLIPS=5 WORST=2 DELETES=3                        # unready rounds (one-Service pod), worst-case rounds, delete rounds
#   ADDS=5 LABELS=5                                  # Service-added rounds, relabel rounds
#   BIG=10000                                        # Services in the large lab
#   COMPARE_AGENTS=1                                 # only part 3, on two labs of BIG Services side by side: bsvcin
#                                                    # (node agents in the daemon) and bsvcpr (maille up --agents
#                                                    # process: one maille agent process per node, an API client)
#
# Safety: only the namespaces of labs bsvc10 and bsvc10k (made and removed by ./maille); the one route added
# (external -> server pod /32 via node-2) lives in lab bsvc10's external namespace and goes with it. Nothing is added
# to the host namespace; addresses are the labs' own (198.18.0.0/15). Everything is removed on EXIT.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MAILLE="$ROOT/maille"
HELPER="$ROOT/bench/svc-lab/svclab.py"
DUR="${DUR:-4}"
REPS="${REPS:-12}"
N="${N:-200}"
LAT_ROUNDS="${LAT_ROUNDS:-20}"
FLIPS="${FLIPS:-5}"
WORST="${WORST:-2}"
DELETES="${DELETES:-3}"
ADDS="${ADDS:-5}"
LABELS="${LABELS:-5}"
SMALL=10
BIG="${BIG:-10000}"
LAB_S=bsvc10 LAB_B=bsvc10k
COMPARE_AGENTS="${COMPARE_AGENTS:-0}"
if [ "$COMPARE_AGENTS" = 1 ]; then LAB_S=bsvcin LAB_B=bsvcpr SMALL=$BIG; fi
TMP="$(mktemp -d /tmp/maille-svclab.XXXXXX)"
chmod 755 "$TMP"
LABS_UP=()
MON_PIDS=()

# shellcheck source=../lib.sh
. "$ROOT/bench/lib.sh"

cleanup() {
  local rc=$?
  set +e
  for p in "${MON_PIDS[@]}"; do kill "$p" 2>/dev/null; done
  for f in "$TMP"/iperf-*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null; done
  for lab in "${LABS_UP[@]}"; do
    bench_lab_down "$MAILLE" "$lab"
  done
  rm -rf "$TMP"
  bench_report_left "^maille-($LAB_S|$LAB_B)-"
  exit "$rc"
}
bench_on_exit cleanup
bench_require_root
bench_require_no_lab "$LAB_S" "$LAB_B"

# ---------------------------------------------------------------- tools
bench_need_pkg iperf3 iperf3
bench_need_pkg nft nftables
bench_need_pkg stdbuf coreutils
PY="$(python3 -c 'import sys; print(sys.executable)')"   # the real interpreter, not a pyenv shim
log "building maille if needed"
timeout 900 "$MAILLE" --help >/dev/null 2>&1 || true
START_UTC="$(date -u +%Y-%m-%dT%H:%M:%SZ)"

# ---------------------------------------------------------------- helpers
lab_dir() { echo "$TMP/$1"; }
sock() { echo "/run/maille/$1/api.sock"; }
node_ns() { echo "maille-$1-node-$2"; }
pod_ip() { awk -v p="$2" '$1 == p { print $2 }' "$(lab_dir "$1")/pods.txt"; }
svc_ip() { awk -v s="$2" '$1 == s { print $2 }' "$(lab_dir "$1")/services.txt"; }
node_ip() { ip -n "$(node_ns "$1" "$2")" -4 -o addr show dev eth0 | awk '{ split($4, a, "/"); print a[1] }'; }

# lab, pod key (ns/name), pod IP -> its namespace: maille-<lab>-pod-<first 12 hex of sha256(key)> (docs/lab-network.md),
# checked against the address on its eth0
pod_ns() {
  local ns="maille-$1-pod-$(printf '%s' "$2" | sha256sum | cut -c1-12)"
  ip -n "$ns" -4 -o addr show dev eth0 2>/dev/null | grep -q " $3/" || { log "pod $2 ($3) is not in $ns"; exit 1; }
  echo "$ns"
}

# every node's Service proxy has synced the lab's Services ($2 ports) and stays put for a second (bounded: 180 s)
wait_synced() {
  local lab=$1 ports=$2 i prev="" now
  for i in $(seq 1 180); do
    now="$("$PY" "$HELPER" api-get "$(sock "$lab")" /apis/maille.dev/v1alpha1/nodeagents | "$PY" -c '
import json, sys
ports = int(sys.argv[1])
items = json.load(sys.stdin)["items"]
ok = all(i["parts"]["services"]["servicePortCount"] == ports and i["parts"]["services"]["syncCount"] > 0
         and not i["parts"]["services"]["lastError"] for i in items)
print(" ".join(str(i["parts"]["services"]["syncedGeneration"]) for i in items) if ok else "no")' "$ports")"
    if [ "$now" != no ] && [ "$now" = "$prev" ]; then return 0; fi
    prev="$now"; sleep 1
  done
  log "lab $lab: Service proxies did not sync $ports ports in 180 s"; exit 1
}

# endpoint IP:80 is back as one of the two endpoints of Service $3 in every node's rules (bounded: 30 s). One
# `nft get element` per node and try: listing the large lab's endpoint map would take seconds.
wait_rule() {
  local lab=$1 ip=$2 cip node i
  cip="$(svc_ip "$lab" "$3")"
  for node in node-1 node-2; do
    for i in $(seq 1 300); do
      ip netns exec "$(node_ns "$lab" "$node")" nft get element ip maille-svc internal-endpoints-2 \
        "{ $cip . tcp . 80 . 0, $cip . tcp . 80 . 1 }" 2>/dev/null | grep -F ": $ip . 80" >/dev/null && break
      if [ "$i" = 300 ]; then
        log "lab $lab: endpoint $ip not back in the rules of $node after 30 s; the node agents and the daemon's last lines:"
        "$PY" "$HELPER" api-get "$(sock "$lab")" /apis/maille.dev/v1alpha1/nodeagents >&2 || true
        tail -40 "/run/maille/$lab/daemon.log" >&2 || true
        exit 1
      fi
      sleep 0.1
    done
  done
}

up_lab() { # lab services
  local lab=$1 services=$2 dir t0 t1
  dir="$(lab_dir "$lab")"; mkdir -p "$dir/probes"; chmod 755 "$dir" "$dir/probes"
  "$PY" "$HELPER" gen "$services" "$dir/probes" >"$dir/lab.yaml"
  printf 'apiVersion: maille.dev/v1alpha1\nkind: ClusterConfig\nnodeCount: 2\n' >"$dir/config.yaml"
  log "lab $lab: up ($services Services, 2 nodes)"
  LABS_UP+=("$lab")
  t0=$(date +%s%N)
  local agents=inline
  [ "$COMPARE_AGENTS" = 1 ] && [ "$lab" = "$LAB_B" ] && agents=process
  timeout 420 "$MAILLE" up -f "$dir/lab.yaml" --config "$dir/config.yaml" --lab "$lab" --wait 300 --agents "$agents" >"$dir/up.out" 2>&1 || { cat "$dir/up.out" >&2; exit 1; }
  t1=$(date +%s%N)
  wait_synced "$lab" $((services + 2))    # + kube-dns 53/UDP and 53/TCP
  R[up_$lab]="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e9 }') $(awk -v a="$t0" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')"
  "$PY" "$HELPER" addresses "$(sock "$lab")" "$dir"
  "$PY" "$HELPER" api-get "$(sock "$lab")" /apis/maille.dev/v1alpha1/nodeagents >"$dir/status-up.json"
  R[st_$lab]="$("$PY" -c '
import json, sys
items = json.load(open(sys.argv[1]))["items"]
s = [i["parts"]["services"] for i in items]
print(" / ".join(str(x["servicePortCount"]) for x in s), "|", " / ".join(str(x["elementCount"]) for x in s), "|",
      " / ".join(str(x["ruleCount"]) for x in s), "|", " / ".join(x["lastSyncDuration"][6:11] for x in s))' "$dir/status-up.json")"
  log "lab $lab: up and synced (ports / elements / rules / last sync s per node: ${R[st_$lab]})"
}

# Every namespace we measure in must still exist (another user's `maille down --all` removes every lab).
alive() {
  local ns
  for ns in "$@"; do
    [ -e "/run/netns/$ns" ] || { log "namespace $ns vanished (removed by someone else?): rerun"; exit 2; }
  done
}

wait_listen() { # ns port
  local i
  for i in $(seq 1 100); do
    ip netns exec "$1" ss -Hltn "sport = :$2" 2>/dev/null | grep . >/dev/null && return 0
    sleep 0.1
  done
  log "nothing listens on $2 in $1"; return 1
}

# iperf3 TCP from ns $1 to $2:$3 (a server started once per namespace); prints "Gbit/s retransmits". A run that
# finds the server still busy with the previous test is retried (at most 3 attempts).
iperf_tcp() {
  local tag=$4 attempt
  alive "$1"
  for attempt in 1 2 3; do
    if timeout $((DUR + 30)) ip netns exec "$1" iperf3 -c "$2" -p "$3" -t "$DUR" -J >"$TMP/$tag.json" 2>/dev/null; then
      "$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); print("%.2f %d" % (d["end"]["sum_received"]["bits_per_second"]/1e9, d["end"]["sum_sent"].get("retransmits",0)))' "$TMP/$tag.json"
      return 0
    fi
    sleep 0.5
  done
  log "iperf3 $tag failed 3 times: $(head -c 300 "$TMP/$tag.json")"; exit 1
}

# starts one `nft monitor` per node of $1 waiting for "$2 element ... : $3 ."; pids in MON_RUN
start_monitors() {
  local lab=$1 verb=$2 ip=$3 out=$4 node
  MON_RUN=()
  : >"$out"
  for node in node-1 node-2; do
    "$PY" "$HELPER" monitor "$(node_ns "$lab" "$node")" "$node" "$out" "$verb" "$ip" 10 &
    MON_RUN+=($!); MON_PIDS+=($!)
  done
  # Each monitor says when it sees events (it needs the node's whole ruleset first, seconds at 10,000 Services).
  local waited=0
  until [ -e "$out.ready-node-1" ] && [ -e "$out.ready-node-2" ]; do
    sleep 0.05; waited=$((waited + 1))
    [ "$waited" -lt 400 ] || { log "a monitor was not ready within 20 s"; break; }
  done
  rm -f "$out.ready-node-1" "$out.ready-node-2"
}
wait_monitors() { local p; for p in "${MON_RUN[@]}"; do wait "$p" || log "a monitor timed out (see the round's line)"; done; }
# After a round whose monitor timed out: whether the endpoint $2 is still in each node's rules of lab $1 (a rule left
# behind is a bug; an endpoint gone means the monitor missed the event).
report_left() { # lab ip
  local node n
  for node in node-1 node-2; do
    n="$(ip netns exec "$(node_ns "$1" "$node")" nft list table ip maille-svc 2>/dev/null | grep -c ": $2 \\." || true)"
    log "  after the round, $2 is in $n map elements of $node's Service rules"
  done
}

# one readiness round: the pod's probe starts failing; the rules of both nodes are watched for its endpoint leaving
unready_round() { # lab pod round service
  local lab=$1 pod=$2 r=$3 svc=$4 dir ip mon
  dir="$(lab_dir "$lab")"; ip="$(pod_ip "$lab" "$pod")"; mon="$TMP/mon-$lab-$pod-$r"
  alive "$(node_ns "$lab" node-1)" "$(node_ns "$lab" node-2)"
  start_monitors "$lab" delete "$ip" "$mon"
  touch "$dir/probes/unready-$pod"
  wait_monitors
  "$PY" "$HELPER" round unready "$lab" "$pod" "$dir/probes" "/run/maille/$lab/daemon.log" "$mon" "$(sock "$lab")" >>"$TMP/rounds"
  rm -f "$dir/probes/unready-$pod"
  wait_rule "$lab" "$ip" "$svc"
  log "  $lab $pod unready round $r: $(tail -1 "$TMP/rounds" | cut -c1-160)"
}

# one delete round: DELETE through the lab's API (what `maille delete pod` does, without the CLI's start), then the
# pod is created again and its endpoint awaited back in the rules
delete_round() { # lab pod round
  local lab=$1 pod=$2 r=$3 dir ip mon res
  dir="$(lab_dir "$lab")"; ip="$(pod_ip "$lab" "$pod")"; mon="$TMP/mon-$lab-$pod-del-$r"
  alive "$(node_ns "$lab" node-1)" "$(node_ns "$lab" node-2)"
  start_monitors "$lab" delete "$ip" "$mon"
  res="$("$PY" "$HELPER" api "$(sock "$lab")" DELETE "/api/v1/namespaces/default/pods/$pod")"
  wait_monitors || true
  grep -q " timeout waiting" "$mon" && report_left "$lab" "$ip"
  read -r sent answered code <<<"$res"
  [ "$code" = 200 ] || log "  DELETE answered $code"
  "$PY" "$HELPER" round delete "$lab" "$pod" "$dir/probes" "/run/maille/$lab/daemon.log" "$mon" "$(sock "$lab")" "$sent:$answered" >>"$TMP/rounds"
  "$PY" "$HELPER" gen 4 "$dir/probes" "$pod" >"$TMP/$pod.yaml"
  res="$("$PY" "$HELPER" api "$(sock "$lab")" POST /api/v1/namespaces/default/pods "$TMP/$pod.yaml")"
  read -r _ _ code <<<"$res"
  [ "$code" = 201 ] || [ "$code" = 200 ] || { log "  re-creating $pod answered $code"; exit 1; }
  "$PY" "$HELPER" addresses "$(sock "$lab")" "$dir"
  wait_rule "$lab" "$(pod_ip "$lab" "$pod")" flip
  log "  $lab $pod delete round $r: $(tail -1 "$TMP/rounds" | cut -c1-160)"
}

# one Service-added round: POST a Service selecting web-1 and web-2; the rules of both nodes are watched for web-1's
# endpoint element being added (nothing else adds one meanwhile); the Service is then deleted again (not timed)
add_service_round() { # lab round
  local lab=$1 r=$2 dir ip mon res
  dir="$(lab_dir "$lab")"; ip="$(pod_ip "$lab" web-1)"; mon="$TMP/mon-$lab-add-$r"
  alive "$(node_ns "$lab" node-1)" "$(node_ns "$lab" node-2)"
  printf 'apiVersion: v1\nkind: Service\nmetadata: {name: added-%s, namespace: default}\nspec: {selector: {app: web}, ports: [{port: 80}]}\n' "$r" >"$TMP/added.yaml"
  start_monitors "$lab" add "$ip" "$mon"
  res="$("$PY" "$HELPER" api "$(sock "$lab")" POST /api/v1/namespaces/default/services "$TMP/added.yaml")"
  wait_monitors
  read -r sent answered code <<<"$res"
  [ "$code" = 201 ] || [ "$code" = 200 ] || log "  POST service answered $code"
  "$PY" "$HELPER" round add-service "$lab" web-1 "$dir/probes" "/run/maille/$lab/daemon.log" "$mon" "$(sock "$lab")" "$sent:$answered" >>"$TMP/rounds"
  res="$("$PY" "$HELPER" api "$(sock "$lab")" DELETE "/api/v1/namespaces/default/services/added-$r")"
  sleep 1
  log "  $lab Service added round $r: $(tail -1 "$TMP/rounds" | cut -c1-160)"
}

# one relabel round: PATCH flip-1's labels (app=flip -> app=other, what `kubectl label --overwrite` sends); its
# endpoint leaving Service flip is watched; the label is then set back and the endpoint awaited back in the rules
label_round() { # lab round
  local lab=$1 r=$2 dir ip mon res
  dir="$(lab_dir "$lab")"; ip="$(pod_ip "$lab" flip-1)"; mon="$TMP/mon-$lab-label-$r"
  alive "$(node_ns "$lab" node-1)" "$(node_ns "$lab" node-2)"
  printf '{"metadata": {"labels": {"app": "other"}}}' >"$TMP/label-other.json"
  printf '{"metadata": {"labels": {"app": "flip"}}}' >"$TMP/label-flip.json"
  start_monitors "$lab" delete "$ip" "$mon"
  res="$("$PY" "$HELPER" api "$(sock "$lab")" PATCH /api/v1/namespaces/default/pods/flip-1 "$TMP/label-other.json")"
  wait_monitors
  read -r sent answered code <<<"$res"
  [ "$code" = 200 ] || log "  PATCH answered $code"
  "$PY" "$HELPER" round label "$lab" flip-1 "$dir/probes" "/run/maille/$lab/daemon.log" "$mon" "$(sock "$lab")" "$sent:$answered" >>"$TMP/rounds"
  res="$("$PY" "$HELPER" api "$(sock "$lab")" PATCH /api/v1/namespaces/default/pods/flip-1 "$TMP/label-flip.json")"
  wait_rule "$lab" "$ip" flip
  log "  $lab flip-1 relabel round $r: $(tail -1 "$TMP/rounds" | cut -c1-160)"
}

declare -A R

# ---------------------------------------------------------------- labs
up_lab "$LAB_S" "$SMALL"
if [ "$COMPARE_AGENTS" = 1 ]; then
  up_lab "$LAB_B" "$BIG"
  for lab in $LAB_S $LAB_B; do
    R[ncip_$lab]="$(awk '$1 ~ /^web-/' "$(lab_dir "$lab")/services.txt" | wc -l)"
  done
  # The agent processes of $LAB_B: resident memory after up, and CPU used over 20 s of quiet (utime + stime ticks).
  PIDS="$("$PY" "$HELPER" api-get "$(sock "$LAB_B")" /apis/maille.dev/v1alpha1/nodeagents | "$PY" -c '
import json, sys
print(" ".join(str(i["process"]["pid"]) for i in json.load(sys.stdin)["items"]))')"
  ticks() { for p in $PIDS; do awk '{ print $14 + $15 }' "/proc/$p/stat"; done | paste -sd' '; }
  sleep 5
  before="$(ticks)"; sleep 20; after="$(ticks)"
  R[agent_rss]="$(for p in $PIDS; do awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$p/status"; echo; done | paste -sd' ')"
  R[agent_idle]="$(paste -d' ' <(echo "$before" | tr ' ' '\n') <(echo "$after" | tr ' ' '\n') | awk -v hz="$(getconf CLK_TCK)" '{ printf "%s%.0f", (NR > 1 ? " " : ""), ($2 - $1) * 1000 / hz }')"
  log "agent processes of $LAB_B: RSS MB ${R[agent_rss]}; CPU ms over 20 quiet s ${R[agent_idle]}"
else
SD="$(lab_dir "$LAB_S")"
SIP="$(pod_ip "$LAB_S" server)"
SNS="$(pod_ns "$LAB_S" default/server "$SIP")"
CNS="$(pod_ns "$LAB_S" default/client "$(pod_ip "$LAB_S" client)")"
EXT="maille-$LAB_S-external"
N1IP="$(node_ip "$LAB_S" node-1)"; N2IP="$(node_ip "$LAB_S" node-2)"
CIP="$(svc_ip "$LAB_S" iperf)"
NODEPORT="$(awk '$1 == "iperf-np" { print $3 }' "$SD/services.txt")"
log "server $SIP in $SNS, client in $CNS, ClusterIP $CIP, NodePort $NODEPORT on $N1IP/$N2IP"

# ---------------------------------------------------------------- 1: throughput (lab bsvc10 only)
# The external client has no route to pod addresses. For a like-for-like baseline it gets one /32 route to the server
# pod via node-2 (the pod's node): "direct" then takes exactly the NodePort path through node-2 (ext0 -> br0 -> node-2
# eth0 -> pod veth), without the DNAT and masquerade. The route lives in the lab's external namespace only.
ip -n "$EXT" route add "$SIP/32" via "$N2IP"
ip -n "$EXT" route get "$SIP" | grep -q "via $N2IP" || { log "route to the pod did not take"; exit 1; }
ip netns exec "$SNS" iperf3 -s -D -p 5201 -I "$TMP/iperf-server.pid" >/dev/null
wait_listen "$SNS" 5201
PATHS="pp pc ed en2"
for rep in $(seq 1 "$REPS"); do
  order="$PATHS"; [ $((rep % 2)) = 0 ] && order="$(echo "$PATHS" | tr ' ' '\n' | tac | tr '\n' ' ')"
  for p in $order; do
    case $p in
      pp)  c=$CNS dst=$SIP port=5201 ;;
      pc)  c=$CNS dst=$CIP port=5201 ;;
      ed)  c=$EXT dst=$SIP port=5201 ;;
      en2) c=$EXT dst=$N2IP port=$NODEPORT ;;
    esac
    iperf_tcp "$c" "$dst" "$port" "$p-$rep" >>"$TMP/tcp-$p"
  done
  log "iperf3 round $rep/$REPS: $(for p in $PATHS; do printf '%s %s  ' "$p" "$(tail -1 "$TMP/tcp-$p" | cut -d' ' -f1)"; done)"
done
for f in "$TMP"/iperf-*.pid; do kill "$(cat "$f")" 2>/dev/null || true; rm -f "$f"; done
ip -n "$EXT" route del "$SIP/32" via "$N2IP"

# ---------------------------------------------------------------- 2: connect latency, 10 vs 10,000 Services
up_lab "$LAB_B" "$BIG"
# Targets: cip7 = 7 web-N ClusterIPs in both labs (web-0..web-6 in the small lab, 7 spread evenly over the large
# lab's 9,997), so the client talks to as many destinations in both and only the table's size differs; cipall =
# every web-N ClusterIP of the large lab, round robin in a fixed shuffled order (the destination spread as well);
# pod = the two pod IPs directly (no Service), the lab-to-lab noise floor.
for lab in $LAB_S $LAB_B; do
  d="$(lab_dir "$lab")"
  awk '$1 ~ /^web-/ { sub(/^web-/, "", $1); print $1, $2 }' "$d/services.txt" | sort -n >"$d/web-cips"
  R[ncip_$lab]="$(wc -l <"$d/web-cips")"
  awk -v n="${R[ncip_$lab]}" 'BEGIN { step = int(n / 7) } (NR - 1) % step == 0 && c < 7 { print $2, 80; c++ }' "$d/web-cips" >"$d/targets-cip7"
  awk '{ print $2, 80 }' "$d/web-cips" | shuf --random-source=<(yes) >"$d/targets-cipall"
  printf '%s 80\n%s 80\n' "$(pod_ip "$lab" web-1)" "$(pod_ip "$lab" web-2)" >"$d/targets-pod"
  R[cns_$lab]="$(pod_ns "$lab" default/client "$(pod_ip "$lab" client)")"
done
[ "$(wc -l <"$(lab_dir "$LAB_B")/targets-cip7")" = 7 ] || { log "could not pick 7 ClusterIPs"; exit 1; }
CELLS="$LAB_S:cip7 $LAB_B:cip7 $LAB_B:cipall $LAB_S:pod $LAB_B:pod"
for r in $(seq 1 "$LAT_ROUNDS"); do
  order="$CELLS"; [ $((r % 2)) = 0 ] && order="$(echo "$CELLS" | tr ' ' '\n' | tac | tr '\n' ' ')"
  for cell in $order; do
    lab="${cell%%:*}" t="${cell#*:}"
    alive "${R[cns_$lab]}"
    [ $((r % 5)) = 1 ] && log "connect latency $lab $t (N=$N, round $r/$LAT_ROUNDS)"
    timeout 120 ip netns exec "${R[cns_$lab]}" "$PY" "$HELPER" connect "$(lab_dir "$lab")/targets-$t" "$N" "$TMP/lat-$lab-$t" \
      | awk '{ print $2 }' >>"$TMP/latr-$lab-$t"
  done
done

fi

# ---------------------------------------------------------------- 3: endpoint removal
: >"$TMP/rounds"
for r in $(seq 1 "$FLIPS"); do
  for lab in $LAB_S $LAB_B; do unready_round "$lab" flip-1 "$r" flip; done
done
for r in $(seq 1 "$WORST"); do
  for lab in $LAB_S $LAB_B; do unready_round "$lab" web-1 "$r" web-0; done
done
for r in $(seq 1 "$DELETES"); do
  for lab in $LAB_S $LAB_B; do delete_round "$lab" flip-2 "$r"; done
done
for r in $(seq 1 "$ADDS"); do
  for lab in $LAB_S $LAB_B; do add_service_round "$lab" "$r"; done
done
for r in $(seq 1 "$LABELS"); do
  for lab in $LAB_S $LAB_B; do label_round "$lab" "$r"; done
done
for lab in $LAB_S $LAB_B; do cp "/run/maille/$lab/daemon.log" "$TMP/daemon-$lab.log"; done

for lab in $LAB_B $LAB_S; do timeout 90 "$MAILLE" down --lab "$lab" >/dev/null; done
LABS_UP=()
END_UTC="$(date -u +%H:%M:%SZ)"

# ---------------------------------------------------------------- report
med() { # file -> "median min max" of column 1, and the median of column 2
  sort -g -k1,1 "$1" | awk '{ v[NR] = $1; o[NR] = $2 } END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%.2f %.2f %.2f %s\n", m, v[1], v[NR], o[int((NR + 1) / 2)] }'
}
paired() { # file_a file_b -> "median min max" of a_i / b_i (round by round)
  paste "$1" "$2" | awk '{ print $1 / $3 }' | sort -g | awk '{ v[NR] = $1 } END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.3f %.3f %.3f\n", m, v[1], v[NR] }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }

echo
echo "Run $START_UTC – $END_UTC on Linux $(uname -r), $(nproc) cores, load at the end $(cut -d' ' -f1-3 /proc/loadavg); iperf3 $(iperf3 --version | head -1 | awk '{ print $2 }'), $(nft --version)"
echo
echo "Labs (2 nodes each; Service ports, map elements, rules, last sync seconds per node, node-1 / node-2, after \`up\`):"
echo
echo "| Lab | Services | \`up\` returned / proxies synced, s | Service ports | map elements | rules | last (full) sync s |"
echo "|---|---:|---|---|---|---|---|"
for spec in "$LAB_S $SMALL" "$LAB_B $BIG"; do
  read -r lab n <<<"$spec"
  read -r upa upb <<<"${R[up_$lab]}"
  IFS='|' read -r ports elems rules syncs <<<"${R[st_$lab]}"
  echo "| $lab | $n | $upa / $upb |$ports|$elems|$rules|$syncs |"
done
if [ "$COMPARE_AGENTS" != 1 ]; then
echo
echo "Throughput, lab $LAB_S, single-stream TCP to iperf3 in the server pod (node-2), $REPS rounds × $DUR s, paths interleaved (order reversed every other round):"
echo
echo "| Path | Gbit/s median (min–max) | retransmits (median run) | ratio of medians | ratio round by round, median (min–max) | goal |"
echo "|---|---|---:|---:|---|---|"
for p in $PATHS; do
  read -r m lo hi rt <<<"$(med "$TMP/tcp-$p")"
  case $p in
    pp)  name="pod → pod IP (client node-1 → server node-2)"; base=pp; goal="baseline" ;;
    pc)  name="pod → ClusterIP (same pods)"; base=pp; goal="≥ 0.97" ;;
    ed)  name="external → pod IP, /32 route via node-2 (no NAT)"; base=ed; goal="baseline" ;;
    en2) name="external → NodePort on node-2 (endpoint's node)"; base=ed; goal="" ;;
  esac
  read -r bm _ <<<"$(med "$TMP/tcp-$base")"
  if [ "$p" = "$base" ]; then r1="1.000"; r2="–"; else r1="$(ratio "$m" "$bm")"; read -r a b c <<<"$(paired "$TMP/tcp-$p" "$TMP/tcp-$base")"; r2="$a ($b–$c)"; fi
  [ "$goal" = "≥ 0.97" ] && goal="≥ 0.97: $(awk -v r="$r1" 'BEGIN { print (r >= 0.97) ? "met" : "missed" }')"
  echo "| $name | $m ($lo–$hi) | $rt | $r1 | $r2 | $goal |"
done
echo
echo "Connect latency from the client pod (node-1) to port 80 of web-1/web-2 (node-2), $LAT_ROUNDS rounds × N=$N per cell, cells interleaved (order reversed every other round):"
echo
echo "| Lab | Services | target | connects | p10 µs | median µs | p90 µs | p99 µs | max µs | round medians µs, min–max | p10 / same target kind in $LAB_S | median / same | p99 / same |"
echo "|---|---:|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|"
for cell in $CELLS; do
  lab="${cell%%:*}" t="${cell#*:}"
  base="$t"; [ "$t" = cipall ] && base=cip7
  read -r bm _ b99 _ _ b10 <<<"$("$PY" "$HELPER" latency "$TMP/lat-$LAB_S-$base")"
  read -r m p90 p99 mx cnt p10 <<<"$("$PY" "$HELPER" latency "$TMP/lat-$lab-$t")"
  case $t in
    cip7) tn="7 ClusterIPs (web-N), round robin" ;;
    cipall) tn="all ${R[ncip_$lab]} web-N ClusterIPs, round robin" ;;
    pod) tn="pod IPs of web-1/web-2 (no Service)" ;;
  esac
  n=$SMALL; [ "$lab" = "$LAB_B" ] && n=$BIG
  rr="$(sort -g "$TMP/latr-$lab-$t" | awk 'NR == 1 { a = $1 } { b = $1 } END { printf "%s–%s", a, b }')"
  echo "| $lab | $n | $tn | $cnt | $p10 | $m | $p90 | $p99 | $mx | $rr | $(ratio "$p10" "$b10") | $(ratio "$m" "$bm") | $(ratio "$p99" "$b99") |"
done
fi
echo
if [ "$COMPARE_AGENTS" = 1 ]; then
  echo "Node agents: $LAB_S in the daemon, $LAB_B as one \`maille agent\` process per node (\`up --agents process\`); the same $BIG Services in both. The agent processes of $LAB_B after \`up\`: resident memory ${R[agent_rss]} MB (node-1 node-2; goal < 80), CPU over 20 quiet seconds ${R[agent_idle]} ms (goal: none)."
fi
echo
echo "API changes reaching the rules: from t0 to the endpoint's map element deleted (added, for a Service added) on both nodes (nft monitor in each node's namespace), ms:"
echo
echo "| Lab | change (Services it touches) | t0 | rounds | t0 → rules of both nodes, median | p90 | min–max | t0 → daemon decided, median | decided → proxy sync start, median | proxy sync duration, median | of which nft apply, median (commands) | rounds without a figure | goal median < 100, p90 < 200 (one pod behind every Service: < 1000 ms) |"
echo "|---|---|---|---:|---:|---:|---|---:|---:|---:|---|---:|---|"
for spec in "unready flip-1 1" "unready web-1 0" "delete flip-2 1" "add-service web-1 1" "label flip-1 1"; do
  read -r kind pod one <<<"$spec"
  for lab in $LAB_S $LAB_B; do
    n=1; [ "$one" = 0 ] && n=$(( ${R[ncip_$lab]} ))
    case $kind in
      unready) what="$pod unready ($n)"; t0="its failing probe run" ;;
      delete) what="$pod deleted ($n)"; t0="DELETE sent to the API (decided = answered)" ;;
      add-service) what="Service added (1), endpoint $pod"; t0="POST sent to the API (decided = answered)" ;;
      label) what="$pod relabeled out of its Service ($n)"; t0="PATCH of its labels sent (decided = answered)" ;;
    esac
    row="$("$PY" "$HELPER" rounds "$TMP/rounds" "$kind" "$lab" "$pod")"
    goal="$(echo "$row" | awk -F' [|] ' -v one="$one" '{ m = $2; p = $3 } END {
      if (m == "-" || m == "") print "-"; else if (one == 0) print (p < 1000) ? "met (p90)" : "missed";
      else print (m < 100 && p < 200) ? "met" : "missed" }')"
    echo "| $lab | $what | $t0 | $row | $goal |"
  done
done
echo
echo "Raw round lines (KIND LAB POD T0 DECIDED NODE:COMMIT:SYNC_START:SYNC_DURATION:APPLY_DURATION:COMMANDS, ns):"
echo
echo '```'
cat "$TMP/rounds"
echo '```'
