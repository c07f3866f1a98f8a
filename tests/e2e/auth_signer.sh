#!/usr/bin/env bash
# Tokens from AWS's own signer (issue 9): @aws-sdk/dsql-signer, given
# Borealis credentials (the stored admin key, an IAM user's key from
# `borealis iam create-user`), makes tokens node-postgres logs in with;
# the wrong action, another host and a wrong secret are refused with
# DSQL's texts.  The npm packages (tests/clients/signer/package.json,
# pinned) are installed into a cache outside the repository.
source "$(dirname "$0")/../lib/server.sh"
SIGNER=$(cd "$(dirname "$0")/../clients/signer" && pwd)
NPM_CACHE=${BOREALIS_NPM_SIGNER_CACHE:-/tmp/borealis-npm-signer}
borealis_start

ARN=arn:aws:iam::123456789012:role/app
eval "$("$BOREALIS_BIN" iam create-user --data "$BOREALIS_DATA" --arn "$ARN")"
USER_KEY=$AWS_ACCESS_KEY_ID USER_SECRET=$AWS_SECRET_ACCESS_KEY
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
ADMIN_KEY=$(sed -n 's/^access_key_id=//p' "$BOREALIS_DATA/credentials")
ADMIN_SECRET=$(sed -n 's/^secret_access_key=//p' "$BOREALIS_DATA/credentials")
bsql -q -c "CREATE ROLE app WITH LOGIN"
bsql -q -c "AWS IAM GRANT app TO '$ARN'"

mkdir -p "$NPM_CACHE"
if ! cmp -s "$SIGNER/package.json" "$NPM_CACHE/package.json" ||
  [ ! -d "$NPM_CACHE/node_modules/@aws-sdk/dsql-signer" ]; then
  cp "$SIGNER/package.json" "$NPM_CACHE/package.json"
  (cd "$NPM_CACHE" && npm install --no-audit --no-fund --silent) >"$TEST_TMP/npm.log" 2>&1 ||
    { echo "npm install failed:"; cat "$TEST_TMP/npm.log"; }
fi
cp "$SIGNER/signer.mjs" "$NPM_CACHE/signer.mjs" # ES modules resolve packages beside the file
expect "AWS signer tokens" \
"admin token: connected as admin
role token: connected as app
DbConnect token for admin: 28000 Wrong user to action mapping. user: admin, action: DbConnect
admin token for another host: 28P01 unable to accept connection, access denied
role token, wrong secret: 28P01 unable to accept connection, access denied" \
  "$(node "$NPM_CACHE/signer.mjs" "$BOREALIS_PORT" "$ADMIN_KEY" "$ADMIN_SECRET" "$USER_KEY" "$USER_SECRET" 2>&1)"
finish
