#!/usr/bin/env bash
# Runs on the host before the build: builds the kas jar with the host's Maven (Maven Central is reachable
# from the host only) and puts it into the build context. Nothing is downloaded inside the image build.
set -euo pipefail
: "${CONTEXT:?CONTEXT not set}" "${REPO_ROOT:?REPO_ROOT not set}"
command -v mvn >/dev/null 2>&1 || { echo "fetch kas: mvn (Maven) not found on the host - install maven" >&2; exit 1; }
command -v java >/dev/null 2>&1 || { echo "fetch kas: java not found on the host - install openjdk-17-jdk-headless" >&2; exit 1; }
# build.sh builds all reference services once (DIVE_KIT_REFERENCE_BUILT); alone, build this one
if [ -z "${DIVE_KIT_REFERENCE_BUILT:-}" ]; then
  if ! mvn -q -f "$REPO_ROOT/src/reference/pom.xml" -pl kas -am package -DskipTests >"$CONTEXT/.mvn-kas.log" 2>&1; then
    tail -n 30 "$CONTEXT/.mvn-kas.log" >&2
    echo "fetch kas: mvn package of src/reference/kas failed (log above)" >&2
    exit 1
  fi
  rm -f "$CONTEXT/.mvn-kas.log"
fi
jar="$REPO_ROOT/src/reference/kas/target/kas.jar"
[ -f "$jar" ] || { echo "fetch kas: $jar was not produced" >&2; exit 1; }
cp "$jar" "$CONTEXT/kas.jar"
