/*
 * FROM and WHERE: the rows a query reads.
 *
 * Each top-level FROM item is materialised once (a table scan, a series, a
 * subquery's rows, or a join of two items done as a nested loop with outer
 * join null-extension), then the items are combined by nested loops.  Each
 * WHERE conjunct is evaluated at the shallowest loop level where every
 * column it reads is bound, so joins written as FROM a, b WHERE a.x = b.y
 * never build the full cartesian product.  A query without FROM reads one
 * empty row.
 */
#include <string.h>

#include "catalog/views.h"
#include "exec/exec.h"

typedef struct MatRows {
    ExecRow *rows;
    size_t n, cap;
} MatRows;

static void mat_add(ExecContext *ec, MatRows *m, Datum *values, const uint8_t *key, size_t kl)
{
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 32;
        m->rows = mem_realloc(ec->cx, m->rows, sizeof(ExecRow) * m->cap, sizeof(ExecRow) * cap);
        m->cap = cap;
    }
    uint8_t *k = NULL;
    if (key) {
        k = mem_alloc(ec->cx, kl);
        memcpy(k, key, kl);
    }
    m->rows[m->n++] = (ExecRow){values, k, kl};
}

typedef struct ScanState {
    ExecContext *ec;
    const RangeEntry *r;
    size_t width;
    MatRows *m;
} ScanState;

static int scan_table_row(void *arg, const uint8_t *key, size_t kl, Datum *row, DbError *err)
{
    (void)err;
    ScanState *st = arg;
    Datum *v = mem_alloc(st->ec->cx, sizeof(Datum) * (st->width + 1));
    memcpy(v + st->r->first_column, row, sizeof(Datum) * st->r->n_columns);
    mat_add(st->ec, st->m, v, key, kl);
    return 0;
}

static int series_rows(ExecContext *ec, const RangeEntry *r, size_t width, MatRows *m,
                       const Datum *outer_row, DbError *err)
{
    Datum b[3];
    for (int i = 0; i < 3; i++) {
        if (!r->series[i]) {
            b[i] = r->column_types[0] == TYPE_NUMERIC ? type_numeric_from_int(1, ec->cx)
                                                      : datum_int(r->column_types[0], 1);
            continue;
        }
        if (exec_eval(ec, r->series[i], outer_row, &b[i], err) != 0) return -1;
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
        Datum *v = mem_alloc(ec->cx, sizeof(Datum) * (width + 1));
        v[r->first_column] = cur;
        mat_add(ec, m, v, NULL, 0);
        Datum next;
        DbError overflow;
        /* The next value overflowing ends the series, as in PostgreSQL. */
        if (type_arith('+', &cur, &b[2], ec->cx, &next, &overflow) != 0) return 0;
        cur = next;
    }
}

typedef struct ViewState {
    ExecContext *ec;
    const RangeEntry *r;
    size_t width;
    MatRows *m;
} ViewState;

static int view_row(void *arg, const Datum *values, DbError *err)
{
    (void)err;
    ViewState *vs = arg;
    Datum *v = mem_alloc(vs->ec->cx, sizeof(Datum) * (vs->width + 1));
    memcpy(v + vs->r->first_column, values, sizeof(Datum) * vs->r->n_columns);
    mat_add(vs->ec, vs->m, v, NULL, 0);
    return 0;
}

static int range_rows(ExecContext *ec, const Query *q, const RangeEntry *r, MatRows *m,
                      DbError *err)
{
    size_t w = q->row_width;
    switch (r->kind) {
    case RANGE_SYSTEM: {
        ViewState vs = {ec, r, w, m};
        return r->sysview->scan(ec->txn, ec->cx, view_row, &vs, err);
    }
    case RANGE_TABLE: {
        ScanState st = {ec, r, w, m};
        return exec_table_scan(ec, r->table, scan_table_row, &st, err);
    }
    case RANGE_GENERATE_SERIES:
        return series_rows(ec, r, w, m, NULL, err);
    case RANGE_SUBQUERY:
    case RANGE_VALUES: {
        ExecRows sub = {0};
        if (exec_select_rows(ec, r->subquery, &sub, err) != 0) return -1;
        for (size_t i = 0; i < sub.n; i++) {
            Datum *v = mem_alloc(ec->cx, sizeof(Datum) * (w + 1));
            memcpy(v + r->first_column, sub.rows[i], sizeof(Datum) * r->n_columns);
            mat_add(ec, m, v, NULL, 0);
        }
        return 0;
    }
    }
    return db_error_set(err, SQLSTATE_INTERNAL_ERROR, "unknown range kind");
}

static void null_span(Datum *v, const Query *q, const FromItem *it)
{
    for (size_t c = it->first_column; c < it->first_column + it->n_columns; c++) {
        uint32_t t = TYPE_TEXT;
        for (size_t i = 0; i < q->n_ranges; i++) {
            const RangeEntry *r = q->ranges[i];
            if (c >= r->first_column && c < r->first_column + r->n_columns)
                t = r->column_types[c - r->first_column];
        }
        v[c] = datum_null(t);
    }
}

static int quals_pass(ExecContext *ec, const Expr *quals, const Datum *row, bool *pass,
                      DbError *err)
{
    *pass = true;
    if (!quals) return 0;
    Datum v;
    if (exec_eval(ec, quals, row, &v, err) != 0) return -1;
    *pass = !v.is_null && v.v.b;
    return 0;
}

static int item_rows(ExecContext *ec, const Query *q, const FromItem *it, MatRows *m, DbError *err);

static int join_rows(ExecContext *ec, const Query *q, const FromItem *it, MatRows *m, DbError *err)
{
    MatRows l = {0}, r = {0};
    if (item_rows(ec, q, it->left, &l, err) != 0) return -1;
    if (item_rows(ec, q, it->right, &r, err) != 0) return -1;
    size_t w = q->row_width;
    bool *r_matched = mem_alloc0(ec->cx, r.n + 1);
    const FromItem *L = it->left, *R = it->right;
    for (size_t i = 0; i < l.n; i++) {
        bool matched = false;
        for (size_t j = 0; j < r.n; j++) {
            Datum *v = mem_alloc(ec->cx, sizeof(Datum) * (w + 1));
            memcpy(v + L->first_column, l.rows[i].values + L->first_column,
                   sizeof(Datum) * L->n_columns);
            memcpy(v + R->first_column, r.rows[j].values + R->first_column,
                   sizeof(Datum) * R->n_columns);
            bool pass;
            if (quals_pass(ec, it->quals, v, &pass, err) != 0) return -1;
            if (!pass) continue;
            matched = true;
            r_matched[j] = true;
            mat_add(ec, m, v, NULL, 0);
        }
        if (!matched && (it->join == JOIN_LEFT || it->join == JOIN_FULL)) {
            Datum *v = mem_alloc(ec->cx, sizeof(Datum) * (w + 1));
            memcpy(v + L->first_column, l.rows[i].values + L->first_column,
                   sizeof(Datum) * L->n_columns);
            null_span(v, q, R);
            mat_add(ec, m, v, NULL, 0);
        }
    }
    if (it->join == JOIN_RIGHT || it->join == JOIN_FULL) {
        for (size_t j = 0; j < r.n; j++) {
            if (r_matched[j]) continue;
            Datum *v = mem_alloc(ec->cx, sizeof(Datum) * (w + 1));
            null_span(v, q, L);
            memcpy(v + R->first_column, r.rows[j].values + R->first_column,
                   sizeof(Datum) * R->n_columns);
            mat_add(ec, m, v, NULL, 0);
        }
    }
    return 0;
}

static int item_rows(ExecContext *ec, const Query *q, const FromItem *it, MatRows *m, DbError *err)
{
    if (it->range) return range_rows(ec, q, it->range, m, err);
    return join_rows(ec, q, it, m, err);
}

/* ---- WHERE conjuncts by level ---- */

typedef struct Conjunct {
    const Expr *e;
    size_t level; /* evaluate once items [0, level] are bound */
} Conjunct;

static bool expr_has_sublink(const Expr *e)
{
    if (!e) return false;
    if (e->kind == EXPR_SUBLINK) return true;
    if (expr_has_sublink(e->case_arg) || expr_has_sublink(e->case_else)) return true;
    for (size_t i = 0; i < e->n_args; i++)
        if (expr_has_sublink(e->args[i])) return true;
    return false;
}

/* The deepest FROM item a column of this query in e belongs to. */
static size_t expr_level(const Query *q, const Expr *e, size_t level)
{
    if (!e) return level;
    if (e->kind == EXPR_COLUMN && e->levels_up == 0) {
        for (size_t i = 0; i < q->n_from; i++) {
            const FromItem *it = q->from[i];
            if ((size_t)e->column >= it->first_column &&
                (size_t)e->column < it->first_column + it->n_columns)
                return i > level ? i : level;
        }
    }
    level = expr_level(q, e->case_arg, level);
    level = expr_level(q, e->case_else, level);
    for (size_t i = 0; i < e->n_args; i++)
        level = expr_level(q, e->args[i], level);
    return level;
}

static void collect_conjuncts(const Query *q, const Expr *e, Conjunct **out, size_t *n, size_t *cap,
                              MemContext *cx)
{
    if (e->kind == EXPR_AND) {
        for (size_t i = 0; i < e->n_args; i++)
            collect_conjuncts(q, e->args[i], out, n, cap, cx);
        return;
    }
    if (*n == *cap) {
        size_t nc = *cap * 2 + 8;
        *out = mem_realloc(cx, *out, sizeof(Conjunct) * *cap, sizeof(Conjunct) * nc);
        *cap = nc;
    }
    size_t last = q->n_from ? q->n_from - 1 : 0;
    (*out)[(*n)++] = (Conjunct){e, expr_has_sublink(e) ? last : expr_level(q, e, 0)};
}

/* An expression that reads no column of this query's row (constants,
 * parameters, outer rows): its value is fixed while this query runs. */
static bool expr_is_fixed(const Expr *e)
{
    if (!e) return true;
    if (e->kind == EXPR_COLUMN) return e->levels_up > 0;
    if (e->kind == EXPR_SUBLINK || e->kind == EXPR_AGGREF) return false;
    if (!expr_is_fixed(e->case_arg) || !expr_is_fixed(e->case_else)) return false;
    for (size_t i = 0; i < e->n_args; i++)
        if (!expr_is_fixed(e->args[i])) return false;
    return true;
}

/* Primary-key point lookup: when WHERE pins every primary key column of a
 * table item to a fixed value (pk = 5, pk = $1, pk = outer.col), read that
 * one key instead of scanning.  Returns 1 when it answered (0 or 1 row in
 * m), 0 when the item needs a scan, -1 on error. */
static int pk_lookup(ExecContext *ec, const Query *q, size_t item, const Conjunct *conj,
                     size_t n_conj, MatRows *m, DbError *err)
{
    const FromItem *it = q->from[item];
    const RangeEntry *r = it->range;
    if (!r || r->kind != RANGE_TABLE || r->table->n_pk == 0) return 0;
    const TableDesc *t = r->table;
    const Expr **vals = mem_alloc0(ec->cx, sizeof(Expr *) * t->n_pk);
    for (size_t c = 0; c < n_conj; c++) {
        const Expr *e = conj[c].e;
        if (e->kind != EXPR_OP || e->op != OP_EQ) continue;
        for (int side = 0; side < 2; side++) {
            const Expr *col = e->args[side], *val = e->args[1 - side];
            if (col->kind != EXPR_COLUMN || col->levels_up != 0 || !expr_is_fixed(val)) continue;
            for (size_t k = 0; k < t->n_pk; k++)
                if ((size_t)col->column == r->first_column + t->pk[k] && col->type == val->type)
                    vals[k] = val;
        }
    }
    for (size_t k = 0; k < t->n_pk; k++)
        if (!vals[k]) return 0;
    Datum *key_row = mem_alloc0(ec->cx, sizeof(Datum) * (t->n_columns + 1));
    for (size_t k = 0; k < t->n_pk; k++) {
        if (exec_eval(ec, vals[k], NULL, &key_row[t->pk[k]], err) != 0) return -1;
        if (key_row[t->pk[k]].is_null) return 1; /* pk = NULL matches nothing */
    }
    StrBuf key, value;
    strbuf_init(&key);
    strbuf_init(&value);
    bool found = false;
    int rc = exec_row_key(t, key_row, &key, err);
    if (rc == 0) rc = txn_get(ec->txn, key.data, key.len, &value, &found, err);
    if (rc == 0 && found) {
        Datum *v = mem_alloc(ec->cx, sizeof(Datum) * (q->row_width + 1));
        rc = exec_row_decode(ec, t, (const uint8_t *)key.data, key.len, (const uint8_t *)value.data,
                             value.len, v + r->first_column, err);
        if (rc == 0) mat_add(ec, m, v, (const uint8_t *)key.data, key.len);
    }
    strbuf_fini(&key);
    strbuf_fini(&value);
    return rc == 0 ? 1 : -1;
}

typedef struct LoopState {
    ExecContext *ec;
    const Query *q;
    MatRows *items;
    Conjunct *conj;
    size_t n_conj;
    Datum *row;
    const uint8_t *key; /* of the single table row, when there is one item */
    size_t key_len;
    ExecInputFn fn;
    void *arg;
} LoopState;

static int loop_level(LoopState *ls, size_t level, DbError *err)
{
    const Query *q = ls->q;
    if (level == q->n_from) {
        ExecRow r = {ls->row, ls->key, ls->key_len};
        return ls->fn(ls->arg, &r, err);
    }
    const FromItem *it = q->from[level];
    MatRows *m = &ls->items[level];
    for (size_t i = 0; i < m->n; i++) {
        memcpy(ls->row + it->first_column, m->rows[i].values + it->first_column,
               sizeof(Datum) * it->n_columns);
        if (q->n_from == 1) {
            ls->key = m->rows[i].key;
            ls->key_len = m->rows[i].key_len;
        }
        bool pass = true;
        for (size_t c = 0; pass && c < ls->n_conj; c++) {
            if (ls->conj[c].level != level) continue;
            if (quals_pass(ls->ec, ls->conj[c].e, ls->row, &pass, err) != 0) return -1;
        }
        if (!pass) continue;
        int rc = loop_level(ls, level + 1, err);
        if (rc != 0) return rc;
    }
    return 0;
}

int exec_from(ExecContext *ec, const Query *q, ExecInputFn fn, void *arg, DbError *err)
{
    Datum *row = mem_alloc0(ec->cx, sizeof(Datum) * (q->row_width + 1));
    if (q->n_from == 0) {
        bool pass;
        if (quals_pass(ec, q->where, row, &pass, err) != 0) return -1;
        if (!pass) return 0;
        ExecRow r = {row, NULL, 0};
        int rc = fn(arg, &r, err);
        return rc < 0 ? -1 : 0;
    }
    LoopState ls = {.ec = ec, .q = q, .row = row, .fn = fn, .arg = arg};
    size_t cap = 0;
    if (q->where) collect_conjuncts(q, q->where, &ls.conj, &ls.n_conj, &cap, ec->cx);
    ls.items = mem_alloc0(ec->cx, sizeof(MatRows) * q->n_from);
    for (size_t i = 0; i < q->n_from; i++) {
        int hit = pk_lookup(ec, q, i, ls.conj, ls.n_conj, &ls.items[i], err);
        if (hit < 0) return -1;
        if (hit == 0 && item_rows(ec, q, q->from[i], &ls.items[i], err) != 0) return -1;
    }
    int rc = loop_level(&ls, 0, err);
    return rc < 0 ? -1 : 0;
}
