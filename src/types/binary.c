/*
 * Binary send/receive in PostgreSQL's formats (layouts in binary.h).  Values
 * whose Datum is text (numeric, json, the string types) go through
 * type_input so that validation, canonical forms and typmods are the text
 * path's; the fixed-width types are copied bit for bit with the range checks
 * of PostgreSQL's recv functions.  Owns no state; allocates results in the
 * caller's context.
 */
#include "types/binary.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "types/types.h"

/* PostgreSQL's date/time limits (datatype/timestamp.h), in its epoch. */
#define TBIN_USECS_PER_DAY INT64_C(86400000000)
#define TBIN_DATE_MIN (-2451545)                 /* DATETIME_MIN_JULIAN - POSTGRES_EPOCH_JDATE */
#define TBIN_DATE_END (2147483494 - 2451545)     /* DATE_END_JULIAN - POSTGRES_EPOCH_JDATE */
#define TBIN_TS_MIN INT64_C(-211813488000000000) /* MIN_TIMESTAMP */
#define TBIN_TS_END INT64_C(9223371331200000000) /* END_TIMESTAMP */
#define TBIN_TZDISP_LIMIT ((15 + 1) * 3600)      /* (MAX_TZDISP_HOUR + 1) * SECS_PER_HOUR */
#define TBIN_NUMERIC_POS 0x0000
#define TBIN_NUMERIC_NEG 0x4000
#define TBIN_NUMERIC_NAN 0xC000
#define TBIN_NUMERIC_PINF 0xD000
#define TBIN_NUMERIC_NINF 0xF000
#define TBIN_NUMERIC_DSCALE_MASK 0x3FFF

bool type_binary_supported(uint32_t oid)
{
    switch (oid) {
    case TYPE_BOOL:
    case TYPE_BYTEA:
    case TYPE_CHAR:
    case TYPE_NAME:
    case TYPE_INT8:
    case TYPE_INT2:
    case TYPE_INT4:
    case TYPE_TEXT:
    case TYPE_OID:
    case TYPE_JSON:
    case TYPE_FLOAT4:
    case TYPE_FLOAT8:
    case TYPE_UNKNOWN:
    case TYPE_BPCHAR:
    case TYPE_VARCHAR:
    case TYPE_DATE:
    case TYPE_TIME:
    case TYPE_TIMESTAMP:
    case TYPE_TIMESTAMPTZ:
    case TYPE_INTERVAL:
    case TYPE_TIMETZ:
    case TYPE_NUMERIC:
    case TYPE_UUID:
    case TYPE_JSONB:
        return true;
    default:
        return false;
    }
}

static void tbin_put64(StrBuf *out, uint64_t v)
{
    strbuf_append_be32(out, (uint32_t)(v >> 32));
    strbuf_append_be32(out, (uint32_t)v);
}

/* numeric_send from the canonical decimal text of datum.h. */
static void tbin_numeric_send(DatumBytes s, StrBuf *out)
{
    uint16_t sign = TBIN_NUMERIC_POS;
    const char *p = s.ptr, *end = s.ptr + s.len;
    if (s.len == 3 && memcmp(p, "NaN", 3) == 0)
        sign = TBIN_NUMERIC_NAN;
    else if (s.len == 8 && memcmp(p, "Infinity", 8) == 0)
        sign = TBIN_NUMERIC_PINF;
    else if (s.len == 9 && memcmp(p, "-Infinity", 9) == 0)
        sign = TBIN_NUMERIC_NINF;
    if (sign != TBIN_NUMERIC_POS) {
        strbuf_append_be16(out, 0);
        strbuf_append_be16(out, 0);
        strbuf_append_be16(out, sign);
        /* PostgreSQL reads the dscale of ±Infinity out of their short
         * header (0xD000/0xF000 & 0x1F80 >> 7 = 32) and sends that. */
        strbuf_append_be16(out, sign == TBIN_NUMERIC_NAN ? 0 : 32);
        return;
    }
    if (p < end && *p == '-') {
        sign = TBIN_NUMERIC_NEG;
        p++;
    }
    const char *dot = memchr(p, '.', (size_t)(end - p));
    size_t n_int = (size_t)((dot ? dot : end) - p);
    const char *frac = dot ? dot + 1 : end;
    size_t n_frac = (size_t)(end - frac);
    /* Base-10000 groups: the integer part padded on the left, the fraction
     * on the right, to whole groups. */
    size_t int_groups = (n_int + 3) / 4, frac_groups = (n_frac + 3) / 4;
    size_t n_groups = int_groups + frac_groups;
    int16_t stack[64];
    int16_t *g = n_groups <= 64 ? stack : malloc(n_groups * sizeof *g);
    size_t lead = int_groups * 4 - n_int;
    for (size_t i = 0; i < int_groups; i++) {
        int v = 0;
        for (size_t k = 0; k < 4; k++) {
            size_t pos = i * 4 + k;
            v = v * 10 + (pos >= lead ? p[pos - lead] - '0' : 0);
        }
        g[i] = (int16_t)v;
    }
    for (size_t i = 0; i < frac_groups; i++) {
        int v = 0;
        for (size_t k = 0; k < 4; k++) {
            size_t pos = i * 4 + k;
            v = v * 10 + (pos < n_frac ? frac[pos] - '0' : 0);
        }
        g[int_groups + i] = (int16_t)v;
    }
    /* Strip zero groups at both ends, as make_result does. */
    size_t first = 0, last = n_groups;
    int weight = (int)int_groups - 1;
    while (first < last && g[first] == 0) {
        first++;
        weight--;
    }
    while (last > first && g[last - 1] == 0)
        last--;
    if (first == last) {
        weight = 0;
        sign = TBIN_NUMERIC_POS;
    }
    strbuf_append_be16(out, (uint16_t)(last - first));
    strbuf_append_be16(out, (uint16_t)(int16_t)weight);
    strbuf_append_be16(out, sign);
    strbuf_append_be16(out, (uint16_t)n_frac);
    for (size_t i = first; i < last; i++)
        strbuf_append_be16(out, (uint16_t)g[i]);
    if (g != stack) free(g);
}

int type_binary_send(const Datum *d, StrBuf *out, DbError *err)
{
    switch (d->type) {
    case TYPE_BOOL:
        strbuf_append_char(out, d->v.b ? 1 : 0);
        return 0;
    case TYPE_INT2:
        strbuf_append_be16(out, (uint16_t)(int16_t)d->v.i);
        return 0;
    case TYPE_INT4:
    case TYPE_OID:
    case TYPE_DATE:
        strbuf_append_be32(out, (uint32_t)d->v.i);
        return 0;
    case TYPE_INT8:
    case TYPE_TIME:
    case TYPE_TIMESTAMP:
    case TYPE_TIMESTAMPTZ:
        tbin_put64(out, (uint64_t)d->v.i);
        return 0;
    case TYPE_FLOAT4: {
        float f = (float)d->v.f;
        uint32_t bits;
        memcpy(&bits, &f, sizeof bits);
        strbuf_append_be32(out, bits);
        return 0;
    }
    case TYPE_FLOAT8: {
        uint64_t bits;
        memcpy(&bits, &d->v.f, sizeof bits);
        tbin_put64(out, bits);
        return 0;
    }
    case TYPE_NUMERIC:
        tbin_numeric_send(d->v.s, out);
        return 0;
    case TYPE_JSONB:
        strbuf_append_char(out, 1);
        strbuf_append(out, d->v.s.ptr, d->v.s.len);
        return 0;
    case TYPE_TEXT:
    case TYPE_VARCHAR:
    case TYPE_BPCHAR:
    case TYPE_NAME:
    case TYPE_CHAR:
    case TYPE_UNKNOWN:
    case TYPE_BYTEA:
    case TYPE_JSON:
        strbuf_append(out, d->v.s.ptr, d->v.s.len);
        return 0;
    case TYPE_TIMETZ:
        tbin_put64(out, (uint64_t)d->v.timetz.time_us);
        strbuf_append_be32(out, (uint32_t)d->v.timetz.zone_seconds);
        return 0;
    case TYPE_INTERVAL:
        tbin_put64(out, (uint64_t)d->v.interval.time_us);
        strbuf_append_be32(out, (uint32_t)d->v.interval.days);
        strbuf_append_be32(out, (uint32_t)d->v.interval.months);
        return 0;
    case TYPE_UUID:
        strbuf_append(out, d->v.uuid, 16);
        return 0;
    default: {
        const TypeInfo *ti = type_info(d->type);
        return db_error_set(err, SQLSTATE_UNDEFINED_FUNCTION,
                            "no binary output function available for type %s",
                            ti ? ti->name : "???");
    }
    }
}

/* A bounds-checked cursor over the value, with pqformat.c's errors. */
typedef struct TbinReader {
    const uint8_t *p;
    size_t len, pos;
} TbinReader;

static int tbin_read(TbinReader *r, size_t n, uint64_t *out, DbError *err)
{
    if (r->len - r->pos < n) {
        if (n == 1)
            return db_error_set(err, SQLSTATE_PROTOCOL_VIOLATION, "no data left in message");
        return db_error_set(err, SQLSTATE_PROTOCOL_VIOLATION, "insufficient data left in message");
    }
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = (v << 8) | r->p[r->pos + i];
    r->pos += n;
    *out = v;
    return 0;
}

/* numeric_recv: digits → decimal text truncated to dscale → type_input. */
static int tbin_numeric_recv(TbinReader *r, int32_t typmod, MemContext *cx, Datum *out,
                             DbError *err)
{
    uint64_t ndigits = 0, weight = 0, sign = 0, dscale = 0;
    if (tbin_read(r, 2, &ndigits, err) || tbin_read(r, 2, &weight, err) ||
        tbin_read(r, 2, &sign, err))
        return -1;
    if (sign != TBIN_NUMERIC_POS && sign != TBIN_NUMERIC_NEG && sign != TBIN_NUMERIC_NAN &&
        sign != TBIN_NUMERIC_PINF && sign != TBIN_NUMERIC_NINF)
        return db_error_set(err, SQLSTATE_INVALID_BINARY_REPRESENTATION,
                            "invalid sign in external \"numeric\" value");
    if (tbin_read(r, 2, &dscale, err)) return -1;
    if ((dscale & TBIN_NUMERIC_DSCALE_MASK) != dscale)
        return db_error_set(err, SQLSTATE_INVALID_BINARY_REPRESENTATION,
                            "invalid scale in external \"numeric\" value");
    int16_t *digits = mem_alloc(cx, (ndigits + 1) * sizeof *digits);
    for (size_t i = 0; i < ndigits; i++) {
        uint64_t v = 0;
        if (tbin_read(r, 2, &v, err)) return -1;
        int16_t dg = (int16_t)(uint16_t)v;
        if (dg < 0 || dg >= 10000)
            return db_error_set(err, SQLSTATE_INVALID_BINARY_REPRESENTATION,
                                "invalid digit in external \"numeric\" value");
        digits[i] = dg;
    }
    const char *special = sign == TBIN_NUMERIC_NAN    ? "NaN"
                          : sign == TBIN_NUMERIC_PINF ? "Infinity"
                          : sign == TBIN_NUMERIC_NINF ? "-Infinity"
                                                      : NULL;
    if (special) return type_input(TYPE_NUMERIC, typmod, special, strlen(special), cx, out, err);
    int w = (int16_t)(uint16_t)weight;
    StrBuf t;
    strbuf_init(&t);
    if (sign == TBIN_NUMERIC_NEG) strbuf_append_char(&t, '-');
    if (w < 0) {
        strbuf_append_char(&t, '0');
    } else {
        for (int i = 0; i <= w; i++) {
            int dg = (size_t)i < ndigits ? digits[i] : 0;
            strbuf_appendf(&t, i == 0 ? "%d" : "%04d", dg);
        }
    }
    if (dscale > 0) {
        /* Digits past dscale are truncated away, as trunc_var does. */
        strbuf_append_char(&t, '.');
        size_t written = 0;
        for (int i = w + 1; written < dscale; i++) {
            int dg = i >= 0 && (size_t)i < ndigits ? digits[i] : 0;
            char four[8];
            snprintf(four, sizeof four, "%04d", dg);
            for (int k = 0; k < 4 && written < dscale; k++, written++)
                strbuf_append_char(&t, four[k]);
        }
    }
    int rc = type_input(TYPE_NUMERIC, typmod, t.data, t.len, cx, out, err);
    strbuf_fini(&t);
    return rc;
}

int type_binary_recv(uint32_t oid, int32_t typmod, const uint8_t *data, size_t len, MemContext *cx,
                     Datum *out, size_t *used, DbError *err)
{
    TbinReader r = {data, len, 0};
    uint64_t v = 0, v2 = 0, v3 = 0;
    *used = 0;
    memset(out, 0, sizeof *out);
    out->type = oid;
    switch (oid) {
    case TYPE_BOOL:
        if (tbin_read(&r, 1, &v, err)) return -1;
        out->v.b = v != 0;
        break;
    case TYPE_INT2:
        if (tbin_read(&r, 2, &v, err)) return -1;
        out->v.i = (int16_t)(uint16_t)v;
        break;
    case TYPE_INT4:
        if (tbin_read(&r, 4, &v, err)) return -1;
        out->v.i = (int32_t)(uint32_t)v;
        break;
    case TYPE_OID:
        if (tbin_read(&r, 4, &v, err)) return -1;
        out->v.i = (int64_t)(uint32_t)v;
        break;
    case TYPE_INT8:
        if (tbin_read(&r, 8, &v, err)) return -1;
        out->v.i = (int64_t)v;
        break;
    case TYPE_FLOAT4: {
        if (tbin_read(&r, 4, &v, err)) return -1;
        uint32_t bits = (uint32_t)v;
        float f;
        memcpy(&f, &bits, sizeof f);
        out->v.f = f;
        break;
    }
    case TYPE_FLOAT8:
        if (tbin_read(&r, 8, &v, err)) return -1;
        memcpy(&out->v.f, &v, sizeof out->v.f);
        break;
    case TYPE_DATE: {
        if (tbin_read(&r, 4, &v, err)) return -1;
        int32_t days = (int32_t)(uint32_t)v;
        if (days != INT32_MIN && days != INT32_MAX &&
            (days < TBIN_DATE_MIN || days >= TBIN_DATE_END))
            return db_error_set(err, SQLSTATE_DATETIME_VALUE_OUT_OF_RANGE, "date out of range");
        out->v.i = days;
        break;
    }
    case TYPE_TIME:
        if (tbin_read(&r, 8, &v, err)) return -1;
        out->v.i = (int64_t)v;
        if (out->v.i < 0 || out->v.i > TBIN_USECS_PER_DAY)
            return db_error_set(err, SQLSTATE_DATETIME_VALUE_OUT_OF_RANGE, "time out of range");
        break;
    case TYPE_TIMESTAMP:
    case TYPE_TIMESTAMPTZ:
        if (tbin_read(&r, 8, &v, err)) return -1;
        out->v.i = (int64_t)v;
        if (out->v.i != INT64_MIN && out->v.i != INT64_MAX &&
            (out->v.i < TBIN_TS_MIN || out->v.i >= TBIN_TS_END))
            return db_error_set(err, SQLSTATE_DATETIME_VALUE_OUT_OF_RANGE,
                                "timestamp out of range");
        break;
    case TYPE_TIMETZ:
        if (tbin_read(&r, 8, &v, err)) return -1;
        out->v.timetz.time_us = (int64_t)v;
        if (out->v.timetz.time_us < 0 || out->v.timetz.time_us > TBIN_USECS_PER_DAY)
            return db_error_set(err, SQLSTATE_DATETIME_VALUE_OUT_OF_RANGE, "time out of range");
        if (tbin_read(&r, 4, &v2, err)) return -1;
        out->v.timetz.zone_seconds = (int32_t)(uint32_t)v2;
        if (out->v.timetz.zone_seconds <= -TBIN_TZDISP_LIMIT ||
            out->v.timetz.zone_seconds >= TBIN_TZDISP_LIMIT)
            return db_error_set(err, SQLSTATE_INVALID_TIME_ZONE_DISPLACEMENT_VALUE,
                                "time zone displacement out of range");
        break;
    case TYPE_INTERVAL:
        if (tbin_read(&r, 8, &v, err) || tbin_read(&r, 4, &v2, err) || tbin_read(&r, 4, &v3, err))
            return -1;
        out->v.interval.time_us = (int64_t)v;
        out->v.interval.days = (int32_t)(uint32_t)v2;
        out->v.interval.months = (int32_t)(uint32_t)v3;
        break;
    case TYPE_UUID:
        if (len < 16)
            return db_error_set(err, SQLSTATE_PROTOCOL_VIOLATION,
                                "insufficient data left in message");
        memcpy(out->v.uuid, data, 16);
        r.pos = 16;
        break;
    case TYPE_CHAR:
        /* charrecv reads one byte; a zero byte is the empty "char". */
        if (tbin_read(&r, 1, &v, err)) return -1;
        *used = 1;
        return type_input(oid, typmod, (const char *)data, v ? 1 : 0, cx, out, err);
    case TYPE_BYTEA: {
        char *copy = mem_alloc(cx, len + 1);
        if (len) memcpy(copy, data, len);
        *out = datum_bytes(TYPE_BYTEA, copy, len);
        r.pos = len;
        break;
    }
    case TYPE_NUMERIC:
        if (tbin_numeric_recv(&r, typmod, cx, out, err)) return -1;
        break;
    case TYPE_JSONB:
        if (tbin_read(&r, 1, &v, err)) return -1;
        if (v != 1)
            return db_error_set(err, SQLSTATE_INTERNAL_ERROR, "unsupported jsonb version number %d",
                                (int)v);
        *used = len;
        return type_input(oid, typmod, (const char *)data + 1, len - 1, cx, out, err);
    case TYPE_TEXT:
    case TYPE_VARCHAR:
    case TYPE_BPCHAR:
    case TYPE_NAME:
    case TYPE_UNKNOWN:
    case TYPE_JSON:
        *used = len;
        return type_input(oid == TYPE_UNKNOWN ? TYPE_TEXT : oid, typmod, (const char *)data, len,
                          cx, out, err);
    default: {
        const TypeInfo *ti = type_info(oid);
        return db_error_set(err, SQLSTATE_UNDEFINED_FUNCTION,
                            "no binary input function available for type %s",
                            ti ? ti->name : "???");
    }
    }
    *used = r.pos;
    return 0;
}
