#!/usr/bin/env bash
# Starts an OPAL server or client the way the official permitio images do:
# gunicorn with uvicorn workers, configured by the same variables
# (UVICORN_ASGI_APP, UVICORN_PORT, UVICORN_NUM_WORKERS, GUNICORN_TIMEOUT,
# GUNICORN_KEEP_ALIVE_TIMEOUT, GUNICORN_CONF). Everything else is OPAL_* env.
set -euo pipefail
: "${UVICORN_ASGI_APP:?UVICORN_ASGI_APP is not set (opal_server.main:app or opal_client.main:app)}"
: "${UVICORN_PORT:?UVICORN_PORT is not set}"
workers=${UVICORN_NUM_WORKERS:-1}
if [ -z "${OPAL_BROADCAST_URI:-}" ] && [ "$workers" != 1 ]; then
  echo "OPAL_BROADCAST_URI must be set when UVICORN_NUM_WORKERS is not 1" >&2
  exit 1
fi
conf=()
[ -n "${GUNICORN_CONF:-}" ] && conf=(-c "$GUNICORN_CONF")
set -x
exec gunicorn -b "0.0.0.0:${UVICORN_PORT}" -k uvicorn.workers.UvicornWorker \
  --workers "$workers" "${conf[@]}" \
  -t "${GUNICORN_TIMEOUT:-30}" --keep-alive "${GUNICORN_KEEP_ALIVE_TIMEOUT:-5}" \
  "$UVICORN_ASGI_APP"
