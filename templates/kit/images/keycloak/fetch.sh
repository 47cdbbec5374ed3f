#!/usr/bin/env bash
# Fetches keycloak-quarkus-dist from Maven Central with the host's Maven (cached).
set -euo pipefail
zip="keycloak-quarkus-dist-${KEYCLOAK_VERSION}.zip"
if [ ! -s "$CACHE/$zip" ]; then
  command -v mvn >/dev/null || { echo "mvn not found: install Maven"; exit 1; }
  mvn -q -B dependency:copy -Dartifact="org.keycloak:keycloak-quarkus-dist:${KEYCLOAK_VERSION}:zip" -DoutputDirectory="$CACHE.tmp"
  mv "$CACHE.tmp/$zip" "$CACHE/$zip"
  rmdir "$CACHE.tmp" 2>/dev/null || true
fi
cp "$CACHE/$zip" "$CONTEXT/keycloak.zip"
# the training run of the image build (cds-train.sh) starts and stops the server through this
cp "$REPO_ROOT/templates/kit/lib/cds-train-app.sh" "$CONTEXT/cds-train-app.sh"
