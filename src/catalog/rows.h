/*
 * Whole-keyspace reads of catalog objects (rows.c), shared by the catalog's
 * files; not a public header.
 */
#pragma once

#include "common/error.h"
#include "common/mem.h"
#include "txn/txn.h"

/* Calls visit for every row of object obj; visit returns 0 to go on, 1 to
 * stop, -1 on error. */
typedef int (*CatalogRowVisit)(void *arg, const uint8_t *key, size_t key_len, const uint8_t *val,
                               size_t val_len, DbError *err);
int catalog_rows_scan(Txn *t, uint32_t obj, CatalogRowVisit visit, void *arg, DbError *err);

/* Decodes one stored value into the object it describes. */
typedef int (*CatalogDecode)(const uint8_t *val, size_t len, MemContext *cx, void **out,
                             DbError *err);
/* Decodes every row of object obj, in key order, into *out (n pointers in
 * cx). */
int catalog_rows_collect(Txn *t, uint32_t obj, CatalogDecode decode, MemContext *cx, void ***out,
                         size_t *n, DbError *err);
