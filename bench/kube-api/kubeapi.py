#!/usr/bin/env python3
"""The lab's Kubernetes API measured as kubectl uses it (bench/kube-api/run.sh drives it).

  kubeapi.py KUBECONFIG list ROUNDS            GET /api/v1/pods as kubectl's Table, and as JSON: ms per request
  kubeapi.py KUBECONFIG watch ROUNDS WATCHERS  PATCH a pod's label ROUNDS times with WATCHERS idle watches open
                                               (interleaved with rounds without them): answer times, and the time
                                               from each PATCH's answer to its event at a watching client
  kubeapi.py KUBECONFIG crowd WATCHERS VERSION  (used by watch) the idle watches, in their own process: prints
                                               "ready", then, given a label value on stdin, how many never saw it

The crowd runs in a process of its own, its watches read by one thread (asyncio): as threads of the measuring process,
its 100 readers held Python's global lock against the thread that times the PATCHes, and the answer times measured the
client (CROWD=threads keeps that).

Everything goes over HTTPS to 127.0.0.1 with the lab's admin client certificate, read from the standalone kubeconfig.
"""
import atexit, base64, http.client, json, os, shutil, socket, ssl, statistics, subprocess, sys, tempfile, threading, time

KUBECONFIG = None
TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"


def context_from(kubeconfig):
    # The standalone kubeconfig `maille kubeconfig` prints: one cluster, one user; read by its keys, no YAML library.
    fields = {}
    for line in open(kubeconfig):
        key, _, value = line.strip().partition(": ")
        if key in ("server", "certificate-authority-data", "client-certificate-data", "client-key-data"):
            fields[key] = value.strip().strip('"')
    cluster = {"server": fields["server"], "certificate-authority-data": fields["certificate-authority-data"]}
    user = {"client-certificate-data": fields["client-certificate-data"], "client-key-data": fields["client-key-data"]}
    folder = tempfile.mkdtemp(prefix="kubeapi-")
    os.chmod(folder, 0o700)
    atexit.register(shutil.rmtree, folder, True)  # the admin key is not left behind
    paths = {}
    for name, data in (("ca", cluster["certificate-authority-data"]), ("cert", user["client-certificate-data"]), ("key", user["client-key-data"])):
        paths[name] = os.path.join(folder, name + ".pem")
        with open(os.open(paths[name], os.O_WRONLY | os.O_CREAT, 0o600), "wb") as f:
            f.write(base64.b64decode(data))
    ctx = ssl.create_default_context(cafile=paths["ca"])
    ctx.load_cert_chain(paths["cert"], paths["key"])
    host, port = cluster["server"].removeprefix("https://").rsplit(":", 1)
    return ctx, host, int(port)


def connect(api):
    ctx, host, port = api
    conn = http.client.HTTPSConnection(host, port, context=ctx, timeout=60)
    conn.connect()
    return conn


def request(conn, method, path, body=None, headers=None):
    sent = time.perf_counter()
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    data = response.read()
    return response.status, data, (time.perf_counter() - sent) * 1000


def summary(values):
    values = sorted(values)
    p90 = values[min(len(values) - 1, int(len(values) * 0.9))]
    return statistics.median(values), p90, values[0], values[-1]


def list_pods(api, rounds):
    conn = connect(api)
    request(conn, "GET", "/api/v1/pods", headers={"Accept": TABLE})  # warm up: the first request builds caches
    table, plain = [], []
    rows = 0
    for _ in range(rounds):
        status, data, ms = request(conn, "GET", "/api/v1/pods", headers={"Accept": TABLE})
        assert status == 200, status
        rows = len(json.loads(data)["rows"])
        table.append(ms)
        status, data, ms = request(conn, "GET", "/api/v1/pods", headers={"Accept": "application/json"})
        assert status == 200, status
        plain.append(ms)
    print(json.dumps({"rows": rows, "table": summary(table), "json": summary(plain)}))


class Watcher(threading.Thread):
    """One watch of the pods of namespace default; records when each pod's label value arrives."""

    def __init__(self, api, version):
        super().__init__(daemon=True)
        self.api, self.version, self.seen, self.ready, self.conn = api, version, {}, threading.Event(), None

    def run(self):
        ctx, host, port = self.api
        self.conn = http.client.HTTPSConnection(host, port, context=ctx, timeout=600)
        self.conn.request("GET", f"/api/v1/namespaces/default/pods?watch=true&resourceVersion={self.version}")
        response = self.conn.getresponse()
        self.ready.set()
        try:
            while True:
                line = response.readline()
                if not line:
                    return
                # The label's value is found in the line without parsing it: the crowd of watchers shares the
                # machine's two cores with the API, and should cost it as little as a real idle client would.
                at = line.find(b'"round":"')
                if at >= 0:
                    value = line[at + 9:line.index(b'"', at + 9)].decode()
                    if value not in self.seen:
                        self.seen[value] = time.perf_counter()
        except (OSError, ValueError, AttributeError):
            return  # closed by the benchmark

    def close(self):
        # Shut the socket down first: closing an SSL socket another thread is reading from can block both.
        if self.conn is not None and self.conn.sock is not None:
            try:
                self.conn.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def cpu_seconds(pid):
    """User and system CPU time of a process so far, from /proc (clock ticks; 10 ms on this kernel)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def watch(api, rounds, watchers):
    """Three phases of ROUNDS label PATCHes: without other watches, with WATCHERS idle ones, without again.

    With DAEMON_PID set, the lab daemon's CPU time per round is taken in each phase too (and the crowd's, when it is a
    process): on two shared cores, the answer time of the "with" phase carries the crowd's own CPU as well as the
    API's work for the watches, and these say which is which."""
    daemon = os.environ.get("DAEMON_PID")
    cpu = {"without": 0.0, "with": 0.0}
    crowd_cpu = 0.0
    conn = connect(api)
    status, data, _ = request(conn, "GET", "/api/v1/namespaces/default/pods", headers={"Accept": "application/json"})
    listed = json.loads(data)
    version = listed["metadata"]["resourceVersion"]
    pod = listed["items"][0]["metadata"]["name"]
    probe = Watcher(api, version)
    probe.start()
    probe.ready.wait(10)
    answers = {"without": [], "with": []}
    latency = []
    crowd = []
    behind = 0
    separate = os.environ.get("CROWD", "process") == "process"
    for phase in ("without", "with", "without"):
        if phase == "with":
            if separate:
                crowd = subprocess.Popen([sys.executable, os.path.abspath(__file__), KUBECONFIG, "crowd", str(watchers), version],
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
                assert crowd.stdout.readline().strip() == "ready"
            else:
                crowd = [Watcher(api, version) for _ in range(watchers)]
                for w in crowd:
                    w.start()
                for w in crowd:
                    w.ready.wait(10)
        phase_started = cpu_seconds(daemon) if daemon else 0.0
        crowd_started = cpu_seconds(crowd.pid) if phase == "with" and separate else 0.0
        for r in range(rounds):
            value = f"{phase}{len(answers[phase])}"
            patch = json.dumps({"metadata": {"labels": {"round": value}}})
            status, _, ms = request(conn, "PATCH", f"/api/v1/namespaces/default/pods/{pod}", patch, {"Content-Type": "application/merge-patch+json"})
            answered = time.perf_counter()
            assert status == 200, status
            answers[phase].append(ms)
            deadline = time.perf_counter() + 10
            while value not in probe.seen and time.perf_counter() < deadline:
                time.sleep(0.0005)
            if value in probe.seen:
                # From the PATCH sent: the API publishes a change before it answers (the answer waits for the nodes).
                latency.append((probe.seen[value] - (answered - ms / 1000)) * 1000)
            time.sleep(0.1)
        if daemon:
            cpu[phase] += cpu_seconds(daemon) - phase_started
        if phase == "with" and separate:
            crowd_cpu = cpu_seconds(crowd.pid) - crowd_started
        if phase == "with":
            if separate:
                behind = int(crowd.communicate(f"with{rounds - 1}\n", timeout=60)[0].strip())
            else:
                time.sleep(1)
                behind = crowd_behind(crowd, f"with{rounds - 1}")
    print(json.dumps({"pod": pod, "watchers": watchers, "crowd": "process" if separate else "threads", "without": summary(answers["without"]), "with": summary(answers["with"]),
                      "event_after_sent": summary(latency) if latency else None, "events": len(latency), "crowd_missing_last": behind,
                      "daemon_cpu_ms_per_round": {k: v * 1000 / len(answers[k]) for k, v in cpu.items()} if daemon else None,
                      "crowd_cpu_ms_per_round": crowd_cpu * 1000 / rounds if separate else None}))


def crowd_behind(crowd, last):
    """How many of the crowd never saw the label value `last`; closes them all."""
    behind = sum(1 for w in crowd if last not in w.seen)
    for w in crowd:
        w.close()
    for w in crowd:
        w.join(5)
    return behind


def crowd(api, watchers, version):
    """The idle watches of `watch`, in this process: "ready" once all are open, then the count behind.

    One thread reads every watch (asyncio), as an idle client of the API does (client-go's watches are goroutines on
    a few threads): 100 Python threads, each woken by every change to take the interpreter's lock in turn, cost the
    machine about 10 ms of CPU per change (sampled from /proc in session 22; one thread: about 4 ms), on the two cores
    the API shares with them, and the ratio measured the crowd's interpreter as much as the API."""
    import asyncio

    async def one(seen, opened):
        ctx, host, port = api
        reader, writer = await asyncio.open_connection(host, port, ssl=ctx)
        writer.write(f"GET /api/v1/namespaces/default/pods?watch=true&resourceVersion={version} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        await writer.drain()
        while (await reader.readline()) not in (b"\r\n", b""):
            pass  # the headers; the body is chunked, one chunk per flush
        opened.set_result(None)
        pending = b""
        try:
            while True:
                size = int((await reader.readline()).strip() or b"0", 16)
                if size == 0:
                    return
                pending += (await reader.readexactly(size + 2))[:-2]
                *lines, pending = pending.split(b"\n")
                for line in lines:
                    at = line.find(b'"round":"')
                    if at >= 0:
                        seen.add(line[at + 9:line.index(b'"', at + 9)].decode())
        except (OSError, ValueError, asyncio.IncompleteReadError):
            return
        finally:
            writer.close()

    async def run():
        loop = asyncio.get_running_loop()
        members = [(set(), loop.create_future()) for _ in range(watchers)]
        tasks = [asyncio.create_task(one(seen, opened)) for seen, opened in members]
        await asyncio.wait_for(asyncio.gather(*(opened for _, opened in members)), 30)
        print("ready", flush=True)
        last = (await loop.run_in_executor(None, sys.stdin.readline)).strip()
        await asyncio.sleep(1)
        print(sum(1 for seen, _ in members if last not in seen), flush=True)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    asyncio.run(run())


def main(argv):
    global KUBECONFIG
    KUBECONFIG = argv[1]
    api = context_from(argv[1])
    if argv[2] == "list":
        list_pods(api, int(argv[3]))
    elif argv[2] == "watch":
        watch(api, int(argv[3]), int(argv[4]))
    elif argv[2] == "crowd":
        crowd(api, int(argv[3]), argv[4])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
