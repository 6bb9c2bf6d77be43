"""Helpers of bench/ebpf/connect.sh (python3 standard library only). Subcommands:

  gen-lab                        the lab: namespace bench, pod client on node-1, pods server and plain on node-2 (port 80)
  gen-policies N                 N NetworkPolicies in namespace bench, each selecting the server and allowing the client
                                 on port 80 and on one port of its own (so no two are alike), on stdout
  connect IP1 IP2 PORT N OUT1 OUT2
                                 2 x N sequential TCP connects, alternating between IP1:PORT and IP2:PORT (in the
                                 order 1 2 2 1 ...), after 20 warm-up ones; appends each connect() time in ns to OUT1 or
                                 OUT2 (run inside the client pod, through `maille exec`)
  check IP PORT                  one connect to a port nothing listens on: "refused" (no policy in the way), "unreachable"
                                 (a policy rejected it) or "timeout"
  stats FILE...                  "p50 p99 count" in µs of the samples
  ratio BASE_FILE POLICY_FILE    "p50 p99" of the policy samples divided by those of the base samples
"""
import socket
import struct
import sys
import time


def gen_lab():
    docs = ["apiVersion: v1\nkind: Namespace\nmetadata: {name: bench}\n"]
    for name, node in (("client", "node-1"), ("server", "node-2"), ("plain", "node-2")):
        docs.append(f"apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}, namespace: bench, labels: {{app: {name}}}}}\n"
                    f"spec:\n  nodeName: {node}\n  containers:\n  - name: c\n    image: example/server\n"
                    f"    ports: [{{containerPort: 80, protocol: TCP}}]\n")
    print("---\n".join(docs), end="")


def gen_policies(n):
    docs = []
    for i in range(n):
        docs.append(f"apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {{name: allow-client-{i:04d}, namespace: bench}}\n"
                    f"spec:\n  podSelector: {{matchLabels: {{app: server}}}}\n  policyTypes: [Ingress]\n  ingress:\n"
                    f"  - from:\n    - podSelector: {{matchLabels: {{app: client}}}}\n"
                    f"    ports: [{{port: 80, protocol: TCP}}, {{port: {20000 + i}, protocol: TCP}}]\n")
    print("---\n".join(docs), end="")


def connect(targets, n, outs):
    def once(target):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.settimeout(3)
        # Closed with a reset, so that no TIME_WAIT is left: with tens of thousands of them the kernel's search for a
        # free source port grows into the connect() time (60 µs became 250-300 µs over a run).
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        t0 = time.perf_counter_ns()
        s.connect(target)
        dt = time.perf_counter_ns() - t0
        s.close()
        return dt

    for i in range(20):                 # warm-up: neighbour caches, route lookups, the interpreter
        once(targets[i % 2])
    xs = ([], [])
    for i in range(2 * n):
        which = (i + i // 2) % 2        # 0 1 1 0 0 1 1 0 ...: neither target always goes first
        xs[which].append(once(targets[which]))
    for out, samples_ in zip(outs, xs):
        with open(out, "a") as f:
            f.write("".join(f"{x}\n" for x in samples_))


def check(ip, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(2)
    try:
        s.connect((ip, port))
        print("open")
    except ConnectionRefusedError:
        print("refused")
    except OSError as e:
        print("timeout" if isinstance(e, TimeoutError) else "unreachable" if e.errno == 113 else f"error-{e.errno}")
    finally:
        s.close()


def percentile(sorted_xs, p):
    """Nearest-rank percentile."""
    k = max(0, min(len(sorted_xs) - 1, int(-(-p * len(sorted_xs) // 100)) - 1))
    return sorted_xs[k]


def samples(files):
    return sorted(int(l) for f in files for l in open(f) if l.strip())


def stats(files):
    xs = samples(files)
    print(f"{percentile(xs, 50) / 1000:.1f} {percentile(xs, 99) / 1000:.1f} {len(xs)}")


def ratio(base, policy):
    b, p = samples(base.split(",")), samples(policy.split(","))
    print(f"{percentile(p, 50) / percentile(b, 50):.2f} {percentile(p, 99) / percentile(b, 99):.2f}")


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "gen-lab":
        gen_lab()
    elif command == "gen-policies":
        gen_policies(int(args[0]))
    elif command == "connect":
        connect([(args[0], int(args[2])), (args[1], int(args[2]))], int(args[3]), args[4:6])
    elif command == "check":
        check(args[0], int(args[1]))
    elif command == "stats":
        stats(args)
    elif command == "ratio":
        ratio(args[0], args[1])
    else:
        sys.exit(f"unknown subcommand {command}")
