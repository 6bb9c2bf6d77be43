# Shell helpers shared by the live-lab benchmarks (bench/lab/run.sh, bench/svc-lab/run.sh); sourced, not run.

log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }

# bench_require_root: labs and namespaces need root
bench_require_root() {
  [ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }
}

# bench_on_exit FUNC: FUNC runs on every way out (normal end, failure, Ctrl-C, TERM, HUP); FUNC ends with `exit "$rc"`
bench_on_exit() {
  trap "$1" EXIT
  trap "exit 130" INT
  trap "exit 143" TERM HUP
}

# bench_report_left REGEX: after cleanup, say which namespaces matching REGEX are still there (there should be none)
bench_report_left() {
  local left
  left="$(ip netns list | grep -E "$1" || true)"
  [ -n "$left" ] && log "cleanup: namespaces left: $left"
  return 0
}
