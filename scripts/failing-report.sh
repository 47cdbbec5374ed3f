#!/usr/bin/env bash
# A deliberately failing report, without Docker: the hand-made results of a failing run
# (src/test/resources/dive/verify/report/failing-run: one scenario failed, one broke, one was
# skipped, two passed) made into the Allure report and the sign-off summary exactly as
# ./dive-verify report makes a run's, then opened in headless Chromium by scripts/report-check.sh,
# which checks the counts, that the refuted claims come first, and that each names its cause
# and links to its scenario's page.
#
#   scripts/failing-report.sh [OUT_DIR]      default: target/failing-report
#
# Leaves OUT_DIR/allure-report (index.html, sign-off.html, overview.png, sign-off.png,
# failed-test.png) and OUT_DIR/sign-off.md. Needs what ./dive-verify report and
# scripts/report-check.sh need (Maven, Java 17, node, Debian's chromium); no Docker.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-$ROOT/target/failing-report}
FIXTURE=$ROOT/src/test/resources/dive/verify/report/failing-run

say() { printf '[failing-report] %s\n' "$*"; }

rm -rf "$OUT/allure-results" "$OUT/allure-report" "$OUT/runs" "$OUT/sign-off.md"
mkdir -p "$OUT"
cp -r "$FIXTURE" "$OUT/allure-results"
# the instances the fixture's run deployed, for the report's name: kind and code only (no .env, no secret)
for i in usa:hub:USA fra:spoke:FRA; do
  IFS=: read -r dir kind code <<<"$i"
  mkdir -p "$OUT/runs/fixture/instances/$dir"
  printf 'kind=%s\ncode=%s\n' "$kind" "$code" >"$OUT/runs/fixture/instances/$dir/instance.properties"
done

say "compiling the harness (the report's curation and sign-off are part of it)…"
log=$(cd "$ROOT" && mvn -q -B -DskipTests compile 2>&1) || { printf '%s\n' "$log" | tail -n 40 >&2; exit 1; }
DIVE_RUNS_DIR="$OUT/runs" "$ROOT/dive-verify" report "$OUT/allure-results" "$OUT/allure-report"
bash "$ROOT/scripts/report-check.sh" "$OUT/allure-report" "$OUT/allure-results"
say "the failing report: $OUT/allure-report/index.html; its summary: $OUT/allure-report/sign-off.html"
