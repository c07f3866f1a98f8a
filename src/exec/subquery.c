/*
 * Subqueries in expressions (EXPR_SUBLINK): EXISTS, scalar subqueries, and
 * op ANY/ALL (IN is = ANY).  The subquery runs once per evaluation with the
 * current row pushed as its outer row, so correlated subqueries see it.
 * ANY/ALL follow SQL's three-valued logic: a NULL comparison makes the
 * result NULL unless a definite answer was found.
 */
#include "exec/exec.h"

typedef struct ExecSubCache {
    const Expr *e;
    ExecRows rows;
    struct ExecSubCache *next;
} ExecSubCache;

static int run_subquery(ExecContext *ec, const Expr *e, const Datum *row, ExecRows *rows,
                        DbError *err)
{
    /* An uncorrelated subquery has one answer for the whole statement. */
    if (!e->correlated) {
        for (ExecSubCache *c = ec->sub_cache; c; c = c->next)
            if (c->e == e) {
                *rows = c->rows;
                return 0;
            }
    }
    if (ec->n_outer >= EXEC_MAX_NESTING)
        return db_error_set(err, SQLSTATE_STATEMENT_TOO_COMPLEX, "subqueries nested too deeply");
    ec->outer[ec->n_outer++] = row;
    const Datum *saved_agg = ec->agg_values;
    ec->agg_values = NULL;
    int rc = exec_select_rows(ec, e->subquery, rows, err);
    ec->agg_values = saved_agg;
    ec->n_outer--;
    if (rc == 0 && !e->correlated) {
        ExecSubCache *c = mem_alloc(ec->cx, sizeof *c);
        c->e = e;
        c->rows = *rows;
        c->next = ec->sub_cache;
        ec->sub_cache = c;
    }
    return rc;
}

static bool cmp_holds(OpKind op, int c)
{
    switch (op) {
    case OP_EQ:
        return c == 0;
    case OP_NE:
        return c != 0;
    case OP_LT:
        return c < 0;
    case OP_LE:
        return c <= 0;
    case OP_GT:
        return c > 0;
    default:
        return c >= 0;
    }
}

int exec_sublink(ExecContext *ec, const Expr *e, const Datum *row, Datum *out, DbError *err)
{
    ExecRows rows = {0};
    if (e->sublink == SUBLINK_ANY || e->sublink == SUBLINK_ALL) {
        Datum lhs;
        if (exec_eval(ec, e->testexpr, row, &lhs, err) != 0) return -1;
        if (run_subquery(ec, e, row, &rows, err) != 0) return -1;
        bool any = e->sublink == SUBLINK_ANY;
        bool saw_null = false;
        for (size_t i = 0; i < rows.n; i++) {
            const Datum *v = &rows.rows[i][0];
            if (lhs.is_null || v->is_null) {
                saw_null = true;
                continue;
            }
            int c;
            if (type_compare(&lhs, v, &c, err) != 0) return -1;
            bool holds = cmp_holds(e->op, c);
            if (any && holds) {
                *out = (Datum){.type = TYPE_BOOL, .v.b = true};
                return 0;
            }
            if (!any && !holds) {
                *out = (Datum){.type = TYPE_BOOL, .v.b = false};
                return 0;
            }
        }
        if (saw_null) {
            *out = datum_null(TYPE_BOOL);
        } else {
            *out = (Datum){.type = TYPE_BOOL, .v.b = !any};
        }
        return 0;
    }
    if (run_subquery(ec, e, row, &rows, err) != 0) return -1;
    if (e->sublink == SUBLINK_EXISTS) {
        *out = (Datum){.type = TYPE_BOOL, .v.b = rows.n > 0};
        return 0;
    }
    if (rows.n > 1)
        return db_error_set(err, SQLSTATE_CARDINALITY_VIOLATION,
                            "more than one row returned by a subquery used as an expression");
    *out = rows.n ? rows.rows[0][0] : datum_null(e->type);
    return 0;
}
