/*
 * Casts: which conversions exist and in which contexts (pg_cast for the
 * supported types plus PostgreSQL's automatic I/O casts), and the
 * conversions themselves with PostgreSQL's errors.
 *
 * type_coerce converts, then applies the target typmod the way PostgreSQL's
 * length-coercion functions do (varchar(n)/char(n), numeric(p,s),
 * timestamp(p), interval fields).  An unknown-typed literal goes through
 * the target's input function, as the parser does for string constants.
 * Context checks are the caller's (type_can_coerce): this file converts
 * whatever it is asked to if a conversion exists.
 */
#include "types/types_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct CastRow {
    uint32_t from, to;
    char context; /* 'i', 'a', 'e' as pg_cast.castcontext */
} CastRow;

/* pg_cast rows among the supported types (PostgreSQL 16). */
static const CastRow cast_rows[] = {
    {TYPE_BOOL, TYPE_INT4, 'e'},
    {TYPE_BOOL, TYPE_TEXT, 'a'},
    {TYPE_BOOL, TYPE_BPCHAR, 'a'},
    {TYPE_BOOL, TYPE_VARCHAR, 'a'},
    {TYPE_CHAR, TYPE_INT4, 'e'},
    {TYPE_CHAR, TYPE_TEXT, 'i'},
    {TYPE_CHAR, TYPE_BPCHAR, 'a'},
    {TYPE_CHAR, TYPE_VARCHAR, 'a'},
    {TYPE_NAME, TYPE_TEXT, 'i'},
    {TYPE_NAME, TYPE_BPCHAR, 'a'},
    {TYPE_NAME, TYPE_VARCHAR, 'a'},
    {TYPE_INT8, TYPE_INT2, 'a'},
    {TYPE_INT8, TYPE_INT4, 'a'},
    {TYPE_INT8, TYPE_OID, 'i'},
    {TYPE_INT8, TYPE_FLOAT4, 'i'},
    {TYPE_INT8, TYPE_FLOAT8, 'i'},
    {TYPE_INT8, TYPE_NUMERIC, 'i'},
    {TYPE_INT2, TYPE_INT8, 'i'},
    {TYPE_INT2, TYPE_INT4, 'i'},
    {TYPE_INT2, TYPE_OID, 'i'},
    {TYPE_INT2, TYPE_FLOAT4, 'i'},
    {TYPE_INT2, TYPE_FLOAT8, 'i'},
    {TYPE_INT2, TYPE_NUMERIC, 'i'},
    {TYPE_INT4, TYPE_BOOL, 'e'},
    {TYPE_INT4, TYPE_CHAR, 'e'},
    {TYPE_INT4, TYPE_INT8, 'i'},
    {TYPE_INT4, TYPE_INT2, 'a'},
    {TYPE_INT4, TYPE_OID, 'i'},
    {TYPE_INT4, TYPE_FLOAT4, 'i'},
    {TYPE_INT4, TYPE_FLOAT8, 'i'},
    {TYPE_INT4, TYPE_NUMERIC, 'i'},
    {TYPE_TEXT, TYPE_CHAR, 'a'},
    {TYPE_TEXT, TYPE_NAME, 'i'},
    {TYPE_TEXT, TYPE_BPCHAR, 'i'},
    {TYPE_TEXT, TYPE_VARCHAR, 'i'},
    {TYPE_OID, TYPE_INT8, 'a'},
    {TYPE_OID, TYPE_INT4, 'a'},
    {TYPE_JSON, TYPE_JSONB, 'a'},
    {TYPE_FLOAT4, TYPE_INT8, 'a'},
    {TYPE_FLOAT4, TYPE_INT2, 'a'},
    {TYPE_FLOAT4, TYPE_INT4, 'a'},
    {TYPE_FLOAT4, TYPE_FLOAT8, 'i'},
    {TYPE_FLOAT4, TYPE_NUMERIC, 'a'},
    {TYPE_FLOAT8, TYPE_INT8, 'a'},
    {TYPE_FLOAT8, TYPE_INT2, 'a'},
    {TYPE_FLOAT8, TYPE_INT4, 'a'},
    {TYPE_FLOAT8, TYPE_FLOAT4, 'a'},
    {TYPE_FLOAT8, TYPE_NUMERIC, 'a'},
    {TYPE_BPCHAR, TYPE_CHAR, 'a'},
    {TYPE_BPCHAR, TYPE_NAME, 'i'},
    {TYPE_BPCHAR, TYPE_TEXT, 'i'},
    {TYPE_BPCHAR, TYPE_VARCHAR, 'i'},
    {TYPE_VARCHAR, TYPE_CHAR, 'a'},
    {TYPE_VARCHAR, TYPE_NAME, 'i'},
    {TYPE_VARCHAR, TYPE_TEXT, 'i'},
    {TYPE_VARCHAR, TYPE_BPCHAR, 'i'},
    {TYPE_DATE, TYPE_TIMESTAMP, 'i'},
    {TYPE_DATE, TYPE_TIMESTAMPTZ, 'i'},
    {TYPE_TIME, TYPE_INTERVAL, 'i'},
    {TYPE_TIME, TYPE_TIMETZ, 'i'},
    {TYPE_TIMESTAMP, TYPE_DATE, 'a'},
    {TYPE_TIMESTAMP, TYPE_TIME, 'a'},
    {TYPE_TIMESTAMP, TYPE_TIMESTAMPTZ, 'i'},
    {TYPE_TIMESTAMPTZ, TYPE_DATE, 'a'},
    {TYPE_TIMESTAMPTZ, TYPE_TIME, 'a'},
    {TYPE_TIMESTAMPTZ, TYPE_TIMESTAMP, 'a'},
    {TYPE_TIMESTAMPTZ, TYPE_TIMETZ, 'a'},
    {TYPE_INTERVAL, TYPE_TIME, 'a'},
    {TYPE_TIMETZ, TYPE_TIME, 'a'},
    {TYPE_NUMERIC, TYPE_INT8, 'a'},
    {TYPE_NUMERIC, TYPE_INT2, 'a'},
    {TYPE_NUMERIC, TYPE_INT4, 'a'},
    {TYPE_NUMERIC, TYPE_FLOAT4, 'i'},
    {TYPE_NUMERIC, TYPE_FLOAT8, 'i'},
    {TYPE_JSONB, TYPE_BOOL, 'e'},
    {TYPE_JSONB, TYPE_INT8, 'e'},
    {TYPE_JSONB, TYPE_INT2, 'e'},
    {TYPE_JSONB, TYPE_INT4, 'e'},
    {TYPE_JSONB, TYPE_JSON, 'a'},
    {TYPE_JSONB, TYPE_FLOAT4, 'e'},
    {TYPE_JSONB, TYPE_FLOAT8, 'e'},
    {TYPE_JSONB, TYPE_NUMERIC, 'e'},
};

/* pg_type category 'S' (the targets of assignment I/O casts). */
static bool is_string_category(uint32_t oid)
{
    return oid == TYPE_TEXT || oid == TYPE_VARCHAR || oid == TYPE_BPCHAR || oid == TYPE_NAME;
}

int type_can_coerce(uint32_t from, uint32_t to, int context)
{
    if (from == to || from == TYPE_UNKNOWN) return type_info(to) != NULL;
    if (!type_info(from) || !type_info(to)) return 0;
    for (size_t i = 0; i < sizeof cast_rows / sizeof cast_rows[0]; i++) {
        if (cast_rows[i].from == from && cast_rows[i].to == to) {
            int need = cast_rows[i].context == 'i'   ? TYPE_CONTEXT_IMPLICIT
                       : cast_rows[i].context == 'a' ? TYPE_CONTEXT_ASSIGNMENT
                                                     : TYPE_CONTEXT_EXPLICIT;
            return context >= need;
        }
    }
    /* Automatic I/O conversion casts: to a string type by assignment, from
     * a string type explicitly. */
    if (is_string_category(to)) return context >= TYPE_CONTEXT_ASSIGNMENT;
    if (is_string_category(from)) return context >= TYPE_CONTEXT_EXPLICIT;
    return 0;
}

static bool has_cast(uint32_t from, uint32_t to)
{
    return type_can_coerce(from, to, TYPE_CONTEXT_EXPLICIT) != 0;
}

static bool is_int(uint32_t oid)
{
    return oid == TYPE_INT2 || oid == TYPE_INT4 || oid == TYPE_INT8;
}

static bool is_float(uint32_t oid)
{
    return oid == TYPE_FLOAT4 || oid == TYPE_FLOAT8;
}

/* Length coercion of a value already of type oid (PostgreSQL's varchar(),
 * bpchar(), numeric(), timestamp() ... functions). */
static int apply_typmod(Datum *d, int32_t typmod, bool explicit_cast, MemContext *cx, DbError *err)
{
    if (typmod < 0) return 0;
    switch (d->type) {
    case TYPE_VARCHAR:
    case TYPE_BPCHAR:
        return ttext_apply(d->type, typmod, explicit_cast, d->v.s.ptr, d->v.s.len, cx, d, err);
    case TYPE_NUMERIC:
        return tnum_apply_typmod(d->v.s, typmod, cx, &d->v.s, err);
    default:
        return tdt_apply_typmod(d, typmod, err);
    }
}

/* The text a value becomes when cast to a string type. */
static void cast_text_of(const Datum *in, StrBuf *sb)
{
    switch (in->type) {
    case TYPE_BOOL:
        strbuf_append_str(sb, in->v.b ? "true" : "false");
        return;
    case TYPE_BPCHAR:
        strbuf_append(sb, in->v.s.ptr, ttext_bpchar_len(in->v.s.ptr, in->v.s.len));
        return;
    case TYPE_CHAR:
        /* char_text: the byte itself, no octal escape. */
        strbuf_append(sb, in->v.s.ptr, in->v.s.len);
        return;
    default:
        type_output(in, sb);
        return;
    }
}

static int to_string(const Datum *in, uint32_t target, int32_t typmod, bool explicit_cast,
                     MemContext *cx, Datum *out, DbError *err)
{
    if (target == TYPE_CHAR && in->type == TYPE_INT4) {
        /* i4tochar */
        if (in->v.i < -128 || in->v.i > 127)
            return db_error_set(err, SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "\"char\" out of range");
        char *b = mem_alloc(cx, 2);
        b[0] = (char)in->v.i;
        b[1] = '\0';
        *out = datum_bytes(TYPE_CHAR, b, b[0] ? 1 : 0);
        return 0;
    }
    StrBuf sb;
    strbuf_init(&sb);
    cast_text_of(in, &sb);
    const char *s = sb.data ? sb.data : "";
    int rc;
    if (target == TYPE_CHAR) {
        /* text_char: the first byte, or none. */
        char *b = mem_alloc(cx, 2);
        b[0] = sb.len ? s[0] : '\0';
        b[1] = '\0';
        *out = datum_bytes(TYPE_CHAR, b, b[0] ? 1 : 0);
        rc = 0;
    } else {
        rc = ttext_apply(target, typmod, explicit_cast, s, sb.len, cx, out, err);
    }
    strbuf_fini(&sb);
    return rc;
}

/* Through the target's input function (I/O casts from strings, unknown
 * literals), then the typmod. */
static int from_text(const char *s, size_t len, uint32_t target, int32_t typmod, bool explicit_cast,
                     MemContext *cx, Datum *out, DbError *err)
{
    /* interval's input needs its typmod (the SQL field rules); the others
     * take -1 and get the typmod as a length coercion afterwards. */
    int32_t input_typmod = target == TYPE_INTERVAL ? typmod : -1;
    if (type_input(target, input_typmod, s, len, cx, out, err) != 0) return -1;
    return apply_typmod(out, typmod, explicit_cast, cx, err);
}

static int numeric_to(const Datum *in, uint32_t target, MemContext *cx, Datum *out, DbError *err)
{
    *out = (Datum){.type = target, .is_null = false};
    if (is_int(target)) return tnum_to_int(in->v.s, target, &out->v.i, err);
    /* numeric_float8/4 go through the text form and float8in/float4in. */
    char small[64];
    char *s = in->v.s.len < sizeof small ? small : mem_alloc(cx, in->v.s.len + 1);
    memcpy(s, in->v.s.ptr, in->v.s.len);
    s[in->v.s.len] = '\0';
    return tflt_parse(target, s, &out->v.f, err);
}

static int numeric_family(const Datum *in, uint32_t target, MemContext *cx, Datum *out,
                          DbError *err)
{
    uint32_t from = in->type;
    *out = (Datum){.type = target, .is_null = false};
    if (from == TYPE_NUMERIC) return numeric_to(in, target, cx, out, err);
    if (is_int(from) || from == TYPE_OID) {
        int64_t v = in->v.i;
        switch (target) {
        case TYPE_INT2:
        case TYPE_INT4:
            if (from == TYPE_OID) {
                /* oid → int4 is binary: the bits reinterpreted. */
                out->v.i = (int32_t)(uint32_t)v;
                return 0;
            }
            if (!tint_fits(target, v)) return tint_range_error(target, err);
            out->v.i = v;
            return 0;
        case TYPE_INT8:
            out->v.i = v;
            return 0;
        case TYPE_OID:
            if (from == TYPE_INT8) {
                if (v < 0 || v > UINT32_MAX)
                    return db_error_set(err, SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE,
                                        "OID out of range");
                out->v.i = v;
            } else {
                out->v.i = (uint32_t)(int32_t)v;
            }
            return 0;
        case TYPE_FLOAT4:
            out->v.f = (float)v;
            return 0;
        case TYPE_FLOAT8:
            out->v.f = (double)v;
            return 0;
        case TYPE_NUMERIC:
            tnum_from_int(v, cx, &out->v.s);
            return 0;
        default:
            break;
        }
    }
    if (is_float(from)) {
        double v = in->v.f;
        switch (target) {
        case TYPE_INT2:
        case TYPE_INT4:
        case TYPE_INT8:
            return tflt_to_int(v, target, &out->v.i, err);
        case TYPE_FLOAT4:
            return tflt_to_float4(v, &out->v.f, err);
        case TYPE_FLOAT8:
            out->v.f = v;
            return 0;
        case TYPE_NUMERIC:
            return tnum_from_double(v, from == TYPE_FLOAT4 ? 6 : 15, cx, &out->v.s, err);
        default:
            break;
        }
    }
    return db_error_set(err, SQLSTATE_INTERNAL_ERROR, "unhandled numeric cast");
}

static int no_cast(uint32_t from, uint32_t to, MemContext *cx, DbError *err)
{
    return db_error_set(err, SQLSTATE_CANNOT_COERCE, "cannot cast type %s to %s",
                        type_format_name(from, -1, cx), type_format_name(to, -1, cx));
}

static bool in_numeric_family(uint32_t oid)
{
    return is_int(oid) || is_float(oid) || oid == TYPE_OID || oid == TYPE_NUMERIC;
}

int type_coerce(const Datum *in, uint32_t target, int32_t typmod, bool explicit_cast,
                MemContext *cx, Datum *out, DbError *err)
{
    uint32_t from = in->type;
    if (in->is_null) {
        *out = datum_null(target);
        return 0;
    }
    if (from == TYPE_UNKNOWN)
        return from_text(in->v.s.ptr, in->v.s.len, target, typmod, explicit_cast, cx, out, err);
    if (from == target) {
        *out = *in;
        return apply_typmod(out, typmod, explicit_cast, cx, err);
    }
    if (!has_cast(from, target)) return no_cast(from, target, cx, err);
    if (ttext_is_string(target)) return to_string(in, target, typmod, explicit_cast, cx, out, err);
    if (in_numeric_family(from) && in_numeric_family(target)) {
        if (numeric_family(in, target, cx, out, err) != 0) return -1;
        return apply_typmod(out, typmod, explicit_cast, cx, err);
    }
    if (from == TYPE_INT4 && target == TYPE_BOOL) {
        *out = (Datum){.type = TYPE_BOOL, .is_null = false};
        out->v.b = in->v.i != 0;
        return 0;
    }
    if (from == TYPE_BOOL && target == TYPE_INT4) {
        *out = datum_int(TYPE_INT4, in->v.b ? 1 : 0);
        return 0;
    }
    if (from == TYPE_CHAR && target == TYPE_INT4) {
        /* chartoi4: the byte as a signed char. */
        *out = datum_int(TYPE_INT4, in->v.s.len ? (signed char)in->v.s.ptr[0] : 0);
        return 0;
    }
    if (ttext_is_string(from)) {
        /* I/O conversion: the source's text into the target's input. */
        StrBuf sb;
        strbuf_init(&sb);
        type_output(in, &sb);
        int rc =
            from_text(sb.data ? sb.data : "", sb.len, target, typmod, explicit_cast, cx, out, err);
        strbuf_fini(&sb);
        return rc;
    }
    if (tdt_is_datetime(from) && tdt_is_datetime(target)) {
        if (tdt_cast(in, target, out, err) != 0) return -1;
        return apply_typmod(out, typmod, explicit_cast, cx, err);
    }
    if (from == TYPE_JSON || from == TYPE_JSONB)
        return tjson_cast(in, target, typmod, cx, out, err);
    return no_cast(from, target, cx, err);
}
