#!/usr/bin/env bash
# The walking skeleton end to end: a real node, psql over TLS with a token,
# exact query results and errors (expected texts from PostgreSQL 15/16 or
# from DSQL's spec), and the refusals: plaintext, expired, forged and
# wrong-action tokens.
source "$(dirname "$0")/../lib/server.sh"
borealis_start

expect "select version() starts with PostgreSQL 16" "PostgreSQL 16" \
  "$(bsql -Atc 'select version()' | cut -c1-13)"
expect "SELECT 1" "1" "$(bsql -Atc 'SELECT 1')"
expect "current_database, current_user" "postgres|admin" \
  "$(bsql -Atc 'select current_database(), current_user')"
expect "SHOW server_version" "16.15" "$(bsql -Atc 'SHOW server_version')"
expect "SHOW transaction_isolation" "repeatable read" "$(bsql -Atc 'SHOW transaction_isolation')"
expect "multiple statements in one query" $'1\n2' "$(bsql -Atc 'select 1; select 2')"
expect "aligned output with column names" \
  $' ?column? | ?column? | current_user | current_database \n----------+----------+--------------+------------------\n        1 | a        | admin        | postgres\n(1 row)' \
  "$(bsql -c "select 1, 'a', current_user, current_database()")"
expect "PostgreSQL 16 literals" "31|1000" "$(bsql -Atc 'select 0x1F, 1_000')"

# Errors, as PostgreSQL prints them.
expect "syntax error with position" \
  $'ERROR:  syntax error at or near "SELEC"\nLINE 1: SELEC 1\n        ^' \
  "$(bsql -c 'SELEC 1' 2>&1 || true)"
expect "unknown parameter" 'ERROR:  unrecognized configuration parameter "nope"' \
  "$(bsql -c 'show nope' 2>&1 || true)"
expect "error SQLSTATE" "42601" \
  "$(bsql -c '\set VERBOSITY sqlstate' -c 'SELEC 1' 2>&1 | sed -n 's/^ERROR:  //p' || true)"

# psql's \dt reads pg_catalog (pg_class, pg_namespace, pg_am, regular
# expressions, pg_get_userbyid, pg_table_is_visible).
bsql -q -c 'CREATE TABLE dt_a (a int PRIMARY KEY)' -c 'CREATE TABLE dt_b (b text)' >/dev/null
expect "psql \\dt" \
  $'       List of relations\n Schema | Name | Type  | Owner \n--------+------+-------+-------\n public | dt_a | table | admin\n public | dt_b | table | admin\n(2 rows)' \
  "$(bsql -c '\dt')"

# borealis sql: psql as admin, TLS verified against the node's CA.
expect "borealis sql -c" "admin" \
  "$("$BOREALIS_BIN" sql --data "$BOREALIS_DATA" -c 'select current_user' | sed -n 3p | tr -d ' ')"
expect "verify-full against the generated CA" "1" \
  "$(PGPASSWORD=$(admin_token) psql -X -Atc 'select 1' \
     "host=127.0.0.1 port=$BOREALIS_PORT user=admin dbname=postgres sslmode=verify-full sslrootcert=$BOREALIS_DATA/tls/ca.crt")"

# Refusals.
conn() { psql -X -Atc 'select 1' "host=127.0.0.1 port=$BOREALIS_PORT user=admin dbname=postgres $1" 2>&1 || true; }
expect "plaintext connection refused" \
  'psql: error: connection to server at "127.0.0.1", port '"$BOREALIS_PORT"' failed: FATAL:  unable to accept connection, SSL is required' \
  "$(conn "sslmode=disable password=$(admin_token)")"
expired=$(admin_token --expires-in 1)
sleep 2
expect "expired token refused" \
  'psql: error: connection to server at "127.0.0.1", port '"$BOREALIS_PORT"' failed: FATAL:  unable to accept connection, access denied
DETAIL:  Token has expired' \
  "$(PGOPTIONS= conn "sslmode=require password=$expired" | sed 's/\r//')"
good=$(admin_token)
# Forge: change the first hex digit of the signature.
sig_first=$(echo "$good" | sed -n 's/.*X-Amz-Signature=\(.\).*/\1/p')
forged=$(echo "$good" | sed "s/X-Amz-Signature=$sig_first/X-Amz-Signature=$( [ "$sig_first" = "0" ] && echo 1 || echo 0)/")
expect "forged token refused" \
  "FATAL:  unable to accept connection, access denied" \
  "$(conn "sslmode=require password=$forged" | sed -n 's/.*failed: //p')"
other=$("$BOREALIS_BIN" token --data "$BOREALIS_DATA" --access-key-id BKIAUNKNOWNKEY000000 --secret-access-key x)
expect "unknown access key refused" \
  "FATAL:  unable to accept connection, access denied" \
  "$(PGPASSWORD=$other psql -X -Atc 'select 1' "host=127.0.0.1 port=$BOREALIS_PORT user=admin dbname=postgres sslmode=require" 2>&1 | sed -n 's/.*failed: //p')"
expect "DbConnect token for admin refused" \
  "FATAL:  Wrong user to action mapping. user: admin, action: DbConnect" \
  "$(conn "sslmode=require password=$("$BOREALIS_BIN" token --data "$BOREALIS_DATA")" | sed -n 's/.*failed: //p')"
expect "wrong database refused" 'FATAL:  database "nope" does not exist' \
  "$(PGPASSWORD=$(admin_token) psql -X -Atc 'select 1' "host=127.0.0.1 port=$BOREALIS_PORT user=admin dbname=nope sslmode=require" 2>&1 | sed -n 's/.*failed: //p')"

# A clean shutdown on SIGTERM.
kill -TERM "$BOREALIS_PID"; rc=0; wait "$BOREALIS_PID" || rc=$?; BOREALIS_PID=
expect "SIGTERM exits cleanly" "0" "$rc"
expect "endpoint file removed on shutdown" "no" "$([ -f "$BOREALIS_DATA/endpoint" ] && echo yes || echo no)"
finish
