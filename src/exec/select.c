/*
 * SELECT: the pipeline after FROM/WHERE.
 *
 *   rows ─► { group + aggregate ─► HAVING } ─► project ─► DISTINCT ─► ORDER BY ─► OFFSET/LIMIT
 *
 * Set operations run both sides and combine them by value keys; VALUES
 * evaluates its rows.  Output rows carry the n_targets output values
 * followed by the sort values.  Groups and DISTINCT use exec_values_key():
 * the memcomparable key encoding, under which SQL-equal values (1.50 and
 * 1.5) give equal bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "exec/exec.h"
#include "kv/kv.h"

void exec_rows_add(ExecContext *ec, ExecRows *rows, Datum *row)
{
    if (rows->n == rows->cap) {
        size_t cap = rows->cap ? rows->cap * 2 : 64;
        rows->rows =
            mem_realloc(ec->cx, rows->rows, sizeof(Datum *) * rows->cap, sizeof(Datum *) * cap);
        rows->cap = cap;
    }
    rows->rows[rows->n++] = row;
}

int exec_values_key(const Datum *values, size_t n, StrBuf *key, DbError *err)
{
    strbuf_reset(key);
    for (size_t i = 0; i < n; i++) {
        Datum d = values[i];
        /* json is not keyable; compare it by its text. */
        if (!d.is_null && (d.type == TYPE_JSON || d.type == TYPE_JSONB)) d.type = TYPE_TEXT;
        if (kv_key_append(key, &d, KV_NULLS_LAST, err) != 0) return -1;
    }
    return 0;
}

/* ---- a small hash table of byte keys → index ---- */

typedef struct KeyTable {
    char **keys;
    size_t *lens;
    size_t *vals;
    size_t cap, n;
} KeyTable;

static uint64_t key_hash(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (uint8_t)p[i]) * 1099511628211ull;
    return h;
}

static void kt_grow(ExecContext *ec, KeyTable *kt)
{
    size_t ncap = kt->cap ? kt->cap * 2 : 64;
    char **keys = mem_alloc0(ec->cx, sizeof(char *) * ncap);
    size_t *lens = mem_alloc0(ec->cx, sizeof(size_t) * ncap);
    size_t *vals = mem_alloc0(ec->cx, sizeof(size_t) * ncap);
    for (size_t i = 0; i < kt->cap; i++) {
        if (!kt->keys[i]) continue;
        size_t h = key_hash(kt->keys[i], kt->lens[i]) & (ncap - 1);
        while (keys[h])
            h = (h + 1) & (ncap - 1);
        keys[h] = kt->keys[i];
        lens[h] = kt->lens[i];
        vals[h] = kt->vals[i];
    }
    kt->keys = keys;
    kt->lens = lens;
    kt->vals = vals;
    kt->cap = ncap;
}

/* Finds key; if absent inserts it with value *val and returns false. */
static bool kt_find_or_add(ExecContext *ec, KeyTable *kt, const StrBuf *key, size_t *val)
{
    if ((kt->n + 1) * 2 > kt->cap) kt_grow(ec, kt);
    size_t h = key_hash(key->data ? key->data : "", key->len) & (kt->cap - 1);
    while (kt->keys[h]) {
        if (kt->lens[h] == key->len &&
            (key->len == 0 || memcmp(kt->keys[h], key->data, key->len) == 0)) {
            *val = kt->vals[h];
            return true;
        }
        h = (h + 1) & (kt->cap - 1);
    }
    kt->keys[h] = mem_alloc(ec->cx, key->len + 1);
    if (key->len) memcpy(kt->keys[h], key->data, key->len);
    kt->lens[h] = key->len;
    kt->vals[h] = *val;
    kt->n++;
    return false;
}

/* ---- grouping and aggregates ---- */

typedef struct Group {
    Datum *row; /* a representative input row */
    Datum *agg;
    int64_t *count;
    KeyTable *seen; /* per aggregate with DISTINCT: the values already fed */
} Group;

typedef struct SelectState {
    ExecContext *ec;
    const Query *q;
    ExecRows *out;
    /* grouping */
    KeyTable groups;
    Group *g;
    size_t n_groups, cap_groups;
    StrBuf key;
} SelectState;

static int project(SelectState *st, const Datum *row, DbError *err)
{
    const Query *q = st->q;
    size_t n = q->n_targets + q->n_sort;
    Datum *v = mem_alloc(st->ec->cx, sizeof(Datum) * (n + 1));
    for (size_t i = 0; i < q->n_targets; i++)
        if (exec_eval(st->ec, q->targets[i].expr, row, &v[i], err) != 0) return -1;
    for (size_t i = 0; i < q->n_sort; i++) {
        if (q->sort[i].target >= 0) {
            v[q->n_targets + i] = v[q->sort[i].target];
        } else if (exec_eval(st->ec, q->sort[i].expr, row, &v[q->n_targets + i], err) != 0) {
            return -1;
        }
    }
    exec_rows_add(st->ec, st->out, v);
    return 0;
}

static Group *group_new(SelectState *st, const Datum *row)
{
    const Query *q = st->q;
    if (st->n_groups == st->cap_groups) {
        size_t cap = st->cap_groups ? st->cap_groups * 2 : 16;
        st->g = mem_realloc(st->ec->cx, st->g, sizeof(Group) * st->cap_groups, sizeof(Group) * cap);
        st->cap_groups = cap;
    }
    Group *g = &st->g[st->n_groups++];
    g->row = mem_alloc(st->ec->cx, sizeof(Datum) * (q->row_width + 1));
    if (row)
        memcpy(g->row, row, sizeof(Datum) * q->row_width);
    else
        for (size_t i = 0; i < q->row_width; i++)
            g->row[i] = datum_null(TYPE_TEXT);
    g->agg = mem_alloc(st->ec->cx, sizeof(Datum) * (q->n_aggs + 1));
    g->count = mem_alloc0(st->ec->cx, sizeof(int64_t) * (q->n_aggs + 1));
    g->seen = mem_alloc0(st->ec->cx, sizeof(KeyTable) * (q->n_aggs + 1));
    for (size_t i = 0; i < q->n_aggs; i++)
        g->agg[i] = datum_null(q->aggs[i].type);
    return g;
}

static int agg_step(SelectState *st, Group *g, const Datum *row, DbError *err)
{
    ExecContext *ec = st->ec;
    for (size_t i = 0; i < st->q->n_aggs; i++) {
        const AggDesc *a = &st->q->aggs[i];
        if (a->kind == AGG_COUNT_STAR) {
            g->count[i]++;
            continue;
        }
        Datum v;
        if (exec_eval(ec, a->arg, row, &v, err) != 0) return -1;
        if (v.is_null) continue;
        if (a->distinct) {
            if (exec_values_key(&v, 1, &st->key, err) != 0) return -1;
            size_t idx = 0;
            if (kt_find_or_add(ec, &g->seen[i], &st->key, &idx)) continue;
        }
        g->count[i]++;
        switch (a->kind) {
        case AGG_COUNT:
        case AGG_COUNT_STAR:
            break;
        case AGG_MIN:
        case AGG_MAX: {
            if (g->agg[i].is_null) {
                g->agg[i] = v;
                break;
            }
            int c;
            if (type_compare(&v, &g->agg[i], &c, err) != 0) return -1;
            if ((a->kind == AGG_MIN && c < 0) || (a->kind == AGG_MAX && c > 0)) g->agg[i] = v;
            break;
        }
        case AGG_SUM:
        case AGG_AVG: {
            uint32_t acc = a->kind == AGG_AVG && a->type == TYPE_NUMERIC ? TYPE_NUMERIC : a->type;
            Datum cv;
            if (type_coerce(&v, acc, -1, false, ec->cx, &cv, err) != 0) return -1;
            if (g->agg[i].is_null) {
                g->agg[i] = cv;
            } else {
                Datum sum;
                if (type_arith('+', &g->agg[i], &cv, ec->cx, &sum, err) != 0) return -1;
                g->agg[i] = sum;
            }
            break;
        }
        }
    }
    return 0;
}

static int group_row(void *arg, const ExecRow *r, DbError *err)
{
    SelectState *st = arg;
    const Query *q = st->q;
    Group *g;
    if (q->n_group == 0) {
        g = st->n_groups ? &st->g[0] : group_new(st, r->values);
    } else {
        Datum *vals = mem_alloc(st->ec->cx, sizeof(Datum) * q->n_group);
        for (size_t i = 0; i < q->n_group; i++)
            if (exec_eval(st->ec, q->group[i], r->values, &vals[i], err) != 0) return -1;
        if (exec_values_key(vals, q->n_group, &st->key, err) != 0) return -1;
        size_t idx = st->n_groups;
        if (!kt_find_or_add(st->ec, &st->groups, &st->key, &idx)) group_new(st, r->values);
        g = &st->g[idx];
    }
    return agg_step(st, g, r->values, err);
}

static int finish_groups(SelectState *st, DbError *err)
{
    const Query *q = st->q;
    ExecContext *ec = st->ec;
    /* Aggregates without GROUP BY make one row even from no input. */
    if (q->n_group == 0 && st->n_groups == 0) group_new(st, NULL);
    Datum *vals = mem_alloc(ec->cx, sizeof(Datum) * (q->n_aggs + 1));
    for (size_t gi = 0; gi < st->n_groups; gi++) {
        Group *g = &st->g[gi];
        for (size_t i = 0; i < q->n_aggs; i++) {
            const AggDesc *a = &q->aggs[i];
            if (a->kind == AGG_COUNT || a->kind == AGG_COUNT_STAR) {
                vals[i] = datum_int(TYPE_INT8, g->count[i]);
            } else if (a->kind == AGG_AVG && !g->agg[i].is_null) {
                Datum n = a->type == TYPE_NUMERIC
                              ? type_numeric_from_int(g->count[i], ec->cx)
                              : (Datum){.type = TYPE_FLOAT8, .v.f = (double)g->count[i]};
                if (type_arith('/', &g->agg[i], &n, ec->cx, &vals[i], err) != 0) return -1;
            } else {
                vals[i] = g->agg[i];
            }
        }
        ec->agg_values = vals;
        int rc = 0;
        bool pass = true;
        if (q->having) {
            Datum h;
            rc = exec_eval(ec, q->having, g->row, &h, err);
            pass = rc == 0 && !h.is_null && h.v.b;
        }
        if (rc == 0 && pass) rc = project(st, g->row, err);
        ec->agg_values = NULL;
        if (rc != 0) return -1;
    }
    return 0;
}

static int plain_row(void *arg, const ExecRow *r, DbError *err)
{
    SelectState *st = arg;
    const Query *q = st->q;
    /* FOR UPDATE / FOR KEY SHARE: no lock; the row joins the set the
     * adjudicator checks at commit (and counts against the row limit). */
    if (q->lock != ROW_LOCK_NONE && r->key &&
        txn_check_key(st->ec->txn, r->key, r->key_len,
                      q->lock == ROW_LOCK_UPDATE ? JOURNAL_KIND_KEY_WRITE : JOURNAL_KIND_KEY_SHARE,
                      true, err) != 0)
        return -1;
    return project(st, r->values, err);
}

/* ---- ordering, distinct, limits ---- */

typedef struct SortCtx {
    const Query *q;
} SortCtx;

static int sort_cmp(const void *pa, const void *pb, void *arg)
{
    const Datum *a = *(Datum *const *)pa, *b = *(Datum *const *)pb;
    const Query *q = ((const SortCtx *)arg)->q;
    for (size_t i = 0; i < q->n_sort; i++) {
        const Datum *x = &a[q->n_targets + i], *y = &b[q->n_targets + i];
        int c;
        if (x->is_null || y->is_null) {
            if (x->is_null && y->is_null) continue;
            c = x->is_null ? 1 : -1;
            return q->sort[i].nulls_first ? -c : c;
        }
        DbError ignored;
        if (type_compare(x, y, &c, &ignored) != 0) c = 0;
        if (c) return q->sort[i].desc ? -c : c;
    }
    return 0;
}

static int distinct_rows(ExecContext *ec, ExecRows *rows, size_t width, DbError *err)
{
    KeyTable seen = {0};
    StrBuf key;
    strbuf_init(&key);
    size_t kept = 0;
    for (size_t i = 0; i < rows->n; i++) {
        if (exec_values_key(rows->rows[i], width, &key, err) != 0) {
            strbuf_fini(&key);
            return -1;
        }
        size_t v = kept;
        if (!kt_find_or_add(ec, &seen, &key, &v)) rows->rows[kept++] = rows->rows[i];
    }
    rows->n = kept;
    strbuf_fini(&key);
    return 0;
}

static int eval_limit(ExecContext *ec, const Expr *e, int64_t *out, bool is_limit, DbError *err)
{
    *out = -1;
    if (!e) return 0;
    Datum v;
    if (exec_eval(ec, e, NULL, &v, err) != 0) return -1;
    if (v.is_null) return 0;
    if (v.v.i < 0)
        return db_error_set(err,
                            is_limit ? SQLSTATE_INVALID_ROW_COUNT_IN_LIMIT_CLAUSE
                                     : SQLSTATE_INVALID_ROW_COUNT_IN_RESULT_OFFSET_CLAUSE,
                            "%s must not be negative", is_limit ? "LIMIT" : "OFFSET");
    *out = v.v.i;
    return 0;
}

/* ---- set operations ---- */

static bool kt_lookup(const KeyTable *kt, const StrBuf *key, size_t *val)
{
    if (!kt->cap) return false;
    size_t h = key_hash(key->data ? key->data : "", key->len) & (kt->cap - 1);
    while (kt->keys[h]) {
        if (kt->lens[h] == key->len &&
            (key->len == 0 || memcmp(kt->keys[h], key->data, key->len) == 0)) {
            *val = kt->vals[h];
            return true;
        }
        h = (h + 1) & (kt->cap - 1);
    }
    return false;
}

static void setop_keep(ExecContext *ec, const Query *q, const Datum *row, ExecRows *out)
{
    size_t w = q->n_targets;
    Datum *v = mem_alloc(ec->cx, sizeof(Datum) * (w + q->n_sort + 1));
    memcpy(v, row, sizeof(Datum) * w);
    for (size_t s = 0; s < q->n_sort; s++)
        v[w + s] = v[q->sort[s].target];
    exec_rows_add(ec, out, v);
}

static int setop_rows(ExecContext *ec, const Query *q, ExecRows *out, DbError *err)
{
    ExecRows l = {0}, r = {0};
    if (exec_select_rows(ec, q->larg, &l, err) != 0) return -1;
    if (exec_select_rows(ec, q->rarg, &r, err) != 0) return -1;
    size_t w = q->n_targets;
    StrBuf key;
    strbuf_init(&key);
    KeyTable seen = {0};
    int rc = 0;
    if (q->setop == SETOP_UNION) {
        for (size_t side = 0; rc == 0 && side < 2; side++) {
            const ExecRows *src = side ? &r : &l;
            for (size_t i = 0; rc == 0 && i < src->n; i++) {
                if (!q->setop_all) {
                    if ((rc = exec_values_key(src->rows[i], w, &key, err)) != 0) break;
                    size_t v = 0;
                    if (kt_find_or_add(ec, &seen, &key, &v)) continue;
                }
                setop_keep(ec, q, src->rows[i], out);
            }
        }
        strbuf_fini(&key);
        return rc;
    }
    /* INTERSECT / EXCEPT: count the right side's rows by key. */
    KeyTable right = {0};
    size_t *count = mem_alloc0(ec->cx, sizeof(size_t) * (r.n + 1));
    size_t n_keys = 0;
    for (size_t i = 0; rc == 0 && i < r.n; i++) {
        if ((rc = exec_values_key(r.rows[i], w, &key, err)) != 0) break;
        size_t idx = n_keys;
        if (!kt_find_or_add(ec, &right, &key, &idx)) n_keys++;
        count[idx]++;
    }
    bool intersect = q->setop == SETOP_INTERSECT;
    for (size_t i = 0; rc == 0 && i < l.n; i++) {
        if ((rc = exec_values_key(l.rows[i], w, &key, err)) != 0) break;
        size_t idx = 0;
        size_t cnt = kt_lookup(&right, &key, &idx) ? count[idx] : 0;
        bool keep;
        if (q->setop_all) {
            keep = intersect ? cnt > 0 : cnt == 0;
            if (cnt > 0) count[idx]--;
        } else {
            size_t v = 0;
            bool dup = kt_find_or_add(ec, &seen, &key, &v);
            keep = !dup && (intersect ? cnt > 0 : cnt == 0);
        }
        if (keep) setop_keep(ec, q, l.rows[i], out);
    }
    strbuf_fini(&key);
    return rc;
}

int exec_select_rows(ExecContext *ec, const Query *q, ExecRows *out, DbError *err)
{
    int64_t limit, offset;
    if (eval_limit(ec, q->limit, &limit, true, err) != 0) return -1;
    if (eval_limit(ec, q->offset, &offset, false, err) != 0) return -1;
    ExecRows rows = {0};
    SelectState st = {.ec = ec, .q = q, .out = &rows};
    strbuf_init(&st.key);
    int rc = 0;
    if (q->setop != SETOP_NONE) {
        rc = setop_rows(ec, q, &rows, err);
    } else if (q->n_rows) {
        for (size_t r = 0; rc == 0 && r < q->n_rows; r++) {
            Datum *v = mem_alloc(ec->cx, sizeof(Datum) * (q->n_targets + q->n_sort + 1));
            for (size_t c = 0; rc == 0 && c < q->n_targets; c++)
                rc = exec_eval(ec, q->rows[r][c], NULL, &v[c], err);
            for (size_t s = 0; s < q->n_sort; s++)
                v[q->n_targets + s] = v[q->sort[s].target];
            if (rc == 0) exec_rows_add(ec, &rows, v);
        }
    } else if (q->has_grouping) {
        rc = exec_from(ec, q, group_row, &st, err);
        if (rc == 0) rc = finish_groups(&st, err);
    } else {
        rc = exec_from(ec, q, plain_row, &st, err);
    }
    strbuf_fini(&st.key);
    if (rc != 0) return -1;
    if (q->distinct && distinct_rows(ec, &rows, q->n_targets, err) != 0) return -1;
    if (q->n_sort && rows.n > 1) {
        SortCtx sc = {q};
        qsort_r(rows.rows, rows.n, sizeof(Datum *), sort_cmp, &sc);
    }
    size_t first = offset > 0 ? (size_t)offset : 0;
    for (size_t i = first; i < rows.n; i++) {
        if (limit >= 0 && (int64_t)(i - first) >= limit) break;
        exec_rows_add(ec, out, rows.rows[i]);
    }
    return 0;
}
