/*
 * Sequence descriptors and allocation state (see sequence.h).  Descriptor
 * bytes: u8 format (1), u32 id, i64 increment, min, max, start, cache,
 * u8 cycle, str schema, str name (str = u16 length + bytes), big-endian.
 */
#include <string.h>

#include "catalog/sequence.h"
#include "kv/kv.h"

static void put_i64(StrBuf *b, int64_t v)
{
    strbuf_append_be32(b, (uint32_t)((uint64_t)v >> 32));
    strbuf_append_be32(b, (uint32_t)v);
}

static int64_t get_i64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = (v << 8) | p[i];
    return (int64_t)v;
}

static void put_str16(StrBuf *b, const char *s)
{
    size_t n = strlen(s);
    strbuf_append_be16(b, (uint16_t)n);
    strbuf_append(b, s, n);
}

static void seq_encode(const SeqDesc *d, StrBuf *out)
{
    strbuf_append_char(out, 1);
    strbuf_append_be32(out, d->id);
    put_i64(out, d->increment);
    put_i64(out, d->min_value);
    put_i64(out, d->max_value);
    put_i64(out, d->start);
    put_i64(out, d->cache);
    strbuf_append_char(out, d->cycle ? 1 : 0);
    put_str16(out, d->schema);
    put_str16(out, d->name);
}

static int seq_decode(const uint8_t *p, size_t len, MemContext *cx, SeqDesc **out, DbError *err)
{
    const size_t fixed = 1 + 4 + 5 * 8 + 1;
    if (len < fixed + 4 || p[0] != 1) goto corrupt;
    SeqDesc *d = mem_alloc0(cx, sizeof *d);
    d->id = (uint32_t)p[1] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 8 | p[4];
    d->increment = get_i64(p + 5);
    d->min_value = get_i64(p + 13);
    d->max_value = get_i64(p + 21);
    d->start = get_i64(p + 29);
    d->cache = get_i64(p + 37);
    d->cycle = p[45] != 0;
    size_t pos = fixed;
    const char **strs[2] = {&d->schema, &d->name};
    for (int i = 0; i < 2; i++) {
        if (len - pos < 2) goto corrupt;
        size_t n = (size_t)p[pos] << 8 | p[pos + 1];
        pos += 2;
        if (len - pos < n) goto corrupt;
        *strs[i] = mem_strndup(cx, (const char *)p + pos, n);
        pos += n;
    }
    if (pos != len) goto corrupt;
    *out = d;
    return 0;
corrupt:
    return db_error_set(err, SQLSTATE_DATA_CORRUPTED, "corrupt sequence descriptor");
}

static int seq_key(StrBuf *key, const char *schema, const char *name, DbError *err)
{
    strbuf_reset(key);
    kv_key_begin(key, CATALOG_SEQUENCES_ID);
    Datum s = datum_bytes(TYPE_TEXT, schema, strlen(schema));
    Datum n = datum_bytes(TYPE_TEXT, name, strlen(name));
    if (kv_key_append(key, &s, KV_NULLS_LAST, err) != 0) return -1;
    return kv_key_append(key, &n, KV_NULLS_LAST, err);
}

static void state_key(StrBuf *key, uint32_t id)
{
    strbuf_reset(key);
    kv_key_begin(key, CATALOG_SEQ_STATE_ID);
    strbuf_append_be32(key, id);
}

int catalog_sequence_lookup(Txn *t, const char *schema, const char *name, MemContext *cx,
                            SeqDesc **out, bool *found, DbError *err)
{
    StrBuf key, val;
    strbuf_init(&key);
    strbuf_init(&val);
    int rc = seq_key(&key, schema, name, err);
    if (rc == 0) rc = txn_get(t, key.data, key.len, &val, found, err);
    if (rc == 0 && *found) rc = seq_decode((const uint8_t *)val.data, val.len, cx, out, err);
    if (rc == 0 && *found)
        rc = txn_check_key(t, key.data, key.len, JOURNAL_KIND_SCHEMA_READ, false, err);
    strbuf_fini(&key);
    strbuf_fini(&val);
    return rc;
}

int catalog_sequence_create(Txn *t, SeqDesc *desc, DbError *err)
{
    MemContext *cx = mem_context_create(NULL, "sequence");
    SeqDesc *existing;
    bool found;
    int rc = catalog_sequence_lookup(t, desc->schema, desc->name, cx, &existing, &found, err);
    if (rc == 0 && found)
        rc = db_error_set(err, SQLSTATE_DUPLICATE_TABLE, "relation \"%s\" already exists",
                          desc->name);
    if (rc == 0) rc = catalog_allocate_id(t, &desc->id, err);
    StrBuf key, val;
    strbuf_init(&key);
    strbuf_init(&val);
    if (rc == 0) rc = seq_key(&key, desc->schema, desc->name, err);
    if (rc == 0) {
        seq_encode(desc, &val);
        rc = txn_put(t, key.data, key.len, val.data, val.len, JOURNAL_KIND_KEY_WRITE, false, err);
    }
    strbuf_fini(&key);
    strbuf_fini(&val);
    mem_context_destroy(cx);
    return rc;
}

int catalog_sequence_drop(Txn *t, const SeqDesc *desc, DbError *err)
{
    StrBuf key;
    strbuf_init(&key);
    int rc = seq_key(&key, desc->schema, desc->name, err);
    if (rc == 0) rc = txn_delete(t, key.data, key.len, JOURNAL_KIND_KEY_WRITE, false, err);
    strbuf_fini(&key);
    return rc;
}

int catalog_sequence_state_get(Txn *t, const SeqDesc *d, int64_t *next, DbError *err)
{
    StrBuf key, val;
    strbuf_init(&key);
    strbuf_init(&val);
    state_key(&key, d->id);
    bool found;
    int rc = txn_get(t, key.data, key.len, &val, &found, err);
    if (rc == 0) {
        if (!found)
            *next = d->start;
        else if (val.len == 8)
            *next = get_i64((const uint8_t *)val.data);
        else
            rc = db_error_set(err, SQLSTATE_DATA_CORRUPTED, "corrupt sequence state");
    }
    strbuf_fini(&key);
    strbuf_fini(&val);
    return rc;
}

int catalog_sequence_state_put(Txn *t, const SeqDesc *d, int64_t next, DbError *err)
{
    StrBuf key, val;
    strbuf_init(&key);
    strbuf_init(&val);
    state_key(&key, d->id);
    put_i64(&val, next);
    int rc = txn_put(t, key.data, key.len, val.data, val.len, JOURNAL_KIND_KEY_WRITE, false, err);
    strbuf_fini(&key);
    strbuf_fini(&val);
    return rc;
}
