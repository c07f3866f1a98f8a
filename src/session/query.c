/*
 * The simple query protocol: parse the whole string, run its statements in
 * order (session_execute, dispatch.c), stop at the first error, end with
 * exactly one ReadyForQuery.
 */
#include "session/session_int.h"

int session_simple_query(Session *s, const char *sql, DbError *fatal)
{
    DbError err;
    db_error_clear(&err);
    ParseResult pr;
    if (parse_sql(s->stmt_cx, sql, &pr, &err) != 0) {
        session_send_error(s, &err);
    } else if (pr.n_stmts == 0) {
        wire_empty_query_response_encode(&s->out);
    } else {
        for (size_t i = 0; i < pr.n_stmts; i++) {
            /* No parameters here; analysis leaves its inferred types behind. */
            s->param_types = NULL;
            s->n_param_types = 0;
            if (session_execute(s, &pr.stmts[i], &err) != 0) {
                /* A failed statement ends the rest of the string; in a block
                 * session_execute has already marked the block failed. */
                if (err.severity == DB_SEVERITY_FATAL) {
                    *fatal = err;
                    return -1;
                }
                session_send_error(s, &err);
                break;
            }
        }
    }
    s->param_types = NULL;
    s->n_param_types = 0;
    wire_ready_for_query_encode(&s->out, s->txn_status);
    return 0;
}
