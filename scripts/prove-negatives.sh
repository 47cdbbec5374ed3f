#!/usr/bin/env bash
# Proves that the negative scenarios fail for their checks' own reasons: for
# each mutation below, a scratch copy of the repository gets one check
# deliberately broken, the named negative scenario is run against it, and the
# scenario must turn RED with the check's own verdict ("... should have failed
# against the broken variant, but it passed" or "did not reach a verdict").
# A negative that stays green with its check broken is a defect.
#
#   scripts/prove-negatives.sh [NAME...]     default: every mutation
#   scripts/prove-negatives.sh --report DIR missing-container-detection
#        also makes the report of that deliberately failing run (Allure report, sign-off summary,
#        headless-Chromium check with screenshots) in DIR: the refuted claim must come first, with its cause
#
# Needs the engine and the kit images (./dive-verify kit). About 1-2 minutes
# per mutation. The scratch copies live in a temp dir and are removed.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
say() { printf '[prove-negatives] %s\n' "$*"; }

# name | file | text to replace | replacement | scenario name (regex)
MUTATIONS=(
  "missing-container-detection|src/main/java/dive/verify/check/Verdicts.java|if (!existing.containsKey(key)) {|if (false) {|A template that places KAS in no stage"
  "log-scan-blind|src/main/java/dive/verify/probe/LogScan.java|if (RETRY_LINE.matcher(line).find()) continue;|if (true) continue;|The backend started without DATABASE_URL|Redis started without its config file"
  "primary-always-true|src/main/java/dive/verify/probe/MongoProbe.java|return Integer.valueOf(1).equals(state) ? Evidence.ok|return true ? Evidence.ok|MongoDB steps down after its health check passed"
  "engine-agreement-ignored|src/main/java/dive/verify/deploy/EngineHealth.java|if (\"healthy\".equals(health)) {|if (true) {|A service whose health check passes for the harness but not for the engine is named as unhealthy"
  "suspension-unseen|src/main/java/dive/verify/sso/FederationRecords.java|\"approved\".equals(status));|true);|The hub's record of FRA no longer reads approved"
  "heartbeat-age-ignored|src/main/java/dive/verify/sso/FederationRecords.java|age != null && age.compareTo(window) <= 0|age != null|GBR's heartbeats stop because its backend hangs"
)
# What counts as red: the check passed where it must fail, threw instead of judging, or the deployment that
# must fail passed. A mutation may name one more finding of its own: with the engine's agreement ignored, the
# health check still fails (the engine says "starting") but can no longer say why, which only it may count as red.
RED='should have failed against the broken variant, but it passed|did not reach a verdict|the deployment should have failed\]'
declare -A ALSO_RED=(
  [engine-agreement-ignored]='why the all-services-healthy check failed\]'
)

report_dir=""
if [ "${1:-}" = "--report" ]; then
  [ $# -ge 2 ] || { say "--report needs a directory"; exit 2; }
  report_dir=$(mkdir -p "$2" && cd "$2" && pwd); shift 2
fi
want=("$@")
tmp=$(mktemp -d /tmp/prove-negatives.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
rc=0
for m in "${MUTATIONS[@]}"; do
  IFS='|' read -r name file from to scenarios <<<"$m"
  scenarios=${m#*|*|*|*|}
  if [ ${#want[@]} -gt 0 ] && [[ ! " ${want[*]} " == *" $name "* ]]; then continue; fi
  copy="$tmp/$name"
  mkdir -p "$copy"
  (cd "$ROOT" && tar -c --exclude=./target --exclude=./reports --exclude=./instances --exclude=./.git . ) | tar -x -C "$copy"
  python3 - "$copy/$file" "$from" "$to" <<'PY' || { say "$name: the text to mutate is no longer in $file; update this script"; rc=1; continue; }
import sys
p, old, new = sys.argv[1:4]
s = open(p).read()
if old not in s: sys.exit(1)
open(p, 'w').write(s.replace(old, new, 1))
PY
  IFS='|' read -ra names <<<"$scenarios"
  for scenario in "${names[@]}"; do
    say "$name: running \"$scenario\" with the check broken…"
    log="$tmp/$name-$(echo "$scenario" | tr -c 'a-zA-Z0-9' '_').log"
    (cd "$copy" && mvn -B -q verify -Dtest=NoUnitTests -Dsurefire.failIfNoSpecifiedTests=false \
        -Dcucumber.filter.name="^$scenario\$" -Dcucumber.filter.tags="not @wip" >"$log" 2>&1)
    status=$?
    red=$RED
    [ -z "${ALSO_RED[$name]:-}" ] || red="$red|${ALSO_RED[$name]}"
    finding=$(grep -m1 -oE "($red)[^\"]{0,160}" "$log")
    if [ $status -ne 0 ] && [ -n "$finding" ]; then
      say "  RED, as it must be: $finding"
      if [ -n "$report_dir" ]; then
        # the failing run's own report, as a release manager would get it: the refuted claim first, with its cause
        rm -rf "$report_dir/allure-report" && mkdir -p "$report_dir"
        # (sign-off.md lands beside the report, in DIR)
        DIVE_RUNS_DIR="$copy/target/dive-verify" "$ROOT/dive-verify" report "$copy/reports/allure-results" "$report_dir/allure-report" \
          && bash "$ROOT/scripts/report-check.sh" "$report_dir/allure-report" "$copy/reports/allure-results" || rc=1
        report_dir=""   # the first failing run only
      fi
    else
      say "  DEFECT: \"$scenario\" did not turn red for its check's own reason with $name (exit $status); log: $log"
      cp "$log" "$ROOT/target/prove-negatives-$name.log" 2>/dev/null || true
      rc=1
    fi
  done
done
[ $rc -eq 0 ] && say "every negative turned red for its own check's reason"
exit $rc
