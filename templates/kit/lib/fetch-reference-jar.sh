#!/usr/bin/env bash
# Shared by the fetch.sh of the reference-service images: puts the service's
# jar (built on the host with the host's Maven) into the build context.
#   fetch-reference-jar.sh MODULE      (module of src/reference, e.g. kas)
# (and cds-train-app.sh, which the image's build runs)
# build.sh builds all reference services once (DIVE_KIT_REFERENCE_BUILT);
# run alone, this builds just MODULE. Nothing is downloaded inside an image build.
set -euo pipefail
module=${1:?usage: fetch-reference-jar.sh MODULE}
: "${CONTEXT:?CONTEXT not set}" "${REPO_ROOT:?REPO_ROOT not set}"
die() { echo "fetch $module: $*" >&2; exit 1; }
if [ -z "${DIVE_KIT_REFERENCE_BUILT:-}" ]; then
  command -v mvn >/dev/null 2>&1 || die "mvn (Maven) not found on the host - install maven"
  command -v java >/dev/null 2>&1 || die "java not found on the host - install openjdk-17-jdk-headless"
  log="$CONTEXT/.mvn-$module.log"
  if ! mvn -q -f "$REPO_ROOT/src/reference/pom.xml" -pl "$module" -am package -DskipTests >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    die "mvn package of src/reference/$module failed (log above)"
  fi
  rm -f "$log"
fi
jar="$REPO_ROOT/src/reference/$module/target/$module.jar"
[ -f "$jar" ] || die "$jar was not produced"
cp "$jar" "$CONTEXT/$module.jar"
# the image trains a class-data-sharing archive of the jar while it is built
cp "$REPO_ROOT/templates/kit/lib/cds-train-app.sh" "$CONTEXT/cds-train-app.sh"
