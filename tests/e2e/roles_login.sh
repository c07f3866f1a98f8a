#!/usr/bin/env bash
# Roles end to end (issue 9): CREATE ROLE, AWS IAM GRANT, a non-admin login
# with a DbConnect token signed by an IAM user's access key, current_user,
# DSQL's refusals with their exact texts (spec §2.1–2.3), and table
# privileges (PostgreSQL 15's texts).
source "$(dirname "$0")/../lib/server.sh"
borealis_start

ARN=arn:aws:iam::123456789012:role/app
# An IAM user with an access key: `borealis iam create-user` prints
# AWS_ACCESS_KEY_ID=… and AWS_SECRET_ACCESS_KEY=… lines.
eval "$("$BOREALIS_BIN" iam create-user --data "$BOREALIS_DATA" --arn "$ARN")"
KEY=$AWS_ACCESS_KEY_ID SECRET=$AWS_SECRET_ACCESS_KEY
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
expect "borealis iam list shows the key, not the secret" "$KEY	$ARN" \
  "$("$BOREALIS_BIN" iam list --data "$BOREALIS_DATA")"
expect "iam_users is private" "600" "$(stat -c %a "$BOREALIS_DATA/iam_users")"
user_token() { "$BOREALIS_BIN" token --data "$BOREALIS_DATA" --access-key-id "$KEY" --secret-access-key "$SECRET" "$@"; }
# usql USER SQL: psql as USER with the IAM user's DbConnect token.
usql() {
  PGPASSWORD=$(user_token) psql -X -At -v ON_ERROR_STOP=1 \
    "host=127.0.0.1 port=$BOREALIS_PORT user=$1 dbname=postgres sslmode=require" -c "$2" 2>&1 || true
}
fails() { sed -n 's/.*failed: //p'; }
asql() { bsql -At -c "$1" 2>&1 || true; }

expect "CREATE ROLE WITH LOGIN" "CREATE ROLE" "$(asql 'CREATE ROLE app WITH LOGIN')"
expect "CREATE ROLE nologin" "CREATE ROLE" "$(asql 'CREATE ROLE nologin_role')"
expect "login before the mapping refused" "FATAL:  unable to accept connection, access denied" \
  "$(usql app 'select 1' | fails)"
expect "AWS IAM GRANT" "AWS IAM GRANT" "$(asql "AWS IAM GRANT app TO '$ARN'")"
expect "AWS IAM GRANT of a malformed ARN" "ERROR:  IAM role must look like an IAM ARN" \
  "$(asql "AWS IAM GRANT app TO 'app'")"
expect "login as the mapped role: current_user" "app|app" \
  "$(usql app 'select current_user, session_user')"
expect "login as a missing role" 'FATAL:  role "ghost" does not exist' "$(usql ghost 'select 1' | fails)"
asql "AWS IAM GRANT nologin_role TO '$ARN'" >/dev/null
expect "login as a role without LOGIN" "ERROR:  role nologin_role must have the LOGIN attribute" \
  "$(usql nologin_role 'select 1' | fails)"
expect "IAM user cannot log in as admin" "FATAL:  unable to accept connection, access denied" \
  "$(PGPASSWORD=$(user_token --admin) psql -X -Atc 'select 1' "host=127.0.0.1 port=$BOREALIS_PORT user=admin dbname=postgres sslmode=require" 2>&1 | fails)"
expect "DbConnect token for admin still refused" \
  "FATAL:  Wrong user to action mapping. user: app, action: DbConnectAdmin" \
  "$(PGPASSWORD=$(user_token --admin) psql -X -Atc 'select 1' "host=127.0.0.1 port=$BOREALIS_PORT user=app dbname=postgres sslmode=require" 2>&1 | fails)"

# DSQL's rules for IAM mappings and admin.
expect "non-admin AWS IAM GRANT" "ERROR:  permission denied to grant IAM trust with role app" \
  "$(usql app "AWS IAM GRANT app TO '$ARN'")"
expect "DROP ROLE of a mapped role" "ERROR:  role app cannot be dropped because some objects depend on it" \
  "$(asql 'DROP ROLE app')"
expect "admin is immutable" 'ERROR:  role "admin" cannot be modified' "$(asql 'ALTER ROLE admin WITH NOLOGIN')"
expect "GRANT ON DATABASE" "ERROR:  unsupported object type in GRANT" \
  "$(asql 'GRANT ALL ON DATABASE postgres TO app')"
expect "non-admin CREATE ROLE" "ERROR:  permission denied to create role" "$(usql app 'CREATE ROLE x')"

# PostgreSQL's role texts.
expect "duplicate role" 'ERROR:  role "app" already exists' "$(asql 'CREATE ROLE app')"
expect "reserved name" $'ERROR:  role name "pg_x" is reserved\nDETAIL:  Role names starting with "pg_" are reserved.' \
  "$(asql 'CREATE ROLE pg_x')"
expect "DROP ROLE IF EXISTS" $'NOTICE:  role "ghost" does not exist, skipping\nDROP ROLE' \
  "$(asql 'DROP ROLE IF EXISTS ghost')"
expect "GRANT role" "GRANT ROLE" "$(asql 'GRANT nologin_role TO app')"
expect "GRANT role again" $'NOTICE:  role "app" is already a member of role "nologin_role"\nGRANT ROLE' \
  "$(asql 'GRANT nologin_role TO app')"
expect "circular GRANT" 'ERROR:  role "app" is a member of role "nologin_role"' \
  "$(asql 'GRANT app TO nologin_role')"

# Table privileges: GRANT/REVOKE by the owner (admin created t) and the
# refusals of a non-owner.  Enforcement on SELECT/INSERT/UPDATE/DELETE is
# catalog_check_table_privilege (tests/unit/catalog/test_role.c), called by
# analyze.
asql 'CREATE TABLE t (id int PRIMARY KEY, v text)' >/dev/null
expect "GRANT by a non-owner without privileges" "ERROR:  permission denied for table t" \
  "$(usql app 'GRANT SELECT ON t TO nologin_role')"
expect "GRANT SELECT" "GRANT" "$(asql 'GRANT SELECT ON t TO app')"
expect "GRANT by a non-owner holding the privilege" $'WARNING:  no privileges were granted for "t"\nGRANT' \
  "$(usql app 'GRANT SELECT ON t TO nologin_role')"
expect "GRANT WITH GRANT OPTION" "GRANT" "$(asql 'GRANT INSERT ON t TO app WITH GRANT OPTION')"
expect "GRANT by a holder of the grant option, partly" $'WARNING:  not all privileges were granted for "t"\nGRANT' \
  "$(usql app 'GRANT SELECT, INSERT ON t TO nologin_role')"
expect "unknown privilege" 'ERROR:  unrecognized privilege type "bogus"' "$(asql 'GRANT bogus ON t TO app')"
expect "privilege of the wrong kind" 'ERROR:  invalid privilege type USAGE for table' "$(asql 'GRANT USAGE ON t TO app')"
expect "GRANT on a missing table" 'ERROR:  relation "nope" does not exist' "$(asql 'GRANT SELECT ON nope TO app')"
expect "GRANT to a missing role" 'ERROR:  role "ghost" does not exist' "$(asql 'GRANT SELECT ON t TO ghost')"
expect "GRANT ON SCHEMA" "GRANT" "$(asql 'GRANT USAGE, CREATE ON SCHEMA users_schema TO app')"
expect "CREATE on public cannot be granted (DSQL)" "ERROR:  permission denied for schema public" \
  "$(asql 'GRANT CREATE ON SCHEMA public TO app')"
expect "GRANT ON ALL TABLES IN SCHEMA" "GRANT" "$(asql 'GRANT SELECT ON ALL TABLES IN SCHEMA public TO PUBLIC')"
expect "REVOKE SELECT" "REVOKE" "$(asql 'REVOKE SELECT ON t FROM app')"
asql 'CREATE SEQUENCE s CACHE 1' >/dev/null
expect "GRANT ON SEQUENCE" "GRANT" "$(asql 'GRANT USAGE, SELECT ON SEQUENCE s TO app')"
expect "sequence privilege of the wrong kind" "ERROR:  invalid privilege type INSERT for sequence" \
  "$(asql 'GRANT INSERT ON SEQUENCE s TO app')"
expect "REVOKE ON SEQUENCE" "REVOKE" "$(asql 'REVOKE ALL ON SEQUENCE s FROM app')"
asql "AWS IAM REVOKE nologin_role FROM '$ARN'" >/dev/null
expect "privileges block DROP ROLE" \
  $'ERROR:  role "nologin_role" cannot be dropped because some objects depend on it\nDETAIL:  privileges for table t' \
  "$(asql 'DROP ROLE nologin_role')"
expect "DROP ROLE after REVOKE" "DROP ROLE" \
  "$(asql 'REVOKE ALL ON t FROM nologin_role' >/dev/null; asql 'DROP ROLE nologin_role')"

# AWS IAM REVOKE takes effect for the next login.
expect "AWS IAM REVOKE" "AWS IAM REVOKE" "$(asql "AWS IAM REVOKE app FROM '$ARN'")"
expect "login after AWS IAM REVOKE" "FATAL:  unable to accept connection, access denied" \
  "$(usql app 'select 1' | fails)"
expect "DROP ROLE after the revoke" "DROP ROLE" \
  "$(asql 'REVOKE ALL ON t FROM app' >/dev/null; asql 'REVOKE ALL ON SCHEMA users_schema FROM app' >/dev/null; asql 'DROP ROLE app')"
finish
