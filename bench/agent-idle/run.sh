#!/usr/bin/env bash
# Idle node-agent CPU (issue 16, "an idle agent uses no CPU"): examples/shop with --agents process, left alone, then
# each agent process's CPU (utime + stime from /proc/PID/stat) over the same window. With OTHER=/path/to/maille, a
# second lab of another build is up beside it and measured over the same window (a side-by-side ratio).
#
#   sudo bench/agent-idle/run.sh                          # this checkout, 60 s window
#   sudo OTHER=/tmp/old/maille WIN=60 bench/agent-idle/run.sh
#
# Safety: only the labs' own namespaces (maille-bidle*), via maille up/down; removed on EXIT.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MAILLE="$ROOT/maille"
OTHER="${OTHER:-}"
WIN="${WIN:-60}"
SETTLE="${SETTLE:-20}"
LABS=()

cleanup() {
  set +e
  for entry in "${LABS[@]}"; do "${entry%%|*}" down --lab "${entry##*|}" >/dev/null 2>&1; done
}
trap cleanup EXIT

up() { # maille lab
  "$1" up -f "$ROOT/examples/shop" --lab "$2" --agents process >/dev/null
  LABS+=("$1|$2")
}

ticks() { local s; s="$(cat "/proc/$1/stat")"; s="${s##*) }"; set -- $s; echo $(( ${12} + ${13} )); }

up "$MAILLE" bidlea
[ -n "$OTHER" ] && up "$OTHER" bidleb
sleep "$SETTLE"

declare -A before
pids=$(pgrep -f " agent --node .*--kubeconfig /run/maille/bidle[ab]/" || true)
[ -n "$pids" ] || { echo "no agent process found" >&2; exit 1; }
for p in $pids; do before[$p]=$(ticks "$p"); done
sleep "$WIN"
hz=$(getconf CLK_TCK)
echo "Measured $(date -u +%Y-%m-%dT%H:%MZ) on $(uname -r), $(nproc) cores, window ${WIN} s after ${SETTLE} s"
echo
echo "| lab (build) | node | CPU ms/s | resident MB |"
echo "|---|---|---:|---:|"
for p in $pids; do
  cmd="$(tr '\0' ' ' < "/proc/$p/cmdline")"
  lab="$(grep -o '/run/maille/bidle[ab]' <<<"$cmd" | head -1)"; lab="${lab##*/}"
  node="$(grep -o -- '--node [^ ]*' <<<"$cmd" | cut -d' ' -f2)"
  build="$MAILLE"; [ "$lab" = bidleb ] && build="$OTHER"
  used=$(( $(ticks "$p") - before[$p] ))
  printf '| %s (%s) | %s | %s | %s |\n' "$lab" "$build" "$node" \
    "$(awk -v t="$used" -v hz="$hz" -v w="$WIN" 'BEGIN { printf "%.2f", t * 1000 / hz / w }')" \
    "$(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$p/status")"
done | sort
