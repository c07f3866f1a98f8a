/*
 * SELECT: target list, and (as the engine grows) FROM, WHERE, GROUP BY,
 * ORDER BY, LIMIT.  Output column names follow PostgreSQL's rules
 * (FigureColname): the alias, else the column or function name, else
 * "?column?".
 */
#include "analyze/analyze.h"

#include <string.h>

const char *analyze_column_name(const PgQuery__Node *n)
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
        const char *inner = analyze_column_name(tc->arg);
        if (strcmp(inner, "?column?") != 0) return inner;
        if (tc->type_name && tc->type_name->n_names)
            return tc->type_name->names[tc->type_name->n_names - 1]->string->sval;
        return "?column?";
    }
    case PG_QUERY__NODE__NODE_CASE_EXPR:
        return "case";
    case PG_QUERY__NODE__NODE_COALESCE_EXPR:
        return "coalesce";
    case PG_QUERY__NODE__NODE_MIN_MAX_EXPR:
        return n->min_max_expr->op == PG_QUERY__MIN_MAX_OP__IS_GREATEST ? "greatest" : "least";
    case PG_QUERY__NODE__NODE_A_EXPR:
        if (n->a_expr->kind == PG_QUERY__A__EXPR__KIND__AEXPR_NULLIF) return "nullif";
        return "?column?";
    case PG_QUERY__NODE__NODE_SUB_LINK: {
        const PgQuery__SubLink *sl = n->sub_link;
        if (sl->sub_link_type == PG_QUERY__SUB_LINK_TYPE__EXISTS_SUBLINK) return "exists";
        if (sl->sub_link_type == PG_QUERY__SUB_LINK_TYPE__ARRAY_SUBLINK) return "array";
        if (sl->sub_link_type != PG_QUERY__SUB_LINK_TYPE__EXPR_SUBLINK || !sl->subselect ||
            sl->subselect->node_case != PG_QUERY__NODE__NODE_SELECT_STMT)
            return "?column?";
        /* The name of the subquery's first column: a set operation's left
         * arm names it, VALUES calls it column1. */
        const PgQuery__SelectStmt *ss = sl->subselect->select_stmt;
        while (ss->op != PG_QUERY__SET_OPERATION__SETOP_NONE && ss->larg)
            ss = ss->larg;
        if (ss->n_values_lists) return "column1";
        if (ss->n_target_list) {
            const PgQuery__ResTarget *rt = ss->target_list[0]->res_target;
            return rt->name && rt->name[0] ? rt->name : analyze_column_name(rt->val);
        }
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

/* ORDER BY item: an output column number, an output column name, or an
 * expression over the input. */
static int analyze_sort_key(AnalyzeContext *ac, Query *q, const PgQuery__SortBy *sb, SortKey *k,
                            bool output_only, DbError *err)
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
        k->target = pos - 1;
        return 0;
    }
    if (n->node_case == PG_QUERY__NODE__NODE_COLUMN_REF && n->column_ref->n_fields == 1 &&
        n->column_ref->fields[0]->node_case == PG_QUERY__NODE__NODE_STRING) {
        const char *name = n->column_ref->fields[0]->string->sval;
        for (size_t i = 0; i < q->n_targets; i++) {
            if (strcmp(q->targets[i].name, name) == 0) {
                k->expr = q->targets[i].expr;
                k->target = (int)i;
                return 0;
            }
        }
    }
    if (output_only)
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                            "ORDER BY on a UNION/INTERSECT/EXCEPT result must be on one of the "
                            "result columns");
    k->target = -1;
    if (analyze_expr(ac, n, &k->expr, err) != 0) return -1;
    if (k->expr->type == TYPE_UNKNOWN)
        return analyze_coerce(ac, k->expr, TYPE_TEXT, -1, false, &k->expr, err);
    return 0;
}

static bool expr_equal(const Expr *a, const Expr *b)
{
    if (a->kind != b->kind || a->n_args != b->n_args) return false;
    switch (a->kind) {
    case EXPR_COLUMN:
        return a->column == b->column && a->levels_up == b->levels_up;
    case EXPR_CONST:
        if (a->value.is_null || b->value.is_null) return a->value.is_null == b->value.is_null;
        return a->type == b->type && type_equal_for_key(&a->value, &b->value);
    case EXPR_FUNC:
        if (a->func != b->func) return false;
        break;
    case EXPR_OP:
        if (a->op != b->op) return false;
        break;
    case EXPR_CAST:
        if (a->type != b->type || a->typmod != b->typmod) return false;
        break;
    case EXPR_AND:
    case EXPR_OR:
    case EXPR_NOT:
        break;
    default:
        return false;
    }
    for (size_t i = 0; i < a->n_args; i++)
        if (!expr_equal(a->args[i], b->args[i])) return false;
    return true;
}

/* The first column reference of this query outside aggregates and outside
 * every GROUP BY expression, or NULL. */
static const Expr *find_ungrouped_column(const Query *q, const Expr *e)
{
    for (size_t g = 0; g < q->n_group; g++)
        if (expr_equal(q->group[g], e)) return NULL;
    if (e->kind == EXPR_COLUMN) return e->levels_up == 0 ? e : NULL;
    if (e->kind == EXPR_AGGREF || e->kind == EXPR_SUBLINK) return NULL;
    if (e->case_arg) {
        const Expr *c = find_ungrouped_column(q, e->case_arg);
        if (c) return c;
    }
    if (e->case_else) {
        const Expr *c = find_ungrouped_column(q, e->case_else);
        if (c) return c;
    }
    for (size_t i = 0; i < e->n_args; i++) {
        const Expr *c = find_ungrouped_column(q, e->args[i]);
        if (c) return c;
    }
    return NULL;
}

static const char *column_label(const Query *q, const Expr *c)
{
    for (size_t i = 0; i < q->n_ranges; i++) {
        const RangeEntry *r = q->ranges[i];
        if ((size_t)c->column >= r->first_column &&
            (size_t)c->column < r->first_column + r->n_columns)
            return r->column_names[c->column - (int)r->first_column];
    }
    return "?";
}

static const char *column_range_alias(const Query *q, const Expr *c)
{
    for (size_t i = 0; i < q->n_ranges; i++) {
        const RangeEntry *r = q->ranges[i];
        if ((size_t)c->column >= r->first_column &&
            (size_t)c->column < r->first_column + r->n_columns)
            return r->alias;
    }
    return "?";
}

static int check_grouped(AnalyzeContext *ac, const Query *q, const Expr *e, DbError *err)
{
    const Expr *c = find_ungrouped_column(q, e);
    if (!c) return 0;
    return analyze_error_at(ac, err, c->location, SQLSTATE_GROUPING_ERROR,
                            "column \"%s.%s\" must appear in the GROUP BY clause or be used in "
                            "an aggregate function",
                            column_range_alias(q, c), column_label(q, c));
}

static int add_target(AnalyzeContext *ac, Query *q, size_t *cap, Expr *e, const char *name)
{
    (void)ac;
    if (q->n_targets == *cap) {
        size_t ncap = *cap * 2 + 8;
        q->targets =
            mem_realloc(ac->cx, q->targets, sizeof(TargetEntry) * *cap, sizeof(TargetEntry) * ncap);
        *cap = ncap;
    }
    q->targets[q->n_targets].expr = e;
    q->targets[q->n_targets++].name = name;
    return 0;
}

static int expand_star(AnalyzeContext *ac, Query *q, size_t *cap, const PgQuery__ColumnRef *cr,
                       DbError *err)
{
    const char *rel = cr->n_fields == 2 ? cr->fields[0]->string->sval : NULL;
    if (q->n_ranges == 0)
        return analyze_error_at(ac, err, cr->location, SQLSTATE_SYNTAX_ERROR,
                                "SELECT * with no tables specified is not valid");
    bool found = false;
    for (size_t i = 0; i < q->n_ranges; i++) {
        const RangeEntry *r = q->ranges[i];
        if (rel && strcmp(rel, r->alias) != 0) continue;
        found = true;
        for (size_t c = 0; c < r->n_columns; c++) {
            Expr *e = mem_alloc0(ac->cx, sizeof *e);
            e->kind = EXPR_COLUMN;
            e->type = r->column_types[c];
            e->typmod = r->column_typmods[c];
            e->column = (int)(r->first_column + c);
            e->location = cr->location;
            add_target(ac, q, cap, e, r->column_names[c]);
        }
    }
    if (!found)
        return analyze_error_at(ac, err, cr->location, SQLSTATE_UNDEFINED_TABLE,
                                "missing FROM-clause entry for table \"%s\"", rel);
    return 0;
}

static int analyze_bool_clause(AnalyzeContext *ac, const PgQuery__Node *n, const char *what,
                               Expr **out, DbError *err)
{
    if (analyze_expr(ac, n, out, err) != 0) return -1;
    if ((*out)->type == TYPE_BOOL) return 0;
    if ((*out)->type == TYPE_UNKNOWN)
        return analyze_coerce(ac, *out, TYPE_BOOL, -1, false, out, err);
    return analyze_error_at(ac, err, (*out)->location, SQLSTATE_DATATYPE_MISMATCH,
                            "argument of %s must be type boolean, not type %s", what,
                            type_format_name((*out)->type, -1, ac->cx));
}

/* UNION / INTERSECT / EXCEPT: both sides analyzed on their own; the result
 * columns take the common type of each pair. */
static int analyze_setop(AnalyzeContext *ac, const PgQuery__SelectStmt *stmt, Query *q,
                         DbError *err)
{
    q->setop = stmt->op == PG_QUERY__SET_OPERATION__SETOP_UNION       ? SETOP_UNION
               : stmt->op == PG_QUERY__SET_OPERATION__SETOP_INTERSECT ? SETOP_INTERSECT
                                                                      : SETOP_EXCEPT;
    q->setop_all = stmt->all;
    if (analyze_select(ac, stmt->larg, &q->larg, err) != 0) return -1;
    if (analyze_select(ac, stmt->rarg, &q->rarg, err) != 0) return -1;
    const char *opname = q->setop == SETOP_UNION       ? "UNION"
                         : q->setop == SETOP_INTERSECT ? "INTERSECT"
                                                       : "EXCEPT";
    if (q->larg->n_targets != q->rarg->n_targets)
        return db_error_set(err, SQLSTATE_SYNTAX_ERROR,
                            "each %s query must have the same number of columns", opname);
    q->n_targets = q->larg->n_targets;
    q->targets = mem_alloc0(ac->cx, sizeof(TargetEntry) * (q->n_targets + 1));
    for (size_t i = 0; i < q->n_targets; i++) {
        Expr *pair[2] = {q->larg->targets[i].expr, q->rarg->targets[i].expr};
        uint32_t t = analyze_common_type(pair, 2);
        if (analyze_coerce(ac, q->larg->targets[i].expr, t, -1, false, &q->larg->targets[i].expr,
                           err) != 0 ||
            analyze_coerce(ac, q->rarg->targets[i].expr, t, -1, false, &q->rarg->targets[i].expr,
                           err) != 0)
            return -1;
        Expr *col = mem_alloc0(ac->cx, sizeof *col);
        col->kind = EXPR_COLUMN;
        col->type = t;
        col->typmod = -1;
        col->column = (int)i;
        col->location = -1;
        q->targets[i].expr = col;
        q->targets[i].name = q->larg->targets[i].name;
    }
    q->row_width = q->n_targets;
    return 0;
}

int analyze_select(AnalyzeContext *ac, const PgQuery__SelectStmt *stmt, Query **out, DbError *err)
{
    if (stmt->into_clause || stmt->n_window_clause)
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                            "this form of SELECT is not supported yet");
    if (stmt->with_clause && stmt->with_clause->recursive)
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                            "WITH RECURSIVE is not supported yet");
    const CteScope *saved_ctes = ac->ctes;
    CteScope ctes = {0};
    if (stmt->with_clause) {
        ctes.n = stmt->with_clause->n_ctes;
        ctes.ctes = stmt->with_clause->ctes;
        ctes.parent = saved_ctes;
        ac->ctes = &ctes;
    }
    Query *q = mem_alloc0(ac->cx, sizeof *q);
    q->kind = QUERY_SELECT;
    const Scope *saved_scope = ac->scope;
    Query *saved_agg = ac->agg_query;
    Scope scope = {.parent = saved_scope};
    int rc = -1;
    if (stmt->op != PG_QUERY__SET_OPERATION__SETOP_NONE) {
        if (analyze_setop(ac, stmt, q, err) != 0) goto done;
    } else if (stmt->n_values_lists) {
        /* VALUES (…), (…): rows of expressions, typed column by column. */
        q->setop = SETOP_NONE;
        size_t ncols = stmt->values_lists[0]->list->n_items;
        q->n_rows = stmt->n_values_lists;
        q->rows = mem_alloc0(ac->cx, sizeof(Expr **) * q->n_rows);
        /* VALUES is a query level of its own: a column it names belongs to
         * an enclosing query (levels_up ≥ 1). */
        ac->scope = &scope;
        for (size_t r = 0; r < q->n_rows; r++) {
            const PgQuery__List *l = stmt->values_lists[r]->list;
            if (l->n_items != ncols) {
                db_error_set(err, SQLSTATE_SYNTAX_ERROR,
                             "VALUES lists must all be the same length");
                goto done;
            }
            q->rows[r] = mem_alloc0(ac->cx, sizeof(Expr *) * (ncols + 1));
            for (size_t c = 0; c < ncols; c++)
                if (analyze_expr(ac, l->items[c], &q->rows[r][c], err) != 0) goto done;
        }
        q->n_targets = ncols;
        q->targets = mem_alloc0(ac->cx, sizeof(TargetEntry) * (ncols + 1));
        Expr **col = mem_alloc0(ac->cx, sizeof(Expr *) * (q->n_rows + 1));
        for (size_t c = 0; c < ncols; c++) {
            for (size_t r = 0; r < q->n_rows; r++)
                col[r] = q->rows[r][c];
            uint32_t t = analyze_common_type(col, q->n_rows);
            for (size_t r = 0; r < q->n_rows; r++)
                if (analyze_coerce(ac, q->rows[r][c], t, -1, false, &q->rows[r][c], err) != 0)
                    goto done;
            Expr *e = mem_alloc0(ac->cx, sizeof *e);
            e->kind = EXPR_COLUMN;
            e->type = t;
            e->typmod = -1;
            e->column = (int)c;
            e->location = -1;
            q->targets[c].expr = e;
            q->targets[c].name = mem_sprintf(ac->cx, "column%zu", c + 1);
        }
        q->row_width = ncols;
    } else {
        for (size_t i = 0; i < stmt->n_locking_clause; i++) {
            const PgQuery__LockingClause *lc = stmt->locking_clause[i]->locking_clause;
            if (lc->strength == PG_QUERY__LOCK_CLAUSE_STRENGTH__LCS_FORUPDATE) {
                q->lock = ROW_LOCK_UPDATE;
            } else if (lc->strength == PG_QUERY__LOCK_CLAUSE_STRENGTH__LCS_FORKEYSHARE) {
                if (q->lock == ROW_LOCK_NONE) q->lock = ROW_LOCK_KEY_SHARE;
            } else {
                db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                             "locking clauses other than FOR UPDATE/FOR KEY SHARE are not "
                             "supported");
                goto done;
            }
        }
        ac->scope = &scope;
        ac->agg_query = NULL;
        if (analyze_from(ac, q, &scope, stmt->from_clause, stmt->n_from_clause, err) != 0)
            goto done;
        if (stmt->where_clause &&
            analyze_bool_clause(ac, stmt->where_clause, "WHERE", &q->where, err) != 0)
            goto done;
        if (stmt->n_group_clause) {
            q->n_group = stmt->n_group_clause;
            q->group = mem_alloc0(ac->cx, sizeof(Expr *) * q->n_group);
        }
        ac->agg_query = q;
        size_t cap = 0;
        for (size_t i = 0; i < stmt->n_target_list; i++) {
            const PgQuery__ResTarget *rt = stmt->target_list[i]->res_target;
            const PgQuery__Node *v = rt->val;
            if (v->node_case == PG_QUERY__NODE__NODE_COLUMN_REF &&
                v->column_ref->fields[v->column_ref->n_fields - 1]->node_case ==
                    PG_QUERY__NODE__NODE_A_STAR) {
                if (expand_star(ac, q, &cap, v->column_ref, err) != 0) goto done;
                continue;
            }
            Expr *e;
            if (analyze_expr(ac, v, &e, err) != 0) goto done;
            if (e->type == TYPE_UNKNOWN && analyze_coerce(ac, e, TYPE_TEXT, -1, false, &e, err))
                goto done;
            add_target(ac, q, &cap, e, rt->name && rt->name[0] ? rt->name : analyze_column_name(v));
        }
        /* GROUP BY items: an output column number or name, or an expression. */
        ac->agg_query = NULL;
        for (size_t i = 0; i < q->n_group; i++) {
            const PgQuery__Node *g = stmt->group_clause[i];
            if (g->node_case == PG_QUERY__NODE__NODE_A_CONST &&
                g->a_const->val_case == PG_QUERY__A__CONST__VAL_IVAL) {
                int pos = g->a_const->ival ? g->a_const->ival->ival : 0;
                if (pos < 1 || (size_t)pos > q->n_targets) {
                    analyze_error_at(ac, err, g->a_const->location,
                                     SQLSTATE_INVALID_COLUMN_REFERENCE,
                                     "GROUP BY position %d is not in select list", pos);
                    goto done;
                }
                q->group[i] = q->targets[pos - 1].expr;
                continue;
            }
            if (analyze_expr(ac, g, &q->group[i], err) != 0) goto done;
        }
        ac->agg_query = q;
        if (stmt->having_clause &&
            analyze_bool_clause(ac, stmt->having_clause, "HAVING", &q->having, err) != 0)
            goto done;
        q->has_grouping = q->n_group || q->n_aggs || q->having;
        q->distinct = stmt->n_distinct_clause > 0;
        if (q->distinct && stmt->distinct_clause[0] != NULL &&
            stmt->distinct_clause[0]->node_case != PG_QUERY__NODE__NODE__NOT_SET) {
            db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED, "DISTINCT ON is not supported yet");
            goto done;
        }
    }
    if (stmt->n_sort_clause) {
        q->sort = mem_alloc0(ac->cx, sizeof(SortKey) * stmt->n_sort_clause);
        for (size_t i = 0; i < stmt->n_sort_clause; i++)
            if (analyze_sort_key(ac, q, stmt->sort_clause[i]->sort_by, &q->sort[i],
                                 q->setop != SETOP_NONE || q->n_rows, err) != 0)
                goto done;
        q->n_sort = stmt->n_sort_clause;
    }
    if (q->has_grouping) {
        for (size_t i = 0; i < q->n_targets; i++)
            if (check_grouped(ac, q, q->targets[i].expr, err) != 0) goto done;
        if (q->having && check_grouped(ac, q, q->having, err) != 0) goto done;
        for (size_t i = 0; i < q->n_sort; i++)
            if (check_grouped(ac, q, q->sort[i].expr, err) != 0) goto done;
    }
    if (q->distinct) {
        /* With DISTINCT, ORDER BY expressions must be output columns. */
        for (size_t i = 0; i < q->n_sort; i++)
            if (q->sort[i].target < 0) {
                bool found = false;
                for (size_t t = 0; t < q->n_targets && !found; t++)
                    if (expr_equal(q->targets[t].expr, q->sort[i].expr)) {
                        q->sort[i].target = (int)t;
                        found = true;
                    }
                if (!found) {
                    analyze_error_at(ac, err, q->sort[i].expr->location,
                                     SQLSTATE_INVALID_COLUMN_REFERENCE,
                                     "for SELECT DISTINCT, ORDER BY expressions must appear in "
                                     "select list");
                    goto done;
                }
            }
    }
    ac->agg_query = NULL;
    const PgQuery__Node *lim_nodes[2] = {stmt->limit_count, stmt->limit_offset};
    Expr **lim_out[2] = {&q->limit, &q->offset};
    for (int i = 0; i < 2; i++) {
        if (!lim_nodes[i]) continue;
        if (lim_nodes[i]->node_case == PG_QUERY__NODE__NODE_A_CONST &&
            lim_nodes[i]->a_const->isnull)
            continue; /* LIMIT ALL / LIMIT NULL */
        if (analyze_expr(ac, lim_nodes[i], lim_out[i], err) != 0) goto done;
        if (analyze_coerce(ac, *lim_out[i], TYPE_INT8, -1, false, lim_out[i], err) != 0) goto done;
    }
    rc = 0;
    *out = q;
done:
    ac->scope = saved_scope;
    ac->agg_query = saved_agg;
    ac->ctes = saved_ctes;
    return rc;
}
