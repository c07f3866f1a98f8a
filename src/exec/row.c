/*
 * Table rows ↔ keys and values.  A row is the array of all its column
 * values in column order.  Key: (table id, primary key columns in key
 * order), or (table id, random 16-byte row id) for a table without a
 * primary key.  Value: every non-key column as a kv row (tagged by column
 * id; NULLs absent); a table without a primary key stores every column.
 */
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "exec/exec.h"
#include "kv/kv.h"

/* Bounds a statement's memory so a runaway query fails, not the node
 * (DSQL's 53200; Borealis's rows take more room than PostgreSQL's, hence a
 * larger bound than DSQL's 128 MiB).  Checked every 1024 rows produced. */
int exec_memory_check(ExecContext *ec, uint64_t *seen, DbError *err)
{
    if ((++*seen & 1023) == 0 && mem_context_total_bytes(ec->cx) > LIMIT_QUERY_MEMORY_BYTES)
        return db_error_set(err, SQLSTATE_OUT_OF_MEMORY,
                            "query requires too much temp space, out of memory.");
    return 0;
}

#define EXEC_KEY_MAX_BYTES 1024              /* DSQL: primary key ≤ 1 KiB */
#define EXEC_ROW_MAX_BYTES (2 * 1024 * 1024) /* DSQL: row ≤ 2 MiB */

static bool column_in_pk(const TableDesc *t, size_t c)
{
    for (size_t i = 0; i < t->n_pk; i++)
        if (t->pk[i] == c) return true;
    return false;
}

int exec_row_key(const TableDesc *t, const Datum *row, StrBuf *key, DbError *err)
{
    strbuf_reset(key);
    kv_key_begin(key, t->id);
    if (t->n_pk == 0) {
        Datum id = {.type = TYPE_UUID, .is_null = false};
        if (getrandom(id.v.uuid, sizeof id.v.uuid, 0) != (ssize_t)sizeof id.v.uuid)
            return db_error_set(err, SQLSTATE_SYSTEM_ERROR, "could not generate a row id");
        return kv_key_append(key, &id, KV_NULLS_LAST, err);
    }
    for (size_t i = 0; i < t->n_pk; i++)
        if (kv_key_append(key, &row[t->pk[i]], KV_NULLS_LAST, err) != 0) return -1;
    if (key->len > EXEC_KEY_MAX_BYTES)
        return db_error_set(err, SQLSTATE_PROGRAM_LIMIT_EXCEEDED, "key size too large");
    return 0;
}

int exec_row_decode(ExecContext *ec, const TableDesc *t, const uint8_t *key, size_t key_len,
                    const uint8_t *value, size_t value_len, Datum *row, DbError *err)
{
    uint32_t *ids = mem_alloc(ec->cx, sizeof(uint32_t) * (t->n_columns + 1));
    uint32_t *types = mem_alloc(ec->cx, sizeof(uint32_t) * (t->n_columns + 1));
    size_t *where = mem_alloc(ec->cx, sizeof(size_t) * (t->n_columns + 1));
    size_t n = 0;
    for (size_t c = 0; c < t->n_columns; c++) {
        row[c] = datum_null(t->columns[c].type);
        if (t->n_pk && column_in_pk(t, c)) continue;
        ids[n] = t->columns[c].id;
        types[n] = t->columns[c].type;
        where[n++] = c;
    }
    Datum *vals = mem_alloc0(ec->cx, sizeof(Datum) * (n + 1));
    if (kv_row_fetch(value, value_len, n, ids, types, ec->cx, vals, err) != 0) return -1;
    for (size_t i = 0; i < n; i++)
        row[where[i]] = vals[i];
    if (t->n_pk) {
        KvKeyReader r;
        kv_key_reader_init(&r, key, key_len);
        uint32_t object;
        if (kv_key_read_object(&r, &object, err) != 0) return -1;
        for (size_t i = 0; i < t->n_pk; i++) {
            const ColumnDesc *col = &t->columns[t->pk[i]];
            if (kv_key_read(&r, col->type, KV_NULLS_LAST, ec->cx, &row[t->pk[i]], err) != 0)
                return -1;
            /* Keys lose the declared display form of some types (numeric
             * scale); the typmod restores it where it matters. */
            if (col->typmod >= 0 && col->type == TYPE_NUMERIC &&
                type_coerce(&row[t->pk[i]], col->type, col->typmod, false, ec->cx, &row[t->pk[i]],
                            err) != 0)
                return -1;
        }
    }
    return 0;
}

static void row_text(ExecContext *ec, const TableDesc *t, const Datum *row, const uint16_t *cols,
                     size_t n, StrBuf *out)
{
    (void)ec;
    for (size_t i = 0; i < n; i++) {
        size_t c = cols ? cols[i] : i;
        if (i) strbuf_append_str(out, ", ");
        if (row[c].is_null)
            strbuf_append_str(out, "null");
        else
            type_output(&row[c], out);
    }
    (void)t;
}

static void set_table_fields(DbError *err, const TableDesc *t)
{
    snprintf(err->schema_name, sizeof err->schema_name, "%s", t->schema);
    snprintf(err->table_name, sizeof err->table_name, "%s", t->name);
}

/* CHECK constraints: false fails the row; NULL passes, as in SQL. */
static int check_constraints(ExecContext *ec, const TableDesc *t, const Datum *row,
                             Expr *const *checks, DbError *err)
{
    if (!checks) return 0;
    for (size_t i = 0; i < t->n_checks; i++) {
        Datum v;
        if (exec_eval(ec, checks[i], row, &v, err) != 0) return -1;
        if (v.is_null || v.v.b) continue;
        db_error_set(err, SQLSTATE_CHECK_VIOLATION,
                     "new row for relation \"%s\" violates check constraint \"%s\"", t->name,
                     t->checks[i].name);
        StrBuf d;
        strbuf_init(&d);
        row_text(ec, t, row, NULL, t->n_columns, &d);
        db_error_detail(err, "Failing row contains (%s).", d.data ? d.data : "");
        strbuf_fini(&d);
        set_table_fields(err, t);
        snprintf(err->constraint_name, sizeof err->constraint_name, "%s", t->checks[i].name);
        return -1;
    }
    return 0;
}

/* NOT NULL and CHECK: the row's own constraints. */
static int check_row(ExecContext *ec, const TableDesc *t, const Datum *row, Expr *const *checks,
                     DbError *err)
{
    for (size_t c = 0; c < t->n_columns; c++) {
        if (!t->columns[c].not_null || !row[c].is_null) continue;
        db_error_set(err, SQLSTATE_NOT_NULL_VIOLATION,
                     "null value in column \"%s\" of relation \"%s\" violates not-null constraint",
                     t->columns[c].name, t->name);
        StrBuf d;
        strbuf_init(&d);
        row_text(ec, t, row, NULL, t->n_columns, &d);
        db_error_detail(err, "Failing row contains (%s).", d.data ? d.data : "");
        strbuf_fini(&d);
        set_table_fields(err, t);
        snprintf(err->column_name, sizeof err->column_name, "%s", t->columns[c].name);
        return -1;
    }
    return check_constraints(ec, t, row, checks, err);
}

int exec_row_write_at(ExecContext *ec, const TableDesc *t, const Datum *row, const void *key,
                      size_t key_len, JournalConflictKind kind, Expr *const *checks, DbError *err)
{
    if (check_row(ec, t, row, checks, err) != 0) return -1;
    uint32_t *ids = mem_alloc(ec->cx, sizeof(uint32_t) * (t->n_columns + 1));
    Datum *vals = mem_alloc(ec->cx, sizeof(Datum) * (t->n_columns + 1));
    size_t n = 0;
    for (size_t c = 0; c < t->n_columns; c++) {
        if (t->n_pk && column_in_pk(t, c)) continue;
        ids[n] = t->columns[c].id;
        vals[n++] = row[c];
    }
    StrBuf val;
    strbuf_init(&val);
    int rc = kv_row_encode(&val, ids, vals, n, err);
    if (rc == 0 && val.len > EXEC_ROW_MAX_BYTES)
        rc = db_error_set(err, SQLSTATE_PROGRAM_LIMIT_EXCEEDED, "maximum row size exceeded");
    if (rc == 0) rc = txn_put(ec->txn, key, key_len, val.data, val.len, kind, true, err);
    strbuf_fini(&val);
    return rc;
}

static int duplicate_key_error(ExecContext *ec, const TableDesc *t, const Datum *row, DbError *err)
{
    db_error_set(err, SQLSTATE_UNIQUE_VIOLATION,
                 "duplicate key value violates unique constraint \"%s_pkey\"", t->name);
    StrBuf names, vals;
    strbuf_init(&names);
    strbuf_init(&vals);
    for (size_t i = 0; i < t->n_pk; i++)
        strbuf_appendf(&names, "%s%s", i ? ", " : "", t->columns[t->pk[i]].name);
    row_text(ec, t, row, t->pk, t->n_pk, &vals);
    db_error_detail(err, "Key (%s)=(%s) already exists.", names.data, vals.data);
    set_table_fields(err, t);
    snprintf(err->constraint_name, sizeof err->constraint_name, "%s_pkey", t->name);
    strbuf_fini(&names);
    strbuf_fini(&vals);
    return -1;
}

int exec_row_write(ExecContext *ec, const TableDesc *t, const Datum *row, bool insert,
                   bool key_columns_changed, Expr *const *checks, DbError *err)
{
    /* Constraints first, so a row that fails them reports that, not a key
     * problem (as PostgreSQL checks NOT NULL before uniqueness). */
    if (check_row(ec, t, row, checks, err) != 0) return -1;
    StrBuf key;
    strbuf_init(&key);
    int rc = exec_row_key(t, row, &key, err);
    if (rc == 0 && insert && t->n_pk) {
        bool found;
        StrBuf existing;
        strbuf_init(&existing);
        rc = txn_get(ec->txn, key.data, key.len, &existing, &found, err);
        strbuf_fini(&existing);
        if (rc == 0 && found) rc = duplicate_key_error(ec, t, row, err);
    }
    if (rc == 0)
        rc = exec_row_write_at(ec, t, row, key.data, key.len,
                               insert || key_columns_changed ? JOURNAL_KIND_KEY_WRITE
                                                             : JOURNAL_KIND_NONKEY_WRITE,
                               NULL, err);
    strbuf_fini(&key);
    return rc;
}

int exec_table_scan(ExecContext *ec, const TableDesc *t, ExecRowFn fn, void *arg, DbError *err)
{
    StrBuf lo, hi;
    strbuf_init(&lo);
    strbuf_init(&hi);
    kv_key_begin(&lo, t->id);
    kv_key_object_end(&hi, t->id);
    TxnIter *it = txn_iter_create(ec->txn, lo.data, lo.len, hi.data, hi.len);
    int rc;
    uint64_t seen = 0;
    while ((rc = txn_iter_next(it, err)) == 1) {
        if (exec_memory_check(ec, &seen, err) != 0) {
            rc = -1;
            break;
        }
        size_t kl, vl;
        const uint8_t *k = txn_iter_key(it, &kl);
        const uint8_t *v = txn_iter_value(it, &vl);
        Datum *row = mem_alloc(ec->cx, sizeof(Datum) * (t->n_columns + 1));
        if (exec_row_decode(ec, t, k, kl, v, vl, row, err) != 0) {
            rc = -1;
            break;
        }
        int f = fn(arg, k, kl, row, err);
        if (f < 0) {
            rc = -1;
            break;
        }
        if (f > 0) {
            rc = 0;
            break;
        }
    }
    txn_iter_destroy(it);
    strbuf_fini(&lo);
    strbuf_fini(&hi);
    return rc < 0 ? -1 : 0;
}
