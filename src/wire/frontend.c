/*
 * Decoders of frontend messages into structs, with PostgreSQL 16's checks
 * and texts (postgres.c exec_*_message, auth.c recv_password_packet).
 * Strings and values point into the message body; arrays are allocated in
 * the caller's context, and only after the body is known to hold them, so
 * a lying count cannot make us allocate more than the message's size.
 * Deciding what a message means for the session is session/'s job.
 */
#include "wire/wire.h"

#include <string.h>

/*
 * Body layouts (after Byte1 type and Int32 length):
 *   'p' Password   String password
 *   'Q' Query      String sql
 *   'P' Parse      String name | String query | Int16 n | Int32[n] type oids
 *   'B' Bind       String portal | String statement | Int16 nf | Int16[nf]
 *                  formats | Int16 np | np x (Int32 len (-1 NULL) | Byte[len])
 *                  | Int16 nr | Int16[nr] result formats
 *   'D' Describe   Byte1 'S'|'P' | String name
 *   'E' Execute    String portal | Int32 max rows (0 = all)
 *   'C' Close      Byte1 'S'|'P' | String name
 *   'd' CopyData   Byte[n]      'f' CopyFail  String message
 *   'S' Sync, 'H' Flush, 'X' Terminate, 'c' CopyDone: no body
 */

int wire_password_decode(const WireMessage *m, WirePassword *out, DbError *err)
{
    if (m->type != 'p')
        return db_error_fatal(err, SQLSTATE_PROTOCOL_VIOLATION,
                              "expected password response, got message type %d",
                              (unsigned char)m->type);
    if (m->len > LIMIT_PASSWORD_BYTES)
        return db_error_fatal(err, SQLSTATE_PROTOCOL_VIOLATION, "invalid message length");
    const uint8_t *nul = m->len ? memchr(m->body, '\0', m->len) : NULL;
    if (nul == NULL || (size_t)(nul - m->body) + 1 != m->len)
        return db_error_set(err, SQLSTATE_PROTOCOL_VIOLATION, "invalid password packet size");
    out->password = (const char *)m->body;
    out->len = m->len - 1;
    return 0;
}

int wire_query_decode(const WireMessage *m, WireQuery *out, DbError *err)
{
    WireReader r;
    wire_reader_init(&r, m->body, m->len);
    if (wire_reader_cstring(&r, &out->sql, err) != 0) return -1;
    if (wire_reader_end(&r, err) != 0) return -1;
    out->len = strlen(out->sql);
    return 0;
}

int wire_parse_decode(const WireMessage *m, MemContext *cx, WireParse *out, DbError *err)
{
    memset(out, 0, sizeof *out);
    WireReader r;
    wire_reader_init(&r, m->body, m->len);
    if (wire_reader_cstring(&r, &out->name, err) != 0) return -1;
    if (wire_reader_cstring(&r, &out->query, err) != 0) return -1;
    out->query_len = strlen(out->query);
    if (wire_reader_uint16(&r, &out->n_param_types, err) != 0) return -1;
    if (out->n_param_types > 0) {
        if (wire_reader_remaining(&r) < (size_t)out->n_param_types * 4)
            return db_error_set(err, SQLSTATE_PROTOCOL_VIOLATION,
                                "insufficient data left in message");
        uint32_t *types = mem_alloc(cx, (size_t)out->n_param_types * sizeof *types);
        for (size_t i = 0; i < out->n_param_types; i++) {
            int32_t oid;
            if (wire_reader_int32(&r, &oid, err) != 0) return -1;
            types[i] = (uint32_t)oid;
        }
        out->param_types = types;
    }
    return wire_reader_end(&r, err);
}

/* n Int16 format codes, or NULL when n is 0. */
static int wire_formats_read(WireReader *r, MemContext *cx, uint16_t n, const int16_t **out,
                             DbError *err)
{
    *out = NULL;
    if (n == 0) return 0;
    if (wire_reader_remaining(r) < (size_t)n * 2)
        return db_error_set(err, SQLSTATE_PROTOCOL_VIOLATION, "insufficient data left in message");
    int16_t *formats = mem_alloc(cx, (size_t)n * sizeof *formats);
    for (size_t i = 0; i < n; i++)
        if (wire_reader_int16(r, &formats[i], err) != 0) return -1;
    *out = formats;
    return 0;
}

int wire_bind_decode(const WireMessage *m, MemContext *cx, WireBind *out, DbError *err)
{
    memset(out, 0, sizeof *out);
    WireReader r;
    wire_reader_init(&r, m->body, m->len);
    if (wire_reader_cstring(&r, &out->portal, err) != 0) return -1;
    if (wire_reader_cstring(&r, &out->statement, err) != 0) return -1;
    if (wire_reader_uint16(&r, &out->n_param_formats, err) != 0) return -1;
    if (wire_formats_read(&r, cx, out->n_param_formats, &out->param_formats, err) != 0) return -1;
    if (wire_reader_uint16(&r, &out->n_params, err) != 0) return -1;
    if (out->n_param_formats > 1 && out->n_param_formats != out->n_params)
        return db_error_set(err, SQLSTATE_PROTOCOL_VIOLATION,
                            "bind message has %d parameter formats but %d parameters",
                            out->n_param_formats, out->n_params);
    if (out->n_params > 0) {
        /* Each value takes at least its length word. */
        if (wire_reader_remaining(&r) < (size_t)out->n_params * 4)
            return db_error_set(err, SQLSTATE_PROTOCOL_VIOLATION,
                                "insufficient data left in message");
        WireValue *params = mem_alloc(cx, (size_t)out->n_params * sizeof *params);
        for (size_t i = 0; i < out->n_params; i++) {
            int32_t len;
            if (wire_reader_int32(&r, &len, err) != 0) return -1;
            params[i].len = len;
            params[i].data = NULL;
            if (len == -1) continue;
            if (len < 0)
                return db_error_set(err, SQLSTATE_PROTOCOL_VIOLATION,
                                    "insufficient data left in message");
            if (wire_reader_bytes(&r, (size_t)len, &params[i].data, err) != 0) return -1;
        }
        out->params = params;
    }
    if (wire_reader_uint16(&r, &out->n_result_formats, err) != 0) return -1;
    if (wire_formats_read(&r, cx, out->n_result_formats, &out->result_formats, err) != 0) return -1;
    return wire_reader_end(&r, err);
}

/* Describe and Close share a layout: Byte1 kind, String name. */
static int wire_target_decode(const WireMessage *m, const char *what, char *kind, const char **name,
                              DbError *err)
{
    WireReader r;
    wire_reader_init(&r, m->body, m->len);
    uint8_t k;
    if (wire_reader_byte(&r, &k, err) != 0) return -1;
    if (wire_reader_cstring(&r, name, err) != 0) return -1;
    if (wire_reader_end(&r, err) != 0) return -1;
    if (k != 'S' && k != 'P')
        return db_error_set(err, SQLSTATE_PROTOCOL_VIOLATION, "invalid %s message subtype %d", what,
                            k);
    *kind = (char)k;
    return 0;
}

int wire_describe_decode(const WireMessage *m, WireDescribe *out, DbError *err)
{
    return wire_target_decode(m, "DESCRIBE", &out->kind, &out->name, err);
}

int wire_close_decode(const WireMessage *m, WireClose *out, DbError *err)
{
    return wire_target_decode(m, "CLOSE", &out->kind, &out->name, err);
}

int wire_execute_decode(const WireMessage *m, WireExecute *out, DbError *err)
{
    WireReader r;
    wire_reader_init(&r, m->body, m->len);
    if (wire_reader_cstring(&r, &out->portal, err) != 0) return -1;
    if (wire_reader_int32(&r, &out->max_rows, err) != 0) return -1;
    return wire_reader_end(&r, err);
}

int wire_copy_data_decode(const WireMessage *m, WireCopyData *out, DbError *err)
{
    (void)err;
    out->data = m->body;
    out->len = m->len;
    return 0;
}

int wire_copy_fail_decode(const WireMessage *m, WireCopyFail *out, DbError *err)
{
    /* PostgreSQL reads the string and ignores anything after it. */
    WireReader r;
    wire_reader_init(&r, m->body, m->len);
    return wire_reader_cstring(&r, &out->message, err);
}

static int wire_empty_decode(const WireMessage *m, DbError *err)
{
    WireReader r;
    wire_reader_init(&r, m->body, m->len);
    return wire_reader_end(&r, err);
}

int wire_sync_decode(const WireMessage *m, DbError *err)
{
    return wire_empty_decode(m, err);
}

int wire_flush_decode(const WireMessage *m, DbError *err)
{
    return wire_empty_decode(m, err);
}

int wire_terminate_decode(const WireMessage *m, DbError *err)
{
    (void)m;
    (void)err;
    return 0;
}

int wire_copy_done_decode(const WireMessage *m, DbError *err)
{
    (void)m;
    (void)err;
    return 0;
}

int wire_frontend_decode(const WireMessage *m, MemContext *cx, WireFrontend *out, DbError *err)
{
    memset(out, 0, sizeof *out);
    out->type = m->type;
    switch (m->type) {
    case 'p':
        return wire_password_decode(m, &out->u.password, err);
    case 'Q':
        return wire_query_decode(m, &out->u.query, err);
    case 'P':
        return wire_parse_decode(m, cx, &out->u.parse, err);
    case 'B':
        return wire_bind_decode(m, cx, &out->u.bind, err);
    case 'D':
        return wire_describe_decode(m, &out->u.describe, err);
    case 'E':
        return wire_execute_decode(m, &out->u.execute, err);
    case 'C':
        return wire_close_decode(m, &out->u.close, err);
    case 'd':
        return wire_copy_data_decode(m, &out->u.copy_data, err);
    case 'f':
        return wire_copy_fail_decode(m, &out->u.copy_fail, err);
    case 'S':
        return wire_sync_decode(m, err);
    case 'H':
        return wire_flush_decode(m, err);
    case 'X':
        return wire_terminate_decode(m, err);
    case 'c':
        return wire_copy_done_decode(m, err);
    case 'F':
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                            "fastpath function calls not supported");
    default:
        return db_error_fatal(err, SQLSTATE_PROTOCOL_VIOLATION, "invalid frontend message type %d",
                              (unsigned char)m->type);
    }
}
