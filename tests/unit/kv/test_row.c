/*
 * Unit tests for row values (kv/row.c): the exact bytes of the example in
 * docs/formats/keys.md, exact round trips of every type (numeric keeps its
 * display text, float8 keeps -0), NULLs as absent entries, column-id order,
 * fetching a subset of columns, ADD/DROP COLUMN reading, and corrupt input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kv/kv.h"

static MemContext *test_cx;

static int setup(void **state)
{
    (void)state;
    test_cx = mem_context_create(NULL, "test_row");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    mem_context_destroy(test_cx);
    return 0;
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

static Datum d_str(uint32_t type, const char *s)
{
    return datum_bytes(type, s, strlen(s));
}

static Datum d_float(uint32_t type, double f)
{
    Datum d = {.type = type, .is_null = false};
    d.v.f = f;
    return d;
}

/* Datums equal bit for bit (the row value is exact, unlike keys). */
static void assert_datum_identical(const Datum *a, const Datum *b)
{
    assert_int_equal(a->type, b->type);
    assert_int_equal(a->is_null, b->is_null);
    if (a->is_null) return;
    switch (a->type) {
    case TYPE_BOOL:
        assert_int_equal(a->v.b, b->v.b);
        break;
    case TYPE_FLOAT4:
    case TYPE_FLOAT8:
        assert_memory_equal(&a->v.f, &b->v.f, sizeof a->v.f);
        break;
    case TYPE_TEXT:
    case TYPE_VARCHAR:
    case TYPE_BPCHAR:
    case TYPE_NAME:
    case TYPE_BYTEA:
    case TYPE_JSON:
    case TYPE_JSONB:
    case TYPE_NUMERIC:
        assert_int_equal(a->v.s.len, b->v.s.len);
        assert_memory_equal(a->v.s.ptr, b->v.s.ptr, a->v.s.len);
        break;
    case TYPE_UUID:
        assert_memory_equal(a->v.uuid, b->v.uuid, 16);
        break;
    case TYPE_INTERVAL:
        assert_int_equal(a->v.interval.months, b->v.interval.months);
        assert_int_equal(a->v.interval.days, b->v.interval.days);
        assert_int_equal(a->v.interval.time_us, b->v.interval.time_us);
        break;
    case TYPE_TIMETZ:
        assert_int_equal(a->v.timetz.time_us, b->v.timetz.time_us);
        assert_int_equal(a->v.timetz.zone_seconds, b->v.timetz.zone_seconds);
        break;
    default:
        assert_int_equal(a->v.i, b->v.i);
        break;
    }
}

/* The example in docs/formats/keys.md: columns 2..5 of a row, one NULL. */
static void test_documented_example(void **state)
{
    (void)state;
    uint32_t ids[] = {2, 3, 4, 5, 300};
    Datum values[] = {datum_int(TYPE_INT4, 7), d_str(TYPE_TEXT, "hi"), datum_null(TYPE_DATE),
                      d_str(TYPE_NUMERIC, "1.50"), datum_int(TYPE_INT8, -2)};
    StrBuf b;
    strbuf_init(&b);
    DbError err;
    assert_int_equal(kv_row_encode(&b, ids, values, 5, &err), 0);
    assert_string_equal(hex(b.data, b.len),
                        "01 02 01 07 01 02 68 69 02 04 31 2E 35 30 A7 02 01 FE");
    strbuf_fini(&b);

    /* All NULL: just the version byte. */
    strbuf_init(&b);
    Datum nulls[] = {datum_null(TYPE_INT4), datum_null(TYPE_TEXT)};
    assert_int_equal(kv_row_encode(&b, ids, nulls, 2, &err), 0);
    assert_string_equal(hex(b.data, b.len), "01");
    strbuf_fini(&b);
}

static void test_value_bytes_per_type(void **state)
{
    (void)state;
    static const struct {
        int64_t v;
        const char *hex;
    } ints[] = {{0, ""},
                {1, "01"},
                {-1, "FF"},
                {127, "7F"},
                {128, "00 80"},
                {-128, "80"},
                {-129, "FF 7F"},
                {32767, "7F FF"},
                {INT64_MAX, "7F FF FF FF FF FF FF FF"},
                {INT64_MIN, "80 00 00 00 00 00 00 00"}};
    DbError err;
    StrBuf b;
    strbuf_init(&b);
    for (size_t i = 0; i < ARRAY_LEN(ints); i++) {
        strbuf_reset(&b);
        Datum d = datum_int(TYPE_INT8, ints[i].v), out;
        assert_int_equal(kv_value_encode(&b, &d, &err), 0);
        assert_string_equal(hex(b.data, b.len), ints[i].hex);
        assert_int_equal(kv_value_decode(TYPE_INT8, (uint8_t *)b.data, b.len, NULL, &out, &err), 0);
        assert_int_equal(out.v.i, ints[i].v);
    }
    strbuf_reset(&b);
    Datum f = d_float(TYPE_FLOAT8, -0.0);
    kv_value_encode(&b, &f, &err);
    assert_string_equal(hex(b.data, b.len), "80 00 00 00 00 00 00 00");
    strbuf_reset(&b);
    f = d_float(TYPE_FLOAT4, 1.5);
    kv_value_encode(&b, &f, &err);
    assert_string_equal(hex(b.data, b.len), "3F C0 00 00");
    strbuf_reset(&b);
    Datum iv = {.type = TYPE_INTERVAL};
    iv.v.interval.months = 1;
    iv.v.interval.days = -2;
    iv.v.interval.time_us = 3;
    kv_value_encode(&b, &iv, &err);
    assert_string_equal(hex(b.data, b.len), "00 00 00 00 00 00 00 03 FF FF FF FE 00 00 00 01");
    strbuf_fini(&b);
}

static void test_round_trip_every_type(void **state)
{
    (void)state;
    char big[300];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (char)i; /* every byte value, and a two-byte length varint */
    Datum u = {.type = TYPE_UUID}, iv = {.type = TYPE_INTERVAL}, tz = {.type = TYPE_TIMETZ};
    for (int i = 0; i < 16; i++)
        u.v.uuid[i] = (uint8_t)(i * 17);
    iv.v.interval = (DatumInterval){.time_us = INT64_MIN, .days = INT32_MAX, .months = -5};
    tz.v.timetz = (DatumTimeTz){.time_us = 86399999999LL, .zone_seconds = -50400};
    Datum b_true = {.type = TYPE_BOOL, .v.b = true}, b_false = {.type = TYPE_BOOL, .v.b = false};
    double nan_bits;
    uint64_t payload = UINT64_C(0x7FF800000000BEEF);
    memcpy(&nan_bits, &payload, sizeof nan_bits);
    Datum values[] = {
        b_true,
        b_false,
        datum_int(TYPE_INT2, -32768),
        datum_int(TYPE_INT4, 2147483647),
        datum_int(TYPE_INT8, INT64_MIN),
        datum_int(TYPE_OID, 4294967295LL),
        d_float(TYPE_FLOAT4, -0.0),
        d_float(TYPE_FLOAT4, INFINITY),
        d_float(TYPE_FLOAT8, -0.0),
        d_float(TYPE_FLOAT8, nan_bits),
        d_float(TYPE_FLOAT8, 0x1p-1074),
        d_str(TYPE_NUMERIC, "1.50"),
        d_str(TYPE_NUMERIC, "-0.000"),
        d_str(TYPE_NUMERIC, "NaN"),
        d_str(TYPE_TEXT, ""),
        datum_bytes(TYPE_BYTEA, big, sizeof big),
        d_str(TYPE_BPCHAR, "ab   "),
        d_str(TYPE_VARCHAR, "x"),
        d_str(TYPE_NAME, "pg_class"),
        d_str(TYPE_JSON, "{\"a\": [1, 2]}"),
        d_str(TYPE_JSONB, "{}"),
        datum_int(TYPE_DATE, -2147483648LL),
        datum_int(TYPE_TIME, 86400000000LL),
        datum_int(TYPE_TIMESTAMP, INT64_MAX),
        datum_int(TYPE_TIMESTAMPTZ, -1),
        u,
        iv,
        tz,
    };
    size_t n = ARRAY_LEN(values);
    uint32_t *ids = mem_alloc(test_cx, n * sizeof(uint32_t));
    uint32_t *types = mem_alloc(test_cx, n * sizeof(uint32_t));
    for (size_t i = 0; i < n; i++) {
        ids[i] = (uint32_t)(i * 1000 + 1); /* multi-byte deltas */
        types[i] = values[i].type;
    }
    ids[n - 1] = UINT32_MAX;
    StrBuf b;
    strbuf_init(&b);
    DbError err;
    assert_int_equal(kv_row_encode(&b, ids, values, n, &err), 0);
    Datum *out = mem_alloc(test_cx, n * sizeof(Datum));
    assert_int_equal(kv_row_fetch((uint8_t *)b.data, b.len, n, ids, types, test_cx, out, &err), 0);
    for (size_t i = 0; i < n; i++)
        assert_datum_identical(&out[i], &values[i]);
    /* Copied into the context, not pointing into the buffer. */
    assert_true(out[11].v.s.ptr < b.data || out[11].v.s.ptr >= b.data + b.len);
    /* Without a context the bytes point into the buffer. */
    assert_int_equal(kv_row_fetch((uint8_t *)b.data, b.len, n, ids, types, NULL, out, &err), 0);
    assert_true(out[11].v.s.ptr >= b.data && out[11].v.s.ptr < b.data + b.len);
    assert_datum_identical(&out[11], &values[11]);
    strbuf_fini(&b);
}

typedef struct Seen {
    int count;
    uint32_t ids[16];
    int stop_after;
} Seen;

static int record_visit(void *arg, uint32_t column_id, const uint8_t *value, size_t len,
                        DbError *err)
{
    (void)value;
    (void)len;
    (void)err;
    Seen *s = arg;
    s->ids[s->count++] = column_id;
    return s->count == s->stop_after ? KV_ROW_STOP : 0;
}

/* Ids may come in any order; entries are written ascending, NULLs absent. */
static void test_order_nulls_and_visit(void **state)
{
    (void)state;
    uint32_t ids[] = {9, 1, 5, 3, 7};
    Datum values[] = {datum_int(TYPE_INT4, 9), datum_int(TYPE_INT4, 1), datum_null(TYPE_INT4),
                      datum_int(TYPE_INT4, 3), datum_int(TYPE_INT4, 7)};
    StrBuf b;
    strbuf_init(&b);
    DbError err;
    assert_int_equal(kv_row_encode(&b, ids, values, 5, &err), 0);
    assert_string_equal(hex(b.data, b.len), "01 01 01 01 02 01 03 04 01 07 02 01 09");
    Seen seen = {.stop_after = -1};
    assert_int_equal(kv_row_decode((uint8_t *)b.data, b.len, record_visit, &seen, &err), 0);
    assert_int_equal(seen.count, 4);
    assert_int_equal(seen.ids[0], 1);
    assert_int_equal(seen.ids[1], 3);
    assert_int_equal(seen.ids[2], 7);
    assert_int_equal(seen.ids[3], 9);
    Seen early = {.stop_after = 2};
    assert_int_equal(kv_row_decode((uint8_t *)b.data, b.len, record_visit, &early, &err), 0);
    assert_int_equal(early.count, 2);
    strbuf_fini(&b);
}

/* A row written before ADD COLUMN reads the new column as NULL; a dropped
 * column's entry is simply not asked for. */
static void test_add_and_drop_column(void **state)
{
    (void)state;
    uint32_t ids[] = {1, 2, 3};
    Datum values[] = {d_str(TYPE_TEXT, "old"), datum_int(TYPE_INT8, 42),
                      d_str(TYPE_NUMERIC, "3.140")};
    StrBuf b;
    strbuf_init(&b);
    DbError err;
    assert_int_equal(kv_row_encode(&b, ids, values, 3, &err), 0);
    uint32_t want[] = {4, 3, 1}; /* 4 was added, 2 was dropped */
    uint32_t types[] = {TYPE_BOOL, TYPE_NUMERIC, TYPE_TEXT};
    Datum out[3];
    assert_int_equal(kv_row_fetch((uint8_t *)b.data, b.len, 3, want, types, test_cx, out, &err), 0);
    assert_true(out[0].is_null);
    assert_int_equal(out[0].type, TYPE_BOOL);
    assert_string_equal(out[1].v.s.ptr, "3.140");
    assert_string_equal(out[2].v.s.ptr, "old");
    strbuf_fini(&b);
}

static void test_encode_errors(void **state)
{
    (void)state;
    StrBuf b;
    strbuf_init(&b);
    strbuf_append(&b, "x", 1);
    DbError err;
    uint32_t dup[] = {3, 1, 3};
    Datum values[] = {datum_int(TYPE_INT4, 1), datum_int(TYPE_INT4, 2), datum_null(TYPE_INT4)};
    assert_int_equal(kv_row_encode(&b, dup, values, 3, &err), -1);
    assert_string_equal(err.sqlstate, "XX000");
    assert_string_equal(err.message, "duplicate column id 3 in a row value");
    uint32_t ids[] = {1, 2};
    Datum bad[] = {datum_int(TYPE_INT4, 1), datum_int(TYPE_INT2, 70000)};
    assert_int_equal(kv_row_encode(&b, ids, bad, 2, &err), -1);
    assert_string_equal(err.sqlstate, "22003");
    Datum unknown[] = {datum_int(TYPE_INT4, 1), d_str(TYPE_UNKNOWN, "?")};
    assert_int_equal(kv_row_encode(&b, ids, unknown, 2, &err), -1);
    assert_string_equal(err.sqlstate, "0A000");
    assert_int_equal(b.len, 1); /* unchanged */
    strbuf_fini(&b);
}

typedef struct RowCase {
    const char *bytes;
    size_t len;
} RowCase;

static int accept_visit(void *arg, uint32_t column_id, const uint8_t *value, size_t len,
                        DbError *err)
{
    (void)arg;
    (void)column_id;
    (void)value;
    (void)len;
    (void)err;
    return 0;
}

static void test_corrupt_rows(void **state)
{
    (void)state;
    static const RowCase cases[] = {
        {"", 0},                                                  /* empty */
        {"\x02", 1},                                              /* unknown version */
        {"\x00\x01\x00", 3},                                      /* version 0 */
        {"\x01\x01", 2},                                          /* id without length */
        {"\x01\x81", 2},                                          /* truncated varint */
        {"\x01\x01\x05\x01", 4},                                  /* value shorter than length */
        {"\x01\x81\x00\x00", 4},                                  /* overlong varint */
        {"\x01\x01\x00\x00\x00", 5},                              /* second id delta 0 */
        {"\x01\xFF\xFF\xFF\xFF\x0F\x00\x01\x00", 9},              /* id overflows uint32 */
        {"\x01\x01\x80\x80\x80\x80\x80\x80\x80\x80\x80\x02", 12}, /* length beyond 64 bits */
    };
    DbError err;
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        uint8_t *copy = malloc(cases[i].len ? cases[i].len : 1);
        memcpy(copy, cases[i].bytes, cases[i].len);
        if (kv_row_decode(copy, cases[i].len, accept_visit, NULL, &err) != -1)
            fail_msg("case %zu decoded", i);
        assert_string_equal(err.sqlstate, "XX001");
        free(copy);
    }
    kv_row_decode((const uint8_t *)"\x02", 1, accept_visit, NULL, &err);
    assert_string_equal(err.message, "unknown row value format 2");

    /* A column's bytes that cannot be a value of its type. */
    Datum out;
    static const struct {
        uint32_t type;
        const char *bytes;
        size_t len;
    } values[] = {{TYPE_BOOL, "", 0},
                  {TYPE_BOOL, "\x02", 1},
                  {TYPE_INT2, "\x01\x00\x00", 3},
                  {TYPE_INT4, "\x01\x00\x00\x00\x00", 5},
                  {TYPE_INT8, "\x01\x00\x00\x00\x00\x00\x00\x00\x00", 9},
                  {TYPE_OID, "\xFF", 1},
                  {TYPE_FLOAT4, "\x00\x00\x00", 3},
                  {TYPE_FLOAT8, "\x00\x00\x00\x00", 4},
                  {TYPE_UUID, "\x00", 1},
                  {TYPE_INTERVAL, "\x00", 1},
                  {TYPE_TIMETZ, "\x00", 1}};
    for (size_t i = 0; i < ARRAY_LEN(values); i++) {
        assert_int_equal(kv_value_decode(values[i].type, (const uint8_t *)values[i].bytes,
                                         values[i].len, test_cx, &out, &err),
                         -1);
        assert_string_equal(err.sqlstate, "XX001");
    }
    kv_value_decode(TYPE_INT2, (const uint8_t *)"\x01\x00\x00", 3, test_cx, &out, &err);
    assert_string_equal(err.message, "corrupt row value: smallint value out of range");
}

/* A visitor's own failure comes back unchanged. */
static int failing_visit(void *arg, uint32_t column_id, const uint8_t *value, size_t len,
                         DbError *err)
{
    (void)arg;
    (void)value;
    (void)len;
    return db_error_set(err, SQLSTATE_DATA_CORRUPTED, "column %u is bad", column_id);
}

static void test_visitor_error(void **state)
{
    (void)state;
    DbError err;
    assert_int_equal(kv_row_decode((const uint8_t *)"\x01\x05\x00", 3, failing_visit, NULL, &err),
                     -1);
    assert_string_equal(err.message, "column 5 is bad");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_documented_example),    cmocka_unit_test(test_value_bytes_per_type),
        cmocka_unit_test(test_round_trip_every_type), cmocka_unit_test(test_order_nulls_and_visit),
        cmocka_unit_test(test_add_and_drop_column),   cmocka_unit_test(test_encode_errors),
        cmocka_unit_test(test_corrupt_rows),          cmocka_unit_test(test_visitor_error),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
