#!/usr/bin/env bash
# Regenerates the expected outputs of tests/clients/ from a real PostgreSQL
# 15 (default: the scratch server at host=/tmp port=55432 user=postgres,
# trust auth).  Review the diff before committing: these files are what the
# protocol_*.sh end-to-end tests hold Borealis to.
set -euo pipefail
cd "$(dirname "$0")"
PGDIR=${PGDIR:-/tmp} PGPORTNUM=${PGPORTNUM:-55432}
dsn="host=$PGDIR port=$PGPORTNUM user=postgres dbname=postgres"
for t in trace_extended trace_binary trace_protocol_misc; do
  python3 wire_trace.py "$t.py" --unix "$PGDIR" --port "$PGPORTNUM" >"$t.expected"
done
tmp=$(mktemp -d)
sed "s#COPYDIR#$tmp#g" copy.sql >"$tmp/copy.sql"
psql -X "$dsn" -f "$tmp/copy.sql" 2>&1 | sed "s#$tmp#COPYDIR#g" >copy.out
gcc -o "$tmp/libpq_client" libpq_client.c $(pkg-config --cflags --libs libpq)
"$tmp/libpq_client" "$dsn" >libpq_client.expected
/usr/bin/python3 psycopg2_test.py "$dsn" >psycopg2_test.expected
NPM_CACHE=${BOREALIS_NPM_CACHE:-/tmp/borealis-npm-cache}
mkdir -p "$NPM_CACHE" && cp package.json "$NPM_CACHE/" && (cd "$NPM_CACHE" && npm install --silent)
NODE_PATH=$NPM_CACHE/node_modules PGHOST=$PGDIR PGPORT=$PGPORTNUM PGUSER=postgres PGDATABASE=postgres \
  node node_pg.js >node_pg.expected
rm -rf "$tmp"
