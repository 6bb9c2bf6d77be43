#!/usr/bin/env bash
# Time from `maille apply` of a NetworkPolicy (its POST to the lab's API) to enforcement on real packets (issue 6).
# Usage (root, from anywhere): bench/policy/apply-to-enforce.sh [ROUNDS]   (default 10; about a minute)
# Details and safety notes: bench/policy/apply_to_enforce.py. The markdown report goes to stdout, progress to stderr.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=../lib.sh
. "$ROOT/bench/lib.sh"
bench_require_root
bench_need_pkg nft nftables
exec python3 "$ROOT/bench/policy/apply_to_enforce.py" "$@"
