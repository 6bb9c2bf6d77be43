#!/usr/bin/env bash
# The mesh's cost (issue 18), on ONE lab: the same client -> server pair with and without the mesh, side by side.
# Lab bmesh has two namespaces, plain and mesh, each with pod client on node-1 and pod server on node-2 (the pod
# server on 8080), so the traffic crosses nodes and the two paths differ only by the mesh: namespace mesh gets
# `istio.io/dataplane-mode: ambient` once the lab is up, and from then on its pods' TCP goes client -> node-1's proxy
# -> HBONE (mTLS, 15008) -> node-2's proxy -> server. The node proxies run in the lab's daemon, as the pod server does.
#
#   sudo bench/mesh/run.sh                         # about 6 minutes; the report (markdown) on stdout, progress on stderr
#   sudo ROUNDS=4 DUR=10 bench/mesh/run.sh         # shorter (variables go after sudo)
#   ROUNDS=6 DUR=15 RATE=1000 CONN=10 WARMUP=10 IPERF_ROUNDS=4 IPERF_DUR=8 RSS_SAMPLES=5
#
# What it measures, in this order:
# 1. memory: first the API paths used later are used once (pod plain/extra applied, namespace plain labelled), since
#    their first use fills caches that are not the mesh's; then the daemon's RSS (VmRSS, median of RSS_SAMPLES
#    samples 1 s apart) after a warm-up of WARMUP s at RATE
#    on both pairs while neither namespace is meshed, again after a second such warm-up (how much RSS drifts without
#    the mesh: the control), then after `maille label ns mesh istio.io/dataplane-mode=ambient` and a warm-up of the
#    meshed pair. (meshed - second unmeshed) / 2 node proxies (node-1's and node-2's) is an estimate of the memory
#    per node proxy: the proxies share the daemon's heap, so this is RSS, not an accounting of objects. With
#    dotnet-gcdump on PATH (or GCDUMP=path), a full GC is induced before each measure and the managed heap reported.
#    Then pod mesh/extra on node-3 starts a third proxy, and after a warm-up with the same amount of traffic (one
#    meshed stream to mesh/extra in place of the plain pair's) the RSS again: what one more proxy costs.
# 2. latency and CPU: ROUNDS rounds alternating plain and mesh (order reversed every other round), each run
#    `hey -z DUR -c CONN -q RATE/CONN` from the client pod: GET /echo?msg=<1024 x> answered with 1,024 bytes, keep-alive,
#    at a fixed RATE requests/s. p50 and p99 per run and pooled per path (hey's CSV: 0.1 ms resolution). The daemon's
#    CPU (utime + stime of /proc/PID/stat, all threads) over each run: the pod server answers in the daemon on both
#    paths, so meshed minus plain at the same rate is what the two node proxies cost.
# 3. TCP throughput: iperf3 -s on port 5202 in both server pods (a port the pod server does not serve), IPERF_ROUNDS
#    rounds alternating, `iperf3 -c SERVER -p 5202 -t IPERF_DUR` from the client pod; ratio mesh / plain per round.
#
# Safety: only lab bmesh's namespaces (maille-bmesh-*, made and removed by ./maille) and processes inside its pods'
# namespaces (iperf3 servers, stopped on EXIT). Nothing in the host namespace; addresses are the lab's own
# (198.18.0.0/15). Every load is bounded in time (hey -z, iperf3 -t, each under `timeout`).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MAILLE="$ROOT/maille"
HELPER="$ROOT/bench/mesh/mesh.py"
ROUNDS="${ROUNDS:-6}"
DUR="${DUR:-15}"
RATE="${RATE:-1000}"
CONN="${CONN:-10}"
WARMUP="${WARMUP:-10}"
IPERF_ROUNDS="${IPERF_ROUNDS:-4}"
IPERF_DUR="${IPERF_DUR:-8}"
RSS_SAMPLES="${RSS_SAMPLES:-5}"
# dotnet-gcdump (optional; `dotnet tool install dotnet-gcdump --tool-path DIR`): a full GC before each RSS sample
GCDUMP="${GCDUMP:-$(command -v dotnet-gcdump || true)}"
LAB=bmesh
PROXIES=2   # node-1's and node-2's: the nodes with a meshed pod
TMP="$(mktemp -d /tmp/maille-bmesh.XXXXXX)"
chmod 755 "$TMP"
LAB_UP=0

# shellcheck source=../lib.sh
. "$ROOT/bench/lib.sh"

cleanup() {
  local rc=$?
  set +e
  for f in "$TMP"/iperf-*.pid; do [ -s "$f" ] && kill "$(cat "$f")" 2>/dev/null; done
  [ "$LAB_UP" = 1 ] && bench_lab_down "$MAILLE" "$LAB"
  rm -rf "$TMP"
  bench_report_left "^maille-$LAB-"
  exit "$rc"
}
bench_on_exit cleanup
bench_require_root
bench_require_no_lab "$LAB"
[ $((RATE % CONN)) = 0 ] || { echo "RATE ($RATE) must be a multiple of CONN ($CONN): hey's -q is per connection" >&2; exit 1; }

# ---------------------------------------------------------------- tools
bench_need_pkg hey hey
bench_need_pkg iperf3 iperf3
bench_need_pkg curl curl
log "building maille if needed"
timeout 900 "$MAILLE" --help >/dev/null 2>&1 || true
START_UTC="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
START_LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------- the lab
python3 "$HELPER" gen-lab >"$TMP/lab.yaml"
log "lab $LAB: up (3 nodes; namespaces plain and mesh, neither meshed yet)"
LAB_UP=1
timeout 300 "$MAILLE" up -f "$TMP/lab.yaml" --lab "$LAB" >"$TMP/up.out" 2>&1 || { cat "$TMP/up.out" >&2; exit 1; }
DAEMON_PID="$(cat "/run/maille/$LAB/daemon.pid")"
DAEMON_LOG="/run/maille/$LAB/daemon.log"
TICKS="$(getconf CLK_TCK)"
pod_ns() { echo "maille-$LAB-pod-$(printf '%s' "$1" | sha256sum | cut -c1-12)"; }
declare -A IP NS
for ns in plain mesh; do
  for pod in client server; do
    IP[$ns/$pod]="$("$MAILLE" get pods -n "$ns" -o wide --lab "$LAB" | awk -v pod="$pod" '$1 == pod { print $6 }')"
    NS[$ns/$pod]="$(pod_ns "$ns/$pod")"
    [ -n "${IP[$ns/$pod]}" ] || { log "no address for $ns/$pod"; exit 1; }
    ip -n "${NS[$ns/$pod]}" -4 -o addr show dev eth0 | grep -q " ${IP[$ns/$pod]}/" || { log "$ns/$pod (${IP[$ns/$pod]}) is not in ${NS[$ns/$pod]}"; exit 1; }
  done
done
MSG="$(head -c 1024 /dev/zero | tr '\0' x)"
url() { echo "http://${2:-${IP[$1/server]}}:8080/echo?msg=$MSG"; }   # NS [ADDRESS]: NS's server, or ADDRESS
in_client() { local ns=$1; shift; ip netns exec "${NS[$ns/client]}" "$@"; }
# clientip NS: the address the server sees for its client (the client's own, with the mesh as without)
clientip() { in_client "$1" curl -s -m 5 "http://${IP[$1/server]}:8080/clientip" | cut -d: -f1; }
for ns in plain mesh; do
  size="$(in_client "$ns" curl -s -m 5 -o /dev/null -w '%{http_code} %{size_download}' "$(url "$ns")")"
  [ "$size" = "200 1024" ] || { log "$ns/client -> $ns/server: /echo answered '$size', not '200 1024'"; exit 1; }
done

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$DAEMON_PID/stat"; }
# gc_heap: a full blocking GC of the daemon (dotnet-gcdump induces one), then the managed heap's size in bytes; "-"
# without dotnet-gcdump. Taken before each RSS sample, so that garbage left by the traffic weighs less on RSS.
gc_heap() {
  [ -n "$GCDUMP" ] || { echo -; return; }
  timeout 120 "$GCDUMP" report -p "$DAEMON_PID" 2>/dev/null | awk '/GC Heap bytes/ { gsub(",", "", $1); print $1; exit }'
}
rss_kb() { # the median of RSS_SAMPLES samples of the daemon's VmRSS, 1 s apart
  local i
  for ((i = 0; i < RSS_SAMPLES; i++)); do
    awk '/^VmRSS:/ { print $2 }' "/proc/$DAEMON_PID/status"
    sleep 1
  done | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
# load NS SECONDS OUT [ADDRESS]: hey at RATE from NS's client to its server (or ADDRESS); prints
# "p50 p99 requests rps non200 cpu_s"
load() {
  local ns=$1 secs=$2 out=$3 to=${4:-} c0 c1
  c0="$(cpu_ticks)"
  timeout $((secs + 30)) ip netns exec "${NS[$ns/client]}" \
    hey -z "${secs}s" -c "$CONN" -q $((RATE / CONN)) -o csv "$(url "$ns" "$to")" >"$out" 2>"$out.err" || { log "hey failed: $(cat "$out.err")"; exit 1; }
  c1="$(cpu_ticks)"
  echo "$(python3 "$HELPER" hey "$out" "$secs") $(awk -v t="$((c1 - c0))" -v hz="$TICKS" 'BEGIN { printf "%.2f", t / hz }')"
}

# warm_up N: $WARMUP s of load on the plain pair, then on the meshed one; then HEAP_N (GC heap after a full GC) and
# RSS_N (the daemon's resident memory)
warm_up() {
  load plain "$WARMUP" "$TMP/w$1-plain.csv" >/dev/null
  load mesh "$WARMUP" "$TMP/w$1-mesh.csv" >/dev/null
  printf -v "HEAP_$1" '%s' "$(gc_heap)"
  printf -v "RSS_$1" '%s' "$(rss_kb)"
}

# ---------------------------------------------------------------- 1. memory: before and after meshing
# The API paths used later (a label, an apply of a pod) are used once before any measure: their first use fills the
# daemon's JSON metadata and routing caches (megabytes in the managed heap), which are not the mesh's. So pod
# plain/extra (node-3, outside the mesh) is applied and namespace plain labelled now.
python3 "$HELPER" gen-extra plain >"$TMP/plain-extra.yaml"
timeout 120 "$MAILLE" apply -f "$TMP/plain-extra.yaml" --lab "$LAB" >/dev/null
timeout 60 "$MAILLE" label ns plain bench.maille.dev/role=plain --lab "$LAB" >/dev/null
gc_heap >/dev/null   # the first EventPipe session costs the daemon some memory of its own: not in the comparison
log "warm-up 1: $WARMUP s at $RATE requests/s on each pair, no mesh"
warm_up 1
log "warm-up 2 (the control): the same again"
warm_up 2
before_ip="$(clientip mesh)"

log "meshing namespace mesh"
timeout 60 "$MAILLE" label ns mesh istio.io/dataplane-mode=ambient --lab "$LAB" >/dev/null
for i in $(seq 1 100); do   # both pods join their node's proxy (bounded: 20 s)
  grep -q 'Mesh: mesh/client joined' "$DAEMON_LOG" && grep -q 'Mesh: mesh/server joined' "$DAEMON_LOG" && break
  [ "$i" = 100 ] && { log "mesh/client and mesh/server did not join the mesh within 20 s"; exit 1; }
  sleep 0.2
done
# The meshed path is the one measured: the server's pod listens on 15008 (HBONE), the client's namespace has the
# capture table, the plain pair has neither, and the server still sees the client's own address.
ip netns exec "${NS[mesh/server]}" ss -Hltn "src ${IP[mesh/server]}:15008" | grep -q LISTEN || { log "mesh/server has no HBONE listener"; exit 1; }
ip netns exec "${NS[mesh/client]}" nft list table inet maille_mesh >/dev/null 2>&1 || ip netns exec "${NS[mesh/client]}" nft list tables | grep -q maille_mesh \
  || { log "mesh/client has no capture table"; exit 1; }
if ip netns exec "${NS[plain/client]}" nft list tables 2>/dev/null | grep -q maille_mesh; then log "plain/client is captured"; exit 1; fi
after_ip="$(clientip mesh)"
[ "$before_ip" = "${IP[mesh/client]}" ] && [ "$after_ip" = "${IP[mesh/client]}" ] \
  || { log "mesh/server sees $before_ip before and $after_ip after meshing, not ${IP[mesh/client]}"; exit 1; }
log "warm-up 3: $WARMUP s at $RATE requests/s on each pair, mesh on"
warm_up 3
log "RSS: ${RSS_1} kB, ${RSS_2} kB without the mesh; ${RSS_3} kB with it (GC heap after a full GC: $HEAP_1, $HEAP_2; $HEAP_3 bytes)"

# A third node proxy: pod mesh/extra on node-3 joins the mesh, and warm-up 4 sends the same amount of traffic as
# warm-up 3 with one meshed stream to it (mesh/client -> mesh/extra) in place of the plain pair's. RSS_4 - RSS_3 is
# what one more proxy costs once the mesh's code is loaded: the margin, beside the average of step 1.
log "a third node proxy: pod mesh/extra on node-3"
python3 "$HELPER" gen-extra mesh >"$TMP/extra.yaml"
timeout 120 "$MAILLE" apply -f "$TMP/extra.yaml" --lab "$LAB" >/dev/null
for i in $(seq 1 150); do   # bounded: 30 s
  grep -q 'Mesh: mesh/extra joined' "$DAEMON_LOG" && break
  [ "$i" = 150 ] && { log "mesh/extra did not join the mesh within 30 s"; exit 1; }
  sleep 0.2
done
EXTRA_IP="$("$MAILLE" get pods -n mesh -o wide --lab "$LAB" | awk '$1 == "extra" { print $6 }')"
[ -n "$EXTRA_IP" ] || { log "no address for mesh/extra"; exit 1; }
log "warm-up 4: $WARMUP s at $RATE requests/s to mesh/server and to mesh/extra ($EXTRA_IP)"
load mesh "$WARMUP" "$TMP/w4-mesh.csv" >/dev/null
load mesh "$WARMUP" "$TMP/w4-extra.csv" "$EXTRA_IP" >/dev/null
HEAP_4="$(gc_heap)"
RSS_4="$(rss_kb)"
log "RSS with 3 node proxies: ${RSS_4} kB (GC heap $HEAP_4 bytes)"

# ---------------------------------------------------------------- 2. latency and CPU, rounds alternating
MID_LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq 1 "$ROUNDS"); do
  order="plain mesh"; [ $((r % 2)) = 0 ] && order="mesh plain"
  for ns in $order; do
    load "$ns" "$DUR" "$TMP/lat-$ns-$r.csv" >>"$TMP/res-$ns"
  done
  log "round $r/$ROUNDS: plain $(tail -1 "$TMP/res-plain" | cut -d' ' -f1,2,6) / mesh $(tail -1 "$TMP/res-mesh" | cut -d' ' -f1,2,6) (p50 ms, p99 ms, daemon CPU s)"
done
RSS_5="$(rss_kb)"
LAT_LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------- 3. TCP throughput
for ns in plain mesh; do
  ip netns exec "${NS[$ns/server]}" iperf3 -s -D -p 5202 --pidfile "$TMP/iperf-$ns.pid"
done
for i in $(seq 1 50); do [ -s "$TMP/iperf-plain.pid" ] && [ -s "$TMP/iperf-mesh.pid" ] && break; sleep 0.1; done
for r in $(seq 1 "$IPERF_ROUNDS"); do
  order="plain mesh"; [ $((r % 2)) = 0 ] && order="mesh plain"
  for ns in $order; do
    c0="$(cpu_ticks)"
    timeout $((IPERF_DUR + 30)) ip netns exec "${NS[$ns/client]}" iperf3 -c "${IP[$ns/server]}" -p 5202 -t "$IPERF_DUR" -J >"$TMP/iperf-$ns-$r.json" || true
    c1="$(cpu_ticks)"
    echo "$(python3 "$HELPER" iperf "$TMP/iperf-$ns-$r.json") $(awk -v t="$((c1 - c0))" -v hz="$TICKS" 'BEGIN { printf "%.2f", t / hz }')" >>"$TMP/tput-$ns"
  done
  log "iperf3 round $r/$IPERF_ROUNDS: plain $(tail -1 "$TMP/tput-plain" | cut -d' ' -f1) / mesh $(tail -1 "$TMP/tput-mesh" | cut -d' ' -f1) Gbit/s"
done
END_UTC="$(date -u +%H:%M:%SZ)"
END_LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------- report
col() { cut -d' ' -f"$2" "$1"; }
med() { python3 "$HELPER" median "$@"; }
verdict() { awk -v v="$1" -v g="$2" -v op="$3" 'BEGIN { ok = (op == "le") ? v <= g : v >= g; print ok ? "**met**" : "**not met**" }'; }
read -r P50 P99 PN <<<"$(python3 "$HELPER" pooled "$TMP"/lat-plain-*.csv)"
read -r M50 M99 MN <<<"$(python3 "$HELPER" pooled "$TMP"/lat-mesh-*.csv)"
ADD50="$(awk -v a="$M50" -v b="$P50" 'BEGIN { printf "%.1f", a - b }')"
ADD99="$(awk -v a="$M99" -v b="$P99" 'BEGIN { printf "%.1f", a - b }')"
# added p99 round by round (each round's two runs met the same moments of the machine's load)
read -r R99 R99LO R99HI <<<"$(med $(paste -d' ' <(col "$TMP/res-mesh" 2) <(col "$TMP/res-plain" 2) | awk '{ print $1 - $2 }'))"
read -r R50 R50LO R50HI <<<"$(med $(paste -d' ' <(col "$TMP/res-mesh" 1) <(col "$TMP/res-plain" 1) | awk '{ print $1 - $2 }'))"
# CPU: vCPU of the daemon per run (CPU s / DUR), normalised to 1,000 requests/s by the run's own rate
vcpu() { awk -v d="$DUR" '{ print $6 / d / ($4 / 1000) }' "$1"; }
read -r VP VPLO VPHI <<<"$(med $(vcpu "$TMP/res-plain"))"
read -r VM VMLO VMHI <<<"$(med $(vcpu "$TMP/res-mesh"))"
read -r VD VDLO VDHI <<<"$(med $(paste -d' ' <(vcpu "$TMP/res-mesh") <(vcpu "$TMP/res-plain") | awk '{ print $1 - $2 }'))"
VD1="$(awk -v v="$VD" -v n="$PROXIES" 'BEGIN { printf "%.3f", v / n }')"
MEM_CONTROL="$(awk -v a="$RSS_2" -v b="$RSS_1" 'BEGIN { printf "%.1f", (a - b) / 1024 }')"
MEM_DELTA="$(awk -v a="$RSS_3" -v b="$RSS_2" 'BEGIN { printf "%.1f", (a - b) / 1024 }')"
MEM_PER="$(awk -v a="$RSS_3" -v b="$RSS_2" -v n="$PROXIES" 'BEGIN { printf "%.1f", (a - b) / 1024 / n }')"
MEM_THIRD="$(awk -v a="$RSS_4" -v b="$RSS_3" 'BEGIN { printf "%.1f", (a - b) / 1024 }')"
read -r TP TPLO TPHI <<<"$(med $(col "$TMP/tput-plain" 1))"
read -r TM TMLO TMHI <<<"$(med $(col "$TMP/tput-mesh" 1))"
read -r TR TRLO TRHI <<<"$(med $(paste -d' ' <(col "$TMP/tput-mesh" 1) <(col "$TMP/tput-plain" 1) | awk '{ print $1 / $2 }'))"
read -r TCM _ _ <<<"$(med $(col "$TMP/tput-mesh" 3))"
read -r TCP_ _ _ <<<"$(med $(col "$TMP/tput-plain" 3))"
BAD="$(cat "$TMP/res-plain" "$TMP/res-mesh" | awk '{ s += $5 } END { print s + 0 }')"
REQ_ALL="$(awk -v a="$PN" -v b="$MN" 'BEGIN { print a + b }')"

echo
echo "Run $START_UTC – $END_UTC on Linux $(uname -r), $(nproc) cores, commit $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- src bench || echo ' (with uncommitted changes)'); hey $(dpkg-query -W -f '${Version}' hey 2>/dev/null), $(iperf3 --version | head -1 | cut -d' ' -f1,2)."
echo "Load average: at the start $START_LOAD, before the latency rounds $MID_LOAD, after them $LAT_LOAD, at the end $END_LOAD."
echo
echo "Latency and CPU: \`hey -z ${DUR}s -c $CONN -q $((RATE / CONN)) -o csv 'http://SERVER:8080/echo?msg=<1024 x>'\` from the client pod (node-1) to the server pod (node-2), $ROUNDS rounds alternating plain and mesh (order reversed every other round), after the warm-ups:"
echo
echo "| path | p50 ms (pooled) | p99 ms (pooled) | requests | daemon vCPU per 1,000 requests/s, median (min–max) |"
echo "|---|---:|---:|---:|---:|"
echo "| plain (namespace plain) | $P50 | $P99 | $PN | $VP ($VPLO–$VPHI) |"
echo "| mesh (namespace mesh, ambient) | $M50 | $M99 | $MN | $VM ($VMLO–$VMHI) |"
echo "| **added by the mesh** | **$ADD50** | **$ADD99** | | **$VD** ($VDLO–$VDHI), i.e. **$VD1 per node proxy** |"
echo
echo "Round by round, mesh minus plain: p50 $R50 ms ($R50LO–$R50HI), p99 $R99 ms ($R99LO–$R99HI). Answers other than 200: $BAD (beside $REQ_ALL answered 200)."
echo
echo "Memory (the daemon's VmRSS, median of $RSS_SAMPLES samples): ${RSS_1} kB after warm-up 1 without the mesh, ${RSS_2} kB after warm-up 2 (control: ${MEM_CONTROL} MB), ${RSS_3} kB with the mesh on after warm-up 3 (+${MEM_DELTA} MB for $PROXIES node proxies, i.e. **~${MEM_PER} MB per node proxy**, an estimate); ${RSS_4} kB with a third node proxy (node-3's, for pod mesh/extra) after warm-up 4 (**+${MEM_THIRD} MB** for it); ${RSS_5} kB after the latency rounds (no full GC before this one). $([ -n "$GCDUMP" ] && echo "Each RSS sample follows a full GC (dotnet-gcdump); the managed heap after it: $HEAP_1, $HEAP_2, $HEAP_3 and $HEAP_4 bytes." || echo "dotnet-gcdump was not found: no full GC before the samples.")"
echo
echo "TCP throughput: \`iperf3 -c SERVER -p 5202 -t $IPERF_DUR\` from the client pod, $IPERF_ROUNDS rounds alternating: plain $TP Gbit/s ($TPLO–$TPHI), mesh $TM Gbit/s ($TMLO–$TMHI); **mesh ÷ plain $TR** ($TRLO–$TRHI) round by round; the daemon's CPU over a mesh run ${TCM} s, over a plain run ${TCP_} s (${IPERF_DUR} s each)."
echo
echo "| measure | goal | measured | |"
echo "|---|---|---|---|"
echo "| added p99 (p50), 1 KB HTTP at $RATE requests/s | p99 added ≤ 1 ms | $ADD99 ms ($ADD50 ms) pooled; $R99 ms round-by-round median | $(verdict "$ADD99" 1 le) |"
echo "| CPU of the node proxies per 1,000 requests/s | ≤ 0.06 vCPU | $VD vCPU for both (source and destination), $VD1 per node proxy | per proxy $(verdict "$VD1" 0.06 le), both $(verdict "$VD" 0.06 le) |"
echo "| memory per node proxy | ≤ 12 MB | ~$MEM_PER MB on average for the first two (estimate; control drift $MEM_CONTROL MB), +$MEM_THIRD MB for a third | $(verdict "$(awk -v a="$MEM_PER" -v b="$MEM_THIRD" 'BEGIN { print (a > b) ? a : b }')" 12 le) (the larger of the two) |"
echo "| TCP throughput, mesh ÷ plain | ≥ 0.5 | $TR | $(verdict "$TR" 0.5 ge) |"
echo
echo "Raw runs (p50 ms, p99 ms, requests, requests/s, non-200, daemon CPU s; iperf3: Gbit/s received, retransmits, daemon CPU s):"
echo
echo '```'
for ns in plain mesh; do sed "s/^/latency $ns /" "$TMP/res-$ns"; done
for ns in plain mesh; do sed "s/^/iperf3 $ns /" "$TMP/tput-$ns"; done
echo '```'
