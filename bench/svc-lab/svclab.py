"""Helpers of bench/svc-lab/run.sh (python3 standard library only). Subcommands:

  gen SERVICES PROBE_DIR [POD]           the manifests of one lab (or of one of its pods), on stdout
  api SOCKET METHOD PATH [BODY_FILE]     one request to a lab's API (YAML body); prints "SENT_NS ANSWERED_NS STATUS"
  api-get SOCKET PATH                    GET, the body on stdout
  addresses SOCKET OUT_DIR               pods.txt ("name ip ready") and services.txt ("name clusterIP nodePort")
  monitor NETNS NODE OUT VERB ADDRESS TIMEOUT_S
                                         runs `nft monitor` in NETNS, creates OUT.ready-NODE once it sees events (a
                                         marker table), and appends "NS NODE LINE" for the first
                                         "VERB element ... : ADDRESS . PORT" event, then stops (exit 1 on timeout)
  connect TARGETS N OUT                  N sequential TCP connects, round robin over TARGETS ("ip port" lines), after 5
                                         warm-up connects; appends each connect() time in ns to OUT
  round KIND LAB POD PROBE_DIR LOG MONITOR_FILE SOCKET [SENT_NS:ANSWERED_NS]
                                         one removal round's figures as one line (see round_line), with the node
                                         agents' status once it reports the sync that removed the endpoint
  latency FILE...                        "median p90 p99 max count p10" in µs of the samples
  rounds FILE KIND LAB POD               a table row from the round lines
"""
import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone


# ---------------------------------------------------------------- manifests
def gen(total, probe_dir):
    """Pods (all pinned): client on node-1; on node-2 server (the iperf3 target), web-1 and web-2 (the endpoints of
    every web-N Service), flip-1 and flip-2 (the endpoints of Service "flip" only). web-* and flip-* have an exec
    readinessProbe (period 1 s, failureThreshold 1) that appends "EPOCHREALTIME ok|fail" to PROBE_DIR/probe-POD and
    fails while PROBE_DIR/unready-POD exists: the moment of the failing probe run is known to the microsecond.
    Services, `total` in all: iperf (ClusterIP 5201), iperf-np (NodePort 30521 -> 5201), flip (80), web-0... (80)."""
    assert total >= 4
    docs = []

    def pod(name, node, app, probe):
        text = (f"apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}, namespace: default, labels: {{app: {app}}}}}\n"
                f"spec:\n  nodeName: {node}\n  containers:\n  - name: c\n    image: example/server\n"
                f"    ports: [{{containerPort: 80, protocol: TCP}}]\n")
        if probe:
            script = (f"t=$EPOCHREALTIME; if [ -e {probe_dir}/unready-{name} ]; then echo \"$t fail\" >> {probe_dir}/probe-{name}; "
                      f"exit 1; fi; echo \"$t ok\" >> {probe_dir}/probe-{name}")
            text += (f"    readinessProbe:\n      exec: {{command: [bash, -c, '{script}']}}\n"
                     f"      periodSeconds: 1\n      failureThreshold: 1\n")
        docs.append(text)

    def service(name, app, port, target, node_port=None):
        extra = f", nodePort: {node_port}" if node_port else ""
        docs.append(f"apiVersion: v1\nkind: Service\nmetadata: {{name: {name}, namespace: default}}\nspec:\n"
                    f"  type: {'NodePort' if node_port else 'ClusterIP'}\n  selector: {{app: {app}}}\n"
                    f"  ports: [{{port: {port}, targetPort: {target}, protocol: TCP{extra}}}]\n")

    pod("client", "node-1", "client", False)
    pod("server", "node-2", "server", False)
    for name in ("web-1", "web-2"):
        pod(name, "node-2", "web", True)
    for name in ("flip-1", "flip-2"):
        pod(name, "node-2", "flip", True)
    service("iperf", "server", 5201, 5201)
    service("iperf-np", "server", 5201, 5201, 30521)
    service("flip", "flip", 80, 80)
    for i in range(total - 3):
        service(f"web-{i}", "web", 80, 80)
    return "---\n".join(docs)


# ---------------------------------------------------------------- the lab's API
class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path, timeout=60):
        super().__init__("lab", timeout=timeout)
        self.unix_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.unix_path)


def request(sock, method, path, body=None, content_type="application/yaml"):
    conn = UnixHTTPConnection(sock)
    conn.connect()                      # before the clock: the request itself is what is timed
    headers = {"Content-Type": content_type} if body is not None else {}
    sent = time.time_ns()
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    data = response.read()
    answered = time.time_ns()
    conn.close()
    return sent, answered, response.status, data


def addresses(sock, out_dir):
    _, _, status, data = request(sock, "GET", "/api/v1/namespaces/default/pods")
    assert status == 200, status
    with open(os.path.join(out_dir, "pods.txt"), "w") as f:
        for p in json.loads(data)["items"]:
            ready = any(c.get("type") == "Ready" and c.get("status") == "True" for c in p["status"].get("conditions", []))
            f.write(f"{p['metadata']['name']} {p['status'].get('podIP', '-')} {'ready' if ready else 'not-ready'}\n")
    _, _, status, data = request(sock, "GET", "/api/v1/namespaces/default/services")
    assert status == 200, status
    with open(os.path.join(out_dir, "services.txt"), "w") as f:
        for s in json.loads(data)["items"]:
            node_port = next((p.get("nodePort") for p in s["spec"]["ports"] if p.get("nodePort")), "-")
            f.write(f"{s['metadata']['name']} {s['spec'].get('clusterIP', '-')} {node_port}\n")


# ---------------------------------------------------------------- nftables events
def monitor(netns, node, out, verb, address, timeout_s):
    needle_verb, needle_addr = f"{verb} element ip maille-svc ", f": {address} . "
    proc = subprocess.Popen(["ip", "netns", "exec", netns, "stdbuf", "-oL", "nft", "monitor"],
                            stdout=subprocess.PIPE, text=True, bufsize=1)
    timer = threading.Timer(timeout_s, proc.kill)
    timer.start()
    # `nft monitor` reads the node's whole ruleset before it reports anything: at 10,000 Services on a busy machine
    # that can take longer than any fixed wait, and a change made meanwhile is never seen. So a marker table is made
    # (and removed) in the node's namespace until the monitor reports it, and only then is the monitor declared ready
    # (OUT.ready-NODE). Not often: each table event makes the monitor read the ruleset again.
    marker = f"maille_bench_ready_{node.replace('-', '_')}"
    def mark():
        ready.wait(0.2)
        while not ready.is_set():
            subprocess.run(["ip", "netns", "exec", netns, "nft", f"add table ip {marker}; delete table ip {marker}"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            ready.wait(3)
    ready = threading.Event()
    threading.Thread(target=mark, daemon=True).start()
    found = None
    for line in proc.stdout:
        if not ready.is_set():
            if line.startswith(f"add table ip {marker}"):
                ready.set()
                open(f"{out}.ready-{node}", "w").close()
            continue
        now = time.time_ns()            # read from a line-buffered pipe: at or just after the commit's notification
        if line.startswith(needle_verb) and needle_addr in line:
            found = f"{now} {node} {line.strip()}\n"
            break
    timer.cancel()
    proc.kill()
    proc.wait()
    with open(out, "a") as f:
        f.write(found or f"0 {node} timeout waiting for {verb} of {address}\n")
    return 0 if found else 1


# ---------------------------------------------------------------- connect latency
def connect(targets_file, n, out):
    targets = [(l.split()[0], int(l.split()[1])) for l in open(targets_file) if l.strip()]

    def once(target):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.settimeout(3)
        t0 = time.perf_counter_ns()
        s.connect(target)
        dt = time.perf_counter_ns() - t0
        s.close()
        return dt

    for i in range(5):                  # warm-up: neighbour caches, first route lookups
        once(targets[i % len(targets)])
    xs = [once(targets[i % len(targets)]) for i in range(n)]
    with open(out, "a") as f:
        f.write("".join(f"{x}\n" for x in xs))
    ys = sorted(xs)
    print(f"median {statistics.median(ys) / 1000:.1f} µs, p90 {percentile(ys, 90) / 1000:.1f} µs")


def percentile(sorted_xs, p):
    """Nearest-rank percentile."""
    k = max(0, min(len(sorted_xs) - 1, int(-(-p * len(sorted_xs) // 100)) - 1))
    return sorted_xs[k]


def latency(files):
    xs = sorted(int(l) for f in files for l in open(f) if l.strip())
    print(f"{statistics.median(xs) / 1000:.1f} {percentile(xs, 90) / 1000:.1f} {percentile(xs, 99) / 1000:.1f} "
          f"{xs[-1] / 1000:.1f} {len(xs)} {percentile(xs, 10) / 1000:.1f}")


# ---------------------------------------------------------------- removal rounds
def failing_probe_ns(probe_file):
    """The failing probe run that made the pod unready: the first "fail" after the last "ok"."""
    lines = [l.split() for l in open(probe_file) if l.strip()]
    last_ok = max((i for i, l in enumerate(lines) if l[1] == "ok"), default=-1)
    fails = [l for l in lines[last_ok + 1:] if l[1] == "fail"]
    if not fails:
        return None
    seconds, micros = fails[0][0].split(".")
    return int(seconds) * 1_000_000_000 + int(micros.ljust(6, "0")[:6]) * 1000


def decision_ns(log, pod):
    """When the daemon logged "Pod default/POD is now not ready" (its log has milliseconds, UTC, no date)."""
    stamp, last = None, None
    for line in open(log, errors="replace"):
        m = re.match(r"^(\d\d):(\d\d):(\d\d)\.(\d\d\d) ", line)
        if m:
            stamp = m
        elif f"Pod default/{pod} is now not ready" in line and stamp:
            last = stamp
    if not last:
        return None
    h, mi, s, ms = (int(x) for x in last.groups())
    today = datetime.now(timezone.utc).replace(hour=h, minute=mi, second=s, microsecond=ms * 1000)
    ns = int(today.timestamp()) * 1_000_000_000 + ms * 1_000_000
    if ns > time.time_ns() + 60_000_000_000:    # logged before midnight, read after
        ns -= 86_400 * 1_000_000_000
    return ns


def parse_timespan(text):
    h, m, s = text.split(":")
    return int((int(h) * 3600 + int(m) * 60 + float(s)) * 1e9)


def last_syncs(status_json):
    """node -> (start, duration, apply duration, commands) of each node's last Service proxy sync, times in ns."""
    result = {}
    for item in json.load(open(status_json))["items"]:
        st = item["parts"]["services"]
        at = datetime.fromisoformat(st["lastSyncAt"].replace("Z", "+00:00"))
        end = int(at.timestamp()) * 1_000_000_000 + at.microsecond * 1000
        duration = parse_timespan(st["lastSyncDuration"])
        result[item["node"]] = (end - duration, duration, parse_timespan(st["lastApplyDuration"]), st["lastCommandCount"])
    return result


def wait_status(sock, commits, timeout_s=15):
    """The node agents' status once every node reports the sync that made the change the monitor saw: one that ended
    no earlier than 200 ms before the monitor read the event (the proxy stamps lastSyncAt just after the transaction,
    which may be before or after the monitor reads its line; the sync before it ended seconds earlier). The proxy
    updates its status a little after the transaction: a large one takes a while to record in memory."""
    deadline = time.monotonic() + timeout_s
    while True:
        _, _, code, data = request(sock, "GET", "/apis/maille.dev/v1alpha1/nodeagents")
        items = json.loads(data)["items"] if code == 200 else []
        ends = {}
        for item in items:
            at = datetime.fromisoformat(item["parts"]["services"]["lastSyncAt"].replace("Z", "+00:00"))
            ends[item["node"]] = int(at.timestamp()) * 1_000_000_000 + at.microsecond * 1000
        if all(ends.get(n, 0) >= c - 200_000_000 for n, c in commits.items()):
            return data
        if time.monotonic() > deadline:
            print("status: no node agent reported the sync of the change in time", file=sys.stderr)
            return data
        time.sleep(0.05)


def round_line(kind, lab, pod, probe_dir, log, monitor_file, sock, sent_ns=None):
    """One line: KIND LAB POD T0 DECIDED NODE:COMMIT:SYNC_START:SYNC_DURATION:APPLY_DURATION:COMMANDS... (ns, 0 when
    unknown; the sync figures are the node's sync that removed the endpoint, as its status reports it).
    KIND unready: T0 = the failing probe run's own timestamp, DECIDED = the daemon's log line.
    KIND delete, add-service, label: T0 = the request sent to the lab's API, DECIDED = its answer."""
    if kind == "unready":
        t0 = failing_probe_ns(os.path.join(probe_dir, f"probe-{pod}")) or 0
        decided = decision_ns(log, pod) or 0
    else:
        t0, decided = int(sent_ns.split(":")[0]), int(sent_ns.split(":")[1])
    commits = {}
    for l in open(monitor_file):
        ts, node = l.split()[:2]
        commits[node] = int(ts)
    status_json = os.path.join(os.path.dirname(monitor_file), f"status-{os.path.basename(monitor_file)}.json")
    with open(status_json, "wb") as f:
        f.write(wait_status(sock, {n: c for n, c in commits.items() if c}))
    syncs = last_syncs(status_json)
    parts = [f"{n}:{commits.get(n, 0)}:" + ":".join(str(x) for x in syncs.get(n, (0, 0, 0, 0))) for n in sorted(commits)]
    print(f"{kind} {lab} {pod} {t0} {decided} {' '.join(parts)}")


def rounds(path, kind, lab, pod):
    """Row: rounds | t0→removed on every node (the slower node) median | p90 | min–max | t0→decided median | decided→first
    node's sync start median | sync duration median (both nodes) | nft apply median (commands) | rounds without a
    figure. Milliseconds."""
    rows = [l.split() for l in open(path) if l.split()[:3] == [kind, lab, pod]]
    total, decided, to_sync, sync_len, apply_len, commands, missing = [], [], [], [], [], [], 0
    for r in rows:
        t0, dec = int(r[3]), int(r[4])
        nodes = [tuple(int(x) for x in p.split(":")[1:]) for p in r[5:]]   # (commit, start, duration, apply, commands)
        if t0 == 0 or not nodes or any(n[0] == 0 for n in nodes):
            missing += 1
            continue
        total.append(max(n[0] for n in nodes) - t0)
        if dec:
            decided.append(dec - t0)
            to_sync.append(min(n[1] for n in nodes) - dec)
        sync_len.extend(n[2] for n in nodes)
        apply_len.extend(n[3] for n in nodes)
        commands.extend(n[4] for n in nodes)

    def ms(xs, f=statistics.median):
        return f"{f(xs) / 1e6:.1f}" if xs else "-"

    cmds = f"{min(commands)}–{max(commands)}" if commands else "-"
    p90 = f"{percentile(sorted(total), 90) / 1e6:.1f}" if total else "-"
    print(f"{len(total)} | {ms(total)} | {p90} | {ms(total, min)}–{ms(total, max)} | {ms(decided)} | {ms(to_sync)} | {ms(sync_len)} | "
          f"{ms(apply_len)} ({cmds}) | {missing}")


def main(argv):
    cmd = argv[1]
    if cmd == "gen":
        docs = gen(int(argv[2]), argv[3]).split("---\n")
        if len(argv) > 4:               # one pod's document only
            docs = [d for d in docs if f"{{name: {argv[4]}," in d]
        sys.stdout.write("---\n".join(docs))
    elif cmd == "api":
        body = open(argv[5], "rb").read() if len(argv) > 5 else None
        # A PATCH says its patch type, as kubectl label does (merge patch); the API refuses others with 415.
        kind = "application/merge-patch+json" if argv[3] == "PATCH" else "application/yaml"
        sent, answered, status, _ = request(argv[2], argv[3], argv[4], body, kind)
        print(f"{sent} {answered} {status}")
    elif cmd == "api-get":
        _, _, status, data = request(argv[2], "GET", argv[3])
        sys.stdout.write(data.decode())
        return 0 if status == 200 else 1
    elif cmd == "addresses":
        addresses(argv[2], argv[3])
    elif cmd == "monitor":
        return monitor(argv[2], argv[3], argv[4], argv[5], argv[6], float(argv[7]))
    elif cmd == "connect":
        connect(argv[2], int(argv[3]), argv[4])
    elif cmd == "latency":
        latency(argv[2:])
    elif cmd == "round":
        round_line(*argv[2:])
    elif cmd == "rounds":
        rounds(*argv[2:])
    else:
        raise SystemExit(f"unknown subcommand {cmd}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
