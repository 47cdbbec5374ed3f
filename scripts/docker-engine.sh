#!/usr/bin/env bash
# Makes a Docker engine available, in well under a second when one already answers.
#
#   scripts/docker-engine.sh                    ensure an engine (start one if needed)
#   scripts/docker-engine.sh --stop-if-started  stop the dockerd that this script started
#
# Order: DOCKER_HOST or the local socket when it answers; otherwise, as root on
# Debian, install Debian's docker.io (once, with debootstrap for the kit's base
# image) and start dockerd in the background (log: /var/log/dive-verify-dockerd.log,
# pid: /var/run/dive-verify-dockerd.pid). Anything else: one line saying what to
# do, and a non-zero exit. An engine this script did not start is never stopped.
set -uo pipefail

PIDFILE=/var/run/dive-verify-dockerd.pid
LOG=/var/log/dive-verify-dockerd.log
APTLOG=/var/log/dive-verify-apt.log
say() { printf '[engine] %s\n' "$*"; }
die() { printf '[engine] ERROR: %s\n' "$*" >&2; exit 1; }

endpoint() { echo "${DOCKER_HOST:-unix:///var/run/docker.sock}"; }
answers() { timeout 5 docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})' 2>/dev/null; }

# The pid in PIDFILE, only if it is still the dockerd this script started
# (same process start time as recorded: a reused pid is not ours).
our_pid() {
  local pid started now
  [ -f "$PIDFILE" ] || return 1
  read -r pid started <"$PIDFILE" 2>/dev/null || return 1
  [ -n "${pid:-}" ] && [ -r "/proc/$pid/stat" ] || return 1
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dockerd ] || return 1
  now=$(awk '{print $22}' "/proc/$pid/stat" 2>/dev/null)
  [ -z "${started:-}" ] || [ "$started" = "$now" ] || return 1
  echo "$pid"
}

case "${1:-}" in
  "") ;;
  --stop-if-started)
    if pid=$(our_pid); then
      kill "$pid" || die "could not signal dockerd (pid $pid)"
      for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -0 "$pid" 2>/dev/null && die "dockerd (pid $pid) did not stop within 20 s; see $LOG"
      rm -f "$PIDFILE"
      say "stopped the dockerd this script started (pid $pid)"
    else
      rm -f "$PIDFILE" 2>/dev/null
      say "no dockerd started by this script is running; nothing stopped"
    fi
    exit 0 ;;
  -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) die "unknown option $1 (expected nothing or --stop-if-started)" ;;
esac

if command -v docker >/dev/null 2>&1; then
  if v=$(answers); then
    say "Docker $v at $(endpoint)"
    exit 0
  fi
  if [ -n "${DOCKER_HOST:-}" ]; then
    die "DOCKER_HOST=$DOCKER_HOST does not answer: start that engine, or unset DOCKER_HOST to use the local one"
  fi
  if [ -S /var/run/docker.sock ] && [ "$(id -u)" != 0 ] && ! [ -w /var/run/docker.sock ]; then
    die "/var/run/docker.sock exists but this user may not use it: add $(id -un) to the docker group (then log in again), or run as root"
  fi
fi

# No engine answers: start one, if this machine lets us.
[ "$(id -u)" = 0 ] || die "no Docker engine answers and this is not root: start Docker (or Docker Desktop), set DOCKER_HOST, or run this as root on Debian to have docker.io installed and started"
[ -f /etc/debian_version ] || die "no Docker engine answers and this is not Debian: install and start Docker yourself, then retry"

apt_updated=0
apt_install() { # apt_install PACKAGE...: apt-get update once, then install
  export DEBIAN_FRONTEND=noninteractive
  if [ $apt_updated = 0 ]; then
    apt-get update -qq >>"$APTLOG" 2>&1 || die "apt-get update failed (see $APTLOG): check the Debian mirror in /etc/apt/sources.list*"
    apt_updated=1
  fi
  apt-get install -y -qq --no-install-recommends "$@" >>"$APTLOG" 2>&1 \
    || die "apt-get install $* failed (see $APTLOG): check the Debian mirror and free disk space"
}
missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v docker >/dev/null 2>&1 || missing+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
if [ ${#missing[@]} -gt 0 ]; then
  # shellcheck disable=SC2207
  missing=($(printf '%s\n' "${missing[@]}" | sort -u))
  say "installing Debian's ${missing[*]} (once; log: $APTLOG)…"
  # docker.io's recommends (iptables, tini, …) are what dockerd needs: install them too
  if [[ " ${missing[*]} " == *" docker.io "* ]]; then
    apt_install debootstrap >/dev/null
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq docker.io >>"$APTLOG" 2>&1 \
      || die "apt-get install docker.io failed (see $APTLOG): check the Debian mirror and free disk space"
  else
    apt_install "${missing[@]}"
  fi
fi

if pid=$(our_pid); then
  die "dockerd (pid $pid, started earlier by this script) runs but does not answer; see $LOG, or stop it with $0 --stop-if-started"
fi

printf '[engine] starting dockerd (log: %s) ' "$LOG"
# its own session: not killed with the caller's process group
setsid nohup dockerd >>"$LOG" 2>&1 </dev/null &
pid=$!
echo "$pid $(awk '{print $22}' "/proc/$pid/stat" 2>/dev/null)" >"$PIDFILE"
for _ in $(seq 1 60); do
  if v=$(answers); then echo; say "Docker $v at $(endpoint) (started, pid $pid)"; exit 0; fi
  if ! kill -0 "$pid" 2>/dev/null; then
    echo; tail -n 10 "$LOG" >&2; rm -f "$PIDFILE"
    die "dockerd exited at once; its last log lines are above ($LOG)"
  fi
  printf '.'
  sleep 1
done
echo
tail -n 10 "$LOG" >&2
die "dockerd did not answer within 60 s; its last log lines are above ($LOG); stop it with $0 --stop-if-started"
