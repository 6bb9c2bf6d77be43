#!/usr/bin/env bash
# The lab's Kubernetes API under kubectl's load (issue 15), on a lab of 1,000 pods (4 nodes x 250):
#   1. `kubectl get pods -A`: the server's answer to kubectl's Table request for 1,000 pods, and to a JSON list, ms
#      (client on loopback: request sent to body read); and kubectl's own wall time for the same command;
#   2. watch latency: a pod's label PATCHed, from the request sent to its event at a client watching the namespace
#      (the API publishes a change before it answers: the answer waits for the node agents);
#   3. 100 idle watchers: the PATCH's answer time with 100 watches open against without (phases without, with, without).
#
#   sudo bench/kube-api/run.sh            # about 2 minutes; the report goes to stdout, progress to stderr
#   ROUNDS=40 WATCHERS=100 NODES=4 PER=250
#
# Safety: one lab (bkapi), its namespaces made and removed by ./maille; the API listens on 127.0.0.1 only.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MAILLE="$ROOT/maille"
. "$ROOT/bench/lib.sh"
ROUNDS="${ROUNDS:-40}"
WATCHERS="${WATCHERS:-100}"
NODES="${NODES:-4}"
PER="${PER:-250}"
LAB=bkapi
TMP="$(mktemp -d /tmp/maille-kapi.XXXXXX)"
bench_require_root

cleanup() {
  local rc=$?
  timeout 90 "$MAILLE" down --lab "$LAB" --kubeconfig "$TMP/kubeconfig" >/dev/null 2>&1 || log "cleanup: down failed"
  rm -rf "$TMP"
  exit "$rc"
}
bench_on_exit cleanup

log "building maille if needed"
"$MAILLE" --version >/dev/null
{ echo "apiVersion: maille.dev/v1alpha1"; echo "kind: ClusterConfig"; echo "nodeCount: $NODES"; echo "podCIDRPrefix: 23"; } >"$TMP/config.yaml"
for n in $(seq 1 "$NODES"); do
  for i in $(seq 1 "$PER"); do
    printf -- '---\napiVersion: v1\nkind: Pod\nmetadata: {name: p%d-%d, namespace: default, labels: {app: bench}}\nspec:\n  nodeName: node-%d\n  containers:\n  - name: c\n    image: example/server\n    ports: [{containerPort: 80, protocol: TCP}]\n' "$n" "$i" "$n"
  done
done >"$TMP/pods.yaml"
log "lab $LAB: up ($NODES nodes x $PER pods)"
"$MAILLE" up -f "$TMP/pods.yaml" --config "$TMP/config.yaml" --lab "$LAB" --kubeconfig "$TMP/kubeconfig" >/dev/null
"$MAILLE" kubeconfig --lab "$LAB" >"$TMP/standalone"
chmod 600 "$TMP/standalone"

log "list rounds"
LIST="$(python3 "$ROOT/bench/kube-api/kubeapi.py" "$TMP/standalone" list "$ROUNDS")"
log "kubectl get pods -A, $ROUNDS times"
KUBECTL=()
for _ in $(seq 1 "$ROUNDS"); do
  s=$(date +%s%N); KUBECONFIG="$TMP/standalone" kubectl get pods -A >/dev/null; e=$(date +%s%N)
  KUBECTL+=("$(( (e - s) / 1000 ))")
done
log "watch rounds ($WATCHERS idle watchers every other round)"
WATCH="$(DAEMON_PID="$(cat "/run/maille/$LAB/daemon.pid")" python3 "$ROOT/bench/kube-api/kubeapi.py" "$TMP/standalone" watch "$ROUNDS" "$WATCHERS")"

python3 - "$LIST" "$WATCH" "${KUBECTL[@]}" <<'PY'
import json, statistics, sys
lst, watch = json.loads(sys.argv[1]), json.loads(sys.argv[2])
kubectl = sorted(int(x) / 1000 for x in sys.argv[3:])
f = lambda s: f"{s[0]:.1f} | {s[1]:.1f} | {s[2]:.1f}–{s[3]:.1f}"
print(f"| measure | median ms | p90 ms | min–max ms | goal |")
print(f"|---|---:|---:|---|---|")
print(f"| GET /api/v1/pods, kubectl's Table, {lst['rows']} rows (server answer, loopback) | {f(lst['table'])} | < 200: {'met' if lst['table'][0] < 200 else 'missed'} |")
print(f"| GET /api/v1/pods, JSON list | {f(lst['json'])} | |")
k = (statistics.median(kubectl), kubectl[min(len(kubectl) - 1, int(len(kubectl) * 0.9))], kubectl[0], kubectl[-1])
print(f"| `kubectl get pods -A` wall time (process start to exit) | {f(k)} | |")
e = watch["event_after_sent"]
print(f"| watch: PATCH sent → its event at a client watching the namespace ({watch['events']} events) | {f(e)} | median < 20: {'met' if e[0] < 20 else 'missed'} |")
print(f"| PATCH of a label, answer time, no other watch | {f(watch['without'])} | |")
ratio = watch['with'][0] / watch['without'][0]
print(f"| PATCH of a label, answer time, {watch['watchers']} idle watches open | {f(watch['with'])} | ratio of medians {ratio:.3f}: < 1.10 {'met' if ratio < 1.10 else 'missed'} |")
d = watch.get("daemon_cpu_ms_per_round")
if d:
    c = watch.get("crowd_cpu_ms_per_round")
    print(f"| lab daemon CPU per PATCH round (the PATCH, its event, the 100 ms pause, the lab's background), without / with the watches (ms) | {d['without']:.1f} / {d['with']:.1f} | | | |")
    if c is not None:
        print(f"| the crowd's CPU per PATCH round (its own process, ms) | {c:.1f} | | | the clients' cost, on the same two cores |")
print(f"\nThe crowd ran as {watch['crowd']} (CROWD). Watchers of the crowd that missed the last round's event: {watch['crowd_missing_last']} of {watch['watchers']}.")
PY
