#!/bin/sh
# Used only while the image is built, as kc.sh's $JAVA: lets kc.sh run its
# first phase (the rebuild check, which augments the server for the options
# given and exits with code 10), then skips the second phase (the server
# start, recognised by -Dkc.config.built=true).
case " $* " in
  *" -Dkc.config.built=true "*) exit 0 ;;
esac
java "$@"
status=$?
if [ "$status" != 10 ]; then
  echo "augment-java.sh: expected kc.sh's rebuild phase to exit with 10 (re-augmented), got $status" >&2
  exit 1
fi
