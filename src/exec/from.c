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
    /* numeric's NaN and infinities would never end the series; PostgreSQL
     * refuses them, checking start, stop, then step. */
    static const char *const what[3] = {"start value", "stop value", "step size"};
    for (int i = 0; i < 3; i++) {
        if (b[i].type != TYPE_NUMERIC) continue;
        const char *t = b[i].v.s.ptr;
        if (b[i].v.s.len >= 3 && strncmp(t, "NaN", 3) == 0)
            return db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "%s cannot be NaN", what[i]);
        if (memchr(t, 'I', b[i].v.s.len))
            return db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "%s cannot be infinity",
                                what[i]);
    }
    Datum zero = datum_int(TYPE_INT4, 0);
    int step_sign;
    if (type_compare(&b[2], &zero, &step_sign, err) != 0) return -1;
    if (step_sign == 0)
        return db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "step size cannot equal zero");
    Datum cur = b[0];
    uint64_t seen = 0;
    for (;;) {
        if (exec_memory_check(ec, &seen, err) != 0) return -1;
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

/* ---- hash index over materialised rows (hash joins) ----
 * Rows of one side are indexed by the value of an expression over them;
 * the other side probes with its own value.  Keys are value keys
 * (exec_values_key), under which SQL-equal values of the integer family are
 * equal bytes; NULLs are not indexed (= never matches NULL). */

typedef struct HashIndex {
    size_t n_buckets;
    size_t *head; /* bucket → first row + 1, 0 = empty */
    size_t *next; /* row → next row in its bucket + 1 */
    char **keys;  /* row → key bytes (NULL: not indexed) */
    size_t *lens;
} HashIndex;

static uint64_t hash_bytes64(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (uint8_t)p[i]) * 1099511628211ull;
    return h;
}

static int hash_build(ExecContext *ec, const MatRows *m, const Expr *key_expr, HashIndex *hx,
                      DbError *err)
{
    hx->n_buckets = 16;
    while (hx->n_buckets < m->n * 2)
        hx->n_buckets *= 2;
    hx->head = mem_alloc0(ec->cx, sizeof(size_t) * hx->n_buckets);
    hx->next = mem_alloc0(ec->cx, sizeof(size_t) * (m->n + 1));
    hx->keys = mem_alloc0(ec->cx, sizeof(char *) * (m->n + 1));
    hx->lens = mem_alloc0(ec->cx, sizeof(size_t) * (m->n + 1));
    StrBuf key;
    strbuf_init(&key);
    for (size_t i = 0; i < m->n; i++) {
        Datum v;
        if (exec_eval(ec, key_expr, m->rows[i].values, &v, err) != 0) {
            strbuf_fini(&key);
            return -1;
        }
        if (v.is_null) continue;
        if (exec_values_key(&v, 1, &key, err) != 0) {
            strbuf_fini(&key);
            return -1;
        }
        hx->keys[i] = mem_alloc(ec->cx, key.len + 1);
        memcpy(hx->keys[i], key.data, key.len);
        hx->lens[i] = key.len;
        size_t b = hash_bytes64(key.data, key.len) & (hx->n_buckets - 1);
        hx->next[i] = hx->head[b];
        hx->head[b] = i + 1;
    }
    strbuf_fini(&key);
    return 0;
}

/* First row index + 1 matching key (0: none); continue with hash_next. */
static size_t hash_first(const HashIndex *hx, const StrBuf *key)
{
    size_t b = hash_bytes64(key->data ? key->data : "", key->len) & (hx->n_buckets - 1);
    for (size_t r = hx->head[b]; r; r = hx->next[r - 1])
        if (hx->lens[r - 1] == key->len &&
            (key->len == 0 || memcmp(hx->keys[r - 1], key->data, key->len) == 0))
            return r;
    return 0;
}

static size_t hash_next(const HashIndex *hx, size_t r)
{
    const char *k = hx->keys[r - 1];
    size_t kl = hx->lens[r - 1];
    for (r = hx->next[r - 1]; r; r = hx->next[r - 1])
        if (hx->lens[r - 1] == kl && (kl == 0 || memcmp(hx->keys[r - 1], k, kl) == 0)) return r;
    return 0;
}

/* Whether every column of this query e reads lies in [first, first + n). */
static bool expr_within(const Expr *e, size_t first, size_t n, bool *any)
{
    if (!e) return true;
    if (e->kind == EXPR_SUBLINK || e->kind == EXPR_AGGREF) return false;
    if (e->kind == EXPR_COLUMN && e->levels_up == 0) {
        *any = true;
        return (size_t)e->column >= first && (size_t)e->column < first + n;
    }
    if (!expr_within(e->case_arg, first, n, any) || !expr_within(e->case_else, first, n, any))
        return false;
    for (size_t i = 0; i < e->n_args; i++)
        if (!expr_within(e->args[i], first, n, any)) return false;
    return true;
}

static bool hashable_types(uint32_t a, uint32_t b)
{
    bool ai = a == TYPE_INT2 || a == TYPE_INT4 || a == TYPE_INT8;
    bool bi = b == TYPE_INT2 || b == TYPE_INT4 || b == TYPE_INT8;
    return a == b || (ai && bi);
}

/* Whether e reads a column of this query in [first, first + n); subqueries
 * and aggregates count as reading everything. */
static bool expr_reads_span(const Expr *e, size_t first, size_t n)
{
    if (!e) return false;
    if (e->kind == EXPR_SUBLINK || e->kind == EXPR_AGGREF) return true;
    if (e->kind == EXPR_COLUMN && e->levels_up == 0)
        return (size_t)e->column >= first && (size_t)e->column < first + n;
    if (expr_reads_span(e->case_arg, first, n) || expr_reads_span(e->case_else, first, n))
        return true;
    for (size_t i = 0; i < e->n_args; i++)
        if (expr_reads_span(e->args[i], first, n)) return true;
    return false;
}

/* Finds `inner = outer` among the AND-ed quals: inner reads only the span
 * [ifirst, ifirst + in) (and some of it), outer none of it. */
static bool find_hash_clause(const Expr *quals, size_t ifirst, size_t in, const Expr **inner,
                             const Expr **outer)
{
    if (!quals) return false;
    if (quals->kind == EXPR_AND) {
        for (size_t i = 0; i < quals->n_args; i++)
            if (find_hash_clause(quals->args[i], ifirst, in, inner, outer)) return true;
        return false;
    }
    if (quals->kind != EXPR_OP || quals->op != OP_EQ) return false;
    for (int side = 0; side < 2; side++) {
        const Expr *a = quals->args[side], *b = quals->args[1 - side];
        bool any = false;
        if (!expr_within(a, ifirst, in, &any) || !any) continue;
        if (expr_reads_span(b, ifirst, in)) continue;
        if (!hashable_types(a->type, b->type)) continue;
        *inner = a;
        *outer = b;
        return true;
    }
    return false;
}

/* Candidates of the right side for one left row: every right row, or with
 * a hash index only those whose key matches. */
typedef struct Candidates {
    const HashIndex *hx; /* NULL: all rows */
    size_t n, pos;       /* without an index: the next row index */
    size_t hash_pos;     /* with one: current row + 1, 0 = done */
} Candidates;

static bool candidates_next(Candidates *c, size_t *row)
{
    if (!c->hx) {
        if (c->pos >= c->n) return false;
        *row = c->pos++;
        return true;
    }
    if (!c->hash_pos) return false;
    *row = c->hash_pos - 1;
    c->hash_pos = hash_next(c->hx, c->hash_pos);
    return true;
}

static int join_rows(ExecContext *ec, const Query *q, const FromItem *it, MatRows *m, DbError *err)
{
    MatRows l = {0}, r = {0};
    if (item_rows(ec, q, it->left, &l, err) != 0) return -1;
    if (item_rows(ec, q, it->right, &r, err) != 0) return -1;
    size_t w = q->row_width;
    bool *r_matched = mem_alloc0(ec->cx, r.n + 1);
    const FromItem *L = it->left, *R = it->right;
    /* An equality between the sides makes this a hash join: index the right
     * rows by their side of it, probe with each left row's. */
    const Expr *inner, *outer;
    HashIndex hx;
    bool hashed = find_hash_clause(it->quals, R->first_column, R->n_columns, &inner, &outer);
    if (hashed && hash_build(ec, &r, inner, &hx, err) != 0) return -1;
    StrBuf probe;
    strbuf_init(&probe);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < l.n; i++) {
        bool matched = false;
        Candidates cand = {.n = r.n};
        if (hashed) {
            Datum v;
            if ((rc = exec_eval(ec, outer, l.rows[i].values, &v, err)) != 0) break;
            cand.hx = &hx;
            if (!v.is_null) {
                if ((rc = exec_values_key(&v, 1, &probe, err)) != 0) break;
                cand.hash_pos = hash_first(&hx, &probe);
            }
        }
        size_t j;
        while (rc == 0 && candidates_next(&cand, &j)) {
            Datum *v = mem_alloc(ec->cx, sizeof(Datum) * (w + 1));
            memcpy(v + L->first_column, l.rows[i].values + L->first_column,
                   sizeof(Datum) * L->n_columns);
            memcpy(v + R->first_column, r.rows[j].values + R->first_column,
                   sizeof(Datum) * R->n_columns);
            bool pass;
            if ((rc = quals_pass(ec, it->quals, v, &pass, err)) != 0) break;
            if (!pass) continue;
            matched = true;
            r_matched[j] = true;
            mat_add(ec, m, v, NULL, 0);
        }
        if (rc == 0 && !matched && (it->join == JOIN_LEFT || it->join == JOIN_FULL)) {
            Datum *v = mem_alloc(ec->cx, sizeof(Datum) * (w + 1));
            memcpy(v + L->first_column, l.rows[i].values + L->first_column,
                   sizeof(Datum) * L->n_columns);
            null_span(v, q, R);
            mat_add(ec, m, v, NULL, 0);
        }
    }
    strbuf_fini(&probe);
    if (rc != 0) return -1;
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
    size_t level;   /* evaluate once the loop has bound this many items + 1 */
    uint64_t items; /* FROM items it reads (bit i = item i), all bits if unknown */
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

/* The FROM items whose columns e reads, as a bit set. */
static uint64_t expr_items(const Query *q, const Expr *e)
{
    if (!e) return 0;
    uint64_t m = 0;
    if (e->kind == EXPR_COLUMN && e->levels_up == 0) {
        for (size_t i = 0; i < q->n_from && i < 64; i++) {
            const FromItem *it = q->from[i];
            if ((size_t)e->column >= it->first_column &&
                (size_t)e->column < it->first_column + it->n_columns)
                m |= 1ull << i;
        }
    }
    m |= expr_items(q, e->case_arg) | expr_items(q, e->case_else);
    for (size_t i = 0; i < e->n_args; i++)
        m |= expr_items(q, e->args[i]);
    return m;
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
    (*out)[(*n)++] = (Conjunct){e, 0, expr_has_sublink(e) ? ~0ull : expr_items(q, e)};
}

/* Join order: start from an item WHERE filters on its own, then keep adding
 * an item that a conjunct joins to those already placed (so each loop
 * level is filtered or hashed), falling back to FROM order.  A simple
 * greedy order, not a cost model: enough to keep chains of equality joins
 * from building cartesian products. */
static void join_order(const Query *q, const Conjunct *conj, size_t n_conj, size_t *ord)
{
    size_t n = q->n_from;
    if (n > 64) {
        for (size_t i = 0; i < n; i++)
            ord[i] = i;
        return;
    }
    uint64_t placed = 0;
    for (size_t k = 0; k < n; k++) {
        size_t pick = n, filtered = n;
        for (size_t j = 0; j < n && pick == n; j++) {
            if (placed & (1ull << j)) continue;
            uint64_t with = placed | (1ull << j);
            for (size_t c = 0; c < n_conj; c++) {
                uint64_t m = conj[c].items;
                if (m == ~0ull || !(m & (1ull << j)) || (m & ~with)) continue;
                if (placed && (m & placed)) {
                    pick = j; /* joins j to what is placed */
                    break;
                }
                if (m == (1ull << j) && filtered == n) filtered = j;
            }
        }
        if (pick == n) pick = filtered;
        for (size_t j = 0; j < n && pick == n; j++)
            if (!(placed & (1ull << j))) pick = j;
        ord[k] = pick;
        placed |= 1ull << pick;
    }
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

/* A generate_series in FROM whose arguments read columns of earlier FROM
 * items (implicitly LATERAL, as PostgreSQL treats functions in FROM): its
 * rows are made again for every combination of the items before it. */
static bool item_is_lateral(const FromItem *it)
{
    const RangeEntry *r = it->range;
    if (!r || r->kind != RANGE_GENERATE_SERIES) return false;
    for (int i = 0; i < 3; i++)
        if (r->series[i] && !expr_is_fixed(r->series[i])) return true;
    return false;
}

static bool type_is_integer(uint32_t t)
{
    return t == TYPE_INT2 || t == TYPE_INT4 || t == TYPE_INT8;
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
                if ((size_t)col->column == r->first_column + t->pk[k] &&
                    (col->type == val->type ||
                     (type_is_integer(col->type) && type_is_integer(val->type))))
                    vals[k] = val;
        }
    }
    for (size_t k = 0; k < t->n_pk; k++)
        if (!vals[k]) return 0;
    Datum *key_row = mem_alloc0(ec->cx, sizeof(Datum) * (t->n_columns + 1));
    for (size_t k = 0; k < t->n_pk; k++) {
        Datum *d = &key_row[t->pk[k]];
        if (exec_eval(ec, vals[k], NULL, d, err) != 0) return -1;
        if (d->is_null) return 1; /* pk = NULL matches nothing */
        /* int8_col = 5 (an int4): the key holds the column's type; a value
         * outside its range matches nothing. */
        uint32_t ct = t->columns[t->pk[k]].type;
        if (d->type != ct) {
            int64_t lo = ct == TYPE_INT2 ? INT16_MIN : ct == TYPE_INT4 ? INT32_MIN : INT64_MIN;
            int64_t hi = ct == TYPE_INT2 ? INT16_MAX : ct == TYPE_INT4 ? INT32_MAX : INT64_MAX;
            if (d->v.i < lo || d->v.i > hi) return 1;
            *d = datum_int(ct, d->v.i);
        }
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
    size_t *ord; /* loop level → FROM item */
    MatRows *items;
    /* Per level: a hash index on an equality with earlier levels, or none. */
    HashIndex *hx;
    const Expr **probe; /* the earlier side of that equality */
    bool *hashed;
    bool *lateral; /* per FROM item: see item_is_lateral */
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
    const FromItem *it = q->from[ls->ord[level]];
    MatRows *m = &ls->items[ls->ord[level]];
    if (ls->lateral[ls->ord[level]]) {
        m->n = 0;
        if (series_rows(ls->ec, it->range, q->row_width, m, ls->row, err) != 0) return -1;
    }
    Candidates cand = {.n = m->n};
    if (ls->hashed[level]) {
        Datum v;
        if (exec_eval(ls->ec, ls->probe[level], ls->row, &v, err) != 0) return -1;
        cand.hx = &ls->hx[level];
        if (!v.is_null) {
            StrBuf key;
            strbuf_init(&key);
            int krc = exec_values_key(&v, 1, &key, err);
            if (krc == 0) cand.hash_pos = hash_first(cand.hx, &key);
            strbuf_fini(&key);
            if (krc != 0) return -1;
        }
    }
    size_t i;
    while (candidates_next(&cand, &i)) {
        memcpy(ls->row + it->first_column, m->rows[i].values + it->first_column,
               sizeof(Datum) * it->n_columns);
        /* The key of item 0's row: the table a single-table SELECT locks,
         * the target an UPDATE or DELETE writes. */
        if (ls->ord[level] == 0) {
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
    size_t n = q->n_from;
    ls.ord = mem_alloc0(ec->cx, sizeof(size_t) * n);
    ls.lateral = mem_alloc0(ec->cx, sizeof(bool) * n);
    bool any_lateral = false;
    for (size_t i = 0; i < n; i++)
        any_lateral |= ls.lateral[i] = item_is_lateral(q->from[i]);
    /* A lateral item reads the items written before it: keep FROM order. */
    if (any_lateral) {
        for (size_t i = 0; i < n; i++)
            ls.ord[i] = i;
    } else {
        join_order(q, ls.conj, ls.n_conj, ls.ord);
    }
    size_t *pos = mem_alloc0(ec->cx, sizeof(size_t) * n);
    for (size_t k = 0; k < n; k++)
        pos[ls.ord[k]] = k;
    /* Each conjunct runs at the level where its last item is bound. */
    for (size_t c = 0; c < ls.n_conj; c++) {
        uint64_t m = ls.conj[c].items;
        size_t level = 0;
        if (m == ~0ull || n > 64) {
            level = n - 1;
        } else {
            for (size_t i = 0; i < n; i++)
                if ((m & (1ull << i)) && pos[i] > level) level = pos[i];
        }
        ls.conj[c].level = level;
    }
    ls.items = mem_alloc0(ec->cx, sizeof(MatRows) * n);
    ls.hx = mem_alloc0(ec->cx, sizeof(HashIndex) * n);
    ls.probe = mem_alloc0(ec->cx, sizeof(Expr *) * n);
    ls.hashed = mem_alloc0(ec->cx, sizeof(bool) * n);
    for (size_t k = 0; k < n; k++) {
        size_t i = ls.ord[k];
        if (ls.lateral[i]) continue; /* made per outer row in loop_level */
        int hit = pk_lookup(ec, q, i, ls.conj, ls.n_conj, &ls.items[i], err);
        if (hit < 0) return -1;
        if (hit == 0 && item_rows(ec, q, q->from[i], &ls.items[i], err) != 0) return -1;
        /* An item joined to earlier levels by an equality is probed by hash
         * instead of scanned for every combination before it. */
        const FromItem *it = q->from[i];
        for (size_t c = 0; k > 0 && c < ls.n_conj && !ls.hashed[k]; c++) {
            const Expr *inner, *outer;
            if (ls.conj[c].level != k) continue;
            if (!find_hash_clause(ls.conj[c].e, it->first_column, it->n_columns, &inner, &outer))
                continue;
            if (hash_build(ec, &ls.items[i], inner, &ls.hx[k], err) != 0) return -1;
            ls.probe[k] = outer;
            ls.hashed[k] = true;
        }
    }
    int rc = loop_level(&ls, 0, err);
    return rc < 0 ? -1 : 0;
}
