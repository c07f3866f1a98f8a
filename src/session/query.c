/*
 * The simple query protocol: parse the whole string, run its statements in
 * order, stop at the first error, end with ReadyForQuery.  One dispatch
 * switch over statement kinds (session_execute); each kind's work lives in
 * its room (analyze/exec for queries, here for SHOW/SET).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "exec/exec.h"
#include "parse/parse.h"
#include "session/session_int.h"

typedef struct WireSink {
    Session *s;
    StrBuf text;
    size_t n_cols;
} WireSink;

static int wire_sink_columns(void *arg, const TargetEntry *targets, size_t n, DbError *err)
{
    (void)err;
    WireSink *ws = arg;
    ws->n_cols = n;
    WireField *fields = mem_alloc0(ws->s->stmt_cx, sizeof(WireField) * (n + 1));
    for (size_t i = 0; i < n; i++) {
        const TypeInfo *ti = type_info(targets[i].expr->type);
        fields[i].name = targets[i].name;
        fields[i].type_oid = targets[i].expr->type;
        fields[i].type_len = ti ? ti->typlen : -1;
        fields[i].type_mod = targets[i].expr->typmod;
        fields[i].format = 0;
    }
    wire_put_row_description(&ws->s->out, fields, n);
    return 0;
}

static int wire_sink_row(void *arg, const Datum *values, size_t n, DbError *err)
{
    WireSink *ws = arg;
    WireValue *vals = mem_alloc0(ws->s->stmt_cx, sizeof(WireValue) * (n + 1));
    for (size_t i = 0; i < n; i++) {
        if (values[i].is_null) {
            vals[i].data = NULL;
            vals[i].len = -1;
            continue;
        }
        strbuf_reset(&ws->text);
        type_output(&values[i], &ws->text);
        vals[i].data =
            mem_strndup(ws->s->stmt_cx, ws->text.data ? ws->text.data : "", ws->text.len);
        vals[i].len = (int32_t)ws->text.len;
    }
    wire_put_data_row(&ws->s->out, vals, n);
    /* Large results go out as they are made. */
    if (ws->s->out.len > 64 * 1024) return wire_flush(ws->s->conn, &ws->s->out, err);
    return 0;
}

static int session_select(Session *s, const ParsedStmt *ps, DbError *err)
{
    AnalyzeContext ac = {.cx = s->stmt_cx, .sql = ps->text};
    Query *q;
    /* Locations in the tree are offsets in the whole query string; analyze
     * reports positions against the statement, so shift by its start. */
    ac.sql = ps->text - ps->location;
    if (analyze_select(&ac, ps->node->select_stmt, &q, err) != 0) return -1;
    size_t idx;
    session_guc_find("search_path", &idx);
    ExecContext ec = {
        .cx = s->stmt_cx,
        .current_user = s->user,
        .session_user = s->user,
        .database = s->database,
        .search_schema = "public",
        .backend_pid = s->pid,
    };
    WireSink ws = {.s = s};
    strbuf_init(&ws.text);
    ResultSink sink = {wire_sink_columns, wire_sink_row, &ws};
    uint64_t rows;
    int rc = exec_query(&ec, q, &sink, &rows, err);
    strbuf_fini(&ws.text);
    if (rc != 0) return -1;
    char tag[64];
    snprintf(tag, sizeof tag, "SELECT %llu", (unsigned long long)rows);
    wire_put_command_complete(&s->out, tag);
    return 0;
}

static int session_show(Session *s, const PgQuery__VariableShowStmt *show, DbError *err)
{
    size_t idx;
    const Guc *g = session_guc_find(show->name, &idx);
    if (!g) {
        if (strcasecmp(show->name, "all") == 0)
            return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                                "SHOW ALL is not supported yet");
        return db_error_set(err, SQLSTATE_UNDEFINED_OBJECT,
                            "unrecognized configuration parameter \"%s\"", show->name);
    }
    WireField f = {.name = g->name, .type_oid = TYPE_TEXT, .type_len = -1, .type_mod = -1};
    wire_put_row_description(&s->out, &f, 1);
    WireValue v = {.data = s->gucs.values[idx], .len = (int32_t)strlen(s->gucs.values[idx])};
    wire_put_data_row(&s->out, &v, 1);
    wire_put_command_complete(&s->out, "SHOW");
    return 0;
}

static int session_execute(Session *s, const ParsedStmt *ps, DbError *err)
{
    if (ps->dsql != PARSE_DSQL_NONE)
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                            "AWS IAM GRANT and REVOKE are not supported yet");
    switch (ps->node->node_case) {
    case PG_QUERY__NODE__NODE_SELECT_STMT:
        return session_select(s, ps, err);
    case PG_QUERY__NODE__NODE_VARIABLE_SHOW_STMT:
        return session_show(s, ps->node->variable_show_stmt, err);
    default:
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                            "statement %s is not supported yet", parse_node_kind_name(ps->node));
    }
}

int session_simple_query(Session *s, const char *sql, DbError *fatal)
{
    DbError err;
    db_error_clear(&err);
    ParseResult pr;
    if (parse_sql(s->stmt_cx, sql, &pr, &err) != 0) {
        session_send_error(s, &err);
    } else if (pr.n_stmts == 0) {
        wire_put_empty_query(&s->out);
    } else {
        for (size_t i = 0; i < pr.n_stmts; i++) {
            if (session_execute(s, &pr.stmts[i], &err) != 0) {
                if (err.severity == DB_SEVERITY_FATAL) {
                    *fatal = err;
                    return -1;
                }
                session_send_error(s, &err);
                break;
            }
        }
    }
    wire_put_ready_for_query(&s->out, s->txn_status);
    return 0;
}
