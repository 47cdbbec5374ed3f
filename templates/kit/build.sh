#!/usr/bin/env bash
# Builds the offline image kit (see README.md beside this file).
#
#   build.sh [--force] [IMAGE ...]   build what changed (all images, or these and their parents)
#   build.sh --list                  each image: tag, upstream version, hash label (or "missing")
#
# An image is rebuilt only when the hash of its inputs (every file of its staged
# build context, the pins of versions.env it uses, its parent's hash) differs
# from the org.dive-verify.kit.hash label of the existing image.
# Build logs: ${TMPDIR:-/tmp}/dive-kit-logs/<image>.log (shown only on failure).
# The Debian mirror is the host's own (its apt configuration), or DIVE_KIT_DEBIAN_MIRROR.
set -euo pipefail
export DOCKER_BUILDKIT=0   # the classic builder: works with any client and engine, no buildx needed

KIT_DIR=$(cd "$(dirname "$0")" && pwd)
REPO_ROOT=$(cd "$KIT_DIR/../.." && pwd)
IMAGES_DIR=$KIT_DIR/images
export REPO_ROOT
export CACHE=${DIVE_KIT_CACHE:-$HOME/.cache/dive-verify/kit}
LABEL_HASH=org.dive-verify.kit.hash
LOGDIR=${TMPDIR:-/tmp}/dive-kit-logs
MIN_FREE_MB=${DIVE_KIT_MIN_FREE_MB:-3000}

set -a
# shellcheck disable=SC1091
. "$KIT_DIR/versions.env"
set +a

# The Debian mirror comes from the host, so that an air-gapped site's own mirror just works:
# DIVE_KIT_DEBIAN_MIRROR, else the first http(s) deb source for "$DEBIAN_SUITE main" in the host's
# apt configuration (sources.list, then sources.list.d/*.list and *.sources in apt's order).
# Written without a trailing slash, so the same mirror always gives the same image hash.
apt_list_sources() { # one-line format: deb [options] URI SUITE COMPONENT...
  awk -v suite="$DEBIAN_SUITE" '
    { sub(/#.*/, "") }
    $1 == "deb" {
      i = 2
      if ($i ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
      if ($(i + 1) != suite) next
      for (j = i + 2; j <= NF; j++) if ($j == "main" && $i ~ /^https?:\/\//) { print $i; next }
    }' "$1"
}
apt_deb822_sources() { # deb822 format: stanzas of Types, URIs, Suites, Components (and Enabled)
  awk -v suite="$DEBIAN_SUITE" '
    function has(list, word,   n, a, k) { n = split(list, a, /[ \t]+/); for (k = 1; k <= n; k++) if (a[k] == word) return 1; return 0 }
    function stanza(   n, a, k) {
      if (has(f["types"], "deb") && has(f["suites"], suite) && has(f["components"], "main") && tolower(f["enabled"]) != "no") {
        n = split(f["uris"], a, /[ \t]+/)
        for (k = 1; k <= n; k++) if (a[k] ~ /^https?:\/\//) { print a[k]; break }
      }
      delete f; key = ""
    }
    /^[ \t]*#/ { next }
    /^[ \t]*$/ { stanza(); next }
    /^[ \t]/ { if (key != "") f[key] = f[key] " " $0; next }
    { key = tolower($0); sub(/:.*/, "", key); v = $0; sub(/^[^:]*:[ \t]*/, "", v); f[key] = v }
    END { stanza() }' "$1"
}
host_debian_mirror() {
  local etc=${DIVE_KIT_APT_ETC:-/etc/apt} f found
  while IFS= read -r f; do
    [ -f "$f" ] || continue
    case "$f" in
      *.sources) found=$(apt_deb822_sources "$f") ;;
      *) found=$(apt_list_sources "$f") ;;
    esac
    if [ -n "$found" ]; then printf '%s\n' "${found%%$'\n'*}"; return 0; fi
  done < <(echo "$etc/sources.list"; find "$etc/sources.list.d" -maxdepth 1 -type f \( -name '*.list' -o -name '*.sources' \) 2>/dev/null | LC_ALL=C sort)
  return 0
}
if [ -n "${DIVE_KIT_DEBIAN_MIRROR:-}" ]; then
  DEBIAN_MIRROR=$DIVE_KIT_DEBIAN_MIRROR; MIRROR_FROM="DIVE_KIT_DEBIAN_MIRROR"
else
  DEBIAN_MIRROR=$(host_debian_mirror); MIRROR_FROM="the host's apt configuration (${DIVE_KIT_APT_ETC:-/etc/apt})"
fi
DEBIAN_MIRROR=${DEBIAN_MIRROR%/}
export DEBIAN_MIRROR

say() { printf '[kit] %s\n' "$*"; }
# fail IMAGE WHAT HOW: the one line that says what failed and how to fix it.
fail() { printf '[kit] ERROR %s: %s — %s\n' "$1" "$2" "$3" >&2; exit 1; }

FORCE=0
LIST=0
WANTED=()
for a in "$@"; do
  case "$a" in
    --force) FORCE=1 ;;
    --list) LIST=1 ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) fail kit "unknown option $a" "use --force, --list or image names" ;;
    *) WANTED+=("$a") ;;
  esac
done

command -v docker >/dev/null || fail kit "the docker client is not installed" "run scripts/docker-engine.sh"
timeout 10 docker version >/dev/null 2>&1 || fail kit "no Docker engine answers" "run scripts/docker-engine.sh (or set DOCKER_HOST)"
command -v sha256sum >/dev/null || fail kit "sha256sum not found" "install coreutils"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/dive-kit.XXXXXX")
TEMP_TAG=""
cleanup() {
  [ -n "$TEMP_TAG" ] && docker rmi "$TEMP_TAG" >/dev/null 2>&1
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'echo; say "interrupted"; exit 130' INT TERM
mkdir -p "$CACHE" "$LOGDIR" || fail kit "cannot create $CACHE or $LOGDIR" "check permissions, or set DIVE_KIT_CACHE / TMPDIR"

tag_of() { echo "$KIT_NS/$1:$KIT_VERSION"; }
conf_of() { # prints PARENT and UPSTREAM_VERSION of an image
  local name=$1 PARENT="" UPSTREAM_VERSION=""
  [ -f "$IMAGES_DIR/$name/image.conf" ] || fail "$name" "no image.conf in $IMAGES_DIR/$name" "add one with PARENT= and UPSTREAM_VERSION="
  # shellcheck disable=SC1090
  . "$IMAGES_DIR/$name/image.conf"
  printf '%s\n%s\n' "$PARENT" "$UPSTREAM_VERSION"
}
parent_of() { conf_of "$1" | sed -n 1p; }
upstream_of() { conf_of "$1" | sed -n 2p; }
label_of() { docker image inspect --format "{{ index .Config.Labels \"$LABEL_HASH\" }}" "$(tag_of "$1")" 2>/dev/null || true; }

all_images() { find "$IMAGES_DIR" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | LC_ALL=C sort; }

# Dependency order: parents before children (PARENT in image.conf).
declare -A STATE=()
ORDER=()
visit() {
  local name=$1 p
  [ -d "$IMAGES_DIR/$name" ] || fail "$name" "unknown image" "known: $(all_images | tr '\n' ' ')"
  case "${STATE[$name]:-}" in
    done) return ;;
    visiting) fail "$name" "PARENT chain is a cycle" "fix PARENT= in the image.conf files" ;;
  esac
  STATE[$name]=visiting
  p=$(parent_of "$name")
  [ -n "$p" ] && visit "$p"
  STATE[$name]=done
  ORDER+=("$name")
}
[ ${#WANTED[@]} -eq 0 ] && mapfile -t WANTED < <(all_images)
for w in "${WANTED[@]}"; do visit "$w"; done

if [ $LIST = 1 ]; then
  for name in "${ORDER[@]}"; do
    h=$(label_of "$name")
    printf '%-14s %-34s %-60s %s\n' "$name" "$(tag_of "$name")" "$(upstream_of "$name")" "${h:-missing}"
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

context_hash() { # hash of every file in a staged context, with relative paths, sorted
  (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum) | sha256sum | cut -c1-64
}

# Free space where the engine keeps its images (checked only before a build).
check_disk() {
  local name=$1 root free
  root=$(docker info --format '{{.DockerRootDir}}' 2>/dev/null || true)
  [ -n "$root" ] && [ -d "$root" ] || return 0   # a remote engine: nothing to check here
  free=$(df -Pm "$root" | awk 'NR==2 {print $4}')
  if [ -n "$free" ] && [ "$free" -lt "$MIN_FREE_MB" ]; then
    fail "$name" "only ${free} MB free in $root (need ${MIN_FREE_MB} MB)" "free disk space (docker image prune; docker builder prune), or set DIVE_KIT_MIN_FREE_MB"
  fi
}

# Why a build failed, from its log: the hint of the error line.
hint_from_log() {
  local name=$1 log=$2
  if grep -qi 'no space left on device' "$log"; then
    echo "the disk is full — free space (docker image prune; docker builder prune; df -h /var/lib/docker)"
  elif grep -qiE 'Temporary failure resolving|Could not resolve|Failed to fetch|Unable to fetch|Connection (timed out|refused)' "$log"; then
    echo "the Debian mirror was not reachable — check $DEBIAN_MIRROR (from $MIRROR_FROM) from containers, or set DIVE_KIT_DEBIAN_MIRROR, then retry"
  elif grep -qiE 'Cannot connect to the Docker daemon|error during connect' "$log"; then
    echo "the Docker engine went away — run scripts/docker-engine.sh, then retry"
  else
    echo "see $log; fix templates/kit/images/$name"
  fi
}

# Progress of a build: the whole output to its log; on a terminal, the current
# Dockerfile step on one line.
progress() {
  local name=$1 log=$2 line tty=0
  [ -t 1 ] && tty=1
  while IFS= read -r line; do
    printf '%s\n' "$line" >>"$log"
    if [ $tty = 1 ] && [[ "$line" == Step\ * ]]; then
      printf '\r\033[K[kit] %s: %.100s' "$name" "$line"
    fi
  done
  [ $tty = 1 ] && printf '\r\033[K'
  return 0
}

build_base() {
  local tag=$1 hash=$2 upstream=$3 log=$4 dir="$WORK/base-rootfs"
  command -v debootstrap >/dev/null || fail base "debootstrap is not installed" "apt-get install debootstrap (scripts/docker-engine.sh does), or docker load a base image tagged $tag"
  [ "$(id -u)" = 0 ] || fail base "debootstrap needs root" "run this build as root once (only base needs it)"
  [ -n "$DEBIAN_MIRROR" ] || fail base "no Debian mirror: the host's apt configuration has no deb source for \"$DEBIAN_SUITE main\"" \
    "set DIVE_KIT_DEBIAN_MIRROR to your Debian mirror, e.g. DIVE_KIT_DEBIAN_MIRROR=http://deb.debian.org/debian"
  say "base: debootstrap --variant=minbase $DEBIAN_SUITE $DEBIAN_MIRROR (mirror from $MIRROR_FROM; about a minute; log: $log)"
  if ! debootstrap --variant=minbase "$DEBIAN_SUITE" "$dir" "$DEBIAN_MIRROR" >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    fail base "debootstrap failed (last lines above)" "$(hint_from_log base "$log")"
  fi
  rm -rf "$dir/var/cache/apt/archives/"*.deb "$dir/var/lib/apt/lists/"* "$dir/var/log/"*.log
  # Imported under a temporary tag, retagged only when complete.
  TEMP_TAG="$KIT_NS/base:importing-$$"
  if ! tar -C "$dir" -c . | docker import \
      --change "LABEL $LABEL_HASH=$hash" \
      --change "LABEL org.dive-verify.kit.upstream-version=\"$upstream\"" \
      --change "LABEL org.dive-verify.kit.version=$KIT_VERSION" \
      --change "LABEL org.dive-verify.kit=dive-verify" \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'ENV LANG=C.UTF-8' \
      --change 'CMD ["bash"]' - "$TEMP_TAG" >>"$log" 2>&1; then
    tail -n 30 "$log" >&2
    fail base "docker import failed (last lines above)" "$(hint_from_log base "$log")"
  fi
  docker tag "$TEMP_TAG" "$tag" || fail base "docker tag $TEMP_TAG $tag failed" "run scripts/docker-engine.sh, then retry"
  docker rmi "$TEMP_TAG" >/dev/null && TEMP_TAG=""
  rm -rf "$dir"
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
    command -v mvn >/dev/null || fail reference "mvn (Maven) is not installed" "apt-get install maven"
    say "reference services: building src/reference (backend, kas, frontend, mongodb-standin) …"
    mvn -q -B -f "$REPO_ROOT/src/reference/pom.xml" package -DskipTests >"$LOGDIR/reference.log" 2>&1 \
      || { tail -n 30 "$LOGDIR/reference.log" >&2; fail reference "mvn package of src/reference failed (last lines above)" "fix the build; full log $LOGDIR/reference.log"; }
  fi
  export DIVE_KIT_REFERENCE_BUILT=1
fi

for name in "${ORDER[@]}"; do
  tag=$(tag_of "$name")
  parent=$(parent_of "$name")
  upstream=$(upstream_of "$name")
  ctx="$WORK/ctx-$name"
  log="$LOGDIR/$name.log"
  cp -r "$IMAGES_DIR/$name" "$ctx"
  if [ -f "$ctx/fetch.sh" ]; then
    if ! (cd "$ctx" && CONTEXT="$ctx" bash ./fetch.sh) >"$LOGDIR/fetch-$name.log" 2>&1; then
      tail -n 20 "$LOGDIR/fetch-$name.log" >&2
      fail "$name" "fetching its artifacts failed (last lines above)" "check the host's client (mvn, go, pip, npm) and its registry; full log $LOGDIR/fetch-$name.log"
    fi
    rm -f "$ctx/fetch.sh.out"
  fi
  # the image labels are part of the inputs: images never carry the project label, which marks what a run
  # created (a container inherits its image's labels, and the sweep would take a user's container for ours)
  hash=$( { echo "kit $KIT_VERSION"; echo "labels org.dive-verify.kit"; pins_of "$name"; echo "parent ${parent:+${HASH[$parent]:-}}"; context_hash "$ctx"; } | sha256sum | cut -c1-64)
  HASH[$name]=$hash
  existing=$(label_of "$name")
  if [ $FORCE = 0 ] && [ "$existing" = "$hash" ]; then
    say "$name: up to date (${hash:0:12})"
    rm -rf "$ctx"
    continue
  fi
  check_disk "$name"
  start=$(date +%s)
  : >"$log"
  if [ "$name" = base ]; then
    build_base "$tag" "$hash" "$upstream" "$log"
  else
    say "$name: building $tag … (log: $log)"
    if ! docker build --network host --force-rm -t "$tag" \
        "${VERSION_ARGS[@]}" \
        --label "$LABEL_HASH=$hash" --label "org.dive-verify.kit.upstream-version=$upstream" \
        --label "org.dive-verify.kit.version=$KIT_VERSION" --label "org.dive-verify.kit=dive-verify" \
        "$ctx" 2>&1 | progress "$name" "$log"; then
      tail -n 30 "$log" >&2
      fail "$name" "docker build failed (last lines above)" "$(hint_from_log "$name" "$log")"
    fi
  fi
  rm -rf "$ctx"
  say "$name: built in $(( $(date +%s) - start ))s (${hash:0:12})"
done
