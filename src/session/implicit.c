/*
 * The extended protocol's implicit transaction block (PostgreSQL's
 * TBLOCK_IMPLICIT_INPROGRESS): in autocommit, every statement between two
 * Syncs runs in one transaction, committed at Sync, or rolled back there
 * after an error.  It is kept as a block ('T') so that session_execute does
 * not commit after each statement; ExtState.implicit tells it from BEGIN's.
 *
 *   'I' ──first statement──► 'T' implicit ──Sync──► commit ──► 'I'
 *                              │ error                ▲
 *                              ▼                      │
 *                             'E' ──────Sync──► rollback
 */
#include "session/extended.h"

void session_implicit_begin(Session *s, ExtState *x)
{
    if (s->txn_status != 'I') return;
    s->txn_status = 'T';
    x->implicit = true;
}

int session_implicit_end(Session *s, ExtState *x, DbError *fatal)
{
    if (!x->implicit) return 0;
    x->implicit = false;
    Txn *t = s->txn;
    bool ok = s->txn_status == 'T';
    s->txn = NULL;
    session_txn_discard(s);
    s->txn_status = 'I';
    if (!t) return 0;
    if (!ok) {
        txn_abort(t);
        return 0;
    }
    DbError err;
    db_error_clear(&err);
    if (txn_commit(t, &err) != 0) {
        if (err.severity == DB_SEVERITY_FATAL) {
            *fatal = err;
            return -1;
        }
        session_send_error(s, &err);
    }
    return 0;
}

void session_implicit_fail(Session *s)
{
    if (s->txn_status != 'T') return;
    session_txn_discard(s);
    s->txn_status = 'E';
}
