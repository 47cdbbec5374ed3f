#!/usr/bin/env bash
# Opens the Allure report's overview in Debian's headless Chromium and checks that the
# counts it shows (total, passed, failed, broken, skipped) are those of the results.
#
#   scripts/report-check.sh [REPORT_DIR] [RESULTS_DIR]
#       defaults: reports/allure-report and reports/allure-results
#
# Expected counts come from RESULTS_DIR/*-result.json: one test per historyId, its
# latest attempt (as Allure folds retries). The shown counts come from the rendered
# page: the summary widget's total and the status donut's tooltips. The report is
# served on 127.0.0.1 for the duration (its data is loaded with XHR, which file://
# refuses); any request elsewhere is blocked. A screenshot of the overview is kept as
# REPORT_DIR/overview.png. Exits non-zero when the counts differ or the overview does
# not render within REPORT_CHECK_TIMEOUT seconds (default 60).
#
# Needs: Debian's chromium (installed when missing, as root on Debian), node >= 18 and
# npm (playwright-core is installed with npm into REPORT_CHECK_HOME, default
# target/report-check; no browser is downloaded).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
REPORT_DIR=${1:-$ROOT/reports/allure-report}
RESULTS_DIR=${2:-$ROOT/reports/allure-results}
HOME_DIR=${REPORT_CHECK_HOME:-$ROOT/target/report-check}
export REPORT_CHECK_TIMEOUT=${REPORT_CHECK_TIMEOUT:-60}
export CHROMIUM=${CHROMIUM:-/usr/bin/chromium}

say() { printf '[report-check] %s\n' "$*"; }
die() { printf '[report-check] ERROR: %s\n' "$*" >&2; exit 1; }

[ -f "$REPORT_DIR/index.html" ] || die "no report at $REPORT_DIR/index.html; generate it first (./dive-verify report)"
[ -d "$RESULTS_DIR" ] || die "no results directory $RESULTS_DIR"

TMP=$(mktemp -d /tmp/report-check.XXXXXX)
cleanup() { rm -rf "$TMP"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

apt_install() {  # apt_install WHAT PACKAGE...: as root on Debian only, else one line and exit
  [ "$(id -u)" = 0 ] && [ -f /etc/debian_version ] \
    || die "$1 is not installed; install it (apt-get install ${*:2}) and retry"
  say "installing Debian's ${*:2} (once)…"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -qq "${@:2}" >"$TMP/apt.log" 2>&1; then
    apt-get update -qq >>"$TMP/apt.log" 2>&1 && apt-get install -y -qq "${@:2}" >>"$TMP/apt.log" 2>&1 \
      || { tail -n 5 "$TMP/apt.log" >&2; die "apt-get install ${*:2} failed"; }
  fi
}

# Debian's Chromium (the browser the check runs in; nothing is downloaded besides it)
if [ ! -x "$CHROMIUM" ]; then
  [ "$CHROMIUM" = /usr/bin/chromium ] || die "CHROMIUM=$CHROMIUM is not an executable"
  apt_install "Debian's chromium" chromium
fi
command -v node >/dev/null && command -v npm >/dev/null || apt_install "node and npm" nodejs npm
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 18 ] || die "node $(node --version) is too old; node 18 or newer is needed"

# playwright-core drives the browser; its newest releases need node 20
PW_VERSION=1.65.1
[ "$node_major" -ge 20 ] || PW_VERSION=1.60.0
if [ "$(node -p "try { require('$HOME_DIR/node_modules/playwright-core/package.json').version } catch (e) { '' }")" != "$PW_VERSION" ]; then
  mkdir -p "$HOME_DIR"
  [ -f "$HOME_DIR/package.json" ] || echo '{"private": true}' >"$HOME_DIR/package.json"
  npm install --prefix "$HOME_DIR" --no-audit --no-fund --no-save --loglevel=error "playwright-core@$PW_VERSION" >"$TMP/npm.log" 2>&1 \
    || { tail -n 5 "$TMP/npm.log" >&2; die "npm could not install playwright-core@$PW_VERSION"; }
fi

# the helper serves the report on 127.0.0.1, runs Chromium with a fresh profile in $TMP,
# compares and takes the screenshot; timeout is a backstop should the browser hang
mkdir -p "$TMP/profile"
NODE_PATH="$HOME_DIR/node_modules" timeout --kill-after=10 $((REPORT_CHECK_TIMEOUT + 60)) \
  node "$ROOT/scripts/report-check.js" "$REPORT_DIR" "$RESULTS_DIR" "$TMP/profile" \
  || { rc=$?; [ "$rc" -ne 124 ] || say "ERROR: the browser did not finish within $((REPORT_CHECK_TIMEOUT + 60)) s" >&2; exit "$rc"; }
