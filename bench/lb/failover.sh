#!/usr/bin/env bash
# LoadBalancer failover time in the live lab: the external client (198.18.0.2) sends an HTTP request to a
# LoadBalancer address every 50 ms; the node announcing the address is stopped (`maille node stop`); the gap is the
# time from the last reply before the failure to the first reply after it. Several rounds, each on a fresh lab.
# Usage (root): bench/lb/failover.sh [ROUNDS]   (default 5). Prints a markdown table.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MAILLE="$root/maille"
ROUNDS="${1:-5}"
LAB="bfail$$"
LAB="${LAB:0:10}"
TMP="$(mktemp -d)"
cleanup() { timeout 60 "$MAILLE" down --lab "$LAB" >/dev/null 2>&1 || true; rm -rf "$TMP"; }
trap cleanup EXIT

cat >"$TMP/lb.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {type: LoadBalancer, selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}
YAML

# The probe loop runs inside the external namespace: one HTTP GET every 50 ms, for at most 15 s,
# printing "ok|fail <monotonic seconds>" per attempt (250 ms timeout each, so a request lost in the failure does not hide the recovery).
cat >"$TMP/probe.py" <<'PY'
import socket, sys, time
address, stop_file = sys.argv[1], sys.argv[2]
deadline = time.monotonic() + 15
while time.monotonic() < deadline:
    started = time.monotonic()
    try:
        with socket.create_connection((address, 80), timeout=0.25) as s:
            s.sendall(b"GET /hostname HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            ok = s.recv(64).startswith(b"HTTP/1.1 200")
    except OSError:
        ok = False
    print(("ok" if ok else "fail"), f"{started:.4f}", flush=True)
    try:
        open(stop_file).close()
        break
    except FileNotFoundError:
        pass
    time.sleep(max(0, 0.05 - (time.monotonic() - started)))
PY

echo "| round | announcing node stopped | last reply before → first reply after (ms) |"
echo "|---|---|---|"
for round in $(seq 1 "$ROUNDS"); do
  timeout 120 "$MAILLE" up -f "$TMP/lb.yaml" --lab "$LAB" >/dev/null 2>&1
  address="$("$MAILLE" get svc web --lab "$LAB" -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"]["loadBalancer"]["ingress"][0]["ip"])')"
  owner=""
  for node in node-1 node-2 node-3; do
    ip -n "maille-$LAB-node-$node" -4 -o addr show eth0 | grep -q "inet $address/32" && owner="$node"
  done
  rm -f "$TMP/stop"
  ip netns exec "maille-$LAB-external" python3 "$TMP/probe.py" "$address" "$TMP/stop" >"$TMP/probe-$round.txt" &
  probe=$!
  sleep 2
  stopped_at="$(python3 -c 'import time; print(f"{time.monotonic():.4f}")')"
  "$MAILLE" node stop "$owner" --lab "$LAB" >/dev/null
  sleep 6
  touch "$TMP/stop"
  wait "$probe" || true
  gap="$(python3 - "$TMP/probe-$round.txt" "$stopped_at" <<'PY'
import sys
rows = [line.split() for line in open(sys.argv[1]) if line.strip()]
stopped = float(sys.argv[2])
before = [float(t) for s, t in rows if s == "ok" and float(t) < stopped]
after = [float(t) for s, t in rows if s == "ok" and float(t) >= stopped]
failed_after = [float(t) for s, t in rows if s == "fail" and float(t) >= stopped]
if not before or not after:
    print("no reply after the failure")
elif not failed_after:
    print(f"{(after[0] - before[-1]) * 1000:.0f} (no request failed)")
else:
    last_before = max(t for t in before + [float(t) for s, t in rows if s == "ok" and float(t) < failed_after[0]])
    first_after = min(t for t in after if t > failed_after[0])
    print(f"{(first_after - last_before) * 1000:.0f}")
PY
)"
  echo "| $round | $owner | $gap |"
  timeout 60 "$MAILLE" down --lab "$LAB" >/dev/null
done
