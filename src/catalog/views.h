/*
 * System views: read-only relations computed from the catalog when a query
 * reads them (information_schema, pg_catalog, sys).  Each view is a row in
 * a table (views.c): its schema, name, columns and a scan function that
 * produces its rows for a transaction.  analyze finds views by name before
 * tables; exec scans them like any FROM item.
 */
#pragma once

#include "catalog/catalog.h"

typedef struct CatalogViewColumn {
    const char *name;
    uint32_t type;
} CatalogViewColumn;

/* Receives one row of a view (values in column order). */
typedef int (*CatalogViewRowFn)(void *arg, const Datum *values, DbError *err);

typedef struct CatalogView {
    const char *schema;
    const char *name;
    size_t n_columns;
    const CatalogViewColumn *columns;
    int (*scan)(Txn *t, MemContext *cx, CatalogViewRowFn fn, void *arg, DbError *err);
} CatalogView;

/* The view schema.name, or NULL.  schema NULL: the schemas searched for an
 * unqualified name (pg_catalog, as PostgreSQL searches it first). */
const CatalogView *catalog_view_find(const char *schema, const char *name);
bool catalog_schema_is_system(const char *schema);
