/*
 * Whole-keyspace reads of catalog objects: every row stored under one
 * object id, visited in key order or decoded into an array.
 */
#include "catalog/rows.h"
#include "kv/kv.h"

int catalog_rows_scan(Txn *t, uint32_t obj, CatalogRowVisit visit, void *arg, DbError *err)
{
    StrBuf lo, hi;
    strbuf_init(&lo);
    strbuf_init(&hi);
    kv_key_begin(&lo, obj);
    kv_key_object_end(&hi, obj);
    TxnIter *it = txn_iter_create(t, lo.data, lo.len, hi.data, hi.len);
    int rc;
    while ((rc = txn_iter_next(it, err)) == 1) {
        size_t kl, vl;
        const uint8_t *k = txn_iter_key(it, &kl);
        const uint8_t *v = txn_iter_value(it, &vl);
        int vr = visit(arg, k, kl, v, vl, err);
        if (vr != 0) {
            rc = vr < 0 ? -1 : 0;
            break;
        }
    }
    txn_iter_destroy(it);
    strbuf_fini(&lo);
    strbuf_fini(&hi);
    return rc < 0 ? -1 : 0;
}

typedef struct CollectState {
    MemContext *cx;
    CatalogDecode decode;
    void **items;
    size_t n, cap;
} CollectState;

static int collect_visit(void *arg, const uint8_t *key, size_t key_len, const uint8_t *val,
                         size_t val_len, DbError *err)
{
    (void)key;
    (void)key_len;
    CollectState *st = arg;
    if (st->n == st->cap) {
        size_t cap = st->cap ? st->cap * 2 : 16;
        st->items = mem_realloc(st->cx, st->items, sizeof(void *) * st->cap, sizeof(void *) * cap);
        st->cap = cap;
    }
    return st->decode(val, val_len, st->cx, &st->items[st->n++], err) != 0 ? -1 : 0;
}

int catalog_rows_collect(Txn *t, uint32_t obj, CatalogDecode decode, MemContext *cx, void ***out,
                         size_t *n, DbError *err)
{
    CollectState st = {.cx = cx, .decode = decode};
    int rc = catalog_rows_scan(t, obj, collect_visit, &st, err);
    *out = st.items;
    *n = rc == 0 ? st.n : 0;
    return rc;
}
