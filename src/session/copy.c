/*
 * COPY over the protocol, run inside the statement's transaction (dispatch
 * has entered it; rows written count against the same limits as INSERT).
 *
 *   COPY t [(cols)] FROM STDIN:  CopyInResponse ──► { CopyData }* ──► CopyDone
 *                                  ──► rows written through exec_row_write ──► "COPY n"
 *                                (CopyFail ──► 57014; Flush/Sync ignored meanwhile)
 *   COPY t [(cols)] | (query) TO STDOUT:
 *                                CopyOutResponse ──► CopyData per row ──► CopyDone ──► "COPY n"
 *
 * Records are parsed as they arrive (copy_format.c), so a large COPY holds
 * at most one CopyData message and one partial record beyond the rows the
 * transaction buffers.
 */
#include <stdio.h>
#include <string.h>

#include "session/copy.h"

typedef struct CopyIn {
    Session *s;
    ExecContext ec;
    const CopyOptions *o;
    TableDesc *t;
    int *cols; /* table column of each input field */
    size_t n_cols;
    MemContext *row_cx;
    uint64_t rows;
    bool header_pending;
    bool ended;      /* \. seen: the rest is ignored */
    Expr **checks;   /* the table's CHECK constraints */
    Expr **defaults; /* column defaults, for columns COPY does not list */
} CopyIn;

static bool copy_lists_column(const CopyIn *ci, size_t c)
{
    for (size_t i = 0; i < ci->n_cols; i++)
        if ((size_t)ci->cols[i] == c) return true;
    return false;
}

/* The table's columns named in the list, or all of them. */
static int copy_columns(Session *s, const PgQuery__CopyStmt *cs, const TableDesc *t, int **out,
                        size_t *n, DbError *err)
{
    size_t count = cs->n_attlist ? cs->n_attlist : t->n_columns;
    int *cols = mem_alloc0(s->stmt_cx, sizeof(int) * (count + 1));
    for (size_t i = 0; i < count; i++) {
        if (!cs->n_attlist) {
            cols[i] = (int)i;
            continue;
        }
        const char *name = cs->attlist[i]->string->sval;
        int c = catalog_column_index(t, name);
        if (c < 0)
            return db_error_set(err, SQLSTATE_UNDEFINED_COLUMN,
                                "column \"%s\" of relation \"%s\" does not exist", name, t->name);
        for (size_t k = 0; k < i; k++)
            if (cols[k] == c)
                return db_error_set(err, SQLSTATE_DUPLICATE_COLUMN,
                                    "column \"%s\" specified more than once", name);
        cols[i] = c;
    }
    *out = cols;
    *n = count;
    return 0;
}

static int copy_in_record(CopyIn *ci, const char *rec, size_t len, DbError *err)
{
    if (len && rec[len - 1] == '\r') len--;
    if (len == 2 && rec[0] == '\\' && rec[1] == '.') {
        ci->ended = true;
        return 0;
    }
    if (ci->header_pending) {
        ci->header_pending = false;
        return 0;
    }
    mem_context_reset(ci->row_cx);
    const char **vals = mem_alloc0(ci->row_cx, sizeof(char *) * (ci->n_cols + 1));
    size_t *lens = mem_alloc0(ci->row_cx, sizeof(size_t) * (ci->n_cols + 1));
    size_t n;
    if (session_copy_fields(ci->o, rec, len, ci->row_cx, vals, lens, ci->n_cols, &n, err) != 0)
        return -1;
    const TableDesc *t = ci->t;
    if (n > ci->n_cols)
        return db_error_set(err, SQLSTATE_BAD_COPY_FILE_FORMAT,
                            "extra data after last expected column");
    if (n < ci->n_cols)
        return db_error_set(err, SQLSTATE_BAD_COPY_FILE_FORMAT, "missing data for column \"%s\"",
                            t->columns[ci->cols[n]].name);
    Datum *row = mem_alloc0(ci->row_cx, sizeof(Datum) * (t->n_columns + 1));
    ci->ec.cx = ci->row_cx;
    for (size_t c = 0; c < t->n_columns; c++) {
        row[c] = datum_null(t->columns[c].type);
        /* Columns COPY does not list take their defaults. */
        if (ci->defaults && ci->defaults[c] && !copy_lists_column(ci, c) &&
            exec_eval(&ci->ec, ci->defaults[c], NULL, &row[c], err) != 0)
            return -1;
    }
    for (size_t i = 0; i < n; i++) {
        const ColumnDesc *col = &t->columns[ci->cols[i]];
        if (!vals[i]) continue;
        if (type_input(col->type, col->typmod, vals[i], lens[i], ci->row_cx, &row[ci->cols[i]],
                       err) != 0)
            return -1;
    }
    if (exec_row_write(&ci->ec, t, row, true, true, ci->checks, err) != 0) return -1;
    ci->rows++;
    return 0;
}

/* Parses every complete record in buf and keeps the incomplete rest. */
static int copy_in_consume(CopyIn *ci, StrBuf *buf, bool final, DbError *err)
{
    size_t pos = 0;
    while (!ci->ended && pos < buf->len) {
        long end = session_copy_record_end(ci->o, buf->data + pos, buf->len - pos);
        if (end < 0 && !final) break;
        size_t rec_len = end < 0 ? buf->len - pos : (size_t)end;
        if (copy_in_record(ci, buf->data + pos, rec_len, err) != 0) return -1;
        pos += rec_len + (end < 0 ? 0 : 1);
    }
    if (ci->ended) pos = buf->len;
    memmove(buf->data, buf->data + pos, buf->len - pos);
    buf->len -= pos;
    return 0;
}

static int copy_from(Session *s, const PgQuery__CopyStmt *cs, const CopyOptions *o, TableDesc *t,
                     DbError *err)
{
    CopyIn ci = {
        .s = s, .ec = session_exec_context(s), .o = o, .t = t, .header_pending = o->header};
    if (copy_columns(s, cs, t, &ci.cols, &ci.n_cols, err) != 0) return -1;
    AnalyzeContext ac = {.cx = s->stmt_cx, .txn = s->txn};
    if (analyze_table_checks(&ac, t, &ci.checks, err) != 0) return -1;
    if (analyze_table_defaults(&ac, t, &ci.defaults, err) != 0) return -1;
    int16_t *formats = mem_alloc0(s->stmt_cx, sizeof(int16_t) * (ci.n_cols + 1));
    wire_copy_in_response_encode(&s->out, 0, formats, ci.n_cols);
    if (wire_flush(s->conn, &s->out, err) != 0) return -1;
    ci.row_cx = mem_context_create(s->stmt_cx, "copy row");
    StrBuf in, pending;
    strbuf_init(&in);
    strbuf_init(&pending);
    int rc = 0;
    for (bool done = false; !done && rc == 0;) {
        WireMessage m;
        if (wire_message_read(s->conn, &in, &m, err) != 0) {
            rc = -1;
            break;
        }
        switch (m.type) {
        case 'd':
            strbuf_append(&pending, m.body, m.len);
            rc = copy_in_consume(&ci, &pending, false, err);
            break;
        case 'c':
            rc = copy_in_consume(&ci, &pending, true, err);
            done = true;
            break;
        case 'f': {
            WireCopyFail f;
            if (wire_copy_fail_decode(&m, &f, err) == 0)
                db_error_set(err, SQLSTATE_QUERY_CANCELED, "COPY from stdin failed: %s", f.message);
            rc = -1;
            break;
        }
        case 'H':
        case 'S':
            /* Ignored, as PostgreSQL does, for clients that send them
             * without noticing the command was COPY. */
            break;
        default:
            rc = db_error_set(err, SQLSTATE_PROTOCOL_VIOLATION,
                              "unexpected message type 0x%02X during COPY from stdin",
                              (unsigned)(unsigned char)m.type);
            break;
        }
    }
    strbuf_fini(&in);
    strbuf_fini(&pending);
    if (rc != 0) return -1;
    char tag[64];
    snprintf(tag, sizeof tag, "COPY %llu", (unsigned long long)ci.rows);
    session_command_complete(s, tag);
    return 0;
}

/* ---- COPY TO ---- */

typedef struct CopyOut {
    Session *s;
    const CopyOptions *o;
    const int *cols; /* NULL: the values in order */
    size_t n_cols;
    StrBuf line, text;
    uint64_t rows;
} CopyOut;

static int copy_out_send(CopyOut *co, DbError *err)
{
    strbuf_append_char(&co->line, '\n');
    wire_copy_data_encode(&co->s->out, co->line.data, co->line.len);
    strbuf_reset(&co->line);
    if (co->s->out.len > 64 * 1024) return wire_flush(co->s->conn, &co->s->out, err);
    return 0;
}

static int copy_out_header(CopyOut *co, const char *const *names, size_t n, DbError *err)
{
    co->n_cols = n;
    if (!co->o->header) return 0;
    for (size_t i = 0; i < n; i++) {
        if (i) strbuf_append_char(&co->line, co->o->delim);
        session_copy_field_out(co->o, names[i], strlen(names[i]), n == 1, &co->line);
    }
    return copy_out_send(co, err);
}

static int copy_out_row(CopyOut *co, const Datum *values, DbError *err)
{
    for (size_t i = 0; i < co->n_cols; i++) {
        const Datum *d = &values[co->cols ? (size_t)co->cols[i] : i];
        if (i) strbuf_append_char(&co->line, co->o->delim);
        if (d->is_null) {
            session_copy_field_out(co->o, NULL, 0, co->n_cols == 1, &co->line);
            continue;
        }
        strbuf_reset(&co->text);
        type_output(d, &co->text);
        session_copy_field_out(co->o, co->text.data ? co->text.data : "", co->text.len,
                               co->n_cols == 1, &co->line);
    }
    co->rows++;
    return copy_out_send(co, err);
}

static int copy_out_columns(void *arg, const TargetEntry *targets, size_t n, DbError *err)
{
    CopyOut *co = arg;
    const char **names = mem_alloc0(co->s->stmt_cx, sizeof(char *) * (n + 1));
    for (size_t i = 0; i < n; i++)
        names[i] = targets[i].name ? targets[i].name : "?column?";
    return copy_out_header(co, names, n, err);
}

static int copy_out_sink_row(void *arg, const Datum *values, size_t n, DbError *err)
{
    (void)n;
    return copy_out_row(arg, values, err);
}

static int copy_out_scan_row(void *arg, const uint8_t *key, size_t key_len, Datum *row,
                             DbError *err)
{
    (void)key;
    (void)key_len;
    return copy_out_row(arg, row, err);
}

static int copy_to(Session *s, const PgQuery__CopyStmt *cs, const CopyOptions *o, TableDesc *t,
                   AnalyzeContext *ac, DbError *err)
{
    CopyOut co = {.s = s, .o = o};
    Query *q = NULL;
    int *cols = NULL;
    size_t n_cols;
    if (t) {
        if (copy_columns(s, cs, t, &cols, &n_cols, err) != 0) return -1;
    } else {
        if (cs->query->node_case != PG_QUERY__NODE__NODE_SELECT_STMT)
            return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED, "COPY query must be a SELECT");
        if (analyze_select(ac, cs->query->select_stmt, &q, err) != 0) return -1;
        n_cols = q->n_targets;
    }
    int16_t *formats = mem_alloc0(s->stmt_cx, sizeof(int16_t) * (n_cols + 1));
    wire_copy_out_response_encode(&s->out, 0, formats, n_cols);
    strbuf_init(&co.line);
    strbuf_init(&co.text);
    ExecContext ec = session_exec_context(s);
    int rc;
    if (t) {
        co.cols = cols;
        const char **names = mem_alloc0(s->stmt_cx, sizeof(char *) * (n_cols + 1));
        for (size_t i = 0; i < n_cols; i++)
            names[i] = t->columns[cols[i]].name;
        rc = copy_out_header(&co, names, n_cols, err);
        if (rc == 0) rc = exec_table_scan(&ec, t, copy_out_scan_row, &co, err);
    } else {
        ResultSink sink = {copy_out_columns, copy_out_sink_row, &co};
        uint64_t ignored;
        rc = exec_query(&ec, q, &sink, &ignored, err);
    }
    strbuf_fini(&co.line);
    strbuf_fini(&co.text);
    if (rc != 0) return -1;
    wire_copy_done_encode(&s->out);
    char tag[64];
    snprintf(tag, sizeof tag, "COPY %llu", (unsigned long long)co.rows);
    session_command_complete(s, tag);
    return 0;
}

/* A byte offset in the query as the 1-based character position of an
 * ErrorResponse. */
static int copy_char_position(const char *sql, int location)
{
    int chars = 0;
    for (int i = 0; i < location && sql[i]; i++)
        if (((unsigned char)sql[i] & 0xC0) != 0x80) chars++;
    return chars + 1;
}

int session_copy(Session *s, const ParsedStmt *ps, DbError *err)
{
    const PgQuery__CopyStmt *cs = ps->node->copy_stmt;
    if (cs->is_program || (cs->filename && cs->filename[0]))
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                            "COPY to or from a file is not supported");
    if (cs->where_clause)
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                            "COPY FROM with WHERE is not supported");
    const char *sql = ps->text - ps->location;
    CopyOptions o;
    int location;
    if (session_copy_options(cs, &o, &location, err) != 0) {
        if (location >= 0) err->position = copy_char_position(sql, location);
        return -1;
    }
    AnalyzeContext ac = {.cx = s->stmt_cx, .sql = sql, .txn = s->txn};
    TableDesc *t = NULL;
    if (cs->relation && analyze_table(&ac, cs->relation, &t, err) != 0) {
        /* PostgreSQL opens COPY's table without a parse position. */
        err->position = 0;
        return -1;
    }
    if (cs->is_from) return copy_from(s, cs, &o, t, err);
    return copy_to(s, cs, &o, t, &ac, err);
}
