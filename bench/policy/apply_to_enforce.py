#!/usr/bin/env python3
"""Time from a NetworkPolicy reaching a running lab's API to its enforcement (issue 6), measured with real packets.

Run as root from the repository root:  sudo bench/policy/apply-to-enforce.sh [ROUNDS]   (default 10 rounds)

The lab `bpol` is the NetworkPolicy playground (examples/netpol-playground: x, y, z x a, b, c on 3 nodes). Each
round, with no policy in force:
  1. `nft monitor` runs in the namespace of x/a's node (where ingress to x/a is enforced), and a prober in y/b's
     namespace opens a TCP connection to x/a:80 every 2 ms (each with a 20 ms limit; a denied SYN is answered with a
     reset, docs/networkpolicy-dataplane.md), writing the time of every outcome;
  2. t0: a policy selecting x/a and allowing ingress from namespace x only is POSTed to the lab's API
     (/apis/maille.dev/v1alpha1/apply, what `maille apply -f` sends; the connection is open before the clock);
  3. t_api: the API answers; t_rule: `nft monitor` prints the first change of table ip maille-policy;
     t_denied: the first probe connection refused after t0 (and every later one must be refused);
  4. the policy is deleted the same way (/delete) and the time until a connection succeeds again is taken too.
Round 0 is a warm-up (the daemon's first policy meets a cold JIT) and is not counted. The figures are t_rule - t0 and t_denied - t0 (apply), and t_allowed - t0 (delete). Also reported: the wall time of
`./maille apply -f` itself (CLI start included) for one round.
Safety: the only namespaces are lab bpol's (made and removed by ./maille); traffic stays inside them.
"""
import http.client, json, os, socket, statistics, subprocess, sys, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MAILLE = os.path.join(ROOT, "maille")
LAB = "bpol"
SOCK = f"/run/maille/{LAB}/api.sock"
POLICY = """apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: bench-only-x, namespace: x}
spec:
  podSelector: {matchLabels: {pod: a}}
  policyTypes: [Ingress]
  ingress:
  - from: [{namespaceSelector: {matchLabels: {ns: x}}}]
"""


def log(*parts):
    print(time.strftime("%H:%M:%S"), *parts, file=sys.stderr, flush=True)


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("lab", timeout=60)
        self.unix_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.unix_path)


def post(path, body):
    conn = UnixHTTPConnection(SOCK)
    conn.connect()
    sent = time.time_ns()
    conn.request("POST", path, body=body, headers={"Content-Type": "application/yaml"})
    response = conn.getresponse()
    data = response.read()
    answered = time.time_ns()
    conn.close()
    if response.status != 200:
        raise SystemExit(f"{path} answered {response.status}: {data[:300]!r}")
    return sent, answered


def get(path):
    conn = UnixHTTPConnection(SOCK)
    conn.request("GET", path)
    data = conn.getresponse().read()
    conn.close()
    return json.loads(data)


def pod_namespace(key):
    import hashlib
    return f"maille-{LAB}-pod-" + hashlib.sha256(key.encode()).hexdigest()[:12]


class Monitor:
    """`nft monitor` in a node's namespace; the time of the first line about table ip maille-policy."""

    def __init__(self, netns):
        self.proc = subprocess.Popen(["ip", "netns", "exec", netns, "stdbuf", "-oL", "nft", "monitor"],
                                     stdout=subprocess.PIPE, text=True, bufsize=1)
        self.first = None
        self.thread = threading.Thread(target=self.read, daemon=True)
        self.thread.start()
        time.sleep(0.3)

    def read(self):
        for line in self.proc.stdout:
            now = time.time_ns()
            if "maille-policy" in line and self.first is None:
                self.first = (now, line.strip())

    def stop(self, timeout_s=5):
        deadline = time.time() + timeout_s
        while self.first is None and time.time() < deadline:
            time.sleep(0.01)
        self.proc.kill()
        self.proc.wait()
        return self.first


class Prober:
    """Connects from a pod's namespace to ip:port every 2 ms; records (time, ok) of every attempt (bounded: 10 s)."""

    def __init__(self, netns, ip, port):
        code = ("import socket, sys, time\n"
                "end = time.time() + 10\n"
                "while time.time() < end:\n"
                "    s = socket.socket(); s.settimeout(0.02); t = time.time_ns()\n"
                "    try:\n"
                "        s.connect((sys.argv[1], int(sys.argv[2]))); ok = 1\n"
                "    except OSError:\n"
                "        ok = 0\n"
                "    s.close(); print(t, ok, flush=True); time.sleep(0.002)\n")
        self.proc = subprocess.Popen(["ip", "netns", "exec", netns, sys.executable, "-c", code, ip, str(port)],
                                     stdout=subprocess.PIPE, text=True, bufsize=1)
        self.samples = []
        self.thread = threading.Thread(target=self.read, daemon=True)
        self.thread.start()
        time.sleep(0.3)

    def read(self):
        for line in self.proc.stdout:
            t, ok = line.split()
            self.samples.append((int(t), ok == "1"))

    def stop(self):
        time.sleep(0.3)
        self.proc.kill()
        self.proc.wait()
        self.thread.join(1)
        return self.samples


def flip_time(samples, t0, want_ok):
    """The first attempt started after t0 with outcome want_ok, and whether every later attempt agreed."""
    after = [(t, ok) for t, ok in samples if t >= t0]
    first = next((i for i, (_, ok) in enumerate(after) if ok == want_ok), None)
    if first is None:
        return None, False
    return after[first][0], all(ok == want_ok for _, ok in after[first:])


def run(rounds):
    pods = {p["metadata"]["namespace"] + "/" + p["metadata"]["name"]: p for p in get("/api/v1/pods")["items"]}
    target, source = pods["x/a"], pods["y/b"]
    ip = target["status"]["podIP"]
    node_ns = f"maille-{LAB}-node-{target['spec']['nodeName']}"
    src_ns = pod_namespace("y/b")
    log(f"x/a {ip} on {target['spec']['nodeName']}; prober in y/b ({source['status']['podIP']}, {src_ns})")
    rows = []
    # Round 0 warms up the daemon's code paths (the first policy the lab sees is compiled by a cold JIT); not counted.
    for r in range(0, rounds + 1):
        for verb, path, want_ok in (("apply", "/apis/maille.dev/v1alpha1/apply", False), ("delete", "/apis/maille.dev/v1alpha1/delete", True)):
            monitor = Monitor(node_ns)
            prober = Prober(src_ns, ip, 80)
            sent, answered = post(path, POLICY)
            first = monitor.stop()
            samples = prober.stop()
            flipped, steady = flip_time(samples, sent, want_ok)
            before = [ok for t, ok in samples if t < sent]
            rows.append({
                "round": r, "verb": verb,
                "api_ms": (answered - sent) / 1e6,
                "rule_ms": (first[0] - sent) / 1e6 if first else None,
                "traffic_ms": (flipped - sent) / 1e6 if flipped else None,
                "steady": steady, "before_ok": all(ok != want_ok for ok in before) and len(before) > 0,
                "attempts": len(samples),
            })
            log(f"round {r} {verb}: API {rows[-1]['api_ms']:.1f} ms, rule {rows[-1]['rule_ms']}, traffic {rows[-1]['traffic_ms']}, "
                f"steady {steady}, before {rows[-1]['before_ok']}, {len(samples)} attempts")
            time.sleep(0.2)
    return [row for row in rows if row["round"] > 0]


def cli_wall():
    path = "/tmp/maille-bpol-policy.yaml"
    with open(path, "w") as f:
        f.write(POLICY)
    os.chmod(path, 0o644)
    out = {}
    for verb in ("apply", "delete"):
        t0 = time.time_ns()
        subprocess.run([MAILLE, verb, "-f", path, "--lab", LAB], check=True, capture_output=True)
        out[verb] = (time.time_ns() - t0) / 1e6
    os.remove(path)
    return out


def table(rows):
    def stats(values):
        values = sorted(v for v in values if v is not None)
        if not values:
            return "-"
        p90 = values[min(len(values) - 1, int(0.9 * len(values)))]
        return f"{statistics.median(values):.1f} / {p90:.1f} / {values[-1]:.1f}"
    print("| change | rounds | API answered, ms (median / p90 / max) | first nft change on x/a's node, ms | first connection with the new verdict, ms | verdict steady after it | verdict before the change as expected |")
    print("|---|---:|---|---|---|---|---|")
    for verb in ("apply", "delete"):
        rs = [r for r in rows if r["verb"] == verb]
        print(f"| {verb} ({'x/a isolated: y/b refused' if verb == 'apply' else 'policy gone: y/b allowed'}) | {len(rs)} | "
              f"{stats(r['api_ms'] for r in rs)} | {stats(r['rule_ms'] for r in rs)} | {stats(r['traffic_ms'] for r in rs)} | "
              f"{sum(r['steady'] for r in rs)}/{len(rs)} | {sum(r['before_ok'] for r in rs)}/{len(rs)} |")


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    if os.geteuid() != 0:
        raise SystemExit("run as root (network namespaces, nft monitor)")
    if os.path.exists(f"/run/maille/{LAB}"):
        raise SystemExit(f"lab {LAB} exists already: ./maille down --lab {LAB}")
    playground = os.path.join(ROOT, "examples", "netpol-playground", "pods.yaml")
    log("building and bringing up lab bpol (the playground, 3 nodes)")
    subprocess.run([MAILLE, "up", "-f", playground, "--lab", LAB, "--wait", "120"], check=True, stdout=subprocess.DEVNULL, timeout=600)
    try:
        rows = run(rounds)
        wall = cli_wall()
        load = open("/proc/loadavg").read().split()[:3]
        print(f"\nRun {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, Linux {os.uname().release}, {os.cpu_count()} cores, load at the end {' '.join(load)}\n")
        table(rows)
        print(f"\n`./maille apply -f` wall time (CLI start included): {wall['apply']:.0f} ms; `./maille delete -f`: {wall['delete']:.0f} ms")
    finally:
        subprocess.run([MAILLE, "down", "--lab", LAB], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
        left = [l for l in subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout.splitlines() if l.startswith(f"maille-{LAB}-")]
        if left:
            log("left behind:", left)


if __name__ == "__main__":
    main()
