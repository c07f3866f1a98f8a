/*
 * Unit tests for the startup phase and message framing: startup packet
 * decoding (every request kind, parameters, protocol versions and
 * negotiation, every malformed layout with PostgreSQL's error), and
 * reading startup packets and typed messages from a real socket, including
 * EOF at each point, bad lengths and bad types.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "wire/wire.h"

#define BYTES(...) ((const uint8_t[]){__VA_ARGS__}), sizeof((const uint8_t[]){__VA_ARGS__})

static void expect_error(const DbError *err, const char *sqlstate, DbSeverity severity,
                         const char *message)
{
    assert_string_equal(err->sqlstate, sqlstate);
    assert_int_equal(err->severity, severity);
    assert_string_equal(err->message, message);
}

/* A startup body: version, then NUL-separated name/value text given with
 * explicit length (it contains NULs). */
static size_t body_of(uint8_t *out, uint32_t version, const char *params, size_t params_len)
{
    out[0] = (uint8_t)(version >> 24);
    out[1] = (uint8_t)(version >> 16);
    out[2] = (uint8_t)(version >> 8);
    out[3] = (uint8_t)version;
    memcpy(out + 4, params, params_len);
    return 4 + params_len;
}

#define PARAMS(lit) lit, sizeof lit - 1

static int decode(MemContext *cx, uint32_t version, const char *params, size_t params_len,
                  WireStartup *s, DbError *err)
{
    uint8_t body[512];
    size_t len = body_of(body, version, params, params_len);
    return wire_startup_decode(body, len, cx, s, err);
}

static void test_requests(void **state)
{
    (void)state;
    MemContext *cx = mem_context_create(NULL, "test");
    WireStartup s;
    DbError err;
    assert_int_equal(wire_startup_decode(BYTES(0x04, 0xd2, 0x16, 0x2f), cx, &s, &err), 0);
    assert_int_equal(s.kind, WIRE_STARTUP_SSL_REQUEST);
    assert_int_equal(s.protocol, WIRE_CODE_SSL_REQUEST);
    assert_int_equal(wire_startup_decode(BYTES(0x04, 0xd2, 0x16, 0x30), cx, &s, &err), 0);
    assert_int_equal(s.kind, WIRE_STARTUP_GSSENC_REQUEST);
    assert_int_equal(
        wire_startup_decode(BYTES(0x04, 0xd2, 0x16, 0x2e, 0, 0, 0x30, 0x39, 0xde, 0xad, 0xbe, 0xef),
                            cx, &s, &err),
        0);
    assert_int_equal(s.kind, WIRE_STARTUP_CANCEL);
    assert_int_equal(s.cancel_pid, 12345);
    assert_int_equal(s.cancel_key, (int32_t)0xdeadbeef);
    assert_false(wire_startup_needs_negotiation(&s));
    /* Wrong sizes for the fixed-size requests. */
    assert_int_equal(wire_startup_decode(BYTES(0x04, 0xd2, 0x16, 0x2e, 0, 0, 0, 1), cx, &s, &err),
                     -1);
    expect_error(&err, "08P01", DB_SEVERITY_FATAL, "invalid length of startup packet");
    assert_int_equal(wire_startup_decode(BYTES(0x04, 0xd2, 0x16, 0x2f, 0), cx, &s, &err), -1);
    expect_error(&err, "08P01", DB_SEVERITY_FATAL, "invalid length of startup packet");
    assert_int_equal(wire_startup_decode(BYTES(0x04, 0xd2, 0x16), cx, &s, &err), -1);
    expect_error(&err, "08P01", DB_SEVERITY_FATAL, "invalid length of startup packet");
    mem_context_destroy(cx);
}

static void test_startup_message(void **state)
{
    (void)state;
    MemContext *cx = mem_context_create(NULL, "test");
    WireStartup s;
    DbError err;
    assert_int_equal(decode(cx, WIRE_PROTOCOL_3_0,
                            PARAMS("user\0admin\0database\0postgres\0application_name\0psql\0"
                                   "options\0-c borealis.cluster=abc\0\0"),
                            &s, &err),
                     0);
    assert_int_equal(s.kind, WIRE_STARTUP_MESSAGE);
    assert_int_equal(s.protocol, 196608);
    assert_int_equal(s.requested_protocol, 196608);
    assert_int_equal(s.n_params, 4);
    assert_string_equal(s.names[1], "database");
    assert_string_equal(s.values[1], "postgres");
    assert_string_equal(wire_startup_param(&s, "user"), "admin");
    assert_string_equal(wire_startup_param(&s, "options"), "-c borealis.cluster=abc");
    assert_null(wire_startup_param(&s, "nope"));
    assert_false(wire_startup_needs_negotiation(&s));
    /* Repeated names: the last wins, as later GUC assignments do. */
    assert_int_equal(decode(cx, WIRE_PROTOCOL_3_0, PARAMS("user\0a\0user\0b\0\0"), &s, &err), 0);
    assert_string_equal(wire_startup_param(&s, "user"), "b");
    /* Empty values are values. */
    assert_int_equal(decode(cx, WIRE_PROTOCOL_3_0, PARAMS("user\0u\0database\0\0\0"), &s, &err), 0);
    assert_string_equal(wire_startup_param(&s, "database"), "");
    mem_context_destroy(cx);
}

static void test_protocol_versions(void **state)
{
    (void)state;
    MemContext *cx = mem_context_create(NULL, "test");
    WireStartup s;
    DbError err;
    /* 3.2 (PostgreSQL 18 clients) is spoken as 3.0 after negotiation. */
    assert_int_equal(decode(cx, WIRE_PROTOCOL(3, 2), PARAMS("user\0u\0_pq_.x\0on\0\0"), &s, &err),
                     0);
    assert_int_equal(s.protocol, WIRE_PROTOCOL_3_0);
    assert_int_equal(s.requested_protocol, WIRE_PROTOCOL(3, 2));
    assert_int_equal(s.n_params, 1);
    assert_int_equal(s.n_protocol_options, 1);
    assert_string_equal(s.protocol_options[0], "_pq_.x");
    assert_true(wire_startup_needs_negotiation(&s));
    StrBuf sb;
    strbuf_init(&sb);
    wire_startup_negotiation_encode(&sb, &s);
    assert_int_equal(sb.len, 20);
    assert_memory_equal(sb.data, "v\0\0\0\x13\0\x03\0\0\0\0\0\x01_pq_.x\0", 20);
    strbuf_fini(&sb);
    /* A _pq_ option alone also needs negotiation. */
    assert_int_equal(decode(cx, WIRE_PROTOCOL_3_0, PARAMS("_pq_.y\0z\0user\0u\0\0"), &s, &err), 0);
    assert_true(wire_startup_needs_negotiation(&s));
    assert_int_equal(decode(cx, WIRE_PROTOCOL(2, 0), PARAMS("user\0u\0\0"), &s, &err), -1);
    expect_error(&err, "0A000", DB_SEVERITY_FATAL,
                 "unsupported frontend protocol 2.0: server supports 3.0 to 3.0");
    assert_int_equal(decode(cx, WIRE_PROTOCOL(4, 1), PARAMS("user\0u\0\0"), &s, &err), -1);
    expect_error(&err, "0A000", DB_SEVERITY_FATAL,
                 "unsupported frontend protocol 4.1: server supports 3.0 to 3.0");
    assert_int_equal(decode(cx, WIRE_PROTOCOL(1234, 5681), PARAMS(""), &s, &err), -1);
    expect_error(&err, "0A000", DB_SEVERITY_FATAL,
                 "unsupported frontend protocol 1234.5681: server supports 3.0 to 3.0");
    mem_context_destroy(cx);
}

static void test_bad_layouts(void **state)
{
    (void)state;
    MemContext *cx = mem_context_create(NULL, "test");
    WireStartup s;
    DbError err;
    static const struct {
        const char *params;
        size_t len;
    } bad[] = {
        {PARAMS("")},                 /* no terminator at all */
        {PARAMS("user\0u\0")},        /* last pair, no terminator */
        {PARAMS("user\0u")},          /* unterminated value */
        {PARAMS("user")},             /* unterminated name */
        {PARAMS("user\0")},           /* name without value */
        {PARAMS("user\0\0")},         /* value is the terminator */
        {PARAMS("user\0u\0\0extra")}, /* bytes after the terminator */
        {PARAMS("user\0u\0\0\0")},    /* two terminators */
        {PARAMS("\0user\0u\0\0")},    /* terminator first, then more */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(decode(cx, WIRE_PROTOCOL_3_0, bad[i].params, bad[i].len, &s, &err), -1);
        expect_error(&err, "08P01", DB_SEVERITY_FATAL,
                     "invalid startup packet layout: expected terminator as last byte");
    }
    assert_int_equal(decode(cx, WIRE_PROTOCOL_3_0, PARAMS("\0"), &s, &err), -1);
    expect_error(&err, "28000", DB_SEVERITY_FATAL,
                 "no PostgreSQL user name specified in startup packet");
    assert_int_equal(decode(cx, WIRE_PROTOCOL_3_0, PARAMS("user\0\0\0"), &s, &err), -1);
    expect_error(&err, "28000", DB_SEVERITY_FATAL,
                 "no PostgreSQL user name specified in startup packet");
    mem_context_destroy(cx);
}

static void test_limits(void **state)
{
    (void)state;
    MemContext *cx = mem_context_create(NULL, "test");
    WireStartup s;
    DbError err;
    static uint8_t body[LIMIT_STARTUP_PACKET_BYTES + 1];
    /* 65 short pairs. */
    size_t len = body_of(body, WIRE_PROTOCOL_3_0, "", 0);
    for (int i = 0; i <= LIMIT_STARTUP_PARAMS; i++) {
        memcpy(body + len, "a\0b\0", 4);
        len += 4;
    }
    body[len++] = 0;
    assert_int_equal(wire_startup_decode(body, len, cx, &s, &err), -1);
    expect_error(&err, "08P01", DB_SEVERITY_FATAL, "too many parameters in startup packet");
    /* 64 pairs including user fit. */
    len = body_of(body, WIRE_PROTOCOL_3_0, "user\0u\0", 7);
    for (int i = 1; i < LIMIT_STARTUP_PARAMS; i++) {
        memcpy(body + len, "a\0b\0", 4);
        len += 4;
    }
    body[len++] = 0;
    assert_int_equal(wire_startup_decode(body, len, cx, &s, &err), 0);
    assert_int_equal(s.n_params, LIMIT_STARTUP_PARAMS);
    /* Over the packet limit. */
    memset(body, 'a', sizeof body);
    body_of(body, WIRE_PROTOCOL_3_0, "", 0);
    assert_int_equal(wire_startup_decode(body, sizeof body, cx, &s, &err), -1);
    expect_error(&err, "08P01", DB_SEVERITY_FATAL, "invalid length of startup packet");
    mem_context_destroy(cx);
}

/* ---- over a socket ---- */

typedef struct Pair {
    int client;
    NetConn *server;
} Pair;

static void pair_open(Pair *p)
{
    int fds[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
    p->server = net_conn_create(fds[0]);
    p->client = fds[1];
}

static void pair_send(Pair *p, const void *bytes, size_t n)
{
    assert_int_equal(write(p->client, bytes, n), (ssize_t)n);
}

static void pair_close(Pair *p)
{
    if (p->client >= 0) close(p->client);
    p->client = -1;
}

static void pair_destroy(Pair *p)
{
    pair_close(p);
    net_conn_destroy(p->server);
}

static void test_startup_read(void **state)
{
    (void)state;
    MemContext *cx = mem_context_create(NULL, "test");
    WireStartup s;
    DbError err;
    Pair p;
    /* An SSLRequest, then a startup packet. */
    pair_open(&p);
    pair_send(&p, BYTES(0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f));
    pair_send(&p, BYTES(0, 0, 0, 0x12, 0, 3, 0, 0, 'u', 's', 'e', 'r', 0, 'b', 'o', 'b', 0, 0));
    assert_int_equal(wire_startup_read(p.server, cx, &s, &err), 0);
    assert_int_equal(s.kind, WIRE_STARTUP_SSL_REQUEST);
    assert_int_equal(wire_startup_read(p.server, cx, &s, &err), 0);
    assert_int_equal(s.kind, WIRE_STARTUP_MESSAGE);
    assert_string_equal(wire_startup_param(&s, "user"), "bob");
    /* Then the client goes away: a quiet 08006. */
    pair_close(&p);
    assert_int_equal(wire_startup_read(p.server, cx, &s, &err), -1);
    expect_error(&err, "08006", DB_SEVERITY_FATAL, "unexpected EOF on client connection");
    pair_destroy(&p);

    /* Half a length word. */
    pair_open(&p);
    pair_send(&p, BYTES(0, 0));
    pair_close(&p);
    assert_int_equal(wire_startup_read(p.server, cx, &s, &err), -1);
    expect_error(&err, "08P01", DB_SEVERITY_FATAL, "incomplete startup packet");
    pair_destroy(&p);

    /* A length word and nothing after it. */
    pair_open(&p);
    pair_send(&p, BYTES(0, 0, 0, 8));
    pair_close(&p);
    assert_int_equal(wire_startup_read(p.server, cx, &s, &err), -1);
    expect_error(&err, "08P01", DB_SEVERITY_FATAL, "incomplete startup packet");
    pair_destroy(&p);

    /* Part of the body. */
    pair_open(&p);
    pair_send(&p, BYTES(0, 0, 0, 0x12, 0, 3, 0, 0, 'u'));
    pair_close(&p);
    assert_int_equal(wire_startup_read(p.server, cx, &s, &err), -1);
    expect_error(&err, "08P01", DB_SEVERITY_FATAL, "incomplete startup packet");
    pair_destroy(&p);

    /* Lengths out of bounds, read no further. */
    static const uint8_t lengths[][4] = {
        {0, 0, 0, 7}, {0, 0, 0, 0}, {0xff, 0xff, 0xff, 0xf8}, {0, 0, 0x27, 0x15}};
    for (size_t i = 0; i < 4; i++) {
        pair_open(&p);
        pair_send(&p, lengths[i], 4);
        assert_int_equal(wire_startup_read(p.server, cx, &s, &err), -1);
        expect_error(&err, "08P01", DB_SEVERITY_FATAL, "invalid length of startup packet");
        pair_destroy(&p);
    }
    /* The largest allowed length (10004) passes the length check. */
    pair_open(&p);
    pair_send(&p, BYTES(0, 0, 0x27, 0x14, 0, 3, 0, 0));
    pair_close(&p);
    assert_int_equal(wire_startup_read(p.server, cx, &s, &err), -1);
    expect_error(&err, "08P01", DB_SEVERITY_FATAL, "incomplete startup packet");
    pair_destroy(&p);
    mem_context_destroy(cx);
}

static void test_message_read(void **state)
{
    (void)state;
    StrBuf scratch;
    strbuf_init(&scratch);
    WireMessage m;
    DbError err;
    Pair p;
    pair_open(&p);
    pair_send(&p, BYTES('Q', 0, 0, 0, 0x0d, 'S', 'E', 'L', 'E', 'C', 'T', ' ', '1', 0, 'S', 0, 0, 0,
                        4, 'X', 0, 0, 0, 4));
    assert_int_equal(wire_message_read(p.server, &scratch, &m, &err), 0);
    assert_int_equal(m.type, 'Q');
    assert_int_equal(m.len, 9);
    assert_memory_equal(m.body, "SELECT 1", 9);
    assert_int_equal(wire_message_read(p.server, &scratch, &m, &err), 0);
    assert_int_equal(m.type, 'S');
    assert_int_equal(m.len, 0);
    assert_int_equal(wire_message_read(p.server, &scratch, &m, &err), 0);
    assert_int_equal(m.type, 'X');
    pair_close(&p);
    assert_int_equal(wire_message_read(p.server, &scratch, &m, &err), -1);
    expect_error(&err, "08006", DB_SEVERITY_FATAL, "unexpected EOF on client connection");
    pair_destroy(&p);

    pair_open(&p);
    pair_send(&p, BYTES('Z', 0, 0, 0, 4));
    assert_int_equal(wire_message_read(p.server, &scratch, &m, &err), -1);
    expect_error(&err, "08P01", DB_SEVERITY_FATAL, "invalid frontend message type 90");
    pair_destroy(&p);

    pair_open(&p);
    pair_send(&p, BYTES('Q', 0, 0, 0, 3));
    assert_int_equal(wire_message_read(p.server, &scratch, &m, &err), -1);
    expect_error(&err, "08P01", DB_SEVERITY_FATAL, "invalid message length");
    pair_destroy(&p);

    /* DSQL's 10 MiB limit: one byte more is refused before reading it. */
    pair_open(&p);
    pair_send(&p, BYTES('d', 0, 0xa0, 0, 0x01));
    assert_int_equal(wire_message_read(p.server, &scratch, &m, &err), -1);
    expect_error(&err, "08P01", DB_SEVERITY_FATAL, "invalid message length");
    pair_destroy(&p);

    /* Before authentication the bound is lower; a message at it passes. */
    pair_open(&p);
    pair_send(&p, BYTES('p', 0, 0, 0, 9, 't', 'o', 'k', 'e', 0, 'p', 0, 0, 0, 10));
    assert_int_equal(wire_message_read_limited(p.server, &scratch, 9, &m, &err), 0);
    assert_int_equal(m.len, 5);
    assert_int_equal(wire_message_read_limited(p.server, &scratch, 9, &m, &err), -1);
    expect_error(&err, "08P01", DB_SEVERITY_FATAL, "invalid message length");
    pair_destroy(&p);

    pair_open(&p);
    pair_send(&p, BYTES('Q', 0, 0));
    pair_close(&p);
    assert_int_equal(wire_message_read(p.server, &scratch, &m, &err), -1);
    expect_error(&err, "08P01", DB_SEVERITY_FATAL, "unexpected EOF within message length word");
    pair_destroy(&p);

    pair_open(&p);
    pair_send(&p, BYTES('Q', 0, 0, 0, 9));
    pair_close(&p);
    assert_int_equal(wire_message_read(p.server, &scratch, &m, &err), -1);
    expect_error(&err, "08P01", DB_SEVERITY_FATAL, "incomplete message from client");
    pair_destroy(&p);

    pair_open(&p);
    pair_send(&p, BYTES('Q', 0, 0, 0, 9, 'a', 'b'));
    pair_close(&p);
    assert_int_equal(wire_message_read(p.server, &scratch, &m, &err), -1);
    expect_error(&err, "08P01", DB_SEVERITY_FATAL, "incomplete message from client");
    pair_destroy(&p);

    /* A timeout is passed through as net reports it. */
    pair_open(&p);
    assert_int_equal(net_conn_set_read_timeout(p.server, 20, &err), 0);
    pair_send(&p, BYTES('Q', 0, 0));
    assert_int_equal(wire_message_read(p.server, &scratch, &m, &err), -1);
    expect_error(&err, "08006", DB_SEVERITY_FATAL, "could not receive data from client: timed out");
    pair_destroy(&p);
    strbuf_fini(&scratch);
}

static void test_large_message_and_flush(void **state)
{
    (void)state;
    StrBuf scratch, out;
    strbuf_init(&scratch);
    strbuf_init(&out);
    Pair p;
    pair_open(&p);
    /* A CopyData of exactly LIMIT_MESSAGE_BYTES, sent by a child. */
    size_t body = LIMIT_MESSAGE_BYTES - 4;
    pid_t pid = fork();
    if (pid == 0) {
        uint8_t head[5] = {'d', 0, 0xa0, 0, 0};
        if (write(p.client, head, 5) != 5) _exit(1);
        static uint8_t chunk[65536];
        memset(chunk, 'z', sizeof chunk);
        for (size_t sent = 0; sent < body;) {
            size_t n = body - sent < sizeof chunk ? body - sent : sizeof chunk;
            ssize_t w = write(p.client, chunk, n);
            if (w <= 0) _exit(1);
            sent += (size_t)w;
        }
        _exit(0);
    }
    WireMessage m;
    DbError err;
    assert_int_equal(wire_message_read(p.server, &scratch, &m, &err), 0);
    assert_int_equal(m.type, 'd');
    assert_int_equal(m.len, body);
    assert_int_equal(m.body[0], 'z');
    assert_int_equal(m.body[body - 1], 'z');
    int status = 0;
    waitpid(pid, &status, 0);
    assert_int_equal(status, 0);
    /* wire_flush writes everything and resets the buffer. */
    wire_ready_for_query_encode(&out, 'I');
    assert_int_equal(wire_flush(p.server, &out, &err), 0);
    assert_int_equal(out.len, 0);
    uint8_t got[6];
    assert_int_equal(read(p.client, got, sizeof got), 6);
    assert_memory_equal(got, "Z\0\0\0\x05I", 6);
    pair_close(&p);
    wire_ready_for_query_encode(&out, 'I');
    assert_int_equal(wire_flush(p.server, &out, &err), -1);
    assert_string_equal(err.sqlstate, "08006");
    assert_int_equal(out.len, 0);
    pair_destroy(&p);
    strbuf_fini(&scratch);
    strbuf_fini(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_requests),
        cmocka_unit_test(test_startup_message),
        cmocka_unit_test(test_protocol_versions),
        cmocka_unit_test(test_bad_layouts),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_startup_read),
        cmocka_unit_test(test_message_read),
        cmocka_unit_test(test_large_message_and_flush),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
