#!/usr/bin/env bash
# Builds OPA ${OPA_VERSION} on the host from the Go module proxy (static,
# CGO_ENABLED=0) and caches the binary by version: the build is heavy (several
# minutes on two cores), it runs once per version.
set -euo pipefail
: "${OPA_VERSION:?OPA_VERSION is not set in versions.env}"
bin="$CACHE/opa/opa_linux_amd64-${OPA_VERSION}"
if [ ! -s "$bin" ]; then
  command -v go >/dev/null || { echo "go not found: install Go (>= the go directive of OPA ${OPA_VERSION}'s go.mod)"; exit 1; }
  mkdir -p "$CACHE/opa"
  tmp=$(mktemp -d "$CACHE/opa/build.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  echo "building opa ${OPA_VERSION} with $(go version) (several minutes)…"
  if ! CGO_ENABLED=0 GOOS=linux GOARCH=amd64 GOFLAGS=-buildvcs=false GOTOOLCHAIN=local GOBIN="$tmp" \
      go install -trimpath -ldflags "-s -w" \
      "github.com/open-policy-agent/opa@${OPA_VERSION}"; then
    echo "go install github.com/open-policy-agent/opa@${OPA_VERSION} failed (Go module proxy reachable? go version new enough?)"; exit 1
  fi
  "$tmp/opa" version | grep -q "^Version: ${OPA_VERSION#v}$" || { echo "built opa does not report version ${OPA_VERSION}"; exit 1; }
  mv "$tmp/opa" "$bin"
fi
cp "$bin" "$CONTEXT/opa"
chmod 0755 "$CONTEXT/opa"
