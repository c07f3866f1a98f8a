/*
 * Binary send/receive (types/binary.c) against PostgreSQL 15: every expected
 * byte string below is `encode(<type>_send(value), 'hex')` from a real
 * PostgreSQL 15 with TimeZone UTC.  Each case also goes back through recv
 * and must give the same value (type_output) as the text input did; then
 * the recv functions' errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "types/binary.h"
#include "types/types.h"

typedef struct BinCase {
    uint32_t oid;
    const char *text;
    const char *hex;
} BinCase;

static const BinCase cases[] = {
    {TYPE_NUMERIC, "0", "0000000000000000"},
    {TYPE_NUMERIC, "0.00", "0000000000000002"},
    {TYPE_NUMERIC, "1", "00010000000000000001"},
    {TYPE_NUMERIC, "-1", "00010000400000000001"},
    {TYPE_NUMERIC, "10000", "00010001000000000001"},
    {TYPE_NUMERIC, "12345.678", "0003000100000003000109291a7c"},
    {TYPE_NUMERIC, "0.0001", "0001ffff000000040001"},
    {TYPE_NUMERIC, "-0.00012", "0002ffff40000005000107d0"},
    {TYPE_NUMERIC, "NaN", "00000000c0000000"},
    {TYPE_NUMERIC, "Infinity", "00000000d0000020"},
    {TYPE_NUMERIC, "-Infinity", "00000000f0000020"},
    {TYPE_NUMERIC, "1e20", "00010005000000000001"},
    {TYPE_NUMERIC, "123456789012345678901234567890.5",
     "0009000700000001000c0d801ed204d2162e23340d801ed21388"},
    {TYPE_NUMERIC, "5.125", "0002000000000003000504e2"},
    {TYPE_NUMERIC, "0.5", "0001ffff000000011388"},
    {TYPE_BOOL, "true", "01"},
    {TYPE_INT2, "-2", "fffe"},
    {TYPE_INT4, "-123456", "fffe1dc0"},
    {TYPE_INT8, "9223372036854775807", "7fffffffffffffff"},
    {TYPE_FLOAT4, "1.5", "3fc00000"},
    {TYPE_FLOAT8, "-0.1", "bfb999999999999a"},
    {TYPE_FLOAT8, "NaN", "7ff8000000000000"},
    {TYPE_FLOAT4, "-Infinity", "ff800000"},
    {TYPE_DATE, "2024-02-29", "00002279"},
    {TYPE_DATE, "infinity", "7fffffff"},
    {TYPE_TIME, "13:45:06.789", "0000000b86d5a688"},
    {TYPE_TIMESTAMP, "2024-02-29 13:45:06.789", "0002b5843c620688"},
    {TYPE_TIMESTAMP, "-infinity", "8000000000000000"},
    {TYPE_TIMESTAMPTZ, "1999-12-31 23:59:59+00", "fffffffffff0bdc0"},
    {TYPE_INTERVAL, "1 year 2 mons 3 days 04:05:06.5", "000000036c9361a0000000030000000e"},
    {TYPE_UUID, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "a0eebc999c0b4ef8bb6d6bb9bd380a11"},
    {TYPE_JSONB, "{\"b\": 1, \"a\": [true, null]}",
     "017b2261223a205b747275652c206e756c6c5d2c202262223a20317d"},
    {TYPE_JSON, "{\"b\":1}", "7b2262223a317d"},
    {TYPE_TIMETZ, "12:00:00+02", "0000000a0eebb000ffffe3e0"},
    {TYPE_TEXT, "h\xc3\xa9llo", "68c3a96c6c6f"},
    {TYPE_CHAR, "x", "78"},
    {TYPE_OID, "4294967295", "ffffffff"},
    {TYPE_BYTEA, "\\x00ff", "00ff"},
};

static size_t hex_decode(const char *hex, uint8_t *out)
{
    size_t n = strlen(hex) / 2;
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        sscanf(hex + 2 * i, "%2x", &v);
        out[i] = (uint8_t)v;
    }
    return n;
}

static void test_send_recv_match_postgres(void **state)
{
    (void)state;
    MemContext *cx = mem_context_create(NULL, "test");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const BinCase *c = &cases[i];
        DbError err;
        Datum d;
        if (type_input(c->oid, -1, c->text, strlen(c->text), cx, &d, &err) != 0)
            fail_msg("input %s: %s", c->text, err.message);
        StrBuf out, hex, a, b;
        strbuf_init(&out);
        strbuf_init(&hex);
        strbuf_init(&a);
        strbuf_init(&b);
        assert_int_equal(type_binary_send(&d, &out, &err), 0);
        for (size_t k = 0; k < out.len; k++)
            strbuf_appendf(&hex, "%02x", (uint8_t)out.data[k]);
        if (strcmp(hex.data ? hex.data : "", c->hex) != 0)
            fail_msg("send %s: got %s, PostgreSQL %s", c->text, hex.data, c->hex);
        uint8_t bytes[256];
        size_t n = hex_decode(c->hex, bytes), used;
        Datum back;
        if (type_binary_recv(c->oid, -1, bytes, n, cx, &back, &used, &err) != 0)
            fail_msg("recv %s: %s", c->text, err.message);
        assert_int_equal(used, n);
        type_output(&d, &a);
        type_output(&back, &b);
        if (strcmp(a.data ? a.data : "", b.data ? b.data : "") != 0)
            fail_msg("recv %s: got %s", a.data, b.data);
        strbuf_fini(&out);
        strbuf_fini(&hex);
        strbuf_fini(&a);
        strbuf_fini(&b);
    }
    mem_context_destroy(cx);
}

static void expect_recv_error(uint32_t oid, int32_t typmod, const char *hex, const char *sqlstate,
                              const char *message)
{
    MemContext *cx = mem_context_create(NULL, "test");
    uint8_t bytes[64];
    size_t n = hex_decode(hex, bytes), used;
    Datum d;
    DbError err;
    db_error_clear(&err);
    assert_int_equal(type_binary_recv(oid, typmod, bytes, n, cx, &d, &used, &err), -1);
    assert_string_equal(err.sqlstate, sqlstate);
    assert_string_equal(err.message, message);
    mem_context_destroy(cx);
}

static void test_recv_errors(void **state)
{
    (void)state;
    expect_recv_error(TYPE_INT4, -1, "000001", "08P01", "insufficient data left in message");
    expect_recv_error(TYPE_BOOL, -1, "", "08P01", "no data left in message");
    expect_recv_error(TYPE_NUMERIC, -1, "00010000000000002710", "22P03",
                      "invalid digit in external \"numeric\" value");
    expect_recv_error(TYPE_NUMERIC, -1, "0000000012340000", "22P03",
                      "invalid sign in external \"numeric\" value");
    expect_recv_error(TYPE_NUMERIC, -1, "000000000000c000", "22P03",
                      "invalid scale in external \"numeric\" value");
    expect_recv_error(TYPE_DATE, -1, "7ffffffe", "22008", "date out of range");
    expect_recv_error(TYPE_TIME, -1, "ffffffffffffffff", "22008", "time out of range");
    expect_recv_error(TYPE_TIMESTAMP, -1, "7ffffffffffffffe", "22008", "timestamp out of range");
    expect_recv_error(TYPE_JSONB, -1, "027b7d", "XX000", "unsupported jsonb version number 2");
    expect_recv_error(TYPE_TEXT, -1, "ff", "22021",
                      "invalid byte sequence for encoding \"UTF8\": 0xff");
    /* numeric(5,2) through recv applies the typmod as numeric_recv does. */
    expect_recv_error(TYPE_NUMERIC, (5 << 16 | 2) + 4, "00020001000000000001000a", "22003",
                      "numeric field overflow");
}

static void test_recv_leaves_extra_bytes(void **state)
{
    (void)state;
    MemContext *cx = mem_context_create(NULL, "test");
    uint8_t bytes[] = {0, 0, 0, 7, 1};
    size_t used;
    Datum d;
    DbError err;
    assert_int_equal(type_binary_recv(TYPE_INT4, -1, bytes, sizeof bytes, cx, &d, &used, &err), 0);
    assert_int_equal(used, 4);
    assert_int_equal(d.v.i, 7);
    /* numeric_recv truncates digits hidden by dscale: 1.2345 with dscale 2. */
    uint8_t num[] = {0, 2, 0, 0, 0, 0, 0, 2, 0, 1, 0x09, 0x29};
    assert_int_equal(type_binary_recv(TYPE_NUMERIC, -1, num, sizeof num, cx, &d, &used, &err), 0);
    StrBuf t;
    strbuf_init(&t);
    type_output(&d, &t);
    assert_string_equal(t.data, "1.23");
    strbuf_fini(&t);
    mem_context_destroy(cx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_send_recv_match_postgres),
        cmocka_unit_test(test_recv_errors),
        cmocka_unit_test(test_recv_leaves_extra_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
