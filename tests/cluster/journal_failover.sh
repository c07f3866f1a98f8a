#!/usr/bin/env bash
# NODES (default 3) journal voters in as many processes
# (tests/cluster/journal_node.c) on loopback.  All run a writer (only the
# leader's commits succeed) and a strong-read checker.  ROUNDS times
# (default 3) the test kills the leader with kill -9 mid-load, waits for a
# new leader and more acknowledged commits, restarts the killed node and
# waits for it to catch up.  Then it stops the load, lets the replicas
# converge, stops them, and checks offline that every acknowledged commit
# is on every node, that the databases are identical and that no strong
# read missed an acknowledged commit.  Prints the time from each kill to
# the first commit under the new leader.
set -euo pipefail
BUILD=$(dirname "${BOREALIS_BIN:?set by ctest}")
NODE="$BUILD/journal_node"
[ -x "$NODE" ] || { echo "not ok - $NODE missing"; exit 1; }
WORK=$(mktemp -d /tmp/borealis-cluster-journal-XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "${KEEP:-}" = "" ]; then rm -rf "$WORK"; else echo "# kept $WORK"; fi
}
trap cleanup EXIT
N=${NODES:-3}
fail() { echo "not ok - $*"; for i in $(seq 1 "$N"); do echo "# node $i:"; tail -5 "$WORK/n$i.log" | sed 's/^/#   /'; done; exit 1; }
now_ms() { date +%s%3N; }

base=$((20000 + RANDOM % 20000))
PEERS=""
for i in $(seq 1 "$N"); do
  PEERS+="${PEERS:+,}$i=127.0.0.1:$((base + 2 * i))/127.0.0.1:$((base + 2 * i + 1))"
done
mkdir -p "$WORK/acks"
start_node() {
  mkdir -p "$WORK/n$1"
  "$NODE" serve --id "$1" --dir "$WORK/n$1" --peers "$PEERS" --acks-dir "$WORK/acks" --load \
    >>"$WORK/n$1.log" 2>&1 &
  PIDS[$1]=$!
}
status() { cat "$WORK/n$1/status" 2>/dev/null || echo "0 0 0 0 0"; }
field() { status "$1" | cut -d' ' -f"$2"; }
acked() { cat "$WORK"/acks/acks.* 2>/dev/null | wc -l; }
wait_for() { # seconds, description, command...
  local limit=$1 what=$2; shift 2
  local end=$(($(date +%s) + limit))
  until "$@"; do
    [ "$(date +%s)" -lt "$end" ] || fail "timed out waiting for $what"
    sleep 0.1
  done
}

for i in $(seq 1 "$N"); do start_node "$i"; done
at_least() { test "$(acked)" -ge "$1"; }
wait_for 60 "200 acknowledged commits" at_least 200
recoveries=()
for round in $(seq 1 "${ROUNDS:-3}"); do
  leader=$(field 1 2)
  [ "$leader" -ge 1 ] && [ "$leader" -le "$N" ] || fail "no leader in node 1's status"
  wait_for 60 "300 more acknowledged commits" at_least $(($(acked) + 300))
  leader=$(field 1 2)
  before=$(acked)
  echo "# round $round: leader is node $leader with $before acknowledged commits; kill -9"
  kill -9 "${PIDS[$leader]}"
  wait "${PIDS[$leader]}" 2>/dev/null || true
  killed_at=$(now_ms)
  others=()
  for i in $(seq 1 "$N"); do [ "$i" = "$leader" ] || others+=("$i"); done
  new_leader() { local l; l=$(field "${others[0]}" 2); [ "$l" != "$leader" ] && [ "$l" != 0 ]; }
  wait_for 30 "a new leader" new_leader
  more() { test "$(acked)" -gt "$before"; }
  wait_for 30 "a commit under the new leader" more
  recovered_ms=$(($(now_ms) - killed_at))
  recoveries+=("$recovered_ms")
  echo "# new leader node $(field "${others[0]}" 2); first commit $recovered_ms ms after the kill"
  after=$(acked)
  wait_for 60 "300 more acknowledged commits" at_least $((after + 300))

  killed_version=$(field "${others[0]}" 1)
  start_node "$leader"
  caught_up() {
    local mine; mine=$(field "$leader" 1)
    [ "$mine" -gt "$killed_version" ] && [ "$mine" -ge "$(field "${others[0]}" 1)" ]
  }
  wait_for 60 "the restarted node to catch up" caught_up
  echo "# node $leader restarted and caught up at version $(field "$leader" 1)"
done
sleep 1
touch "$WORK/acks/stop-load"
converged() {
  local a i; a=$(field 1 1)
  [ "$a" -gt 0 ] || return 1
  for i in $(seq 2 "$N"); do [ "$(field "$i" 1)" = "$a" ] || return 1; done
}
sleep 0.5
wait_for 30 "the replicas to converge" converged
for i in $(seq 1 "$N"); do kill -TERM "${PIDS[$i]}"; done
for i in $(seq 1 "$N"); do wait "${PIDS[$i]}" || fail "node $i exited with $?"; done
PIDS=()

total=$(acked)
violations=0
digests=()
for i in $(seq 1 "$N"); do
  out=$("$NODE" check --dir "$WORK/n$i" --acks-dir "$WORK/acks") || fail "node $i: $out"
  echo "# node $i: $out"
  digests+=("$(echo "$out" | sed 's/.*digest //')")
  violations=$((violations + $(field $i 5)))
  echo "# node $i: $(field $i 4) strong reads"
done
for d in "${digests[@]}"; do [ "$d" = "${digests[0]}" ] || fail "replicas differ: ${digests[*]}"; done
[ "$violations" = 0 ] || fail "$violations strong reads missed an acknowledged commit"
echo "ok - $total acknowledged commits on all $N nodes after ${ROUNDS:-3} kill -9s of the leader; identical replicas; 0 stale strong reads; first commit after each kill in ${recoveries[*]} ms"
