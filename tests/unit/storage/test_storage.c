/*
 * Unit tests for storage/ against a real RocksDB in a temporary directory:
 * families kept apart, batch atomicity (also seen from concurrent
 * snapshots), snapshot isolation from later writes, iterator bounds in both
 * directions, reopen, flush and checkpoint, and error mapping.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <pthread.h>
#include <unistd.h>

#include "storage/storage.h"

typedef struct Fixture {
    char dir[256];
    Storage *s;
} Fixture;

static int fixture_setup(void **state)
{
    Fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/borealis-test-storage-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    DbError err;
    char db[300];
    snprintf(db, sizeof db, "%s/db", f->dir);
    assert_int_equal(storage_open(db, &f->s, &err), 0);
    *state = f;
    return 0;
}

static int fixture_teardown(void **state)
{
    Fixture *f = *state;
    storage_close(f->s);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    assert_int_equal(system(cmd), 0);
    free(f);
    return 0;
}

static void put1(Storage *s, StorageFamily fam, const char *k, const char *v)
{
    DbError err;
    StorageBatch *b = storage_batch_create();
    storage_batch_put(b, fam, k, strlen(k), v, strlen(v));
    assert_int_equal(storage_write(s, b, false, &err), 0);
    storage_batch_destroy(b);
}

/* Asserts key k holds v (or is absent when v is NULL). */
static void expect(Storage *s, const StorageSnapshot *snap, StorageFamily fam, const char *k,
                   const char *v)
{
    DbError err;
    StrBuf out;
    strbuf_init(&out);
    bool found = true;
    assert_int_equal(storage_get(s, snap, fam, k, strlen(k), &out, &found, &err), 0);
    if (v) {
        assert_true(found);
        assert_int_equal(out.len, strlen(v));
        assert_memory_equal(out.data, v, out.len);
    } else {
        assert_false(found);
        assert_int_equal(out.len, 0);
    }
    strbuf_fini(&out);
}

static void test_families_are_separate(void **state)
{
    Fixture *f = *state;
    put1(f->s, STORAGE_DATA, "k", "data");
    put1(f->s, STORAGE_VERSIONS, "k", "versions");
    expect(f->s, NULL, STORAGE_DATA, "k", "data");
    expect(f->s, NULL, STORAGE_VERSIONS, "k", "versions");
    expect(f->s, NULL, STORAGE_META, "k", NULL);
}

static void test_batch_put_delete_and_empty_value(void **state)
{
    Fixture *f = *state;
    DbError err;
    put1(f->s, STORAGE_DATA, "gone", "x");
    StorageBatch *b = storage_batch_create();
    storage_batch_put(b, STORAGE_DATA, "a", 1, "1", 1);
    storage_batch_put(b, STORAGE_META, "m", 1, "meta", 4);
    storage_batch_put(b, STORAGE_DATA, "empty", 5, NULL, 0);
    storage_batch_delete(b, STORAGE_DATA, "gone", 4);
    /* Later operations on the same key win. */
    storage_batch_put(b, STORAGE_DATA, "twice", 5, "first", 5);
    storage_batch_put(b, STORAGE_DATA, "twice", 5, "second", 6);
    assert_int_equal(storage_batch_count(b), 6);
    assert_int_equal(storage_write(f->s, b, true, &err), 0);
    storage_batch_destroy(b);
    expect(f->s, NULL, STORAGE_DATA, "a", "1");
    expect(f->s, NULL, STORAGE_META, "m", "meta");
    expect(f->s, NULL, STORAGE_DATA, "empty", "");
    expect(f->s, NULL, STORAGE_DATA, "gone", NULL);
    expect(f->s, NULL, STORAGE_DATA, "twice", "second");

    /* A cleared batch writes nothing. */
    b = storage_batch_create();
    storage_batch_put(b, STORAGE_DATA, "never", 5, "x", 1);
    storage_batch_clear(b);
    assert_int_equal(storage_batch_count(b), 0);
    assert_int_equal(storage_write(f->s, b, false, &err), 0);
    storage_batch_destroy(b);
    expect(f->s, NULL, STORAGE_DATA, "never", NULL);
}

static void test_snapshot_isolation(void **state)
{
    Fixture *f = *state;
    put1(f->s, STORAGE_DATA, "k", "old");
    const StorageSnapshot *snap = storage_snapshot_take(f->s);
    put1(f->s, STORAGE_DATA, "k", "new");
    put1(f->s, STORAGE_DATA, "k2", "born-later");
    DbError err;
    StorageBatch *b = storage_batch_create();
    storage_batch_delete(b, STORAGE_DATA, "k", 1);
    assert_int_equal(storage_write(f->s, b, false, &err), 0);
    storage_batch_destroy(b);

    expect(f->s, snap, STORAGE_DATA, "k", "old");
    expect(f->s, snap, STORAGE_DATA, "k2", NULL);
    expect(f->s, NULL, STORAGE_DATA, "k", NULL);
    expect(f->s, NULL, STORAGE_DATA, "k2", "born-later");

    /* Iterators at the snapshot see the old state too. */
    StorageIter *it = storage_iter_create(f->s, snap, STORAGE_DATA, NULL, 0, NULL, 0);
    int n = 0;
    for (storage_iter_seek_first(it); storage_iter_valid(it); storage_iter_next(it)) {
        size_t kl, vl;
        const uint8_t *k = storage_iter_key(it, &kl);
        const uint8_t *v = storage_iter_value(it, &vl);
        assert_int_equal(kl, 1);
        assert_memory_equal(k, "k", 1);
        assert_int_equal(vl, 3);
        assert_memory_equal(v, "old", 3);
        n++;
    }
    assert_int_equal(storage_iter_status(it, &err), 0);
    assert_int_equal(n, 1);
    storage_iter_destroy(it);
    storage_snapshot_release(f->s, snap);
}

/* Writer: batches setting "x" and "y" (in two families) to the same counter.
 * Readers: at any snapshot both must be equal. */
typedef struct AtomicityRun {
    Storage *s;
    volatile int stop;
    int mismatches;
    int reads;
} AtomicityRun;

static void *atomicity_reader(void *arg)
{
    AtomicityRun *r = arg;
    StrBuf x, y;
    strbuf_init(&x);
    strbuf_init(&y);
    DbError err;
    while (!__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE)) {
        const StorageSnapshot *snap = storage_snapshot_take(r->s);
        bool fx, fy;
        /* No cmocka asserts off the main thread: count failures instead. */
        int rc = storage_get(r->s, snap, STORAGE_DATA, "x", 1, &x, &fx, &err);
        usleep(10);
        rc |= storage_get(r->s, snap, STORAGE_META, "y", 1, &y, &fy, &err);
        if (rc != 0 || fx != fy || x.len != y.len || (x.len && memcmp(x.data, y.data, x.len) != 0))
            r->mismatches++;
        r->reads++;
        storage_snapshot_release(r->s, snap);
    }
    strbuf_fini(&x);
    strbuf_fini(&y);
    return NULL;
}

static void test_batch_atomic_under_concurrent_snapshots(void **state)
{
    Fixture *f = *state;
    AtomicityRun run = {.s = f->s};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, atomicity_reader, &run), 0);
    DbError err;
    StorageBatch *b = storage_batch_create();
    for (int i = 0; i < 3000; i++) {
        char v[32];
        int n = snprintf(v, sizeof v, "%d", i);
        storage_batch_clear(b);
        storage_batch_put(b, STORAGE_DATA, "x", 1, v, (size_t)n);
        storage_batch_put(b, STORAGE_META, "y", 1, v, (size_t)n);
        assert_int_equal(storage_write(f->s, b, false, &err), 0);
    }
    storage_batch_destroy(b);
    __atomic_store_n(&run.stop, 1, __ATOMIC_RELEASE);
    pthread_join(th, NULL);
    assert_true(run.reads > 0);
    assert_int_equal(run.mismatches, 0);
}

static void collect(StorageIter *it, bool reverse, char *out, size_t cap)
{
    out[0] = '\0';
    while (storage_iter_valid(it)) {
        size_t kl;
        const uint8_t *k = storage_iter_key(it, &kl);
        size_t len = strlen(out);
        assert_true(len + kl + 2 < cap);
        memcpy(out + len, k, kl);
        out[len + kl] = ',';
        out[len + kl + 1] = '\0';
        if (reverse)
            storage_iter_prev(it);
        else
            storage_iter_next(it);
    }
}

static void test_iterator_bounds(void **state)
{
    Fixture *f = *state;
    const char *keys[] = {"a", "b", "b\x01", "ba", "c", "d"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        put1(f->s, STORAGE_DATA, keys[i], "v");
    put1(f->s, STORAGE_VERSIONS, "bb", "other family");
    char got[128];
    DbError err;

    /* [b, c): upper bound excluded, lower included. */
    StorageIter *it = storage_iter_create(f->s, NULL, STORAGE_DATA, "b", 1, "c", 1);
    storage_iter_seek_first(it);
    collect(it, false, got, sizeof got);
    assert_string_equal(got, "b,b\x01,ba,");
    assert_int_equal(storage_iter_status(it, &err), 0);
    /* Reverse over the same range. */
    storage_iter_seek_last(it);
    collect(it, true, got, sizeof got);
    assert_string_equal(got, "ba,b\x01,b,");
    /* Seeks are clamped to the range. */
    storage_iter_seek(it, "a", 1);
    collect(it, false, got, sizeof got);
    assert_string_equal(got, "b,b\x01,ba,");
    storage_iter_seek(it, "b\x02", 2);
    collect(it, false, got, sizeof got);
    assert_string_equal(got, "ba,");
    storage_iter_seek(it, "z", 1);
    assert_false(storage_iter_valid(it));
    assert_int_equal(storage_iter_status(it, &err), 0);
    storage_iter_destroy(it);

    /* Unbounded on either side. */
    it = storage_iter_create(f->s, NULL, STORAGE_DATA, NULL, 0, "b\x01", 2);
    storage_iter_seek_first(it);
    collect(it, false, got, sizeof got);
    assert_string_equal(got, "a,b,");
    storage_iter_destroy(it);
    it = storage_iter_create(f->s, NULL, STORAGE_DATA, "c", 1, NULL, 0);
    storage_iter_seek_last(it);
    collect(it, true, got, sizeof got);
    assert_string_equal(got, "d,c,");
    storage_iter_destroy(it);
    it = storage_iter_create(f->s, NULL, STORAGE_DATA, NULL, 0, NULL, 0);
    storage_iter_seek_first(it);
    collect(it, false, got, sizeof got);
    assert_string_equal(got, "a,b,b\x01,ba,c,d,");
    storage_iter_destroy(it);

    /* An empty range. */
    it = storage_iter_create(f->s, NULL, STORAGE_DATA, "e", 1, "f", 1);
    storage_iter_seek_first(it);
    assert_false(storage_iter_valid(it));
    storage_iter_destroy(it);
}

static void test_reopen_flush_and_checkpoint(void **state)
{
    Fixture *f = *state;
    DbError err;
    put1(f->s, STORAGE_DATA, "kept", "1");
    assert_int_equal(storage_flush_wal(f->s, true, &err), 0);
    put1(f->s, STORAGE_META, "flushed", "2");
    assert_int_equal(storage_flush(f->s, &err), 0);
    put1(f->s, STORAGE_VERSIONS, "memtable-only", "3");

    char cp[300];
    snprintf(cp, sizeof cp, "%s/checkpoint", f->dir);
    assert_int_equal(storage_checkpoint(f->s, cp, &err), 0);
    /* A checkpoint into an existing directory fails with an error value. */
    assert_int_equal(storage_checkpoint(f->s, cp, &err), -1);
    assert_true(db_error_is_set(&err));

    char db[300];
    snprintf(db, sizeof db, "%s", storage_dir(f->s));
    storage_close(f->s);
    assert_int_equal(storage_open(db, &f->s, &err), 0);
    expect(f->s, NULL, STORAGE_DATA, "kept", "1");
    expect(f->s, NULL, STORAGE_META, "flushed", "2");
    expect(f->s, NULL, STORAGE_VERSIONS, "memtable-only", "3");

    Storage *copy;
    assert_int_equal(storage_open(cp, &copy, &err), 0);
    expect(copy, NULL, STORAGE_DATA, "kept", "1");
    expect(copy, NULL, STORAGE_META, "flushed", "2");
    expect(copy, NULL, STORAGE_VERSIONS, "memtable-only", "3");
    storage_close(copy);
}

static void test_open_errors_are_values(void **state)
{
    Fixture *f = *state;
    DbError err;
    db_error_clear(&err);
    /* A second open of the same directory fails on RocksDB's lock. */
    Storage *again = NULL;
    assert_int_equal(storage_open(storage_dir(f->s), &again, &err), -1);
    assert_null(again);
    assert_string_equal(err.sqlstate, SQLSTATE_IO_ERROR);
    assert_string_equal(err.message, "could not open the database");
    assert_non_null(strstr(err.detail, "lock"));

    /* A path under a regular file cannot be created. */
    char file[300], bad[320];
    snprintf(file, sizeof file, "%s/plain-file", f->dir);
    FILE *fp = fopen(file, "w");
    assert_non_null(fp);
    fclose(fp);
    snprintf(bad, sizeof bad, "%s/db", file);
    db_error_clear(&err);
    assert_int_equal(storage_open(bad, &again, &err), -1);
    assert_string_equal(err.sqlstate, SQLSTATE_IO_ERROR);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_families_are_separate, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_batch_put_delete_and_empty_value, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_snapshot_isolation, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_batch_atomic_under_concurrent_snapshots, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_iterator_bounds, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_reopen_flush_and_checkpoint, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_open_errors_are_values, fixture_setup,
                                        fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
