#!/usr/bin/env bash
# Slow tier: DSQL's 5-minute transaction age limit (spec §7.3). A
# transaction older than 300 s fails its next statement, and its COMMIT,
# with 54000 `transaction age limit of 300s exceeded`; nothing it wrote
# becomes visible. Sleeps just over five minutes.
source "$(dirname "$0")/../lib/server.sh"
borealis_start

bsql -q -c "CREATE TABLE age_t (id int PRIMARY KEY)"
AGE=${TXN_AGE_SLEEP:-302}
out=$(bsql -At -v ON_ERROR_STOP=0 2>&1 <<SQL
BEGIN;
INSERT INTO age_t VALUES (1);
\\! sleep $AGE
INSERT INTO age_t VALUES (2);
COMMIT;
BEGIN;
INSERT INTO age_t VALUES (3);
\\! sleep $AGE
COMMIT;
SQL
)
expect "statement after 300 s, then COMMIT answers ROLLBACK, then COMMIT itself refused" \
"BEGIN
INSERT 0 1
ERROR:  transaction age limit of 300s exceeded
ROLLBACK
BEGIN
INSERT 0 1
ERROR:  transaction age limit of 300s exceeded" "$out"
expect "nothing of either transaction is visible" "0" "$(bsql -At -c 'SELECT count(*) FROM age_t')"
finish
