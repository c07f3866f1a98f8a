/*
 * Query results on the wire.  Two ResultSinks:
 *   - WireSink (simple protocol): RowDescription, then text DataRows,
 *     flushing large results as they are made;
 *   - PortalSink (extended protocol): DataRows in Bind's result formats
 *     (text via type_output, binary via types/binary.c), sent at once or
 *     stored for a portal that returns them max_rows at a time; in capture
 *     mode it only records the columns, for Parse and Describe.
 */
#include <string.h>

#include "session/extended.h"
#include "types/binary.h"

/* Results bigger than this are flushed while they are made. */
#define SESSION_RESULT_FLUSH_BYTES (64 * 1024)

WireField *session_fields_from_targets(MemContext *cx, const TargetEntry *targets, size_t n)
{
    WireField *fields = mem_alloc0(cx, sizeof(WireField) * (n + 1));
    for (size_t i = 0; i < n; i++) {
        const TypeInfo *ti = type_info(targets[i].expr->type);
        fields[i].name = mem_strdup(cx, targets[i].name ? targets[i].name : "?column?");
        fields[i].type_oid = targets[i].expr->type;
        fields[i].typlen = ti ? ti->typlen : -1;
        fields[i].typmod = targets[i].expr->typmod;
        fields[i].format = 0;
    }
    return fields;
}

static int session_sink_columns(void *arg, const TargetEntry *targets, size_t n, DbError *err)
{
    (void)err;
    WireSink *ws = arg;
    ws->n_cols = n;
    wire_row_description_encode(&ws->s->out,
                                session_fields_from_targets(ws->s->stmt_cx, targets, n), n);
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
    if (ws->s->out.len > SESSION_RESULT_FLUSH_BYTES)
        return wire_flush(ws->s->conn, &ws->s->out, err);
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

/* ---- PortalSink ---- */

int16_t session_result_format(const int16_t *formats, size_t n, size_t i)
{
    if (n == 0) return 0;
    if (n == 1) return formats[0];
    return i < n ? formats[i] : 0;
}

static int session_portal_sink_columns(void *arg, const TargetEntry *targets, size_t n,
                                       DbError *err)
{
    PortalSink *ps = arg;
    ps->described = true;
    if (ps->capture_cx) {
        ps->fields = session_fields_from_targets(ps->capture_cx, targets, n);
        ps->n_fields = n;
        return 0;
    }
    if (ps->n_formats > 1 && ps->n_formats != n)
        return db_error_set(err, SQLSTATE_PROTOCOL_VIOLATION,
                            "bind message has %zu result formats but query has %zu columns",
                            ps->n_formats, n);
    return 0;
}

static int session_portal_sink_row(void *arg, const Datum *values, size_t n, DbError *err)
{
    PortalSink *ps = arg;
    if (ps->capture_cx) return 0;
    /* Values are encoded back to back in scratch; their offsets become
     * pointers once scratch has stopped growing. */
    size_t *starts = mem_alloc(ps->s->stmt_cx, sizeof(size_t) * (n + 1));
    WireValue *vals = mem_alloc0(ps->s->stmt_cx, sizeof(WireValue) * (n + 1));
    strbuf_reset(&ps->scratch);
    for (size_t i = 0; i < n; i++) {
        starts[i] = ps->scratch.len;
        if (values[i].is_null) {
            vals[i].len = -1;
            continue;
        }
        if (session_result_format(ps->formats, ps->n_formats, i) == 1) {
            if (type_binary_send(&values[i], &ps->scratch, err) != 0) return -1;
        } else {
            type_output(&values[i], &ps->scratch);
        }
        vals[i].len = (int32_t)(ps->scratch.len - starts[i]);
    }
    for (size_t i = 0; i < n; i++)
        if (vals[i].len >= 0)
            vals[i].data = (const uint8_t *)(ps->scratch.data ? ps->scratch.data : "") + starts[i];
    ps->n_rows++;
    if (ps->store) {
        size_t off = ps->store->len;
        strbuf_append(ps->offsets, &off, sizeof off);
        wire_data_row_encode(ps->store, vals, n);
        return 0;
    }
    wire_data_row_encode(&ps->s->out, vals, n);
    if (ps->s->out.len > SESSION_RESULT_FLUSH_BYTES)
        return wire_flush(ps->s->conn, &ps->s->out, err);
    return 0;
}

void session_portal_sink_init(Session *s, PortalSink *ps, ResultSink *sink)
{
    memset(ps, 0, sizeof *ps);
    ps->s = s;
    strbuf_init(&ps->scratch);
    *sink = (ResultSink){session_portal_sink_columns, session_portal_sink_row, ps};
}

void session_portal_sink_fini(PortalSink *ps)
{
    strbuf_fini(&ps->scratch);
}
