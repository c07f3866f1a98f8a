#!/usr/bin/env bash
# COPY FROM STDIN and COPY TO STDOUT (text and CSV; HEADER, DELIMITER, NULL,
# QUOTE; column lists; COPY (query) TO) through psql, including \copy both
# ways, against a real node; output must equal PostgreSQL 15's
# (tests/clients/copy.out).  Then COPY under DSQL's transaction row limit.
source "$(dirname "$0")/../lib/server.sh"
CLIENTS=$(cd "$(dirname "$0")/../clients" && pwd)
borealis_start

sed "s#COPYDIR#$TEST_TMP#g" "$CLIENTS/copy.sql" >"$TEST_TMP/copy.sql"
actual=$(PGPASSWORD=$(admin_token) psql -X \
  "host=127.0.0.1 port=$BOREALIS_PORT user=admin dbname=postgres sslmode=require" \
  -f "$TEST_TMP/copy.sql" 2>&1 | sed "s#$TEST_TMP#COPYDIR#g")
expect "copy.sql matches PostgreSQL" "$(cat "$CLIENTS/copy.out")" "$actual"
[ "$actual" == "$(cat "$CLIENTS/copy.out")" ] || diff <(cat "$CLIENTS/copy.out") <(echo "$actual") || true

# COPY FROM counts against the same transaction limits as INSERT.
bsql -qc 'create table copy_limit (id int primary key)'
insert_err=$(bsql -c 'insert into copy_limit select g from generate_series(1, 3001) g' 2>&1 || true)
copy_err=$(seq 1 3001 | bsql -c 'copy copy_limit from stdin' 2>&1 || true)
[ -n "$insert_err" ] || insert_err="(INSERT of 3001 rows did not fail)"
expect "COPY of 3001 rows fails as INSERT does" "$insert_err" "$(echo "$copy_err" | grep -v '^CONTEXT')"
expect "COPY of 3000 rows" "COPY 3000" "$(seq 1 3000 | bsql -c 'copy copy_limit from stdin' 2>&1)"
expect "rows after the limit test" "3000" "$(bsql -Atc 'select count(*) from copy_limit')"
echo "  (limit error: $insert_err)"
finish
