/*
 * type_input and type_output: the one dispatch switch from a type oid to
 * its family's text parser and formatter, plus the error helpers every
 * family uses for PostgreSQL's two standard input errors.  Input text is
 * first checked as UTF-8 (PostgreSQL rejects bad bytes, NUL included,
 * before any input function sees them) and copied NUL-terminated, because
 * PostgreSQL's input functions (whose behaviour at the string's end we
 * match) read C strings.
 */
#include "types/types_int.h"

#include <stdlib.h>
#include <string.h>

int type_error_syntax(DbError *err, const char *type_name, const char *input)
{
    return db_error_set(err, SQLSTATE_INVALID_TEXT_REPRESENTATION,
                        "invalid input syntax for type %s: \"%s\"", type_name, input);
}

int type_error_range(DbError *err, const char *input, const char *type_name)
{
    return db_error_set(err, SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE,
                        "value \"%s\" is out of range for type %s", input, type_name);
}

static int input_cstring(uint32_t oid, int32_t typmod, const char *s, size_t len, MemContext *cx,
                         Datum *out, DbError *err)
{
    *out = (Datum){.type = oid, .is_null = false};
    switch (oid) {
    case TYPE_BOOL:
        if (!tbool_parse(s, &out->v.b)) return type_error_syntax(err, "boolean", s);
        return 0;
    case TYPE_INT2:
    case TYPE_INT4:
    case TYPE_INT8:
        return tint_parse(oid, s, &out->v.i, err);
    case TYPE_OID:
        return tint_oid_parse(s, &out->v.i, err);
    case TYPE_FLOAT4:
    case TYPE_FLOAT8:
        return tflt_parse(oid, s, &out->v.f, err);
    case TYPE_NUMERIC:
        return tnum_input(s, typmod, cx, &out->v.s, err);
    case TYPE_TEXT:
    case TYPE_VARCHAR:
    case TYPE_BPCHAR:
    case TYPE_NAME:
    case TYPE_CHAR:
    case TYPE_UNKNOWN:
        return ttext_apply(oid, typmod, false, s, len, cx, out, err);
    case TYPE_DATE:
    case TYPE_TIME:
    case TYPE_TIMETZ:
    case TYPE_TIMESTAMP:
    case TYPE_TIMESTAMPTZ:
        return tdt_parse(oid, typmod, s, out, err);
    case TYPE_INTERVAL:
        return tinterval_parse(s, typmod, &out->v.interval, err);
    case TYPE_UUID:
        return tuuid_parse(s, out->v.uuid, err);
    case TYPE_BYTEA:
        return tbytea_parse(s, len, cx, &out->v.s, err);
    case TYPE_JSON:
    case TYPE_JSONB:
        return tjson_parse(oid, s, len, cx, &out->v.s, err);
    default:
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                            "input of type %s is not supported", type_format_name(oid, -1, cx));
    }
}

int type_input(uint32_t oid, int32_t typmod, const char *text, size_t len, MemContext *cx,
               Datum *out, DbError *err)
{
    if (ttext_verify_utf8(text, len, err) != 0) return -1;
    char small[128];
    char *s = len < sizeof small ? small : malloc(len + 1);
    if (!s) abort();
    memcpy(s, text, len);
    s[len] = '\0';
    int rc = input_cstring(oid, typmod, s, len, cx, out, err);
    if (s != small) free(s);
    return rc;
}

void type_output(const Datum *d, StrBuf *out)
{
    if (d->is_null) return;
    switch (d->type) {
    case TYPE_BOOL:
        strbuf_append_char(out, d->v.b ? 't' : 'f');
        return;
    case TYPE_INT2:
    case TYPE_INT4:
    case TYPE_INT8:
        strbuf_appendf(out, "%lld", (long long)d->v.i);
        return;
    case TYPE_OID:
        strbuf_appendf(out, "%llu", (unsigned long long)(uint32_t)d->v.i);
        return;
    case TYPE_FLOAT4:
    case TYPE_FLOAT8:
        tflt_format(d->type, d->v.f, out);
        return;
    case TYPE_CHAR:
        ttext_char_output(d, out);
        return;
    case TYPE_NUMERIC:
        tnum_output(d->v.s, out);
        return;
    case TYPE_DATE:
    case TYPE_TIME:
    case TYPE_TIMETZ:
    case TYPE_TIMESTAMP:
    case TYPE_TIMESTAMPTZ:
        tdt_format(d, out);
        return;
    case TYPE_INTERVAL:
        tinterval_format(&d->v.interval, out);
        return;
    case TYPE_UUID:
        tuuid_format(d->v.uuid, out);
        return;
    case TYPE_BYTEA:
        tbytea_format(d->v.s, out);
        return;
    case TYPE_TEXT:
    case TYPE_VARCHAR:
    case TYPE_BPCHAR:
    case TYPE_NAME:
    case TYPE_UNKNOWN:
    case TYPE_JSON:
    case TYPE_JSONB:
        /* Stored as their text output. */
        strbuf_append(out, d->v.s.ptr, d->v.s.len);
        return;
    default:
        return;
    }
}
