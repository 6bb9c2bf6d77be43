#!/usr/bin/env bash
# Maille's Ingress and Gateway proxy against nginx and HAProxy (issues 8 and 17), on ONE lab, in one run: wrk from the
# lab's external client (198.18.0.2) to the same route (Host bench.example, GET /api/items -> Service api, 2 pods),
# through Maille's Ingress controller (LoadBalancer Service maille-system/maille-ingress, port 80), Maille's Gateway
# proxy (Gateway default/bench, through a LoadBalancer Service bench-gateway beside its own, port 80), nginx (LoadBalancer Service
# maille-system/bench-nginx, port 80 -> 8080) and HAProxy (maille-system/bench-haproxy, port 80 -> 8081), several
# rounds, the order of the sides rotated every round.
#
#   sudo bench/ingress/run.sh                  # about 6 minutes; the report (markdown) goes to stdout, progress to stderr
#   sudo ROUNDS=4 DUR=8 bench/ingress/run.sh   # shorter (variables go after sudo)
#   ROUNDS=6 DUR=10 CONN=64 THREADS=2 WARMUP=5  # rounds, seconds per wrk run, connections, wrk threads, warm-up seconds
#   SIDES="ingress nginx"                      # only some of the sides (ingress, gateway, nginx, haproxy)
#
# Fairness: the lab's input brings the Ingress controller itself (one pod, pinned to node-1), and the Gateway's proxy
# pod is placed on node-1 too (the scheduler takes the node with the fewest pods; a pinned filler pod on node-3 makes
# that node-1; the script checks it). Every side's LoadBalancer Service has externalTrafficPolicy: Local, so every
# address is announced by node-1 and a request takes the same path to each proxy: external -> node-1 (DNAT) -> the
# proxy's pod namespace on node-1. Maille's Ingress proxy listens on 80 in the controller pod, nginx on 8080 and
# HAProxy on 8081 in that same pod's namespace, Maille's Gateway proxy on 80 in the Gateway's pod (node-1). All four
# connect to the same two api pod endpoints (pod IP:8080, node-2 and node-3), round robin, HTTP/1.1 with keep-alive
# to the backends, set the same forwarding headers and write one access-log line per request (Maille: the daemon's
# log; nginx: a file; HAProxy: its standard output to a file). nginx runs `worker_processes auto` and HAProxy
# `nbthread` (one per core). Maille's proxies and the backends (the lab's pod server) run in the lab daemon's process.
# Every process shares the same 2 cores with wrk and whatever else runs.
#
# Safety: only lab bingress's namespaces (made and removed by ./maille), and nginx and HAProxy inside the controller
# pod's namespace (stopped on EXIT). Nothing in the host namespace; addresses are the lab's own (198.18.0.0/15).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MAILLE="$ROOT/maille"
ROUNDS="${ROUNDS:-6}"
DUR="${DUR:-10}"
CONN="${CONN:-64}"
THREADS="${THREADS:-2}"
WARMUP="${WARMUP:-5}"
SIDES="${SIDES:-ingress gateway nginx haproxy}"
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
  [ -n "${HAPROXY_PID:-}" ] && kill "$HAPROXY_PID" 2>/dev/null && sleep 0.5
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
bench_need_pkg haproxy haproxy
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
kind: Service
metadata: {name: bench-haproxy, namespace: maille-system}
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  selector: {app.kubernetes.io/name: maille-ingress}
  ports: [{name: http, port: 80, targetPort: 8081}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: maille}
spec: {controllerName: maille.dev/gateway-controller}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: bench}
spec:
  gatewayClassName: maille
  listeners: [{name: http, protocol: HTTP, port: 80}]
---
# A second LoadBalancer Service for the Gateway's proxy pod, with externalTrafficPolicy: Local as the others (the one
# the controller makes, maille-gateway-bench, has the default Cluster policy; a Service of that name written here would
# stand for it, and the controller then provisions no proxy).
apiVersion: v1
kind: Service
metadata: {name: bench-gateway}
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  selector: {gateway.networking.k8s.io/gateway-name: bench}
  ports: [{name: http, port: 80, targetPort: 80}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: bench}
spec:
  parentRefs: [{name: bench}]
  hostnames: [bench.example]
  rules:
  - backendRefs: [{name: web, port: 80}]
  - matches: [{path: {type: PathPrefix, value: /api}}]
    backendRefs: [{name: api, port: 80}]
---
apiVersion: v1
kind: Pod
metadata: {name: filler, labels: {app: filler}}
spec: {nodeName: node-3, containers: [{name: c}]}
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
lb_of() { json svc "$@" | field status.loadBalancer.ingress.0.ip; }
declare -A ADDR LABEL
ADDR[ingress]="$(lb_of maille-ingress -n maille-system)"
ADDR[gateway]="$(lb_of bench-gateway)"
ADDR[nginx]="$(lb_of bench-nginx -n maille-system)"
ADDR[haproxy]="$(lb_of bench-haproxy -n maille-system)"
CTRL="$(json pods -n maille-system | field items.0.metadata.name)"
CTRL_IP="$(json pods -n maille-system | field items.0.status.podIP)"
GW_POD="$(json pods | python3 -c 'import json, sys
print(" ".join(p["metadata"]["name"] + " " + p["spec"]["nodeName"] for p in json.load(sys.stdin)["items"]
               if p["metadata"].get("labels", {}).get("gateway.networking.k8s.io/gateway-name") == "bench"))')"
read -r GW_NAME GW_NODE <<<"$GW_POD"
[ "$GW_NODE" = node-1 ] || { log "the Gateway's proxy pod ($GW_POD) is not on node-1: the paths would differ"; exit 1; }
API_1="$(json pod api-1 | field status.podIP)"
API_2="$(json pod api-2 | field status.podIP)"
WEB_1="$(json pod web-1 | field status.podIP)"
CTRL_NS="maille-$LAB-pod-$(printf '%s' "maille-system/$CTRL" | sha256sum | cut -c1-12)"
EXT="maille-$LAB-external"
ip -n "$CTRL_NS" -4 -o addr show dev eth0 | grep -q " $CTRL_IP/" || { log "controller pod $CTRL ($CTRL_IP) is not in $CTRL_NS"; exit 1; }
for side in ingress gateway nginx haproxy; do   # the speaker announces within moments of `up` (bounded: 10 s)
  a="${ADDR[$side]}"
  for i in $(seq 1 100); do
    ip -n "maille-$LAB-node-node-1" -4 -o addr show dev eth0 | grep -q " $a/32" && break
    [ "$i" = 100 ] && { log "$a ($side) is not announced by node-1"; exit 1; }
    sleep 0.1
  done
done
LABEL[ingress]="Maille's Ingress proxy (YARP) at ${ADDR[ingress]}:80"
LABEL[gateway]="Maille's Gateway proxy (YARP) at ${ADDR[gateway]}:80"
LABEL[nginx]="nginx at ${ADDR[nginx]}:80"
LABEL[haproxy]="HAProxy at ${ADDR[haproxy]}:80"
log "controller pod $CTRL ($CTRL_IP, node-1), Gateway pod $GW_NAME (node-1); Ingress at ${ADDR[ingress]}, Gateway at ${ADDR[gateway]}, nginx at ${ADDR[nginx]} (-> 8080), HAProxy at ${ADDR[haproxy]} (-> 8081); api endpoints $API_1 $API_2"

# ---------------------------------------------------------------- nginx and HAProxy in the controller pod's namespace
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

# HAProxy: one process, one thread per core, HTTP mode with keep-alive both ways and idle backend connections reused
# by any client (http-reuse always, as nginx's keepalive pool), the same route and headers, and one log line per
# request (option httplog) written to its standard output, kept in a file.
cat >"$TMP/haproxy.cfg" <<HAPROXY
global
  nbthread $(nproc)
  maxconn 4096
  log stdout format raw local0
defaults
  mode http
  log global
  option httplog
  option http-keep-alive
  http-reuse always
  timeout connect 5s
  timeout client 60s
  timeout server 60s
frontend bench
  bind :8081
  option forwardfor
  http-request set-header X-Real-IP %[src]
  http-request set-header X-Forwarded-Proto http
  http-request set-header X-Forwarded-Host %[req.hdr(host)]
  # Ingress Prefix /api: the path /api itself and everything under /api/ (not /apixyz), like Maille's router.
  use_backend api if { path /api } || { path_beg /api/ }
  default_backend web
backend api
  balance roundrobin
  server api-1 $API_1:8080
  server api-2 $API_2:8080
backend web
  server web-1 $WEB_1:8080
HAPROXY
haproxy -c -q -f "$TMP/haproxy.cfg" || { log "haproxy refused its configuration"; exit 1; }
ip netns exec "$CTRL_NS" haproxy -db -f "$TMP/haproxy.cfg" >"$TMP/haproxy.log" 2>"$TMP/haproxy.err" &
HAPROXY_PID=$!
for i in $(seq 1 50); do ip netns exec "$CTRL_NS" ss -ltn | grep -q ':8081 ' && break; sleep 0.1; done
HAPROXY_VERSION="$(haproxy -v 2>&1 | awk 'NR == 1 { print $3 }')"

# Every side answers the route the same way before anything is measured.
for side in $SIDES; do
  body="$(ip netns exec "$EXT" curl -s -m 5 -H "Host: $HOST" "http://${ADDR[$side]}$TARGET" || true)"
  pod="$(printf '%s' "$body" | field pod 2>/dev/null || true)"
  [ "$pod" = default/api-1 ] || [ "$pod" = default/api-2 ] || {
    log "$side at ${ADDR[$side]} answered: ${body:-nothing}"; [ "$side" = haproxy ] && cat "$TMP/haproxy.err" >&2; exit 1; }
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

# one wrk run: prints "req/s p99_ms non2xx errors daemon_cpu_s nginx_cpu_s haproxy_cpu_s"
run_wrk() { # side seconds
  local side=$1 secs=$2 out d0 n0 h0 d1 n1 h1
  out="$TMP/wrk-$side-$(date +%s%N).txt"
  d0="$(cpu_of "$DAEMON_PID")"; n0="$(cpu_of $(nginx_pids))"; h0="$(cpu_of "$HAPROXY_PID")"
  timeout $((secs + 30)) ip netns exec "$EXT" wrk -t"$THREADS" -c"$CONN" -d"${secs}s" --latency -H "Host: $HOST" "http://${ADDR[$side]}$TARGET" >"$out" 2>&1
  d1="$(cpu_of "$DAEMON_PID")"; n1="$(cpu_of $(nginx_pids))"; h1="$(cpu_of "$HAPROXY_PID")"
  awk -v d="$((d1 - d0))" -v n="$((n1 - n0))" -v h="$((h1 - h0))" -v hz="$TICKS" '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec:/ { rps = $2 }
    $1 == "99%" { p99 = ms($2) }
    /Non-2xx or 3xx responses:/ { bad = $5 }
    /Socket errors:/ { err = $4 + $6 + $8 + $10 }
    END { printf "%.0f %.3f %d %d %.2f %.2f %.2f\n", rps, p99, bad, err, d / hz, n / hz, h / hz }' "$out"
}

read -r -a SIDE_LIST <<<"$SIDES"
log "warm-up: $WARMUP s each"
for side in "${SIDE_LIST[@]}"; do run_wrk "$side" "$WARMUP" >/dev/null; done
for r in $(seq 1 "$ROUNDS"); do
  n=${#SIDE_LIST[@]}; order=()
  for k in $(seq 0 $((n - 1))); do order+=("${SIDE_LIST[$(((k + r - 1) % n))]}"); done   # rotated every round
  for side in "${order[@]}"; do run_wrk "$side" "$DUR" >>"$TMP/res-$side"; done
  log "round $r/$ROUNDS (req/s, p99 ms): $(for side in "${SIDE_LIST[@]}"; do printf '%s %s / ' "$side" "$(tail -1 "$TMP/res-$side" | cut -d' ' -f1,2)"; done)"
done
END_UTC="$(date -u +%H:%M:%SZ)"
sleep 1   # the last access-log batch
LOG_INGRESS="$(grep -cE ' ingress=([^ /]*/)?bench ' "/run/maille/$LAB/daemon.log" || true)"
LOG_GATEWAY="$(grep -c ' gateway=default/bench ' "/run/maille/$LAB/daemon.log" || true)"
LOG_NGINX="$(wc -l <"$TMP/nginx/access.log")"
LOG_HAPROXY="$(grep -c 'bench api/' "$TMP/haproxy.log" || true)"
LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------- report
has() { [[ " $SIDES " == *" $1 "* ]]; }
median_min_max() { sort -g | awk '{ v[NR] = $1 } END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%s %s %s\n", m, v[1], v[NR] }'; }
stats() { cut -d' ' -f"$2" "$1" | median_min_max; }   # file column -> "median min max"
sum() { cut -d' ' -f"$2" "$1" | awk '{ s += $1 } END { print s + 0 }'; }
# a side's value over the faster of nginx and HAProxy in the same round (the one with more requests/s that round),
# round by round: column -> "median min max"
over_faster() { # side column
  paste -d' ' "$TMP/res-$1" "$TMP/res-nginx" "$TMP/res-haproxy" | awk -v c="$2" '{
    n = 7; fast = ($(n + 1) >= $(2 * n + 1)) ? n : 2 * n; printf "%.3f\n", $c / $(fast + c) }' | median_min_max; }
over() { # side other column -> "median (min–max)" of side_i / other_i
  paste -d' ' <(cut -d' ' -f"$3" "$TMP/res-$1") <(cut -d' ' -f"$3" "$TMP/res-$2") | awk '{ printf "%.3f\n", $1 / $2 }' | median_min_max \
    | awk '{ printf "%s (%s–%s)", $1, $2, $3 }'; }
cpu_us() { # file column -> total CPU s of that column / total requests, in µs
  awk -v c="$2" -v d="$DUR" '{ cpu += $c; req += $1 * d } END { printf "%.1f", cpu / req * 1e6 }' "$1"; }

echo
echo "Run $START_UTC – $END_UTC on Linux $(uname -r), $(nproc) cores, load at the end $LOAD; $(wrk -v 2>&1 | head -1 | cut -d' ' -f1,2), nginx $NGINX_VERSION, HAProxy $HAPROXY_VERSION, commit $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet || echo ' (with uncommitted changes)')"
echo
echo "\`wrk -t$THREADS -c$CONN -d${DUR}s --latency -H 'Host: $HOST' http://LB$TARGET\` from the external client, $ROUNDS rounds (the order of the sides rotated every round), after a ${WARMUP} s warm-up of each:"
echo
echo "| proxy | requests/s median (min–max) | p99 ms median (min–max) | non-2xx | socket errors | daemon CPU s per run, median | nginx CPU s per run, median | HAProxy CPU s per run, median |"
echo "|---|---|---|---:|---:|---:|---:|---:|"
for side in "${SIDE_LIST[@]}"; do
  read -r rm rlo rhi <<<"$(stats "$TMP/res-$side" 1)"
  read -r pm plo phi <<<"$(stats "$TMP/res-$side" 2)"
  echo "| ${LABEL[$side]} | $rm ($rlo–$rhi) | $pm ($plo–$phi) | $(sum "$TMP/res-$side" 3) | $(sum "$TMP/res-$side" 4) | $(stats "$TMP/res-$side" 5 | cut -d' ' -f1) | $(stats "$TMP/res-$side" 6 | cut -d' ' -f1) | $(stats "$TMP/res-$side" 7 | cut -d' ' -f1) |"
done

# CPU per request, less sensitive to the machine's other load than requests/s: nginx's and HAProxy's own processes;
# for Maille's proxies the daemon's CPU per request minus the backends' share (the pod server answers in the daemon's
# process for every side, so the daemon's CPU per request during the nginx and HAProxy runs is what the backends cost).
BACKEND_RUNS="$TMP/res-backends"
: >"$BACKEND_RUNS"
for side in nginx haproxy; do has "$side" && cat "$TMP/res-$side" >>"$BACKEND_RUNS"; done
echo
if [ -s "$BACKEND_RUNS" ]; then
  BACKEND_US="$(cpu_us "$BACKEND_RUNS" 5)"
  declare -A CPU_US
  for side in ingress gateway; do has "$side" && CPU_US[$side]="$(awk -v a="$(cpu_us "$TMP/res-$side" 5)" -v b="$BACKEND_US" 'BEGIN { printf "%.1f", a - b }')"; done
  has nginx && CPU_US[nginx]="$(cpu_us "$TMP/res-nginx" 6)"
  has haproxy && CPU_US[haproxy]="$(cpu_us "$TMP/res-haproxy" 7)"
  echo "CPU per request over all rounds (the backends: $BACKEND_US µs, the daemon's CPU per request in the nginx and HAProxy runs):"
  echo
  echo "| proxy | CPU per request, µs | ÷ nginx's | ÷ HAProxy's |"
  echo "|---|---:|---:|---:|"
  for side in "${SIDE_LIST[@]}"; do
    echo "| ${LABEL[$side]} | ${CPU_US[$side]} | $(has nginx && awk -v a="${CPU_US[$side]}" -v b="${CPU_US[nginx]}" 'BEGIN { printf "%.2f", a / b }') | $(has haproxy && awk -v a="${CPU_US[$side]}" -v b="${CPU_US[haproxy]}" 'BEGIN { printf "%.2f", a / b }') |"
  done
fi
if has nginx && has haproxy; then
  echo
  echo "Round by round, each of Maille's proxies over the faster of nginx and HAProxy in that round (median (min–max)):"
  echo
  echo "| proxy | requests/s ratio | p99 ratio | goal: requests/s ≥ 1 at a p99 ratio ≤ 1 | CPU per request ≤ HAProxy's |"
  echo "|---|---|---|---|---|"
  for side in ingress gateway; do
    has "$side" || continue
    read -r rr rrlo rrhi <<<"$(over_faster "$side" 1)"
    read -r pr prlo prhi <<<"$(over_faster "$side" 2)"
    echo "| ${LABEL[$side]} | $rr ($rrlo–$rrhi) | $pr ($prlo–$prhi) | $(awk -v r="$rr" -v p="$pr" 'BEGIN { print (r >= 1 && p <= 1) ? "met" : "missed" }') | $(awk -v a="${CPU_US[$side]}" -v b="${CPU_US[haproxy]}" 'BEGIN { print (a <= b) ? "met" : "missed" }') |"
  done
  echo
  echo "Rounds HAProxy was the faster of the two: $(paste -d' ' "$TMP/res-nginx" "$TMP/res-haproxy" | awk '$8 > $1 { n++ } END { print n + 0 }') of $ROUNDS. HAProxy ÷ nginx, round by round: requests/s $(over haproxy nginx 1), p99 $(over haproxy nginx 2)."
fi
for side in ingress gateway; do
  has "$side" && has nginx && echo "${LABEL[$side]} ÷ nginx, round by round: requests/s $(over "$side" nginx 1), p99 $(over "$side" nginx 2)."
done
echo
echo "Access-log lines written (warm-up included): Ingress $LOG_INGRESS and Gateway $LOG_GATEWAY (the daemon's log), nginx $LOG_NGINX (its file), HAProxy $LOG_HAPROXY (its standard output)."
echo
echo "Raw runs (req/s, p99 ms, non-2xx, socket errors, daemon CPU s, nginx CPU s, HAProxy CPU s):"
echo
echo '```'
for side in "${SIDE_LIST[@]}"; do sed "s/^/$side /" "$TMP/res-$side"; done
echo '```'
