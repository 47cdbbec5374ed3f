#!/usr/bin/env bash
# Shared by opal-server/fetch.sh and opal-client/fetch.sh:
#   fetch-wheels.sh PACKAGE [EXTRA ...] -> "$CONTEXT/wheels/" holds
# PACKAGE==${OPAL_VERSION}, the EXTRA packages (versions from constraints.txt)
# and every dependency as wheels for Debian bookworm's CPython 3.11 on x86_64
# (manylinux), downloaded on the host with the host's pip and cached in
# "$CACHE/opal/<package>-<version>-<constraints hash>/". No sdist is accepted
# (--only-binary=:all:): all of 0.9.9's dependencies have such wheels, so the
# image needs no compiler.
set -euo pipefail
pkg=$1; shift
extras=("$@")
: "${OPAL_VERSION:?OPAL_VERSION is not set in versions.env}"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
constraints=$here/constraints.txt
[ -f "$constraints" ] || { echo "constraints file missing: $constraints"; exit 1; }
chash=$(grep -v '^\s*#' "$constraints" | sha256sum | cut -c1-12)
suffix=""
for e in "${extras[@]}"; do suffix+="+$e"; done
dir="$CACHE/opal/${pkg}-${OPAL_VERSION}-${chash}${suffix}"
if [ ! -f "$dir/.complete" ]; then
  PIP=""
  for c in pip3 pip "python3 -m pip"; do
    if $c --version >/dev/null 2>&1; then PIP=$c; break; fi
  done
  [ -n "$PIP" ] || { echo "pip not found: install python3-pip on the host"; exit 1; }
  rm -rf "$dir" && mkdir -p "$dir"
  echo "downloading ${pkg}==${OPAL_VERSION} and its dependencies (wheels for cp311 manylinux x86_64)…"
  if ! $PIP download --disable-pip-version-check -q -d "$dir" \
      --only-binary=:all: --platform manylinux2014_x86_64 --python-version 3.11 --implementation cp --abi cp311 \
      -c "$constraints" "${pkg}==${OPAL_VERSION}" "${extras[@]}"; then
    echo "pip download ${pkg}==${OPAL_VERSION} failed (PyPI reachable? a dependency without a cp311 manylinux wheel? conflict with constraints.txt?)"; exit 1
  fi
  ls "$dir"/*.whl >/dev/null 2>&1 || { echo "pip download left no wheels in $dir"; exit 1; }
  touch "$dir/.complete"
fi
mkdir -p "$CONTEXT/wheels"
cp "$dir"/*.whl "$CONTEXT/wheels/"
