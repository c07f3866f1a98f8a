/*
 * A connection's life: startup (startup.c), then the message loop, until
 * Terminate, EOF or a FATAL error.
 *
 *   accept → startup/auth → ReadyForQuery → { 'Q' → results → ReadyForQuery }*
 *                                           → 'X' | EOF | FATAL → close
 *
 * Extended-protocol messages are refused until that protocol lands: the
 * first one of a batch gets an error, the rest are skipped to Sync, as
 * PostgreSQL skips after an error.
 */
#include <string.h>
#include <unistd.h>

#include "session/session_int.h"

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

static void session_loop(Session *s)
{
    DbError err;
    bool skipping_to_sync = false;
    for (;;) {
        WireMessage msg;
        if (wire_message_read(s->conn, &s->in, &msg, &err) != 0) {
            if (err.severity == DB_SEVERITY_FATAL && strcmp(err.sqlstate, "08006") != 0)
                session_fatal(s, &err);
            return;
        }
        mem_context_reset(s->stmt_cx);
        switch (msg.type) {
        case 'Q': {
            WireQuery q;
            if (wire_query_decode(&msg, &q, &err) != 0) {
                session_fatal(s, &err);
                return;
            }
            if (session_simple_query(s, q.sql, &err) != 0) {
                session_fatal(s, &err);
                return;
            }
            break;
        }
        case 'X':
            return;
        case 'S':
            skipping_to_sync = false;
            wire_ready_for_query_encode(&s->out, s->txn_status);
            break;
        case 'H':
            break;
        case 'P':
        case 'B':
        case 'D':
        case 'E':
        case 'C':
            if (!skipping_to_sync) {
                db_error_set(&err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                             "the extended query protocol is not supported yet");
                session_send_error(s, &err);
                skipping_to_sync = true;
            }
            break;
        default:
            db_error_fatal(&err, SQLSTATE_PROTOCOL_VIOLATION, "invalid frontend message type %d",
                           (int)(unsigned char)msg.type);
            session_fatal(s, &err);
            return;
        }
        if (msg.type != 'H' || s->out.len) {
            if (wire_flush(s->conn, &s->out, &err) != 0) return;
        }
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
    strbuf_init(&s.out);
    strbuf_init(&s.in);
    DbError err;
    db_error_clear(&err);
    if (session_startup(&s, &err) == 0) {
        session_loop(&s);
    } else if (db_error_is_set(&err)) {
        log_info("connection refused: %s%s%s", err.message, err.detail[0] ? ": " : "", err.detail);
        session_fatal(&s, &err);
    }
    session_txn_discard(&s);
    strbuf_fini(&s.out);
    strbuf_fini(&s.in);
    mem_context_destroy(s.conn_cx);
    net_conn_destroy(s.conn);
}
