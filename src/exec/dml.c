/*
 * INSERT, UPDATE and DELETE.  INSERT evaluates its VALUES rows (or runs its
 * SELECT) and writes each row; UPDATE and DELETE first collect the rows
 * their WHERE selects, then write, so a statement never reads its own
 * changes while scanning.  An UPDATE of a key column moves the row: delete
 * at the old key, insert at the new one.
 */
#include <string.h>

#include "exec/exec.h"
#include "kv/kv.h"

int exec_insert(ExecContext *ec, const Query *q, uint64_t *rows, DbError *err)
{
    const TableDesc *t = q->target;
    Datum *row = mem_alloc(ec->cx, sizeof(Datum) * (t->n_columns + 1));
    size_t n_src = q->source ? 0 : q->n_rows;
    ExecRows src = {0};
    if (q->source) {
        if (exec_select_rows(ec, q->source, &src, err) != 0) return -1;
        n_src = src.n;
    }
    for (size_t r = 0; r < n_src; r++) {
        for (size_t c = 0; c < t->n_columns; c++)
            row[c] = datum_null(t->columns[c].type);
        for (size_t i = 0; i < q->n_insert_cols; i++) {
            Datum v;
            if (q->source) {
                v = src.rows[r][i];
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

static int collect_row(void *arg, const ExecRow *r, DbError *err)
{
    (void)err;
    CollectState *cs = arg;
    const uint8_t *key = r->key;
    size_t key_len = r->key_len;
    /* The FROM loop reuses its row buffer: keep a copy. */
    Datum *row = mem_alloc(cs->ec->cx, sizeof(Datum) * (cs->q->row_width + 1));
    memcpy(row, r->values, sizeof(Datum) * cs->q->row_width);
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

int exec_update_delete(ExecContext *ec, const Query *q, uint64_t *rows, DbError *err)
{
    const TableDesc *t = q->target;
    CollectState cs = {.ec = ec, .q = q};
    if (exec_from(ec, q, collect_row, &cs, err) != 0) return -1;
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
