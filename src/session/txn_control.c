/*
 * Transaction blocks, PostgreSQL's state machine with DSQL's rules:
 *
 *   'I' idle ──BEGIN──► 'T' in block ──COMMIT/END──► 'I' (commit: may fail 40001)
 *    │  ▲                 │  ▲   └──ROLLBACK/ABORT──► 'I'
 *    │  └─statement: implicit txn, committed at its end (or aborted)
 *    │                    │  └─ statement ok
 *    │                    └─ statement error ──► 'E' failed: everything but
 *    │                       COMMIT/ROLLBACK gets 25P02; COMMIT answers ROLLBACK
 *
 * The snapshot is taken at the block's first statement, not at BEGIN.
 * DSQL's refusals: SAVEPOINT/RELEASE/ROLLBACK TO, isolation levels other than
 * REPEATABLE READ, two DDL statements in a block, DDL mixed with DML.
 */
#include <string.h>
#include <strings.h>
#include <time.h>

#include "session/session_int.h"

void session_send_notice(Session *s, const char *sqlstate, DbSeverity severity, const char *msg)
{
    DbError n;
    db_error_set(&n, sqlstate, "%s", msg);
    n.severity = severity;
    wire_notice_encode(&s->out, &n);
}

void session_txn_discard(Session *s)
{
    txn_abort(s->txn);
    s->txn = NULL;
    s->block_read_only = false;
    s->block_has_ddl = false;
    s->block_has_dml = false;
}

static const char *isolation_level_upper(const char *level)
{
    if (strcasecmp(level, "serializable") == 0) return "SERIALIZABLE";
    if (strcasecmp(level, "read committed") == 0) return "READ COMMITTED";
    if (strcasecmp(level, "read uncommitted") == 0) return "READ UNCOMMITTED";
    return NULL;
}

static int session_begin(Session *s, const PgQuery__TransactionStmt *ts, DbError *err)
{
    bool read_only = false;
    for (size_t i = 0; i < ts->n_options; i++) {
        const PgQuery__DefElem *de = ts->options[i]->def_elem;
        const PgQuery__Node *arg = de->arg;
        if (strcmp(de->defname, "transaction_isolation") == 0 && arg &&
            arg->node_case == PG_QUERY__NODE__NODE_A_CONST && arg->a_const->sval) {
            const char *bad = isolation_level_upper(arg->a_const->sval->sval);
            if (bad)
                return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                                    "Unsupported isolation level: %s", bad);
        } else if (strcmp(de->defname, "transaction_read_only") == 0 && arg &&
                   arg->node_case == PG_QUERY__NODE__NODE_A_CONST) {
            read_only = arg->a_const->ival && arg->a_const->ival->ival != 0;
        }
    }
    if (s->txn_status != 'I') {
        session_send_notice(s, SQLSTATE_ACTIVE_SQL_TRANSACTION, DB_SEVERITY_WARNING,
                            "there is already a transaction in progress");
        session_command_complete(s, "BEGIN");
        return 0;
    }
    s->txn_status = 'T';
    s->block_read_only = read_only;
    session_command_complete(s, "BEGIN");
    return 0;
}

static int session_commit(Session *s, DbError *err)
{
    if (s->txn_status == 'I') {
        session_send_notice(s, SQLSTATE_NO_ACTIVE_SQL_TRANSACTION, DB_SEVERITY_WARNING,
                            "there is no transaction in progress");
        session_command_complete(s, "COMMIT");
        return 0;
    }
    if (s->txn_status == 'E') {
        session_txn_discard(s);
        s->txn_status = 'I';
        session_command_complete(s, "ROLLBACK");
        return 0;
    }
    Txn *t = s->txn;
    s->txn = NULL;
    session_txn_discard(s);
    s->txn_status = 'I';
    if (t && txn_commit(t, err) != 0) return -1;
    session_command_complete(s, "COMMIT");
    return 0;
}

static int session_rollback(Session *s)
{
    if (s->txn_status == 'I')
        session_send_notice(s, SQLSTATE_NO_ACTIVE_SQL_TRANSACTION, DB_SEVERITY_WARNING,
                            "there is no transaction in progress");
    session_txn_discard(s);
    s->txn_status = 'I';
    session_command_complete(s, "ROLLBACK");
    return 0;
}

int session_transaction_stmt(Session *s, const PgQuery__TransactionStmt *ts, DbError *err)
{
    switch (ts->kind) {
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_BEGIN:
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_START:
        if (s->txn_status == 'E') break;
        return session_begin(s, ts, err);
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT:
        if (ts->chain) break;
        return session_commit(s, err);
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK:
        if (ts->chain) break;
        return session_rollback(s);
    default:
        break;
    }
    if (s->txn_status == 'E')
        return db_error_set(err, SQLSTATE_IN_FAILED_SQL_TRANSACTION,
                            "current transaction is aborted, commands ignored until end of "
                            "transaction block");
    switch (ts->kind) {
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_SAVEPOINT:
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                            "unsupported transaction statement: SAVEPOINT");
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_RELEASE:
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                            "unsupported transaction statement: RELEASE");
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK_TO:
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                            "unsupported transaction statement: ROLLBACK TO");
    default:
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                            "unsupported transaction statement");
    }
}

int session_txn_enter(Session *s, StmtClass cls, const char *command, DbError *err)
{
    if (s->txn_status == 'E')
        return db_error_set(err, SQLSTATE_IN_FAILED_SQL_TRANSACTION,
                            "current transaction is aborted, commands ignored until end of "
                            "transaction block");
    if (cls == STMT_UTILITY) return 0;
    bool in_block = s->txn_status == 'T';
    if (in_block && (cls == STMT_DML || cls == STMT_DDL) && s->block_read_only)
        return db_error_set(err, SQLSTATE_READ_ONLY_SQL_TRANSACTION,
                            "cannot execute %s in a read-only transaction", command);
    if (in_block && cls == STMT_DDL && s->block_has_ddl)
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                            "multiple ddl statements not supported in a transaction");
    if (in_block &&
        ((cls == STMT_DDL && s->block_has_dml) || (cls == STMT_DML && s->block_has_ddl)))
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                            "ddl and dml are not supported in the same transaction");
    if (!s->txn) {
        bool read_only = in_block ? s->block_read_only : cls == STMT_READ;
        s->txn = txn_begin(s->cluster.journal, s->cluster.storage, read_only, err);
        if (!s->txn) return -1;
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        s->txn_start_us = ((int64_t)ts.tv_sec - 946684800LL) * 1000000LL + ts.tv_nsec / 1000;
    }
    if (txn_check_age(s->txn, err) != 0) return -1;
    if (cls == STMT_DDL) s->block_has_ddl = true;
    if (cls == STMT_DML) s->block_has_dml = true;
    txn_statement_begin(s->txn);
    return 0;
}

int session_txn_leave(Session *s, bool ok, DbError *err)
{
    if (s->txn_status == 'T') {
        if (!ok) {
            session_txn_discard(s);
            s->txn_status = 'E';
        }
        return ok ? 0 : -1;
    }
    /* Autocommit: the statement's own transaction ends with it. */
    Txn *t = s->txn;
    s->txn = NULL;
    session_txn_discard(s);
    if (!t) return ok ? 0 : -1;
    if (!ok) {
        txn_abort(t);
        return -1;
    }
    return txn_commit(t, err);
}
