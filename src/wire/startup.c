/*
 * The startup phase: the first packet on a connection, before any typed
 * message.  Decodes SSLRequest, GSSENCRequest, CancelRequest and the
 * StartupMessage with PostgreSQL 16's rules and error texts
 * (ProcessStartupPacket), and encodes NegotiateProtocolVersion.  What to do
 * with a request (answer 'S', start TLS, cancel, authenticate) is session/
 * and server/'s business.
 *
 *   offset  size  field
 *   0       4     length, self included (8 .. 4 + LIMIT_STARTUP_PACKET_BYTES)
 *   4       4     protocol (3.0 = 196608) or request code (1234.56xx)
 *   8       n     StartupMessage: name\0value\0 ... \0 (one final NUL)
 *   8       8     CancelRequest: Int32 process id, Int32 secret key
 */
#include "wire/wire.h"

#include <string.h>

static uint32_t wire_be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static int wire_startup_bad_length(DbError *err)
{
    return db_error_fatal(err, SQLSTATE_PROTOCOL_VIOLATION, "invalid length of startup packet");
}

static int wire_startup_bad_layout(DbError *err)
{
    return db_error_fatal(err, SQLSTATE_PROTOCOL_VIOLATION,
                          "invalid startup packet layout: expected terminator as last byte");
}

/* Scans name/value pairs as PostgreSQL does, but with every string bounded
 * by the packet instead of by a NUL appended after it. */
static int wire_startup_params(const uint8_t *body, size_t len, MemContext *cx, WireStartup *out,
                               DbError *err)
{
    size_t offset = 4;
    while (offset < len) {
        if (body[offset] == '\0') break; /* the terminator */
        const uint8_t *name_end = memchr(body + offset, '\0', len - offset);
        if (name_end == NULL) return wire_startup_bad_layout(err);
        size_t value_offset = (size_t)(name_end - body) + 1;
        if (value_offset >= len) return wire_startup_bad_layout(err); /* no value */
        const uint8_t *value_end = memchr(body + value_offset, '\0', len - value_offset);
        if (value_end == NULL) return wire_startup_bad_layout(err);
        const char *name = (const char *)body + offset;
        const char *value = (const char *)body + value_offset;
        if (strncmp(name, "_pq_.", 5) == 0) {
            /* Reserved for protocol options, none of which exists yet. */
            if (out->n_protocol_options == LIMIT_STARTUP_PARAMS) goto too_many;
            out->protocol_options[out->n_protocol_options++] = mem_strdup(cx, name);
        } else {
            if (out->n_params == LIMIT_STARTUP_PARAMS) goto too_many;
            out->names[out->n_params] = mem_strdup(cx, name);
            out->values[out->n_params] = mem_strdup(cx, value);
            out->n_params++;
        }
        offset = (size_t)(value_end - body) + 1;
    }
    if (offset != len - 1) return wire_startup_bad_layout(err);
    return 0;
too_many:
    db_error_fatal(err, SQLSTATE_PROTOCOL_VIOLATION, "too many parameters in startup packet");
    db_error_detail(err, "At most %d parameters are accepted.", LIMIT_STARTUP_PARAMS);
    return -1;
}

int wire_startup_decode(const uint8_t *body, size_t len, MemContext *cx, WireStartup *out,
                        DbError *err)
{
    memset(out, 0, sizeof *out);
    if (len < 4 || len > LIMIT_STARTUP_PACKET_BYTES) return wire_startup_bad_length(err);
    uint32_t code = wire_be32(body);
    out->protocol = code;
    out->requested_protocol = code;
    switch (code) {
    case WIRE_CODE_CANCEL_REQUEST:
        if (len != 12) return wire_startup_bad_length(err);
        out->kind = WIRE_STARTUP_CANCEL;
        out->cancel_pid = (int32_t)wire_be32(body + 4);
        out->cancel_key = (int32_t)wire_be32(body + 8);
        return 0;
    case WIRE_CODE_SSL_REQUEST:
    case WIRE_CODE_GSSENC_REQUEST:
        if (len != 4) return wire_startup_bad_length(err);
        out->kind =
            code == WIRE_CODE_SSL_REQUEST ? WIRE_STARTUP_SSL_REQUEST : WIRE_STARTUP_GSSENC_REQUEST;
        return 0;
    default:
        break;
    }
    if (WIRE_PROTOCOL_MAJOR(code) != 3)
        return db_error_fatal(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                              "unsupported frontend protocol %u.%u: server supports 3.0 to 3.0",
                              WIRE_PROTOCOL_MAJOR(code), WIRE_PROTOCOL_MINOR(code));
    out->kind = WIRE_STARTUP_MESSAGE;
    out->protocol = WIRE_PROTOCOL_3_0;
    if (wire_startup_params(body, len, cx, out, err) != 0) return -1;
    const char *user = wire_startup_param(out, "user");
    if (user == NULL || user[0] == '\0')
        return db_error_fatal(err, SQLSTATE_INVALID_AUTHORIZATION_SPECIFICATION,
                              "no PostgreSQL user name specified in startup packet");
    return 0;
}

int wire_startup_read(NetConn *conn, MemContext *cx, WireStartup *out, DbError *err)
{
    uint8_t word[4];
    /* The first byte alone: no data at all is a quiet disconnect (net's
     * 08006), a partial length word is a broken client. */
    if (net_conn_read_full(conn, word, 1, err) != 0) return -1;
    if (net_conn_read_full(conn, word + 1, 3, err) != 0) goto incomplete;
    uint32_t length = wire_be32(word);
    if (length < 8 || length - 4 > LIMIT_STARTUP_PACKET_BYTES) return wire_startup_bad_length(err);
    size_t len = length - 4;
    uint8_t *body = mem_alloc(cx, len);
    if (net_conn_read_full(conn, body, len, err) != 0) goto incomplete;
    return wire_startup_decode(body, len, cx, out, err);
incomplete:
    if (net_conn_eof(conn))
        return db_error_fatal(err, SQLSTATE_PROTOCOL_VIOLATION, "incomplete startup packet");
    return -1;
}

const char *wire_startup_param(const WireStartup *s, const char *name)
{
    for (size_t i = s->n_params; i > 0; i--)
        if (strcmp(s->names[i - 1], name) == 0) return s->values[i - 1];
    return NULL;
}

bool wire_startup_needs_negotiation(const WireStartup *s)
{
    return s->kind == WIRE_STARTUP_MESSAGE &&
           (WIRE_PROTOCOL_MINOR(s->requested_protocol) > 0 || s->n_protocol_options > 0);
}

void wire_startup_negotiation_encode(StrBuf *out, const WireStartup *s)
{
    wire_negotiate_protocol_version_encode(out, WIRE_PROTOCOL_3_0, s->protocol_options,
                                           s->n_protocol_options);
}
