/*
 * exec_query: runs a Query.  SELECT is a pipeline over the input rows of its
 * one FROM item (or a single empty row):
 *
 *   rows → WHERE → { aggregates → one row | project } → ORDER BY → OFFSET/LIMIT → sink
 *
 * INSERT evaluates its VALUES rows (or runs its SELECT) and writes; UPDATE
 * and DELETE first collect the matching rows, then write, so a statement
 * never sees its own changes while scanning.  This file grows into plan/
 * and operators as the query engine work lands.
 */
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "exec/exec.h"
#include "kv/kv.h"

/* ---- input rows ---- */

typedef int (*InputFn)(void *arg, Datum *row, const uint8_t *key, size_t key_len, DbError *err);

typedef struct ScanAdapter {
    InputFn fn;
    void *arg;
} ScanAdapter;

static int scan_adapter(void *arg, const uint8_t *key, size_t key_len, Datum *row, DbError *err)
{
    ScanAdapter *sa = arg;
    return sa->fn(sa->arg, row, key, key_len, err);
}

static int exec_series(ExecContext *ec, const RangeEntry *r, InputFn fn, void *arg, DbError *err)
{
    Datum b[3];
    for (int i = 0; i < 3; i++) {
        if (!r->series[i]) {
            b[i] = datum_int(r->column_types[0], 1);
            if (r->column_types[0] == TYPE_NUMERIC) b[i] = type_numeric_from_int(1, ec->cx);
            continue;
        }
        if (exec_eval(ec, r->series[i], NULL, &b[i], err) != 0) return -1;
        if (b[i].is_null) return 0;
    }
    Datum zero = datum_int(TYPE_INT4, 0);
    int step_sign;
    if (type_compare(&b[2], &zero, &step_sign, err) != 0) return -1;
    if (step_sign == 0)
        return db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "step size cannot equal zero");
    Datum cur = b[0];
    for (;;) {
        int c;
        if (type_compare(&cur, &b[1], &c, err) != 0) return -1;
        if ((step_sign > 0 && c > 0) || (step_sign < 0 && c < 0)) return 0;
        Datum *row = mem_alloc(ec->cx, sizeof(Datum));
        row[0] = cur;
        int f = fn(arg, row, NULL, 0, err);
        if (f != 0) return f < 0 ? -1 : 0;
        DbError overflow;
        /* The next value overflowing ends the series, as in PostgreSQL. */
        Datum next;
        if (type_arith('+', &cur, &b[2], ec->cx, &next, &overflow) != 0) return 0;
        cur = next;
    }
}

static int exec_input(ExecContext *ec, const RangeEntry *r, InputFn fn, void *arg, DbError *err)
{
    if (!r) {
        int f = fn(arg, NULL, NULL, 0, err);
        return f < 0 ? -1 : 0;
    }
    if (r->kind == RANGE_GENERATE_SERIES) return exec_series(ec, r, fn, arg, err);
    ScanAdapter sa = {fn, arg};
    return exec_table_scan(ec, r->table, scan_adapter, &sa, err);
}

static int exec_where(ExecContext *ec, const Expr *where, const Datum *row, bool *pass,
                      DbError *err)
{
    *pass = true;
    if (!where) return 0;
    Datum v;
    if (exec_eval(ec, where, row, &v, err) != 0) return -1;
    *pass = !v.is_null && v.v.b;
    return 0;
}

/* ---- SELECT ---- */

typedef struct OutRow {
    Datum *values; /* n_targets output values, then n_sort sort values */
} OutRow;

typedef struct SelectState {
    ExecContext *ec;
    const Query *q;
    OutRow *rows;
    size_t n_rows, cap_rows;
    /* aggregates */
    Datum *agg;
    int64_t *agg_count;
} SelectState;

static int select_keep(SelectState *st, const Datum *row, DbError *err)
{
    const Query *q = st->q;
    size_t n = q->n_targets + q->n_sort;
    OutRow r = {mem_alloc(st->ec->cx, sizeof(Datum) * (n + 1))};
    for (size_t i = 0; i < q->n_targets; i++)
        if (exec_eval(st->ec, q->targets[i].expr, row, &r.values[i], err) != 0) return -1;
    for (size_t i = 0; i < q->n_sort; i++)
        if (exec_eval(st->ec, q->sort[i].expr, row, &r.values[q->n_targets + i], err) != 0)
            return -1;
    if (st->n_rows == st->cap_rows) {
        size_t cap = st->cap_rows ? st->cap_rows * 2 : 64;
        st->rows =
            mem_realloc(st->ec->cx, st->rows, sizeof(OutRow) * st->cap_rows, sizeof(OutRow) * cap);
        st->cap_rows = cap;
    }
    st->rows[st->n_rows++] = r;
    return 0;
}

static int agg_step(SelectState *st, const Datum *row, DbError *err)
{
    ExecContext *ec = st->ec;
    for (size_t i = 0; i < st->q->n_aggs; i++) {
        const AggDesc *a = &st->q->aggs[i];
        if (a->kind == AGG_COUNT_STAR) {
            st->agg_count[i]++;
            continue;
        }
        Datum v;
        if (exec_eval(ec, a->arg, row, &v, err) != 0) return -1;
        if (v.is_null) continue;
        st->agg_count[i]++;
        switch (a->kind) {
        case AGG_COUNT:
        case AGG_COUNT_STAR:
            break;
        case AGG_MIN:
        case AGG_MAX: {
            if (st->agg[i].is_null) {
                st->agg[i] = v;
                break;
            }
            int c;
            if (type_compare(&v, &st->agg[i], &c, err) != 0) return -1;
            if ((a->kind == AGG_MIN && c < 0) || (a->kind == AGG_MAX && c > 0)) st->agg[i] = v;
            break;
        }
        case AGG_SUM:
        case AGG_AVG: {
            uint32_t acc = a->kind == AGG_AVG && a->type == TYPE_NUMERIC ? TYPE_NUMERIC : a->type;
            Datum cv;
            if (type_coerce(&v, acc, -1, false, ec->cx, &cv, err) != 0) return -1;
            if (st->agg[i].is_null) {
                st->agg[i] = cv;
            } else {
                Datum sum;
                if (type_arith('+', &st->agg[i], &cv, ec->cx, &sum, err) != 0) return -1;
                st->agg[i] = sum;
            }
            break;
        }
        }
    }
    return 0;
}

static int select_row(void *arg, Datum *row, const uint8_t *key, size_t key_len, DbError *err)
{
    SelectState *st = arg;
    bool pass;
    if (exec_where(st->ec, st->q->where, row, &pass, err) != 0) return -1;
    if (!pass) return 0;
    /* FOR UPDATE / FOR KEY SHARE: no lock, the row joins the set the
     * adjudicator checks at commit (and counts against the row limit). */
    if (st->q->lock != ROW_LOCK_NONE && key &&
        txn_check_key(st->ec->txn, key, key_len,
                      st->q->lock == ROW_LOCK_UPDATE ? JOURNAL_KIND_KEY_WRITE
                                                     : JOURNAL_KIND_KEY_SHARE,
                      true, err) != 0)
        return -1;
    if (st->q->n_aggs) return agg_step(st, row, err);
    return select_keep(st, row, err);
}

static int agg_finish(SelectState *st, DbError *err)
{
    const Query *q = st->q;
    Datum *vals = mem_alloc(st->ec->cx, sizeof(Datum) * (q->n_aggs + 1));
    for (size_t i = 0; i < q->n_aggs; i++) {
        const AggDesc *a = &q->aggs[i];
        if (a->kind == AGG_COUNT || a->kind == AGG_COUNT_STAR) {
            vals[i] = datum_int(TYPE_INT8, st->agg_count[i]);
        } else if (a->kind == AGG_AVG && !st->agg[i].is_null) {
            Datum n = a->type == TYPE_NUMERIC
                          ? type_numeric_from_int(st->agg_count[i], st->ec->cx)
                          : (Datum){.type = TYPE_FLOAT8, .v.f = (double)st->agg_count[i]};
            if (type_arith('/', &st->agg[i], &n, st->ec->cx, &vals[i], err) != 0) return -1;
        } else {
            vals[i] = st->agg[i];
        }
    }
    st->ec->agg_values = vals;
    int rc = select_keep(st, NULL, err);
    st->ec->agg_values = NULL;
    return rc;
}

static const SelectState *sort_state;

static int sort_cmp(const void *pa, const void *pb)
{
    const OutRow *a = pa, *b = pb;
    const Query *q = sort_state->q;
    for (size_t i = 0; i < q->n_sort; i++) {
        const Datum *x = &a->values[q->n_targets + i], *y = &b->values[q->n_targets + i];
        int c;
        if (x->is_null || y->is_null) {
            if (x->is_null && y->is_null) continue;
            c = x->is_null ? 1 : -1; /* NULLs are larger ... */
            if (q->sort[i].nulls_first) c = -c;
            return c; /* ... and their place does not flip with DESC */
        }
        DbError ignored;
        if (type_compare(x, y, &c, &ignored) != 0) c = 0;
        if (c) return q->sort[i].desc ? -c : c;
    }
    return 0;
}

static int eval_limit(ExecContext *ec, const Expr *e, int64_t *out, const char *what, DbError *err)
{
    *out = -1;
    if (!e) return 0;
    Datum v;
    if (exec_eval(ec, e, NULL, &v, err) != 0) return -1;
    if (v.is_null) return 0;
    if (v.v.i < 0)
        return db_error_set(err,
                            what[0] == 'L' ? SQLSTATE_INVALID_ROW_COUNT_IN_LIMIT_CLAUSE
                                           : SQLSTATE_INVALID_ROW_COUNT_IN_RESULT_OFFSET_CLAUSE,
                            "%s must not be negative", what);
    *out = v.v.i;
    return 0;
}

static int exec_select_rows(ExecContext *ec, const Query *q, SelectState *st, DbError *err)
{
    memset(st, 0, sizeof *st);
    st->ec = ec;
    st->q = q;
    if (q->n_aggs) {
        st->agg = mem_alloc(ec->cx, sizeof(Datum) * q->n_aggs);
        st->agg_count = mem_alloc0(ec->cx, sizeof(int64_t) * q->n_aggs);
        for (size_t i = 0; i < q->n_aggs; i++)
            st->agg[i] = datum_null(q->aggs[i].type);
    }
    if (exec_input(ec, q->range, select_row, st, err) != 0) return -1;
    if (q->n_aggs && agg_finish(st, err) != 0) return -1;
    if (q->n_sort && st->n_rows > 1) {
        sort_state = st;
        /* qsort is not stable; equal keys keep no particular order, as in
         * PostgreSQL. */
        qsort(st->rows, st->n_rows, sizeof(OutRow), sort_cmp);
        sort_state = NULL;
    }
    return 0;
}

static int exec_select(ExecContext *ec, const Query *q, ResultSink *sink, uint64_t *rows,
                       DbError *err)
{
    int64_t limit, offset;
    if (eval_limit(ec, q->limit, &limit, "LIMIT", err) != 0) return -1;
    if (eval_limit(ec, q->offset, &offset, "OFFSET", err) != 0) return -1;
    SelectState st;
    if (exec_select_rows(ec, q, &st, err) != 0) return -1;
    if (sink->columns(sink->arg, q->targets, q->n_targets, err) != 0) return -1;
    size_t first = offset > 0 ? (size_t)offset : 0;
    for (size_t i = first; i < st.n_rows; i++) {
        if (limit >= 0 && (int64_t)(i - first) >= limit) break;
        if (sink->row(sink->arg, st.rows[i].values, q->n_targets, err) != 0) return -1;
        (*rows)++;
    }
    return 0;
}

/* ---- INSERT / UPDATE / DELETE ---- */

static int exec_insert(ExecContext *ec, const Query *q, uint64_t *rows, DbError *err)
{
    const TableDesc *t = q->target;
    Datum *row = mem_alloc(ec->cx, sizeof(Datum) * (t->n_columns + 1));
    size_t n_src = q->source ? 0 : q->n_rows;
    SelectState st;
    if (q->source) {
        if (exec_select_rows(ec, q->source, &st, err) != 0) return -1;
        n_src = st.n_rows;
    }
    for (size_t r = 0; r < n_src; r++) {
        for (size_t c = 0; c < t->n_columns; c++)
            row[c] = datum_null(t->columns[c].type);
        for (size_t i = 0; i < q->n_insert_cols; i++) {
            Datum v;
            if (q->source) {
                v = st.rows[r].values[i];
            } else if (exec_eval(ec, q->rows[r][i], NULL, &v, err) != 0) {
                return -1;
            }
            row[q->insert_cols[i]] = v;
        }
        if (exec_row_write(ec, t, row, true, true, err) != 0) return -1;
        (*rows)++;
    }
    return 0;
}

typedef struct Victim {
    uint8_t *key;
    size_t key_len;
    Datum *row;
} Victim;

typedef struct CollectState {
    ExecContext *ec;
    const Query *q;
    Victim *v;
    size_t n, cap;
} CollectState;

static int collect_row(void *arg, Datum *row, const uint8_t *key, size_t key_len, DbError *err)
{
    CollectState *cs = arg;
    bool pass;
    if (exec_where(cs->ec, cs->q->where, row, &pass, err) != 0) return -1;
    if (!pass) return 0;
    if (cs->n == cs->cap) {
        size_t cap = cs->cap ? cs->cap * 2 : 64;
        cs->v = mem_realloc(cs->ec->cx, cs->v, sizeof(Victim) * cs->cap, sizeof(Victim) * cap);
        cs->cap = cap;
    }
    Victim *v = &cs->v[cs->n++];
    v->key = mem_alloc(cs->ec->cx, key_len);
    memcpy(v->key, key, key_len);
    v->key_len = key_len;
    v->row = row;
    return 0;
}

static bool set_touches_key(const TableDesc *t, const Query *q)
{
    for (size_t i = 0; i < q->n_set; i++)
        for (size_t k = 0; k < t->n_pk; k++)
            if ((size_t)q->set[i].column == t->pk[k]) return true;
    return false;
}

static int exec_update_delete(ExecContext *ec, const Query *q, uint64_t *rows, DbError *err)
{
    const TableDesc *t = q->target;
    CollectState cs = {.ec = ec, .q = q};
    if (exec_input(ec, q->range, collect_row, &cs, err) != 0) return -1;
    bool key_change = q->kind == QUERY_UPDATE && set_touches_key(t, q);
    for (size_t i = 0; i < cs.n; i++) {
        Victim *v = &cs.v[i];
        if (q->kind == QUERY_DELETE) {
            if (txn_delete(ec->txn, v->key, v->key_len, JOURNAL_KIND_KEY_WRITE, true, err) != 0)
                return -1;
            (*rows)++;
            continue;
        }
        Datum *nrow = mem_alloc(ec->cx, sizeof(Datum) * (t->n_columns + 1));
        memcpy(nrow, v->row, sizeof(Datum) * t->n_columns);
        for (size_t s = 0; s < q->n_set; s++)
            if (exec_eval(ec, q->set[s].expr, v->row, &nrow[q->set[s].column], err) != 0) return -1;
        if (key_change) {
            StrBuf nk;
            strbuf_init(&nk);
            int rc = exec_row_key(t, nrow, &nk, err);
            bool same = rc == 0 && nk.len == v->key_len && memcmp(nk.data, v->key, nk.len) == 0;
            strbuf_fini(&nk);
            if (rc != 0) return -1;
            if (!same &&
                txn_delete(ec->txn, v->key, v->key_len, JOURNAL_KIND_KEY_WRITE, true, err) != 0)
                return -1;
            if (exec_row_write(ec, t, nrow, !same, true, err) != 0) return -1;
        } else if (t->n_pk == 0) {
            /* A table without a primary key keeps its hidden row id: write
             * the new value under the old key. */
            StrBuf val;
            strbuf_init(&val);
            uint32_t *ids = mem_alloc(ec->cx, sizeof(uint32_t) * (t->n_columns + 1));
            for (size_t c = 0; c < t->n_columns; c++)
                ids[c] = t->columns[c].id;
            int rc = 0;
            for (size_t c = 0; rc == 0 && c < t->n_columns; c++)
                if (t->columns[c].not_null && nrow[c].is_null)
                    rc = exec_row_write(ec, t, nrow, false, false, err);
            if (rc == 0) rc = kv_row_encode(&val, ids, nrow, t->n_columns, err);
            if (rc == 0)
                rc = txn_put(ec->txn, v->key, v->key_len, val.data, val.len,
                             JOURNAL_KIND_NONKEY_WRITE, true, err);
            strbuf_fini(&val);
            if (rc != 0) return -1;
        } else if (exec_row_write(ec, t, nrow, false, false, err) != 0) {
            return -1;
        }
        (*rows)++;
    }
    return 0;
}

int exec_query(ExecContext *ec, const Query *q, ResultSink *sink, uint64_t *rows, DbError *err)
{
    *rows = 0;
    switch (q->kind) {
    case QUERY_SELECT:
        return exec_select(ec, q, sink, rows, err);
    case QUERY_INSERT:
        return exec_insert(ec, q, rows, err);
    case QUERY_UPDATE:
    case QUERY_DELETE:
        return exec_update_delete(ec, q, rows, err);
    }
    return db_error_set(err, SQLSTATE_INTERNAL_ERROR, "unknown query kind");
}

int exec_create_table(ExecContext *ec, TableDesc *desc, DbError *err)
{
    return catalog_table_create(ec->txn, desc, err);
}
