"""Helpers of bench/mesh/run.sh (python3 standard library only). Subcommands:

  gen-lab                      the lab: namespaces plain and mesh (neither labelled: run.sh meshes `mesh` later), each
                               with pod client on node-1 and pod server on node-2 (port 8080, the pod server), with
                               their own service accounts, on stdout
  gen-extra NS                 pod NS/extra on node-3 (in namespace mesh once it is meshed: a third node proxy), on stdout
  hey CSV SECONDS              one `hey -o csv` run: "p50_ms p99_ms requests requests_per_s non_200"
  pooled CSV...                the samples of several runs together: "p50_ms p99_ms requests"
  iperf JSON                   one `iperf3 -J` client run: "received_gbit_per_s retransmits" (exits 1 on an error)
  median VALUE...              the median and the range: "median min max"
"""
import json
import sys


def gen_lab():
    docs = []
    for ns in ("plain", "mesh"):
        docs.append(f"apiVersion: v1\nkind: Namespace\nmetadata: {{name: {ns}}}\n")
        for name, node in (("client", "node-1"), ("server", "node-2")):
            docs.append(f"apiVersion: v1\nkind: ServiceAccount\nmetadata: {{name: {name}, namespace: {ns}}}\n")
            docs.append(pod(ns, name, node))
    print("---\n".join(docs), end="")


def pod(ns, name, node):
    return (f"apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}, namespace: {ns}, labels: {{app: {name}}}}}\n"
            f"spec:\n  nodeName: {node}\n  serviceAccountName: {name}\n  containers:\n  - name: c\n"
            f"    ports: [{{name: http, containerPort: 8080, protocol: TCP}}]\n")


def gen_extra(ns):
    print(f"apiVersion: v1\nkind: ServiceAccount\nmetadata: {{name: extra, namespace: {ns}}}\n---\n{pod(ns, 'extra', 'node-3')}", end="")


def percentile(sorted_xs, p):
    """Nearest-rank percentile."""
    k = max(0, min(len(sorted_xs) - 1, int(-(-p * len(sorted_xs) // 100)) - 1))
    return sorted_xs[k]


def read_csv(path):
    """hey's CSV: response-time (s, 4 decimals) first, status code seventh; a header line."""
    ok, bad = [], 0
    with open(path) as f:
        next(f, None)
        for line in f:
            cols = line.strip().split(",")
            if len(cols) < 7:
                continue
            if cols[6] == "200":
                ok.append(float(cols[0]) * 1000)
            else:
                bad += 1
    return ok, bad


def hey(path, seconds):
    ok, bad = read_csv(path)
    if not ok:
        print("0 0 0 0 %d" % bad)
        return
    ok.sort()
    print(f"{percentile(ok, 50):.1f} {percentile(ok, 99):.1f} {len(ok)} {len(ok) / float(seconds):.0f} {bad}")


def pooled(paths):
    xs = []
    for path in paths:
        xs.extend(read_csv(path)[0])
    xs.sort()
    print(f"{percentile(xs, 50):.1f} {percentile(xs, 99):.1f} {len(xs)}")


def iperf(path):
    with open(path) as f:
        doc = json.load(f)
    if doc.get("error"):
        print(f"iperf3: {doc['error']}", file=sys.stderr)
        sys.exit(1)
    end = doc["end"]
    print(f"{end['sum_received']['bits_per_second'] / 1e9:.3f} {end['sum_sent'].get('retransmits', 0)}")


def median(values):
    xs = sorted(float(v) for v in values)
    n = len(xs)
    m = xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2
    print(f"{m:.3f} {xs[0]:.3f} {xs[-1]:.3f}")


def main(argv):
    cmd = argv[1]
    if cmd == "gen-lab":
        gen_lab()
    elif cmd == "gen-extra":
        gen_extra(argv[2])
    elif cmd == "hey":
        hey(argv[2], argv[3])
    elif cmd == "pooled":
        pooled(argv[2:])
    elif cmd == "iperf":
        iperf(argv[2])
    elif cmd == "median":
        median(argv[2:])
    else:
        sys.exit(f"unknown subcommand {cmd}")


if __name__ == "__main__":
    main(sys.argv)
