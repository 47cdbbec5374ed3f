#!/bin/sh
# mongosh from npm (installed on the host by fetch.sh), run on Debian's node.
exec node /opt/mongosh/node_modules/mongosh/bin/mongosh.js "$@"
