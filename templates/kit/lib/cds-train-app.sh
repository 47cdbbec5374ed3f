#!/bin/sh
# Runs inside an image build: writes a class-data-sharing archive of a Java
# service's own classes (a JDK 17 dynamic archive), so that the service starts
# with them already parsed and verified (measured: the reference KAS ready in
# about 0.35 s instead of 0.65 s).
#   cds-train-app.sh ARCHIVE 'READY-COMMAND' java [JVM-OPTIONS] -jar JAR
# Starts the command with -XX:ArchiveClassesAtExit=ARCHIVE, waits (at most 60 s)
# until READY-COMMAND succeeds, runs it twice more so the request path is
# loaded too, then stops the service with SIGTERM: the JVM writes the archive
# as it exits. The service must be started with -XX:SharedArchiveFile=ARCHIVE
# and the same -jar JAR; with another JDK the JVM ignores the archive.
set -eu
archive=$1 ready=$2
shift 2
[ "$1" = java ] || { echo "cds-train-app: expected 'java …' after the ready command, got '$1'" >&2; exit 2; }
shift
log=/tmp/cds-train-app.log
java -XX:-UsePerfData "-XX:ArchiveClassesAtExit=$archive" "$@" >"$log" 2>&1 &
pid=$!
tries=0
until sh -c "$ready" >/dev/null 2>&1; do
  tries=$((tries + 1))
  if [ $tries -ge 600 ] || ! kill -0 $pid 2>/dev/null; then
    tail -n 20 "$log" >&2
    echo "cds-train-app: the service did not become ready for '$ready' (last lines above)" >&2
    kill $pid 2>/dev/null || true
    exit 1
  fi
  sleep 0.1
done
sh -c "$ready" >/dev/null 2>&1 || true
sh -c "$ready" >/dev/null 2>&1 || true
kill -TERM $pid
wait $pid || true
[ -s "$archive" ] || { tail -n 20 "$log" >&2; echo "cds-train-app: no archive was written to $archive" >&2; exit 1; }
chmod 0444 "$archive"
rm -f "$log"
echo "cds-train-app: $archive ($(du -k "$archive" | cut -f1) KiB)"
