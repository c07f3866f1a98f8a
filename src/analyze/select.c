/*
 * SELECT: target list, and (as the engine grows) FROM, WHERE, GROUP BY,
 * ORDER BY, LIMIT.  Output column names follow PostgreSQL's rules
 * (FigureColname): the alias, else the column or function name, else
 * "?column?".
 */
#include "analyze/analyze.h"

#include <string.h>

static const char *figure_column_name(const PgQuery__Node *n)
{
    switch (n->node_case) {
    case PG_QUERY__NODE__NODE_FUNC_CALL: {
        const PgQuery__FuncCall *fc = n->func_call;
        return fc->n_funcname ? fc->funcname[fc->n_funcname - 1]->string->sval : "?column?";
    }
    case PG_QUERY__NODE__NODE_SQLVALUE_FUNCTION:
        switch (n->sqlvalue_function->op) {
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_USER:
            return "current_user";
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_USER:
            return "current_user";
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_ROLE:
            return "current_role";
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_SESSION_USER:
            return "session_user";
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_SCHEMA:
            return "current_schema";
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_CATALOG:
            return "current_catalog";
        default:
            return "?column?";
        }
    case PG_QUERY__NODE__NODE_A_CONST:
        if (n->a_const->val_case == PG_QUERY__A__CONST__VAL_BOOLVAL) return "bool";
        return "?column?";
    case PG_QUERY__NODE__NODE_TYPE_CAST: {
        const PgQuery__TypeCast *tc = n->type_cast;
        const char *inner = figure_column_name(tc->arg);
        if (strcmp(inner, "?column?") != 0) return inner;
        if (tc->type_name && tc->type_name->n_names)
            return tc->type_name->names[tc->type_name->n_names - 1]->string->sval;
        return "?column?";
    }
    case PG_QUERY__NODE__NODE_COLUMN_REF: {
        const PgQuery__ColumnRef *cr = n->column_ref;
        const PgQuery__Node *last = cr->fields[cr->n_fields - 1];
        return last->node_case == PG_QUERY__NODE__NODE_STRING ? last->string->sval : "?column?";
    }
    default:
        return "?column?";
    }
}

int analyze_select(AnalyzeContext *ac, const PgQuery__SelectStmt *stmt, Query **out, DbError *err)
{
    if (stmt->n_from_clause || stmt->where_clause || stmt->n_group_clause || stmt->having_clause ||
        stmt->n_sort_clause || stmt->limit_count || stmt->limit_offset || stmt->n_values_lists ||
        stmt->op != PG_QUERY__SET_OPERATION__SETOP_NONE || stmt->with_clause ||
        stmt->n_distinct_clause || stmt->n_locking_clause)
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                            "this form of SELECT is not supported yet");
    Query *q = mem_alloc0(ac->cx, sizeof *q);
    q->kind = QUERY_SELECT;
    q->n_targets = stmt->n_target_list;
    q->targets = mem_alloc0(ac->cx, sizeof(TargetEntry) * (q->n_targets + 1));
    for (size_t i = 0; i < stmt->n_target_list; i++) {
        const PgQuery__ResTarget *rt = stmt->target_list[i]->res_target;
        if (analyze_expr(ac, rt->val, &q->targets[i].expr, err) != 0) return -1;
        q->targets[i].name = rt->name && rt->name[0] ? rt->name : figure_column_name(rt->val);
        /* An untyped literal in the output is text, as in PostgreSQL. */
        Expr *e = q->targets[i].expr;
        if (e->type == TYPE_UNKNOWN) {
            e->type = TYPE_TEXT;
            e->value.type = TYPE_TEXT;
        }
    }
    *out = q;
    return 0;
}
