# Shell helpers shared by the live-lab benchmarks (bench/lab, svc-lab, ingress, mesh, observe, policy); sourced, not run.

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

# bench_need_pkg COMMAND PACKAGE: installs Debian's PACKAGE when COMMAND is missing; on a fresh machine the package
# lists are empty, so a failed install is retried after `apt-get update`. Services the package would start are held
# back (policy-rc.d), since they would run in the host namespace. Exits when COMMAND is still missing.
bench_need_pkg() {
  command -v "$1" >/dev/null 2>&1 && return 0
  log "installing $2 (for $1)"
  local guard=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; guard=1; fi
  DEBIAN_FRONTEND=noninteractive timeout 300 apt-get install -y --no-install-recommends "$2" >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null 2>&1; DEBIAN_FRONTEND=noninteractive timeout 300 apt-get install -y --no-install-recommends "$2" >/dev/null 2>&1; } || true
  [ "$guard" = 1 ] && rm -f /usr/sbin/policy-rc.d
  command -v "$1" >/dev/null 2>&1 || { echo "$1 is needed (Debian package $2)" >&2; exit 1; }
}

# bench_report_left REGEX: after cleanup, say which namespaces matching REGEX are still there (there should be none)
bench_report_left() {
  local left
  left="$(ip netns list | grep -E "$1" || true)"
  [ -n "$left" ] && log "cleanup: namespaces left: $left"
  return 0
}

# bench_require_no_lab LAB...: exits when a lab of one of these names exists (its namespaces or its run directory)
bench_require_no_lab() {
  local lab
  for lab in "$@"; do
    if ip netns list | grep -qE "^maille-$lab-" || [ -e "/run/maille/$lab" ]; then
      echo "lab $lab exists already; take it down first (./maille down --lab $lab)" >&2; exit 1
    fi
  done
}

# bench_lab_down MAILLE LAB: takes the lab down in a cleanup (bounded, 90 s), saying so when it fails
bench_lab_down() {
  timeout 90 "$1" down --lab "$2" >/dev/null 2>&1 || log "cleanup: down --lab $2 failed"
}
