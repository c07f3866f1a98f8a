/*
 * Transactions (see txn.h).
 *
 * The write buffer is an array of entries sorted by key; an entry is never
 * changed in place (a new write makes a new entry), so statement atomicity
 * is a copy of the pointer array at statement start, restored on failure.
 * DSQL's limits bound the buffer (3,000 rows, 10 MiB), which keeps binary
 * search plus insertion cheap.  Entry memory comes from the transaction's own
 * MemContext, freed at commit or abort.
 */
#include "txn/txn.h"

#include <stdlib.h>
#include <string.h>

typedef struct TxnEntry {
    uint8_t *key;
    size_t key_len;
    uint8_t *value;
    size_t value_len;
    JournalOp op;
    TxnKind kind;
    bool counts_as_row;
} TxnEntry;

struct Txn {
    Journal *journal;
    Storage *storage;
    MemContext *cx;
    bool read_only;
    const StorageSnapshot *snap;
    CommitVersion snapshot;
    uint64_t started_ms;
    TxnEntry **entries;
    size_t n_entries, cap_entries;
    TxnEntry **saved;
    size_t n_saved, cap_saved;
    size_t rows, saved_rows;
    size_t bytes, saved_bytes;
};

Txn *txn_begin(Journal *journal, Storage *storage, bool read_only, DbError *err)
{
    Txn *t = calloc(1, sizeof *t);
    if (!t) {
        db_error_set(err, SQLSTATE_OUT_OF_MEMORY, "out of memory");
        return NULL;
    }
    t->journal = journal;
    t->storage = storage;
    t->read_only = read_only;
    t->cx = mem_context_create(NULL, "transaction");
    t->started_ms = clock_monotonic_ms();
    if (journal_snapshot_take(journal, &t->snap, &t->snapshot, err) != 0) {
        mem_context_destroy(t->cx);
        free(t);
        return NULL;
    }
    return t;
}

static void txn_free(Txn *t)
{
    if (t->snap) storage_snapshot_release(t->storage, t->snap);
    free(t->entries);
    free(t->saved);
    mem_context_destroy(t->cx);
    free(t);
}

void txn_abort(Txn *t)
{
    if (t) txn_free(t);
}

bool txn_is_read_only(const Txn *t)
{
    return t->read_only;
}

bool txn_has_writes(const Txn *t)
{
    for (size_t i = 0; i < t->n_entries; i++)
        if (t->entries[i]->op != JOURNAL_OP_NONE) return true;
    return false;
}

/* Writes, FOR UPDATE and FOR KEY SHARE keys go to the adjudicator; a
 * transaction that only read (catalog descriptors included) commits
 * locally, as DSQL's read-only transactions do. */
static bool txn_needs_adjudication(const Txn *t)
{
    for (size_t i = 0; i < t->n_entries; i++)
        if (t->entries[i]->op != JOURNAL_OP_NONE || t->entries[i]->kind != JOURNAL_KIND_SCHEMA_READ)
            return true;
    return false;
}

int txn_check_age(Txn *t, DbError *err)
{
    if (clock_monotonic_ms() - t->started_ms > (uint64_t)LIMIT_TXN_AGE_SECONDS * 1000u)
        return db_error_set(err, SQLSTATE_PROGRAM_LIMIT_EXCEEDED,
                            "transaction age limit of %ds exceeded", LIMIT_TXN_AGE_SECONDS);
    return 0;
}

void txn_statement_begin(Txn *t)
{
    if (t->cap_saved < t->n_entries) {
        t->cap_saved = t->cap_entries;
        t->saved = realloc(t->saved, sizeof(TxnEntry *) * t->cap_saved);
    }
    if (t->n_entries) memcpy(t->saved, t->entries, sizeof(TxnEntry *) * t->n_entries);
    t->n_saved = t->n_entries;
    t->saved_rows = t->rows;
    t->saved_bytes = t->bytes;
}

void txn_statement_rollback(Txn *t)
{
    if (t->n_saved) memcpy(t->entries, t->saved, sizeof(TxnEntry *) * t->n_saved);
    t->n_entries = t->n_saved;
    t->rows = t->saved_rows;
    t->bytes = t->saved_bytes;
}

static int key_cmp(const uint8_t *a, size_t al, const uint8_t *b, size_t bl)
{
    size_t n = al < bl ? al : bl;
    int c = n ? memcmp(a, b, n) : 0;
    if (c) return c;
    return al < bl ? -1 : al > bl ? 1 : 0;
}

/* Index of the first entry with key >= k. */
static size_t txn_find(const Txn *t, const uint8_t *k, size_t kl)
{
    size_t lo = 0, hi = t->n_entries;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (key_cmp(t->entries[mid]->key, t->entries[mid]->key_len, k, kl) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int txn_record(Txn *t, const void *key, size_t key_len, const void *value, size_t value_len,
                      JournalOp op, TxnKind kind, bool counts_as_row, DbError *err)
{
    if (t->read_only && op != JOURNAL_OP_NONE)
        return db_error_set(err, SQLSTATE_READ_ONLY_SQL_TRANSACTION,
                            "cannot execute this statement in a read-only transaction");
    size_t i = txn_find(t, key, key_len);
    bool exists =
        i < t->n_entries && key_cmp(t->entries[i]->key, t->entries[i]->key_len, key, key_len) == 0;
    const TxnEntry *old = exists ? t->entries[i] : NULL;
    /* A check-only key never weakens a write already buffered. */
    if (old && op == JOURNAL_OP_NONE && old->op != JOURNAL_OP_NONE) return 0;
    size_t new_rows = t->rows + (counts_as_row && !(old && old->counts_as_row) ? 1 : 0);
    size_t new_bytes = t->bytes - (old ? old->key_len + old->value_len : 0) + key_len + value_len;
    if (new_rows > LIMIT_TXN_ROWS)
        return db_error_set(err, SQLSTATE_PROGRAM_LIMIT_EXCEEDED, "transaction row limit exceeded");
    if (new_bytes > LIMIT_TXN_BYTES) {
        db_error_set(err, SQLSTATE_PROGRAM_LIMIT_EXCEEDED, "transaction size limit 10mb exceeded");
        db_error_detail(err, "Current transaction size %zumb 10mb",
                        (new_bytes + 1024 * 1024 - 1) / (1024 * 1024));
        return -1;
    }
    TxnEntry *e = mem_alloc(t->cx, sizeof *e);
    e->key = mem_alloc(t->cx, key_len);
    memcpy(e->key, key, key_len);
    e->key_len = key_len;
    e->value = value_len ? mem_alloc(t->cx, value_len) : NULL;
    if (value_len) memcpy(e->value, value, value_len);
    e->value_len = value_len;
    e->op = op;
    /* The strongest kind wins when a key is touched twice. */
    e->kind = old && old->kind == JOURNAL_KIND_KEY_WRITE ? JOURNAL_KIND_KEY_WRITE : kind;
    e->counts_as_row = counts_as_row || (old && old->counts_as_row);
    if (exists) {
        t->entries[i] = e;
    } else {
        if (t->n_entries == t->cap_entries) {
            t->cap_entries = t->cap_entries ? t->cap_entries * 2 : 64;
            t->entries = realloc(t->entries, sizeof(TxnEntry *) * t->cap_entries);
        }
        memmove(t->entries + i + 1, t->entries + i, sizeof(TxnEntry *) * (t->n_entries - i));
        t->entries[i] = e;
        t->n_entries++;
    }
    t->rows = new_rows;
    t->bytes = new_bytes;
    return 0;
}

int txn_put(Txn *t, const void *key, size_t key_len, const void *value, size_t value_len,
            TxnKind kind, bool counts_as_row, DbError *err)
{
    return txn_record(t, key, key_len, value, value_len, JOURNAL_OP_PUT, kind, counts_as_row, err);
}

int txn_delete(Txn *t, const void *key, size_t key_len, TxnKind kind, bool counts_as_row,
               DbError *err)
{
    return txn_record(t, key, key_len, NULL, 0, JOURNAL_OP_DELETE, kind, counts_as_row, err);
}

int txn_check_key(Txn *t, const void *key, size_t key_len, TxnKind kind, bool counts_as_row,
                  DbError *err)
{
    return txn_record(t, key, key_len, NULL, 0, JOURNAL_OP_NONE, kind, counts_as_row, err);
}

int txn_get(Txn *t, const void *key, size_t key_len, StrBuf *value, bool *found, DbError *err)
{
    size_t i = txn_find(t, key, key_len);
    if (i < t->n_entries &&
        key_cmp(t->entries[i]->key, t->entries[i]->key_len, key, key_len) == 0 &&
        t->entries[i]->op != JOURNAL_OP_NONE) {
        const TxnEntry *e = t->entries[i];
        *found = e->op == JOURNAL_OP_PUT;
        strbuf_reset(value);
        if (*found) strbuf_append(value, e->value, e->value_len);
        return 0;
    }
    return storage_get(t->storage, t->snap, STORAGE_DATA, key, key_len, value, found, err);
}

int txn_commit(Txn *t, DbError *err)
{
    int rc = 0;
    if (txn_check_age(t, err) != 0) {
        rc = -1;
    } else if (txn_needs_adjudication(t)) {
        JournalItem *items = mem_alloc(t->cx, sizeof(JournalItem) * t->n_entries);
        for (size_t i = 0; i < t->n_entries; i++) {
            const TxnEntry *e = t->entries[i];
            items[i] = (JournalItem){e->key, e->key_len, e->value, e->value_len, e->op, e->kind};
        }
        JournalWriteSet ws = {.snapshot = t->snapshot, .items = items, .n_items = t->n_entries};
        CommitVersion committed;
        rc = journal_commit(t->journal, &ws, &committed, err);
    }
    txn_free(t);
    return rc;
}

/* ---- merged iteration over snapshot + buffer ---- */

struct TxnIter {
    Txn *t;
    StorageIter *si;
    bool si_started;
    size_t bi; /* next buffer entry */
    size_t bend;
    const uint8_t *key, *value;
    size_t key_len, value_len;
    StrBuf kbuf, vbuf; /* storage iterator bytes die at its next move */
};

TxnIter *txn_iter_create(Txn *t, const void *lower, size_t lower_len, const void *upper,
                         size_t upper_len)
{
    TxnIter *it = calloc(1, sizeof *it);
    it->t = t;
    it->si =
        storage_iter_create(t->storage, t->snap, STORAGE_DATA, lower, lower_len, upper, upper_len);
    it->bi = txn_find(t, lower, lower_len);
    it->bend = upper ? txn_find(t, upper, upper_len) : t->n_entries;
    return it;
}

int txn_iter_next(TxnIter *it, DbError *err)
{
    if (!it->si_started) {
        storage_iter_seek_first(it->si);
        it->si_started = true;
    }
    for (;;) {
        bool s_ok = storage_iter_valid(it->si);
        if (!s_ok && storage_iter_status(it->si, err) != 0) return -1;
        /* Skip buffer entries that are only conflict checks. */
        while (it->bi < it->bend && it->t->entries[it->bi]->op == JOURNAL_OP_NONE)
            it->bi++;
        bool b_ok = it->bi < it->bend;
        if (!s_ok && !b_ok) return 0;
        size_t skl = 0, svl = 0;
        const uint8_t *sk = s_ok ? storage_iter_key(it->si, &skl) : NULL;
        const TxnEntry *be = b_ok ? it->t->entries[it->bi] : NULL;
        int c = !s_ok ? 1 : !b_ok ? -1 : key_cmp(sk, skl, be->key, be->key_len);
        if (c < 0) {
            const uint8_t *sv = storage_iter_value(it->si, &svl);
            strbuf_reset(&it->kbuf);
            strbuf_append(&it->kbuf, sk, skl);
            strbuf_reset(&it->vbuf);
            strbuf_append(&it->vbuf, sv, svl);
            it->key = (const uint8_t *)it->kbuf.data;
            it->key_len = skl;
            it->value = (const uint8_t *)it->vbuf.data;
            it->value_len = svl;
            storage_iter_next(it->si);
            return 1;
        }
        /* The buffer shadows the snapshot for equal keys. */
        if (c == 0) storage_iter_next(it->si);
        it->bi++;
        if (be->op == JOURNAL_OP_DELETE) continue;
        it->key = be->key;
        it->key_len = be->key_len;
        it->value = be->value;
        it->value_len = be->value_len;
        return 1;
    }
}

const uint8_t *txn_iter_key(const TxnIter *it, size_t *len)
{
    *len = it->key_len;
    return it->key;
}

const uint8_t *txn_iter_value(const TxnIter *it, size_t *len)
{
    *len = it->value_len;
    return it->value;
}

void txn_iter_destroy(TxnIter *it)
{
    if (!it) return;
    storage_iter_destroy(it->si);
    strbuf_fini(&it->kbuf);
    strbuf_fini(&it->vbuf);
    free(it);
}
