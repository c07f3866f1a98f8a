/*
 * exec_query: runs a Query.  Today a SELECT without FROM is one row of its
 * target list; the operator tree replaces this as plan/ grows.
 */
#include "exec/exec.h"

int exec_query(ExecContext *ec, const Query *q, ResultSink *sink, uint64_t *rows, DbError *err)
{
    *rows = 0;
    if (sink->columns(sink->arg, q->targets, q->n_targets, err) != 0) return -1;
    Datum *values = mem_alloc0(ec->cx, sizeof(Datum) * (q->n_targets + 1));
    for (size_t i = 0; i < q->n_targets; i++)
        if (exec_eval(ec, q->targets[i].expr, NULL, &values[i], err) != 0) return -1;
    if (sink->row(sink->arg, values, q->n_targets, err) != 0) return -1;
    *rows = 1;
    return 0;
}
