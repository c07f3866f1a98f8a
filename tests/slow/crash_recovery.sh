#!/usr/bin/env bash
# Slow tier: 20 rounds of kill -9 under 8 committing clients, restart,
# verify every acknowledged commit and no half-present transaction.
set -euo pipefail
BOREALIS_BIN=${BOREALIS_BIN:-$(cd "$(dirname "$0")/../.." && pwd)/build/borealis}
exec /usr/bin/python3 "$(dirname "$0")/crash_recovery.py" "$BOREALIS_BIN" "${CRASH_ROUNDS:-20}" "${CRASH_CLIENTS:-8}"
