#!/usr/bin/env bash
# Connect latency with 1,000 NetworkPolicies against none (issue 19: the ebpf data plane's goal is ≤ 1.1 ×), in both
# data planes side by side. Two labs, bcebpf (--dataplane ebpf) and bcnft (nftables), each with pod bench/client on
# node-1 and pods bench/server and bench/plain on node-2. POLICIES NetworkPolicies are applied to both (maille apply),
# each selecting the server and allowing the client on port 80 and on one port of its own, so that the server's
# ingress chain holds them all; no policy selects plain. Before anything is measured, a connect to port 81 (nothing
# listens) must be rejected at the server ("unreachable") and refused at plain, in both labs.
# Then ROUNDS rounds, each visiting the two labs in turn: the client runs in its lab's cgroup through `maille exec` and
# opens 2 x N sequential TCP connections, alternating between server:80 (judged through the 1,000 policies) and
# plain:80 (no policy), each timed around connect(). Alternating connection by connection in one process gives both
# destinations the same moments of the machine's load: on 2 shared cores, measuring "no policy" and "policies" one
# after the other (in one lab, or in two labs round by round) gave ratios from 0.25 to 3.3 for the same data plane.
# The report (stdout): p50 and p99 per lab and destination, and the ratio policies / no policy.
#
#   sudo bench/ebpf/connect.sh                    # about 2 minutes on 2 busy cores
#   sudo N=300 ROUNDS=10 POLICIES=1000 bench/ebpf/connect.sh
#
# Safety: only the namespaces of labs bcebpf and bcnft (maille-bcebpf-*, maille-bcnft-*, made and removed by
# ./maille); the BPF programs are attached in those namespaces and to each lab's own cgroup. Nothing is added to the
# host namespace; addresses are the labs' own (198.18.0.0/15). The labs go down on every way out (EXIT).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MAILLE="$ROOT/maille"
HELPER="$ROOT/bench/ebpf/connect.py"
N="${N:-500}"
ROUNDS="${ROUNDS:-20}"
POLICIES="${POLICIES:-1000}"
LABS=(bcebpf bcnft)
TMP="$(mktemp -d /tmp/maille-ebpfconnect.XXXXXX)"
chmod 755 "$TMP"
UP=()

# shellcheck source=../lib.sh
. "$ROOT/bench/lib.sh"

cleanup() {
  local rc=$?
  set +e
  for lab in "${UP[@]}"; do
    timeout 90 "$MAILLE" down --lab "$lab" >/dev/null 2>&1 || log "cleanup: down --lab $lab failed"
  done
  rm -rf "$TMP"
  bench_report_left '^maille-bc(ebpf|nft)-'
  exit "$rc"
}
bench_require_root
bench_on_exit cleanup

declare -A ADDRESS
dataplane() { [ "$1" = bcebpf ] && echo ebpf || echo nftables; }
in_client() { local lab=$1; shift; timeout 300 "$MAILLE" exec --lab "$lab" bench/client -- python3 "$HELPER" "$@"; }

# wait_for LAB POD ANSWER: port 81 of POD answers ANSWER to the client (at most 120 s)
wait_for() {
  local lab=$1 pod=$2 want=$3 got="" i
  for ((i = 0; i < 240; i++)); do
    got="$(in_client "$lab" check "${ADDRESS[$lab/$pod]}" 81)"
    [ "$got" = "$want" ] && return 0
    sleep 0.5
  done
  log "$lab: port 81 of $pod answers $got, not $want, after 120 s"
  exit 1
}

python3 "$HELPER" gen-lab >"$TMP/lab.yaml"
python3 "$HELPER" gen-policies "$POLICIES" >"$TMP/policies.yaml"
for lab in "${LABS[@]}"; do
  log "up $lab ($(dataplane "$lab"))"
  UP+=("$lab")
  timeout 300 "$MAILLE" up -f "$TMP/lab.yaml" --lab "$lab" --dataplane "$(dataplane "$lab")" >/dev/null
  for pod in server plain; do
    ADDRESS[$lab/$pod]="$("$MAILLE" get pods -n bench -o wide --lab "$lab" | awk -v pod="$pod" '$1 == pod { print $6 }')"
    [ -n "${ADDRESS[$lab/$pod]}" ] || { log "$lab: no address for bench/$pod"; exit 1; }
  done
  timeout 300 "$MAILLE" apply -f "$TMP/policies.yaml" --lab "$lab" >/dev/null
  wait_for "$lab" server unreachable
  wait_for "$lab" plain refused
  log "$lab: $POLICIES policies enforced on bench/server, none on bench/plain"
done

start_load="$(cut -d' ' -f1-3 /proc/loadavg)"
start_time="$(date -u '+%Y-%m-%d %H:%M')"
for ((r = 1; r <= ROUNDS; r++)); do
  for lab in "${LABS[@]}"; do
    in_client "$lab" connect "${ADDRESS[$lab/server]}" "${ADDRESS[$lab/plain]}" 80 "$N" "$TMP/lat-$lab-policies" "$TMP/lat-$lab-none"
  done
  [ $((r % 5)) = 0 ] && log "round $r/$ROUNDS"
done

echo "# connect latency, 2 x $N sequential connects per lab and round alternating between bench/plain and bench/server, $ROUNDS rounds, labs interleaved; $start_time–$(date -u +%H:%M) UTC; load average at the start $start_load, at the end $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| data plane | no policy (plain) p50 / p99 | $POLICIES policies (server) p50 / p99 | ratio p50 | ratio p99 | connects per destination |"
echo "|---|---:|---:|---:|---:|---:|"
for lab in "${LABS[@]}"; do
  read -r n50 n99 count < <(python3 "$HELPER" stats "$TMP/lat-$lab-none")
  read -r p50 p99 _ < <(python3 "$HELPER" stats "$TMP/lat-$lab-policies")
  read -r r50 r99 < <(python3 "$HELPER" ratio "$TMP/lat-$lab-none" "$TMP/lat-$lab-policies")
  echo "| $(dataplane "$lab") | $n50 / $n99 µs | $p50 / $p99 µs | $r50 | $r99 | $count |"
done
