#!/usr/bin/env bash
# NetworkPolicy data plane apply benchmark: one node's table for 1,000 policies over 1,000 pods, planned, rendered and
# applied through in-process libnftables inside a scratch network namespace (maille-polbench-PID, deleted at the end),
# then partial syncs (a pod relabelled, a policy changed). Needs root and the nftables package.
# Usage: bench/policy/run.sh [--pods 1000] [--policies 1000] [--changes 50] [--fold-above 32]  (chains of more compiled rules are folded)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
if [ "$(id -u)" -ne 0 ]; then
  echo "bench/policy/run.sh: needs root (network namespaces); try: sudo -E $0 $*" >&2
  exit 1
fi
# shellcheck source=../lib.sh
. "$root/bench/lib.sh"
bench_need_pkg nft nftables
dotnet build bench/Maille.Benchmarks -c Release -nologo -clp:ErrorsOnly >/dev/null
exec dotnet bench/Maille.Benchmarks/bin/Release/net10.0/Maille.Benchmarks.dll policy-apply "$@"
