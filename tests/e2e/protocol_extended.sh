#!/usr/bin/env bash
# The extended query protocol message by message: a script of Parse/Bind/
# Describe/Execute/Close/Sync/Flush (pipelined, with errors skipping to Sync,
# row limits and PortalSuspended, binary formats) run against a real node;
# the trace must equal PostgreSQL 15's (tests/clients/*.expected).
source "$(dirname "$0")/../lib/server.sh"
CLIENTS=$(cd "$(dirname "$0")/../clients" && pwd)
borealis_start

trace() {
  python3 "$CLIENTS/wire_trace.py" "$CLIENTS/$1.py" --host 127.0.0.1 --port "$BOREALIS_PORT" \
    --user admin --password "$(admin_token)" 2>&1
}
for t in trace_extended trace_binary trace_protocol_misc; do
  actual=$(trace "$t")
  expect "$t matches PostgreSQL" "$(cat "$CLIENTS/$t.expected")" "$actual"
  if [ "$actual" != "$(cat "$CLIENTS/$t.expected")" ]; then
    diff <(cat "$CLIENTS/$t.expected") <(echo "$actual") | head -40 || true
  fi
done
finish
