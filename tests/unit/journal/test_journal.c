/*
 * Unit tests for journal/ on a real single-voter libraft group (raft_uv on
 * a temporary directory, raft_uv_tcp on a loopback port) over a real
 * RocksDB: commit and read back, OC000 for a second writer, the conflict
 * matrix cell by cell, OC001, monotonic versions, restart with replay (and
 * its idempotence), raft snapshots with log compaction, lost updates
 * prevented, and concurrent commits sharing raft's disk writes (group
 * commit; the test prints latency, throughput and batching).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <dirent.h>
#include <pthread.h>
#include <time.h>

#include "journal/journal_internal.h"

#define OC000 "change conflicts with another transaction (OC000)"
#define OC001 "schema has been updated by another transaction (OC001)"

typedef struct Fixture {
    char dir[256];
    char db_dir[300];
    char raft_dir[300];
    unsigned snapshot_threshold, snapshot_trailing;
    Storage *s;
    Journal *j;
} Fixture;

static void fixture_start(Fixture *f)
{
    DbError err;
    db_error_clear(&err);
    assert_int_equal(storage_open(f->db_dir, &f->s, &err), 0);
    JournalConfig cfg = {
        .dir = f->raft_dir,
        .node_id = 1,
        .snapshot_threshold = f->snapshot_threshold,
        .snapshot_trailing = f->snapshot_trailing,
    };
    int rc = journal_open(&cfg, f->s, &f->j, &err);
    if (rc != 0) fprintf(stderr, "journal_open: %s (%s)\n", err.message, err.detail);
    assert_int_equal(rc, 0);
}

static void fixture_stop(Fixture *f)
{
    journal_close(f->j);
    f->j = NULL;
    storage_close(f->s);
    f->s = NULL;
}

static int fixture_setup_with(void **state, unsigned threshold, unsigned trailing)
{
    Fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/borealis-test-journal-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->db_dir, sizeof f->db_dir, "%s/db", f->dir);
    snprintf(f->raft_dir, sizeof f->raft_dir, "%s/raft", f->dir);
    f->snapshot_threshold = threshold;
    f->snapshot_trailing = trailing;
    fixture_start(f);
    *state = f;
    return 0;
}

static int fixture_setup(void **state)
{
    return fixture_setup_with(state, 0, 0);
}

static int fixture_setup_small_snapshots(void **state)
{
    return fixture_setup_with(state, 16, 4);
}

static int fixture_teardown(void **state)
{
    Fixture *f = *state;
    if (f->j) fixture_stop(f);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    assert_int_equal(system(cmd), 0);
    free(f);
    return 0;
}

/* ---- helpers ---- */

static JournalItem item(const char *key, JournalOp op, JournalConflictKind kind, const char *value)
{
    JournalItem it = {
        .key = (const uint8_t *)key,
        .key_len = strlen(key),
        .value = (const uint8_t *)value,
        .value_len = value ? strlen(value) : 0,
        .op = op,
        .kind = kind,
    };
    return it;
}

/* Commits one item; returns journal_commit's rc. */
static int commit1(Journal *j, CommitVersion snap, JournalItem it, CommitVersion *v, DbError *err)
{
    JournalWriteSet ws = {.snapshot = snap, .items = &it, .n_items = 1};
    db_error_clear(err);
    return journal_commit(j, &ws, v, err);
}

static CommitVersion put_ok(Journal *j, const char *key, const char *value)
{
    DbError err;
    CommitVersion now, v;
    assert_int_equal(journal_read_version(j, &now, &err), 0);
    int rc = commit1(j, now, item(key, JOURNAL_OP_PUT, JOURNAL_KIND_KEY_WRITE, value), &v, &err);
    if (rc != 0) fprintf(stderr, "commit: %s\n", err.message);
    assert_int_equal(rc, 0);
    return v;
}

static CommitVersion read_version(Journal *j)
{
    DbError err;
    CommitVersion v;
    assert_int_equal(journal_read_version(j, &v, &err), 0);
    return v;
}

/* Value of key at snap (NULL = latest) in the data family, or NULL. */
static char *get(Storage *s, const StorageSnapshot *snap, const char *key)
{
    DbError err;
    StrBuf v;
    strbuf_init(&v);
    bool found;
    assert_int_equal(storage_get(s, snap, STORAGE_DATA, key, strlen(key), &v, &found, &err), 0);
    if (!found) {
        strbuf_fini(&v);
        return NULL;
    }
    char *out = strndup(v.data, v.len);
    strbuf_fini(&v);
    return out;
}

static void check_value(Storage *s, const StorageSnapshot *snap, const char *key, const char *want)
{
    char *got = get(s, snap, key);
    if (!want) {
        assert_null(got);
        return;
    }
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

static JournalVersionRecord record_of(Storage *s, const char *key)
{
    DbError err;
    StrBuf v;
    strbuf_init(&v);
    bool found;
    JournalVersionRecord r = {0};
    assert_int_equal(storage_get(s, NULL, STORAGE_VERSIONS, key, strlen(key), &v, &found, &err), 0);
    if (found) assert_int_equal(journal_record_decode((const uint8_t *)v.data, v.len, &r, &err), 0);
    strbuf_fini(&v);
    return r;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- tests ---- */

static void test_commit_and_read_back(void **state)
{
    Fixture *f = *state;
    DbError err;
    const StorageSnapshot *before;
    CommitVersion v0;
    assert_int_equal(journal_snapshot_take(f->j, &before, &v0, &err), 0);

    CommitVersion v1 = put_ok(f->j, "k", "hello");
    assert_true(v1 > v0);
    assert_true(read_version(f->j) >= v1);

    const StorageSnapshot *after;
    CommitVersion va;
    assert_int_equal(journal_snapshot_take(f->j, &after, &va, &err), 0);
    assert_int_equal(va, v1);
    check_value(f->s, after, "k", "hello");
    check_value(f->s, before, "k", NULL);

    /* A delete keeps the key's version record (the tombstone's version). */
    CommitVersion v2;
    assert_int_equal(
        commit1(f->j, va, item("k", JOURNAL_OP_DELETE, JOURNAL_KIND_KEY_WRITE, NULL), &v2, &err),
        0);
    assert_true(v2 > v1);
    check_value(f->s, NULL, "k", NULL);
    check_value(f->s, after, "k", "hello");
    JournalVersionRecord r = record_of(f->s, "k");
    assert_int_equal(r.key_write, v2);
    assert_true(r.touched_ms > 0);
    /* ...so a writer whose snapshot predates the delete conflicts. */
    CommitVersion v3;
    assert_int_equal(
        commit1(f->j, va, item("k", JOURNAL_OP_PUT, JOURNAL_KIND_KEY_WRITE, "x"), &v3, &err), -1);
    assert_string_equal(err.sqlstate, "40001");
    assert_string_equal(err.message, OC000);

    /* Several items in one entry land in one batch, all at one version. */
    JournalItem items[3] = {
        item("a", JOURNAL_OP_PUT, JOURNAL_KIND_KEY_WRITE, "1"),
        item("b", JOURNAL_OP_PUT, JOURNAL_KIND_NONKEY_WRITE, ""),
        item("c", JOURNAL_OP_PUT, JOURNAL_KIND_UNCHECKED, "3"),
    };
    JournalWriteSet ws = {.snapshot = read_version(f->j), .items = items, .n_items = 3};
    CommitVersion v4;
    assert_int_equal(journal_commit(f->j, &ws, &v4, &err), 0);
    check_value(f->s, NULL, "a", "1");
    check_value(f->s, NULL, "b", "");
    check_value(f->s, NULL, "c", "3");
    assert_int_equal(record_of(f->s, "a").key_write, v4);
    assert_int_equal(record_of(f->s, "b").nonkey_write, v4);
    assert_int_equal(record_of(f->s, "c").key_write, 0); /* unchecked: no record */

    storage_snapshot_release(f->s, before);
    storage_snapshot_release(f->s, after);
}

static void test_second_writer_gets_oc000(void **state)
{
    Fixture *f = *state;
    DbError err;
    CommitVersion s = read_version(f->j), v1, v2;
    assert_int_equal(
        commit1(f->j, s, item("row", JOURNAL_OP_PUT, JOURNAL_KIND_KEY_WRITE, "first"), &v1, &err),
        0);
    assert_int_equal(
        commit1(f->j, s, item("row", JOURNAL_OP_PUT, JOURNAL_KIND_KEY_WRITE, "second"), &v2, &err),
        -1);
    assert_string_equal(err.sqlstate, SQLSTATE_T_R_SERIALIZATION_FAILURE);
    assert_string_equal(err.message, OC000);
    check_value(f->s, NULL, "row", "first");
    /* A retry at a fresh snapshot commits. */
    assert_int_equal(commit1(f->j, read_version(f->j),
                             item("row", JOURNAL_OP_PUT, JOURNAL_KIND_KEY_WRITE, "second"), &v2,
                             &err),
                     0);
    assert_true(v2 > v1);
    check_value(f->s, NULL, "row", "second");
    JournalStats st;
    journal_stats(f->j, &st);
    assert_int_equal(st.conflicts, 1);
}

static void test_disjoint_keys_both_commit(void **state)
{
    Fixture *f = *state;
    DbError err;
    CommitVersion s = read_version(f->j), v1, v2;
    assert_int_equal(
        commit1(f->j, s, item("left", JOURNAL_OP_PUT, JOURNAL_KIND_KEY_WRITE, "l"), &v1, &err), 0);
    assert_int_equal(
        commit1(f->j, s, item("right", JOURNAL_OP_PUT, JOURNAL_KIND_KEY_WRITE, "r"), &v2, &err), 0);
    assert_true(v2 > v1);
    check_value(f->s, NULL, "left", "l");
    check_value(f->s, NULL, "right", "r");
}

/* The op a transaction would send for each kind. */
static JournalOp op_for(JournalConflictKind k)
{
    return k == JOURNAL_KIND_KEY_SHARE ? JOURNAL_OP_NONE : JOURNAL_OP_PUT;
}

static const char *kind_name(JournalConflictKind k)
{
    switch (k) {
    case JOURNAL_KIND_KEY_WRITE:
        return "key-write";
    case JOURNAL_KIND_NONKEY_WRITE:
        return "nonkey-write";
    case JOURNAL_KIND_KEY_SHARE:
        return "key-share";
    default:
        return "?";
    }
}

static void test_conflict_matrix(void **state)
{
    Fixture *f = *state;
    const JournalConflictKind kinds[3] = {JOURNAL_KIND_KEY_WRITE, JOURNAL_KIND_NONKEY_WRITE,
                                          JOURNAL_KIND_KEY_SHARE};
    /* conflicts[earlier][later], spec §7.4 (the table is symmetric). */
    const bool conflicts[3][3] = {
        {true, true, true},
        {true, true, false},
        {true, false, false},
    };
    for (int e = 0; e < 3; e++) {
        for (int l = 0; l < 3; l++) {
            DbError err;
            char key[64];
            snprintf(key, sizeof key, "cell-%s-then-%s", kind_name(kinds[e]), kind_name(kinds[l]));
            /* The row exists before both transactions start. */
            put_ok(f->j, key, "base");
            CommitVersion s = read_version(f->j), v1, v2;
            const char *v = "v";
            assert_int_equal(commit1(f->j, s,
                                     item(key, op_for(kinds[e]), kinds[e],
                                          op_for(kinds[e]) == JOURNAL_OP_PUT ? v : NULL),
                                     &v1, &err),
                             0);
            int rc = commit1(f->j, s,
                             item(key, op_for(kinds[l]), kinds[l],
                                  op_for(kinds[l]) == JOURNAL_OP_PUT ? v : NULL),
                             &v2, &err);
            if (conflicts[e][l]) {
                if (rc != -1) fail_msg("cell %s: expected OC000", key);
                assert_string_equal(err.sqlstate, "40001");
                assert_string_equal(err.message, OC000);
            } else {
                if (rc != 0) fail_msg("cell %s: expected a commit, got %s", key, err.message);
                assert_true(v2 > v1);
            }
        }
    }
    /* FOR UPDATE (a KEY_WRITE check that writes nothing) leaves a record:
     * the observed DSQL case "FOR KEY SHARE reader committed first vs
     * DELETE → the DELETE fails" and its FOR UPDATE twin. */
    DbError err;
    put_ok(f->j, "locked", "row");
    CommitVersion s = read_version(f->j), v;
    assert_int_equal(
        commit1(f->j, s, item("locked", JOURNAL_OP_NONE, JOURNAL_KIND_KEY_SHARE, NULL), &v, &err),
        0);
    assert_int_equal(record_of(f->s, "locked").key_share, v);
    check_value(f->s, NULL, "locked", "row"); /* a check writes no data */
    assert_int_equal(
        commit1(f->j, s, item("locked", JOURNAL_OP_DELETE, JOURNAL_KIND_KEY_WRITE, NULL), &v, &err),
        -1);
    assert_string_equal(err.message, OC000);
    s = read_version(f->j);
    assert_int_equal(
        commit1(f->j, s, item("locked", JOURNAL_OP_NONE, JOURNAL_KIND_KEY_WRITE, NULL), &v, &err),
        0);
    assert_int_equal(record_of(f->s, "locked").key_write, v);
    assert_int_equal(
        commit1(f->j, s, item("locked", JOURNAL_OP_PUT, JOURNAL_KIND_NONKEY_WRITE, "u"), &v, &err),
        -1);
    assert_string_equal(err.message, OC000);
}

static void test_schema_read_oc001(void **state)
{
    Fixture *f = *state;
    DbError err;
    put_ok(f->j, "catalog/t", "descriptor v1");
    CommitVersion s = read_version(f->j), v;
    /* A DDL transaction rewrites the descriptor after s. */
    assert_int_equal(
        commit1(f->j, s, item("catalog/t", JOURNAL_OP_PUT, JOURNAL_KIND_KEY_WRITE, "descriptor v2"),
                &v, &err),
        0);
    /* A DML transaction that used the descriptor at s. */
    JournalItem items[2] = {
        item("catalog/t", JOURNAL_OP_NONE, JOURNAL_KIND_SCHEMA_READ, NULL),
        item("t/row1", JOURNAL_OP_PUT, JOURNAL_KIND_KEY_WRITE, "r"),
    };
    JournalWriteSet ws = {.snapshot = s, .items = items, .n_items = 2};
    assert_int_equal(journal_commit(f->j, &ws, &v, &err), -1);
    assert_string_equal(err.sqlstate, SQLSTATE_T_R_SERIALIZATION_FAILURE);
    assert_string_equal(err.message, OC001);
    check_value(f->s, NULL, "t/row1", NULL);

    /* At a snapshot after the DDL it commits; the schema read leaves no
     * record and writes nothing. */
    ws.snapshot = read_version(f->j);
    assert_int_equal(journal_commit(f->j, &ws, &v, &err), 0);
    check_value(f->s, NULL, "t/row1", "r");
    check_value(f->s, NULL, "catalog/t", "descriptor v2");

    /* A key share on the descriptor is not a schema change. */
    s = read_version(f->j);
    assert_int_equal(commit1(f->j, s,
                             item("catalog/t", JOURNAL_OP_NONE, JOURNAL_KIND_KEY_SHARE, NULL), &v,
                             &err),
                     0);
    items[1] = item("t/row2", JOURNAL_OP_PUT, JOURNAL_KIND_KEY_WRITE, "r");
    ws.snapshot = s;
    assert_int_equal(journal_commit(f->j, &ws, &v, &err), 0);

    /* A data conflict is reported before a schema conflict. */
    s = read_version(f->j);
    assert_int_equal(commit1(f->j, s,
                             item("catalog/t", JOURNAL_OP_PUT, JOURNAL_KIND_NONKEY_WRITE, "v3"), &v,
                             &err),
                     0);
    assert_int_equal(
        commit1(f->j, s, item("t/row2", JOURNAL_OP_PUT, JOURNAL_KIND_KEY_WRITE, "x"), &v, &err), 0);
    items[1] = item("t/row2", JOURNAL_OP_PUT, JOURNAL_KIND_KEY_WRITE, "y");
    ws.snapshot = s;
    assert_int_equal(journal_commit(f->j, &ws, &v, &err), -1);
    assert_string_equal(err.message, OC000);
    JournalStats st;
    journal_stats(f->j, &st);
    assert_int_equal(st.schema_conflicts, 1);
}

static void test_versions_monotonic(void **state)
{
    Fixture *f = *state;
    DbError err;
    CommitVersion last = read_version(f->j);
    for (int i = 0; i < 50; i++) {
        char key[32];
        snprintf(key, sizeof key, "m%d", i);
        CommitVersion v = put_ok(f->j, key, "x");
        assert_true(v > last);
        assert_int_equal(read_version(f->j), v);
        const StorageSnapshot *snap;
        CommitVersion sv;
        assert_int_equal(journal_snapshot_take(f->j, &snap, &sv, &err), 0);
        assert_int_equal(sv, v);
        storage_snapshot_release(f->s, snap);
        last = v;
    }
}

static void test_invalid_write_sets(void **state)
{
    Fixture *f = *state;
    DbError err;
    CommitVersion v, s = read_version(f->j);
    /* An empty write set commits nothing. */
    JournalWriteSet empty = {.snapshot = s, .items = NULL, .n_items = 0};
    assert_int_equal(journal_commit(f->j, &empty, &v, &err), 0);
    assert_int_equal(v, s);
    assert_int_equal(read_version(f->j), s);

    JournalItem dup[2] = {item("d", JOURNAL_OP_PUT, JOURNAL_KIND_KEY_WRITE, "1"),
                          item("d", JOURNAL_OP_NONE, JOURNAL_KIND_KEY_SHARE, NULL)};
    JournalWriteSet ws = {.snapshot = s, .items = dup, .n_items = 2};
    assert_int_equal(journal_commit(f->j, &ws, &v, &err), -1);
    assert_string_equal(err.sqlstate, SQLSTATE_INTERNAL_ERROR);

    assert_int_equal(
        commit1(f->j, s, item("d", JOURNAL_OP_PUT, JOURNAL_KIND_SCHEMA_READ, "x"), &v, &err), -1);
    assert_string_equal(err.sqlstate, SQLSTATE_INTERNAL_ERROR);
    assert_int_equal(
        commit1(f->j, s, item("", JOURNAL_OP_PUT, JOURNAL_KIND_KEY_WRITE, "x"), &v, &err), -1);
    assert_int_equal(
        commit1(f->j, s + 1000, item("d", JOURNAL_OP_PUT, JOURNAL_KIND_KEY_WRITE, "x"), &v, &err),
        -1);
    assert_string_equal(err.sqlstate, SQLSTATE_INTERNAL_ERROR);
    assert_int_equal(read_version(f->j), s);
}

static void test_restart_keeps_everything(void **state)
{
    Fixture *f = *state;
    DbError err;
    CommitVersion old_snapshot = read_version(f->j);
    CommitVersion last = 0;
    for (int i = 0; i < 20; i++) {
        char key[32], value[32];
        snprintf(key, sizeof key, "r%02d", i);
        snprintf(value, sizeof value, "value-%d", i);
        last = put_ok(f->j, key, value);
    }
    JournalItem del = item("r05", JOURNAL_OP_DELETE, JOURNAL_KIND_KEY_WRITE, NULL);
    JournalWriteSet ws = {.snapshot = last, .items = &del, .n_items = 1};
    assert_int_equal(journal_commit(f->j, &ws, &last, &err), 0);
    char port[64];
    snprintf(port, sizeof port, "%s", journal_address(f->j));
    assert_non_null(strchr(port, ':'));
    assert_string_not_equal(strchr(port, ':'), ":0");

    fixture_stop(f);
    fixture_start(f);

    assert_int_equal(read_version(f->j), last);
    for (int i = 0; i < 20; i++) {
        char key[32], value[32];
        snprintf(key, sizeof key, "r%02d", i);
        snprintf(value, sizeof value, "value-%d", i);
        check_value(f->s, NULL, key, i == 5 ? NULL : value);
    }
    /* Version records survived: a snapshot from before the restart still
     * conflicts with what was committed then, the delete included. */
    CommitVersion v;
    assert_int_equal(commit1(f->j, old_snapshot,
                             item("r05", JOURNAL_OP_PUT, JOURNAL_KIND_KEY_WRITE, "z"), &v, &err),
                     -1);
    assert_string_equal(err.message, OC000);
    /* New commits go on after the old ones. */
    assert_true(put_ok(f->j, "after", "restart") > last);
    /* Every entry replayed from the log was already in storage. */
    JournalStats st;
    journal_stats(f->j, &st);
    assert_int_equal(st.replay_skipped, 21);
    assert_int_equal(st.applied, 1);
}

/* Replay must not re-apply entries storage already has: storage is made to
 * hold a value no log entry wrote, as if a later entry had been applied; a
 * re-apply of the older entries would overwrite it. */
static void test_replay_is_idempotent(void **state)
{
    Fixture *f = *state;
    DbError err;
    /* A counter incremented by read-modify-write at each commit. */
    for (int i = 1; i <= 10; i++) {
        const StorageSnapshot *snap;
        CommitVersion s, v;
        assert_int_equal(journal_snapshot_take(f->j, &snap, &s, &err), 0);
        char *cur = get(f->s, snap, "counter");
        int n = cur ? atoi(cur) : 0;
        free(cur);
        storage_snapshot_release(f->s, snap);
        char next[16];
        snprintf(next, sizeof next, "%d", n + 1);
        assert_int_equal(commit1(f->j, s,
                                 item("counter", JOURNAL_OP_PUT, JOURNAL_KIND_KEY_WRITE, next), &v,
                                 &err),
                         0);
    }
    check_value(f->s, NULL, "counter", "10");
    fixture_stop(f);

    assert_int_equal(storage_open(f->db_dir, &f->s, &err), 0);
    StorageBatch *b = storage_batch_create();
    storage_batch_put(b, STORAGE_DATA, "counter", 7, "sentinel", 8);
    assert_int_equal(storage_write(f->s, b, true, &err), 0);
    storage_batch_destroy(b);
    storage_close(f->s);

    fixture_start(f);
    check_value(f->s, NULL, "counter", "sentinel");
    JournalStats st;
    journal_stats(f->j, &st);
    assert_int_equal(st.applied, 0);
    assert_int_equal(st.replay_skipped, 10);
}

static int count_snapshot_files(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strncmp(e->d_name, "snapshot-", 9) == 0) n++;
    closedir(d);
    return n;
}

static void test_snapshots_compact_and_restore(void **state)
{
    Fixture *f = *state;
    CommitVersion last = 0;
    for (int i = 0; i < 100; i++) {
        char key[32];
        snprintf(key, sizeof key, "s%03d", i);
        last = put_ok(f->j, key, key);
    }
    JournalStats st;
    journal_stats(f->j, &st);
    assert_true(st.snapshots >= 5);
    assert_true(count_snapshot_files(f->raft_dir) >= 2); /* snapshot + .meta */

    fixture_stop(f);
    fixture_start(f);
    journal_stats(f->j, &st);
    assert_int_equal(st.restores, 1);
    /* Only the entries after the snapshot (plus its trailing) came back
     * from the log, and storage already had them. */
    assert_true(st.replay_skipped < 100);
    assert_int_equal(st.applied, 0);
    assert_int_equal(read_version(f->j), last);
    for (int i = 0; i < 100; i++) {
        char key[32];
        snprintf(key, sizeof key, "s%03d", i);
        check_value(f->s, NULL, key, key);
    }
    assert_true(put_ok(f->j, "more", "x") > last);
}

/* ---- concurrency ---- */

typedef struct Worker {
    Journal *j;
    int id;
    int n;
    int ok;
    int conflicts;
    int errors; /* cmocka's asserts must stay on the main thread */
    double *latencies;
    const char *shared_key; /* all workers write this key at one snapshot */
    CommitVersion shared_snapshot;
    pthread_barrier_t *start;
} Worker;

static void *disjoint_worker(void *arg)
{
    Worker *w = arg;
    pthread_barrier_wait(w->start);
    for (int i = 0; i < w->n; i++) {
        char key[32], value[32];
        snprintf(key, sizeof key, "w%d/%04d", w->id, i);
        snprintf(value, sizeof value, "%d", i);
        DbError err;
        CommitVersion s, v;
        double t0 = now_seconds();
        if (journal_read_version(w->j, &s, &err) == 0 &&
            commit1(w->j, s, item(key, JOURNAL_OP_PUT, JOURNAL_KIND_KEY_WRITE, value), &v, &err) ==
                0)
            w->ok++;
        w->latencies[i] = now_seconds() - t0;
    }
    return NULL;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y ? 1 : 0;
}

static void test_concurrent_commits_group(void **state)
{
    Fixture *f = *state;
    enum { THREADS = 8, PER_THREAD = 200 };
    pthread_t th[THREADS];
    Worker w[THREADS];
    double *lat = calloc(THREADS * PER_THREAD, sizeof *lat);
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, THREADS + 1);
    JournalStats before, after;
    journal_stats(f->j, &before);
    for (int i = 0; i < THREADS; i++) {
        w[i] = (Worker){.j = f->j,
                        .id = i,
                        .n = PER_THREAD,
                        .latencies = lat + i * PER_THREAD,
                        .start = &start};
        assert_int_equal(pthread_create(&th[i], NULL, disjoint_worker, &w[i]), 0);
    }
    pthread_barrier_wait(&start);
    double t0 = now_seconds();
    int ok = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(th[i], NULL);
        ok += w[i].ok;
    }
    double elapsed = now_seconds() - t0;
    pthread_barrier_destroy(&start);
    journal_stats(f->j, &after);
    assert_int_equal(ok, THREADS * PER_THREAD);
    uint64_t proposals = after.proposals - before.proposals;
    uint64_t rounds = after.proposal_rounds - before.proposal_rounds;
    assert_int_equal(proposals, THREADS * PER_THREAD);
    /* Commits waiting together reach raft together. */
    assert_true(rounds < proposals);
    qsort(lat, THREADS * PER_THREAD, sizeof *lat, cmp_double);
    printf("# group commit: %d threads x %d commits in %.3f s = %.0f commits/s; latency "
           "p50 %.2f ms, p90 %.2f ms, p99 %.2f ms; %llu entries in %llu loop rounds "
           "(%.1f per round, max %llu)\n",
           THREADS, PER_THREAD, elapsed, THREADS * PER_THREAD / elapsed,
           lat[THREADS * PER_THREAD / 2] * 1e3, lat[THREADS * PER_THREAD * 9 / 10] * 1e3,
           lat[THREADS * PER_THREAD * 99 / 100] * 1e3, (unsigned long long)proposals,
           (unsigned long long)rounds, (double)proposals / (double)rounds,
           (unsigned long long)after.max_round);
    free(lat);
    for (int i = 0; i < THREADS; i++)
        for (int k = 0; k < PER_THREAD; k += 50) {
            char key[32], value[32];
            snprintf(key, sizeof key, "w%d/%04d", i, k);
            snprintf(value, sizeof value, "%d", k);
            check_value(f->s, NULL, key, value);
        }
}

static void *same_key_worker(void *arg)
{
    Worker *w = arg;
    pthread_barrier_wait(w->start);
    char value[16];
    snprintf(value, sizeof value, "%d", w->id);
    DbError err;
    CommitVersion v;
    int rc = commit1(w->j, w->shared_snapshot,
                     item(w->shared_key, JOURNAL_OP_PUT, JOURNAL_KIND_KEY_WRITE, value), &v, &err);
    if (rc == 0)
        w->ok++;
    else if (strcmp(err.message, OC000) == 0)
        w->conflicts++;
    return NULL;
}

/* Many writers of one key at one snapshot, racing: exactly one wins, even
 * when they reach the adjudicator in the same loop round (the in-flight
 * overlay then decides). */
static void test_racing_writers_one_wins(void **state)
{
    Fixture *f = *state;
    enum { THREADS = 8, ROUNDS = 20 };
    for (int r = 0; r < ROUNDS; r++) {
        char key[32];
        snprintf(key, sizeof key, "race%d", r);
        pthread_t th[THREADS];
        Worker w[THREADS];
        pthread_barrier_t start;
        pthread_barrier_init(&start, NULL, THREADS);
        CommitVersion s = read_version(f->j);
        for (int i = 0; i < THREADS; i++) {
            w[i] = (Worker){
                .j = f->j, .id = i, .shared_key = key, .shared_snapshot = s, .start = &start};
            assert_int_equal(pthread_create(&th[i], NULL, same_key_worker, &w[i]), 0);
        }
        int ok = 0, conflicts = 0;
        for (int i = 0; i < THREADS; i++) {
            pthread_join(th[i], NULL);
            ok += w[i].ok;
            conflicts += w[i].conflicts;
        }
        pthread_barrier_destroy(&start);
        assert_int_equal(ok, 1);
        assert_int_equal(conflicts, THREADS - 1);
    }
}

static void *increment_worker(void *arg)
{
    Worker *w = arg;
    Storage *s = (Storage *)w->shared_key; /* borrowed field: the storage */
    pthread_barrier_wait(w->start);
    for (int i = 0; i < w->n; i++) {
        for (;;) {
            DbError err;
            const StorageSnapshot *snap;
            CommitVersion sv, v;
            if (journal_snapshot_take(w->j, &snap, &sv, &err) != 0) {
                w->errors++;
                return NULL;
            }
            StrBuf cur;
            strbuf_init(&cur);
            bool found = false;
            if (storage_get(s, snap, STORAGE_DATA, "ctr", 3, &cur, &found, &err) != 0) w->errors++;
            int n = found ? atoi(cur.data) : 0;
            strbuf_fini(&cur);
            storage_snapshot_release(s, snap);
            char next[16];
            snprintf(next, sizeof next, "%d", n + 1);
            int rc = commit1(w->j, sv, item("ctr", JOURNAL_OP_PUT, JOURNAL_KIND_NONKEY_WRITE, next),
                             &v, &err);
            if (rc == 0) break;
            if (strcmp(err.message, OC000) != 0) {
                w->errors++;
                return NULL;
            }
            w->conflicts++;
        }
        w->ok++;
    }
    return NULL;
}

/* Lost updates are prevented: concurrent read-modify-write increments with
 * retries on OC000 add up exactly. */
static void test_no_lost_updates(void **state)
{
    Fixture *f = *state;
    enum { THREADS = 4, PER_THREAD = 25 };
    pthread_t th[THREADS];
    Worker w[THREADS];
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, THREADS);
    for (int i = 0; i < THREADS; i++) {
        w[i] = (Worker){
            .j = f->j, .id = i, .n = PER_THREAD, .shared_key = (const char *)f->s, .start = &start};
        assert_int_equal(pthread_create(&th[i], NULL, increment_worker, &w[i]), 0);
    }
    int conflicts = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(th[i], NULL);
        conflicts += w[i].conflicts;
        assert_int_equal(w[i].errors, 0);
    }
    pthread_barrier_destroy(&start);
    char want[16];
    snprintf(want, sizeof want, "%d", THREADS * PER_THREAD);
    check_value(f->s, NULL, "ctr", want);
    printf("# %d increments by %d threads: %d OC000 retries\n", THREADS * PER_THREAD, THREADS,
           conflicts);
}

static void test_open_errors(void **state)
{
    Fixture *f = *state;
    DbError err;
    Journal *j2 = NULL;
    /* A raft directory that cannot be created. */
    char file[300], bad[320];
    snprintf(file, sizeof file, "%s/plain-file", f->dir);
    FILE *fp = fopen(file, "w");
    assert_non_null(fp);
    fclose(fp);
    snprintf(bad, sizeof bad, "%s/raft", file);
    JournalConfig cfg = {.dir = bad, .node_id = 1};
    db_error_clear(&err);
    assert_int_equal(journal_open(&cfg, f->s, &j2, &err), -1);
    assert_null(j2);
    assert_true(db_error_is_set(&err));
    /* A malformed address. */
    cfg = (JournalConfig){.dir = f->raft_dir, .node_id = 1, .address = "nowhere"};
    assert_int_equal(journal_open(&cfg, f->s, &j2, &err), -1);
    assert_string_equal(err.sqlstate, SQLSTATE_INVALID_PARAMETER_VALUE);
    cfg = (JournalConfig){.dir = f->raft_dir, .node_id = 0};
    assert_int_equal(journal_open(&cfg, f->s, &j2, &err), -1);

    /* raft_start fails on the loop thread (the port is taken): the journal
     * shuts its half-started raft down and reports the error. */
    char other[300];
    snprintf(other, sizeof other, "%s/raft-other", f->dir);
    cfg = (JournalConfig){.dir = other, .node_id = 1, .address = journal_address(f->j)};
    db_error_clear(&err);
    assert_int_equal(journal_open(&cfg, f->s, &j2, &err), -1);
    assert_null(j2);
    assert_string_equal(err.message, "could not start the journal");

    /* The first journal is unaffected. */
    put_ok(f->j, "still", "here");
}

/* Storage that is ahead of its raft log (here: a fresh raft directory) is
 * refused, rather than reusing versions storage already holds. */
static void test_raft_log_behind_storage(void **state)
{
    Fixture *f = *state;
    for (int i = 0; i < 5; i++)
        put_ok(f->j, "k", "v");
    journal_close(f->j);
    f->j = NULL;
    char fresh[300];
    snprintf(fresh, sizeof fresh, "%s/raft-fresh", f->dir);
    JournalConfig cfg = {.dir = fresh, .node_id = 1};
    DbError err;
    Journal *j2 = NULL;
    assert_int_equal(journal_open(&cfg, f->s, &j2, &err), -1);
    assert_null(j2);
    assert_string_equal(err.sqlstate, SQLSTATE_DATA_CORRUPTED);
    assert_string_equal(err.message, "the journal's raft log is behind its database");
    /* The real log still opens. */
    cfg.dir = f->raft_dir;
    assert_int_equal(journal_open(&cfg, f->s, &f->j, &err), 0);
    check_value(f->s, NULL, "k", "v");
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    /* BOREALIS_TEST_FILTER=test_concurrent* runs a subset (e.g. under strace). */
    if (getenv("BOREALIS_TEST_FILTER")) cmocka_set_test_filter(getenv("BOREALIS_TEST_FILTER"));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_commit_and_read_back, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_second_writer_gets_oc000, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_disjoint_keys_both_commit, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_conflict_matrix, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_schema_read_oc001, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_versions_monotonic, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_invalid_write_sets, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_restart_keeps_everything, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_replay_is_idempotent, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_snapshots_compact_and_restore,
                                        fixture_setup_small_snapshots, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_concurrent_commits_group, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_racing_writers_one_wins, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_no_lost_updates, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_open_errors, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_raft_log_behind_storage, fixture_setup,
                                        fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
