#!/usr/bin/env bash
# Wheels of opal-server ${OPAL_VERSION} and its dependencies, fetched on the host (cached).
# aiofiles: opal_server.git_fetcher imports it but opal-server 0.9.9 does not
# declare it (the official image installs the client's requirements too).
set -euo pipefail
bash "$REPO_ROOT/templates/kit/images/opal-server/fetch-wheels.sh" opal-server aiofiles
