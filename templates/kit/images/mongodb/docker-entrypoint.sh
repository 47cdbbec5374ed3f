#!/bin/bash
# Entry point with the official mongo image's command-line conventions:
#  - arguments starting with '-' are flags for mongod;
#  - mongod listens on all interfaces unless --bind_ip/--bind_ip_all is given (as the official image does).
# MONGO_INITDB_ROOT_USERNAME/_PASSWORD (or *_FILE) and MONGO_INITDB_DATABASE are read by the stand-in itself
# (root user in admin, auth on, database created). Scripts in /docker-entrypoint-initdb.d are not run.
set -euo pipefail

if [ "${1:0:1}" = '-' ]; then
  set -- mongod "$@"
fi

if [ "$1" = 'mongod' ]; then
  bind_given=
  for a in "$@"; do
    case "$a" in --bind_ip|--bind_ip=*|--bind_ip_all) bind_given=1 ;; esac
  done
  if [ -z "$bind_given" ]; then
    set -- "$@" --bind_ip_all
  fi
  if compgen -G '/docker-entrypoint-initdb.d/*' >/dev/null; then
    echo "docker-entrypoint.sh: NOTE: scripts in /docker-entrypoint-initdb.d are not run by the MongoDB stand-in" >&2
  fi
fi

exec "$@"
