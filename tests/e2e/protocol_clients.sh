#!/usr/bin/env bash
# Real clients against a real node, each printing a transcript that must
# equal the one it prints against PostgreSQL 15 (tests/clients/*.expected):
# libpq (PQexecParams text/binary, PQprepare, pipeline mode, COPY), node-
# postgres (parameters, prepared statements, binary, pg-cursor row limits,
# pg-copy-streams), postgres.js (which reads pg_type at startup) and psycopg2.  npm packages (tests/clients/package.json,
# pinned) are installed into a cache outside the repository.
source "$(dirname "$0")/../lib/server.sh"
CLIENTS=$(cd "$(dirname "$0")/../clients" && pwd)
NPM_CACHE=${BOREALIS_NPM_CACHE:-/tmp/borealis-npm-cache}
borealis_start

compare() { # NAME EXPECTED_FILE ACTUAL
  expect "$1 matches PostgreSQL" "$(cat "$2")" "$3"
  [ "$3" == "$(cat "$2")" ] || diff <(cat "$2") <(echo "$3") | head -30 || true
}

export PGHOST=127.0.0.1 PGPORT=$BOREALIS_PORT PGUSER=admin PGDATABASE=postgres PGSSLMODE=require
export PGPASSWORD=$(admin_token)

gcc -Wall -Wextra -Werror -o "$TEST_TMP/libpq_client" "$CLIENTS/libpq_client.c" \
  $(pkg-config --cflags --libs libpq)
compare libpq "$CLIENTS/libpq_client.expected" \
  "$("$TEST_TMP/libpq_client" "host=127.0.0.1 port=$BOREALIS_PORT dbname=postgres" 2>&1)"

compare psycopg2 "$CLIENTS/psycopg2_test.expected" \
  "$(/usr/bin/python3 "$CLIENTS/psycopg2_test.py" "host=127.0.0.1 port=$BOREALIS_PORT dbname=postgres" 2>&1)"

mkdir -p "$NPM_CACHE"
if ! cmp -s "$CLIENTS/package.json" "$NPM_CACHE/package.json" || [ ! -d "$NPM_CACHE/node_modules/pg" ] ||
  [ ! -d "$NPM_CACHE/node_modules/postgres" ]; then
  cp "$CLIENTS/package.json" "$NPM_CACHE/package.json"
  (cd "$NPM_CACHE" && npm install --no-audit --no-fund --silent) >"$TEST_TMP/npm.log" 2>&1 ||
    { echo "npm install failed:"; cat "$TEST_TMP/npm.log"; }
fi
compare node-postgres "$CLIENTS/node_pg.expected" \
  "$(NODE_PATH=$NPM_CACHE/node_modules node "$CLIENTS/node_pg.js" 2>&1)"
compare postgres.js "$CLIENTS/postgresjs.expected" \
  "$(NODE_PATH=$NPM_CACHE/node_modules node "$CLIENTS/postgresjs.js" 2>&1)"
finish
