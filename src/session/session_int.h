/*
 * Session internals shared by the files of this room (not a public header).
 */
#pragma once

#include "session/session.h"
#include "wire/wire.h"

typedef struct Session {
    const SessionServer *srv;
    NetConn *conn;
    MemContext *conn_cx; /* lives as long as the connection */
    MemContext *stmt_cx; /* reset after every message */
    StrBuf out;          /* messages waiting to be flushed */
    StrBuf in;           /* the current message's bytes */
    int32_t pid, key;
    const char *user;
    const char *database;
    const char *sni;
    char txn_status; /* 'I' idle, 'T' in a transaction block, 'E' failed block */
    SessionGucs gucs;
} Session;

/* startup.c: TLS, startup packet, token authentication, ParameterStatus. */
int session_startup(Session *s, DbError *err);

/* query.c: the simple query protocol ('Q'). */
int session_simple_query(Session *s, const char *sql, DbError *fatal);

/* Appends an ErrorResponse for err (position and all). */
void session_send_error(Session *s, const DbError *err);
