#!/usr/bin/env bash
# Makes a Docker engine available, in under a second when one already answers.
#
#   scripts/docker-engine.sh                    ensure an engine (start one if needed)
#   scripts/docker-engine.sh --stop-if-started  stop the dockerd that this script started
#
# Order: DOCKER_HOST or the local socket when it answers; otherwise, as root on
# Debian, install Debian's docker.io (once) and start dockerd in the background.
# Anything else: one line saying what to do, and a non-zero exit.
set -uo pipefail

PIDFILE=/var/run/dive-verify-dockerd.pid
LOG=/var/log/dive-verify-dockerd.log
say() { printf '[engine] %s\n' "$*"; }
die() { printf '[engine] ERROR: %s\n' "$*" >&2; exit 1; }

answers() { timeout 5 docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})' 2>/dev/null; }

if [ "${1:-}" = "--stop-if-started" ]; then
  if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
    kill "$(cat "$PIDFILE")" && say "stopped the dockerd this script started (pid $(cat "$PIDFILE"))"
    for _ in $(seq 1 20); do kill -0 "$(cat "$PIDFILE")" 2>/dev/null || break; sleep 0.5; done
    rm -f "$PIDFILE"
  fi
  exit 0
fi

if command -v docker >/dev/null 2>&1; then
  if v=$(answers); then
    say "Docker $v at ${DOCKER_HOST:-unix:///var/run/docker.sock}"
    exit 0
  fi
  [ -n "${DOCKER_HOST:-}" ] && die "DOCKER_HOST=$DOCKER_HOST does not answer; start that engine or unset DOCKER_HOST"
fi

# No engine answers: start one, if this machine lets us.
[ "$(id -u)" = 0 ] || die "no Docker engine answers and this is not root: start Docker (or Docker Desktop), or run as root on Debian to have it installed"
[ -f /etc/debian_version ] || die "no Docker engine answers and this is not Debian: install and start Docker, then retry"

if ! command -v dockerd >/dev/null 2>&1; then
  say "installing Debian's docker.io (once)…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/tmp/dive-verify-apt.log 2>&1 || die "apt-get update failed (see /tmp/dive-verify-apt.log); check the Debian mirror"
  apt-get install -y -qq docker.io debootstrap >>/tmp/dive-verify-apt.log 2>&1 \
    || die "apt-get install docker.io failed (see /tmp/dive-verify-apt.log)"
fi
command -v debootstrap >/dev/null 2>&1 || { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null 2>&1 || true; }

say "starting dockerd (log: $LOG)"
nohup dockerd >"$LOG" 2>&1 &
echo $! >"$PIDFILE"
for i in $(seq 1 120); do
  if v=$(answers); then echo; say "Docker $v started"; exit 0; fi
  kill -0 "$(cat "$PIDFILE")" 2>/dev/null || { echo; tail -n 10 "$LOG" >&2; die "dockerd exited; its last lines are above"; }
  printf '.'
  sleep 0.5
done
echo
tail -n 10 "$LOG" >&2
die "dockerd did not answer within 60 s; its last lines are above"
