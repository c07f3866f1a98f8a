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

/* RETURNING rows, sent after the writes. */
static int returning_add(ExecContext *ec, const Query *q, const Datum *row, ExecRows *out,
                         DbError *err)
{
    if (!q->n_returning) return 0;
    Datum *v = mem_alloc(ec->cx, sizeof(Datum) * (q->n_returning + 1));
    for (size_t i = 0; i < q->n_returning; i++)
        if (exec_eval(ec, q->returning[i].expr, row, &v[i], err) != 0) return -1;
    exec_rows_add(ec, out, v);
    return 0;
}

static int returning_send(const Query *q, ResultSink *sink, const ExecRows *rows, DbError *err)
{
    if (!q->n_returning) return 0;
    if (sink->columns(sink->arg, q->returning, q->n_returning, err) != 0) return -1;
    for (size_t i = 0; i < rows->n; i++)
        if (sink->row(sink->arg, rows->rows[i], q->n_returning, err) != 0) return -1;
    return 0;
}

/* INSERT … ON CONFLICT for a row whose key exists: nothing, or the
 * DO UPDATE over [existing][excluded].  *wrote tells whether a row was
 * updated (and counts). */
static int insert_conflict(ExecContext *ec, const Query *q, const Datum *row, const StrBuf *key,
                           const StrBuf *existing, Datum **written, DbError *err)
{
    const TableDesc *t = q->target;
    *written = NULL;
    if (q->on_conflict == CONFLICT_NOTHING) return 0;
    size_t n = t->n_columns;
    Datum *both = mem_alloc(ec->cx, sizeof(Datum) * (2 * n + 1));
    if (exec_row_decode(ec, t, (const uint8_t *)key->data, key->len,
                        (const uint8_t *)existing->data, existing->len, both, err) != 0)
        return -1;
    memcpy(both + n, row, sizeof(Datum) * n);
    if (q->conflict_where) {
        Datum w;
        if (exec_eval(ec, q->conflict_where, both, &w, err) != 0) return -1;
        if (w.is_null || !w.v.b) return 0;
    }
    Datum *nrow = mem_alloc(ec->cx, sizeof(Datum) * (n + 1));
    memcpy(nrow, both, sizeof(Datum) * n);
    for (size_t s = 0; s < q->n_conflict_set; s++)
        if (exec_eval(ec, q->conflict_set[s].expr, both, &nrow[q->conflict_set[s].column], err))
            return -1;
    StrBuf nk;
    strbuf_init(&nk);
    int rc = exec_row_key(t, nrow, &nk, err);
    bool same = rc == 0 && nk.len == key->len && memcmp(nk.data, key->data, nk.len) == 0;
    strbuf_fini(&nk);
    if (rc != 0) return -1;
    if (!same) {
        if (txn_delete(ec->txn, key->data, key->len, JOURNAL_KIND_KEY_WRITE, true, err) != 0)
            return -1;
        if (exec_row_write(ec, t, nrow, true, true, q->checks, err) != 0) return -1;
    } else if (exec_row_write(ec, t, nrow, false, false, q->checks, err) != 0) {
        return -1;
    }
    *written = nrow;
    return 0;
}

int exec_insert(ExecContext *ec, const Query *q, ResultSink *sink, uint64_t *rows, DbError *err)
{
    const TableDesc *t = q->target;
    size_t n_src = q->source ? 0 : q->n_rows;
    ExecRows src = {0}, ret = {0};
    if (q->source) {
        if (exec_select_rows(ec, q->source, &src, err) != 0) return -1;
        n_src = src.n;
    }
    bool *listed = mem_alloc0(ec->cx, t->n_columns + 1);
    for (size_t i = 0; i < q->n_insert_cols; i++)
        listed[q->insert_cols[i]] = true;
    StrBuf key, existing;
    strbuf_init(&key);
    strbuf_init(&existing);
    /* Keys this statement wrote: ON CONFLICT DO UPDATE may not touch a row
     * twice. */
    StrBuf seen;
    strbuf_init(&seen);
    int rc = 0;
    for (size_t r = 0; rc == 0 && r < n_src; r++) {
        Datum *row = mem_alloc(ec->cx, sizeof(Datum) * (t->n_columns + 1));
        for (size_t c = 0; rc == 0 && c < t->n_columns; c++) {
            row[c] = datum_null(t->columns[c].type);
            if (!listed[c] && q->defaults && q->defaults[c])
                rc = exec_eval(ec, q->defaults[c], NULL, &row[c], err);
        }
        for (size_t i = 0; rc == 0 && i < q->n_insert_cols; i++) {
            if (q->source) {
                row[q->insert_cols[i]] = src.rows[r][i];
            } else {
                rc = exec_eval(ec, q->rows[r][i], NULL, &row[q->insert_cols[i]], err);
            }
        }
        if (rc != 0) break;
        if (q->on_conflict != CONFLICT_NONE && t->n_pk) {
            bool found = false;
            rc = exec_row_key(t, row, &key, err);
            if (rc == 0) rc = txn_get(ec->txn, key.data, key.len, &existing, &found, err);
            if (rc != 0) break;
            if (found) {
                if (q->on_conflict == CONFLICT_UPDATE) {
                    for (size_t off = 0; off + 4 <= seen.len;) {
                        uint32_t kl = (uint32_t)(uint8_t)seen.data[off] << 24 |
                                      (uint32_t)(uint8_t)seen.data[off + 1] << 16 |
                                      (uint32_t)(uint8_t)seen.data[off + 2] << 8 |
                                      (uint8_t)seen.data[off + 3];
                        if (kl == key.len && memcmp(seen.data + off + 4, key.data, kl) == 0) {
                            db_error_set(err, SQLSTATE_CARDINALITY_VIOLATION,
                                         "ON CONFLICT DO UPDATE command cannot affect row a "
                                         "second time");
                            db_error_hint(err, "Ensure that no rows proposed for insertion within "
                                               "the same command have duplicate constrained "
                                               "values.");
                            rc = -1;
                            break;
                        }
                        off += 4 + kl;
                    }
                    if (rc != 0) break;
                }
                Datum *written;
                rc = insert_conflict(ec, q, row, &key, &existing, &written, err);
                if (rc == 0 && written) {
                    strbuf_append_be32(&seen, (uint32_t)key.len);
                    strbuf_append(&seen, key.data, key.len);
                    rc = returning_add(ec, q, written, &ret, err);
                    (*rows)++;
                }
                continue;
            }
            rc = exec_row_write(ec, t, row, false, true, q->checks, err);
            if (rc == 0 && q->on_conflict == CONFLICT_UPDATE) {
                strbuf_append_be32(&seen, (uint32_t)key.len);
                strbuf_append(&seen, key.data, key.len);
            }
        } else {
            rc = exec_row_write(ec, t, row, true, true, q->checks, err);
        }
        if (rc == 0) rc = returning_add(ec, q, row, &ret, err);
        if (rc == 0) (*rows)++;
    }
    strbuf_fini(&key);
    strbuf_fini(&existing);
    strbuf_fini(&seen);
    if (rc != 0) return -1;
    return returning_send(q, sink, &ret, err);
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
    StrBuf seen; /* keys collected (UPDATE … FROM may join a row twice) */
} CollectState;

static int collect_row(void *arg, const ExecRow *r, DbError *err)
{
    (void)err;
    CollectState *cs = arg;
    const uint8_t *key = r->key;
    size_t key_len = r->key_len;
    if (cs->q->n_from > 1) {
        /* A target row matching several FROM rows is written once. */
        for (size_t off = 0; off + 4 <= cs->seen.len;) {
            const uint8_t *p = (const uint8_t *)cs->seen.data + off;
            size_t kl = (size_t)p[0] << 24 | (size_t)p[1] << 16 | (size_t)p[2] << 8 | p[3];
            if (kl == key_len && memcmp(p + 4, key, kl) == 0) return 0;
            off += 4 + kl;
        }
        strbuf_append_be32(&cs->seen, (uint32_t)key_len);
        strbuf_append(&cs->seen, key, key_len);
    }
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

int exec_update_delete(ExecContext *ec, const Query *q, ResultSink *sink, uint64_t *rows,
                       DbError *err)
{
    ExecRows ret = {0};
    const TableDesc *t = q->target;
    CollectState cs = {.ec = ec, .q = q};
    strbuf_init(&cs.seen);
    int frc = exec_from(ec, q, collect_row, &cs, err);
    strbuf_fini(&cs.seen);
    if (frc != 0) return -1;
    bool key_change = q->kind == QUERY_UPDATE && set_touches_key(t, q);
    for (size_t i = 0; i < cs.n; i++) {
        Victim *v = &cs.v[i];
        if (q->kind == QUERY_DELETE) {
            if (txn_delete(ec->txn, v->key, v->key_len, JOURNAL_KIND_KEY_WRITE, true, err) != 0)
                return -1;
            if (returning_add(ec, q, v->row, &ret, err) != 0) return -1;
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
            if (exec_row_write(ec, t, nrow, !same, true, q->checks, err) != 0) return -1;
        } else if (t->n_pk == 0) {
            /* A table without a primary key keeps its hidden row id. */
            if (exec_row_write_at(ec, t, nrow, v->key, v->key_len, JOURNAL_KIND_NONKEY_WRITE,
                                  q->checks, err) != 0)
                return -1;
        } else if (exec_row_write(ec, t, nrow, false, false, q->checks, err) != 0) {
            return -1;
        }
        if (returning_add(ec, q, nrow, &ret, err) != 0) return -1;
        (*rows)++;
    }
    return returning_send(q, sink, &ret, err);
}
