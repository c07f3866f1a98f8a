/*
 * Expression evaluation over one input row.  One case per ExprKind.
 */
#include "exec/exec.h"

int exec_eval(ExecContext *ec, const Expr *e, const Datum *row, Datum *out, DbError *err)
{
    switch (e->kind) {
    case EXPR_CONST:
        *out = e->value;
        return 0;
    case EXPR_COLUMN:
        *out = row[e->column];
        return 0;
    case EXPR_FUNC: {
        Datum *args = e->n_args ? mem_alloc(ec->cx, sizeof(Datum) * e->n_args) : NULL;
        for (size_t i = 0; i < e->n_args; i++)
            if (exec_eval(ec, e->args[i], row, &args[i], err) != 0) return -1;
        return exec_func(ec, e, args, out, err);
    }
    default:
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                            "expression kind %d is not supported yet", (int)e->kind);
    }
}
