/*
 * Unit tests for the adjudicator (journal/adjudicate.c), its in-flight
 * overlay (overlay.c) and the apply step (apply.c), without raft: version
 * records are written by journal_apply_entry into a real RocksDB, and
 * in-flight entries are put in an overlay by hand.  The conflict matrix is
 * checked cell by cell against committed records and against in-flight
 * entries, plus OC001, unchecked items and snapshot boundaries.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "journal/journal_internal.h"

#define OC000 "change conflicts with another transaction (OC000)"
#define OC001 "schema has been updated by another transaction (OC001)"

typedef struct Fixture {
    char dir[256];
    Storage *s;
    StorageBatch *b;
    JournalOverlay *ov;
    CommitVersion next_version;
} Fixture;

static int setup(void **state)
{
    Fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/borealis-test-adjudicate-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    DbError err;
    assert_int_equal(storage_open(f->dir, &f->s, &err), 0);
    f->b = storage_batch_create();
    f->ov = journal_overlay_create();
    f->next_version = 10;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    Fixture *f = *state;
    journal_overlay_destroy(f->ov);
    storage_batch_destroy(f->b);
    storage_close(f->s);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    assert_int_equal(system(cmd), 0);
    free(f);
    return 0;
}

static JournalItem item(const char *key, JournalConflictKind kind)
{
    JournalOp op = kind == JOURNAL_KIND_KEY_SHARE || kind == JOURNAL_KIND_SCHEMA_READ
                       ? JOURNAL_OP_NONE
                       : JOURNAL_OP_PUT;
    JournalItem it = {.key = (const uint8_t *)key,
                      .key_len = strlen(key),
                      .value = op == JOURNAL_OP_PUT ? (const uint8_t *)"v" : NULL,
                      .value_len = op == JOURNAL_OP_PUT ? 1 : 0,
                      .op = op,
                      .kind = kind};
    return it;
}

/* Applies a write set as a committed entry at the next version. */
static CommitVersion apply(Fixture *f, const JournalItem *items, size_t n)
{
    JournalWriteSet ws = {.snapshot = 0, .items = items, .n_items = n};
    size_t len = journal_entry_size(&ws);
    uint8_t *buf = malloc(len);
    uint8_t id[JOURNAL_TXN_ID_BYTES] = {0};
    journal_entry_encode(&ws, id, 5000, buf);
    DbError err;
    CommitVersion v = f->next_version;
    f->next_version += 3; /* versions are ordered, not dense */
    assert_int_equal(journal_apply_entry(f->s, f->b, buf, len, v, &err), 0);
    free(buf);
    return v;
}

/* Adjudicates one item at snapshot; returns NULL, "OC000" or "OC001". */
static const char *judge(Fixture *f, CommitVersion snapshot, const JournalItem *items, size_t n)
{
    JournalWriteSet ws = {.snapshot = snapshot, .items = items, .n_items = n};
    DbError err;
    db_error_clear(&err);
    if (journal_adjudicate(f->s, f->ov, &ws, &err) == 0) return NULL;
    assert_string_equal(err.sqlstate, SQLSTATE_T_R_SERIALIZATION_FAILURE);
    if (strcmp(err.message, OC000) == 0) return "OC000";
    assert_string_equal(err.message, OC001);
    return "OC001";
}

static const JournalConflictKind kinds[3] = {JOURNAL_KIND_KEY_WRITE, JOURNAL_KIND_NONKEY_WRITE,
                                             JOURNAL_KIND_KEY_SHARE};
/* matrix[earlier][later] = conflict (spec §7.4). */
static const bool matrix[3][3] = {{true, true, true}, {true, true, false}, {true, false, false}};

static void test_matrix_against_committed(void **state)
{
    Fixture *f = *state;
    for (int e = 0; e < 3; e++) {
        for (int l = 0; l < 3; l++) {
            char key[48];
            snprintf(key, sizeof key, "committed-%d-%d", e, l);
            CommitVersion snapshot = f->next_version - 1;
            JournalItem first = item(key, kinds[e]);
            CommitVersion v = apply(f, &first, 1);
            JournalItem later = item(key, kinds[l]);
            const char *got = judge(f, snapshot, &later, 1);
            if (matrix[e][l])
                assert_non_null(got);
            else
                assert_null(got);
            /* A snapshot that includes the earlier commit never conflicts. */
            assert_null(judge(f, v, &later, 1));
        }
    }
}

static void test_matrix_against_in_flight(void **state)
{
    Fixture *f = *state;
    for (int e = 0; e < 3; e++) {
        for (int l = 0; l < 3; l++) {
            char key[48];
            snprintf(key, sizeof key, "inflight-%d-%d", e, l);
            JournalItem first = item(key, kinds[e]);
            JournalWriteSet ws = {.snapshot = 0, .items = &first, .n_items = 1};
            journal_overlay_add(f->ov, &ws);
            JournalItem later = item(key, kinds[l]);
            /* In flight is newer than any snapshot, however recent. */
            const char *got = judge(f, UINT64_MAX, &later, 1);
            if (matrix[e][l])
                assert_non_null(got);
            else
                assert_null(got);
            journal_overlay_remove(f->ov, &ws);
            assert_null(judge(f, 0, &later, 1));
        }
    }
    assert_int_equal(journal_overlay_keys(f->ov), 0);
}

static void test_schema_read(void **state)
{
    Fixture *f = *state;
    CommitVersion s0 = f->next_version - 1;
    JournalItem read = item("catalog/t", JOURNAL_KIND_SCHEMA_READ);
    assert_null(judge(f, s0, &read, 1)); /* never written */

    JournalItem share = item("catalog/t", JOURNAL_KIND_KEY_SHARE);
    CommitVersion v = apply(f, &share, 1);
    assert_null(judge(f, s0, &read, 1)); /* a key share is not a change */

    JournalItem ddl = item("catalog/t", JOURNAL_KIND_NONKEY_WRITE);
    CommitVersion v2 = apply(f, &ddl, 1);
    assert_true(v2 > v);
    assert_string_equal(judge(f, v, &read, 1), "OC001");
    assert_null(judge(f, v2, &read, 1));

    /* In flight too. */
    JournalItem ddl2 = item("catalog/t", JOURNAL_KIND_KEY_WRITE);
    JournalWriteSet ws = {.items = &ddl2, .n_items = 1};
    journal_overlay_add(f->ov, &ws);
    assert_string_equal(judge(f, v2, &read, 1), "OC001");
    journal_overlay_remove(f->ov, &ws);

    /* A data conflict wins over a schema conflict, in either order. */
    JournalItem row = item("t/1", JOURNAL_KIND_KEY_WRITE);
    apply(f, &row, 1);
    JournalItem both[2] = {read, row};
    assert_string_equal(judge(f, v, both, 2), "OC000");
    JournalItem both2[2] = {row, read};
    assert_string_equal(judge(f, v, both2, 2), "OC000");
}

static void test_unchecked_and_records(void **state)
{
    Fixture *f = *state;
    CommitVersion s0 = f->next_version - 1;
    JournalItem job = item("jobs/1", JOURNAL_KIND_UNCHECKED);
    apply(f, &job, 1);
    /* Unchecked writes leave no record and are never checked. */
    JournalItem w = item("jobs/1", JOURNAL_KIND_KEY_WRITE);
    assert_null(judge(f, s0, &w, 1));
    CommitVersion v = apply(f, &w, 1);
    assert_null(judge(f, s0, &job, 1));
    JournalWriteSet ws = {.items = &w, .n_items = 1};
    journal_overlay_add(f->ov, &ws);
    assert_null(judge(f, s0, &job, 1));
    assert_int_equal(journal_overlay_get(f->ov, (const uint8_t *)"jobs/1", 6).key_write, 1);
    journal_overlay_remove(f->ov, &ws);

    /* The record keeps each kind's last version; apply wrote data and meta
     * in the same batch. */
    JournalItem share = item("jobs/1", JOURNAL_KIND_KEY_SHARE);
    CommitVersion v2 = apply(f, &share, 1);
    DbError err;
    StrBuf buf;
    strbuf_init(&buf);
    bool found;
    assert_int_equal(storage_get(f->s, NULL, STORAGE_VERSIONS, "jobs/1", 6, &buf, &found, &err), 0);
    assert_true(found);
    JournalVersionRecord r;
    assert_int_equal(journal_record_decode((const uint8_t *)buf.data, buf.len, &r, &err), 0);
    assert_int_equal(r.key_write, v);
    assert_int_equal(r.nonkey_write, 0);
    assert_int_equal(r.key_share, v2);
    assert_int_equal(r.touched_ms, 5000);
    assert_int_equal(storage_get(f->s, NULL, STORAGE_DATA, "jobs/1", 6, &buf, &found, &err), 0);
    assert_true(found);
    strbuf_fini(&buf);
    CommitVersion applied;
    assert_int_equal(journal_meta_applied_read(f->s, NULL, &applied, &err), 0);
    assert_int_equal(applied, v2);
}

static void test_malformed_record_is_an_error(void **state)
{
    Fixture *f = *state;
    StorageBatch *b = storage_batch_create();
    storage_batch_put(b, STORAGE_VERSIONS, "bad", 3, "xx", 2);
    DbError err;
    assert_int_equal(storage_write(f->s, b, false, &err), 0);
    storage_batch_destroy(b);
    JournalItem w = item("bad", JOURNAL_KIND_KEY_WRITE);
    JournalWriteSet ws = {.items = &w, .n_items = 1};
    assert_int_equal(journal_adjudicate(f->s, f->ov, &ws, &err), -1);
    assert_string_equal(err.sqlstate, SQLSTATE_DATA_CORRUPTED);
}

static void test_overlay_counts_and_growth(void **state)
{
    Fixture *f = *state;
    /* Two in-flight key shares of one key: the key stays until both go. */
    JournalItem a = item("shared", JOURNAL_KIND_KEY_SHARE);
    JournalWriteSet ws = {.items = &a, .n_items = 1};
    journal_overlay_add(f->ov, &ws);
    journal_overlay_add(f->ov, &ws);
    assert_int_equal(journal_overlay_get(f->ov, (const uint8_t *)"shared", 6).key_share, 2);
    journal_overlay_remove(f->ov, &ws);
    assert_int_equal(journal_overlay_keys(f->ov), 1);
    journal_overlay_remove(f->ov, &ws);
    assert_int_equal(journal_overlay_keys(f->ov), 0);
    /* Removing what was never added is harmless. */
    journal_overlay_remove(f->ov, &ws);

    /* Many keys (the table grows), then all removed. */
    enum { N = 20000 };
    char(*keys)[24] = malloc(N * sizeof *keys);
    JournalItem *items = malloc(N * sizeof *items);
    for (int i = 0; i < N; i++) {
        snprintf(keys[i], sizeof keys[i], "k%d", i);
        items[i] = item(keys[i], kinds[i % 3]);
    }
    JournalWriteSet big = {.items = items, .n_items = N};
    journal_overlay_add(f->ov, &big);
    assert_int_equal(journal_overlay_keys(f->ov), N);
    for (int i = 0; i < N; i += 997) {
        JournalOverlayCounts c =
            journal_overlay_get(f->ov, (const uint8_t *)keys[i], strlen(keys[i]));
        assert_int_equal(c.key_write + c.nonkey_write + c.key_share, 1);
    }
    assert_int_equal(journal_overlay_get(f->ov, (const uint8_t *)"absent", 6).key_write, 0);
    journal_overlay_remove(f->ov, &big);
    assert_int_equal(journal_overlay_keys(f->ov), 0);
    free(items);
    free(keys);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_matrix_against_committed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_matrix_against_in_flight, setup, teardown),
        cmocka_unit_test_setup_teardown(test_schema_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unchecked_and_records, setup, teardown),
        cmocka_unit_test_setup_teardown(test_malformed_record_is_an_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_overlay_counts_and_growth, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
