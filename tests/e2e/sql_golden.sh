#!/usr/bin/env bash
# SQL golden tests: every tests/sql/*.sql runs through psql (-a -q, as
# pg_regress does) against a fresh Borealis node and must print exactly
# tests/sql/*.out, which scripts/gen-expected made on real PostgreSQL.
source "$(dirname "$0")/../lib/server.sh"
borealis_start
cd "$(dirname "$0")/../sql"
for sql in *.sql; do
  out="${sql%.sql}.out"
  actual="$TEST_TMP/${sql%.sql}.actual"
  PGPASSWORD=$(admin_token) PGTZ=UTC psql -X -a -q \
    "host=127.0.0.1 port=$BOREALIS_PORT user=admin dbname=postgres sslmode=require" \
    -f "$sql" > "$actual" 2>&1 || true
  if diff -u "$out" "$actual" > "$TEST_TMP/diff"; then
    echo "ok - $sql"
  else
    echo "not ok - $sql"; head -n 60 "$TEST_TMP/diff"; FAILURES=$((FAILURES + 1))
  fi
done
finish
