/*
 * Query results on the wire: a ResultSink that encodes exec's columns as
 * RowDescription and its rows as DataRow (text format), flushing large
 * results as they are made.
 */
#include <string.h>

#include "session/session_int.h"

static int session_sink_columns(void *arg, const TargetEntry *targets, size_t n, DbError *err)
{
    (void)err;
    WireSink *ws = arg;
    ws->n_cols = n;
    WireField *fields = mem_alloc0(ws->s->stmt_cx, sizeof(WireField) * (n + 1));
    for (size_t i = 0; i < n; i++) {
        const TypeInfo *ti = type_info(targets[i].expr->type);
        fields[i].name = targets[i].name;
        fields[i].type_oid = targets[i].expr->type;
        fields[i].typlen = ti ? ti->typlen : -1;
        fields[i].typmod = targets[i].expr->typmod;
        fields[i].format = 0;
    }
    wire_row_description_encode(&ws->s->out, fields, n);
    return 0;
}

static int session_sink_row(void *arg, const Datum *values, size_t n, DbError *err)
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
        vals[i].data = (const uint8_t *)mem_strndup(
            ws->s->stmt_cx, ws->text.data ? ws->text.data : "", ws->text.len);
        vals[i].len = (int32_t)ws->text.len;
    }
    wire_data_row_encode(&ws->s->out, vals, n);
    /* Large results go out as they are made. */
    if (ws->s->out.len > 64 * 1024) return wire_flush(ws->s->conn, &ws->s->out, err);
    return 0;
}

void session_sink_init(Session *s, WireSink *ws, ResultSink *sink)
{
    memset(ws, 0, sizeof *ws);
    ws->s = s;
    strbuf_init(&ws->text);
    *sink = (ResultSink){session_sink_columns, session_sink_row, ws};
}

void session_sink_fini(WireSink *ws)
{
    strbuf_fini(&ws->text);
}
