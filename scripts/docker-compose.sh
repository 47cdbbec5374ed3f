#!/usr/bin/env bash
# Makes Debian's docker-compose available: the independent deployer that the
# attach features deploy with (a harness that only verified its own
# deployments would prove nothing about an operator's). As root on Debian it
# installs the package docker-compose once; anywhere else it says what to do.
set -uo pipefail
say() { printf '[compose] %s\n' "$*"; }
die() { printf '[compose] ERROR: %s\n' "$*" >&2; exit 1; }
LOG=/var/log/dive-verify-apt.log

if command -v docker-compose >/dev/null 2>&1; then
  say "$(docker-compose version --short 2>/dev/null | head -1 | sed 's/^/docker-compose /') is installed"
  exit 0
fi
[ "$(id -u)" = 0 ] && [ -f /etc/debian_version ] \
  || die "docker-compose is missing: install Debian's docker-compose (or set -Dcucumber.filter.tags='not @attach')"
say "installing Debian's docker-compose (once; log: $LOG)…"
{ apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q docker-compose; } >>"$LOG" 2>&1 \
  || die "apt-get could not install docker-compose; see $LOG"
say "installed $(docker-compose version --short 2>/dev/null | head -1)"
