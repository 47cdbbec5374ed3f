#!/usr/bin/env bash
# Makes Debian's Chromium and ChromeDriver available for the @browser features
# (Selenium drives them; nothing is downloaded at run time), in well under a
# second when both are already installed. As root on Debian it installs the
# packages chromium and chromium-driver once; anywhere else it says what to do.
set -uo pipefail
say() { printf '[browser] %s\n' "$*"; }
die() { printf '[browser] ERROR: %s\n' "$*" >&2; exit 1; }
LOG=/var/log/dive-verify-apt.log

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  say "$(/usr/bin/chromedriver --version 2>/dev/null | cut -d' ' -f1-2) and Debian's chromium are installed"
  exit 0
fi
[ "$(id -u)" = 0 ] && [ -f /etc/debian_version ] \
  || die "Chromium and ChromeDriver are missing: install Debian's chromium and chromium-driver (or set -Dcucumber.filter.tags='not @browser')"
say "installing Debian's chromium and chromium-driver (once; log: $LOG)…"
{ apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver; } >>"$LOG" 2>&1 \
  || die "apt-get could not install chromium chromium-driver; see $LOG"
[ -x /usr/bin/chromedriver ] || die "chromium-driver installed no /usr/bin/chromedriver; see $LOG"
say "installed $(/usr/bin/chromedriver --version | cut -d' ' -f1-2)"
