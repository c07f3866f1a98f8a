#!/usr/bin/env bash
# `borealis mcp` (src/mcp/) end to end: raw JSON-RPC framing and errors over
# stdio, then the official MCP TypeScript SDK client (tests/mcp/) against a
# real node in documentation-only, read-only and read-write mode; its
# transcript must equal tests/mcp/mcp_client.expected.  The npm package
# (tests/mcp/package.json, pinned) is installed into a cache outside the
# repository.
source "$(dirname "$0")/../lib/server.sh"
MCP_DIR=$(cd "$(dirname "$0")/../mcp" && pwd)
NPM_CACHE=${BOREALIS_MCP_NPM_CACHE:-/tmp/borealis-mcp-npm-cache}
borealis_start

# ---- JSON-RPC over stdio, no SDK: exact replies ----
rpc() { printf '%s\n' "$@" | "$BOREALIS_BIN" mcp 2>/dev/null; }
expect "initialize echoes a supported version" \
  '{"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2024-11-05","capabilities":{"tools":{}},"serverInfo":{"name":"borealis-mcp","version":"0.1.0"}}}' \
  "$(rpc '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2024-11-05","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}' |
    jq -c 'del(.result.instructions)')"
expect "initialize answers its latest version to an unknown one" '"2025-11-25"' \
  "$(rpc '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"1999-01-01"}}' | jq -c .result.protocolVersion)"
expect "notification: no reply; ping: empty result" '{"jsonrpc":"2.0","id":"p","result":{}}' \
  "$(rpc '{"jsonrpc":"2.0","method":"notifications/initialized"}' '{"jsonrpc":"2.0","id":"p","method":"ping"}')"
expect "unknown method" '{"jsonrpc":"2.0","id":7,"error":{"code":-32601,"message":"Method not found"}}' \
  "$(rpc '{"jsonrpc":"2.0","id":7,"method":"resources/list"}')"
expect "bad JSON" '{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}' \
  "$(rpc '{"jsonrpc":"2.0","id":8,')"
expect "not JSON-RPC 2.0" '{"jsonrpc":"2.0","id":9,"error":{"code":-32600,"message":"Invalid Request"}}' \
  "$(rpc '{"id":9,"method":"ping"}')"
expect "a line over 16 MiB is refused, the next one served" \
  '{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"message too large"}}
{"jsonrpc":"2.0","id":2,"result":{}}' \
  "$({ head -c 17000000 /dev/zero | tr '\0' ' '; echo; echo '{"jsonrpc":"2.0","id":2,"method":"ping"}'; } |
    "$BOREALIS_BIN" mcp 2>/dev/null)"
expect "stdout carries only messages" "3" \
  "$(rpc '{"jsonrpc":"2.0","id":1,"method":"ping"}' '{"jsonrpc":"2.0","id":2,"method":"tools/list"}' \
    '{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"readonly_query","arguments":{"sql":"SELECT 1"}}}' |
    jq -c .id | wc -l | tr -d ' ')"

# ---- the SDK client ----
bsql -q -c "CREATE TABLE items (id INT PRIMARY KEY, name TEXT NOT NULL, price NUMERIC(10,2) DEFAULT 0, tags TEXT)"
bsql -q -c "INSERT INTO items VALUES (1, 'apple', 1.50, NULL), (2, 'pear', 2.25, 'x')"

mkdir -p "$NPM_CACHE"
if ! cmp -s "$MCP_DIR/package.json" "$NPM_CACHE/package.json" ||
  [ ! -d "$NPM_CACHE/node_modules/@modelcontextprotocol/sdk" ]; then
  cp "$MCP_DIR/package.json" "$NPM_CACHE/package.json"
  (cd "$NPM_CACHE" && npm install --no-audit --no-fund --silent) >"$TEST_TMP/npm.log" 2>&1 ||
    { echo "npm install failed:"; cat "$TEST_TMP/npm.log"; }
fi
# ES modules resolve packages next to the importing file, not by NODE_PATH.
cp "$MCP_DIR/mcp_client.mjs" "$NPM_CACHE/mcp_client.mjs"
actual=$(BOREALIS_BIN=$BOREALIS_BIN BOREALIS_DATA=$BOREALIS_DATA BOREALIS_PORT=$BOREALIS_PORT \
  node "$NPM_CACHE/mcp_client.mjs" 2>&1)
expect "SDK client transcript" "$(cat "$MCP_DIR/mcp_client.expected")" "$actual"
[ "$actual" == "$(cat "$MCP_DIR/mcp_client.expected")" ] ||
  diff <(cat "$MCP_DIR/mcp_client.expected") <(echo "$actual") | head -40 || true

# The failed transact left nothing behind; the committed one did.
expect "table after commit and rollback" "1|apple
2|banana
3|kiwi; DROP TABLE items" "$(bsql -At -c 'SELECT id, name FROM items ORDER BY id')"
# A connection lost between calls (node restarted) is reopened, and the
# whole call runs again from BEGIN on the new one.
coproc MCP { "$BOREALIS_BIN" mcp --cluster_endpoint "127.0.0.1:$BOREALIS_PORT" --database_user admin \
  --region local --data "$BOREALIS_DATA" --allow-writes 2>"$TEST_TMP/mcp.err"; }
mcp_call() { # ID SQL_LIST_JSON -> the call's result, compact
  echo "{\"jsonrpc\":\"2.0\",\"id\":$1,\"method\":\"tools/call\",\"params\":{\"name\":\"transact\",\"arguments\":{\"sql_list\":$2}}}" >&"${MCP[1]}"
  local line
  IFS= read -r -t 20 line <&"${MCP[0]}" || true
  echo "$line" | jq -c .result.structuredContent.result
}
expect "transact before the restart" '[{"n":3}]' "$(mcp_call 1 '["SELECT count(*) AS n FROM items"]')"
port=$BOREALIS_PORT
borealis_stop
borealis_start --listen "127.0.0.1:$port"
expect "transact after the restart, on a new connection" '[{"n":4}]' \
  "$(mcp_call 2 '["INSERT INTO items (id, name) VALUES (4, '"'"'fig'"'"')", "SELECT count(*) AS n FROM items"]')"
exec {MCP[1]}>&-
wait "$MCP_PID" || true
finish
