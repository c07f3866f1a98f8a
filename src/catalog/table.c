/*
 * Table descriptors in the keyspace: lookup, create, drop, list (see
 * catalog.h for the keys).  Object ids come from a counter row that every
 * CREATE reads and writes, so two concurrent creations conflict at commit
 * instead of sharing an id.
 */
#include <string.h>

#include "catalog/catalog.h"
#include "catalog/rows.h"
#include "kv/kv.h"

static int catalog_desc_key(StrBuf *key, const char *schema, const char *name, DbError *err)
{
    strbuf_reset(key);
    kv_key_begin(key, CATALOG_RELATIONS_ID);
    Datum s = datum_bytes(TYPE_TEXT, schema, strlen(schema));
    Datum n = datum_bytes(TYPE_TEXT, name, strlen(name));
    if (kv_key_append(key, &s, KV_NULLS_LAST, err) != 0) return -1;
    return kv_key_append(key, &n, KV_NULLS_LAST, err);
}

int catalog_table_lookup(Txn *t, const char *schema, const char *name, MemContext *cx,
                         TableDesc **out, bool *found, DbError *err)
{
    StrBuf key, val;
    strbuf_init(&key);
    strbuf_init(&val);
    int rc = catalog_desc_key(&key, schema, name, err);
    if (rc == 0) rc = txn_get(t, key.data, key.len, &val, found, err);
    if (rc == 0 && *found)
        rc = catalog_desc_decode((const uint8_t *)val.data, val.len, cx, out, err);
    /* Using a definition means depending on it until commit. */
    if (rc == 0 && *found)
        rc = txn_check_key(t, key.data, key.len, JOURNAL_KIND_SCHEMA_READ, false, err);
    strbuf_fini(&key);
    strbuf_fini(&val);
    return rc;
}

int catalog_allocate_id(Txn *t, uint32_t *id, DbError *err)
{
    StrBuf key, val;
    strbuf_init(&key);
    strbuf_init(&val);
    kv_key_begin(&key, CATALOG_ALLOCATOR_ID);
    Datum k = datum_bytes(TYPE_TEXT, "next_object_id", 14);
    bool found;
    int rc = kv_key_append(&key, &k, KV_NULLS_LAST, err);
    if (rc == 0) rc = txn_get(t, key.data, key.len, &val, &found, err);
    uint32_t next = CATALOG_FIRST_USER_ID;
    if (rc == 0 && found && val.len == 4) {
        const uint8_t *p = (const uint8_t *)val.data;
        next = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
    }
    if (rc == 0) {
        *id = next;
        strbuf_reset(&val);
        strbuf_append_be32(&val, next + 1);
        rc = txn_put(t, key.data, key.len, val.data, val.len, JOURNAL_KIND_KEY_WRITE, false, err);
    }
    strbuf_fini(&key);
    strbuf_fini(&val);
    return rc;
}

int catalog_table_create(Txn *t, TableDesc *desc, DbError *err)
{
    MemContext *cx = mem_context_create(NULL, "catalog");
    TableDesc *existing;
    bool found;
    int rc = catalog_table_lookup(t, desc->schema, desc->name, cx, &existing, &found, err);
    if (rc == 0 && found)
        rc = db_error_set(err, SQLSTATE_DUPLICATE_TABLE, "relation \"%s\" already exists",
                          desc->name);
    if (rc == 0) rc = catalog_allocate_id(t, &desc->id, err);
    StrBuf key, val;
    strbuf_init(&key);
    strbuf_init(&val);
    if (rc == 0) rc = catalog_desc_key(&key, desc->schema, desc->name, err);
    if (rc == 0) {
        catalog_desc_encode(desc, &val);
        rc = txn_put(t, key.data, key.len, val.data, val.len, JOURNAL_KIND_KEY_WRITE, false, err);
    }
    strbuf_fini(&key);
    strbuf_fini(&val);
    mem_context_destroy(cx);
    return rc;
}

int catalog_table_drop(Txn *t, const TableDesc *desc, DbError *err)
{
    StrBuf key;
    strbuf_init(&key);
    int rc = catalog_desc_key(&key, desc->schema, desc->name, err);
    if (rc == 0) rc = txn_delete(t, key.data, key.len, JOURNAL_KIND_KEY_WRITE, false, err);
    strbuf_fini(&key);
    return rc;
}

static int catalog_desc_decode_any(const uint8_t *val, size_t len, MemContext *cx, void **out,
                                   DbError *err)
{
    TableDesc *desc = NULL;
    int rc = catalog_desc_decode(val, len, cx, &desc, err);
    *out = desc;
    return rc;
}

int catalog_table_list(Txn *t, MemContext *cx, TableDesc ***out, size_t *n, DbError *err)
{
    void **items;
    if (catalog_rows_collect(t, CATALOG_RELATIONS_ID, catalog_desc_decode_any, cx, &items, n,
                             err) != 0)
        return -1;
    *out = mem_alloc(cx, sizeof(TableDesc *) * (*n + 1));
    for (size_t i = 0; i < *n; i++)
        (*out)[i] = items[i];
    return 0;
}

int catalog_table_update(Txn *t, const TableDesc *old, TableDesc *desc, DbError *err)
{
    StrBuf key, val;
    strbuf_init(&key);
    strbuf_init(&val);
    int rc = 0;
    bool renamed = strcmp(old->schema, desc->schema) != 0 || strcmp(old->name, desc->name) != 0;
    if (renamed) {
        MemContext *cx = mem_context_create(NULL, "catalog");
        TableDesc *existing;
        bool found;
        rc = catalog_table_lookup(t, desc->schema, desc->name, cx, &existing, &found, err);
        if (rc == 0 && found)
            rc = db_error_set(err, SQLSTATE_DUPLICATE_TABLE, "relation \"%s\" already exists",
                              desc->name);
        mem_context_destroy(cx);
        if (rc == 0) rc = catalog_table_drop(t, old, err);
    }
    if (rc == 0) rc = catalog_desc_key(&key, desc->schema, desc->name, err);
    if (rc == 0) {
        catalog_desc_encode(desc, &val);
        rc = txn_put(t, key.data, key.len, val.data, val.len, JOURNAL_KIND_KEY_WRITE, false, err);
    }
    strbuf_fini(&key);
    strbuf_fini(&val);
    return rc;
}
