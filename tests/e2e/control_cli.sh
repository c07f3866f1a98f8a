#!/usr/bin/env bash
# `borealis cluster …` against a real node: create (tags, protection),
# wait, get/info, list with pagination, update, the interactive delete
# confirmation (refused unless "yes"), delete refused while protected,
# --force, wait --status DELETED, exit codes and --help.
source "$(dirname "$0")/../lib/server.sh"
borealis_start
C() { "$BOREALIS_BIN" cluster "$@" --data "$BOREALIS_DATA"; }
field() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

expect "list shows the default cluster" "1" "$(C list | field "['clusters'].__len__()")"
out=$(C create --tags env=test,team=data)
A=$(field "['identifier']" <<<"$out")
expect "create answers CREATING" "CREATING" "$(field "['status']" <<<"$out")"
expect "create: protection on by default" "True" "$(field "['deletionProtectionEnabled']" <<<"$out")"
expect "wait for ACTIVE" "ACTIVE" "$(C wait "$A" --status ACTIVE)"
expect "get shows the tags" "{'env': 'test', 'team': 'data'}" "$(C get "$A" | field "['tags']")"
expect "info is get" "ACTIVE" "$(C info "$A" | field "['status']")"
B=$(C create --no-deletion-protection | field "['identifier']")
C wait "$B" >/dev/null
page=$(C list --max-results 1)
next=$(field ".get('nextToken', '')" <<<"$page")
expect "list --max-results 1 gives one cluster and a nextToken" "1|26" \
  "$(field "['clusters'].__len__()" <<<"$page")|${#next}"
expect "list --output table" "IDENTIFIER|3" \
  "$(C list --output table | awk 'NR==1{h=$1} END{printf "%s|%d", h, NR-1}')"
expect "get --output table" "ACTIVE" "$(C get "$A" --output table | awk '$1=="status"{print $2}')"
expect "get --output table shows tags" "env=test,team=data" "$(C get "$A" --output table | awk '$1=="tags"{print $2}')"
expect "list --next-token continues" "1" "$(C list --max-results 1 --next-token "$next" | field "['clusters'].__len__()")"

set +e
err=$(C delete "$A" --force 2>&1 >/dev/null)
set -e
expect "delete refused while protected" "borealis cluster: ValidationException: Cluster $A has deletion protection enabled. Disable deletion protection with UpdateCluster before deleting it." "$err"
set +e
C delete "$A" --force >/dev/null 2>&1; rc=$?
set -e
expect "refused delete exits 1" "1" "$rc"
expect "update turns protection off" "UPDATING" "$(C update "$A" --no-deletion-protection | field "['status']")"
expect "get shows protection off" "False" "$(C get "$A" | field "['deletionProtectionEnabled']")"
set +e
ans=$(echo no | C delete "$A" 2>&1); rc=$?
set -e
expect "delete asks and refuses anything but yes" "1|yes" \
  "$rc|$(grep -q 'Type "yes" to confirm' <<<"$ans" && grep -q 'not deleted' <<<"$ans" && echo yes)"
expect "still there after \"no\"" "ACTIVE" "$(C get "$A" | field "['status']")"
expect "delete after \"yes\"" "DELETING" "$(echo yes | C delete "$A" 2>/dev/null | field "['status']")"
expect "wait --status DELETED" "DELETED" "$(C wait "$A" --status DELETED)"
set +e
err=$(C get "$A" 2>&1); rc=$?
set -e
expect "get after delete" "1|borealis cluster: ResourceNotFoundException: Cluster not found: $A" "$rc|$err"
expect "delete --force" "DELETING" "$(C delete "$B" --force | field "['status']")"
C wait "$B" --status DELETED >/dev/null
set +e
C bogus >/dev/null 2>&1; rc_bogus=$?
C get >/dev/null 2>&1; rc_noid=$?
set -e
expect "unknown command exits 2" "2" "$rc_bogus"
expect "missing ID exits 2" "2" "$rc_noid"
expect "--help" "yes" "$("$BOREALIS_BIN" cluster --help | grep -q 'usage: borealis cluster' && echo yes)"
expect "create --help" "yes" "$("$BOREALIS_BIN" cluster create --help | grep -q 'usage: borealis cluster' && echo yes)"
finish
