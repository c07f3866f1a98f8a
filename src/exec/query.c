/*
 * exec_query: runs a Query and sends SELECT rows to the sink.  The work is
 * in from.c (FROM, joins, WHERE), select.c (grouping, ordering, set
 * operations), dml.c (INSERT, UPDATE, DELETE) and subquery.c.
 */
#include "catalog/catalog.h"
#include "exec/exec.h"

static int exec_select(ExecContext *ec, const Query *q, ResultSink *sink, uint64_t *rows,
                       DbError *err)
{
    ExecRows out = {0};
    if (exec_select_rows(ec, q, &out, err) != 0) return -1;
    if (sink->columns(sink->arg, q->targets, q->n_targets, err) != 0) return -1;
    for (size_t i = 0; i < out.n; i++) {
        if (sink->row(sink->arg, out.rows[i], q->n_targets, err) != 0) return -1;
        (*rows)++;
    }
    return 0;
}

int exec_query(ExecContext *ec, const Query *q, ResultSink *sink, uint64_t *rows, DbError *err)
{
    *rows = 0;
    switch (q->kind) {
    case QUERY_SELECT:
        return exec_select(ec, q, sink, rows, err);
    case QUERY_INSERT:
        return exec_insert(ec, q, sink, rows, err);
    case QUERY_UPDATE:
    case QUERY_DELETE:
        return exec_update_delete(ec, q, sink, rows, err);
    }
    return db_error_set(err, SQLSTATE_INTERNAL_ERROR, "unknown query kind");
}

int exec_create_table(ExecContext *ec, TableDesc *desc, DbError *err)
{
    return catalog_table_create(ec->txn, desc, err);
}
