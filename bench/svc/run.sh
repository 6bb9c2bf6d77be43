#!/usr/bin/env bash
# Service data plane apply benchmark: full sync of N Services x 10 endpoints and one-Service partial syncs on top,
# rendered and applied through in-process libnftables inside a scratch network namespace (maille-svcbench-PID,
# deleted at the end). Needs root and the nftables package. Usage: bench/svc/run.sh [--services 100,10000] [--changes 200]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
if [ "$(id -u)" -ne 0 ]; then
  echo "bench/svc/run.sh: needs root (network namespaces); try: sudo -E $0 $*" >&2
  exit 1
fi
# shellcheck source=../lib.sh
. "$root/bench/lib.sh"
bench_need_pkg nft nftables
dotnet build bench/Maille.Benchmarks -c Release -nologo -clp:ErrorsOnly >/dev/null
exec dotnet bench/Maille.Benchmarks/bin/Release/net10.0/Maille.Benchmarks.dll svc-apply "$@"
