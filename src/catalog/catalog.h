/*
 * The catalog room's public header: descriptors of tables (and, as the
 * engine grows, indexes, sequences, views, roles) stored as rows in the
 * cluster's own keyspace and changed only through transactions.
 *
 * Keyspace (object ids, docs/formats/keys.md):
 *   1  relation descriptors   key (1, schema text, name text) → TableDesc bytes
 *   2  object-id allocator    key (2, "next_object_id")       → int8 value
 *   >= CATALOG_FIRST_USER_ID  table rows: key (id, pk…) → row value (kv row)
 * Reading a descriptor registers it with the transaction as a SCHEMA_READ
 * key, so a concurrent change of its definition fails the commit with OC001.
 */
#pragma once

#include "common/common.h"
#include "txn/txn.h"
#include "types/types.h"

#define CATALOG_RELATIONS_ID 1u
#define CATALOG_ALLOCATOR_ID 2u
#define CATALOG_FIRST_USER_ID 16384u /* as PostgreSQL's FirstNormalObjectId */
#define CATALOG_MAX_COLUMNS 255      /* DSQL: 255 active columns */

/* ColumnDesc.identity */
#define COLUMN_IDENTITY_ALWAYS 'a'
#define COLUMN_IDENTITY_BY_DEFAULT 'd'

typedef struct ColumnDesc {
    const char *name;
    uint32_t id; /* stable column id: row values are tagged with it */
    uint32_t type;
    int32_t typmod;
    bool not_null;
    const char *default_expr; /* SQL text of DEFAULT, NULL if none */
    char identity;            /* COLUMN_IDENTITY_*, 0 if not an identity column */
} ColumnDesc;

typedef struct CheckDesc {
    const char *name;
    const char *expr; /* SQL text (parse_expr reads it back) */
} CheckDesc;

typedef struct TableDesc {
    uint32_t id;
    const char *schema;
    const char *name;
    size_t n_columns;
    ColumnDesc *columns;
    size_t n_pk;
    uint16_t *pk; /* indexes into columns, in key order; none = hidden row id */
    uint32_t next_column_id;
    size_t n_checks;
    CheckDesc *checks;
} TableDesc;

/* Looks a table up; *found false when absent (no error). */
int catalog_table_lookup(Txn *t, const char *schema, const char *name, MemContext *cx,
                         TableDesc **out, bool *found, DbError *err);
/* Creates the table (assigns desc->id); 42P07 when the name is taken. */
int catalog_table_create(Txn *t, TableDesc *desc, DbError *err);
/* Writes an altered descriptor (same id); a new name moves its key. */
int catalog_table_update(Txn *t, const TableDesc *old, TableDesc *desc, DbError *err);
/* Drops the descriptor.  Rows become unreachable (a new table never reuses
 * an id); reclaiming their space is the job of a later sweeper. */
int catalog_table_drop(Txn *t, const TableDesc *desc, DbError *err);

/* A new object id (tables, sequences): a counter row every creator reads
 * and writes, so concurrent creations conflict instead of sharing an id. */
int catalog_allocate_id(Txn *t, uint32_t *id, DbError *err);

/* Every table, for catalog views and tools. */
int catalog_table_list(Txn *t, MemContext *cx, TableDesc ***out, size_t *n, DbError *err);

/* Serialisation (desc.c), exposed for tests. */
void catalog_desc_encode(const TableDesc *d, StrBuf *out);
int catalog_desc_decode(const uint8_t *p, size_t len, MemContext *cx, TableDesc **out,
                        DbError *err);
/* Index of the column named name, or -1. */
int catalog_column_index(const TableDesc *d, const char *name);
