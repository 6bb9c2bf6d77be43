#!/usr/bin/env bash
# maille observe's throughput (issue 20): "20,000 new connections/s with no event lost silently". A lab of two pods on
# node-1 (bobs); a generator pod opens COUNT new UDP flows to the other at RATE per second (gen.py: each datagram a new
# 5-tuple, so a new conntrack entry and one NEW event in node-1's namespace); `maille observe --follow -o json` reads
# the stream meanwhile. Reported per run: flows sent, flows shown, losses reported (Lost lines), and what is left,
# the events lost silently (must be 0), with the rate achieved.
#
#   sudo bench/observe/run.sh                       # RATE=20000 COUNT=100000 RUNS=3, about a minute
#   sudo RATE=40000 COUNT=200000 bench/observe/run.sh
#   QUEUE=N                                          # maille up --flow-queue N (default: the daemon's, 65536)
#
# Bounded: COUNT flows per run (at most 200,000: UDP flows stay in conntrack 30 s, and the table holds 262,144), each
# run at most 60 s. Safety: only lab bobs's namespaces (made and removed by ./maille); addresses are the lab's own
# (198.18.0.0/15); nothing is added to the host namespace. Everything is removed on EXIT.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MAILLE="$ROOT/maille"
RATE="${RATE:-20000}"
COUNT="${COUNT:-100000}"
RUNS="${RUNS:-3}"
QUEUE="${QUEUE:-0}"
LAB=bobs
TMP="$(mktemp -d /tmp/maille-obsbench.XXXXXX)"
chmod 755 "$TMP"
OBSERVER=""

# shellcheck source=../lib.sh
. "$ROOT/bench/lib.sh"

cleanup() {
  local rc=$?
  set +e
  [ -n "$OBSERVER" ] && kill "$OBSERVER" 2>/dev/null
  bench_lab_down "$MAILLE" "$LAB"
  rm -rf "$TMP"
  bench_report_left "^maille-$LAB-"
  exit "$rc"
}
bench_on_exit cleanup
bench_require_root
[ "$COUNT" -le 200000 ] || { echo "COUNT is at most 200000 (conntrack holds each UDP flow 30 s)" >&2; exit 1; }
bench_require_no_lab "$LAB"

cat >"$TMP/lab.yaml" <<'YAML'
apiVersion: v1
kind: Namespace
metadata: {name: bench}
---
apiVersion: v1
kind: Pod
metadata: {name: gen, namespace: bench}
spec: {nodeName: node-1, containers: [{name: c}]}
---
apiVersion: v1
kind: Pod
metadata: {name: sink, namespace: bench}
spec: {nodeName: node-1, containers: [{name: c, ports: [{containerPort: 80, protocol: UDP}]}]}
YAML
cp "$ROOT/bench/observe/gen.py" "$TMP/gen.py"

log "building maille if needed"
timeout 900 "$MAILLE" --help >/dev/null 2>&1 || true
queue=(); [ "$QUEUE" != 0 ] && queue=(--flow-queue "$QUEUE")
timeout 300 "$MAILLE" up -f "$TMP/lab.yaml" --lab "$LAB" "${queue[@]}" >/dev/null 2>&1
SINK="$("$MAILLE" get pod sink -n bench --lab "$LAB" -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"]["podIP"])')"

echo "| run | rate asked | flows sent | seconds | rate sent | flows shown | lost (reported) | lost silently |"
echo "|---|---|---|---|---|---|---|---|"
for run in $(seq 1 "$RUNS"); do
  out="$TMP/observe-$run.jsonl"
  "$MAILLE" observe --lab "$LAB" --follow -o json --from bench/gen >"$out" 2>"$TMP/observe-$run.err" &
  OBSERVER=$!
  sleep 2
  secs="$(timeout 60 "$MAILLE" exec --lab "$LAB" bench/gen -- python3 "$TMP/gen.py" "$SINK" "$COUNT" "$RATE")"
  # Until nothing new comes for 2 s (at most 30 s): the daemon may still be resolving.
  last=-1; for _ in $(seq 1 30); do n="$(wc -l <"$out")"; [ "$n" = "$last" ] && break; last=$n; sleep 2; done
  kill "$OBSERVER" 2>/dev/null; wait "$OBSERVER" 2>/dev/null || true; OBSERVER=""
  python3 - "$out" "$COUNT" "$RATE" "$secs" "$run" <<'PY'
import json, sys
path, count, rate, secs, run = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
flows, lost, inexact, sources = set(), 0, False, {}
for line in open(path):
    item = json.loads(line)
    if item["kind"] == "Flow":
        flows.add((item["fromPort"], item["port"]))
    elif item["kind"] == "Lost":
        lost += item["count"]
        inexact |= not item["exact"]
        sources[item["source"]] = sources.get(item["source"], 0) + item["count"]
silent = count - len(flows) - lost
lost_text = f"{lost}{' (at least)' if inexact else ''}{' (' + ', '.join(f'{k} {v}' for k, v in sorted(sources.items())) + ')' if sources else ''}"
silent_text = f"{max(silent, 0)}" if not inexact or silent <= 0 else f"≤ {silent}"
print(f"| {run} | {rate:,} | {count:,} | {secs:.2f} | {count / secs:,.0f}/s | {len(flows):,} | {lost_text} | {silent_text} |")
PY
  # Each run's flows leave conntrack before the next (unreplied UDP: 30 s).
  [ "$run" -lt "$RUNS" ] && sleep 31
done
