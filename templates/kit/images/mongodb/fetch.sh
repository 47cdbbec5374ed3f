#!/usr/bin/env bash
# Runs on the host before the build (templates/kit/build.sh): puts into $CONTEXT
#   mongodb-standin.jar   the MongoDB stand-in, built from src/reference/mongodb-standin with the host's Maven
#   mongosh/node_modules  mongosh and its dependencies, installed with the host's npm from mongosh/package-lock.json
#   dive-mongo-rs         the health check and replica-set initiation without Node, built with the host's Go
#                         from src/reference/mongodb-standin/rs-tool (cached by its sources and the Go version)
# Nothing is downloaded inside the image build (apt's nodejs excepted).
set -euo pipefail
: "${CONTEXT:?CONTEXT not set}" "${REPO_ROOT:?REPO_ROOT not set}"
CACHE="${CACHE:-${DIVE_KIT_CACHE:-$HOME/.cache/dive-verify/kit}}"
die() { echo "fetch mongodb: $*" >&2; exit 1; }

[ -n "${MONGO_JAVA_SERVER_VERSION:-}" ] || die "MONGO_JAVA_SERVER_VERSION is empty in templates/kit/versions.env"
[ -n "${MONGOSH_VERSION:-}" ] || die "MONGOSH_VERSION is empty in templates/kit/versions.env"
command -v mvn >/dev/null 2>&1 || die "mvn (Maven) not found on the host - install maven"
command -v java >/dev/null 2>&1 || die "java not found on the host - install openjdk-17-jdk-headless"
command -v npm >/dev/null 2>&1 || die "npm not found on the host - install nodejs/npm"

# The pins must agree: versions.env is what the kit hashes, the poms and package.json are what gets built.
module="$REPO_ROOT/src/reference/mongodb-standin"
pom_mjs=$(sed -n 's:.*<mongo-java-server.version>\(.*\)</mongo-java-server.version>.*:\1:p' "$module/pom.xml" | head -n1)
[ "$pom_mjs" = "$MONGO_JAVA_SERVER_VERSION" ] \
  || die "versions.env MONGO_JAVA_SERVER_VERSION=$MONGO_JAVA_SERVER_VERSION but $module/pom.xml pins '$pom_mjs'"
pkg_sh=$(sed -n 's/.*"mongosh": *"\([^"]*\)".*/\1/p' "$CONTEXT/mongosh/package.json" | head -n1)
[ "$pkg_sh" = "$MONGOSH_VERSION" ] \
  || die "versions.env MONGOSH_VERSION=$MONGOSH_VERSION but images/mongodb/mongosh/package.json pins '$pkg_sh' (update it and run 'npm install --package-lock-only' there)"

# 1. the stand-in jar
if [ -z "${DIVE_KIT_REFERENCE_BUILT:-}" ]; then  # else build.sh built it already
  log="$CONTEXT/.mvn-mongodb-standin.log"
  if ! mvn -q -f "$REPO_ROOT/src/reference/pom.xml" -pl mongodb-standin -am package -DskipTests >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    die "mvn package of src/reference/mongodb-standin failed (log above)"
  fi
  rm -f "$log"
fi
[ -f "$module/target/mongodb-standin.jar" ] || die "$module/target/mongodb-standin.jar was not produced"
cp "$module/target/mongodb-standin.jar" "$CONTEXT/mongodb-standin.jar"

# 2. mongosh, exactly as locked. No install scripts: the native extras (kerberos, client-side encryption,
#    machine id, ssh2's crypto binding) are optional, and a binding compiled for the host's node would not
#    load in the image's node anyway. npm's cache is kept between runs.
lock_hash=$(sha256sum "$CONTEXT/mongosh/package-lock.json" | cut -c1-16)
cached="$CACHE/mongosh-$MONGOSH_VERSION-$lock_hash/node_modules"
if [ ! -d "$cached" ]; then
  log="$CONTEXT/.npm-mongosh.log"
  if ! (cd "$CONTEXT/mongosh" && npm ci --omit=optional --omit=dev --ignore-scripts --no-audit --no-fund \
          --cache "$CACHE/npm" >"$log" 2>&1); then
    tail -n 30 "$log" >&2
    die "npm ci of mongosh $MONGOSH_VERSION failed (log above)"
  fi
  rm -f "$log"
  mkdir -p "$(dirname "$cached")"
  rm -rf "$cached.tmp" && cp -a "$CONTEXT/mongosh/node_modules" "$cached.tmp" && mv "$cached.tmp" "$cached"
else
  # the same lock file was installed before: hard links, no network, no copy
  rm -rf "$CONTEXT/mongosh/node_modules"
  cp -al "$cached" "$CONTEXT/mongosh/node_modules" 2>/dev/null || cp -a "$cached" "$CONTEXT/mongosh/node_modules"
fi
[ -x "$CONTEXT/mongosh/node_modules/.bin/mongosh" ] || [ -f "$CONTEXT/mongosh/node_modules/mongosh/bin/mongosh.js" ] \
  || die "mongosh was not installed into the build context"

# 3. dive-mongo-rs: static, reproducible (-trimpath, no VCS stamp), so the same sources give the same
#    bytes and the image's content hash does not move between machines with the same Go.
command -v go >/dev/null 2>&1 || die "go not found on the host - install Go (it also builds OPA)"
tool="$REPO_ROOT/src/reference/mongodb-standin/rs-tool"
tool_hash=$( { go env GOVERSION; cat "$tool/go.mod" "$tool/go.sum" "$tool"/*.go; } | sha256sum | cut -c1-16)
tool_bin="$CACHE/mongodb-rs/dive-mongo-rs-$tool_hash"
if [ ! -s "$tool_bin" ]; then
  mkdir -p "$CACHE/mongodb-rs"
  log="$CONTEXT/.go-mongodb-rs.log"
  if ! (cd "$tool" && CGO_ENABLED=0 GOOS=linux GOARCH=amd64 GOTOOLCHAIN=local GOFLAGS="-mod=readonly -buildvcs=false" \
          go build -trimpath -ldflags "-s -w" -o "$tool_bin.tmp" . >"$log" 2>&1); then
    tail -n 30 "$log" >&2
    die "go build of $tool failed (log above; the Go module proxy must be reachable the first time)"
  fi
  rm -f "$log"
  mv "$tool_bin.tmp" "$tool_bin"
fi
cp "$tool_bin" "$CONTEXT/dive-mongo-rs"
chmod 0755 "$CONTEXT/dive-mongo-rs"

# 4. the class-data-sharing trainer the image's build runs (shared with the reference services)
cp "$REPO_ROOT/templates/kit/lib/cds-train-app.sh" "$CONTEXT/cds-train-app.sh"
