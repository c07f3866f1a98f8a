/*
 * Views: descriptors holding the CREATE VIEW statement's text, rows in the
 * keyspace under object id 22, key (22, schema, name).  A query naming a
 * view re-parses the text and reads its query as a subquery in FROM.
 */
#pragma once

#include "catalog/catalog.h"

#define CATALOG_VIEWS_ID 22u
#define CATALOG_MAX_VIEWS 5000 /* DSQL */

typedef struct ViewDesc {
    uint32_t id;
    const char *schema;
    const char *name;
    const char *sql; /* the CREATE [OR REPLACE] VIEW statement */
} ViewDesc;

int catalog_view_lookup(Txn *t, const char *schema, const char *name, MemContext *cx,
                        ViewDesc **out, bool *found, DbError *err);
/* Creates or (replace) overwrites; assigns desc->id when new. */
int catalog_view_put(Txn *t, ViewDesc *desc, bool replace, DbError *err);
int catalog_view_drop(Txn *t, const ViewDesc *desc, DbError *err);
int catalog_view_list(Txn *t, MemContext *cx, ViewDesc ***out, size_t *n, DbError *err);
