/*
 * The system views (see views.h): information_schema.{schemata, tables,
 * columns, key_column_usage, views}, pg_catalog.{pg_namespace, pg_class, pg_attribute,
 * pg_tables}, sys.jobs.  Rows are computed from the table descriptors a
 * transaction sees.  Object ids: a table's oid is its table id; the schemas
 * have fixed oids (pg_catalog 11, public 2200, information_schema 13000,
 * sys 13100) as PostgreSQL numbers its own.
 */
#include <stdio.h>
#include <string.h>

#include "catalog/view.h"
#include "catalog/views.h"

#define OID_PG_CATALOG 11
#define OID_PUBLIC 2200
#define OID_INFORMATION_SCHEMA 13000
#define OID_SYS 13100
#define OID_AM_HEAP 2
#define OID_AM_BTREE 403

static Datum text_value(const char *s)
{
    return s ? datum_bytes(TYPE_TEXT, s, strlen(s)) : datum_null(TYPE_TEXT);
}

static Datum name_value(const char *s)
{
    return s ? datum_bytes(TYPE_NAME, s, strlen(s)) : datum_null(TYPE_NAME);
}

/* The schemas every database has, in the order the views list them. */
static const char *const schema_names[] = {"pg_catalog", "public", "information_schema", "sys"};

static uint32_t schema_oid(const char *schema)
{
    if (strcmp(schema, "public") == 0) return OID_PUBLIC;
    if (strcmp(schema, "pg_catalog") == 0) return OID_PG_CATALOG;
    if (strcmp(schema, "information_schema") == 0) return OID_INFORMATION_SCHEMA;
    if (strcmp(schema, "sys") == 0) return OID_SYS;
    /* User schemas arrive with CREATE SCHEMA. */
    return OID_PUBLIC;
}

/* ---- information_schema.schemata ---- */

static const CatalogViewColumn schemata_cols[] = {
    {"catalog_name", TYPE_NAME},
    {"schema_name", TYPE_NAME},
    {"schema_owner", TYPE_NAME},
};

static int scan_schemata(Txn *t, MemContext *cx, CatalogViewRowFn fn, void *arg, DbError *err)
{
    (void)t;
    (void)cx;
    for (size_t i = 0; i < ARRAY_LEN(schema_names); i++) {
        Datum v[3] = {name_value("postgres"), name_value(schema_names[i]), name_value("admin")};
        if (fn(arg, v, err) != 0) return -1;
    }
    return 0;
}

/* ---- information_schema.tables ---- */

static const CatalogViewColumn tables_cols[] = {
    {"table_catalog", TYPE_NAME},
    {"table_schema", TYPE_NAME},
    {"table_name", TYPE_NAME},
    {"table_type", TYPE_TEXT},
    {"self_referencing_column_name", TYPE_NAME},
    {"reference_generation", TYPE_TEXT},
    {"user_defined_type_catalog", TYPE_NAME},
    {"user_defined_type_schema", TYPE_NAME},
    {"user_defined_type_name", TYPE_NAME},
    {"is_insertable_into", TYPE_TEXT},
    {"is_typed", TYPE_TEXT},
    {"commit_action", TYPE_TEXT},
};

static int scan_tables(Txn *t, MemContext *cx, CatalogViewRowFn fn, void *arg, DbError *err)
{
    ViewDesc **vds;
    size_t nv;
    if (catalog_view_list(t, cx, &vds, &nv, err) != 0) return -1;
    for (size_t i = 0; i < nv; i++) {
        Datum v[12] = {
            name_value("postgres"), name_value(vds[i]->schema), name_value(vds[i]->name),
            text_value("VIEW"),     name_value(NULL),           text_value(NULL),
            name_value(NULL),       name_value(NULL),           name_value(NULL),
            text_value("NO"),       text_value("NO"),           text_value(NULL),
        };
        if (fn(arg, v, err) != 0) return -1;
    }
    TableDesc **tables;
    size_t n;
    if (catalog_table_list(t, cx, &tables, &n, err) != 0) return -1;
    for (size_t i = 0; i < n; i++) {
        Datum v[12] = {
            name_value("postgres"),
            name_value(tables[i]->schema),
            name_value(tables[i]->name),
            text_value("BASE TABLE"),
            name_value(NULL),
            text_value(NULL),
            name_value(NULL),
            name_value(NULL),
            name_value(NULL),
            text_value("YES"),
            text_value("NO"),
            text_value(NULL),
        };
        if (fn(arg, v, err) != 0) return -1;
    }
    return 0;
}

/* ---- information_schema.views (views come with CREATE VIEW) ---- */

static const CatalogViewColumn views_cols[] = {
    {"table_catalog", TYPE_NAME},
    {"table_schema", TYPE_NAME},
    {"table_name", TYPE_NAME},
    {"view_definition", TYPE_TEXT},
};

static int scan_views(Txn *t, MemContext *cx, CatalogViewRowFn fn, void *arg, DbError *err)
{
    ViewDesc **vds;
    size_t nv;
    if (catalog_view_list(t, cx, &vds, &nv, err) != 0) return -1;
    for (size_t i = 0; i < nv; i++) {
        Datum v[4] = {name_value("postgres"), name_value(vds[i]->schema), name_value(vds[i]->name),
                      text_value(vds[i]->sql)};
        if (fn(arg, v, err) != 0) return -1;
    }
    return 0;
}

static int scan_nothing(Txn *t, MemContext *cx, CatalogViewRowFn fn, void *arg, DbError *err)
{
    (void)t;
    (void)cx;
    (void)fn;
    (void)arg;
    (void)err;
    return 0;
}

/* ---- information_schema.columns ---- */

static const CatalogViewColumn columns_cols[] = {
    {"table_catalog", TYPE_NAME},
    {"table_schema", TYPE_NAME},
    {"table_name", TYPE_NAME},
    {"column_name", TYPE_NAME},
    {"ordinal_position", TYPE_INT4},
    {"column_default", TYPE_TEXT},
    {"is_nullable", TYPE_TEXT},
    {"data_type", TYPE_TEXT},
    {"character_maximum_length", TYPE_INT4},
    {"numeric_precision", TYPE_INT4},
    {"numeric_scale", TYPE_INT4},
};

/* information_schema's data_type: the SQL standard name (format_type
 * without the modifiers). */
static const char *sql_type_name(uint32_t type, MemContext *cx)
{
    return type_format_name(type, -1, cx);
}

static int scan_columns(Txn *t, MemContext *cx, CatalogViewRowFn fn, void *arg, DbError *err)
{
    TableDesc **tables;
    size_t n;
    if (catalog_table_list(t, cx, &tables, &n, err) != 0) return -1;
    for (size_t i = 0; i < n; i++) {
        for (size_t c = 0; c < tables[i]->n_columns; c++) {
            const ColumnDesc *col = &tables[i]->columns[c];
            int32_t len = type_typmod_char_length(col->typmod);
            Datum prec = datum_null(TYPE_INT4), scale = datum_null(TYPE_INT4);
            if (col->type == TYPE_NUMERIC && col->typmod >= 4) {
                prec = datum_int(TYPE_INT4, ((col->typmod - 4) >> 16) & 0xffff);
                scale = datum_int(TYPE_INT4, (int16_t)((col->typmod - 4) & 0xffff));
            } else if (col->type == TYPE_INT2) {
                prec = datum_int(TYPE_INT4, 16);
                scale = datum_int(TYPE_INT4, 0);
            } else if (col->type == TYPE_INT4) {
                prec = datum_int(TYPE_INT4, 32);
                scale = datum_int(TYPE_INT4, 0);
            } else if (col->type == TYPE_INT8) {
                prec = datum_int(TYPE_INT4, 64);
                scale = datum_int(TYPE_INT4, 0);
            }
            Datum v[11] = {
                name_value("postgres"),
                name_value(tables[i]->schema),
                name_value(tables[i]->name),
                name_value(col->name),
                datum_int(TYPE_INT4, (int64_t)c + 1),
                text_value(col->default_expr),
                text_value(col->not_null ? "NO" : "YES"),
                text_value(sql_type_name(col->type, cx)),
                len >= 0 ? datum_int(TYPE_INT4, len) : datum_null(TYPE_INT4),
                prec,
                scale,
            };
            if (fn(arg, v, err) != 0) return -1;
        }
    }
    return 0;
}

/* ---- information_schema.key_column_usage ----
 * Tables have no UNIQUE or FOREIGN KEY constraints yet, so the rows are the
 * primary keys' columns.  The constraint keeps PostgreSQL's default name
 * <table>_pkey: a name given in CREATE TABLE is not stored yet. */

static const CatalogViewColumn key_column_usage_cols[] = {
    {"constraint_catalog", TYPE_NAME},
    {"constraint_schema", TYPE_NAME},
    {"constraint_name", TYPE_NAME},
    {"table_catalog", TYPE_NAME},
    {"table_schema", TYPE_NAME},
    {"table_name", TYPE_NAME},
    {"column_name", TYPE_NAME},
    {"ordinal_position", TYPE_INT4},
    {"position_in_unique_constraint", TYPE_INT4},
};

static int scan_key_column_usage(Txn *t, MemContext *cx, CatalogViewRowFn fn, void *arg,
                                 DbError *err)
{
    TableDesc **tables;
    size_t n;
    if (catalog_table_list(t, cx, &tables, &n, err) != 0) return -1;
    for (size_t i = 0; i < n; i++) {
        const TableDesc *d = tables[i];
        const char *constraint = mem_sprintf(cx, "%s_pkey", d->name);
        for (size_t k = 0; k < d->n_pk; k++) {
            Datum v[9] = {
                name_value("postgres"),
                name_value(d->schema),
                name_value(constraint),
                name_value("postgres"),
                name_value(d->schema),
                name_value(d->name),
                name_value(d->columns[d->pk[k]].name),
                datum_int(TYPE_INT4, (int64_t)k + 1),
                datum_null(TYPE_INT4),
            };
            if (fn(arg, v, err) != 0) return -1;
        }
    }
    return 0;
}

/* ---- pg_catalog.pg_namespace ---- */

static const CatalogViewColumn namespace_cols[] = {
    {"oid", TYPE_OID},
    {"nspname", TYPE_NAME},
    {"nspowner", TYPE_OID},
};

static int scan_namespace(Txn *t, MemContext *cx, CatalogViewRowFn fn, void *arg, DbError *err)
{
    (void)t;
    (void)cx;
    for (size_t i = 0; i < ARRAY_LEN(schema_names); i++) {
        Datum v[3] = {datum_int(TYPE_OID, schema_oid(schema_names[i])), name_value(schema_names[i]),
                      datum_int(TYPE_OID, 10)};
        if (fn(arg, v, err) != 0) return -1;
    }
    return 0;
}

/* ---- pg_catalog.pg_class ---- */

static const CatalogViewColumn class_cols[] = {
    {"oid", TYPE_OID},
    {"relname", TYPE_NAME},
    {"relnamespace", TYPE_OID},
    {"relkind", TYPE_CHAR},
    {"relnatts", TYPE_INT2},
    {"relhasindex", TYPE_BOOL},
    {"relpersistence", TYPE_CHAR},
    {"relowner", TYPE_OID},
    {"relam", TYPE_OID},
};

static Datum char_value(const char *c)
{
    return datum_bytes(TYPE_CHAR, c, 1);
}

static int scan_class(Txn *t, MemContext *cx, CatalogViewRowFn fn, void *arg, DbError *err)
{
    TableDesc **tables;
    size_t n;
    if (catalog_table_list(t, cx, &tables, &n, err) != 0) return -1;
    for (size_t i = 0; i < n; i++) {
        Datum has_index = {.type = TYPE_BOOL, .v.b = tables[i]->n_pk > 0};
        Datum v[9] = {
            datum_int(TYPE_OID, tables[i]->id),
            name_value(tables[i]->name),
            datum_int(TYPE_OID, schema_oid(tables[i]->schema)),
            char_value("r"),
            datum_int(TYPE_INT2, (int64_t)tables[i]->n_columns),
            has_index,
            char_value("p"),
            datum_int(TYPE_OID, 10),
            datum_int(TYPE_OID, OID_AM_HEAP),
        };
        if (fn(arg, v, err) != 0) return -1;
    }
    return 0;
}

/* ---- pg_catalog.pg_attribute ---- */

static const CatalogViewColumn attribute_cols[] = {
    {"attrelid", TYPE_OID},      {"attname", TYPE_NAME},   {"atttypid", TYPE_OID},
    {"attnum", TYPE_INT2},       {"atttypmod", TYPE_INT4}, {"attnotnull", TYPE_BOOL},
    {"attisdropped", TYPE_BOOL},
};

static int scan_attribute(Txn *t, MemContext *cx, CatalogViewRowFn fn, void *arg, DbError *err)
{
    TableDesc **tables;
    size_t n;
    if (catalog_table_list(t, cx, &tables, &n, err) != 0) return -1;
    for (size_t i = 0; i < n; i++) {
        for (size_t c = 0; c < tables[i]->n_columns; c++) {
            const ColumnDesc *col = &tables[i]->columns[c];
            Datum v[7] = {
                datum_int(TYPE_OID, tables[i]->id),
                name_value(col->name),
                datum_int(TYPE_OID, col->type),
                datum_int(TYPE_INT2, (int64_t)c + 1),
                datum_int(TYPE_INT4, col->typmod),
                (Datum){.type = TYPE_BOOL, .v.b = col->not_null},
                (Datum){.type = TYPE_BOOL, .v.b = false},
            };
            if (fn(arg, v, err) != 0) return -1;
        }
    }
    return 0;
}

/* ---- pg_catalog.pg_type ---- */

static const CatalogViewColumn type_cols[] = {
    {"oid", TYPE_OID},        {"typname", TYPE_NAME},     {"typnamespace", TYPE_OID},
    {"typowner", TYPE_OID},   {"typlen", TYPE_INT2},      {"typbyval", TYPE_BOOL},
    {"typtype", TYPE_CHAR},   {"typcategory", TYPE_CHAR}, {"typispreferred", TYPE_BOOL},
    {"typdelim", TYPE_CHAR},  {"typrelid", TYPE_OID},     {"typelem", TYPE_OID},
    {"typarray", TYPE_OID},   {"typnotnull", TYPE_BOOL},  {"typbasetype", TYPE_OID},
    {"typtypmod", TYPE_INT4},
};

#define TYPE_OID_SCAN_MAX 5000 /* the built-in types' oids are below this */

static int type_row(CatalogViewRowFn fn, void *arg, uint32_t oid, const char *name, int16_t len,
                    bool byval, const char *category, bool preferred, uint32_t elem, uint32_t array,
                    DbError *err)
{
    Datum f = {.type = TYPE_BOOL, .v.b = false};
    Datum v[16] = {
        datum_int(TYPE_OID, oid),
        name_value(name),
        datum_int(TYPE_OID, OID_PG_CATALOG),
        datum_int(TYPE_OID, 10),
        datum_int(TYPE_INT2, len),
        (Datum){.type = TYPE_BOOL, .v.b = byval},
        char_value("b"),
        char_value(category),
        (Datum){.type = TYPE_BOOL, .v.b = preferred},
        char_value(","),
        datum_int(TYPE_OID, 0),
        datum_int(TYPE_OID, elem),
        datum_int(TYPE_OID, array),
        f,
        datum_int(TYPE_OID, 0),
        datum_int(TYPE_INT4, -1),
    };
    return fn(arg, v, err);
}

static int scan_type(Txn *t, MemContext *cx, CatalogViewRowFn fn, void *arg, DbError *err)
{
    (void)t;
    /* Every type the engine knows, and the array type of each. */
    for (uint32_t oid = 1; oid < TYPE_OID_SCAN_MAX; oid++) {
        const TypeInfo *ti = type_info(oid);
        if (!ti) continue;
        /* View rows outlive this loop: the category byte lives in cx. */
        char *cat = mem_strndup(cx, &ti->category, 1);
        if (type_row(fn, arg, oid, ti->name, ti->typlen, ti->byval, cat, ti->preferred, 0,
                     ti->array_oid, err) != 0)
            return -1;
        if (ti->array_oid && !type_info(ti->array_oid) &&
            type_row(fn, arg, ti->array_oid, mem_sprintf(cx, "_%s", ti->name), -1, false, "A",
                     false, oid, 0, err) != 0)
            return -1;
    }
    return 0;
}

/* ---- pg_catalog.pg_am ---- */

static const CatalogViewColumn am_cols[] = {
    {"oid", TYPE_OID},
    {"amname", TYPE_NAME},
    {"amtype", TYPE_CHAR},
};

static int scan_am(Txn *t, MemContext *cx, CatalogViewRowFn fn, void *arg, DbError *err)
{
    (void)t;
    (void)cx;
    Datum heap[3] = {datum_int(TYPE_OID, OID_AM_HEAP), name_value("heap"), char_value("t")};
    Datum btree[3] = {datum_int(TYPE_OID, OID_AM_BTREE), name_value("btree"), char_value("i")};
    if (fn(arg, heap, err) != 0) return -1;
    return fn(arg, btree, err);
}

/* ---- pg_catalog.pg_tables ---- */

static const CatalogViewColumn pg_tables_cols[] = {
    {"schemaname", TYPE_NAME},  {"tablename", TYPE_NAME},   {"tableowner", TYPE_NAME},
    {"tablespace", TYPE_NAME},  {"hasindexes", TYPE_BOOL},  {"hasrules", TYPE_BOOL},
    {"hastriggers", TYPE_BOOL}, {"rowsecurity", TYPE_BOOL},
};

static int scan_pg_tables(Txn *t, MemContext *cx, CatalogViewRowFn fn, void *arg, DbError *err)
{
    TableDesc **tables;
    size_t n;
    if (catalog_table_list(t, cx, &tables, &n, err) != 0) return -1;
    for (size_t i = 0; i < n; i++) {
        Datum f = {.type = TYPE_BOOL, .v.b = false};
        Datum has_index = {.type = TYPE_BOOL, .v.b = tables[i]->n_pk > 0};
        Datum v[8] = {name_value(tables[i]->schema),
                      name_value(tables[i]->name),
                      name_value("admin"),
                      name_value(NULL),
                      has_index,
                      f,
                      f,
                      f};
        if (fn(arg, v, err) != 0) return -1;
    }
    return 0;
}

/* ---- sys.jobs (asynchronous jobs arrive with CREATE INDEX ASYNC) ---- */

static const CatalogViewColumn jobs_cols[] = {
    {"job_id", TYPE_TEXT},
    {"status", TYPE_TEXT},
    {"details", TYPE_TEXT},
    {"job_type", TYPE_TEXT},
    {"class_id", TYPE_OID},
    {"object_id", TYPE_OID},
    {"object_name", TYPE_TEXT},
    {"start_time", TYPE_TIMESTAMPTZ},
    {"update_time", TYPE_TIMESTAMPTZ},
};

#define VIEW(schema, name, cols, scan)                                                             \
    {                                                                                              \
        schema, name, ARRAY_LEN(cols), cols, scan                                                  \
    }

static const CatalogView views[] = {
    VIEW("information_schema", "schemata", schemata_cols, scan_schemata),
    VIEW("information_schema", "tables", tables_cols, scan_tables),
    VIEW("information_schema", "views", views_cols, scan_views),
    VIEW("information_schema", "columns", columns_cols, scan_columns),
    VIEW("information_schema", "key_column_usage", key_column_usage_cols, scan_key_column_usage),
    VIEW("pg_catalog", "pg_namespace", namespace_cols, scan_namespace),
    VIEW("pg_catalog", "pg_class", class_cols, scan_class),
    VIEW("pg_catalog", "pg_attribute", attribute_cols, scan_attribute),
    VIEW("pg_catalog", "pg_tables", pg_tables_cols, scan_pg_tables),
    VIEW("pg_catalog", "pg_am", am_cols, scan_am),
    VIEW("pg_catalog", "pg_type", type_cols, scan_type),
    VIEW("sys", "jobs", jobs_cols, scan_nothing),
};

bool catalog_schema_is_system(const char *schema)
{
    return strcmp(schema, "pg_catalog") == 0 || strcmp(schema, "information_schema") == 0 ||
           strcmp(schema, "sys") == 0;
}

const CatalogView *catalog_view_find(const char *schema, const char *name)
{
    for (size_t i = 0; i < ARRAY_LEN(views); i++) {
        if (strcmp(views[i].name, name) != 0) continue;
        if (schema ? strcmp(views[i].schema, schema) == 0
                   : strcmp(views[i].schema, "pg_catalog") == 0)
            return &views[i];
    }
    return NULL;
}
