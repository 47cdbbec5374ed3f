#!/usr/bin/env bash
# The operator's path of attach mode, end to end, exactly as README describes
# it: the hub deployed by the harness, the spoke's instance directory made with
# --init-only, the spoke deployed by Debian's docker-compose (not by the
# harness), then `./dive-verify verify --attach` on it. Afterwards the compose
# containers must have the same ids and start times, and everything is removed
# (compose down -v, the hub cleaned, the scratch instances deleted).
#
#   scripts/attach-e2e.sh            the compose-deployed spoke must pass
#   scripts/attach-e2e.sh --no-kas   the spoke without KAS must fail, naming kas-fra
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
say() { printf '[attach-e2e] %s\n' "$*"; }
NO_KAS=false
[ "${1:-}" = "--no-kas" ] && NO_KAS=true

WORK=$(mktemp -d /tmp/dive-attach-e2e.XXXXXX)
INSTANCES=$WORK/instances
FILE=docker-compose.compose-1.29.yml
PROJECT=dive-spoke-fra
cleanup() {
  say "cleaning up"
  [ -f "$INSTANCES/fra/$FILE" ] && (cd "$INSTANCES/fra" && docker-compose -p "$PROJECT" -f "$FILE" down -v --remove-orphans >/dev/null 2>&1) || true
  ./dive-verify clean >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

bash scripts/docker-engine.sh >/dev/null
bash scripts/docker-compose.sh >/dev/null
say "1. the hub, deployed by the harness"
./dive-verify deploy hub USA --instances "$INSTANCES" | tail -n 2
say "2. the spoke's instance directory (compose file, .env, OPAL client token), deployed by nothing yet"
./dive-verify deploy spoke FRA --instances "$INSTANCES" --init-only --for-compose-1.29 | tail -n 2
cd "$INSTANCES/fra"
if $NO_KAS; then
  # the incident's spoke: KAS never created
  python3 - "$FILE" <<'EOF'
import sys, yaml
p = sys.argv[1]
d = yaml.safe_load(open(p))
del d["services"]["kas-fra"]
yaml.safe_dump(d, open(p, "w"), sort_keys=False, width=4000)
EOF
fi
say "3. the spoke, deployed by $(docker-compose version --short) (up -d, then waiting for health)"
docker-compose -p "$PROJECT" -f "$FILE" up -d 2>&1 | tail -n 3
deadline=$((SECONDS + 300))
while :; do
  states=$(docker ps -a --filter "label=com.docker.compose.project=$PROJECT" --format '{{.Names}} {{.Status}}')
  waiting=$(printf '%s\n' "$states" | grep -Ev '\(healthy\)|Exited \(0\)' || true)
  [ -z "$waiting" ] && break
  [ $SECONDS -lt $deadline ] || { say "not healthy within 300 s:"; printf '%s\n' "$waiting"; exit 1; }
  sleep 2
done
snapshot() { docker ps -a --filter "label=com.docker.compose.project=$PROJECT" --format '{{.ID}}' | sort | xargs docker inspect --format '{{.Name}} {{.Id}} {{.State.StartedAt}}'; }
before=$(snapshot)
cd "$ROOT"
say "4. ./dive-verify verify --attach $INSTANCES/fra"
rc=0
./dive-verify verify --attach "$INSTANCES/fra" > "$WORK/verify.log" 2>&1 || rc=$?
grep -E "Tests run:|scenarios|FAILED|not applicable|kas-fra|\[dive-verify\]" "$WORK/verify.log" | grep -v "^\s*at " | tail -n 25
after=$(snapshot)
if [ "$before" != "$after" ]; then say "FAIL: the verification changed the compose containers"; diff <(echo "$before") <(echo "$after"); exit 1; fi
say "the compose containers are unchanged: $(printf '%s\n' "$before" | wc -l) containers, same ids and start times"
if $NO_KAS; then
  [ $rc -ne 0 ] && grep -q "kas-fra" "$WORK/verify.log" || { say "FAIL: the spoke without KAS was not caught (exit $rc)"; exit 1; }
  say "PASS: the spoke without KAS fails verification (exit $rc), naming kas-fra"
else
  [ $rc -eq 0 ] || { say "FAIL: verify --attach exited $rc"; exit 1; }
  say "PASS: verify --attach exited 0"
fi
