#!/usr/bin/env bash
# Runs on the host before the build: the frontend jar into the build context.
exec bash "$REPO_ROOT/templates/kit/lib/fetch-reference-jar.sh" frontend
