/*
 * Built-in functions: one case per FuncId (analyze/expr.c resolves names to
 * ids and result types).
 */
#include <string.h>

#include "exec/exec.h"

static Datum text_datum(uint32_t type, const char *s)
{
    return datum_bytes(type, s, strlen(s));
}

int exec_func(ExecContext *ec, const Expr *e, const Datum *args, Datum *out, DbError *err)
{
    (void)args;
    switch (e->func) {
    case FUNC_VERSION:
        *out = text_datum(TYPE_TEXT,
                          "PostgreSQL " BOREALIS_SERVER_VERSION " (Borealis " BOREALIS_VERSION
                          ") on x86_64-pc-linux-gnu, compiled by gcc, 64-bit");
        return 0;
    case FUNC_CURRENT_DATABASE:
        *out = text_datum(TYPE_NAME, ec->database);
        return 0;
    case FUNC_CURRENT_USER:
        *out = text_datum(TYPE_NAME, ec->current_user);
        return 0;
    case FUNC_SESSION_USER:
        *out = text_datum(TYPE_NAME, ec->session_user);
        return 0;
    case FUNC_CURRENT_SCHEMA:
        *out = ec->search_schema ? text_datum(TYPE_NAME, ec->search_schema) : datum_null(TYPE_NAME);
        return 0;
    case FUNC_SYSTEM_USER:
        *out = datum_null(TYPE_TEXT);
        return 0;
    case FUNC_PG_BACKEND_PID:
        *out = datum_int(TYPE_INT4, ec->backend_pid);
        return 0;
    }
    return db_error_set(err, SQLSTATE_INTERNAL_ERROR, "unknown built-in function %d", (int)e->func);
}
