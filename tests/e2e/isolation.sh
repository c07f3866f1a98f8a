#!/usr/bin/env bash
# Isolation specs (tests/isolation/*.spec): several sessions stepped in a
# fixed order reproduce the Hermitage results DSQL has.
source "$(dirname "$0")/../lib/server.sh"
borealis_start
/usr/bin/python3 "$(dirname "$0")/../isolation/run.py" \
  "host=127.0.0.1 port=$BOREALIS_PORT user=admin dbname=postgres sslmode=require" \
  "$BOREALIS_BIN token --admin --data $BOREALIS_DATA" \
  "$(dirname "$0")"/../isolation/*.spec
