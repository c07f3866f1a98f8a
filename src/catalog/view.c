/*
 * View descriptors (see view.h).  Bytes: u8 format (1), u32 id, then
 * schema, name and SQL text, each a u32 length + bytes, big-endian.
 */
#include <string.h>

#include "catalog/view.h"
#include "catalog/rows.h"
#include "kv/kv.h"

static void put_str32(StrBuf *b, const char *s)
{
    size_t n = strlen(s);
    strbuf_append_be32(b, (uint32_t)n);
    strbuf_append(b, s, n);
}

static int view_decode(const uint8_t *p, size_t len, MemContext *cx, ViewDesc **out, DbError *err)
{
    if (len < 5 || p[0] != 1) goto corrupt;
    ViewDesc *d = mem_alloc0(cx, sizeof *d);
    d->id = (uint32_t)p[1] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 8 | p[4];
    size_t pos = 5;
    const char **fields[3] = {&d->schema, &d->name, &d->sql};
    for (int i = 0; i < 3; i++) {
        if (len - pos < 4) goto corrupt;
        size_t n =
            (size_t)p[pos] << 24 | (size_t)p[pos + 1] << 16 | (size_t)p[pos + 2] << 8 | p[pos + 3];
        pos += 4;
        if (len - pos < n) goto corrupt;
        *fields[i] = mem_strndup(cx, (const char *)p + pos, n);
        pos += n;
    }
    if (pos != len) goto corrupt;
    *out = d;
    return 0;
corrupt:
    return db_error_set(err, SQLSTATE_DATA_CORRUPTED, "corrupt view descriptor");
}

static int view_key(StrBuf *key, const char *schema, const char *name, DbError *err)
{
    strbuf_reset(key);
    kv_key_begin(key, CATALOG_VIEWS_ID);
    Datum s = datum_bytes(TYPE_TEXT, schema, strlen(schema));
    Datum n = datum_bytes(TYPE_TEXT, name, strlen(name));
    if (kv_key_append(key, &s, KV_NULLS_LAST, err) != 0) return -1;
    return kv_key_append(key, &n, KV_NULLS_LAST, err);
}

int catalog_view_lookup(Txn *t, const char *schema, const char *name, MemContext *cx,
                        ViewDesc **out, bool *found, DbError *err)
{
    StrBuf key, val;
    strbuf_init(&key);
    strbuf_init(&val);
    int rc = view_key(&key, schema, name, err);
    if (rc == 0) rc = txn_get(t, key.data, key.len, &val, found, err);
    if (rc == 0 && *found) rc = view_decode((const uint8_t *)val.data, val.len, cx, out, err);
    if (rc == 0 && *found)
        rc = txn_check_key(t, key.data, key.len, JOURNAL_KIND_SCHEMA_READ, false, err);
    strbuf_fini(&key);
    strbuf_fini(&val);
    return rc;
}

int catalog_view_put(Txn *t, ViewDesc *desc, bool replace, DbError *err)
{
    MemContext *cx = mem_context_create(NULL, "view");
    ViewDesc *old;
    TableDesc *table;
    bool found, table_found;
    int rc = catalog_view_lookup(t, desc->schema, desc->name, cx, &old, &found, err);
    if (rc == 0)
        rc = catalog_table_lookup(t, desc->schema, desc->name, cx, &table, &table_found, err);
    if (rc == 0 && (table_found || (found && !replace)))
        rc = db_error_set(err, SQLSTATE_DUPLICATE_TABLE, "relation \"%s\" already exists",
                          desc->name);
    if (rc == 0 && found) desc->id = old->id;
    if (rc == 0 && !found) {
        ViewDesc **all;
        size_t n;
        rc = catalog_view_list(t, cx, &all, &n, err);
        if (rc == 0 && n >= CATALOG_MAX_VIEWS)
            rc = db_error_set(err, SQLSTATE_PROGRAM_LIMIT_EXCEEDED,
                              "creating more than %d views not allowed", CATALOG_MAX_VIEWS);
        if (rc == 0) rc = catalog_allocate_id(t, &desc->id, err);
    }
    StrBuf key, val;
    strbuf_init(&key);
    strbuf_init(&val);
    if (rc == 0) rc = view_key(&key, desc->schema, desc->name, err);
    if (rc == 0) {
        strbuf_append_char(&val, 1);
        strbuf_append_be32(&val, desc->id);
        put_str32(&val, desc->schema);
        put_str32(&val, desc->name);
        put_str32(&val, desc->sql);
        rc = txn_put(t, key.data, key.len, val.data, val.len, JOURNAL_KIND_KEY_WRITE, false, err);
    }
    strbuf_fini(&key);
    strbuf_fini(&val);
    mem_context_destroy(cx);
    return rc;
}

int catalog_view_drop(Txn *t, const ViewDesc *desc, DbError *err)
{
    StrBuf key;
    strbuf_init(&key);
    int rc = view_key(&key, desc->schema, desc->name, err);
    if (rc == 0) rc = txn_delete(t, key.data, key.len, JOURNAL_KIND_KEY_WRITE, false, err);
    strbuf_fini(&key);
    return rc;
}

static int view_decode_any(const uint8_t *val, size_t len, MemContext *cx, void **out, DbError *err)
{
    ViewDesc *desc = NULL;
    int rc = view_decode(val, len, cx, &desc, err);
    *out = desc;
    return rc;
}

int catalog_view_list(Txn *t, MemContext *cx, ViewDesc ***out, size_t *n, DbError *err)
{
    void **items;
    if (catalog_rows_collect(t, CATALOG_VIEWS_ID, view_decode_any, cx, &items, n, err) != 0)
        return -1;
    *out = mem_alloc(cx, sizeof(ViewDesc *) * (*n + 1));
    for (size_t i = 0; i < *n; i++)
        (*out)[i] = items[i];
    return 0;
}
