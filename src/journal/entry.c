/*
 * Journal codecs: write-set log entries, version records, raft snapshot
 * descriptors and the applied-version meta value.  Integers are big-endian.
 * The decoders read bytes from disk and the network: every length is
 * checked against the buffer before it is used, and nothing is trusted.
 *
 * Entry (format 1), a 40-byte header then n items:
 *   0  u8   format = 1          4  u32 n items         16 u64 proposed_ms
 *   1  u8   type = 1 write set  8  u64 snapshot        24 16B txn id
 *   2  u16  flags = 0
 * Item: 0 u8 op (0 none, 1 put, 2 delete) | 1 u8 kind (0 key write,
 *   1 non-key write, 2 key share, 3 schema read, 4 unchecked) | 2 u32 key
 *   length K >= 1 | 6 u32 value length V (0 unless put) | 10 key | 10+K value
 * After the last item, 0-7 zero bytes pad the entry to a multiple of 8:
 *   raft_uv requires it (libraft 0.15 asserts it only in debug builds and
 *   otherwise writes a segment its own loader cannot read back).
 * Version record (33 bytes): u8 format = 1 | u64 key write | u64 non-key
 *   write | u64 key share | u64 touched_ms.
 * Snapshot descriptor (32 bytes): u8 format = 1 | u8 kind = 1 (local) |
 *   6 zero bytes | u64 applied | u64 node id | u64 taken_ms.
 */
#include "journal/journal_internal.h"

#include <stdlib.h>
#include <string.h>

void journal_put_be64(uint8_t *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--) {
        p[i] = (uint8_t)v;
        v >>= 8;
    }
}

uint64_t journal_get_be64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = (v << 8) | p[i];
    return v;
}

static void journal_put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static uint32_t journal_get_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The on-disk codes are fixed here, independent of the enums' values. */
static int journal_op_code(JournalOp op)
{
    switch (op) {
    case JOURNAL_OP_NONE:
        return 0;
    case JOURNAL_OP_PUT:
        return 1;
    case JOURNAL_OP_DELETE:
        return 2;
    }
    return -1;
}

static bool journal_op_from_code(uint8_t code, JournalOp *op)
{
    static const JournalOp ops[] = {JOURNAL_OP_NONE, JOURNAL_OP_PUT, JOURNAL_OP_DELETE};
    if (code >= sizeof ops / sizeof ops[0]) return false;
    *op = ops[code];
    return true;
}

static int journal_kind_code(JournalConflictKind kind)
{
    switch (kind) {
    case JOURNAL_KIND_KEY_WRITE:
        return 0;
    case JOURNAL_KIND_NONKEY_WRITE:
        return 1;
    case JOURNAL_KIND_KEY_SHARE:
        return 2;
    case JOURNAL_KIND_SCHEMA_READ:
        return 3;
    case JOURNAL_KIND_UNCHECKED:
        return 4;
    }
    return -1;
}

static bool journal_kind_from_code(uint8_t code, JournalConflictKind *kind)
{
    static const JournalConflictKind kinds[] = {JOURNAL_KIND_KEY_WRITE, JOURNAL_KIND_NONKEY_WRITE,
                                                JOURNAL_KIND_KEY_SHARE, JOURNAL_KIND_SCHEMA_READ,
                                                JOURNAL_KIND_UNCHECKED};
    if (code >= sizeof kinds / sizeof kinds[0]) return false;
    *kind = kinds[code];
    return true;
}

/* ---- Write sets and entries ---- */

static int journal_item_cmp(const void *a, const void *b)
{
    const JournalItem *x = *(const JournalItem *const *)a;
    const JournalItem *y = *(const JournalItem *const *)b;
    size_t n = x->key_len < y->key_len ? x->key_len : y->key_len;
    int c = memcmp(x->key, y->key, n);
    if (c) return c;
    return x->key_len < y->key_len ? -1 : x->key_len > y->key_len ? 1 : 0;
}

int journal_ws_validate(const JournalWriteSet *ws, DbError *err)
{
    if (ws->n_items > UINT32_MAX || (ws->n_items && !ws->items))
        return db_error_set(err, SQLSTATE_INTERNAL_ERROR, "invalid write set: bad item array");
    uint64_t size = JOURNAL_ENTRY_HEADER_BYTES;
    for (size_t i = 0; i < ws->n_items; i++) {
        const JournalItem *it = &ws->items[i];
        if (journal_op_code(it->op) < 0 || journal_kind_code(it->kind) < 0)
            return db_error_set(err, SQLSTATE_INTERNAL_ERROR,
                                "invalid write set: item %zu has an unknown op or kind", i);
        if (it->key_len == 0 || !it->key || it->key_len > JOURNAL_ENTRY_MAX_BYTES)
            return db_error_set(err, SQLSTATE_INTERNAL_ERROR,
                                "invalid write set: item %zu has no key", i);
        if (it->value_len && (it->op != JOURNAL_OP_PUT || !it->value))
            return db_error_set(err, SQLSTATE_INTERNAL_ERROR,
                                "invalid write set: item %zu has a value but is not a put", i);
        if (it->kind == JOURNAL_KIND_SCHEMA_READ && it->op != JOURNAL_OP_NONE)
            return db_error_set(err, SQLSTATE_INTERNAL_ERROR,
                                "invalid write set: item %zu is a schema read that writes", i);
        size += JOURNAL_ITEM_HEADER_BYTES + (uint64_t)it->key_len + it->value_len;
        if (size > JOURNAL_ENTRY_MAX_BYTES)
            return db_error_set(err, SQLSTATE_INTERNAL_ERROR,
                                "write set exceeds the journal entry limit of %u bytes",
                                JOURNAL_ENTRY_MAX_BYTES);
    }
    if (ws->n_items < 2) return 0;
    /* Distinct keys: the apply step reads and rewrites one version record per
     * key, so a key twice in one entry would lose one of its updates. */
    const JournalItem **sorted = malloc(sizeof *sorted * ws->n_items);
    if (!sorted) return db_error_set(err, SQLSTATE_OUT_OF_MEMORY, "out of memory");
    for (size_t i = 0; i < ws->n_items; i++)
        sorted[i] = &ws->items[i];
    qsort(sorted, ws->n_items, sizeof *sorted, journal_item_cmp);
    int rc = 0;
    for (size_t i = 1; i < ws->n_items && rc == 0; i++)
        if (journal_item_cmp(&sorted[i - 1], &sorted[i]) == 0)
            rc = db_error_set(err, SQLSTATE_INTERNAL_ERROR,
                              "invalid write set: a key appears twice");
    free(sorted);
    return rc;
}

size_t journal_entry_size(const JournalWriteSet *ws)
{
    size_t size = JOURNAL_ENTRY_HEADER_BYTES;
    for (size_t i = 0; i < ws->n_items; i++)
        size += JOURNAL_ITEM_HEADER_BYTES + ws->items[i].key_len + ws->items[i].value_len;
    return (size + JOURNAL_ENTRY_ALIGN - 1) & ~(size_t)(JOURNAL_ENTRY_ALIGN - 1);
}

void journal_entry_encode(const JournalWriteSet *ws, const uint8_t txn_id[JOURNAL_TXN_ID_BYTES],
                          uint64_t proposed_ms, uint8_t *out)
{
    out[0] = JOURNAL_ENTRY_FORMAT;
    out[1] = JOURNAL_ENTRY_TYPE_WRITE_SET;
    out[2] = out[3] = 0;
    journal_put_be32(out + 4, (uint32_t)ws->n_items);
    journal_put_be64(out + 8, ws->snapshot);
    journal_put_be64(out + JOURNAL_ENTRY_PROPOSED_MS_OFFSET, proposed_ms);
    memcpy(out + 24, txn_id, JOURNAL_TXN_ID_BYTES);
    uint8_t *p = out + JOURNAL_ENTRY_HEADER_BYTES;
    for (size_t i = 0; i < ws->n_items; i++) {
        const JournalItem *it = &ws->items[i];
        p[0] = (uint8_t)journal_op_code(it->op);
        p[1] = (uint8_t)journal_kind_code(it->kind);
        journal_put_be32(p + 2, (uint32_t)it->key_len);
        journal_put_be32(p + 6, (uint32_t)it->value_len);
        p += JOURNAL_ITEM_HEADER_BYTES;
        memcpy(p, it->key, it->key_len);
        p += it->key_len;
        if (it->value_len) memcpy(p, it->value, it->value_len);
        p += it->value_len;
    }
    memset(p, 0, journal_entry_size(ws) - (size_t)(p - out));
}

void journal_entry_stamp(uint8_t *entry, uint64_t proposed_ms)
{
    journal_put_be64(entry + JOURNAL_ENTRY_PROPOSED_MS_OFFSET, proposed_ms);
}

static int journal_corrupt(DbError *err, const char *what)
{
    db_error_set(err, SQLSTATE_DATA_CORRUPTED, "malformed journal entry");
    db_error_detail(err, "%s", what);
    return -1;
}

/* Reads the item at *p (bounded by end); advances *p. */
static bool journal_item_read(const uint8_t **p, const uint8_t *end, JournalItem *item,
                              const char **why)
{
    const uint8_t *q = *p;
    if ((size_t)(end - q) < JOURNAL_ITEM_HEADER_BYTES) {
        *why = "item header past the end of the entry";
        return false;
    }
    if (!journal_op_from_code(q[0], &item->op) || !journal_kind_from_code(q[1], &item->kind)) {
        *why = "unknown op or kind";
        return false;
    }
    uint32_t kl = journal_get_be32(q + 2), vl = journal_get_be32(q + 6);
    q += JOURNAL_ITEM_HEADER_BYTES;
    if (kl == 0 || (size_t)(end - q) < kl || (size_t)(end - q) - kl < vl) {
        *why = "key or value past the end of the entry";
        return false;
    }
    if (vl && item->op != JOURNAL_OP_PUT) {
        *why = "value on an item that is not a put";
        return false;
    }
    if (item->kind == JOURNAL_KIND_SCHEMA_READ && item->op != JOURNAL_OP_NONE) {
        *why = "schema read that writes";
        return false;
    }
    item->key = q;
    item->key_len = kl;
    item->value = vl ? q + kl : NULL;
    item->value_len = vl;
    *p = q + kl + vl;
    return true;
}

int journal_entry_decode(const uint8_t *buf, size_t len, JournalEntryHeader *h, DbError *err)
{
    if (len < JOURNAL_ENTRY_HEADER_BYTES) return journal_corrupt(err, "shorter than its header");
    if (len > JOURNAL_ENTRY_MAX_BYTES) return journal_corrupt(err, "longer than the entry limit");
    if (buf[0] != JOURNAL_ENTRY_FORMAT) return journal_corrupt(err, "unknown format version");
    if (buf[1] != JOURNAL_ENTRY_TYPE_WRITE_SET) return journal_corrupt(err, "unknown entry type");
    if (buf[2] || buf[3]) return journal_corrupt(err, "unknown flags");
    h->n_items = journal_get_be32(buf + 4);
    h->snapshot = journal_get_be64(buf + 8);
    h->proposed_ms = journal_get_be64(buf + JOURNAL_ENTRY_PROPOSED_MS_OFFSET);
    memcpy(h->txn_id, buf + 24, JOURNAL_TXN_ID_BYTES);
    if (h->n_items > (len - JOURNAL_ENTRY_HEADER_BYTES) / (JOURNAL_ITEM_HEADER_BYTES + 1))
        return journal_corrupt(err, "more items than the entry can hold");
    const uint8_t *p = buf + JOURNAL_ENTRY_HEADER_BYTES, *end = buf + len;
    for (uint32_t i = 0; i < h->n_items; i++) {
        JournalItem item;
        const char *why = NULL;
        if (!journal_item_read(&p, end, &item, &why)) return journal_corrupt(err, why);
    }
    if (len % JOURNAL_ENTRY_ALIGN != 0) return journal_corrupt(err, "length not padded");
    if ((size_t)(end - p) >= JOURNAL_ENTRY_ALIGN)
        return journal_corrupt(err, "trailing bytes after the last item");
    for (; p < end; p++)
        if (*p) return journal_corrupt(err, "non-zero padding");
    return 0;
}

void journal_entry_cursor_init(JournalEntryCursor *c, const uint8_t *buf, size_t len)
{
    c->p = buf + JOURNAL_ENTRY_HEADER_BYTES;
    c->end = buf + len;
    c->left = journal_get_be32(buf + 4);
}

bool journal_entry_cursor_next(JournalEntryCursor *c, JournalItem *item)
{
    if (c->left == 0) return false;
    const char *why = NULL;
    if (!journal_item_read(&c->p, c->end, item, &why)) return false;
    c->left--;
    return true;
}

/* ---- Version records ---- */

void journal_record_encode(const JournalVersionRecord *r, uint8_t out[JOURNAL_RECORD_BYTES])
{
    out[0] = JOURNAL_RECORD_FORMAT;
    journal_put_be64(out + 1, r->key_write);
    journal_put_be64(out + 9, r->nonkey_write);
    journal_put_be64(out + 17, r->key_share);
    journal_put_be64(out + 25, r->touched_ms);
}

int journal_record_decode(const uint8_t *buf, size_t len, JournalVersionRecord *r, DbError *err)
{
    if (len != JOURNAL_RECORD_BYTES || buf[0] != JOURNAL_RECORD_FORMAT) {
        db_error_set(err, SQLSTATE_DATA_CORRUPTED, "malformed journal version record");
        db_error_detail(err, "%zu bytes, format %d", len, len ? buf[0] : -1);
        return -1;
    }
    r->key_write = journal_get_be64(buf + 1);
    r->nonkey_write = journal_get_be64(buf + 9);
    r->key_share = journal_get_be64(buf + 17);
    r->touched_ms = journal_get_be64(buf + 25);
    return 0;
}

/* ---- The applied version ---- */

int journal_meta_applied_read(Storage *s, const StorageSnapshot *snap, CommitVersion *out,
                              DbError *err)
{
    StrBuf v;
    strbuf_init(&v);
    bool found;
    int rc = storage_get(s, snap, STORAGE_META, JOURNAL_META_APPLIED_KEY,
                         strlen(JOURNAL_META_APPLIED_KEY), &v, &found, err);
    if (rc == 0) {
        if (!found) {
            *out = 0;
        } else if (v.len != 8) {
            rc = db_error_set(err, SQLSTATE_DATA_CORRUPTED, "malformed journal applied version");
        } else {
            *out = journal_get_be64((const uint8_t *)v.data);
        }
    }
    strbuf_fini(&v);
    return rc;
}

/* ---- Snapshot descriptors ---- */

void journal_snapshot_encode(const JournalSnapshotDesc *d, uint8_t out[JOURNAL_SNAPSHOT_BYTES])
{
    memset(out, 0, JOURNAL_SNAPSHOT_BYTES);
    out[0] = JOURNAL_SNAPSHOT_FORMAT;
    out[1] = JOURNAL_SNAPSHOT_KIND_LOCAL;
    journal_put_be64(out + 8, d->applied);
    journal_put_be64(out + 16, d->node_id);
    journal_put_be64(out + 24, d->taken_ms);
}

int journal_snapshot_decode(const uint8_t *buf, size_t len, JournalSnapshotDesc *d, DbError *err)
{
    static const uint8_t zeros[6] = {0};
    if (len != JOURNAL_SNAPSHOT_BYTES || buf[0] != JOURNAL_SNAPSHOT_FORMAT ||
        buf[1] != JOURNAL_SNAPSHOT_KIND_LOCAL || memcmp(buf + 2, zeros, 6) != 0)
        return db_error_set(err, SQLSTATE_DATA_CORRUPTED, "malformed journal snapshot descriptor");
    d->applied = journal_get_be64(buf + 8);
    d->node_id = journal_get_be64(buf + 16);
    d->taken_ms = journal_get_be64(buf + 24);
    return 0;
}
