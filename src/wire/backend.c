/*
 * Encoders of backend messages, appended to a StrBuf so that a batch of
 * replies leaves in one write (wire_flush).  Every message is
 * wire_msg_begin (type + length placeholder) ... wire_msg_end (patch).
 * Which messages to send, and when, is session/'s business.
 */
#include "wire/wire.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

/*
 * Body layouts (after Byte1 type and Int32 length):
 *   'R' Auth       Int32 0 (ok) | Int32 3 (cleartext password)
 *   'S' ParamStat  String name | String value
 *   'K' KeyData    Int32 pid | Int32 key
 *   'Z' Ready      Byte1 'I'|'T'|'E'
 *   'T' RowDesc    Int16 n | n x (String name | Int32 table oid | Int16 attnum
 *                  | Int32 type oid | Int16 typlen | Int32 typmod | Int16 format)
 *   'D' DataRow    Int16 n | n x (Int32 len (-1 NULL) | Byte[len])
 *   'C' Complete   String tag
 *   'E'/'N'        (Byte1 field code | String value)* | Byte1 0
 *   't' ParamDesc  Int16 n | Int32[n] type oids
 *   'G'/'H' Copy   Int8 overall format | Int16 n | Int16[n] formats
 *   'd' CopyData   Byte[n]
 *   'v' Negotiate  Int32 newest version | Int32 n | String[n] options
 *   no body:       'I' EmptyQueryResponse, '1' ParseComplete, '2' BindComplete,
 *                  '3' CloseComplete, 'n' NoData, 's' PortalSuspended, 'c' CopyDone
 */

/* Counts in Int16 fields; PostgreSQL caps columns at 1664. */
#define WIRE_INT16_COUNT_MAX 32767

size_t wire_msg_begin(StrBuf *out, char type)
{
    strbuf_append_char(out, type);
    size_t start = out->len;
    strbuf_append_be32(out, 0);
    return start;
}

void wire_msg_end(StrBuf *out, size_t start)
{
    assert(out->len - start <= UINT32_MAX);
    strbuf_put_be32(out, start, (uint32_t)(out->len - start));
}

static void wire_empty_message_encode(StrBuf *out, char type)
{
    size_t m = wire_msg_begin(out, type);
    wire_msg_end(out, m);
}

static void wire_cstring_append(StrBuf *out, const char *s)
{
    strbuf_append(out, s, strlen(s) + 1);
}

void wire_ssl_response_encode(StrBuf *out, bool accept)
{
    strbuf_append_char(out, accept ? 'S' : 'N');
}

void wire_auth_ok_encode(StrBuf *out)
{
    size_t m = wire_msg_begin(out, 'R');
    strbuf_append_be32(out, 0);
    wire_msg_end(out, m);
}

void wire_auth_cleartext_password_encode(StrBuf *out)
{
    size_t m = wire_msg_begin(out, 'R');
    strbuf_append_be32(out, 3);
    wire_msg_end(out, m);
}

void wire_parameter_status_encode(StrBuf *out, const char *name, const char *value)
{
    size_t m = wire_msg_begin(out, 'S');
    wire_cstring_append(out, name);
    wire_cstring_append(out, value);
    wire_msg_end(out, m);
}

void wire_backend_key_data_encode(StrBuf *out, int32_t pid, int32_t key)
{
    size_t m = wire_msg_begin(out, 'K');
    strbuf_append_be32(out, (uint32_t)pid);
    strbuf_append_be32(out, (uint32_t)key);
    wire_msg_end(out, m);
}

void wire_ready_for_query_encode(StrBuf *out, char status)
{
    assert(status == 'I' || status == 'T' || status == 'E');
    size_t m = wire_msg_begin(out, 'Z');
    strbuf_append_char(out, status);
    wire_msg_end(out, m);
}

void wire_row_description_encode(StrBuf *out, const WireField *fields, size_t n)
{
    assert(n <= WIRE_INT16_COUNT_MAX);
    size_t m = wire_msg_begin(out, 'T');
    strbuf_append_be16(out, (uint16_t)n);
    for (size_t i = 0; i < n; i++) {
        const WireField *f = &fields[i];
        wire_cstring_append(out, f->name);
        strbuf_append_be32(out, f->table_oid);
        strbuf_append_be16(out, (uint16_t)f->attnum);
        strbuf_append_be32(out, f->type_oid);
        strbuf_append_be16(out, (uint16_t)f->typlen);
        strbuf_append_be32(out, (uint32_t)f->typmod);
        strbuf_append_be16(out, (uint16_t)f->format);
    }
    wire_msg_end(out, m);
}

void wire_data_row_encode(StrBuf *out, const WireValue *values, size_t n)
{
    assert(n <= WIRE_INT16_COUNT_MAX);
    size_t m = wire_msg_begin(out, 'D');
    strbuf_append_be16(out, (uint16_t)n);
    for (size_t i = 0; i < n; i++) {
        if (values[i].len < 0) {
            strbuf_append_be32(out, UINT32_MAX); /* -1: NULL */
            continue;
        }
        strbuf_append_be32(out, (uint32_t)values[i].len);
        strbuf_append(out, values[i].data, (size_t)values[i].len);
    }
    wire_msg_end(out, m);
}

void wire_command_complete_encode(StrBuf *out, const char *tag)
{
    size_t m = wire_msg_begin(out, 'C');
    wire_cstring_append(out, tag);
    wire_msg_end(out, m);
}

void wire_empty_query_response_encode(StrBuf *out)
{
    wire_empty_message_encode(out, 'I');
}

static void wire_field_append(StrBuf *out, char code, const char *value)
{
    if (value[0] == '\0') return;
    strbuf_append_char(out, code);
    wire_cstring_append(out, value);
}

static void wire_report_encode(StrBuf *out, char type, const DbError *e)
{
    size_t m = wire_msg_begin(out, type);
    const char *severity = db_severity_name(e->severity);
    wire_field_append(out, 'S', severity);
    wire_field_append(out, 'V', severity);
    wire_field_append(out, 'C', e->sqlstate[0] ? e->sqlstate : SQLSTATE_INTERNAL_ERROR);
    strbuf_append_char(out, 'M');
    wire_cstring_append(out, e->message);
    wire_field_append(out, 'D', e->detail);
    wire_field_append(out, 'H', e->hint);
    if (e->position > 0) {
        char position[16];
        snprintf(position, sizeof position, "%d", e->position);
        wire_field_append(out, 'P', position);
    }
    wire_field_append(out, 's', e->schema_name);
    wire_field_append(out, 't', e->table_name);
    wire_field_append(out, 'c', e->column_name);
    wire_field_append(out, 'n', e->constraint_name);
    strbuf_append_char(out, '\0');
    wire_msg_end(out, m);
}

void wire_error_encode(StrBuf *out, const DbError *e)
{
    wire_report_encode(out, 'E', e);
}

void wire_notice_encode(StrBuf *out, const DbError *e)
{
    wire_report_encode(out, 'N', e);
}

void wire_parse_complete_encode(StrBuf *out)
{
    wire_empty_message_encode(out, '1');
}

void wire_bind_complete_encode(StrBuf *out)
{
    wire_empty_message_encode(out, '2');
}

void wire_close_complete_encode(StrBuf *out)
{
    wire_empty_message_encode(out, '3');
}

void wire_no_data_encode(StrBuf *out)
{
    wire_empty_message_encode(out, 'n');
}

void wire_portal_suspended_encode(StrBuf *out)
{
    wire_empty_message_encode(out, 's');
}

void wire_parameter_description_encode(StrBuf *out, const uint32_t *type_oids, size_t n)
{
    assert(n <= UINT16_MAX);
    size_t m = wire_msg_begin(out, 't');
    strbuf_append_be16(out, (uint16_t)n);
    for (size_t i = 0; i < n; i++)
        strbuf_append_be32(out, type_oids[i]);
    wire_msg_end(out, m);
}

static void wire_copy_response_encode(StrBuf *out, char type, int8_t overall_format,
                                      const int16_t *formats, size_t n)
{
    assert(n <= WIRE_INT16_COUNT_MAX);
    size_t m = wire_msg_begin(out, type);
    strbuf_append_char(out, (char)overall_format);
    strbuf_append_be16(out, (uint16_t)n);
    for (size_t i = 0; i < n; i++)
        strbuf_append_be16(out, (uint16_t)formats[i]);
    wire_msg_end(out, m);
}

void wire_copy_in_response_encode(StrBuf *out, int8_t overall_format, const int16_t *formats,
                                  size_t n)
{
    wire_copy_response_encode(out, 'G', overall_format, formats, n);
}

void wire_copy_out_response_encode(StrBuf *out, int8_t overall_format, const int16_t *formats,
                                   size_t n)
{
    wire_copy_response_encode(out, 'H', overall_format, formats, n);
}

void wire_copy_data_encode(StrBuf *out, const void *data, size_t len)
{
    size_t m = wire_msg_begin(out, 'd');
    strbuf_append(out, data, len);
    wire_msg_end(out, m);
}

void wire_copy_done_encode(StrBuf *out)
{
    wire_empty_message_encode(out, 'c');
}

void wire_negotiate_protocol_version_encode(StrBuf *out, uint32_t newest_protocol,
                                            const char *const *options, size_t n_options)
{
    size_t m = wire_msg_begin(out, 'v');
    strbuf_append_be32(out, newest_protocol);
    strbuf_append_be32(out, (uint32_t)n_options);
    for (size_t i = 0; i < n_options; i++)
        wire_cstring_append(out, options[i]);
    wire_msg_end(out, m);
}
