# Shared helpers for end-to-end tests (sourced, not run).  Starts a real
# Borealis node on a free port in a temporary data directory and stops it
# when the test exits.  Needs BOREALIS_BIN (ctest sets it) or build/borealis.
set -euo pipefail

BOREALIS_BIN=${BOREALIS_BIN:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build/borealis}
TEST_TMP=$(mktemp -d /tmp/borealis-test.XXXXXX)
BOREALIS_DATA=$TEST_TMP/data
BOREALIS_PID=

borealis_stop() {
  if [ -n "$BOREALIS_PID" ] && kill -0 "$BOREALIS_PID" 2>/dev/null; then
    kill -TERM "$BOREALIS_PID" 2>/dev/null || true
    wait "$BOREALIS_PID" 2>/dev/null || true
  fi
  BOREALIS_PID=
}

cleanup() {
  borealis_stop
  if [ "${KEEP_TMP:-}" = "" ]; then rm -rf "$TEST_TMP"; fi
}
trap cleanup EXIT

# Starts the node; sets BOREALIS_PORT.  Extra arguments go to `borealis start`.
borealis_start() {
  rm -f "$BOREALIS_DATA/endpoint"
  "$BOREALIS_BIN" start --data "$BOREALIS_DATA" --listen 127.0.0.1:0 "$@" \
    >"$TEST_TMP/server.out" 2>"$TEST_TMP/server.err" &
  BOREALIS_PID=$!
  for _ in $(seq 1 300); do
    if [ -f "$BOREALIS_DATA/endpoint" ]; then break; fi
    if ! kill -0 "$BOREALIS_PID" 2>/dev/null; then
      echo "borealis start exited early:"; cat "$TEST_TMP/server.err"; return 1
    fi
    sleep 0.1
  done
  BOREALIS_PORT=$(sed -n 's/^port=//p' "$BOREALIS_DATA/endpoint")
  [ -n "$BOREALIS_PORT" ] || { echo "no endpoint file"; cat "$TEST_TMP/server.err"; return 1; }
}

admin_token() { "$BOREALIS_BIN" token --admin --data "$BOREALIS_DATA" "$@"; }

# psql as admin over TLS with a fresh token; arguments go to psql.
bsql() {
  PGPASSWORD=$(admin_token) psql -X -v ON_ERROR_STOP=1 \
    "host=127.0.0.1 port=$BOREALIS_PORT user=admin dbname=postgres sslmode=require" "$@"
}

FAILURES=0
# expect NAME EXPECTED ACTUAL
expect() {
  if [ "$2" == "$3" ]; then
    echo "ok - $1"
  else
    echo "not ok - $1"; echo "  expected: $(printf '%q' "$2")"; echo "  actual:   $(printf '%q' "$3")"
    FAILURES=$((FAILURES + 1))
  fi
}

finish() {
  if [ "$FAILURES" -gt 0 ]; then
    echo "$FAILURES check(s) failed; server log:"; tail -n 30 "$TEST_TMP/server.err"; exit 1
  fi
  echo "all checks passed"
}
