#!/usr/bin/env bash
# The control-plane API with the AWS SDK for JavaScript (@aws-sdk/client-dsql,
# pinned in tests/clients/control/package.json, installed into
# /tmp/borealis-npm-cache/control): the whole cluster lifecycle, pagination,
# tags, deletion protection and SigV4 refusals (sdk_test.js), then two
# clusters on one node reached by SNI with psql — same table name, separate
# data — and deletion of a cluster that has live data.
source "$(dirname "$0")/../lib/server.sh"
CLIENTS=$(cd "$(dirname "$0")/../clients/control" && pwd)
NPM_CACHE=${BOREALIS_NPM_CACHE:-/tmp/borealis-npm-cache}/control
borealis_start

mkdir -p "$NPM_CACHE"
if ! cmp -s "$CLIENTS/package.json" "$NPM_CACHE/package.json" ||
  [ ! -d "$NPM_CACHE/node_modules/@aws-sdk/client-dsql" ]; then
  cp "$CLIENTS/package.json" "$NPM_CACHE/package.json"
  (cd "$NPM_CACHE" && npm install --no-audit --no-fund --silent) >"$TEST_TMP/npm.log" 2>&1 ||
    { echo "npm install failed:"; cat "$TEST_TMP/npm.log"; }
fi
API_PORT=$(sed -n 's/^api_port=//p' "$BOREALIS_DATA/endpoint")
KEY=$(sed -n 's/^access_key_id=//p' "$BOREALIS_DATA/credentials")
SECRET=$(sed -n 's/^secret_access_key=//p' "$BOREALIS_DATA/credentials")
expect "banner prints the API URL" "1" "$(grep -c "api:        http://127.0.0.1:$API_PORT" "$TEST_TMP/server.out")"
sdk() { NODE_NO_WARNINGS=1 NODE_PATH=$NPM_CACHE/node_modules node "$CLIENTS/sdk_test.js" "http://127.0.0.1:$API_PORT" local "$KEY" "$SECRET" "$@"; }

out=$(sdk lifecycle 2>&1) || true
echo "$out"
expect "SDK lifecycle: no failed check" "0" "$(grep -c '^not ok' <<<"$out" || true)"
expect "SDK lifecycle ran" "yes" "$(grep -q 'ok - wrong region' <<<"$out" && echo yes || echo no)"

# Two clusters, same table, different data, chosen by SNI.
A=$(sdk create | tail -1)
B=$(sdk create | tail -1)
csql() { # ID SQL...
  local id=$1 host="$1.dsql.local.on.aws"; shift
  PGPASSWORD=$("$BOREALIS_BIN" token --admin --data "$BOREALIS_DATA" --hostname "$host") psql -X -q -At \
    -v ON_ERROR_STOP=1 "host=$host hostaddr=127.0.0.1 port=$BOREALIS_PORT user=admin dbname=postgres sslmode=require" "$@"
}
csql "$A" -c "CREATE TABLE t (id int PRIMARY KEY, v text)" -c "INSERT INTO t VALUES (1, 'in A')"
csql "$B" -c "CREATE TABLE t (id int PRIMARY KEY, v text)" -c "INSERT INTO t VALUES (1, 'in B'), (2, 'also B')"
expect "cluster A sees its own row" "1|in A" "$(csql "$A" -c "SELECT * FROM t ORDER BY id")"
expect "cluster B sees its own rows" "1|in B
2|also B" "$(csql "$B" -c "SELECT * FROM t ORDER BY id")"
expect "the default cluster has no table t" "0" \
  "$(bsql -At -c "SELECT count(*) FROM information_schema.tables WHERE table_name = 't'" 2>&1)"
expect "borealis.cluster option routes too" "1|in A" "$(PGPASSWORD=$(admin_token) psql -X -At \
  "host=127.0.0.1 port=$BOREALIS_PORT user=admin dbname=postgres sslmode=require options='-c borealis.cluster=$A'" \
  -c "SELECT * FROM t")"
bad=$(PGPASSWORD=$(admin_token) psql -X -At "host=127.0.0.1 port=$BOREALIS_PORT user=admin dbname=postgres sslmode=require options='-c borealis.cluster=zzzzzzzzzzzzzzzzzzzzzzzzzz'" -c "SELECT 1" 2>&1 || true)
expect "unknown cluster refused" "yes" "$(grep -q 'cluster "zzzzzzzzzzzzzzzzzzzzzzzzzz" not found' <<<"$bad" && echo yes || echo no)"

# Roles live in their cluster: a role of A cannot log into B.
ARN=arn:aws:iam::123456789012:role/app
IAM_KEY=BKIATESTUSER00000001 IAM_SECRET=testsecret0000000000000000000000000000000
echo "$IAM_KEY $IAM_SECRET $ARN" >>"$BOREALIS_DATA/iam_users"
chmod 600 "$BOREALIS_DATA/iam_users"
csql "$A" -c "CREATE ROLE app WITH LOGIN" -c "AWS IAM GRANT app TO '$ARN'"
asrole() { # ID: select current_user as app with the IAM user's DbConnect token
  local host="$1.dsql.local.on.aws"
  PGPASSWORD=$("$BOREALIS_BIN" token --data "$BOREALIS_DATA" --hostname "$host" --access-key-id "$IAM_KEY" \
    --secret-access-key "$IAM_SECRET") psql -X -At -c "select current_user" \
    "host=$host hostaddr=127.0.0.1 port=$BOREALIS_PORT user=app dbname=postgres sslmode=require" 2>&1 || true
}
expect "role app logs into cluster A" "app" "$(asrole "$A")"
expect "role app does not exist in cluster B" 'FATAL:  role "app" does not exist' \
  "$(asrole "$B" | sed -n 's/.*failed: //p')"
expect "an IAM user may not call the API" "AccessDeniedException" "$(curl -s -o /dev/null -D - \
  --aws-sigv4 "aws:amz:local:dsql" --user "$IAM_KEY:$IAM_SECRET" "http://127.0.0.1:$API_PORT/cluster" |
  sed -n 's/^x-amzn-ErrorType: \([A-Za-z]*\).*/\1/p')"

# Everything persists across a restart.
api() { curl -s --aws-sigv4 "aws:amz:local:dsql" --user "$KEY:$SECRET" -H 'content-type: application/json' "$@"; }
api -X POST -d '{"policy":"{\"Version\":\"2012-10-17\",\"Statement\":[]}"}' \
  "http://127.0.0.1:$API_PORT/cluster/$B/policy" >/dev/null
borealis_stop
borealis_start
API_PORT=$(sed -n 's/^api_port=//p' "$BOREALIS_DATA/endpoint")
expect "a policy survives a restart" '{"policyVersion":"1","policy":"{\"Version\":\"2012-10-17\",\"Statement\":[]}"}' \
  "$(api "http://127.0.0.1:$API_PORT/cluster/$B/policy")"
expect "cluster B's data survives a restart" "2" "$(csql "$B" -c "SELECT count(*) FROM t")"
expect "deleting cluster A" "deleted" "$(sdk delete "$A" | tail -1)"
gone=$(csql "$A" -c "SELECT 1" 2>&1 || true)
expect "deleted cluster refused" "yes" "$(grep -q 'not found' <<<"$gone" && echo yes || echo no)"
expect "deleted cluster's files removed" "no" "$([ -d "$BOREALIS_DATA/clusters/$A" ] && echo yes || echo no)"
expect "cluster B unaffected" "2" "$(csql "$B" -c "SELECT count(*) FROM t")"

# Deleting a cluster with a session open: new connections are refused at
# once, the open session keeps working, the files go when it ends.
D=$(sdk create | tail -1)
mkfifo "$TEST_TMP/fifo"
host="$D.dsql.local.on.aws"
PGPASSWORD=$("$BOREALIS_BIN" token --admin --data "$BOREALIS_DATA" --hostname "$host") psql -X -At \
  "host=$host hostaddr=127.0.0.1 port=$BOREALIS_PORT user=admin dbname=postgres sslmode=require" \
  <"$TEST_TMP/fifo" >"$TEST_TMP/session.out" 2>&1 &
PSQL_PID=$!
exec 7>"$TEST_TMP/fifo"
echo "CREATE TABLE t (a int PRIMARY KEY); INSERT INTO t VALUES (7);" >&7
for _ in $(seq 1 50); do grep -q 'INSERT' "$TEST_TMP/session.out" && break; sleep 0.1; done
api -X DELETE "http://127.0.0.1:$API_PORT/cluster/$D" >/dev/null
refused=$(csql "$D" -c "SELECT 1" 2>&1 || true)
expect "new connections to a deleting cluster refused" "yes" \
  "$(grep -q "cluster \"$D\" is being deleted" <<<"$refused" && echo yes || echo no)"
echo "SELECT a FROM t;" >&7
exec 7>&-
wait "$PSQL_PID" || true
expect "the open session kept working" "7" "$(tail -1 "$TEST_TMP/session.out")"
for _ in $(seq 1 50); do [ -d "$BOREALIS_DATA/clusters/$D" ] || break; sleep 0.1; done
expect "files removed when the session ended" "no" "$([ -d "$BOREALIS_DATA/clusters/$D" ] && echo yes || echo no)"

# Off loopback the API is HTTPS with the node's certificate (fleet CA).
borealis_stop
borealis_start --api-listen 0.0.0.0:0
API_PORT=$(sed -n 's/^api_port=//p' "$BOREALIS_DATA/endpoint")
expect "endpoint file says https" "https" "$(sed -n 's/^api_scheme=//p' "$BOREALIS_DATA/endpoint")"
expect "banner prints the https URL" "1" "$(grep -c "api:        https://0.0.0.0:$API_PORT" "$TEST_TMP/server.out")"
expect "HTTPS API answers with the fleet CA" "ACTIVE" "$(curl -s --cacert "$BOREALIS_DATA/tls/ca.crt" \
  --aws-sigv4 "aws:amz:local:dsql" --user "$KEY:$SECRET" "https://127.0.0.1:$API_PORT/cluster/$B" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')"
finish
