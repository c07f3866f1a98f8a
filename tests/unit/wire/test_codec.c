/*
 * Unit tests for the wire codec: exact bytes of every backend message
 * encoder (checked against the PostgreSQL protocol's Message Formats), the
 * frontend decoders on well-formed bodies, and the exact SQLSTATE, severity
 * and text for each kind of malformed body.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "wire/wire.h"

#define BYTES(...) ((const uint8_t[]){__VA_ARGS__}), sizeof((const uint8_t[]){__VA_ARGS__})

static void expect_bytes(const StrBuf *sb, const void *expected, size_t n)
{
    assert_int_equal(sb->len, n);
    assert_memory_equal(sb->data, expected, n);
}

#define EXPECT_ENCODED(call, literal)                                                              \
    do {                                                                                           \
        StrBuf sb_;                                                                                \
        strbuf_init(&sb_);                                                                         \
        call;                                                                                      \
        expect_bytes(&sb_, literal, sizeof literal - 1);                                           \
        strbuf_fini(&sb_);                                                                         \
    } while (0)

static void expect_error(const DbError *err, const char *sqlstate, DbSeverity severity,
                         const char *message)
{
    assert_string_equal(err->sqlstate, sqlstate);
    assert_int_equal(err->severity, severity);
    assert_string_equal(err->message, message);
}

/* ---- encoders ---- */

static void test_encode_auth_and_status(void **state)
{
    (void)state;
    EXPECT_ENCODED(wire_auth_ok_encode(&sb_), "R\0\0\0\x08\0\0\0\0");
    EXPECT_ENCODED(wire_auth_cleartext_password_encode(&sb_), "R\0\0\0\x08\0\0\0\x03");
    EXPECT_ENCODED(wire_parameter_status_encode(&sb_, "client_encoding", "UTF8"),
                   "S\0\0\0\x19"
                   "client_encoding\0UTF8\0");
    EXPECT_ENCODED(wire_backend_key_data_encode(&sb_, 1234, -1),
                   "K\0\0\0\x0c\0\0\x04\xd2\xff\xff\xff\xff");
    EXPECT_ENCODED(wire_ready_for_query_encode(&sb_, 'I'), "Z\0\0\0\x05I");
    EXPECT_ENCODED(wire_ready_for_query_encode(&sb_, 'T'), "Z\0\0\0\x05T");
    EXPECT_ENCODED(wire_ready_for_query_encode(&sb_, 'E'), "Z\0\0\0\x05"
                                                           "E");
    EXPECT_ENCODED(wire_ssl_response_encode(&sb_, true), "S");
    EXPECT_ENCODED(wire_ssl_response_encode(&sb_, false), "N");
}

static void test_encode_row_description_and_data_row(void **state)
{
    (void)state;
    WireField fields[2] = {
        {.name = "a",
         .table_oid = 16384,
         .attnum = 1,
         .type_oid = 23,
         .typlen = 4,
         .typmod = -1,
         .format = 0},
        {.name = "?column?", .type_oid = 25, .typlen = -1, .typmod = -1, .format = 1},
    };
    EXPECT_ENCODED(wire_row_description_encode(&sb_, fields, 2),
                   "T\0\0\0\x35\0\x02"
                   "a\0\0\0\x40\0\0\x01\0\0\0\x17\0\x04\xff\xff\xff\xff\0\0"
                   "?column?\0\0\0\0\0\0\0\0\0\0\x19\xff\xff\xff\xff\xff\xff\0\x01");
    EXPECT_ENCODED(wire_row_description_encode(&sb_, NULL, 0), "T\0\0\0\x06\0\0");
    WireValue values[3] = {{(const uint8_t *)"42", 2}, {NULL, -1}, {(const uint8_t *)"", 0}};
    EXPECT_ENCODED(wire_data_row_encode(&sb_, values, 3), "D\0\0\0\x14\0\x03\0\0\0\x02"
                                                          "42\xff\xff\xff\xff\0\0\0\0");
}

static void test_encode_completions(void **state)
{
    (void)state;
    EXPECT_ENCODED(wire_command_complete_encode(&sb_, "SELECT 1"), "C\0\0\0\x0dSELECT 1\0");
    EXPECT_ENCODED(wire_empty_query_response_encode(&sb_), "I\0\0\0\x04");
    EXPECT_ENCODED(wire_parse_complete_encode(&sb_), "1\0\0\0\x04");
    EXPECT_ENCODED(wire_bind_complete_encode(&sb_), "2\0\0\0\x04");
    EXPECT_ENCODED(wire_close_complete_encode(&sb_), "3\0\0\0\x04");
    EXPECT_ENCODED(wire_no_data_encode(&sb_), "n\0\0\0\x04");
    EXPECT_ENCODED(wire_portal_suspended_encode(&sb_), "s\0\0\0\x04");
    uint32_t oids[2] = {23, 25};
    EXPECT_ENCODED(wire_parameter_description_encode(&sb_, oids, 2),
                   "t\0\0\0\x0e\0\x02\0\0\0\x17\0\0\0\x19");
    EXPECT_ENCODED(wire_parameter_description_encode(&sb_, NULL, 0), "t\0\0\0\x06\0\0");
}

static void test_encode_copy(void **state)
{
    (void)state;
    int16_t text2[2] = {0, 0};
    EXPECT_ENCODED(wire_copy_in_response_encode(&sb_, 0, text2, 2), "G\0\0\0\x0b\0\0\x02\0\0\0\0");
    int16_t bin1[1] = {1};
    EXPECT_ENCODED(wire_copy_out_response_encode(&sb_, 1, bin1, 1), "H\0\0\0\x09\x01\0\x01\0\x01");
    EXPECT_ENCODED(wire_copy_data_encode(&sb_, "a\tb\n", 4), "d\0\0\0\x08"
                                                             "a\tb\n");
    EXPECT_ENCODED(wire_copy_done_encode(&sb_), "c\0\0\0\x04");
}

static void test_encode_negotiate(void **state)
{
    (void)state;
    const char *opts[] = {"_pq_.foo", "_pq_.b"};
    EXPECT_ENCODED(wire_negotiate_protocol_version_encode(&sb_, WIRE_PROTOCOL_3_0, opts, 2),
                   "v\0\0\0\x1c\0\x03\0\0\0\0\0\x02_pq_.foo\0_pq_.b\0");
    EXPECT_ENCODED(wire_negotiate_protocol_version_encode(&sb_, WIRE_PROTOCOL_3_0, NULL, 0),
                   "v\0\0\0\x0c\0\x03\0\0\0\0\0\0");
}

static void test_encode_error_minimal(void **state)
{
    (void)state;
    DbError e;
    db_error_fatal(&e, SQLSTATE_PROTOCOL_VIOLATION, "invalid message length");
    EXPECT_ENCODED(wire_error_encode(&sb_, &e),
                   "E\0\0\0\x32"
                   "SFATAL\0VFATAL\0C08P01\0Minvalid message length\0\0");
}

static void test_encode_error_all_fields(void **state)
{
    (void)state;
    DbError e;
    db_error_set(&e, "23505", "duplicate key value violates unique constraint \"t_pkey\"");
    db_error_detail(&e, "Key (a)=(1) already exists.");
    db_error_hint(&e, "Retry.");
    e.position = 15;
    strcpy(e.schema_name, "public");
    strcpy(e.table_name, "t");
    strcpy(e.column_name, "a");
    strcpy(e.constraint_name, "t_pkey");
    EXPECT_ENCODED(wire_error_encode(&sb_, &e),
                   "E\0\0\0\x92"
                   "SERROR\0VERROR\0C23505\0"
                   "Mduplicate key value violates unique constraint \"t_pkey\"\0"
                   "DKey (a)=(1) already exists.\0HRetry.\0P15\0spublic\0tt\0ca\0nt_pkey\0\0");
}

static void test_encode_notice_and_no_sqlstate(void **state)
{
    (void)state;
    DbError e;
    db_error_clear(&e);
    e.severity = DB_SEVERITY_NOTICE;
    strcpy(e.message, "hi");
    EXPECT_ENCODED(wire_notice_encode(&sb_, &e), "N\0\0\0\x20"
                                                 "SNOTICE\0VNOTICE\0CXX000\0Mhi\0\0");
    e.severity = DB_SEVERITY_WARNING;
    strcpy(e.sqlstate, "01000");
    EXPECT_ENCODED(wire_notice_encode(&sb_, &e), "N\0\0\0\x22"
                                                 "SWARNING\0VWARNING\0C01000\0Mhi\0\0");
}

static void test_encode_appends_and_begin_end(void **state)
{
    (void)state;
    StrBuf sb;
    strbuf_init(&sb);
    wire_parse_complete_encode(&sb);
    wire_bind_complete_encode(&sb);
    size_t m = wire_msg_begin(&sb, 'x');
    strbuf_append(&sb, "abc", 3);
    wire_msg_end(&sb, m);
    expect_bytes(&sb,
                 "1\0\0\0\x04"
                 "2\0\0\0\x04x\0\0\0\x07"
                 "abc",
                 18);
    strbuf_fini(&sb);
}

/* ---- the reader ---- */

static void test_reader(void **state)
{
    (void)state;
    static const uint8_t data[] = {0xff, 0xfe, 0x80, 0, 0, 1, 'h', 'i', 0, 7, 8};
    WireReader r;
    DbError err;
    wire_reader_init(&r, data, sizeof data);
    int16_t i16;
    assert_int_equal(wire_reader_int16(&r, &i16, &err), 0);
    assert_int_equal(i16, -2);
    int32_t i32;
    assert_int_equal(wire_reader_int32(&r, &i32, &err), 0);
    assert_int_equal(i32, (int32_t)0x80000001u);
    const char *s;
    assert_int_equal(wire_reader_cstring(&r, &s, &err), 0);
    assert_string_equal(s, "hi");
    assert_int_equal(wire_reader_end(&r, &err), -1);
    expect_error(&err, "08P01", DB_SEVERITY_ERROR, "invalid message format");
    const uint8_t *b;
    assert_int_equal(wire_reader_bytes(&r, 3, &b, &err), -1);
    expect_error(&err, "08P01", DB_SEVERITY_ERROR, "insufficient data left in message");
    assert_int_equal(wire_reader_int32(&r, &i32, &err), -1);
    expect_error(&err, "08P01", DB_SEVERITY_ERROR, "insufficient data left in message");
    assert_int_equal(wire_reader_cstring(&r, &s, &err), -1);
    expect_error(&err, "08P01", DB_SEVERITY_ERROR, "invalid string in message");
    assert_int_equal(wire_reader_bytes(&r, 2, &b, &err), 0);
    assert_int_equal(b[1], 8);
    assert_int_equal(wire_reader_remaining(&r), 0);
    uint8_t byte;
    assert_int_equal(wire_reader_byte(&r, &byte, &err), -1);
    expect_error(&err, "08P01", DB_SEVERITY_ERROR, "no data left in message");
    assert_int_equal(wire_reader_cstring(&r, &s, &err), -1);
    expect_error(&err, "08P01", DB_SEVERITY_ERROR, "invalid string in message");
    assert_int_equal(wire_reader_end(&r, &err), 0);
}

/* ---- decoders ---- */

static WireMessage msg(char type, const uint8_t *body, size_t len)
{
    WireMessage m = {type, body, len};
    return m;
}

static void test_decode_query(void **state)
{
    (void)state;
    DbError err;
    WireQuery q;
    WireMessage m = msg('Q', BYTES('S', 'E', 'L', 'E', 'C', 'T', ' ', '1', 0));
    assert_int_equal(wire_query_decode(&m, &q, &err), 0);
    assert_string_equal(q.sql, "SELECT 1");
    assert_int_equal(q.len, 8);
    m = msg('Q', BYTES('x', 0, 'y'));
    assert_int_equal(wire_query_decode(&m, &q, &err), -1);
    expect_error(&err, "08P01", DB_SEVERITY_ERROR, "invalid message format");
    m = msg('Q', BYTES('x', 'y'));
    assert_int_equal(wire_query_decode(&m, &q, &err), -1);
    expect_error(&err, "08P01", DB_SEVERITY_ERROR, "invalid string in message");
    m = msg('Q', NULL, 0);
    assert_int_equal(wire_query_decode(&m, &q, &err), -1);
    expect_error(&err, "08P01", DB_SEVERITY_ERROR, "invalid string in message");
}

static void test_decode_parse(void **state)
{
    (void)state;
    MemContext *cx = mem_context_create(NULL, "test");
    DbError err;
    WireParse p;
    WireMessage m = msg('P', BYTES('s', '1', 0, 's', 'e', 'l', 'e', 'c', 't', ' ', '$', '1', 0, 0,
                                   2, 0, 0, 0, 23, 0, 0, 0, 0));
    assert_int_equal(wire_parse_decode(&m, cx, &p, &err), 0);
    assert_string_equal(p.name, "s1");
    assert_string_equal(p.query, "select $1");
    assert_int_equal(p.query_len, 9);
    assert_int_equal(p.n_param_types, 2);
    assert_int_equal(p.param_types[0], 23);
    assert_int_equal(p.param_types[1], 0);
    m = msg('P', BYTES(0, 'x', 0, 0, 0));
    assert_int_equal(wire_parse_decode(&m, cx, &p, &err), 0);
    assert_string_equal(p.name, "");
    assert_int_equal(p.n_param_types, 0);
    assert_null(p.param_types);
    /* Two types promised, one sent. */
    m = msg('P', BYTES(0, 'x', 0, 0, 2, 0, 0, 0, 23));
    assert_int_equal(wire_parse_decode(&m, cx, &p, &err), -1);
    expect_error(&err, "08P01", DB_SEVERITY_ERROR, "insufficient data left in message");
    /* A count that would need 256 KB from a 9-byte message allocates nothing. */
    size_t before = mem_context_bytes(cx);
    m = msg('P', BYTES(0, 'x', 0, 0xff, 0xff, 0, 0, 0, 23));
    assert_int_equal(wire_parse_decode(&m, cx, &p, &err), -1);
    expect_error(&err, "08P01", DB_SEVERITY_ERROR, "insufficient data left in message");
    assert_int_equal(mem_context_bytes(cx), before);
    m = msg('P', BYTES(0, 'x', 0, 0));
    assert_int_equal(wire_parse_decode(&m, cx, &p, &err), -1);
    expect_error(&err, "08P01", DB_SEVERITY_ERROR, "insufficient data left in message");
    m = msg('P', BYTES(0, 'x', 0, 0, 0, 9));
    assert_int_equal(wire_parse_decode(&m, cx, &p, &err), -1);
    expect_error(&err, "08P01", DB_SEVERITY_ERROR, "invalid message format");
    mem_context_destroy(cx);
}

static void test_decode_bind(void **state)
{
    (void)state;
    MemContext *cx = mem_context_create(NULL, "test");
    DbError err;
    WireBind b;
    /* portal "p", statement "s1", one format (binary, for all), two
     * parameters ("abc", NULL), result formats text and binary. */
    WireMessage m = msg('B', BYTES('p', 0, 's', '1', 0, 0, 1, 0, 1, 0, 2, 0, 0, 0, 3, 'a', 'b', 'c',
                                   0xff, 0xff, 0xff, 0xff, 0, 2, 0, 0, 0, 1));
    assert_int_equal(wire_bind_decode(&m, cx, &b, &err), 0);
    assert_string_equal(b.portal, "p");
    assert_string_equal(b.statement, "s1");
    assert_int_equal(b.n_param_formats, 1);
    assert_int_equal(b.param_formats[0], 1);
    assert_int_equal(b.n_params, 2);
    assert_int_equal(b.params[0].len, 3);
    assert_memory_equal(b.params[0].data, "abc", 3);
    assert_int_equal(b.params[1].len, -1);
    assert_null(b.params[1].data);
    assert_int_equal(b.n_result_formats, 2);
    assert_int_equal(b.result_formats[0], 0);
    assert_int_equal(b.result_formats[1], 1);
    /* The smallest Bind: unnamed everything, no parameters, no formats. */
    m = msg('B', BYTES(0, 0, 0, 0, 0, 0, 0, 0));
    assert_int_equal(wire_bind_decode(&m, cx, &b, &err), 0);
    assert_int_equal(b.n_params, 0);
    assert_null(b.params);
    /* An empty (not NULL) value. */
    m = msg('B', BYTES(0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0));
    assert_int_equal(wire_bind_decode(&m, cx, &b, &err), 0);
    assert_int_equal(b.params[0].len, 0);
    assert_non_null(b.params[0].data);
    /* Two formats for three parameters. */
    m = msg('B', BYTES(0, 0, 0, 2, 0, 0, 0, 0, 0, 3));
    assert_int_equal(wire_bind_decode(&m, cx, &b, &err), -1);
    expect_error(&err, "08P01", DB_SEVERITY_ERROR,
                 "bind message has 2 parameter formats but 3 parameters");
    /* A length below -1. */
    m = msg('B', BYTES(0, 0, 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xfe, 0, 0));
    assert_int_equal(wire_bind_decode(&m, cx, &b, &err), -1);
    expect_error(&err, "08P01", DB_SEVERITY_ERROR, "insufficient data left in message");
    /* A value longer than what is left. */
    m = msg('B', BYTES(0, 0, 0, 0, 0, 1, 0, 0, 0, 9, 'a', 0, 0));
    assert_int_equal(wire_bind_decode(&m, cx, &b, &err), -1);
    expect_error(&err, "08P01", DB_SEVERITY_ERROR, "insufficient data left in message");
    /* 65535 parameters promised in a tiny message: refused before allocating. */
    size_t before = mem_context_bytes(cx);
    m = msg('B', BYTES(0, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 0));
    assert_int_equal(wire_bind_decode(&m, cx, &b, &err), -1);
    expect_error(&err, "08P01", DB_SEVERITY_ERROR, "insufficient data left in message");
    assert_int_equal(mem_context_bytes(cx), before);
    /* Missing result-format count. */
    m = msg('B', BYTES(0, 0, 0, 0, 0, 0));
    assert_int_equal(wire_bind_decode(&m, cx, &b, &err), -1);
    expect_error(&err, "08P01", DB_SEVERITY_ERROR, "insufficient data left in message");
    /* Trailing garbage. */
    m = msg('B', BYTES(0, 0, 0, 0, 0, 0, 0, 0, 1));
    assert_int_equal(wire_bind_decode(&m, cx, &b, &err), -1);
    expect_error(&err, "08P01", DB_SEVERITY_ERROR, "invalid message format");
    /* Unterminated portal name. */
    m = msg('B', BYTES('p', 'q'));
    assert_int_equal(wire_bind_decode(&m, cx, &b, &err), -1);
    expect_error(&err, "08P01", DB_SEVERITY_ERROR, "invalid string in message");
    mem_context_destroy(cx);
}

static void test_decode_describe_close_execute(void **state)
{
    (void)state;
    DbError err;
    WireDescribe d;
    WireMessage m = msg('D', BYTES('S', 's', '1', 0));
    assert_int_equal(wire_describe_decode(&m, &d, &err), 0);
    assert_int_equal(d.kind, 'S');
    assert_string_equal(d.name, "s1");
    m = msg('D', BYTES('P', 0));
    assert_int_equal(wire_describe_decode(&m, &d, &err), 0);
    assert_int_equal(d.kind, 'P');
    assert_string_equal(d.name, "");
    m = msg('D', BYTES('X', 0));
    assert_int_equal(wire_describe_decode(&m, &d, &err), -1);
    expect_error(&err, "08P01", DB_SEVERITY_ERROR, "invalid DESCRIBE message subtype 88");
    m = msg('D', NULL, 0);
    assert_int_equal(wire_describe_decode(&m, &d, &err), -1);
    expect_error(&err, "08P01", DB_SEVERITY_ERROR, "no data left in message");
    m = msg('D', BYTES('S', 0, 0));
    assert_int_equal(wire_describe_decode(&m, &d, &err), -1);
    expect_error(&err, "08P01", DB_SEVERITY_ERROR, "invalid message format");

    WireClose c;
    m = msg('C', BYTES('P', 'c', 0));
    assert_int_equal(wire_close_decode(&m, &c, &err), 0);
    assert_int_equal(c.kind, 'P');
    assert_string_equal(c.name, "c");
    m = msg('C', BYTES('Q', 0));
    assert_int_equal(wire_close_decode(&m, &c, &err), -1);
    expect_error(&err, "08P01", DB_SEVERITY_ERROR, "invalid CLOSE message subtype 81");

    WireExecute e;
    m = msg('E', BYTES(0, 0, 0, 0, 0));
    assert_int_equal(wire_execute_decode(&m, &e, &err), 0);
    assert_string_equal(e.portal, "");
    assert_int_equal(e.max_rows, 0);
    m = msg('E', BYTES('p', 0, 0, 0, 1, 0));
    assert_int_equal(wire_execute_decode(&m, &e, &err), 0);
    assert_int_equal(e.max_rows, 256);
    m = msg('E', BYTES('p', 0, 0, 0, 1));
    assert_int_equal(wire_execute_decode(&m, &e, &err), -1);
    expect_error(&err, "08P01", DB_SEVERITY_ERROR, "insufficient data left in message");
}

static void test_decode_password(void **state)
{
    (void)state;
    DbError err;
    WirePassword p;
    WireMessage m = msg('p', BYTES('t', 'o', 'k', 0));
    assert_int_equal(wire_password_decode(&m, &p, &err), 0);
    assert_string_equal(p.password, "tok");
    assert_int_equal(p.len, 3);
    m = msg('p', BYTES('t', 'o', 'k'));
    assert_int_equal(wire_password_decode(&m, &p, &err), -1);
    expect_error(&err, "08P01", DB_SEVERITY_ERROR, "invalid password packet size");
    m = msg('p', BYTES('a', 0, 'b', 0));
    assert_int_equal(wire_password_decode(&m, &p, &err), -1);
    expect_error(&err, "08P01", DB_SEVERITY_ERROR, "invalid password packet size");
    m = msg('p', NULL, 0);
    assert_int_equal(wire_password_decode(&m, &p, &err), -1);
    expect_error(&err, "08P01", DB_SEVERITY_ERROR, "invalid password packet size");
    m = msg('Q', BYTES('x', 0));
    assert_int_equal(wire_password_decode(&m, &p, &err), -1);
    expect_error(&err, "08P01", DB_SEVERITY_FATAL,
                 "expected password response, got message type 81");
    static uint8_t big[LIMIT_PASSWORD_BYTES + 2];
    m = msg('p', big, sizeof big);
    assert_int_equal(wire_password_decode(&m, &p, &err), -1);
    expect_error(&err, "08P01", DB_SEVERITY_FATAL, "invalid message length");
}

static void test_decode_copy_and_empty(void **state)
{
    (void)state;
    DbError err;
    WireCopyData d;
    WireMessage m = msg('d', BYTES('1', '\t', 'x', '\n'));
    assert_int_equal(wire_copy_data_decode(&m, &d, &err), 0);
    assert_int_equal(d.len, 4);
    assert_memory_equal(d.data, "1\tx\n", 4);
    WireCopyFail f;
    m = msg('f', BYTES('o', 'o', 'p', 's', 0));
    assert_int_equal(wire_copy_fail_decode(&m, &f, &err), 0);
    assert_string_equal(f.message, "oops");
    m = msg('f', BYTES('o'));
    assert_int_equal(wire_copy_fail_decode(&m, &f, &err), -1);
    expect_error(&err, "08P01", DB_SEVERITY_ERROR, "invalid string in message");
    m = msg('S', NULL, 0);
    assert_int_equal(wire_sync_decode(&m, &err), 0);
    m = msg('S', BYTES(1));
    assert_int_equal(wire_sync_decode(&m, &err), -1);
    expect_error(&err, "08P01", DB_SEVERITY_ERROR, "invalid message format");
    m = msg('H', BYTES(1));
    assert_int_equal(wire_flush_decode(&m, &err), -1);
    expect_error(&err, "08P01", DB_SEVERITY_ERROR, "invalid message format");
    m = msg('X', BYTES(1));
    assert_int_equal(wire_terminate_decode(&m, &err), 0);
    m = msg('c', BYTES(1));
    assert_int_equal(wire_copy_done_decode(&m, &err), 0);
}

static void test_frontend_decode_dispatch(void **state)
{
    (void)state;
    MemContext *cx = mem_context_create(NULL, "test");
    DbError err;
    WireFrontend f;
    WireMessage m = msg('Q', BYTES('s', 0));
    assert_int_equal(wire_frontend_decode(&m, cx, &f, &err), 0);
    assert_int_equal(f.type, 'Q');
    assert_string_equal(f.u.query.sql, "s");
    m = msg('B', BYTES(0, 0, 0, 0, 0, 0, 0, 0));
    assert_int_equal(wire_frontend_decode(&m, cx, &f, &err), 0);
    assert_int_equal(f.type, 'B');
    m = msg('F', BYTES(0, 0, 0, 1));
    assert_int_equal(wire_frontend_decode(&m, cx, &f, &err), -1);
    expect_error(&err, "0A000", DB_SEVERITY_ERROR, "fastpath function calls not supported");
    m = msg('Z', NULL, 0);
    assert_int_equal(wire_frontend_decode(&m, cx, &f, &err), -1);
    expect_error(&err, "08P01", DB_SEVERITY_FATAL, "invalid frontend message type 90");
    mem_context_destroy(cx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encode_auth_and_status),
        cmocka_unit_test(test_encode_row_description_and_data_row),
        cmocka_unit_test(test_encode_completions),
        cmocka_unit_test(test_encode_copy),
        cmocka_unit_test(test_encode_negotiate),
        cmocka_unit_test(test_encode_error_minimal),
        cmocka_unit_test(test_encode_error_all_fields),
        cmocka_unit_test(test_encode_notice_and_no_sqlstate),
        cmocka_unit_test(test_encode_appends_and_begin_end),
        cmocka_unit_test(test_reader),
        cmocka_unit_test(test_decode_query),
        cmocka_unit_test(test_decode_parse),
        cmocka_unit_test(test_decode_bind),
        cmocka_unit_test(test_decode_describe_close_execute),
        cmocka_unit_test(test_decode_password),
        cmocka_unit_test(test_decode_copy_and_empty),
        cmocka_unit_test(test_frontend_decode_dispatch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
