/*
 * Unit tests for memcomparable keys (kv/key.c, kv/key_numeric.c): the exact
 * bytes of the examples in docs/formats/keys.md, memcmp order against SQL
 * order for every key type (the comparisons below are written here,
 * independently of the encoder, following PostgreSQL's), round trips,
 * composite keys, NULLS FIRST/LAST, range bounds, and corrupt input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kv/kv.h"

/* ---- Helpers --------------------------------------------------------------- */

static MemContext *test_cx;

static int setup(void **state)
{
    (void)state;
    test_cx = mem_context_create(NULL, "test_key");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    mem_context_destroy(test_cx);
    return 0;
}

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static uint64_t rng_next(void)
{
    uint64_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    rng_state = x;
    return x;
}

static Datum d_float(uint32_t type, double f)
{
    Datum d = {.type = type, .is_null = false};
    d.v.f = f;
    return d;
}

static Datum d_bool(bool b)
{
    Datum d = {.type = TYPE_BOOL, .is_null = false};
    d.v.b = b;
    return d;
}

static Datum d_str(uint32_t type, const char *s)
{
    return datum_bytes(type, s, strlen(s));
}

static Datum d_interval(int32_t months, int32_t days, int64_t time_us)
{
    Datum d = {.type = TYPE_INTERVAL, .is_null = false};
    d.v.interval.months = months;
    d.v.interval.days = days;
    d.v.interval.time_us = time_us;
    return d;
}

static Datum d_timetz(int64_t time_us, int32_t zone)
{
    Datum d = {.type = TYPE_TIMETZ, .is_null = false};
    d.v.timetz.time_us = time_us;
    d.v.timetz.zone_seconds = zone;
    return d;
}

static char *hex(const void *p, size_t len)
{
    char *s = mem_alloc(test_cx, 3 * len + 1);
    s[0] = '\0';
    for (size_t i = 0; i < len; i++)
        sprintf(s + 3 * i, "%02X ", ((const unsigned char *)p)[i]);
    if (len) s[3 * len - 1] = '\0'; /* no trailing space */
    return s;
}

/* The key element of one datum, as hex. */
static char *enc_hex(Datum d, KvNullOrder nulls)
{
    StrBuf b;
    strbuf_init(&b);
    DbError err;
    if (kv_key_append(&b, &d, nulls, &err) < 0) fail_msg("encode failed: %s", err.message);
    char *s = hex(b.data, b.len);
    strbuf_fini(&b);
    return s;
}

static int sign(int x)
{
    return (x > 0) - (x < 0);
}

static int bytes_cmp(const void *a, size_t alen, const void *b, size_t blen)
{
    int c = memcmp(a, b, alen < blen ? alen : blen);
    if (c) return sign(c);
    return (alen > blen) - (alen < blen);
}

/* ---- SQL comparisons, written from PostgreSQL's definitions --------------- */

static int cmp_int(int64_t a, int64_t b)
{
    return (a > b) - (a < b);
}

/* float8_cmp_internal: NaN equals NaN and sorts above everything. */
static int cmp_float(double a, double b)
{
    if (isnan(a)) return isnan(b) ? 0 : 1;
    if (isnan(b)) return -1;
    return (a > b) - (a < b);
}

/* numeric_cmp on decimal text: -Infinity < finite < Infinity < NaN; finite
 * values by sign, then integer digits (without leading zeros), then
 * fractional digits (without trailing zeros). */
typedef struct NumParts {
    int cls; /* -2 -Inf, 0 finite, 2 +Inf, 3 NaN */
    int sign;
    const char *ip;
    size_t ilen;
    const char *fp;
    size_t flen;
} NumParts;

static NumParts num_parts(const char *s)
{
    NumParts n = {0};
    if (strcmp(s, "NaN") == 0) {
        n.cls = 3;
        return n;
    }
    if (strcmp(s, "Infinity") == 0) {
        n.cls = 2;
        return n;
    }
    if (strcmp(s, "-Infinity") == 0) {
        n.cls = -2;
        return n;
    }
    n.sign = 1;
    if (*s == '-' || *s == '+') n.sign = *s++ == '-' ? -1 : 1;
    while (*s == '0')
        s++;
    n.ip = s;
    while (*s >= '0' && *s <= '9')
        s++;
    n.ilen = (size_t)(s - n.ip);
    if (*s == '.') s++;
    n.fp = s;
    n.flen = strlen(s);
    while (n.flen > 0 && n.fp[n.flen - 1] == '0')
        n.flen--;
    if (n.ilen == 0 && n.flen == 0) n.sign = 0;
    return n;
}

static int cmp_numeric_text(const char *a, const char *b)
{
    NumParts x = num_parts(a), y = num_parts(b);
    if (x.cls != y.cls) return x.cls < y.cls ? -1 : 1;
    if (x.cls != 0) return 0;
    if (x.sign != y.sign) return x.sign < y.sign ? -1 : 1;
    int mag;
    if (x.ilen != y.ilen)
        mag = x.ilen < y.ilen ? -1 : 1;
    else if ((mag = sign(memcmp(x.ip, y.ip, x.ilen))) == 0)
        mag = bytes_cmp(x.fp, x.flen, y.fp, y.flen);
    return x.sign * mag;
}

static const char *dstr(const Datum *d)
{
    return mem_strndup(test_cx, d->v.s.ptr, d->v.s.len);
}

static size_t bpchar_len(const Datum *d)
{
    size_t n = d->v.s.len;
    while (n > 0 && d->v.s.ptr[n - 1] == ' ')
        n--;
    return n;
}

static __int128 interval_span(const DatumInterval *iv)
{
    return (__int128)iv->time_us + (__int128)iv->days * 86400000000LL +
           (__int128)iv->months * 30 * 86400000000LL;
}

/* SQL comparison of two non-NULL datums of the same type. */
static int sql_cmp(const Datum *a, const Datum *b)
{
    switch (a->type) {
    case TYPE_BOOL:
        return (a->v.b > b->v.b) - (a->v.b < b->v.b);
    case TYPE_INT2:
    case TYPE_INT4:
    case TYPE_INT8:
    case TYPE_DATE:
    case TYPE_TIME:
    case TYPE_TIMESTAMP:
    case TYPE_TIMESTAMPTZ:
        return cmp_int(a->v.i, b->v.i);
    case TYPE_OID:
        return cmp_int((uint32_t)a->v.i, (uint32_t)b->v.i);
    case TYPE_FLOAT4:
    case TYPE_FLOAT8:
        return cmp_float(a->v.f, b->v.f);
    case TYPE_NUMERIC:
        return cmp_numeric_text(dstr(a), dstr(b));
    case TYPE_BPCHAR:
        return bytes_cmp(a->v.s.ptr, bpchar_len(a), b->v.s.ptr, bpchar_len(b));
    case TYPE_TEXT:
    case TYPE_VARCHAR:
    case TYPE_NAME:
    case TYPE_BYTEA:
        return bytes_cmp(a->v.s.ptr, a->v.s.len, b->v.s.ptr, b->v.s.len);
    case TYPE_UUID:
        return sign(memcmp(a->v.uuid, b->v.uuid, 16));
    case TYPE_INTERVAL: {
        __int128 x = interval_span(&a->v.interval), y = interval_span(&b->v.interval);
        return (x > y) - (x < y);
    }
    case TYPE_TIMETZ: {
        /* timetz_cmp_internal: UTC-equivalent time, then zone. */
        int64_t x = a->v.timetz.time_us + a->v.timetz.zone_seconds * 1000000LL;
        int64_t y = b->v.timetz.time_us + b->v.timetz.zone_seconds * 1000000LL;
        if (x != y) return x < y ? -1 : 1;
        return cmp_int(a->v.timetz.zone_seconds, b->v.timetz.zone_seconds);
    }
    default:
        fail_msg("no comparison for type %u", a->type);
        return 0;
    }
}

/* NULL-aware comparison for one key column. */
static int sql_cmp_nulls(const Datum *a, const Datum *b, KvNullOrder nulls)
{
    if (a->is_null || b->is_null) {
        if (a->is_null && b->is_null) return 0;
        int null_side = nulls == KV_NULLS_FIRST ? -1 : 1;
        return a->is_null ? null_side : -null_side;
    }
    return sql_cmp(a, b);
}

static const char *describe(const Datum *d)
{
    if (d->is_null) return "NULL";
    switch (d->type) {
    case TYPE_FLOAT4:
    case TYPE_FLOAT8:
        return mem_sprintf(test_cx, "%a", d->v.f);
    case TYPE_NUMERIC:
    case TYPE_TEXT:
    case TYPE_VARCHAR:
    case TYPE_BPCHAR:
    case TYPE_NAME:
    case TYPE_BYTEA:
        return mem_sprintf(test_cx, "'%s'", hex(d->v.s.ptr, d->v.s.len));
    case TYPE_INTERVAL:
        return mem_sprintf(test_cx, "%d mon %d days %lld us", d->v.interval.months,
                           d->v.interval.days, (long long)d->v.interval.time_us);
    case TYPE_TIMETZ:
        return mem_sprintf(test_cx, "%lld us zone %d", (long long)d->v.timetz.time_us,
                           d->v.timetz.zone_seconds);
    case TYPE_UUID:
        return hex(d->v.uuid, 16);
    default:
        return mem_sprintf(test_cx, "%lld", (long long)d->v.i);
    }
}

/* Encodes values (one element each, after an object prefix), then checks
 * for every pair that memcmp of the keys agrees with the SQL comparison,
 * and that each key decodes to an equal value that re-encodes to the same
 * bytes. */
static void check_order_and_round_trip(const Datum *values, size_t n, KvNullOrder nulls)
{
    StrBuf *keys = mem_alloc0(test_cx, n * sizeof(StrBuf));
    DbError err;
    for (size_t i = 0; i < n; i++) {
        strbuf_init(&keys[i]);
        kv_key_begin(&keys[i], 42);
        if (kv_key_append(&keys[i], &values[i], nulls, &err) < 0)
            fail_msg("encode %s failed: %s", describe(&values[i]), err.message);
    }
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < n; j++) {
            int want = sql_cmp_nulls(&values[i], &values[j], nulls);
            int got = bytes_cmp(keys[i].data, keys[i].len, keys[j].data, keys[j].len);
            if (want != got)
                fail_msg("type %u: %s vs %s: SQL says %d, keys say %d (%s | %s)", values[i].type,
                         describe(&values[i]), describe(&values[j]), want, got,
                         hex(keys[i].data, keys[i].len), hex(keys[j].data, keys[j].len));
        }
        KvKeyReader r;
        kv_key_reader_init(&r, keys[i].data, keys[i].len);
        uint32_t object_id;
        Datum back;
        assert_int_equal(kv_key_read_object(&r, &object_id, &err), 0);
        assert_int_equal(object_id, 42);
        if (kv_key_read(&r, values[i].type, nulls, test_cx, &back, &err) < 0)
            fail_msg("decode %s failed: %s", describe(&values[i]), err.message);
        assert_true(kv_key_reader_done(&r));
        assert_int_equal(back.type, values[i].type);
        assert_int_equal(sql_cmp_nulls(&back, &values[i], nulls), 0);
        StrBuf again;
        strbuf_init(&again);
        kv_key_begin(&again, 42);
        assert_int_equal(kv_key_append(&again, &back, nulls, &err), 0);
        assert_int_equal(bytes_cmp(again.data, again.len, keys[i].data, keys[i].len), 0);
        strbuf_fini(&again);
        /* Skipping the element lands at the same place as reading it. */
        kv_key_reader_init(&r, keys[i].data, keys[i].len);
        r.pos = KV_KEY_OBJECT_BYTES;
        assert_int_equal(kv_key_skip(&r, &err), 0);
        assert_true(kv_key_reader_done(&r));
    }
    for (size_t i = 0; i < n; i++)
        strbuf_fini(&keys[i]);
}

/* Runs the check with NULLS LAST and NULLS FIRST, adding a NULL or two. */
static void check_type(Datum *values, size_t n)
{
    assert_true(n >= 2);
    uint32_t type = values[0].type;
    Datum *with_nulls = mem_alloc(test_cx, (n + 2) * sizeof(Datum));
    memcpy(with_nulls, values, n * sizeof(Datum));
    with_nulls[n] = datum_null(type);
    with_nulls[n + 1] = datum_null(type);
    check_order_and_round_trip(with_nulls, n + 2, KV_NULLS_LAST);
    check_order_and_round_trip(with_nulls, n + 2, KV_NULLS_FIRST);
}

/* ---- Exact bytes (docs/formats/keys.md) ------------------------------------- */

static void test_documented_examples(void **state)
{
    (void)state;
    assert_string_equal(enc_hex(datum_null(TYPE_INT4), KV_NULLS_FIRST), "01");
    assert_string_equal(enc_hex(datum_null(TYPE_TEXT), KV_NULLS_LAST), "7E");
    assert_string_equal(enc_hex(d_bool(false), KV_NULLS_LAST), "20");
    assert_string_equal(enc_hex(d_bool(true), KV_NULLS_LAST), "21");

    assert_string_equal(enc_hex(datum_int(TYPE_INT4, 0), KV_NULLS_LAST), "30");
    assert_string_equal(enc_hex(datum_int(TYPE_INT4, 5), KV_NULLS_LAST), "31 05");
    assert_string_equal(enc_hex(datum_int(TYPE_INT2, 255), KV_NULLS_LAST), "31 FF");
    assert_string_equal(enc_hex(datum_int(TYPE_INT8, 256), KV_NULLS_LAST), "32 01 00");
    assert_string_equal(enc_hex(datum_int(TYPE_INT4, 1000), KV_NULLS_LAST), "32 03 E8");
    assert_string_equal(enc_hex(datum_int(TYPE_INT4, -1), KV_NULLS_LAST), "2F FF");
    assert_string_equal(enc_hex(datum_int(TYPE_INT4, -256), KV_NULLS_LAST), "2F 00");
    assert_string_equal(enc_hex(datum_int(TYPE_INT4, -257), KV_NULLS_LAST), "2E FE FF");
    assert_string_equal(enc_hex(datum_int(TYPE_INT8, INT64_MAX), KV_NULLS_LAST),
                        "38 7F FF FF FF FF FF FF FF");
    assert_string_equal(enc_hex(datum_int(TYPE_INT8, INT64_MIN), KV_NULLS_LAST),
                        "28 80 00 00 00 00 00 00 00");
    assert_string_equal(enc_hex(datum_int(TYPE_DATE, 9131), KV_NULLS_LAST), "32 23 AB");

    assert_string_equal(enc_hex(d_float(TYPE_FLOAT8, 0.0), KV_NULLS_LAST),
                        "40 80 00 00 00 00 00 00 00");
    assert_string_equal(enc_hex(d_float(TYPE_FLOAT8, -0.0), KV_NULLS_LAST),
                        "40 80 00 00 00 00 00 00 00");
    assert_string_equal(enc_hex(d_float(TYPE_FLOAT8, 1.0), KV_NULLS_LAST),
                        "40 BF F0 00 00 00 00 00 00");
    assert_string_equal(enc_hex(d_float(TYPE_FLOAT4, 1.0), KV_NULLS_LAST),
                        "40 BF F0 00 00 00 00 00 00");
    assert_string_equal(enc_hex(d_float(TYPE_FLOAT8, -1.0), KV_NULLS_LAST),
                        "40 40 0F FF FF FF FF FF FF");
    assert_string_equal(enc_hex(d_float(TYPE_FLOAT8, INFINITY), KV_NULLS_LAST),
                        "40 FF F0 00 00 00 00 00 00");
    assert_string_equal(enc_hex(d_float(TYPE_FLOAT8, -INFINITY), KV_NULLS_LAST),
                        "40 00 0F FF FF FF FF FF FF");
    assert_string_equal(enc_hex(d_float(TYPE_FLOAT8, NAN), KV_NULLS_LAST),
                        "40 FF F8 00 00 00 00 00 00");
    assert_string_equal(enc_hex(d_float(TYPE_FLOAT8, -NAN), KV_NULLS_LAST),
                        "40 FF F8 00 00 00 00 00 00");

    assert_string_equal(enc_hex(d_str(TYPE_NUMERIC, "0"), KV_NULLS_LAST), "52");
    assert_string_equal(enc_hex(d_str(TYPE_NUMERIC, "-0.000"), KV_NULLS_LAST), "52");
    assert_string_equal(enc_hex(d_str(TYPE_NUMERIC, "1.5"), KV_NULLS_LAST), "53 31 01 1E");
    assert_string_equal(enc_hex(d_str(TYPE_NUMERIC, "1.50"), KV_NULLS_LAST), "53 31 01 1E");
    assert_string_equal(enc_hex(d_str(TYPE_NUMERIC, "-1.5"), KV_NULLS_LAST), "51 CE FE E1");
    assert_string_equal(enc_hex(d_str(TYPE_NUMERIC, "12.5"), KV_NULLS_LAST), "53 31 02 19 64");
    assert_string_equal(enc_hex(d_str(TYPE_NUMERIC, "100"), KV_NULLS_LAST), "53 31 03 14");
    assert_string_equal(enc_hex(d_str(TYPE_NUMERIC, "0.001"), KV_NULLS_LAST), "53 2F FE 14");
    assert_string_equal(enc_hex(d_str(TYPE_NUMERIC, "-0.001"), KV_NULLS_LAST), "51 D0 01 EB");
    assert_string_equal(enc_hex(d_str(TYPE_NUMERIC, "99999.9999"), KV_NULLS_LAST),
                        "53 31 05 C7 C7 C7 C7 B4");
    assert_string_equal(enc_hex(d_str(TYPE_NUMERIC, "-Infinity"), KV_NULLS_LAST), "50");
    assert_string_equal(enc_hex(d_str(TYPE_NUMERIC, "Infinity"), KV_NULLS_LAST), "54");
    assert_string_equal(enc_hex(d_str(TYPE_NUMERIC, "NaN"), KV_NULLS_LAST), "55");

    assert_string_equal(enc_hex(d_str(TYPE_TEXT, ""), KV_NULLS_LAST), "60 00 01");
    assert_string_equal(enc_hex(d_str(TYPE_TEXT, "ab"), KV_NULLS_LAST), "60 61 62 00 01");
    assert_string_equal(enc_hex(d_str(TYPE_BPCHAR, "ab  "), KV_NULLS_LAST), "60 61 62 00 01");
    assert_string_equal(enc_hex(datum_bytes(TYPE_BYTEA, "a\0b", 3), KV_NULLS_LAST),
                        "61 61 00 FF 62 00 01");

    Datum u = {.type = TYPE_UUID};
    for (int i = 0; i < 16; i++)
        u.v.uuid[i] = (uint8_t)(0xA0 + i);
    assert_string_equal(enc_hex(u, KV_NULLS_LAST),
                        "68 A0 A1 A2 A3 A4 A5 A6 A7 A8 A9 AA AB AC AD AE AF");
    assert_string_equal(enc_hex(d_interval(1, 0, 0), KV_NULLS_LAST),
                        "70 80 00 00 00 00 00 00 00 00 00 02 5B 7F 3D 40 00");
    assert_string_equal(enc_hex(d_interval(0, 30, 0), KV_NULLS_LAST),
                        "70 80 00 00 00 00 00 00 00 00 00 02 5B 7F 3D 40 00");
    assert_string_equal(enc_hex(d_timetz(3600000000LL, -3600), KV_NULLS_LAST), "71 30 2E F1 F0");
}

/* The worked example of a whole key in docs/formats/keys.md: table 1000,
 * primary key (customer text, order_no int8, amount numeric) =
 * ('ab', 7, 12.50), with a NULL in a NULLS FIRST fourth column. */
static void test_documented_composite_key(void **state)
{
    (void)state;
    StrBuf b;
    strbuf_init(&b);
    DbError err;
    Datum cols[4] = {d_str(TYPE_TEXT, "ab"), datum_int(TYPE_INT8, 7), d_str(TYPE_NUMERIC, "12.50"),
                     datum_null(TYPE_DATE)};
    kv_key_begin(&b, 1000);
    for (int i = 0; i < 3; i++)
        assert_int_equal(kv_key_append(&b, &cols[i], KV_NULLS_LAST, &err), 0);
    assert_int_equal(kv_key_append(&b, &cols[3], KV_NULLS_FIRST, &err), 0);
    assert_string_equal(hex(b.data, b.len), "00 00 03 E8 60 61 62 00 01 31 07 53 31 02 19 64 01");

    StrBuf end;
    strbuf_init(&end);
    kv_key_prefix_end((const uint8_t *)b.data, 9, &end); /* table 1000, customer 'ab' */
    assert_string_equal(hex(end.data, end.len), "00 00 03 E8 60 61 62 00 02");
    kv_key_object_end(&end, 1000);
    assert_string_equal(hex(end.data, end.len), "00 00 03 E9");

    KvKeyReader r;
    kv_key_reader_init(&r, b.data, b.len);
    uint32_t object_id;
    Datum out;
    assert_int_equal(kv_key_read_object(&r, &object_id, &err), 0);
    assert_int_equal(object_id, 1000);
    assert_int_equal(kv_key_read(&r, TYPE_TEXT, KV_NULLS_LAST, test_cx, &out, &err), 0);
    assert_int_equal(out.v.s.len, 2);
    assert_memory_equal(out.v.s.ptr, "ab", 2);
    assert_int_equal(kv_key_read(&r, TYPE_INT8, KV_NULLS_LAST, test_cx, &out, &err), 0);
    assert_int_equal(out.v.i, 7);
    assert_int_equal(kv_key_read(&r, TYPE_NUMERIC, KV_NULLS_LAST, test_cx, &out, &err), 0);
    assert_string_equal(out.v.s.ptr, "12.5");
    assert_int_equal(kv_key_read(&r, TYPE_DATE, KV_NULLS_FIRST, test_cx, &out, &err), 0);
    assert_true(out.is_null);
    assert_true(kv_key_reader_done(&r));
    strbuf_fini(&end);
    strbuf_fini(&b);
}

/* ---- Order per type ----------------------------------------------------- */

static void test_order_bool(void **state)
{
    (void)state;
    Datum v[] = {d_bool(true), d_bool(false), d_bool(true)};
    check_type(v, ARRAY_LEN(v));
}

static void test_order_integers(void **state)
{
    (void)state;
    static const int64_t edges[] = {0,
                                    1,
                                    -1,
                                    2,
                                    -2,
                                    127,
                                    128,
                                    -128,
                                    -129,
                                    255,
                                    256,
                                    -255,
                                    -256,
                                    -257,
                                    65535,
                                    65536,
                                    -65536,
                                    -65537,
                                    INT16_MAX,
                                    INT16_MIN,
                                    INT32_MAX,
                                    INT32_MIN,
                                    (int64_t)INT32_MAX + 1,
                                    (int64_t)INT32_MIN - 1,
                                    INT64_C(1) << 55,
                                    -(INT64_C(1) << 55),
                                    (INT64_C(1) << 56) - 1,
                                    INT64_C(1) << 56,
                                    -(INT64_C(1) << 56),
                                    -(INT64_C(1) << 56) - 1,
                                    INT64_MAX,
                                    INT64_MAX - 1,
                                    INT64_MIN,
                                    INT64_MIN + 1};
    size_t n = ARRAY_LEN(edges) + 300;
    Datum *v = mem_alloc(test_cx, n * sizeof(Datum));
    for (size_t i = 0; i < ARRAY_LEN(edges); i++)
        v[i] = datum_int(TYPE_INT8, edges[i]);
    for (size_t i = ARRAY_LEN(edges); i < n; i++) {
        /* Random values of every magnitude. */
        int shift = (int)(rng_next() % 64);
        v[i] = datum_int(TYPE_INT8, (int64_t)(rng_next() >> shift) * (rng_next() & 1 ? -1 : 1));
    }
    check_type(v, n);

    /* Every temporal type and oid shares the integer encoding. */
    Datum t[] = {datum_int(TYPE_TIMESTAMPTZ, INT64_MIN), datum_int(TYPE_TIMESTAMPTZ, INT64_MAX),
                 datum_int(TYPE_TIMESTAMPTZ, 0), datum_int(TYPE_TIMESTAMPTZ, -1),
                 datum_int(TYPE_TIMESTAMPTZ, 789012345678)};
    check_type(t, ARRAY_LEN(t));
    Datum dt[] = {datum_int(TYPE_DATE, INT32_MIN), datum_int(TYPE_DATE, INT32_MAX),
                  datum_int(TYPE_DATE, 0), datum_int(TYPE_DATE, -730119),
                  datum_int(TYPE_DATE, 9131)};
    check_type(dt, ARRAY_LEN(dt));
    Datum tm[] = {datum_int(TYPE_TIME, 0), datum_int(TYPE_TIME, 86400000000LL),
                  datum_int(TYPE_TIME, 43200000000LL), datum_int(TYPE_TIME, 1)};
    check_type(tm, ARRAY_LEN(tm));
    Datum oid[] = {datum_int(TYPE_OID, 0), datum_int(TYPE_OID, 1), datum_int(TYPE_OID, 2147483647),
                   datum_int(TYPE_OID, 2147483648LL), datum_int(TYPE_OID, 4294967295LL)};
    check_type(oid, ARRAY_LEN(oid));
    Datum i2[] = {datum_int(TYPE_INT2, INT16_MIN), datum_int(TYPE_INT2, INT16_MAX),
                  datum_int(TYPE_INT2, 0), datum_int(TYPE_INT2, -300)};
    check_type(i2, ARRAY_LEN(i2));
}

/* int2, int4 and int8 of one value have one key, so an index on an int4
 * column can be probed with an int8 value. */
static void test_integer_widths_share_encoding(void **state)
{
    (void)state;
    static const int64_t vals[] = {0, 1, -1, 300, -300, INT16_MAX, INT16_MIN};
    for (size_t i = 0; i < ARRAY_LEN(vals); i++) {
        char *a = enc_hex(datum_int(TYPE_INT2, vals[i]), KV_NULLS_LAST);
        assert_string_equal(a, enc_hex(datum_int(TYPE_INT4, vals[i]), KV_NULLS_LAST));
        assert_string_equal(a, enc_hex(datum_int(TYPE_INT8, vals[i]), KV_NULLS_LAST));
    }
    /* An oid that arrives sign-extended from int32 is the same oid. */
    assert_string_equal(enc_hex(datum_int(TYPE_OID, -1), KV_NULLS_LAST),
                        enc_hex(datum_int(TYPE_OID, 4294967295LL), KV_NULLS_LAST));
}

static void test_order_floats(void **state)
{
    (void)state;
    static const double edges[] = {
        0.0,     -0.0,     1.0,      -1.0,         INFINITY,      -INFINITY,        NAN,
        -NAN,    DBL_MIN,  -DBL_MIN, DBL_TRUE_MIN, -DBL_TRUE_MIN, 2 * DBL_TRUE_MIN, DBL_MIN / 3,
        DBL_MAX, -DBL_MAX, 0.1,      0.2,          1e300,         -1e-300,          3.0,
        FLT_MAX, FLT_MIN};
    size_t n = ARRAY_LEN(edges) + 300;
    Datum *v = mem_alloc(test_cx, n * sizeof(Datum));
    for (size_t i = 0; i < ARRAY_LEN(edges); i++)
        v[i] = d_float(TYPE_FLOAT8, edges[i]);
    for (size_t i = ARRAY_LEN(edges); i < n; i++) {
        uint64_t bits = rng_next(); /* any bit pattern, NaN payloads included */
        double f;
        memcpy(&f, &bits, sizeof f);
        v[i] = d_float(TYPE_FLOAT8, f);
    }
    check_type(v, n);

    Datum f4[] = {d_float(TYPE_FLOAT4, 0.0),       d_float(TYPE_FLOAT4, -0.0),
                  d_float(TYPE_FLOAT4, FLT_MAX),   d_float(TYPE_FLOAT4, -FLT_MAX),
                  d_float(TYPE_FLOAT4, FLT_MIN),   d_float(TYPE_FLOAT4, 0x1p-149),
                  d_float(TYPE_FLOAT4, -0x1p-149), d_float(TYPE_FLOAT4, INFINITY),
                  d_float(TYPE_FLOAT4, NAN),       d_float(TYPE_FLOAT4, 1.5f)};
    check_type(f4, ARRAY_LEN(f4));
}

static const char *numeric_edges[] = {
    "0",
    "-0",
    "0.000",
    "00.0",
    ".0",
    "0.",
    "1",
    "-1",
    "+1",
    "1.0",
    "1.00000",
    "1.5",
    "1.50",
    "-1.5",
    "-1.50",
    "1.05",
    "1.005",
    "1.0000000001",
    "0.999999999",
    "9",
    "9.99",
    "10",
    "10.0",
    "010",
    "11",
    "99",
    "100",
    "101",
    "1000",
    "0.1",
    "0.10",
    "0.09",
    "0.099",
    "0.01",
    "0.001",
    "-0.001",
    "-0.0010",
    "-0.01",
    "-0.1",
    "99999.9999",
    "-99999.9999",
    "100000",
    "12345678901234567890123456789012345678.0123456789",
    "-12345678901234567890123456789012345678.0123456789",
    "0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "000000000000001",
    "-0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "0000000000000001",
    "0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "000000000000002",
    "100000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00000000000000000000000000000000",
    "-10000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "000000000000000000000000000000000",
    "100000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00000000000000000000000000000001",
    "NaN",
    "Infinity",
    "-Infinity",
    "123.456",
    "123.4560",
    "-123.456",
    ".5",
    "5.",
};

static char *random_numeric(void)
{
    char buf[80];
    size_t n = 0;
    if (rng_next() % 2) buf[n++] = '-';
    int int_digits = (int)(rng_next() % 6);
    int frac_digits = (int)(rng_next() % 6);
    if (int_digits == 0 && frac_digits == 0) int_digits = 1;
    for (int i = 0; i < int_digits; i++)
        buf[n++] = (char)('0' + rng_next() % (i == 0 ? 3 : 10)); /* leading zeros often */
    if (frac_digits) {
        buf[n++] = '.';
        for (int i = 0; i < frac_digits; i++)
            buf[n++] = (char)('0' + rng_next() % (i + 1 == frac_digits ? 2 : 10));
    }
    buf[n] = '\0';
    return mem_strdup(test_cx, buf);
}

static void test_order_numeric(void **state)
{
    (void)state;
    size_t n = ARRAY_LEN(numeric_edges) + 400;
    Datum *v = mem_alloc(test_cx, n * sizeof(Datum));
    for (size_t i = 0; i < ARRAY_LEN(numeric_edges); i++)
        v[i] = d_str(TYPE_NUMERIC, numeric_edges[i]);
    for (size_t i = ARRAY_LEN(numeric_edges); i < n; i++)
        v[i] = d_str(TYPE_NUMERIC, random_numeric());
    check_type(v, n);
}

/* Equal numerics have identical keys whatever their display scale, and
 * decoding gives the shortest text. */
static void test_numeric_normalised(void **state)
{
    (void)state;
    static const char *cases[][2] = {{"1.50", "1.5"},
                                     {"-0.0010", "-0.001"},
                                     {"00012.3400", "12.34"},
                                     {"0.000", "0"},
                                     {"-0", "0"},
                                     {".5", "0.5"},
                                     {"5.", "5"},
                                     {"+7", "7"},
                                     {"1000", "1000"},
                                     {"100.00", "100"},
                                     {"-100", "-100"},
                                     {"0.0105", "0.0105"},
                                     {"nan", "NaN"},
                                     {"inf", "Infinity"},
                                     {"-INFINITY", "-Infinity"},
                                     {"+Infinity", "Infinity"}};
    DbError err;
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        StrBuf b;
        strbuf_init(&b);
        Datum d = d_str(TYPE_NUMERIC, cases[i][0]), out;
        assert_int_equal(kv_key_append(&b, &d, KV_NULLS_LAST, &err), 0);
        assert_string_equal(hex(b.data, b.len),
                            enc_hex(d_str(TYPE_NUMERIC, cases[i][1]), KV_NULLS_LAST));
        KvKeyReader r;
        kv_key_reader_init(&r, b.data, b.len);
        assert_int_equal(kv_key_read(&r, TYPE_NUMERIC, KV_NULLS_LAST, test_cx, &out, &err), 0);
        assert_int_equal(out.v.s.len, strlen(cases[i][1]));
        assert_string_equal(out.v.s.ptr, cases[i][1]);
        strbuf_fini(&b);
    }
}

/* PostgreSQL's numeric range: 131072 integer digits, 16383 fractional. */
static void test_numeric_limits(void **state)
{
    (void)state;
    DbError err;
    StrBuf b;
    strbuf_init(&b);
    size_t big = KV_NUMERIC_MAX_INT_DIGITS + 2;
    char *s = mem_alloc(test_cx, big + 1);
    s[0] = '1';
    memset(s + 1, '0', big - 1);
    s[big] = '\0';
    Datum ok = datum_bytes(TYPE_NUMERIC, s, KV_NUMERIC_MAX_INT_DIGITS);
    assert_int_equal(kv_key_append(&b, &ok, KV_NULLS_LAST, &err), 0);
    Datum over = datum_bytes(TYPE_NUMERIC, s, KV_NUMERIC_MAX_INT_DIGITS + 1);
    size_t before = b.len;
    assert_int_equal(kv_key_append(&b, &over, KV_NULLS_LAST, &err), -1);
    assert_string_equal(err.sqlstate, "22003");
    assert_string_equal(err.message, "value overflows numeric format");
    assert_int_equal(b.len, before);

    /* 0.000...1 with the 1 at the last allowed place, and one further. */
    char *f = mem_alloc(test_cx, KV_NUMERIC_MAX_FRAC_DIGITS + 4);
    memcpy(f, "0.", 2);
    memset(f + 2, '0', KV_NUMERIC_MAX_FRAC_DIGITS);
    f[2 + KV_NUMERIC_MAX_FRAC_DIGITS - 1] = '1';
    f[2 + KV_NUMERIC_MAX_FRAC_DIGITS] = '0'; /* a trailing zero is fine */
    Datum tiny = datum_bytes(TYPE_NUMERIC, f, KV_NUMERIC_MAX_FRAC_DIGITS + 3);
    assert_int_equal(kv_key_append(&b, &tiny, KV_NULLS_LAST, &err), 0);
    f[2 + KV_NUMERIC_MAX_FRAC_DIGITS - 1] = '0';
    f[2 + KV_NUMERIC_MAX_FRAC_DIGITS] = '1';
    assert_int_equal(kv_key_append(&b, &tiny, KV_NULLS_LAST, &err), -1);
    assert_string_equal(err.sqlstate, "22003");

    /* Both extremes decode back to themselves. */
    KvKeyReader r;
    kv_key_reader_init(&r, b.data, b.len);
    Datum out;
    assert_int_equal(kv_key_read(&r, TYPE_NUMERIC, KV_NULLS_LAST, test_cx, &out, &err), 0);
    assert_int_equal(out.v.s.len, KV_NUMERIC_MAX_INT_DIGITS);
    assert_int_equal(kv_key_read(&r, TYPE_NUMERIC, KV_NULLS_LAST, test_cx, &out, &err), 0);
    assert_int_equal(out.v.s.len, KV_NUMERIC_MAX_FRAC_DIGITS + 2);
    assert_true(kv_key_reader_done(&r));
    strbuf_fini(&b);
}

static void test_order_text(void **state)
{
    (void)state;
    static const char *texts[] = {"",  "a",    "a ",       "a\t",  "ab",       "abc",
                                  "b", "\x7F", "\xC3\xA9", "\xFF", "\xFF\xFF", "A",
                                  "Z", "aa",   "a b",      "\x01", "zzzz"};
    static const uint32_t types[] = {TYPE_TEXT, TYPE_VARCHAR, TYPE_NAME};
    for (size_t t = 0; t < ARRAY_LEN(types); t++) {
        size_t n = ARRAY_LEN(texts) + 100;
        Datum *v = mem_alloc(test_cx, n * sizeof(Datum));
        for (size_t i = 0; i < ARRAY_LEN(texts); i++)
            v[i] = d_str(types[t], texts[i]);
        for (size_t i = ARRAY_LEN(texts); i < n; i++) {
            size_t len = rng_next() % 6;
            char *s = mem_alloc(test_cx, len + 1);
            for (size_t k = 0; k < len; k++)
                s[k] = (char)(1 + rng_next() % 255); /* no NUL in text */
            v[i] = datum_bytes(types[t], s, len);
        }
        check_type(v, n);
    }
}

/* bpchar compares without trailing spaces: 'a' = 'a  ' < 'a\t'. */
static void test_order_bpchar(void **state)
{
    (void)state;
    Datum v[] = {d_str(TYPE_BPCHAR, "a"),   d_str(TYPE_BPCHAR, "a  "), d_str(TYPE_BPCHAR, "a\t"),
                 d_str(TYPE_BPCHAR, ""),    d_str(TYPE_BPCHAR, "   "), d_str(TYPE_BPCHAR, "a b"),
                 d_str(TYPE_BPCHAR, "ab "), d_str(TYPE_BPCHAR, " a")};
    check_type(v, ARRAY_LEN(v));
    assert_string_equal(enc_hex(d_str(TYPE_BPCHAR, "a"), KV_NULLS_LAST),
                        enc_hex(d_str(TYPE_BPCHAR, "a   "), KV_NULLS_LAST));
}

static void test_order_bytea(void **state)
{
    (void)state;
    static const struct {
        const char *p;
        size_t len;
    } bytes[] = {{"", 0},
                 {"\x00", 1},
                 {"\x00\x00", 2},
                 {"\x00\x01", 2},
                 {"\x00\xFF", 2},
                 {"\x01", 1},
                 {"\xFF", 1},
                 {"\xFF\x00", 2},
                 {"\xFF\xFF", 2},
                 {"a", 1},
                 {"a\x00", 2},
                 {"a\x00x", 3},
                 {"a\x01", 2},
                 {"ab", 2},
                 {"a\xFF", 2},
                 {"\x00\x00\x00", 3},
                 {"b", 1},
                 {"\x00\xFF\x01", 3},
                 {"\x00\x01\x00", 3}};
    size_t n = ARRAY_LEN(bytes) + 200;
    Datum *v = mem_alloc(test_cx, n * sizeof(Datum));
    for (size_t i = 0; i < ARRAY_LEN(bytes); i++)
        v[i] = datum_bytes(TYPE_BYTEA, bytes[i].p, bytes[i].len);
    for (size_t i = ARRAY_LEN(bytes); i < n; i++) {
        size_t len = rng_next() % 5;
        char *s = mem_alloc(test_cx, len + 1);
        for (size_t k = 0; k < len; k++) {
            /* Mostly the bytes that matter: 0x00, 0x01, 0xFF. */
            static const char pick[] = {0x00, 0x01, (char)0xFF, 'a'};
            s[k] = pick[rng_next() % 4];
        }
        v[i] = datum_bytes(TYPE_BYTEA, s, len);
    }
    check_type(v, n);
}

static void test_order_uuid(void **state)
{
    (void)state;
    Datum v[40];
    for (size_t i = 0; i < ARRAY_LEN(v); i++) {
        v[i] = (Datum){.type = TYPE_UUID};
        /* All zeros, all ones, then random bytes (every third uuid from
         * {0, 1} only, so that many share long prefixes). */
        for (int k = 0; k < 16; k++)
            v[i].v.uuid[k] = i == 0   ? 0x00
                             : i == 1 ? 0xFF
                                      : (uint8_t)(rng_next() % (i % 3 ? 256 : 2));
    }
    check_type(v, ARRAY_LEN(v));
}

static void test_order_interval(void **state)
{
    (void)state;
    const int64_t day = 86400000000LL;
    Datum fixed[] = {d_interval(0, 0, 0),
                     d_interval(1, 0, 0),
                     d_interval(0, 30, 0),
                     d_interval(0, 0, 30 * day),
                     d_interval(0, 29, 24 * 3600000000LL),
                     d_interval(0, 1, 0),
                     d_interval(0, 0, day - 1),
                     d_interval(0, 0, -1),
                     d_interval(-1, 30, 0),
                     d_interval(-1, 0, 0),
                     d_interval(12, 0, 0),
                     d_interval(0, 360, 0),
                     d_interval(INT32_MAX, INT32_MAX, INT64_MAX),
                     d_interval(INT32_MIN, INT32_MIN, INT64_MIN),
                     d_interval(INT32_MAX, 0, 0),
                     d_interval(INT32_MIN, 0, 0),
                     d_interval(0, 0, INT64_MAX),
                     d_interval(0, 0, INT64_MIN),
                     d_interval(1, -30, 5)};
    size_t n = ARRAY_LEN(fixed) + 150;
    Datum *v = mem_alloc(test_cx, n * sizeof(Datum));
    memcpy(v, fixed, sizeof fixed);
    for (size_t i = ARRAY_LEN(fixed); i < n; i++)
        v[i] = d_interval((int32_t)(rng_next() % 41) - 20, (int32_t)(rng_next() % 121) - 60,
                          (int64_t)(rng_next() % (4 * (uint64_t)day)) - 2 * day);
    check_type(v, n);

    /* '1 mon' = '30 days': one key, decoded justified. */
    DbError err;
    StrBuf b;
    strbuf_init(&b);
    Datum thirty = d_interval(0, 30, 36 * 3600000000LL), out;
    assert_int_equal(kv_key_append(&b, &thirty, KV_NULLS_LAST, &err), 0);
    KvKeyReader r;
    kv_key_reader_init(&r, b.data, b.len);
    assert_int_equal(kv_key_read(&r, TYPE_INTERVAL, KV_NULLS_LAST, test_cx, &out, &err), 0);
    assert_int_equal(out.v.interval.months, 1);
    assert_int_equal(out.v.interval.days, 1);
    assert_int_equal(out.v.interval.time_us, 12 * 3600000000LL);
    strbuf_fini(&b);
}

static void test_order_timetz(void **state)
{
    (void)state;
    Datum v[] = {d_timetz(0, 0),
                 d_timetz(3600000000LL, -3600), /* 01:00+01 = 00:00 UTC, zone differs */
                 d_timetz(3600000000LL, 0),
                 d_timetz(0, 3600),
                 d_timetz(86400000000LL, -50400),
                 d_timetz(0, 57599),
                 d_timetz(43200000000LL, -57599),
                 d_timetz(86400000000LL, 0),
                 d_timetz(1, 1)};
    check_type(v, ARRAY_LEN(v));
}

/* ---- Composite keys and NULLs ---------------------------------------------- */

static void test_composite_self_delimiting(void **state)
{
    (void)state;
    DbError err;
    StrBuf x, y;
    strbuf_init(&x);
    strbuf_init(&y);
    Datum a = d_str(TYPE_TEXT, "a"), b = d_str(TYPE_TEXT, "b"), ab = d_str(TYPE_TEXT, "ab"),
          empty = d_str(TYPE_TEXT, "");
    kv_key_begin(&x, 1);
    kv_key_append(&x, &a, KV_NULLS_LAST, &err);
    kv_key_append(&x, &b, KV_NULLS_LAST, &err);
    kv_key_begin(&y, 1);
    kv_key_append(&y, &ab, KV_NULLS_LAST, &err);
    kv_key_append(&y, &empty, KV_NULLS_LAST, &err);
    assert_true(bytes_cmp(x.data, x.len, y.data, y.len) < 0); /* ('a','b') < ('ab','') */
    strbuf_fini(&x);
    strbuf_fini(&y);
}

/* Random 3-column tuples (text NULLS FIRST, int8 NULLS LAST, numeric NULLS
 * FIRST) with many ties: key order is lexicographic SQL order. */
static void test_composite_order(void **state)
{
    (void)state;
    enum { N = 250, COLS = 3 };
    static const KvNullOrder nulls[COLS] = {KV_NULLS_FIRST, KV_NULLS_LAST, KV_NULLS_FIRST};
    static const char *texts[] = {"", "a", "ab", "b", "a\x01"};
    static const char *nums[] = {"0", "1.5", "-1.50", "1.50", "NaN", "-Infinity", "10"};
    Datum *rows = mem_alloc(test_cx, N * COLS * sizeof(Datum));
    StrBuf keys[N];
    DbError err;
    for (int i = 0; i < N; i++) {
        Datum *row = rows + i * COLS;
        row[0] = rng_next() % 6 == 0 ? datum_null(TYPE_TEXT)
                                     : d_str(TYPE_TEXT, texts[rng_next() % ARRAY_LEN(texts)]);
        row[1] = rng_next() % 6 == 0 ? datum_null(TYPE_INT8)
                                     : datum_int(TYPE_INT8, (int64_t)(rng_next() % 5) - 2);
        row[2] = rng_next() % 6 == 0 ? datum_null(TYPE_NUMERIC)
                                     : d_str(TYPE_NUMERIC, nums[rng_next() % ARRAY_LEN(nums)]);
        strbuf_init(&keys[i]);
        kv_key_begin(&keys[i], 7);
        for (int c = 0; c < COLS; c++)
            assert_int_equal(kv_key_append(&keys[i], &row[c], nulls[c], &err), 0);
    }
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) {
            int want = 0;
            for (int c = 0; c < COLS && want == 0; c++)
                want = sql_cmp_nulls(&rows[i * COLS + c], &rows[j * COLS + c], nulls[c]);
            int got = bytes_cmp(keys[i].data, keys[i].len, keys[j].data, keys[j].len);
            assert_int_equal(want, got);
        }
        /* Decode the whole tuple back, and skip over it. */
        KvKeyReader r;
        kv_key_reader_init(&r, keys[i].data, keys[i].len);
        uint32_t object_id;
        assert_int_equal(kv_key_read_object(&r, &object_id, &err), 0);
        static const uint32_t types[COLS] = {TYPE_TEXT, TYPE_INT8, TYPE_NUMERIC};
        for (int c = 0; c < COLS; c++) {
            Datum out;
            assert_int_equal(kv_key_read(&r, types[c], nulls[c], test_cx, &out, &err), 0);
            assert_int_equal(sql_cmp_nulls(&out, &rows[i * COLS + c], nulls[c]), 0);
        }
        assert_true(kv_key_reader_done(&r));
        r.pos = KV_KEY_OBJECT_BYTES;
        for (int c = 0; c < COLS; c++)
            assert_int_equal(kv_key_skip(&r, &err), 0);
        assert_true(kv_key_reader_done(&r));
    }
    for (int i = 0; i < N; i++)
        strbuf_fini(&keys[i]);
}

/* A NULL of either order sorts below / above the values of every type. */
static void test_nulls_bracket_every_type(void **state)
{
    (void)state;
    Datum u = {.type = TYPE_UUID};
    memset(u.v.uuid, 0xFF, 16);
    Datum lowest[] = {d_bool(false),
                      datum_int(TYPE_INT8, INT64_MIN),
                      d_float(TYPE_FLOAT8, -INFINITY),
                      d_str(TYPE_NUMERIC, "-Infinity"),
                      d_str(TYPE_TEXT, ""),
                      datum_bytes(TYPE_BYTEA, "", 0),
                      d_interval(INT32_MIN, INT32_MIN, INT64_MIN),
                      d_timetz(INT64_MIN / 2, INT32_MIN / 4096)};
    Datum highest[] = {d_bool(true),
                       datum_int(TYPE_INT8, INT64_MAX),
                       d_float(TYPE_FLOAT8, NAN),
                       d_str(TYPE_NUMERIC, "NaN"),
                       datum_bytes(TYPE_TEXT, "\xFF\xFF\xFF", 3),
                       datum_bytes(TYPE_BYTEA, "\xFF\xFF", 2),
                       d_interval(INT32_MAX, INT32_MAX, INT64_MAX),
                       d_timetz(INT64_MAX / 2, INT32_MAX / 4096),
                       u};
    char *first = enc_hex(datum_null(TYPE_INT4), KV_NULLS_FIRST);
    char *last = enc_hex(datum_null(TYPE_INT4), KV_NULLS_LAST);
    for (size_t i = 0; i < ARRAY_LEN(lowest); i++)
        assert_true(strcmp(first, enc_hex(lowest[i], KV_NULLS_FIRST)) < 0);
    for (size_t i = 0; i < ARRAY_LEN(highest); i++)
        assert_true(strcmp(last, enc_hex(highest[i], KV_NULLS_LAST)) > 0);

    /* A NULL written for one order is corrupt when read for the other. */
    DbError err;
    Datum out;
    KvKeyReader r;
    kv_key_reader_init(&r, "\x01", 1);
    assert_int_equal(kv_key_read(&r, TYPE_INT4, KV_NULLS_LAST, test_cx, &out, &err), -1);
    assert_string_equal(err.sqlstate, "XX001");
    assert_int_equal(r.pos, 0);
}

/* ---- Range bounds ----------------------------------------------------------- */

static void test_prefix_end_and_successor(void **state)
{
    (void)state;
    StrBuf out;
    strbuf_init(&out);
    kv_key_prefix_end((const uint8_t *)"\x01\x02", 2, &out);
    assert_string_equal(hex(out.data, out.len), "01 03");
    kv_key_prefix_end((const uint8_t *)"\x01\xFF\xFF", 3, &out);
    assert_string_equal(hex(out.data, out.len), "02");
    kv_key_prefix_end((const uint8_t *)"\xFF\xFF", 2, &out);
    assert_int_equal(out.len, 0);
    kv_key_prefix_end((const uint8_t *)"", 0, &out);
    assert_int_equal(out.len, 0);
    /* In place. */
    strbuf_reset(&out);
    strbuf_append(&out, "\x05\xFE\xFF", 3);
    kv_key_prefix_end((const uint8_t *)out.data, out.len, &out);
    assert_string_equal(hex(out.data, out.len), "05 FF");
    kv_key_successor((const uint8_t *)out.data, out.len, &out);
    assert_string_equal(hex(out.data, out.len), "05 FF 00");
    kv_key_successor((const uint8_t *)"\x07", 1, &out);
    assert_string_equal(hex(out.data, out.len), "07 00");
    kv_key_object_end(&out, 0x010203FF);
    assert_string_equal(hex(out.data, out.len), "01 02 04 00");
    kv_key_object_end(&out, UINT32_MAX);
    assert_int_equal(out.len, 0);
    strbuf_fini(&out);
}

/* A scan of (object 9, a = 5) over keys (a int8, b text) sees exactly the
 * a = 5 keys between the prefix and its end; a > 5 starts at the end. */
static void test_prefix_scan_bounds(void **state)
{
    (void)state;
    DbError err;
    StrBuf lo, hi, k;
    strbuf_init(&lo);
    strbuf_init(&hi);
    strbuf_init(&k);
    Datum five = datum_int(TYPE_INT8, 5);
    kv_key_begin(&lo, 9);
    kv_key_append(&lo, &five, KV_NULLS_LAST, &err);
    kv_key_prefix_end((const uint8_t *)lo.data, lo.len, &hi);
    for (int a = 3; a <= 7; a++) {
        static const char *bs[] = {"", "\xFF\xFF", "x"};
        for (size_t i = 0; i < ARRAY_LEN(bs) + 1; i++) {
            Datum da = datum_int(TYPE_INT8, a);
            Datum db = i < ARRAY_LEN(bs) ? d_str(TYPE_TEXT, bs[i]) : datum_null(TYPE_TEXT);
            strbuf_reset(&k);
            kv_key_begin(&k, 9);
            kv_key_append(&k, &da, KV_NULLS_LAST, &err);
            kv_key_append(&k, &db, KV_NULLS_LAST, &err);
            bool in = bytes_cmp(k.data, k.len, lo.data, lo.len) >= 0 &&
                      bytes_cmp(k.data, k.len, hi.data, hi.len) < 0;
            assert_int_equal(in, a == 5);
            if (a > 5) assert_true(bytes_cmp(k.data, k.len, hi.data, hi.len) >= 0);
        }
    }
    strbuf_fini(&lo);
    strbuf_fini(&hi);
    strbuf_fini(&k);
}

/* ---- Errors ------------------------------------------------------------------- */

static void test_unsupported_and_invalid_values(void **state)
{
    (void)state;
    DbError err;
    StrBuf b;
    strbuf_init(&b);
    strbuf_append(&b, "pre", 3);
    Datum json = d_str(TYPE_JSON, "{}");
    assert_int_equal(kv_key_append(&b, &json, KV_NULLS_LAST, &err), -1);
    assert_string_equal(err.sqlstate, "0A000");
    assert_string_equal(err.message, "data type json cannot be used in a key");
    Datum jsonb_null = datum_null(TYPE_JSONB);
    assert_int_equal(kv_key_append(&b, &jsonb_null, KV_NULLS_LAST, &err), -1);
    assert_string_equal(err.message, "data type jsonb cannot be used in a key");

    static const char *bad_numerics[] = {"",   "-",   ".",   "1e5",  "1.2.3",     " 1",
                                         "1 ", "abc", "--1", "0x10", "Infinityx", "1,5"};
    for (size_t i = 0; i < ARRAY_LEN(bad_numerics); i++) {
        Datum d = d_str(TYPE_NUMERIC, bad_numerics[i]);
        assert_int_equal(kv_key_append(&b, &d, KV_NULLS_LAST, &err), -1);
        assert_string_equal(err.sqlstate, "22P02");
    }
    Datum abc = d_str(TYPE_NUMERIC, "abc");
    kv_key_append(&b, &abc, KV_NULLS_LAST, &err);
    assert_string_equal(err.message, "invalid input syntax for type numeric: \"abc\"");

    Datum i2 = datum_int(TYPE_INT2, 40000);
    assert_int_equal(kv_key_append(&b, &i2, KV_NULLS_LAST, &err), -1);
    assert_string_equal(err.sqlstate, "22003");
    assert_string_equal(err.message, "smallint out of range");
    Datum i4 = datum_int(TYPE_INT4, (int64_t)INT32_MIN - 1);
    assert_int_equal(kv_key_append(&b, &i4, KV_NULLS_LAST, &err), -1);
    assert_string_equal(err.message, "integer out of range");
    Datum date = datum_int(TYPE_DATE, INT64_C(1) << 40);
    assert_int_equal(kv_key_append(&b, &date, KV_NULLS_LAST, &err), -1);
    assert_string_equal(err.sqlstate, "22008");

    /* Failed appends leave the buffer as it was. */
    assert_int_equal(b.len, 3);
    assert_memory_equal(b.data, "pre", 4);
    strbuf_fini(&b);
}

typedef struct CorruptCase {
    uint32_t type;
    const char *bytes;
    size_t len;
} CorruptCase;

static void test_corrupt_input(void **state)
{
    (void)state;
    static const CorruptCase cases[] = {
        {TYPE_INT4, "", 0},                                     /* missing element */
        {TYPE_INT4, "\x31", 1},                                 /* truncated */
        {TYPE_INT4, "\x31\x00", 2},                             /* non-canonical 0 */
        {TYPE_INT4, "\x2E\xFF\x05", 3},                         /* non-canonical -251 */
        {TYPE_INT4, "\x35\x01\x00\x00\x00\x00", 6},             /* 2^32 in an int4 */
        {TYPE_INT2, "\x33\x01\x00\x00", 4},                     /* 65536 in an int2 */
        {TYPE_OID, "\x2F\x01", 2},                              /* negative oid */
        {TYPE_INT8, "\x38\x80\x00\x00\x00\x00\x00\x00\x00", 9}, /* 2^63 */
        {TYPE_INT8, "\x28\x7F\xFF\xFF\xFF\xFF\xFF\xFF\xFF", 9}, /* below INT64_MIN */
        {TYPE_INT8, "\x60\x00\x01", 3},                         /* a text tag */
        {TYPE_INT8, "\x27", 1},                                 /* no such tag */
        {TYPE_INT8, "\x00", 1},
        {TYPE_INT8, "\xFF", 1},
        {TYPE_INT8, "\x81", 1}, /* descending NULL: not written yet */
        {TYPE_BOOL, "\x22", 1},
        {TYPE_FLOAT8, "\x40\x80\x00", 3},
        {TYPE_FLOAT8, "\x40\x7F\xFF\xFF\xFF\xFF\xFF\xFF\xFF", 9}, /* -0 */
        {TYPE_FLOAT8, "\x40\xFF\xF8\x00\x00\x00\x00\x00\x01", 9}, /* another NaN */
        {TYPE_FLOAT8, "\x40\x00\x07\xFF\xFF\xFF\xFF\xFF\xFF", 9}, /* a negative NaN */
        {TYPE_FLOAT4, "\x40\xBF\xF0\x00\x00\x00\x00\x00\x01", 9}, /* not a float4 */
        {TYPE_TEXT, "\x60", 1},
        {TYPE_TEXT, "\x60\x61\x62", 3},
        {TYPE_TEXT, "\x60\x61\x00", 3},
        {TYPE_TEXT, "\x60\x61\x00\x02", 4}, /* bad escape */
        {TYPE_TEXT, "\x61\x00\x01", 3},     /* bytea tag for text */
        {TYPE_BYTEA, "\x60\x00\x01", 3},
        {TYPE_UUID, "\x68\x00\x01", 3},
        {TYPE_INTERVAL, "\x70\x80", 2},
        {TYPE_INTERVAL, "\x70\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF", 17},
        {TYPE_TIMETZ, "\x71\x30", 2},
        {TYPE_TIMETZ, "\x71\x30\x35\x01\x00\x00\x00\x00", 8}, /* zone beyond int32 */
        {TYPE_NUMERIC, "\x53", 1},
        {TYPE_NUMERIC, "\x53\x31", 2},
        {TYPE_NUMERIC, "\x53\x31\x01", 3},                 /* no digits */
        {TYPE_NUMERIC, "\x53\x31\x01\x1F", 4},             /* unterminated */
        {TYPE_NUMERIC, "\x53\x31\x01\x00", 4},             /* digit byte 0 */
        {TYPE_NUMERIC, "\x53\x31\x01\xC8", 4},             /* digit byte 200 */
        {TYPE_NUMERIC, "\x53\x31\x01\x12", 4},             /* leading zero digit (pair 09) */
        {TYPE_NUMERIC, "\x53\x34\x7F\xFF\xFF\xFF\x14", 7}, /* exponent too large */
        {TYPE_NUMERIC, "\x53\x2D\x80\x00\x00\x14", 6},     /* exponent too small */
        {TYPE_NUMERIC, "\x51\xCE\xFE\x1E", 4},             /* uncomplemented digit */
        {TYPE_NUMERIC, "\x31\x01", 2},                     /* an integer tag */
    };
    DbError err;
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        KvKeyReader r;
        kv_key_reader_init(&r, cases[i].bytes, cases[i].len);
        Datum out;
        int rc = kv_key_read(&r, cases[i].type, KV_NULLS_LAST, test_cx, &out, &err);
        if (rc != -1) fail_msg("case %zu (%s) decoded", i, hex(cases[i].bytes, cases[i].len));
        assert_string_equal(err.sqlstate, "XX001");
        assert_string_equal(db_sqlstate_name(err.sqlstate), "data_corrupted");
        assert_int_equal(r.pos, 0);
    }
    KvKeyReader r;
    kv_key_reader_init(&r, "\x60\x61\x00\x02", 4);
    kv_key_skip(&r, &err);
    assert_string_equal(err.message, "corrupt key at byte 0: invalid escape 0x00 0x02 in string");
    uint32_t object_id;
    kv_key_reader_init(&r, "\x00\x01", 2);
    assert_int_equal(kv_key_read_object(&r, &object_id, &err), -1);
    assert_string_equal(err.sqlstate, "XX001");
}

/* Every proper prefix of a valid key fails to decode (no element is a
 * prefix of another), and never reads past the end. */
static void test_truncated_keys(void **state)
{
    (void)state;
    Datum vals[] = {datum_int(TYPE_INT8, -123456789),
                    d_float(TYPE_FLOAT8, 2.5),
                    d_str(TYPE_NUMERIC, "-123.456"),
                    d_str(TYPE_NUMERIC, "0.000789"),
                    datum_bytes(TYPE_BYTEA, "\x00z\x00", 3),
                    d_interval(1, 2, 3),
                    d_timetz(5, -7200)};
    Datum u = {.type = TYPE_UUID};
    DbError err;
    for (size_t i = 0; i < ARRAY_LEN(vals) + 1; i++) {
        Datum d = i < ARRAY_LEN(vals) ? vals[i] : u;
        StrBuf b;
        strbuf_init(&b);
        assert_int_equal(kv_key_append(&b, &d, KV_NULLS_LAST, &err), 0);
        for (size_t cut = 0; cut < b.len; cut++) {
            /* A heap copy of exactly cut bytes, so ASan sees any overread. */
            uint8_t *copy = malloc(cut ? cut : 1);
            memcpy(copy, b.data, cut);
            KvKeyReader r;
            kv_key_reader_init(&r, copy, cut);
            Datum out;
            assert_int_equal(kv_key_read(&r, d.type, KV_NULLS_LAST, test_cx, &out, &err), -1);
            kv_key_reader_init(&r, copy, cut);
            assert_int_equal(kv_key_skip(&r, &err), -1);
            free(copy);
        }
        strbuf_fini(&b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_documented_examples),
        cmocka_unit_test(test_documented_composite_key),
        cmocka_unit_test(test_order_bool),
        cmocka_unit_test(test_order_integers),
        cmocka_unit_test(test_integer_widths_share_encoding),
        cmocka_unit_test(test_order_floats),
        cmocka_unit_test(test_order_numeric),
        cmocka_unit_test(test_numeric_normalised),
        cmocka_unit_test(test_numeric_limits),
        cmocka_unit_test(test_order_text),
        cmocka_unit_test(test_order_bpchar),
        cmocka_unit_test(test_order_bytea),
        cmocka_unit_test(test_order_uuid),
        cmocka_unit_test(test_order_interval),
        cmocka_unit_test(test_order_timetz),
        cmocka_unit_test(test_composite_self_delimiting),
        cmocka_unit_test(test_composite_order),
        cmocka_unit_test(test_nulls_bracket_every_type),
        cmocka_unit_test(test_prefix_end_and_successor),
        cmocka_unit_test(test_prefix_scan_bounds),
        cmocka_unit_test(test_unsupported_and_invalid_values),
        cmocka_unit_test(test_corrupt_input),
        cmocka_unit_test(test_truncated_keys),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
