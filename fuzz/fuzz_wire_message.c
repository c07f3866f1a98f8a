/*
 * libFuzzer target: arbitrary bytes as the stream a client sends after
 * startup.  The bytes go through a socketpair and wire_message_read frames
 * them (type byte, bounded length, body) until an error or EOF; every
 * framed body is then given to every frontend decoder, whatever its type,
 * and to the dispatcher.  Decoded Bind values are re-encoded as a DataRow
 * and read back, which must give the same values.  Must never crash, read
 * out of bounds or leak.  Seeds: fuzz/corpus/fuzz_wire_message/.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "wire/wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Bind parameters -> DataRow -> the same values. */
static void fuzz_roundtrip_values(const WireBind *b)
{
    StrBuf out;
    strbuf_init(&out);
    wire_data_row_encode(&out, b->params, b->n_params);
    WireReader r;
    DbError err;
    wire_reader_init(&r, (const uint8_t *)out.data + 5, out.len - 5);
    uint16_t n;
    if (wire_reader_uint16(&r, &n, &err) != 0 || n != b->n_params) abort();
    for (size_t i = 0; i < n; i++) {
        int32_t len;
        if (wire_reader_int32(&r, &len, &err) != 0) abort();
        if (len != b->params[i].len) abort();
        if (len < 0) continue;
        const uint8_t *bytes;
        if (wire_reader_bytes(&r, (size_t)len, &bytes, &err) != 0) abort();
        if (len > 0 && memcmp(bytes, b->params[i].data, (size_t)len) != 0) abort();
    }
    if (wire_reader_end(&r, &err) != 0) abort();
    strbuf_fini(&out);
}

static void fuzz_decode_all(const WireMessage *m, MemContext *cx)
{
    DbError err;
    WirePassword pw;
    WireQuery q;
    WireParse p;
    WireBind b;
    WireDescribe d;
    WireExecute e;
    WireClose c;
    WireCopyData cd;
    WireCopyFail cf;
    WireFrontend f;
    db_error_clear(&err);
    WireMessage as_password = *m;
    as_password.type = 'p';
    wire_password_decode(&as_password, &pw, &err);
    wire_query_decode(m, &q, &err);
    if (wire_parse_decode(m, cx, &p, &err) == 0 && p.n_param_types > 0 && p.param_types == NULL)
        abort();
    if (wire_bind_decode(m, cx, &b, &err) == 0) fuzz_roundtrip_values(&b);
    wire_describe_decode(m, &d, &err);
    wire_execute_decode(m, &e, &err);
    wire_close_decode(m, &c, &err);
    wire_copy_data_decode(m, &cd, &err);
    wire_copy_fail_decode(m, &cf, &err);
    wire_sync_decode(m, &err);
    wire_flush_decode(m, &err);
    wire_terminate_decode(m, &err);
    wire_copy_done_decode(m, &err);
    if (wire_frontend_decode(m, cx, &f, &err) != 0 && err.sqlstate[0] == '\0') abort();
    /* Errors become ErrorResponses; encoding any of them must work. */
    StrBuf out;
    strbuf_init(&out);
    wire_error_encode(&out, &err);
    strbuf_fini(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Kept across inputs: a message may claim up to 10 MiB. */
    static StrBuf scratch;
    int fds[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) abort();
    /* Whatever fits in the socket buffer is the stream; EOF follows it. */
    fcntl(fds[1], F_SETFL, O_NONBLOCK);
    size_t sent = 0;
    while (sent < size) {
        ssize_t w = write(fds[1], data + sent, size - sent);
        if (w <= 0) break;
        sent += (size_t)w;
    }
    close(fds[1]);
    NetConn *conn = net_conn_create(fds[0]);
    MemContext *cx = mem_context_create(NULL, "fuzz");
    WireMessage m;
    DbError err;
    while (wire_message_read(conn, &scratch, &m, &err) == 0) {
        if (m.len > LIMIT_MESSAGE_BYTES - 4 || !wire_message_type_valid(m.type)) abort();
        fuzz_decode_all(&m, cx);
        mem_context_reset(cx);
    }
    if (err.severity != DB_SEVERITY_FATAL) abort();
    mem_context_destroy(cx);
    net_conn_destroy(conn);
    return 0;
}
