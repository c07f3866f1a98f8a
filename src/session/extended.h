/*
 * The extended query protocol's state and the helpers this room's files
 * share for it (private to session/; session_int.h stays the lead's).
 * session.c owns one ExtState per connection and hands extended messages to
 * extended.c; implicit.c keeps PostgreSQL's implicit transaction block
 * between Syncs; result.c's PortalSink encodes rows in Bind's formats.
 */
#pragma once

#include "session/session_int.h"

typedef struct PreparedStmt PreparedStmt;
typedef struct Portal Portal;

typedef struct ExtState {
    PreparedStmt *stmts; /* named ones and the unnamed one ("") */
    Portal *portals;
    bool skipping; /* an error happened: ignore messages until Sync */
    bool implicit; /* the open block is the protocol's implicit one */
} ExtState;

/* extended.c: one handler per message; errors are sent here, and the
 * handler starts skipping to Sync.  A FATAL error is returned (-1). */
int session_ext_message(Session *s, ExtState *x, const WireMessage *msg, DbError *fatal);
/* Drops every portal (the transaction they belong to has ended). */
void session_ext_portals_drop(ExtState *x);
/* Drops the unnamed statement (a simple Query does, as in PostgreSQL). */
void session_ext_unnamed_drop(ExtState *x);
/* Frees everything at the end of the connection. */
void session_ext_fini(ExtState *x);

/* implicit.c: in autocommit, the statements between two Syncs run in one
 * implicit block, committed (or, after an error, rolled back) at Sync. */
void session_implicit_begin(Session *s, ExtState *x);
/* Ends the implicit block, if one is open; a failed commit is sent as an
 * ErrorResponse.  Returns -1 (fatal set) only for FATAL errors. */
int session_implicit_end(Session *s, ExtState *x, DbError *fatal);
/* Marks the open block (implicit or not) failed after an error outside
 * session_execute, as PostgreSQL aborts the transaction on any ERROR. */
void session_implicit_fail(Session *s);

/* result.c: a sink for the extended protocol.  Columns are not described
 * (Describe does that) unless capturing; rows go to s->out or, for a
 * portal run with a row limit, to store as encoded DataRow messages. */
typedef struct PortalSink {
    Session *s;
    StrBuf scratch;
    const int16_t *formats; /* Bind's result formats (PostgreSQL's 0/1/n rule) */
    size_t n_formats;
    StrBuf *store;   /* NULL: send DataRows now */
    StrBuf *offsets; /* with store: each row's start offset (size_t) */
    size_t n_rows;
    /* Capture mode (Parse, describe_only): the columns as WireFields. */
    MemContext *capture_cx;
    WireField *fields;
    size_t n_fields;
    bool described;
} PortalSink;
void session_portal_sink_init(Session *s, PortalSink *ps, ResultSink *sink);
void session_portal_sink_fini(PortalSink *ps);
/* The format of column i under Bind's result-format rule. */
int16_t session_result_format(const int16_t *formats, size_t n, size_t i);
/* RowDescription fields for exec's columns, in cx. */
WireField *session_fields_from_targets(MemContext *cx, const TargetEntry *targets, size_t n);
