/*
 * Unit tests for the journal's codecs (journal/entry.c): write-set entries
 * round-trip and are padded for raft_uv; every truncation and every
 * single-byte change of an entry is rejected or decoded within bounds;
 * write-set validation; version records; snapshot descriptors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "journal/journal_internal.h"

static JournalItem item(const char *key, JournalOp op, JournalConflictKind kind, const char *value)
{
    JournalItem it = {.key = (const uint8_t *)key,
                      .key_len = strlen(key),
                      .value = (const uint8_t *)value,
                      .value_len = value ? strlen(value) : 0,
                      .op = op,
                      .kind = kind};
    return it;
}

static const uint8_t txn_id[JOURNAL_TXN_ID_BYTES] = {1, 2,  3,  4,  5,  6,  7,  8,
                                                     9, 10, 11, 12, 13, 14, 15, 16};

/* An entry with one item of every op and kind. */
static uint8_t *sample_entry(size_t *len, JournalItem *items, size_t *n)
{
    items[0] = item("table/1", JOURNAL_OP_PUT, JOURNAL_KIND_KEY_WRITE, "row one");
    items[1] = item("table/2", JOURNAL_OP_DELETE, JOURNAL_KIND_KEY_WRITE, NULL);
    items[2] = item("table/3", JOURNAL_OP_PUT, JOURNAL_KIND_NONKEY_WRITE, "");
    items[3] = item("table/4", JOURNAL_OP_NONE, JOURNAL_KIND_KEY_SHARE, NULL);
    items[4] = item("catalog/t", JOURNAL_OP_NONE, JOURNAL_KIND_SCHEMA_READ, NULL);
    items[5] = item("jobs/9", JOURNAL_OP_PUT, JOURNAL_KIND_UNCHECKED, "state");
    *n = 6;
    JournalWriteSet ws = {.snapshot = 0x0102030405060708ull, .items = items, .n_items = *n};
    DbError err;
    assert_int_equal(journal_ws_validate(&ws, &err), 0);
    *len = journal_entry_size(&ws);
    uint8_t *buf = malloc(*len);
    journal_entry_encode(&ws, txn_id, 1234567, buf);
    return buf;
}

static void test_entry_round_trip(void **state)
{
    (void)state;
    JournalItem items[8];
    size_t n, len;
    uint8_t *buf = sample_entry(&len, items, &n);
    assert_int_equal(len % JOURNAL_ENTRY_ALIGN, 0);
    JournalEntryHeader h;
    DbError err;
    assert_int_equal(journal_entry_decode(buf, len, &h, &err), 0);
    assert_int_equal(h.n_items, n);
    assert_int_equal(h.snapshot, 0x0102030405060708ull);
    assert_int_equal(h.proposed_ms, 1234567);
    assert_memory_equal(h.txn_id, txn_id, JOURNAL_TXN_ID_BYTES);
    /* The header layout is the documented one. */
    assert_int_equal(buf[0], 1);
    assert_int_equal(buf[1], 1);
    assert_int_equal(buf[7], 6);
    assert_int_equal(buf[8], 0x01);
    assert_int_equal(buf[15], 0x08);

    journal_entry_stamp(buf, 99);
    assert_int_equal(journal_entry_decode(buf, len, &h, &err), 0);
    assert_int_equal(h.proposed_ms, 99);

    JournalEntryCursor c;
    journal_entry_cursor_init(&c, buf, len);
    JournalItem got;
    for (size_t i = 0; i < n; i++) {
        assert_true(journal_entry_cursor_next(&c, &got));
        assert_int_equal(got.op, items[i].op);
        assert_int_equal(got.kind, items[i].kind);
        assert_int_equal(got.key_len, items[i].key_len);
        assert_memory_equal(got.key, items[i].key, got.key_len);
        assert_int_equal(got.value_len, items[i].value_len);
        if (got.value_len) assert_memory_equal(got.value, items[i].value, got.value_len);
    }
    assert_false(journal_entry_cursor_next(&c, &got));
    free(buf);
}

static void test_entry_padding(void **state)
{
    (void)state;
    /* Sizes 0..7 past a multiple of 8 all pad to the next multiple. */
    for (size_t vl = 0; vl < 16; vl++) {
        char value[17];
        memset(value, 'v', vl);
        value[vl] = '\0';
        JournalItem it = item("k", JOURNAL_OP_PUT, JOURNAL_KIND_KEY_WRITE, value);
        JournalWriteSet ws = {.snapshot = 1, .items = &it, .n_items = 1};
        size_t len = journal_entry_size(&ws);
        size_t raw = JOURNAL_ENTRY_HEADER_BYTES + JOURNAL_ITEM_HEADER_BYTES + 1 + vl;
        assert_int_equal(len % 8, 0);
        assert_true(len >= raw && len < raw + 8);
        uint8_t *buf = malloc(len + 8);
        memset(buf, 0xAA, len + 8);
        journal_entry_encode(&ws, txn_id, 0, buf);
        JournalEntryHeader h;
        DbError err;
        assert_int_equal(journal_entry_decode(buf, len, &h, &err), 0);
        if (len > raw) {
            /* Non-zero padding is corruption. */
            buf[len - 1] = 1;
            assert_int_equal(journal_entry_decode(buf, len, &h, &err), -1);
            assert_string_equal(err.sqlstate, SQLSTATE_DATA_CORRUPTED);
            buf[len - 1] = 0;
        }
        /* Eight more zero bytes are not padding. */
        memset(buf + len, 0, 8);
        assert_int_equal(journal_entry_decode(buf, len + 8, &h, &err), -1);
        free(buf);
    }
}

static void test_entry_every_truncation_rejected(void **state)
{
    (void)state;
    JournalItem items[8];
    size_t n, len;
    uint8_t *buf = sample_entry(&len, items, &n);
    for (size_t cut = 0; cut < len; cut++) {
        /* A fresh allocation of exactly cut bytes, so ASan sees overreads. */
        uint8_t *part = malloc(cut ? cut : 1);
        memcpy(part, buf, cut);
        JournalEntryHeader h;
        DbError err;
        assert_int_equal(journal_entry_decode(part, cut, &h, &err), -1);
        assert_string_equal(err.sqlstate, SQLSTATE_DATA_CORRUPTED);
        free(part);
    }
    free(buf);
}

static void test_entry_every_byte_change_is_safe(void **state)
{
    (void)state;
    JournalItem items[8];
    size_t n, len;
    uint8_t *buf = sample_entry(&len, items, &n);
    static const uint8_t deltas[] = {0x01, 0x80, 0xFF};
    for (size_t i = 0; i < len; i++) {
        for (size_t d = 0; d < sizeof deltas; d++) {
            uint8_t *copy = malloc(len);
            memcpy(copy, buf, len);
            copy[i] ^= deltas[d];
            JournalEntryHeader h;
            DbError err;
            if (journal_entry_decode(copy, len, &h, &err) == 0) {
                /* Accepted: every item must lie inside the buffer. */
                JournalEntryCursor c;
                journal_entry_cursor_init(&c, copy, len);
                JournalItem it;
                uint32_t seen = 0;
                while (journal_entry_cursor_next(&c, &it)) {
                    assert_true(it.key >= copy && it.key + it.key_len <= copy + len);
                    if (it.value_len) assert_true(it.value + it.value_len <= copy + len);
                    seen++;
                }
                assert_int_equal(seen, h.n_items);
            }
            free(copy);
        }
    }
    free(buf);
}

static void test_entry_rejections(void **state)
{
    (void)state;
    JournalItem items[8];
    size_t n, len;
    uint8_t *buf = sample_entry(&len, items, &n);
    JournalEntryHeader h;
    DbError err;
    struct {
        size_t offset;
        uint8_t value;
        const char *why;
    } cases[] = {
        {0, 2, "unknown format version"},
        {1, 2, "unknown entry type"},
        {2, 1, "unknown flags"},
        {4, 0x7F, "more items than the entry can hold"},
        {JOURNAL_ENTRY_HEADER_BYTES, 3, "unknown op or kind"},
        {JOURNAL_ENTRY_HEADER_BYTES + 1, 5, "unknown op or kind"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t saved = buf[cases[i].offset];
        buf[cases[i].offset] = cases[i].value;
        assert_int_equal(journal_entry_decode(buf, len, &h, &err), -1);
        assert_string_equal(err.message, "malformed journal entry");
        assert_string_equal(err.detail, cases[i].why);
        buf[cases[i].offset] = saved;
    }
    /* First item (a put): as a delete it may not carry a value. */
    buf[JOURNAL_ENTRY_HEADER_BYTES] = 2;
    assert_int_equal(journal_entry_decode(buf, len, &h, &err), -1);
    assert_string_equal(err.detail, "value on an item that is not a put");
    /* As a schema read it may not write. */
    buf[JOURNAL_ENTRY_HEADER_BYTES] = 1;
    buf[JOURNAL_ENTRY_HEADER_BYTES + 1] = 3;
    assert_int_equal(journal_entry_decode(buf, len, &h, &err), -1);
    assert_string_equal(err.detail, "schema read that writes");
    buf[JOURNAL_ENTRY_HEADER_BYTES + 1] = 0;
    /* An empty key. */
    memset(buf + JOURNAL_ENTRY_HEADER_BYTES + 2, 0, 4);
    assert_int_equal(journal_entry_decode(buf, len, &h, &err), -1);
    free(buf);
}

static void test_ws_validate(void **state)
{
    (void)state;
    DbError err;
    JournalItem items[3];
    JournalWriteSet ws = {.snapshot = 1, .items = items, .n_items = 1};

    items[0] = item("k", JOURNAL_OP_NONE, JOURNAL_KIND_KEY_WRITE, "x");
    assert_int_equal(journal_ws_validate(&ws, &err), -1); /* value without put */
    items[0] = item("k", JOURNAL_OP_PUT, JOURNAL_KIND_SCHEMA_READ, "x");
    assert_int_equal(journal_ws_validate(&ws, &err), -1);
    items[0] = item("", JOURNAL_OP_PUT, JOURNAL_KIND_KEY_WRITE, "x");
    assert_int_equal(journal_ws_validate(&ws, &err), -1);
    items[0] = item("k", (JournalOp)7, JOURNAL_KIND_KEY_WRITE, NULL);
    assert_int_equal(journal_ws_validate(&ws, &err), -1);
    items[0] = item("k", JOURNAL_OP_PUT, (JournalConflictKind)9, NULL);
    assert_int_equal(journal_ws_validate(&ws, &err), -1);
    assert_string_equal(err.sqlstate, SQLSTATE_INTERNAL_ERROR);

    /* Distinct keys, including prefixes of one another. */
    items[0] = item("ab", JOURNAL_OP_PUT, JOURNAL_KIND_KEY_WRITE, "1");
    items[1] = item("a", JOURNAL_OP_PUT, JOURNAL_KIND_KEY_WRITE, "2");
    items[2] = item("abc", JOURNAL_OP_NONE, JOURNAL_KIND_KEY_SHARE, NULL);
    ws.n_items = 3;
    assert_int_equal(journal_ws_validate(&ws, &err), 0);
    items[2] = item("ab", JOURNAL_OP_NONE, JOURNAL_KIND_KEY_SHARE, NULL);
    assert_int_equal(journal_ws_validate(&ws, &err), -1);
    assert_string_equal(err.message, "invalid write set: a key appears twice");

    /* Too big for one entry. */
    size_t big = JOURNAL_ENTRY_MAX_BYTES;
    char *value = calloc(1, big + 1);
    memset(value, 'x', big);
    items[0] = item("k", JOURNAL_OP_PUT, JOURNAL_KIND_KEY_WRITE, value);
    ws.n_items = 1;
    assert_int_equal(journal_ws_validate(&ws, &err), -1);
    free(value);
}

static void test_records_and_descriptors(void **state)
{
    (void)state;
    DbError err;
    JournalVersionRecord r = {
        .key_write = 7, .nonkey_write = 1ull << 40, .key_share = 0, .touched_ms = 1700000000000ull};
    uint8_t buf[JOURNAL_RECORD_BYTES];
    journal_record_encode(&r, buf);
    assert_int_equal(buf[0], 1);
    assert_int_equal(buf[8], 7);
    JournalVersionRecord back;
    assert_int_equal(journal_record_decode(buf, sizeof buf, &back, &err), 0);
    assert_memory_equal(&back, &r, sizeof r);
    assert_int_equal(journal_record_decode(buf, sizeof buf - 1, &back, &err), -1);
    assert_string_equal(err.sqlstate, SQLSTATE_DATA_CORRUPTED);
    buf[0] = 2;
    assert_int_equal(journal_record_decode(buf, sizeof buf, &back, &err), -1);
    assert_int_equal(journal_record_decode(buf, 0, &back, &err), -1);

    JournalSnapshotDesc d = {.applied = 4096, .node_id = 3, .taken_ms = 42};
    uint8_t sd[JOURNAL_SNAPSHOT_BYTES];
    journal_snapshot_encode(&d, sd);
    JournalSnapshotDesc dback;
    assert_int_equal(journal_snapshot_decode(sd, sizeof sd, &dback, &err), 0);
    assert_memory_equal(&dback, &d, sizeof d);
    for (size_t i = 0; i < 8; i++) {
        uint8_t saved = sd[i];
        sd[i] ^= 0x10;
        assert_int_equal(journal_snapshot_decode(sd, sizeof sd, &dback, &err), -1);
        sd[i] = saved;
    }
    assert_int_equal(journal_snapshot_decode(sd, sizeof sd - 1, &dback, &err), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_entry_round_trip),
        cmocka_unit_test(test_entry_padding),
        cmocka_unit_test(test_entry_every_truncation_rejected),
        cmocka_unit_test(test_entry_every_byte_change_is_safe),
        cmocka_unit_test(test_entry_rejections),
        cmocka_unit_test(test_ws_validate),
        cmocka_unit_test(test_records_and_descriptors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
