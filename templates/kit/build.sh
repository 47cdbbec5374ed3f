#!/usr/bin/env bash
# Builds the offline image kit (see README.md beside this file).
#
#   build.sh [--force] [IMAGE ...]   build what changed (all images, or these and their parents)
#   build.sh --list                  each image: tag, upstream version, hash label (or "missing")
#
# An image is rebuilt only when the hash of its inputs (staged build context,
# pinned versions, parent's hash) differs from the label on the existing image.
set -euo pipefail
export DOCKER_BUILDKIT=0   # the classic builder: works with any client and engine, no buildx needed

KIT_DIR=$(cd "$(dirname "$0")" && pwd)
REPO_ROOT=$(cd "$KIT_DIR/../.." && pwd)
IMAGES_DIR=$KIT_DIR/images
export REPO_ROOT
export CACHE=${DIVE_KIT_CACHE:-$HOME/.cache/dive-verify/kit}
LABEL_HASH=org.dive-verify.kit.hash

set -a
# shellcheck disable=SC1091
. "$KIT_DIR/versions.env"
set +a

say() { printf '[kit] %s\n' "$*"; }
fail() { printf '[kit] ERROR %s\n' "$*" >&2; exit 1; }

command -v docker >/dev/null || fail "docker: the docker client is not installed — run scripts/docker-engine.sh"
timeout 10 docker version >/dev/null 2>&1 || fail "docker: no engine answers — run scripts/docker-engine.sh"
command -v sha256sum >/dev/null || fail "sha256sum: not found — install coreutils"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/dive-kit.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$CACHE"

tag_of() { echo "$KIT_NS/$1:$KIT_VERSION"; }
conf_of() { # prints PARENT and UPSTREAM_VERSION of an image
  local name=$1 PARENT="" UPSTREAM_VERSION=""
  [ -f "$IMAGES_DIR/$name/image.conf" ] || fail "$name: no image.conf in $IMAGES_DIR/$name"
  # shellcheck disable=SC1090
  . "$IMAGES_DIR/$name/image.conf"
  printf '%s\n%s\n' "$PARENT" "$UPSTREAM_VERSION"
}
parent_of() { conf_of "$1" | sed -n 1p; }
upstream_of() { conf_of "$1" | sed -n 2p; }
label_of() { docker image inspect --format "{{ index .Config.Labels \"$LABEL_HASH\" }}" "$(tag_of "$1")" 2>/dev/null || true; }

all_images() { find "$IMAGES_DIR" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort; }

# Dependency order: parents before children.
declare -A SEEN=()
ORDER=()
visit() {
  local name=$1
  [ -d "$IMAGES_DIR/$name" ] || fail "$name: unknown image; known: $(all_images | tr '\n' ' ')"
  [ -n "${SEEN[$name]:-}" ] && return
  SEEN[$name]=1
  local p; p=$(parent_of "$name")
  [ -n "$p" ] && visit "$p"
  ORDER+=("$name")
}

FORCE=0
LIST=0
WANTED=()
for a in "$@"; do
  case "$a" in
    --force) FORCE=1 ;;
    --list) LIST=1 ;;
    -*) fail "option $a: unknown; expected --force or --list" ;;
    *) WANTED+=("$a") ;;
  esac
done
[ ${#WANTED[@]} -eq 0 ] && mapfile -t WANTED < <(all_images)
for w in "${WANTED[@]}"; do visit "$w"; done

if [ $LIST = 1 ]; then
  for name in "${ORDER[@]}"; do
    h=$(label_of "$name"); printf '%-14s %-34s %-60s %s\n' "$name" "$(tag_of "$name")" "$(upstream_of "$name")" "${h:-missing}"
  done
  exit 0
fi

# The pins an image depends on: those its folder mentions (Dockerfile ARGs,
# fetch.sh, image.conf), plus the kit's own. A pin change rebuilds only the
# images that use it (and their children, through the parent's hash).
pins_of() {
  local name=$1 k
  while IFS='=' read -r k _; do
    [[ "$k" =~ ^[A-Z_][A-Z0-9_]*$ ]] || continue
    case "$k" in KIT_NS|KIT_VERSION) echo "$k=${!k}"; continue ;; esac
    if grep -rqw -- "$k" "$IMAGES_DIR/$name"; then echo "$k=${!k}"; fi
  done < "$KIT_DIR/versions.env"
}
declare -A HASH=()
# every pin is offered to every Dockerfile as a build argument (ARG picks what it needs)
VERSION_ARGS=()
while IFS='=' read -r k _; do
  [[ "$k" =~ ^[A-Z_][A-Z0-9_]*$ ]] && VERSION_ARGS+=(--build-arg "$k")
done < "$KIT_DIR/versions.env"

context_hash() { # hash of every file in a staged context, with relative paths
  (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-64
}

build_base() {
  local tag=$1 hash=$2 upstream=$3 dir="$WORK/base-rootfs"
  command -v debootstrap >/dev/null || fail "base: debootstrap is not installed — apt-get install debootstrap (scripts/docker-engine.sh does)"
  [ "$(id -u)" = 0 ] || fail "base: debootstrap needs root"
  say "base: debootstrap --variant=minbase $DEBIAN_SUITE (about a minute)…"
  if ! debootstrap --variant=minbase "$DEBIAN_SUITE" "$dir" "$DEBIAN_MIRROR" >"$WORK/base.log" 2>&1; then
    tail -n 30 "$WORK/base.log" >&2
    fail "base: debootstrap failed (last lines above) — check the Debian mirror $DEBIAN_MIRROR and free disk"
  fi
  rm -rf "$dir/var/cache/apt/archives/"*.deb "$dir/var/lib/apt/lists/"*
  local tmp="$KIT_NS/base:building-$$"
  if ! tar -C "$dir" -c . | docker import \
      --change "LABEL $LABEL_HASH=$hash" \
      --change "LABEL org.dive-verify.kit.upstream-version=\"$upstream\"" \
      --change "LABEL org.dive-verify.kit.version=$KIT_VERSION" \
      --change "LABEL org.dive-verify.project=dive-verify" \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'ENV LANG=C.UTF-8' \
      --change 'CMD ["bash"]' - "$tmp" >/dev/null; then
    docker rmi "$tmp" >/dev/null 2>&1 || true
    fail "base: docker import failed — is the disk full? (df -h /var/lib/docker)"
  fi
  docker tag "$tmp" "$tag" && docker rmi "$tmp" >/dev/null
}

# The reference services (src/reference) are built once for all their images,
# and only when a source is newer than the jars.
REFERENCE_MODULES=(backend kas frontend mongodb-standin)
needs_reference=0
for name in "${ORDER[@]}"; do case "$name" in backend|kas|frontend|mongodb) needs_reference=1 ;; esac; done
reference_fresh() {
  local m jar
  for m in "${REFERENCE_MODULES[@]}"; do
    jar="$REPO_ROOT/src/reference/$m/target/$m.jar"
    [ -f "$jar" ] || return 1
    [ -z "$(find "$REPO_ROOT/src/reference/pom.xml" "$REPO_ROOT/src/reference/$m/pom.xml" "$REPO_ROOT/src/reference/$m/src" -newer "$jar" -print -quit)" ] || return 1
  done
}
if [ $needs_reference = 1 ]; then
  if ! reference_fresh; then
    command -v mvn >/dev/null || fail "reference services: mvn (Maven) is not installed — apt-get install maven"
    say "reference services: building src/reference (backend, kas, frontend, mongodb-standin) …"
    mvn -q -B -f "$REPO_ROOT/src/reference/pom.xml" package -DskipTests >"$WORK/reference.log" 2>&1 \
      || { tail -n 30 "$WORK/reference.log" >&2; fail "reference services: mvn package failed (last lines above)"; }
  fi
  export DIVE_KIT_REFERENCE_BUILT=1
fi

for name in "${ORDER[@]}"; do
  tag=$(tag_of "$name")
  parent=$(parent_of "$name")
  upstream=$(upstream_of "$name")
  ctx="$WORK/ctx-$name"
  cp -r "$IMAGES_DIR/$name" "$ctx"
  if [ -x "$ctx/fetch.sh" ] || [ -f "$ctx/fetch.sh" ]; then
    if ! (cd "$ctx" && CONTEXT="$ctx" bash ./fetch.sh) >"$WORK/fetch-$name.log" 2>&1; then
      tail -n 20 "$WORK/fetch-$name.log" >&2
      fail "$name: fetching its artifacts failed (last lines above) — check the registry named there and the host's client (mvn, go, pip, npm)"
    fi
    rm -f "$ctx/fetch.sh.out"
  fi
  hash=$( { echo "kit $KIT_VERSION"; pins_of "$name"; echo "parent ${parent:+${HASH[$parent]:-}}"; context_hash "$ctx"; } | sha256sum | cut -c1-64)
  HASH[$name]=$hash
  existing=$(label_of "$name")
  if [ $FORCE = 0 ] && [ "$existing" = "$hash" ]; then
    say "$name: up to date (${hash:0:12})"
    continue
  fi
  start=$(date +%s)
  if [ "$name" = base ]; then
    build_base "$tag" "$hash" "$upstream"
  else
    say "$name: building ${tag} …"
    if ! docker build --network host -q -t "$tag" \
        "${VERSION_ARGS[@]}" \
        --label "$LABEL_HASH=$hash" --label "org.dive-verify.kit.upstream-version=$upstream" \
        --label "org.dive-verify.kit.version=$KIT_VERSION" --label "org.dive-verify.project=dive-verify" \
        "$ctx" >"$WORK/build-$name.log" 2>&1; then
      tail -n 30 "$WORK/build-$name.log" >&2
      fail "$name: docker build failed (last lines above) — fix templates/kit/images/$name/Dockerfile, or check disk space and the Debian mirror"
    fi
  fi
  say "$name: built in $(( $(date +%s) - start ))s (${hash:0:12})"
done
