#!/bin/sh
# Image-time training run for Keycloak's class-data sharing archive (JDK 17
# dynamic CDS, -XX:ArchiveClassesAtExit): starts the built server once against
# a throwaway local Postgres, exactly as a deployment does (`start --optimized`,
# the template's build options, a realm import, a token request), stops it, and
# keeps the archive of every class it loaded. A container then maps those
# classes instead of loading and verifying them: the JVM and Quarkus boot in
# about 5 s instead of 8 on two cores.
#
# The archive is only a cache. The JVM checks it against the JDK, the classpath
# and each class it loads, so a re-augmented server (other build options, or
# providers added) still starts.
# Nothing of this run stays in the image but the archive. Starting, waiting,
# stopping and checking the archive: ../../lib/cds-train-app.sh, as for the
# reference services.
set -eu
ARCHIVE=$1
PG=/usr/lib/postgresql/15/bin
export PGDATA=/tmp/train-pg
install -d -o postgres -m 700 "$PGDATA"
su postgres -s /bin/sh -c "$PG/initdb -D $PGDATA -U postgres --auth=trust >/dev/null && $PG/pg_ctl -D $PGDATA -o '-c listen_addresses=127.0.0.1' -l /tmp/train-pg.log -w start >/dev/null && $PG/createdb -h 127.0.0.1 -U postgres keycloak"

mkdir -p /tmp/train-import
cat > /tmp/train-import/train-realm.json <<'JSON'
{ "realm": "train", "enabled": true,
  "clients": [ { "clientId": "train", "publicClient": true, "directAccessGrantsEnabled": true } ],
  "users": [ { "username": "train", "enabled": true, "firstName": "T", "lastName": "T", "email": "train@example.org",
               "emailVerified": true, "credentials": [ { "type": "password", "value": "train", "temporary": false } ] } ] }
JSON
cp /tmp/train-import/train-realm.json /opt/keycloak/data/import/

cd /opt/keycloak
# ready, then what a deployment's first minutes do: discovery, a token, a login page
READY='curl -fsS http://127.0.0.1:9000/health/ready \
  && curl -fsS http://127.0.0.1:8080/realms/train/.well-known/openid-configuration \
  && curl -fsS -d grant_type=password -d client_id=train -d username=train -d password=train \
       http://127.0.0.1:8080/realms/train/protocol/openid-connect/token \
  && curl -sS -o /dev/null "http://127.0.0.1:8080/realms/train/protocol/openid-connect/auth?client_id=train&response_type=code&redirect_uri=http%3A%2F%2Flocalhost%2F&scope=openid"'
KC_DB=postgres KC_DB_URL=jdbc:postgresql://127.0.0.1:5432/keycloak KC_DB_USERNAME=postgres KC_DB_PASSWORD=unused \
KC_HOSTNAME=http://localhost:8080 KC_HTTP_ENABLED=true KC_CACHE=local KC_HEALTH_ENABLED=true \
KC_BOOTSTRAP_ADMIN_USERNAME=train KC_BOOTSTRAP_ADMIN_PASSWORD=train \
  sh /tmp/cds-train-app.sh "$ARCHIVE" "$READY" sh bin/kc.sh start --optimized --import-realm
su postgres -s /bin/sh -c "$PG/pg_ctl -D $PGDATA -m fast -w stop >/dev/null"
