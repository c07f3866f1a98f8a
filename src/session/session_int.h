/*
 * Session internals shared by the files of this room (not a public header).
 */
#pragma once

#include "exec/exec.h"
#include "parse/parse.h"
#include "session/session.h"
#include "txn/txn.h"
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
    SessionCluster cluster; /* the cluster this connection serves (route.c) */
    char txn_status;        /* 'I' idle, 'T' in a transaction block, 'E' failed block */
    SessionGucs gucs;
    /* Transaction block state (txn_control.c). */
    Txn *txn;             /* NULL until the block's first statement */
    int64_t txn_start_us; /* wall clock at the transaction's start (PostgreSQL epoch) */
    bool block_read_only; /* BEGIN READ ONLY */
    bool block_has_ddl;
    bool block_has_dml;
    /* Set by the extended query protocol around session_execute; zero for
     * the simple protocol. */
    uint32_t *param_types; /* in: Parse's declared types (0 = infer); out: inferred */
    size_t n_param_types;
    const Datum *params; /* Bind's values, already in the parameter types */
    size_t n_params;
    ResultSink *sink;   /* NULL: the default text-format wire sink */
    bool describe_only; /* analyze and report columns (sink->columns), run nothing */
    bool no_tag;        /* do not append CommandComplete (the portal does) */
    char last_tag[64];  /* the command tag of the last statement run */
    /* Sequences: values this session holds (sequence.c). */
    ExecSequences seq_hooks;
    struct SeqCache *seq_cache;
    bool have_lastval;
    int64_t lastval;
} Session;

/* What a statement is, for transaction rules. */
typedef enum StmtClass {
    STMT_READ,    /* SELECT, SHOW: read-only */
    STMT_DML,     /* INSERT, UPDATE, DELETE */
    STMT_DDL,     /* CREATE/DROP ... */
    STMT_UTILITY, /* SET and friends: no transaction */
} StmtClass;

/* route.c: picks s->cluster from SNI and the startup options. */
int session_route(Session *s, const char *cluster_option, DbError *err);

/* refusals.c: DSQL's exact refusal of an unsupported statement (-1), or 0. */
int session_refusal(const ParsedStmt *ps, DbError *err);

/* roles.c: CREATE/ALTER/DROP ROLE, GRANT/REVOKE, AWS IAM GRANT/REVOKE. */
int session_role_stmt(Session *s, const ParsedStmt *ps, DbError *err);

/* startup.c: TLS, startup packet, token authentication, ParameterStatus. */
int session_startup(Session *s, DbError *err);

/* query.c: the simple query protocol ('Q'). */
int session_simple_query(Session *s, const char *sql, DbError *fatal);

/* txn_control.c: BEGIN/COMMIT/ROLLBACK and the transaction around every
 * other statement (implicit in autocommit, the block's otherwise). */
int session_transaction_stmt(Session *s, const PgQuery__TransactionStmt *ts, DbError *err);
/* Gets the transaction a statement runs in, starting one if needed, after
 * checking the block's state and DSQL's DDL rules. */
int session_txn_enter(Session *s, StmtClass cls, const char *command, DbError *err);
/* Ends a statement: commits an implicit transaction on success; on failure
 * aborts it, or puts the block in the failed state. */
int session_txn_leave(Session *s, bool ok, DbError *err);
/* Ends the connection's transaction, if any, without committing. */
void session_txn_discard(Session *s);
void session_send_notice(Session *s, const char *sqlstate, DbSeverity severity, const char *msg);

/* dispatch.c: runs one parsed statement inside the right transaction and
 * appends its results and command tag to s->out. */
int session_execute(Session *s, const ParsedStmt *ps, DbError *err);

/* copy.c: COPY FROM STDIN / COPY TO STDOUT, run inside the statement's
 * transaction (session_execute has entered it). */
int session_copy(Session *s, const ParsedStmt *ps, DbError *err);

/* The ExecContext of a statement of this session (dispatch.c). */
ExecContext session_exec_context(Session *s);

/* sequence.c: CREATE/DROP SEQUENCE, identity columns' sequences, and the
 * nextval/currval/setval/lastval hooks exec calls. */
int session_create_sequence(Session *s, const ParsedStmt *ps, DbError *err);
int session_drop_sequence(Session *s, const PgQuery__DropStmt *ds, DbError *err);
int session_identity_sequences(Session *s, TableDesc *d, const PgQuery__CreateStmt *cs,
                               DbError *err);
void session_sequences_init(Session *s);
void session_sequences_fini(Session *s);

/* Records the command tag and, unless s->no_tag, sends CommandComplete. */
void session_command_complete(Session *s, const char *tag);

/* result.c: the ResultSink that encodes rows for the client. */
typedef struct WireSink {
    Session *s;
    StrBuf text;
    size_t n_cols;
} WireSink;
void session_sink_init(Session *s, WireSink *ws, ResultSink *sink);
void session_sink_fini(WireSink *ws);

/* Appends an ErrorResponse for err (position and all). */
void session_send_error(Session *s, const DbError *err);
