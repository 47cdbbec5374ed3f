#!/usr/bin/env bash
# Wheels of opal-client ${OPAL_VERSION} and its dependencies, fetched on the host
# (cached), and the start script shared with opal-server.
set -euo pipefail
bash "$REPO_ROOT/templates/kit/images/opal-server/fetch-wheels.sh" opal-client
cp "$REPO_ROOT/templates/kit/images/opal-server/start.sh" "$CONTEXT/start.sh"
