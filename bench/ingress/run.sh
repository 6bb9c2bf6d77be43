#!/usr/bin/env bash
# Maille's Ingress proxy against nginx (issue 8), on ONE lab, in one run: wrk from the lab's external client
# (198.18.0.2) to the same route (Host bench.example, GET /api/items -> Service api, 2 pods), through Maille's
# controller (LoadBalancer Service maille-system/maille-ingress, port 80) and through nginx (LoadBalancer Service
# maille-system/bench-nginx, port 80 -> 8080), several rounds alternating A/B (order reversed every other round).
#
#   sudo bench/ingress/run.sh                  # about 4 minutes; the report (markdown) goes to stdout, progress to stderr
#   sudo ROUNDS=4 DUR=8 bench/ingress/run.sh   # shorter (variables go after sudo)
#   ROUNDS=6 DUR=10 CONN=64 THREADS=2 WARMUP=5  # rounds, seconds per wrk run, connections, wrk threads, warm-up seconds
#
# Fairness: the lab's input brings the controller itself (one pod, pinned to node-1) and two LoadBalancer Services
# that select that one pod, both with externalTrafficPolicy: Local, so both addresses are announced by node-1 and a
# request takes exactly the same path to either proxy: external -> node-1 (DNAT) -> the controller pod's namespace.
# There Maille's proxy (in the lab daemon's process) listens on 80 and nginx on 8080; both connect to the same two
# api pod endpoints (pod IP:8080, node-2 and node-3) from that same namespace, round robin, HTTP/1.1 with keep-alive
# to the backends, set the same forwarding headers and write one access-log line per request (Maille: the daemon's
# log; nginx: a file). nginx runs `worker_processes auto` (one per core). The backends are the lab's pod server, in
# the daemon's process, for both. Every process shares the same 2 cores with wrk and whatever else runs.
#
# Safety: only lab bingress's namespaces (made and removed by ./maille) and nginx inside the controller pod's
# namespace (stopped on EXIT). Nothing in the host namespace; addresses are the lab's own (198.18.0.0/15).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MAILLE="$ROOT/maille"
ROUNDS="${ROUNDS:-6}"
DUR="${DUR:-10}"
CONN="${CONN:-64}"
THREADS="${THREADS:-2}"
WARMUP="${WARMUP:-5}"
LAB=bingress
HOST=bench.example
TARGET=/api/items
TMP="$(mktemp -d /tmp/maille-bingress.XXXXXX)"
chmod 755 "$TMP"
LAB_UP=0

# shellcheck source=../lib.sh
. "$ROOT/bench/lib.sh"

cleanup() {
  local rc=$?
  set +e
  [ -f "$TMP/nginx.pid" ] && kill "$(cat "$TMP/nginx.pid")" 2>/dev/null && sleep 0.5
  [ "$LAB_UP" = 1 ] && bench_lab_down "$MAILLE" "$LAB"
  rm -rf "$TMP"
  bench_report_left "^maille-$LAB-"
  exit "$rc"
}
bench_on_exit cleanup
bench_require_root
bench_require_no_lab "$LAB"

# ---------------------------------------------------------------- tools
bench_need_pkg wrk wrk
bench_need_pkg nginx nginx-light
bench_need_pkg curl curl
log "building maille if needed"
timeout 900 "$MAILLE" --help >/dev/null 2>&1 || true
START_UTC="$(date -u +%Y-%m-%dT%H:%M:%SZ)"

# ---------------------------------------------------------------- the lab
cat >"$TMP/lab.yaml" <<'YAML'
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: maille, annotations: {ingressclass.kubernetes.io/is-default-class: "true"}}
spec: {controller: maille.dev/ingress-controller}
---
apiVersion: v1
kind: Namespace
metadata: {name: maille-system}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: maille-ingress, namespace: maille-system}
spec:
  replicas: 1
  selector: {matchLabels: {app.kubernetes.io/name: maille-ingress}}
  template:
    metadata: {labels: {app.kubernetes.io/name: maille-ingress}}
    spec:
      nodeName: node-1
      containers:
      - name: controller
        ports: [{name: http, containerPort: 80}, {name: https, containerPort: 443}, {name: metrics, containerPort: 10254}]
---
apiVersion: v1
kind: Service
metadata: {name: maille-ingress, namespace: maille-system}
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  selector: {app.kubernetes.io/name: maille-ingress}
  ports: [{name: http, port: 80, targetPort: http}, {name: https, port: 443, targetPort: https}]
---
apiVersion: v1
kind: Service
metadata: {name: bench-nginx, namespace: maille-system}
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  selector: {app.kubernetes.io/name: maille-ingress}
  ports: [{name: http, port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Pod
metadata: {name: api-1, labels: {app: api}}
spec: {nodeName: node-2, containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: api-2, labels: {app: api}}
spec: {nodeName: node-3, containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web-1, labels: {app: web}}
spec: {nodeName: node-2, containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: api}
spec: {selector: {app: api}, ports: [{name: http, port: 80, targetPort: http}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{name: http, port: 80, targetPort: http}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: bench}
spec:
  rules:
  - host: bench.example
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
      - {path: /api, pathType: Prefix, backend: {service: {name: api, port: {name: http}}}}
YAML

log "lab $LAB: up (3 nodes)"
LAB_UP=1
timeout 300 "$MAILLE" up -f "$TMP/lab.yaml" --lab "$LAB" >"$TMP/up.out" 2>&1 || { cat "$TMP/up.out" >&2; exit 1; }
json() { "$MAILLE" get "$@" --lab "$LAB" -o json; }
field() { python3 -c 'import json, sys; d = json.load(sys.stdin)
for k in sys.argv[1].split("."): d = d[int(k)] if k.isdigit() else d[k]
print(d)' "$1"; }
LB_MAILLE="$(json svc maille-ingress -n maille-system | field status.loadBalancer.ingress.0.ip)"
LB_NGINX="$(json svc bench-nginx -n maille-system | field status.loadBalancer.ingress.0.ip)"
CTRL="$(json pods -n maille-system | field items.0.metadata.name)"
CTRL_IP="$(json pods -n maille-system | field items.0.status.podIP)"
API_1="$(json pod api-1 | field status.podIP)"
API_2="$(json pod api-2 | field status.podIP)"
WEB_1="$(json pod web-1 | field status.podIP)"
CTRL_NS="maille-$LAB-pod-$(printf '%s' "maille-system/$CTRL" | sha256sum | cut -c1-12)"
EXT="maille-$LAB-external"
ip -n "$CTRL_NS" -4 -o addr show dev eth0 | grep -q " $CTRL_IP/" || { log "controller pod $CTRL ($CTRL_IP) is not in $CTRL_NS"; exit 1; }
for a in "$LB_MAILLE" "$LB_NGINX"; do   # the speaker announces within moments of `up` (bounded: 10 s)
  for i in $(seq 1 100); do
    ip -n "maille-$LAB-node-node-1" -4 -o addr show dev eth0 | grep -q " $a/32" && break
    [ "$i" = 100 ] && { log "$a is not announced by node-1"; exit 1; }
    sleep 0.1
  done
done
log "controller pod $CTRL ($CTRL_IP, node-1); Maille at $LB_MAILLE:80, nginx at $LB_NGINX:80 (-> 8080); api endpoints $API_1 $API_2"

# ---------------------------------------------------------------- nginx in the controller pod's namespace
mkdir -p "$TMP/nginx"
cat >"$TMP/nginx.conf" <<NGINX
worker_processes auto;
pid $TMP/nginx.pid;
error_log $TMP/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log $TMP/nginx/access.log;
  client_body_temp_path $TMP/nginx/body;
  proxy_temp_path $TMP/nginx/proxy;
  fastcgi_temp_path $TMP/nginx/fastcgi;
  uwsgi_temp_path $TMP/nginx/uwsgi;
  scgi_temp_path $TMP/nginx/scgi;
  keepalive_requests 1000000;
  upstream api { server $API_1:8080; server $API_2:8080; keepalive 64; }
  upstream web { server $WEB_1:8080; keepalive 64; }
  server {
    listen 8080 default_server;
    server_name $HOST;
    # Ingress Prefix /api: the path /api itself and everything under /api/ (not /apixyz), like Maille's router.
    location = /api { proxy_pass http://api; include $TMP/proxy.conf; }
    location /api/ { proxy_pass http://api; include $TMP/proxy.conf; }
    location / { proxy_pass http://web; include $TMP/proxy.conf; }
  }
}
NGINX
cat >"$TMP/proxy.conf" <<'NGINX'
proxy_http_version 1.1;
proxy_set_header Connection "";
proxy_set_header Host $host;
proxy_set_header X-Forwarded-For $remote_addr;
proxy_set_header X-Real-IP $remote_addr;
proxy_set_header X-Forwarded-Proto $scheme;
proxy_set_header X-Forwarded-Host $host;
NGINX
ip netns exec "$CTRL_NS" nginx -c "$TMP/nginx.conf" -e "$TMP/nginx/error.log"
for i in $(seq 1 50); do [ -s "$TMP/nginx.pid" ] && break; sleep 0.1; done
NGINX_VERSION="$(nginx -v 2>&1 | sed 's/.*nginx\///')"

# Both answer the route the same way before anything is measured.
for spec in "maille $LB_MAILLE" "nginx $LB_NGINX"; do
  read -r name addr <<<"$spec"
  body="$(ip netns exec "$EXT" curl -s -m 5 -H "Host: $HOST" "http://$addr$TARGET")"
  pod="$(printf '%s' "$body" | field pod 2>/dev/null || true)"
  [ "$pod" = default/api-1 ] || [ "$pod" = default/api-2 ] || { log "$name at $addr answered: $body"; exit 1; }
done

# ---------------------------------------------------------------- measurement
DAEMON_PID="$(cat "/run/maille/$LAB/daemon.pid")"
TICKS="$(getconf CLK_TCK)"
cpu_of() { # pids -> user+system seconds of them and their threads (children of nginx's master are listed too)
  local total=0 p
  for p in "$@"; do
    [ -r "/proc/$p/stat" ] && total=$((total + $(awk '{ print $14 + $15 }' "/proc/$p/stat")))
  done
  echo "$total"
}
nginx_pids() { echo "$(cat "$TMP/nginx.pid") $(pgrep -P "$(cat "$TMP/nginx.pid")" | tr '\n' ' ')"; }

# one wrk run: prints "req/s p99_ms non2xx errors daemon_cpu_s nginx_cpu_s"
run_wrk() { # name address seconds
  local name=$1 addr=$2 secs=$3 out d0 n0 d1 n1
  out="$TMP/wrk-$name-$(date +%s%N).txt"
  d0="$(cpu_of "$DAEMON_PID")"; n0="$(cpu_of $(nginx_pids))"
  timeout $((secs + 30)) ip netns exec "$EXT" wrk -t"$THREADS" -c"$CONN" -d"${secs}s" --latency -H "Host: $HOST" "http://$addr$TARGET" >"$out" 2>&1
  d1="$(cpu_of "$DAEMON_PID")"; n1="$(cpu_of $(nginx_pids))"
  awk -v d="$((d1 - d0))" -v n="$((n1 - n0))" -v hz="$TICKS" '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec:/ { rps = $2 }
    $1 == "99%" { p99 = ms($2) }
    /Non-2xx or 3xx responses:/ { bad = $5 }
    /Socket errors:/ { err = $4 + $6 + $8 + $10 }
    END { printf "%.0f %.3f %d %d %.2f %.2f\n", rps, p99, bad, err, d / hz, n / hz }' "$out"
}

log "warm-up: $WARMUP s each"
run_wrk maille "$LB_MAILLE" "$WARMUP" >/dev/null
run_wrk nginx "$LB_NGINX" "$WARMUP" >/dev/null
for r in $(seq 1 "$ROUNDS"); do
  order="maille nginx"; [ $((r % 2)) = 0 ] && order="nginx maille"
  for name in $order; do
    addr="$LB_MAILLE"; [ "$name" = nginx ] && addr="$LB_NGINX"
    run_wrk "$name" "$addr" "$DUR" >>"$TMP/res-$name"
  done
  log "round $r/$ROUNDS: maille $(tail -1 "$TMP/res-maille" | cut -d' ' -f1,2) / nginx $(tail -1 "$TMP/res-nginx" | cut -d' ' -f1,2) (req/s, p99 ms)"
done
END_UTC="$(date -u +%H:%M:%SZ)"
sleep 1   # the last access-log batch
LOG_MAILLE="$(grep -c ' via maille-system/' "/run/maille/$LAB/daemon.log" || true)"
LOG_NGINX="$(wc -l <"$TMP/nginx/access.log")"
LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------- report
stats() { # file column -> "median min max"
  cut -d' ' -f"$2" "$1" | sort -g | awk '{ v[NR] = $1 } END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%s %s %s\n", m, v[1], v[NR] }'
}
paired() { # column -> "median min max" of maille_i / nginx_i
  paste -d' ' <(cut -d' ' -f"$1" "$TMP/res-maille") <(cut -d' ' -f"$1" "$TMP/res-nginx") | awk '{ print $1 / $2 }' | sort -g \
    | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.3f %.3f %.3f\n", m, v[1], v[NR] }'
}
sum() { cut -d' ' -f"$2" "$1" | awk '{ s += $1 } END { print s + 0 }'; }

echo
echo "Run $START_UTC – $END_UTC on Linux $(uname -r), $(nproc) cores, load at the end $LOAD; $(wrk -v 2>&1 | head -1 | cut -d' ' -f1,2), nginx $NGINX_VERSION, commit $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet || echo ' (with uncommitted changes)')"
echo
echo "\`wrk -t$THREADS -c$CONN -d${DUR}s --latency -H 'Host: $HOST' http://LB$TARGET\` from the external client, $ROUNDS rounds alternating (order reversed every other round), after a ${WARMUP} s warm-up of each:"
echo
echo "| proxy | requests/s median (min–max) | p99 ms median (min–max) | non-2xx | socket errors | daemon CPU s per run, median | nginx CPU s per run, median |"
echo "|---|---|---|---:|---:|---:|---:|"
for name in maille nginx; do
  read -r rm rlo rhi <<<"$(stats "$TMP/res-$name" 1)"
  read -r pm plo phi <<<"$(stats "$TMP/res-$name" 2)"
  read -r dm _ _ <<<"$(stats "$TMP/res-$name" 5)"
  read -r nm _ _ <<<"$(stats "$TMP/res-$name" 6)"
  label="Maille (YARP) at $LB_MAILLE:80"; [ "$name" = nginx ] && label="nginx at $LB_NGINX:80"
  echo "| $label | $rm ($rlo–$rhi) | $pm ($plo–$phi) | $(sum "$TMP/res-$name" 3) | $(sum "$TMP/res-$name" 4) | $dm | $nm |"
done
read -r rr rrlo rrhi <<<"$(paired 1)"
read -r pr prlo prhi <<<"$(paired 2)"
# CPU per request, less sensitive to the machine's other load than requests/s: nginx's own processes; for Maille the
# daemon's CPU minus its backends' share (the pod server answers in the daemon's process for both proxies, so the
# daemon's CPU per request during the nginx runs is what the backends cost).
cpu_us() { # file column -> total CPU s of that column / total requests, in µs
  awk -v c="$2" -v d="$DUR" '{ cpu += $c; req += $1 * d } END { printf "%.1f", cpu / req * 1e6 }' "$1"; }
BACKEND_US="$(cpu_us "$TMP/res-nginx" 5)"
MAILLE_US="$(awk -v a="$(cpu_us "$TMP/res-maille" 5)" -v b="$BACKEND_US" 'BEGIN { printf "%.1f", a - b }')"
NGINX_US="$(cpu_us "$TMP/res-nginx" 6)"
echo
echo "Maille / nginx, round by round: requests/s $rr ($rrlo–$rrhi), p99 $pr ($prlo–$prhi)."
echo "CPU per request over all rounds: Maille's proxy $MAILLE_US µs (the daemon's CPU per request minus the backends' $BACKEND_US µs), nginx $NGINX_US µs; ratio $(awk -v a="$MAILLE_US" -v b="$NGINX_US" 'BEGIN { printf "%.2f", a / b }')."
echo "Goal (requests/s ≥ nginx's at a p99 no worse): $(awk -v r="$rr" -v p="$pr" 'BEGIN { print (r >= 1 && p <= 1) ? "met" : "missed" }')."
echo "Access-log lines written (warm-up included): Maille $LOG_MAILLE (the daemon's log), nginx $LOG_NGINX (its file)."
echo
echo "Raw runs (req/s, p99 ms, non-2xx, socket errors, daemon CPU s, nginx CPU s):"
echo
echo '```'
for name in maille nginx; do sed "s/^/$name /" "$TMP/res-$name"; done
echo '```'
