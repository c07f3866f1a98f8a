#!/usr/bin/env bash
# Privileges enforced on statements (issue 9), in the shape of the DSQL
# skill's access-control workflow: admin creates app_readonly and
# app_readwrite, maps each to an IAM principal, grants on a table; each
# role logs in with its own token and every allowed action succeeds and
# every other fails with PostgreSQL's text; ALTER DEFAULT PRIVILEGES and
# ALTER ROLE … RENAME (the IAM mapping follows the role).
source "$(dirname "$0")/../lib/server.sh"
borealis_start

# iam_user NAME ARN: an IAM user with a key; sets KEY_<NAME>, SECRET_<NAME>.
iam_user() {
  local out
  out=$("$BOREALIS_BIN" iam create-user --data "$BOREALIS_DATA" --arn "$2")
  printf -v "KEY_$1" '%s' "$(sed -n 's/^AWS_ACCESS_KEY_ID=//p' <<<"$out")"
  printf -v "SECRET_$1" '%s' "$(sed -n 's/^AWS_SECRET_ACCESS_KEY=//p' <<<"$out")"
}
# rsql NAME ROLE SQL: psql as ROLE with NAME's DbConnect token.
rsql() {
  local k=KEY_$1 s=SECRET_$1
  PGPASSWORD=$("$BOREALIS_BIN" token --data "$BOREALIS_DATA" --access-key-id "${!k}" --secret-access-key "${!s}") \
    psql -X -At -v ON_ERROR_STOP=1 "host=127.0.0.1 port=$BOREALIS_PORT user=$2 dbname=postgres sslmode=require" \
    -c "$3" 2>&1 || true
}
asql() { bsql -At -c "$1" 2>&1 || true; }

iam_user ro arn:aws:iam::111122223333:role/app-readonly
iam_user rw arn:aws:iam::111122223333:role/app-readwrite
for r in app_readonly app_readwrite; do asql "CREATE ROLE $r WITH LOGIN" >/dev/null; done
asql "AWS IAM GRANT app_readonly TO 'arn:aws:iam::111122223333:role/app-readonly'" >/dev/null
asql "AWS IAM GRANT app_readwrite TO 'arn:aws:iam::111122223333:role/app-readwrite'" >/dev/null
asql 'CREATE TABLE orders (id int PRIMARY KEY, item text)' >/dev/null
asql "INSERT INTO orders VALUES (1, 'pen')" >/dev/null
expect "GRANT SELECT to the read-only role" "GRANT" "$(asql 'GRANT SELECT ON orders TO app_readonly')"
expect "GRANT DML to the read-write role" "GRANT" \
  "$(asql 'GRANT SELECT, INSERT, UPDATE, DELETE ON orders TO app_readwrite')"
expect "each role logs in as itself" "app_readonly app_readwrite" \
  "$(rsql ro app_readonly 'select current_user') $(rsql rw app_readwrite 'select current_user')"
expect "a principal cannot log in as another's role" \
  "FATAL:  unable to accept connection, access denied" \
  "$(rsql ro app_readwrite 'select 1' | sed -n 's/.*failed: //p')"

expect "read-only SELECT" "1|pen" "$(rsql ro app_readonly 'SELECT * FROM orders')"
expect "read-only INSERT refused" "ERROR:  permission denied for table orders" \
  "$(rsql ro app_readonly "INSERT INTO orders VALUES (2, 'ink')")"
expect "read-only UPDATE refused" "ERROR:  permission denied for table orders" \
  "$(rsql ro app_readonly "UPDATE orders SET item = 'x'")"
expect "read-only DELETE refused" "ERROR:  permission denied for table orders" \
  "$(rsql ro app_readonly 'DELETE FROM orders')"
expect "read-write INSERT" "INSERT 0 1" "$(rsql rw app_readwrite "INSERT INTO orders VALUES (2, 'ink')")"
expect "read-write UPDATE" "UPDATE 1" "$(rsql rw app_readwrite "UPDATE orders SET item = 'nib' WHERE id = 2")"
expect "read-write DELETE" "DELETE 1" "$(rsql rw app_readwrite 'DELETE FROM orders WHERE id = 2')"
expect "no CREATE in public for non-admins" "ERROR:  permission denied for schema public" \
  "$(rsql rw app_readwrite 'CREATE TABLE mine (a int)')"
expect "DROP TABLE by a non-owner" "ERROR:  must be owner of table orders" \
  "$(rsql rw app_readwrite 'DROP TABLE orders')"
expect "REVOKE takes effect" "REVOKE" "$(asql 'REVOKE SELECT ON orders FROM app_readonly')"
expect "SELECT after REVOKE" "ERROR:  permission denied for table orders" \
  "$(rsql ro app_readonly 'SELECT * FROM orders')"

expect "ALTER DEFAULT PRIVILEGES" "ALTER DEFAULT PRIVILEGES" \
  "$(asql 'ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO app_readonly')"
asql 'CREATE TABLE later (a int)' >/dev/null
expect "ALTER DEFAULT PRIVILEGES applies to new tables" "" "$(rsql ro app_readonly 'SELECT * FROM later')"
expect "ALTER ROLE … RENAME TO" "ALTER ROLE" "$(asql 'ALTER ROLE app_readonly RENAME TO app_ro')"
expect "the IAM mapping follows a renamed role" "app_ro" "$(rsql ro app_ro 'select current_user')"
finish
