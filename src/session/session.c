/*
 * A connection's life: startup (startup.c), then the message loop, until
 * Terminate, EOF or a FATAL error.
 *
 *   accept → startup/auth → ReadyForQuery ─┬─ 'Q' → results → ReadyForQuery
 *                                          ├─ P/B/D/E/C/H → extended.c (answers buffered)
 *                                          ├─ 'S' → end implicit block → ReadyForQuery
 *                                          ├─ d/c/f → ignored (left over from a failed COPY)
 *                                          └─ 'X' | EOF | FATAL → close
 *
 * Output is flushed at ReadyForQuery, at Flush and when large; the extended
 * protocol's answers otherwise wait for the client's Sync or Flush, so a
 * pipelining client gets them in one write.
 */
#include <string.h>
#include <unistd.h>

#include "session/extended.h"

void session_send_error(Session *s, const DbError *err)
{
    wire_error_encode(&s->out, err);
}

static void session_fatal(Session *s, const DbError *err)
{
    session_send_error(s, err);
    DbError ignored;
    wire_flush(s->conn, &s->out, &ignored);
}

/* Handles one message; -1 ends the connection (err set for a FATAL that
 * should be sent, cleared for a silent end). */
static int session_message(Session *s, ExtState *x, const WireMessage *msg, DbError *err)
{
    db_error_clear(err);
    switch (msg->type) {
    case 'Q': {
        /* PostgreSQL ignores everything but Sync after an extended-protocol
         * error, a Query included. */
        if (x->skipping) return 0;
        WireQuery q;
        if (wire_query_decode(msg, &q, err) != 0) return -1;
        if (session_implicit_end(s, x, err) != 0) return -1;
        session_ext_unnamed_drop(x);
        if (session_simple_query(s, q.sql, err) != 0) return -1;
        if (s->txn_status == 'I') session_ext_portals_drop(x);
        return 0;
    }
    case 'X':
        return -1;
    case 'P':
    case 'B':
    case 'D':
    case 'E':
    case 'C':
    case 'S':
    case 'H':
        return session_ext_message(s, x, msg, err);
    case 'd':
    case 'c':
    case 'f':
        /* Accepted and ignored, as PostgreSQL does: a COPY failed and the
         * client is still sending its data. */
        return 0;
    default:
        return db_error_fatal(err, SQLSTATE_PROTOCOL_VIOLATION, "invalid frontend message type %d",
                              (int)(unsigned char)msg->type);
    }
}

static void session_loop(Session *s, ExtState *x)
{
    DbError err;
    for (;;) {
        WireMessage msg;
        if (wire_message_read(s->conn, &s->in, &msg, &err) != 0) {
            if (err.severity == DB_SEVERITY_FATAL && strcmp(err.sqlstate, "08006") != 0)
                session_fatal(s, &err);
            return;
        }
        mem_context_reset(s->stmt_cx);
        if (session_message(s, x, &msg, &err) != 0) {
            if (db_error_is_set(&err))
                session_fatal(s, &err);
            else if (s->out.len)
                wire_flush(s->conn, &s->out, &err);
            return;
        }
        bool flush =
            msg.type == 'Q' || msg.type == 'S' || msg.type == 'H' || s->out.len > 64 * 1024;
        if (flush && s->out.len && wire_flush(s->conn, &s->out, &err) != 0) return;
    }
}

void session_run(const SessionServer *srv, int fd, int32_t pid, int32_t key)
{
    Session s;
    memset(&s, 0, sizeof s);
    s.srv = srv;
    s.pid = pid;
    s.key = key;
    s.txn_status = 'I';
    s.conn = net_conn_create(fd);
    s.conn_cx = mem_context_create(NULL, "connection");
    s.stmt_cx = mem_context_create(s.conn_cx, "statement");
    session_sequences_init(&s);
    strbuf_init(&s.out);
    strbuf_init(&s.in);
    ExtState x;
    memset(&x, 0, sizeof x);
    DbError err;
    db_error_clear(&err);
    if (session_startup(&s, &err) == 0) {
        session_loop(&s, &x);
    } else if (db_error_is_set(&err)) {
        log_info("connection refused: %s%s%s", err.message, err.detail[0] ? ": " : "", err.detail);
        session_fatal(&s, &err);
    }
    session_ext_fini(&x);
    session_txn_discard(&s);
    strbuf_fini(&s.out);
    strbuf_fini(&s.in);
    mem_context_destroy(s.conn_cx);
    net_conn_destroy(s.conn);
}
