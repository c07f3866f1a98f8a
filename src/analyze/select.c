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

int analyze_table(AnalyzeContext *ac, const PgQuery__RangeVar *rv, TableDesc **out, DbError *err)
{
    const char *schema = rv->schemaname && rv->schemaname[0] ? rv->schemaname : "public";
    bool found;
    if (catalog_table_lookup(ac->txn, schema, rv->relname, ac->cx, out, &found, err) != 0)
        return -1;
    if (!found)
        return analyze_error_at(ac, err, rv->location, SQLSTATE_UNDEFINED_TABLE,
                                "relation \"%s%s%s\" does not exist",
                                rv->schemaname && rv->schemaname[0] ? rv->schemaname : "",
                                rv->schemaname && rv->schemaname[0] ? "." : "", rv->relname);
    return 0;
}

static RangeEntry *range_for_table(AnalyzeContext *ac, TableDesc *t, const char *alias)
{
    RangeEntry *r = mem_alloc0(ac->cx, sizeof *r);
    r->kind = RANGE_TABLE;
    r->table = t;
    r->alias = alias ? alias : t->name;
    r->n_columns = t->n_columns;
    r->column_names = mem_alloc0(ac->cx, sizeof(char *) * (t->n_columns + 1));
    r->column_types = mem_alloc0(ac->cx, sizeof(uint32_t) * (t->n_columns + 1));
    r->column_typmods = mem_alloc0(ac->cx, sizeof(int32_t) * (t->n_columns + 1));
    for (size_t i = 0; i < t->n_columns; i++) {
        r->column_names[i] = t->columns[i].name;
        r->column_types[i] = t->columns[i].type;
        r->column_typmods[i] = t->columns[i].typmod;
    }
    return r;
}

static int analyze_from(AnalyzeContext *ac, const PgQuery__SelectStmt *stmt, RangeEntry **out,
                        DbError *err)
{
    *out = NULL;
    if (stmt->n_from_clause == 0) return 0;
    if (stmt->n_from_clause > 1)
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED, "joins are not supported yet");
    const PgQuery__Node *f = stmt->from_clause[0];
    if (f->node_case == PG_QUERY__NODE__NODE_RANGE_VAR) {
        const PgQuery__RangeVar *rv = f->range_var;
        TableDesc *t;
        if (analyze_table(ac, rv, &t, err) != 0) return -1;
        *out = range_for_table(ac, t, rv->alias ? rv->alias->aliasname : NULL);
        return 0;
    }
    if (f->node_case == PG_QUERY__NODE__NODE_RANGE_FUNCTION) {
        const PgQuery__RangeFunction *rf = f->range_function;
        const PgQuery__Node *call = rf->n_functions ? rf->functions[0]->list->items[0] : NULL;
        if (!call || call->node_case != PG_QUERY__NODE__NODE_FUNC_CALL || rf->n_functions != 1)
            goto unsupported;
        const PgQuery__FuncCall *fc = call->func_call;
        const char *name = fc->funcname[fc->n_funcname - 1]->string->sval;
        if (strcmp(name, "generate_series") != 0 || fc->n_args < 2 || fc->n_args > 3)
            goto unsupported;
        RangeEntry *r = mem_alloc0(ac->cx, sizeof *r);
        r->kind = RANGE_GENERATE_SERIES;
        uint32_t type = TYPE_INT4;
        for (size_t i = 0; i < fc->n_args; i++) {
            if (analyze_expr(ac, fc->args[i], &r->series[i], err) != 0) return -1;
            uint32_t t = r->series[i]->type;
            if (t == TYPE_INT8 && type == TYPE_INT4) type = TYPE_INT8;
            if (t == TYPE_NUMERIC) type = TYPE_NUMERIC;
        }
        for (size_t i = 0; i < fc->n_args; i++)
            if (analyze_coerce(ac, r->series[i], type, -1, false, &r->series[i], err) != 0)
                return -1;
        r->alias = rf->alias ? rf->alias->aliasname : "generate_series";
        r->n_columns = 1;
        r->column_names = mem_alloc(ac->cx, sizeof(char *));
        r->column_names[0] =
            rf->alias && rf->alias->n_colnames ? rf->alias->colnames[0]->string->sval : r->alias;
        r->column_types = mem_alloc(ac->cx, sizeof(uint32_t));
        r->column_types[0] = type;
        r->column_typmods = mem_alloc(ac->cx, sizeof(int32_t));
        r->column_typmods[0] = -1;
        *out = r;
        return 0;
    }
unsupported:
    return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED, "this FROM item is not supported yet");
}

/* ORDER BY item: an output column number, an output column name, or an
 * expression over the input. */
static int analyze_sort_key(AnalyzeContext *ac, Query *q, const PgQuery__SortBy *sb, SortKey *k,
                            DbError *err)
{
    const PgQuery__Node *n = sb->node;
    k->desc = sb->sortby_dir == PG_QUERY__SORT_BY_DIR__SORTBY_DESC;
    k->nulls_first = sb->sortby_nulls == PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_FIRST ||
                     (k->desc && sb->sortby_nulls != PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_LAST);
    if (n->node_case == PG_QUERY__NODE__NODE_A_CONST &&
        n->a_const->val_case == PG_QUERY__A__CONST__VAL_IVAL) {
        int pos = n->a_const->ival ? n->a_const->ival->ival : 0;
        if (pos < 1 || (size_t)pos > q->n_targets)
            return analyze_error_at(ac, err, n->a_const->location,
                                    SQLSTATE_INVALID_COLUMN_REFERENCE,
                                    "ORDER BY position %d is not in select list", pos);
        k->expr = q->targets[pos - 1].expr;
        return 0;
    }
    if (n->node_case == PG_QUERY__NODE__NODE_COLUMN_REF && n->column_ref->n_fields == 1 &&
        n->column_ref->fields[0]->node_case == PG_QUERY__NODE__NODE_STRING) {
        const char *name = n->column_ref->fields[0]->string->sval;
        for (size_t i = 0; i < q->n_targets; i++) {
            if (strcmp(q->targets[i].name, name) == 0) {
                k->expr = q->targets[i].expr;
                return 0;
            }
        }
    }
    if (analyze_expr(ac, n, &k->expr, err) != 0) return -1;
    if (k->expr->type == TYPE_UNKNOWN)
        return analyze_coerce(ac, k->expr, TYPE_TEXT, -1, false, &k->expr, err);
    return 0;
}

/* The first column reference outside any aggregate, or NULL. */
static const Expr *find_bare_column(const Expr *e)
{
    if (e->kind == EXPR_COLUMN) return e;
    if (e->kind == EXPR_AGGREF) return NULL;
    for (size_t i = 0; i < e->n_args; i++) {
        const Expr *c = find_bare_column(e->args[i]);
        if (c) return c;
    }
    return NULL;
}

int analyze_select(AnalyzeContext *ac, const PgQuery__SelectStmt *stmt, Query **out, DbError *err)
{
    if (stmt->n_group_clause || stmt->having_clause || stmt->n_values_lists ||
        stmt->op != PG_QUERY__SET_OPERATION__SETOP_NONE || stmt->with_clause ||
        stmt->n_distinct_clause || stmt->into_clause)
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                            "this form of SELECT is not supported yet");
    Query *q = mem_alloc0(ac->cx, sizeof *q);
    q->kind = QUERY_SELECT;
    for (size_t i = 0; i < stmt->n_locking_clause; i++) {
        const PgQuery__LockingClause *lc = stmt->locking_clause[i]->locking_clause;
        if (lc->strength == PG_QUERY__LOCK_CLAUSE_STRENGTH__LCS_FORUPDATE) {
            q->lock = ROW_LOCK_UPDATE;
        } else if (lc->strength == PG_QUERY__LOCK_CLAUSE_STRENGTH__LCS_FORKEYSHARE) {
            if (q->lock == ROW_LOCK_NONE) q->lock = ROW_LOCK_KEY_SHARE;
        } else {
            return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                                "locking clauses other than FOR UPDATE/FOR KEY SHARE are not "
                                "supported");
        }
    }
    if (analyze_from(ac, stmt, &q->range, err) != 0) return -1;
    const RangeEntry *saved_scope = ac->scope;
    Query *saved_agg = ac->agg_query;
    ac->scope = q->range;
    if (stmt->where_clause) {
        ac->agg_query = NULL;
        if (analyze_expr(ac, stmt->where_clause, &q->where, err) != 0) goto fail;
        if (q->where->type != TYPE_BOOL &&
            analyze_coerce(ac, q->where, TYPE_BOOL, -1, false, &q->where, err) != 0) {
            analyze_error_at(ac, err, q->where->location, SQLSTATE_DATATYPE_MISMATCH,
                             "argument of WHERE must be type boolean, not type %s",
                             type_format_name(q->where->type, -1, ac->cx));
            goto fail;
        }
    }
    ac->agg_query = q;
    /* SELECT * expands to every column of the FROM item. */
    size_t cap = stmt->n_target_list + (q->range ? q->range->n_columns : 0) + 1;
    q->targets = mem_alloc0(ac->cx, sizeof(TargetEntry) * cap);
    for (size_t i = 0; i < stmt->n_target_list; i++) {
        const PgQuery__ResTarget *rt = stmt->target_list[i]->res_target;
        const PgQuery__Node *v = rt->val;
        if (v->node_case == PG_QUERY__NODE__NODE_COLUMN_REF &&
            v->column_ref->fields[v->column_ref->n_fields - 1]->node_case ==
                PG_QUERY__NODE__NODE_A_STAR) {
            if (!q->range) {
                analyze_error_at(ac, err, v->column_ref->location, SQLSTATE_SYNTAX_ERROR,
                                 "SELECT * with no tables specified is not valid");
                goto fail;
            }
            for (size_t c = 0; c < q->range->n_columns; c++) {
                Expr *e = mem_alloc0(ac->cx, sizeof *e);
                e->kind = EXPR_COLUMN;
                e->type = q->range->column_types[c];
                e->typmod = q->range->column_typmods[c];
                e->column = (int)c;
                e->location = v->column_ref->location;
                q->targets[q->n_targets].expr = e;
                q->targets[q->n_targets++].name = q->range->column_names[c];
            }
            continue;
        }
        TargetEntry *te = &q->targets[q->n_targets++];
        if (analyze_expr(ac, v, &te->expr, err) != 0) goto fail;
        te->name = rt->name && rt->name[0] ? rt->name : figure_column_name(v);
        if (te->expr->type == TYPE_UNKNOWN &&
            analyze_coerce(ac, te->expr, TYPE_TEXT, -1, false, &te->expr, err) != 0)
            goto fail;
    }
    if (stmt->n_sort_clause) {
        q->sort = mem_alloc0(ac->cx, sizeof(SortKey) * stmt->n_sort_clause);
        for (size_t i = 0; i < stmt->n_sort_clause; i++)
            if (analyze_sort_key(ac, q, stmt->sort_clause[i]->sort_by, &q->sort[i], err) != 0)
                goto fail;
        q->n_sort = stmt->n_sort_clause;
    }
    if (q->n_aggs) {
        /* Without GROUP BY, every column must be inside an aggregate. */
        for (size_t i = 0; i < q->n_targets; i++) {
            const Expr *c = find_bare_column(q->targets[i].expr);
            if (!c) continue;
            analyze_error_at(ac, err, c->location, SQLSTATE_GROUPING_ERROR,
                             "column \"%s.%s\" must appear in the GROUP BY clause or be used in "
                             "an aggregate function",
                             q->range->alias, q->range->column_names[c->column]);
            goto fail;
        }
    }
    ac->agg_query = NULL;
    Expr *limits[2] = {NULL, NULL};
    const PgQuery__Node *lim_nodes[2] = {stmt->limit_count, stmt->limit_offset};
    for (int i = 0; i < 2; i++) {
        if (!lim_nodes[i]) continue;
        if (analyze_expr(ac, lim_nodes[i], &limits[i], err) != 0) goto fail;
        if (analyze_coerce(ac, limits[i], TYPE_INT8, -1, false, &limits[i], err) != 0) goto fail;
    }
    q->limit = limits[0];
    q->offset = limits[1];
    ac->scope = saved_scope;
    ac->agg_query = saved_agg;
    *out = q;
    return 0;
fail:
    ac->scope = saved_scope;
    ac->agg_query = saved_agg;
    return -1;
}
