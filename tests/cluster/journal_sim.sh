#!/usr/bin/env bash
# The journal's deterministic simulation (tests/unit/journal/test_sim.c)
# with many seeds: `make test` runs a few, this tier runs
# BOREALIS_SIM_SEEDS (default 600) per group size, 3 and 5 voters.  A
# failure prints the seed; replay it with BOREALIS_SIM_SEED=<n>.
set -euo pipefail
BUILD=$(dirname "${BOREALIS_BIN:?set by ctest}")
SIM="$BUILD/unit_journal_test_sim"
[ -x "$SIM" ] || { echo "not ok - $SIM missing"; exit 1; }
seeds=${BOREALIS_SIM_SEEDS:-600}
start=$(date +%s)
out=$(mktemp)
set +e
BOREALIS_SIM_SEEDS=$seeds BOREALIS_SIM_FIRST=${BOREALIS_SIM_FIRST:-1000} "$SIM" >"$out" 2>&1
status=$?
set -e
grep -E '^sim:|^replay:|PASSED|FAILED|^# sim' "$out" || true
[ "$status" = 0 ] || tail -40 "$out"
rm -f "$out"
[ "$status" = 0 ] || { echo "not ok - simulation failed"; exit 1; }
echo "ok - $seeds seeds x (3 and 5 voters) in $(($(date +%s) - start)) s"
