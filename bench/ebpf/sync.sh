#!/usr/bin/env bash
# eBPF data plane map syncs (issue 19): a full sync of N Services x 10 endpoints into the socket LB maps, one-endpoint
# changes on top, and 1,000 NetworkPolicies into a node's pod policy maps, each beside the nftables apply of the same
# plan, in one run. Real maps: the built BPF objects loaded with libbpf; the socket programs attached to a cgroup made
# for the run (maille-ebpfbench-PID, never the root), in a scratch namespace of the same name; both removed at the end.
# Needs root, nftables, clang + libbpf-dev (to build the objects) and libbpf1.
# Usage: bench/ebpf/sync.sh [--services 10000] [--endpoints 10] [--changes 200] [--policies 1000] [--pods 1000]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
if [ "$(id -u)" -ne 0 ]; then
  echo "bench/ebpf/sync.sh: needs root (network namespaces, cgroups, BPF); try: sudo -E $0 $*" >&2
  exit 1
fi
# shellcheck source=../lib.sh
. "$root/bench/lib.sh"
bench_need_pkg nft nftables
bench_need_pkg clang clang
dotnet build bench/Maille.Benchmarks -c Release -nologo -clp:ErrorsOnly >/dev/null
exec dotnet bench/Maille.Benchmarks/bin/Release/net10.0/Maille.Benchmarks.dll ebpf-sync "$@"
