/*
 * Framed frontend messages and the bounds-checked reader over their
 * bodies, as PostgreSQL's pqcomm.c (pq_getmessage) and pqformat.c
 * (pq_getmsg*) with their error texts.  Also wire_flush, the one place
 * encoded output reaches the socket.
 *
 *   offset  size  field
 *   0       1     type (wire_message_type_valid)
 *   1       4     length, self included: 4 .. LIMIT_MESSAGE_BYTES
 *   5       n     body (length - 4 bytes)
 *
 * Reading a message never interprets its body; frontend.c does.
 */
#include "wire/wire.h"

#include <string.h>

bool wire_message_type_valid(char type)
{
    switch (type) {
    case 'B': /* Bind */
    case 'C': /* Close */
    case 'D': /* Describe */
    case 'E': /* Execute */
    case 'F': /* FunctionCall */
    case 'H': /* Flush */
    case 'P': /* Parse */
    case 'Q': /* Query */
    case 'S': /* Sync */
    case 'X': /* Terminate */
    case 'c': /* CopyDone */
    case 'd': /* CopyData */
    case 'f': /* CopyFail */
    case 'p': /* PasswordMessage and the SASL/GSS responses */
        return true;
    default:
        return false;
    }
}

int wire_message_read(NetConn *conn, StrBuf *scratch, WireMessage *out, DbError *err)
{
    return wire_message_read_limited(conn, scratch, LIMIT_MESSAGE_BYTES, out, err);
}

int wire_message_read_limited(NetConn *conn, StrBuf *scratch, size_t max_length, WireMessage *out,
                              DbError *err)
{
    if (max_length > LIMIT_MESSAGE_BYTES) max_length = LIMIT_MESSAGE_BYTES;
    uint8_t type;
    if (net_conn_read_full(conn, &type, 1, err) != 0) return -1;
    if (!wire_message_type_valid((char)type))
        return db_error_fatal(err, SQLSTATE_PROTOCOL_VIOLATION, "invalid frontend message type %d",
                              type);
    uint8_t word[4];
    if (net_conn_read_full(conn, word, 4, err) != 0) {
        if (net_conn_eof(conn))
            return db_error_fatal(err, SQLSTATE_PROTOCOL_VIOLATION,
                                  "unexpected EOF within message length word");
        return -1;
    }
    uint32_t length =
        ((uint32_t)word[0] << 24) | ((uint32_t)word[1] << 16) | ((uint32_t)word[2] << 8) | word[3];
    if (length < 4 || length > max_length)
        return db_error_fatal(err, SQLSTATE_PROTOCOL_VIOLATION, "invalid message length");
    size_t len = length - 4;
    strbuf_reset(scratch);
    strbuf_reserve(scratch, len);
    if (len > 0 && net_conn_read_full(conn, scratch->data, len, err) != 0) {
        if (net_conn_eof(conn))
            return db_error_fatal(err, SQLSTATE_PROTOCOL_VIOLATION,
                                  "incomplete message from client");
        return -1;
    }
    scratch->len = len;
    scratch->data[len] = '\0';
    out->type = (char)type;
    out->body = (const uint8_t *)scratch->data;
    out->len = len;
    return 0;
}

void wire_reader_init(WireReader *r, const uint8_t *data, size_t len)
{
    r->data = data;
    r->len = len;
    r->pos = 0;
}

size_t wire_reader_remaining(const WireReader *r)
{
    return r->len - r->pos;
}

static int wire_reader_insufficient(DbError *err)
{
    return db_error_set(err, SQLSTATE_PROTOCOL_VIOLATION, "insufficient data left in message");
}

int wire_reader_byte(WireReader *r, uint8_t *out, DbError *err)
{
    if (r->pos >= r->len)
        return db_error_set(err, SQLSTATE_PROTOCOL_VIOLATION, "no data left in message");
    *out = r->data[r->pos++];
    return 0;
}

int wire_reader_uint16(WireReader *r, uint16_t *out, DbError *err)
{
    if (wire_reader_remaining(r) < 2) return wire_reader_insufficient(err);
    const uint8_t *p = r->data + r->pos;
    *out = (uint16_t)((p[0] << 8) | p[1]);
    r->pos += 2;
    return 0;
}

int wire_reader_int16(WireReader *r, int16_t *out, DbError *err)
{
    uint16_t v = 0;
    if (wire_reader_uint16(r, &v, err) != 0) return -1;
    *out = (int16_t)v;
    return 0;
}

int wire_reader_int32(WireReader *r, int32_t *out, DbError *err)
{
    if (wire_reader_remaining(r) < 4) return wire_reader_insufficient(err);
    const uint8_t *p = r->data + r->pos;
    *out =
        (int32_t)(((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3]);
    r->pos += 4;
    return 0;
}

int wire_reader_cstring(WireReader *r, const char **out, DbError *err)
{
    const uint8_t *start = r->data + r->pos;
    const uint8_t *nul = r->pos < r->len ? memchr(start, '\0', r->len - r->pos) : NULL;
    if (nul == NULL)
        return db_error_set(err, SQLSTATE_PROTOCOL_VIOLATION, "invalid string in message");
    *out = (const char *)start;
    r->pos += (size_t)(nul - start) + 1;
    return 0;
}

int wire_reader_bytes(WireReader *r, size_t n, const uint8_t **out, DbError *err)
{
    if (n > wire_reader_remaining(r)) return wire_reader_insufficient(err);
    *out = r->data + r->pos;
    r->pos += n;
    return 0;
}

int wire_reader_end(const WireReader *r, DbError *err)
{
    if (r->pos != r->len)
        return db_error_set(err, SQLSTATE_PROTOCOL_VIOLATION, "invalid message format");
    return 0;
}

int wire_flush(NetConn *conn, StrBuf *out, DbError *err)
{
    if (out->len == 0) return 0;
    int rc = net_conn_write_all(conn, out->data, out->len, err);
    strbuf_reset(out);
    return rc;
}
