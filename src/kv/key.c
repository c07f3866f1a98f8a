/*
 * Memcomparable keys: datums to bytes whose memcmp order is the SQL order of
 * the values (collation C), and back.  Owns the tag dispatch, every type's
 * element encoding except numeric's (key_numeric.c), the object-id prefix and
 * the range-bound helpers.  Does not decide which columns make a key.
 *
 * key     = object_id:u32be element*
 * element = tag [payload]       (self-delimiting, so tuples concatenate)
 *   0x01 NULL (NULLS FIRST)              0x7E NULL (NULLS LAST)
 *   0x20 false, 0x21 true
 *   0x28-0x38 ordered integer: tag 0x30+n, n payload bytes (n<0: negative,
 *             two's complement low |n| bytes); int2/4/8, oid, date, time,
 *             timestamp, timestamptz all use it
 *   0x40 float: 8 bytes, IEEE bits with sign flipped (negatives complemented)
 *   0x50-0x55 numeric (key_numeric.c)
 *   0x60 text, 0x61 bytea: bytes with 00 -> 00 FF, then 00 01
 *   0x68 uuid: 16 bytes;  0x70 interval: span as i128 sign-flipped, 16 bytes
 *   0x71 timetz: oint(UTC-equivalent µs) oint(zone seconds)
 * docs/formats/keys.md is the full description with worked examples.
 */
#include "kv/kv_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define KV_USECS_PER_DAY INT64_C(86400000000)
#define KV_USECS_PER_SEC INT64_C(1000000)
#define KV_DAYS_PER_MONTH 30

/* The key encodings, one per family of types that share a comparison. */
typedef enum KvKeyKind {
    KV_KIND_NONE = 0,
    KV_KIND_BOOL,
    KV_KIND_INT,
    KV_KIND_FLOAT,
    KV_KIND_NUMERIC,
    KV_KIND_TEXT,
    KV_KIND_BYTES,
    KV_KIND_UUID,
    KV_KIND_INTERVAL,
    KV_KIND_TIMETZ,
} KvKeyKind;

static KvKeyKind kv_key_kind(uint32_t type)
{
    switch (type) {
    case TYPE_BOOL:
        return KV_KIND_BOOL;
    case TYPE_INT2:
    case TYPE_INT4:
    case TYPE_INT8:
    case TYPE_OID:
    case TYPE_DATE:
    case TYPE_TIME:
    case TYPE_TIMESTAMP:
    case TYPE_TIMESTAMPTZ:
        return KV_KIND_INT;
    case TYPE_FLOAT4:
    case TYPE_FLOAT8:
        return KV_KIND_FLOAT;
    case TYPE_NUMERIC:
        return KV_KIND_NUMERIC;
    case TYPE_TEXT:
    case TYPE_VARCHAR:
    case TYPE_BPCHAR:
    case TYPE_NAME:
        return KV_KIND_TEXT;
    case TYPE_BYTEA:
        return KV_KIND_BYTES;
    case TYPE_UUID:
        return KV_KIND_UUID;
    case TYPE_INTERVAL:
        return KV_KIND_INTERVAL;
    case TYPE_TIMETZ:
        return KV_KIND_TIMETZ;
    default:
        return KV_KIND_NONE;
    }
}

const char *kv_type_name(uint32_t type)
{
    switch (type) {
    case TYPE_BOOL:
        return "boolean";
    case TYPE_BYTEA:
        return "bytea";
    case TYPE_CHAR:
        return "\"char\"";
    case TYPE_NAME:
        return "name";
    case TYPE_INT8:
        return "bigint";
    case TYPE_INT2:
        return "smallint";
    case TYPE_INT4:
        return "integer";
    case TYPE_TEXT:
        return "text";
    case TYPE_OID:
        return "oid";
    case TYPE_JSON:
        return "json";
    case TYPE_FLOAT4:
        return "real";
    case TYPE_FLOAT8:
        return "double precision";
    case TYPE_UNKNOWN:
        return "unknown";
    case TYPE_BPCHAR:
        return "character";
    case TYPE_VARCHAR:
        return "character varying";
    case TYPE_DATE:
        return "date";
    case TYPE_TIME:
        return "time without time zone";
    case TYPE_TIMESTAMP:
        return "timestamp without time zone";
    case TYPE_TIMESTAMPTZ:
        return "timestamp with time zone";
    case TYPE_INTERVAL:
        return "interval";
    case TYPE_TIMETZ:
        return "time with time zone";
    case TYPE_NUMERIC:
        return "numeric";
    case TYPE_UUID:
        return "uuid";
    case TYPE_JSONB:
        return "jsonb";
    default:
        return "unknown type";
    }
}

int kv_key_corrupt(DbError *err, const KvKeyReader *r, const char *fmt, ...)
{
    char what[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return db_error_set(err, SQLSTATE_DATA_CORRUPTED, "corrupt key at byte %zu: %s", r->pos, what);
}

static int kv_key_unsupported(DbError *err, uint32_t type)
{
    db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED, "data type %s cannot be used in a key",
                 kv_type_name(type));
    db_error_hint(err, "Key columns must have an ordered type, such as text, integer or uuid.");
    return -1;
}

/* ---- Ordered integers ------------------------------------------------- */

static int kv_bytes_needed(uint64_t u)
{
    int n = 0;
    while (u != 0) {
        n++;
        u >>= 8;
    }
    return n;
}

size_t kv_oint_encode(uint8_t buf[KV_OINT_MAX_BYTES], int64_t v)
{
    uint64_t u = (uint64_t)v;
    int n;
    if (v == 0) {
        buf[0] = KV_TAG_INT_ZERO;
        return 1;
    }
    if (v > 0) {
        n = kv_bytes_needed(u);
        buf[0] = (uint8_t)(KV_TAG_INT_ZERO + n);
    } else {
        /* ~u is -(v+1): how far below -1 the value is. */
        n = kv_bytes_needed(~u);
        if (n == 0) n = 1;
        buf[0] = (uint8_t)(KV_TAG_INT_ZERO - n);
    }
    for (int i = 0; i < n; i++)
        buf[1 + i] = (uint8_t)(u >> (8 * (n - 1 - i)));
    return (size_t)n + 1;
}

size_t kv_oint_decode(const uint8_t *p, size_t avail, uint8_t mask, int64_t *v)
{
    if (avail < 1) return 0;
    int tag = p[0] ^ mask;
    if (tag < KV_TAG_INT_NEG8 || tag > KV_TAG_INT_POS8) return 0;
    int n = tag - KV_TAG_INT_ZERO;
    bool negative = n < 0;
    if (negative) n = -n;
    if (avail < (size_t)n + 1) return 0;
    uint64_t u = 0;
    for (int i = 0; i < n; i++)
        u = (u << 8) | (uint8_t)(p[1 + i] ^ mask);
    if (n > 0) {
        uint8_t first = p[1] ^ mask;
        /* Canonical: the shortest form, so equal values have equal bytes. */
        if (!negative && first == 0x00) return 0;
        if (negative && n > 1 && first == 0xFF) return 0;
        /* Eight bytes must stay within int64. */
        if (n == 8 && !negative && first >= 0x80) return 0;
        if (n == 8 && negative && first < 0x80) return 0;
    }
    if (negative && n < 8) u |= ~UINT64_C(0) << (8 * n);
    *v = (int64_t)u;
    return (size_t)n + 1;
}

int kv_int_value(const Datum *d, int64_t *v, DbError *err)
{
    int64_t i = d->v.i;
    switch (d->type) {
    case TYPE_INT2:
        if (i < INT16_MIN || i > INT16_MAX)
            return db_error_set(err, SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "smallint out of range");
        break;
    case TYPE_INT4:
        if (i < INT32_MIN || i > INT32_MAX)
            return db_error_set(err, SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "integer out of range");
        break;
    case TYPE_OID:
        /* An oid may arrive sign-extended from int32; it orders unsigned. */
        if (i < INT32_MIN || i > (int64_t)UINT32_MAX)
            return db_error_set(err, SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "OID out of range");
        i = (int64_t)(uint32_t)i;
        break;
    case TYPE_DATE:
        if (i < INT32_MIN || i > INT32_MAX)
            return db_error_set(err, SQLSTATE_DATETIME_VALUE_OUT_OF_RANGE, "date out of range");
        break;
    default:
        break;
    }
    *v = i;
    return 0;
}

bool kv_int_fits(uint32_t type, int64_t v)
{
    switch (type) {
    case TYPE_INT2:
        return v >= INT16_MIN && v <= INT16_MAX;
    case TYPE_INT4:
    case TYPE_DATE:
        return v >= INT32_MIN && v <= INT32_MAX;
    case TYPE_OID:
        return v >= 0 && v <= (int64_t)UINT32_MAX;
    default:
        return true;
    }
}

/* ---- Fixed-width helpers ------------------------------------------------ */

static void kv_put_be64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (56 - 8 * i));
}

static uint64_t kv_get_be64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = (v << 8) | p[i];
    return v;
}

#define KV_FLOAT_SIGN UINT64_C(0x8000000000000000)
/* The key bits of NaN: the canonical quiet NaN 0x7FF8... with its sign
 * bit flipped, above +Infinity's 0xFFF0... */
#define KV_FLOAT_NAN_KEY UINT64_C(0xFFF8000000000000)

static uint64_t kv_float_key_bits(double f)
{
    if (isnan(f)) return KV_FLOAT_NAN_KEY;
    if (f == 0.0) f = 0.0; /* -0 equals 0 in SQL, so it encodes as 0 */
    uint64_t u;
    memcpy(&u, &f, sizeof u);
    return (u & KV_FLOAT_SIGN) ? ~u : u ^ KV_FLOAT_SIGN;
}

typedef __int128 KvInt128;

static KvInt128 kv_interval_span(const DatumInterval *iv)
{
    return (KvInt128)iv->time_us + (KvInt128)iv->days * KV_USECS_PER_DAY +
           (KvInt128)iv->months * KV_DAYS_PER_MONTH * KV_USECS_PER_DAY;
}

/* ---- Encoding ------------------------------------------------------------ */

static void kv_text_key_append(StrBuf *out, uint8_t tag, const char *s, size_t len)
{
    strbuf_append_char(out, (char)tag);
    while (len > 0) {
        const char *zero = memchr(s, '\0', len);
        size_t run = zero ? (size_t)(zero - s) : len;
        strbuf_append(out, s, run);
        if (!zero) break;
        strbuf_append(out, "\x00\xFF", 2);
        s += run + 1;
        len -= run + 1;
    }
    strbuf_append(out, "\x00\x01", 2);
}

void kv_key_begin(StrBuf *out, uint32_t object_id)
{
    strbuf_append_be32(out, object_id);
}

static int kv_key_append_value(StrBuf *out, const Datum *d, DbError *err)
{
    uint8_t buf[1 + 16];
    switch (kv_key_kind(d->type)) {
    case KV_KIND_NONE:
        return kv_key_unsupported(err, d->type);
    case KV_KIND_BOOL:
        strbuf_append_char(out, (char)(d->v.b ? KV_TAG_TRUE : KV_TAG_FALSE));
        return 0;
    case KV_KIND_INT: {
        int64_t v;
        if (kv_int_value(d, &v, err) < 0) return -1;
        strbuf_append(out, buf, kv_oint_encode(buf, v));
        return 0;
    }
    case KV_KIND_FLOAT: {
        double f = d->type == TYPE_FLOAT4 ? (double)(float)d->v.f : d->v.f;
        buf[0] = KV_TAG_FLOAT;
        kv_put_be64(buf + 1, kv_float_key_bits(f));
        strbuf_append(out, buf, 9);
        return 0;
    }
    case KV_KIND_NUMERIC:
        return kv_numeric_key_append(out, d->v.s.ptr, d->v.s.len, err);
    case KV_KIND_TEXT: {
        size_t len = d->v.s.len;
        /* bpchar compares without its trailing spaces ('a ' = 'a'). */
        if (d->type == TYPE_BPCHAR)
            while (len > 0 && d->v.s.ptr[len - 1] == ' ')
                len--;
        kv_text_key_append(out, KV_TAG_TEXT, d->v.s.ptr, len);
        return 0;
    }
    case KV_KIND_BYTES:
        kv_text_key_append(out, KV_TAG_BYTES, d->v.s.ptr, d->v.s.len);
        return 0;
    case KV_KIND_UUID:
        buf[0] = KV_TAG_UUID;
        memcpy(buf + 1, d->v.uuid, 16);
        strbuf_append(out, buf, 17);
        return 0;
    case KV_KIND_INTERVAL: {
        unsigned __int128 u = (unsigned __int128)kv_interval_span(&d->v.interval);
        u ^= (unsigned __int128)1 << 127;
        buf[0] = KV_TAG_INTERVAL;
        kv_put_be64(buf + 1, (uint64_t)(u >> 64));
        kv_put_be64(buf + 9, (uint64_t)u);
        strbuf_append(out, buf, 17);
        return 0;
    }
    case KV_KIND_TIMETZ: {
        /* PostgreSQL orders timetz by the UTC-equivalent time, then zone. */
        int64_t utc;
        if (__builtin_mul_overflow((int64_t)d->v.timetz.zone_seconds, KV_USECS_PER_SEC, &utc) ||
            __builtin_add_overflow(utc, d->v.timetz.time_us, &utc))
            return db_error_set(err, SQLSTATE_DATETIME_VALUE_OUT_OF_RANGE,
                                "time with time zone out of range");
        strbuf_append_char(out, (char)KV_TAG_TIMETZ);
        strbuf_append(out, buf, kv_oint_encode(buf, utc));
        strbuf_append(out, buf, kv_oint_encode(buf, d->v.timetz.zone_seconds));
        return 0;
    }
    }
    return kv_key_unsupported(err, d->type);
}

int kv_key_append(StrBuf *out, const Datum *d, KvNullOrder nulls, DbError *err)
{
    if (d->is_null) {
        if (kv_key_kind(d->type) == KV_KIND_NONE) return kv_key_unsupported(err, d->type);
        strbuf_append_char(out,
                           (char)(nulls == KV_NULLS_FIRST ? KV_TAG_NULL_FIRST : KV_TAG_NULL_LAST));
        return 0;
    }
    size_t start = out->len;
    if (kv_key_append_value(out, d, err) < 0) {
        /* Leave out as it was, so a failed append cannot half-build a key. */
        out->len = start;
        if (out->data) out->data[start] = '\0';
        return -1;
    }
    return 0;
}

/* ---- Decoding ------------------------------------------------------------ */

int kv_key_read_object(KvKeyReader *r, uint32_t *object_id, DbError *err)
{
    if (r->len - r->pos < KV_KEY_OBJECT_BYTES) return kv_key_corrupt(err, r, "truncated object id");
    const uint8_t *p = r->p + r->pos;
    *object_id = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
    r->pos += KV_KEY_OBJECT_BYTES;
    return 0;
}

/* Finds the end of an escaped byte string whose payload starts at r->pos+1;
 * sets *payload_len (unescaped) and *end (index after the 00 01). */
static int kv_text_key_scan(const KvKeyReader *r, size_t *payload_len, size_t *end, DbError *err)
{
    size_t i = r->pos + 1;
    size_t n = 0;
    for (;;) {
        const uint8_t *zero = i < r->len ? memchr(r->p + i, 0x00, r->len - i) : NULL;
        if (!zero) return kv_key_corrupt(err, r, "unterminated string");
        size_t z = (size_t)(zero - r->p);
        n += z - i;
        if (z + 1 >= r->len) return kv_key_corrupt(err, r, "unterminated string");
        if (r->p[z + 1] == 0x01) {
            *payload_len = n;
            *end = z + 2;
            return 0;
        }
        if (r->p[z + 1] != 0xFF)
            return kv_key_corrupt(err, r, "invalid escape 0x00 0x%02X in string", r->p[z + 1]);
        n++;
        i = z + 2;
    }
}

static int kv_text_key_read(KvKeyReader *r, uint32_t type, MemContext *cx, Datum *out, DbError *err)
{
    size_t len, end;
    if (kv_text_key_scan(r, &len, &end, err) < 0) return -1;
    char *s = mem_alloc(cx, len + 1);
    size_t n = 0;
    for (size_t i = r->pos + 1; i < end - 2; i++) {
        s[n++] = (char)r->p[i];
        if (r->p[i] == 0x00) i++; /* skip the 0xFF of an escaped zero */
    }
    s[n] = '\0';
    if (type == TYPE_BPCHAR && n > 0 && s[n - 1] == ' ')
        return kv_key_corrupt(err, r, "character value with trailing spaces");
    *out = datum_bytes(type, s, n);
    r->pos = end;
    return 0;
}

/* Splits a span back into fields, largest unit first (like
 * justify_interval), clamping each to its field's range. */
static int kv_interval_from_span(KvInt128 span, DatumInterval *iv)
{
    const KvInt128 month_us = (KvInt128)KV_DAYS_PER_MONTH * KV_USECS_PER_DAY;
    KvInt128 months = span / month_us;
    if (months > INT32_MAX) months = INT32_MAX;
    if (months < INT32_MIN) months = INT32_MIN;
    span -= months * month_us;
    KvInt128 days = span / KV_USECS_PER_DAY;
    if (days > INT32_MAX) days = INT32_MAX;
    if (days < INT32_MIN) days = INT32_MIN;
    span -= days * KV_USECS_PER_DAY;
    if (span > INT64_MAX || span < INT64_MIN) return -1;
    iv->months = (int32_t)months;
    iv->days = (int32_t)days;
    iv->time_us = (int64_t)span;
    return 0;
}

static int kv_key_read_value(KvKeyReader *r, uint32_t type, KvKeyKind kind, MemContext *cx,
                             Datum *out, DbError *err)
{
    const uint8_t *p = r->p + r->pos;
    size_t avail = r->len - r->pos;
    uint8_t tag = p[0];
    Datum d = {.type = type, .is_null = false};

    switch (kind) {
    case KV_KIND_NONE:
        break;
    case KV_KIND_BOOL:
        if (tag != KV_TAG_FALSE && tag != KV_TAG_TRUE) break;
        d.v.b = tag == KV_TAG_TRUE;
        r->pos += 1;
        *out = d;
        return 0;
    case KV_KIND_INT: {
        if (tag < KV_TAG_INT_NEG8 || tag > KV_TAG_INT_POS8) break;
        size_t used = kv_oint_decode(p, avail, 0x00, &d.v.i);
        if (used == 0) return kv_key_corrupt(err, r, "malformed integer");
        if (!kv_int_fits(type, d.v.i))
            return kv_key_corrupt(err, r, "%s value out of range", kv_type_name(type));
        r->pos += used;
        *out = d;
        return 0;
    }
    case KV_KIND_FLOAT: {
        if (tag != KV_TAG_FLOAT) break;
        if (avail < 9) return kv_key_corrupt(err, r, "truncated float");
        uint64_t k = kv_get_be64(p + 1);
        uint64_t u = (k & KV_FLOAT_SIGN) ? k ^ KV_FLOAT_SIGN : ~k;
        double f;
        memcpy(&f, &u, sizeof f);
        if ((isnan(f) && k != KV_FLOAT_NAN_KEY) || u == KV_FLOAT_SIGN)
            return kv_key_corrupt(err, r, "non-canonical float");
        if (type == TYPE_FLOAT4 && !isnan(f) && (double)(float)f != f)
            return kv_key_corrupt(err, r, "real value out of range");
        d.v.f = f;
        r->pos += 9;
        *out = d;
        return 0;
    }
    case KV_KIND_NUMERIC:
        if (tag < KV_TAG_NUMERIC_NEG_INF || tag > KV_TAG_NUMERIC_NAN) break;
        return kv_numeric_key_read(r, cx, out, err);
    case KV_KIND_TEXT:
        if (tag != KV_TAG_TEXT) break;
        return kv_text_key_read(r, type, cx, out, err);
    case KV_KIND_BYTES:
        if (tag != KV_TAG_BYTES) break;
        return kv_text_key_read(r, type, cx, out, err);
    case KV_KIND_UUID:
        if (tag != KV_TAG_UUID) break;
        if (avail < 17) return kv_key_corrupt(err, r, "truncated uuid");
        memcpy(d.v.uuid, p + 1, 16);
        r->pos += 17;
        *out = d;
        return 0;
    case KV_KIND_INTERVAL: {
        if (tag != KV_TAG_INTERVAL) break;
        if (avail < 17) return kv_key_corrupt(err, r, "truncated interval");
        unsigned __int128 u = (unsigned __int128)kv_get_be64(p + 1) << 64 | kv_get_be64(p + 9);
        u ^= (unsigned __int128)1 << 127;
        if (kv_interval_from_span((KvInt128)u, &d.v.interval) < 0)
            return kv_key_corrupt(err, r, "interval out of range");
        r->pos += 17;
        *out = d;
        return 0;
    }
    case KV_KIND_TIMETZ: {
        if (tag != KV_TAG_TIMETZ) break;
        int64_t utc, zone, zone_us;
        size_t used = kv_oint_decode(p + 1, avail - 1, 0x00, &utc);
        size_t used2 = used ? kv_oint_decode(p + 1 + used, avail - 1 - used, 0x00, &zone) : 0;
        if (used2 == 0) return kv_key_corrupt(err, r, "malformed time with time zone");
        if (zone < INT32_MIN || zone > INT32_MAX ||
            __builtin_mul_overflow(zone, KV_USECS_PER_SEC, &zone_us) ||
            __builtin_sub_overflow(utc, zone_us, &d.v.timetz.time_us))
            return kv_key_corrupt(err, r, "time with time zone out of range");
        d.v.timetz.zone_seconds = (int32_t)zone;
        r->pos += 1 + used + used2;
        *out = d;
        return 0;
    }
    }
    return kv_key_corrupt(err, r, "unexpected tag 0x%02X for type %s", tag, kv_type_name(type));
}

int kv_key_read(KvKeyReader *r, uint32_t type, KvNullOrder nulls, MemContext *cx, Datum *out,
                DbError *err)
{
    KvKeyKind kind = kv_key_kind(type);
    if (kind == KV_KIND_NONE) return kv_key_unsupported(err, type);
    if (r->pos >= r->len) return kv_key_corrupt(err, r, "missing %s element", kv_type_name(type));
    uint8_t tag = r->p[r->pos];
    if (tag == KV_TAG_NULL_FIRST || tag == KV_TAG_NULL_LAST) {
        uint8_t want = nulls == KV_NULLS_FIRST ? KV_TAG_NULL_FIRST : KV_TAG_NULL_LAST;
        if (tag != want) return kv_key_corrupt(err, r, "NULL marker of the other null order");
        *out = datum_null(type);
        r->pos += 1;
        return 0;
    }
    return kv_key_read_value(r, type, kind, cx, out, err);
}

int kv_key_skip(KvKeyReader *r, DbError *err)
{
    if (r->pos >= r->len) return kv_key_corrupt(err, r, "missing key element");
    const uint8_t *p = r->p + r->pos;
    size_t avail = r->len - r->pos;
    size_t used = 0;
    int64_t ignored;
    switch (p[0]) {
    case KV_TAG_NULL_FIRST:
    case KV_TAG_NULL_LAST:
    case KV_TAG_FALSE:
    case KV_TAG_TRUE:
        used = 1;
        break;
    case KV_TAG_FLOAT:
        used = 9;
        break;
    case KV_TAG_UUID:
    case KV_TAG_INTERVAL:
        used = 17;
        break;
    case KV_TAG_NUMERIC_NEG_INF:
    case KV_TAG_NUMERIC_NEG:
    case KV_TAG_NUMERIC_ZERO:
    case KV_TAG_NUMERIC_POS:
    case KV_TAG_NUMERIC_POS_INF:
    case KV_TAG_NUMERIC_NAN:
        return kv_numeric_key_skip(r, err);
    case KV_TAG_TEXT:
    case KV_TAG_BYTES: {
        size_t len;
        if (kv_text_key_scan(r, &len, &used, err) < 0) return -1;
        r->pos = used;
        return 0;
    }
    case KV_TAG_TIMETZ: {
        size_t a = kv_oint_decode(p + 1, avail - 1, 0x00, &ignored);
        size_t b = a ? kv_oint_decode(p + 1 + a, avail - 1 - a, 0x00, &ignored) : 0;
        if (b == 0) return kv_key_corrupt(err, r, "malformed time with time zone");
        used = 1 + a + b;
        break;
    }
    default:
        if (p[0] >= KV_TAG_INT_NEG8 && p[0] <= KV_TAG_INT_POS8) {
            used = kv_oint_decode(p, avail, 0x00, &ignored);
            if (used == 0) return kv_key_corrupt(err, r, "malformed integer");
            break;
        }
        return kv_key_corrupt(err, r, "unknown tag 0x%02X", p[0]);
    }
    if (used > avail) return kv_key_corrupt(err, r, "truncated element");
    r->pos += used;
    return 0;
}

/* ---- Range bounds -------------------------------------------------------- */

/* Both helpers accept key == out->data (rewriting a bound in place). */
static void kv_key_replace(StrBuf *out, const uint8_t *key, size_t len)
{
    if ((const char *)key == out->data) {
        out->len = len;
        if (out->data) out->data[len] = '\0';
        return;
    }
    strbuf_reset(out);
    strbuf_append(out, key, len);
}

void kv_key_prefix_end(const uint8_t *prefix, size_t len, StrBuf *out)
{
    while (len > 0 && prefix[len - 1] == 0xFF)
        len--;
    kv_key_replace(out, prefix, len);
    if (len > 0) out->data[len - 1] = (char)(out->data[len - 1] + 1);
}

void kv_key_successor(const uint8_t *key, size_t len, StrBuf *out)
{
    kv_key_replace(out, key, len);
    strbuf_append_char(out, '\0');
}

void kv_key_object_end(StrBuf *out, uint32_t object_id)
{
    strbuf_reset(out);
    if (object_id == UINT32_MAX) return;
    kv_key_begin(out, object_id + 1);
}
