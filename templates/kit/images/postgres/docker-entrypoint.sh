#!/usr/bin/env bash
# The official postgres image's interface, written anew for Debian's packages:
#   POSTGRES_USER (default postgres), POSTGRES_PASSWORD, POSTGRES_DB (default = user),
#   POSTGRES_INITDB_ARGS, POSTGRES_HOST_AUTH_METHOD (default scram-sha-256),
#   each of the first four also as <NAME>_FILE (a file holding the value);
#   /docker-entrypoint-initdb.d/*.sh|*.sql|*.sql.gz|*.sql.xz run once, on first init,
#   against POSTGRES_DB as POSTGRES_USER; data in $PGDATA (/var/lib/postgresql/data).
set -Eeuo pipefail

log() { printf '%s: %s\n' "${0##*/}" "$*"; }

# <NAME>_FILE: the value comes from a file (Docker secrets), never from both.
file_env() {
  local var=$1 def=${2:-} fvar="${1}_FILE"
  if [ -n "${!var:-}" ] && [ -n "${!fvar:-}" ]; then
    log "error: both $var and $fvar are set (they are exclusive)" >&2; exit 1
  fi
  local val=$def
  if [ -n "${!var:-}" ]; then val=${!var}
  elif [ -n "${!fvar:-}" ]; then val=$(<"${!fvar}")
  fi
  export "$var"="$val"
  unset "$fvar"
}

# `docker run IMAGE -c foo=bar` means `postgres -c foo=bar`.
if [ "${1:0:1}" = - ]; then set -- postgres "$@"; fi

if [ "${1:-}" != postgres ]; then exec "$@"; fi

: "${PGDATA:=/var/lib/postgresql/data}"
export PGDATA

# Started as root (e.g. `user: root`, or a bind mount owned by root): fix the
# ownership of the data and socket directories, then drop to postgres.
if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown -R postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$BASH_SOURCE" "$@"
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  file_env POSTGRES_PASSWORD
  file_env POSTGRES_USER postgres
  file_env POSTGRES_DB "$POSTGRES_USER"
  file_env POSTGRES_INITDB_ARGS
  auth=${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}

  if [ -z "$POSTGRES_PASSWORD" ] && [ "$auth" != trust ]; then
    cat >&2 <<'MSG'
Error: Database is uninitialized and superuser password is not specified.
       You must specify POSTGRES_PASSWORD to a non-empty value for the
       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".
       (Or set POSTGRES_HOST_AUTH_METHOD=trust to allow every connection
       without a password; not recommended.)
MSG
    exit 1
  fi
  [ "$auth" = trust ] && log "warning: POSTGRES_HOST_AUTH_METHOD=trust: every network connection is allowed without a password" >&2

  mkdir -p "$PGDATA" && chmod 700 "$PGDATA" 2>/dev/null || true
  pwopt=()
  if [ -n "$POSTGRES_PASSWORD" ]; then
    pwfile=$(mktemp)
    printf '%s' "$POSTGRES_PASSWORD" >"$pwfile"
    pwopt=(--pwfile="$pwfile")
  fi
  # shellcheck disable=SC2086  # POSTGRES_INITDB_ARGS is a list of options
  initdb --username="$POSTGRES_USER" "${pwopt[@]}" --auth-local=trust --auth-host="$auth" \
    --encoding=UTF8 --locale=C.UTF-8 $POSTGRES_INITDB_ARGS >/dev/null
  [ -n "${pwfile:-}" ] && rm -f "$pwfile"

  {
    echo
    echo "# added by the kit's docker-entrypoint.sh"
    echo "listen_addresses = '*'"
    [ "$auth" = md5 ] && echo "password_encryption = md5" || echo "password_encryption = scram-sha-256"
  } >>"$PGDATA/postgresql.conf"
  printf '\n# added by the kit'"'"'s docker-entrypoint.sh\nhost all all all %s\n' "$auth" >>"$PGDATA/pg_hba.conf"

  # A temporary server on the socket only (not reachable over TCP, so a TCP
  # healthcheck does not see it as ready), for the init scripts.
  pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -k /var/run/postgresql" -w start >/dev/null
  psql=(psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password --no-psqlrc -h /var/run/postgresql)
  if [ "$POSTGRES_DB" != postgres ]; then
    "${psql[@]}" --dbname postgres --set db="$POSTGRES_DB" <<<'CREATE DATABASE :"db";' >/dev/null
  fi
  export PGHOST=/var/run/postgresql PGUSER="$POSTGRES_USER" PGDATABASE="$POSTGRES_DB"
  for f in /docker-entrypoint-initdb.d/*; do
    [ -e "$f" ] || continue
    case "$f" in
      *.sh)
        if [ -x "$f" ]; then log "running $f"; "$f"
        else log "sourcing $f"; # shellcheck disable=SC1090
          . "$f"; fi ;;
      *.sql)    log "running $f"; "${psql[@]}" --dbname "$POSTGRES_DB" -f "$f" ;;
      *.sql.gz) log "running $f"; gunzip -c "$f" | "${psql[@]}" --dbname "$POSTGRES_DB" ;;
      *.sql.xz) log "running $f"; xz -dc "$f" | "${psql[@]}" --dbname "$POSTGRES_DB" ;;
      *)        log "ignoring $f" ;;
    esac
  done
  unset PGHOST PGUSER PGDATABASE
  pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
  log "PostgreSQL init process complete; ready for start up."
fi

shift
exec postgres -k /var/run/postgresql "$@"
