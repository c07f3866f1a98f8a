/*
 * FROM: tables, generate_series, subqueries and VALUES in FROM, and joins
 * (comma lists, [INNER|LEFT|RIGHT|FULL] JOIN … ON/USING, CROSS JOIN).
 * Each leaf becomes a RangeEntry whose columns take the next slots of the
 * query's row; a join is a FromItem over two items.  Names in ON clauses
 * see the ranges analyzed so far, as in PostgreSQL.
 */
#include <string.h>

#include "analyze/analyze.h"
#include "catalog/role.h"
#include "catalog/view.h"
#include "catalog/views.h"

static RangeEntry *range_new(AnalyzeContext *ac, Query *q, RangeKind kind, const char *alias,
                             size_t n_columns)
{
    RangeEntry *r = mem_alloc0(ac->cx, sizeof *r);
    r->kind = kind;
    r->alias = alias;
    r->first_column = q->row_width;
    r->n_columns = n_columns;
    r->column_names = mem_alloc0(ac->cx, sizeof(char *) * (n_columns + 1));
    r->column_types = mem_alloc0(ac->cx, sizeof(uint32_t) * (n_columns + 1));
    r->column_typmods = mem_alloc0(ac->cx, sizeof(int32_t) * (n_columns + 1));
    q->row_width += n_columns;
    q->ranges = mem_realloc(ac->cx, q->ranges, sizeof(RangeEntry *) * q->n_ranges,
                            sizeof(RangeEntry *) * (q->n_ranges + 1));
    q->ranges[q->n_ranges++] = r;
    return r;
}

RangeEntry *analyze_range_for_table(AnalyzeContext *ac, Query *q, TableDesc *t, const char *alias)
{
    RangeEntry *r = range_new(ac, q, RANGE_TABLE, alias ? alias : t->name, t->n_columns);
    r->table = t;
    for (size_t i = 0; i < t->n_columns; i++) {
        r->column_names[i] = t->columns[i].name;
        r->column_types[i] = t->columns[i].type;
        r->column_typmods[i] = t->columns[i].typmod;
    }
    return r;
}

static void apply_column_aliases(RangeEntry *r, const PgQuery__Alias *alias)
{
    if (!alias) return;
    for (size_t i = 0; i < alias->n_colnames && i < r->n_columns; i++)
        r->column_names[i] = alias->colnames[i]->string->sval;
}

static int analyze_range_function(AnalyzeContext *ac, Query *q, const PgQuery__RangeFunction *rf,
                                  RangeEntry **out, DbError *err)
{
    const PgQuery__Node *call = rf->n_functions ? rf->functions[0]->list->items[0] : NULL;
    if (!call || call->node_case != PG_QUERY__NODE__NODE_FUNC_CALL || rf->n_functions != 1 ||
        rf->lateral || rf->ordinality)
        goto unsupported;
    const PgQuery__FuncCall *fc = call->func_call;
    const char *name = fc->funcname[fc->n_funcname - 1]->string->sval;
    if (strcmp(name, "generate_series") != 0 || fc->n_args < 2 || fc->n_args > 3) goto unsupported;
    Expr *args[3] = {NULL, NULL, NULL};
    uint32_t type = TYPE_INT4;
    for (size_t i = 0; i < fc->n_args; i++) {
        if (analyze_expr(ac, fc->args[i], &args[i], err) != 0) return -1;
        uint32_t t = args[i]->type;
        if (t == TYPE_INT8 && type == TYPE_INT4) type = TYPE_INT8;
        if (t == TYPE_NUMERIC) type = TYPE_NUMERIC;
    }
    for (size_t i = 0; i < fc->n_args; i++)
        if (analyze_coerce(ac, args[i], type, -1, false, &args[i], err) != 0) return -1;
    const char *alias = rf->alias ? rf->alias->aliasname : "generate_series";
    RangeEntry *r = range_new(ac, q, RANGE_GENERATE_SERIES, alias, 1);
    memcpy(r->series, args, sizeof args);
    r->column_names[0] = alias;
    r->column_types[0] = type;
    r->column_typmods[0] = -1;
    apply_column_aliases(r, rf->alias);
    *out = r;
    return 0;
unsupported:
    return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                        "this function in FROM is not supported yet");
}

/* A FROM name that is a WITH query: analyzed as a subquery in FROM, seeing
 * the WITH queries defined before it. */
static const PgQuery__CommonTableExpr *find_cte(const AnalyzeContext *ac, const char *name,
                                                const CteScope **where, size_t *index)
{
    for (const CteScope *cs = ac->ctes; cs; cs = cs->parent)
        for (size_t i = 0; i < cs->n; i++) {
            const PgQuery__CommonTableExpr *c = cs->ctes[i]->common_table_expr;
            if (strcmp(c->ctename, name) == 0) {
                *where = cs;
                *index = i;
                return c;
            }
        }
    return NULL;
}

static int analyze_range_cte(AnalyzeContext *ac, Query *q, const PgQuery__RangeVar *rv,
                             const PgQuery__CommonTableExpr *cte, const CteScope *where,
                             size_t index, RangeEntry **out, DbError *err)
{
    if (cte->ctequery->node_case != PG_QUERY__NODE__NODE_SELECT_STMT)
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                            "data-modifying WITH queries are not supported yet");
    /* The CTE sees the WITH queries before it and the enclosing scopes. */
    CteScope before = {.n = index, .ctes = where->ctes, .parent = where->parent};
    const CteScope *saved_ctes = ac->ctes;
    const Scope *saved = ac->scope;
    Query *saved_agg = ac->agg_query;
    ac->ctes = &before;
    ac->scope = saved ? saved->parent : NULL;
    ac->agg_query = NULL;
    Query *sub;
    int rc = analyze_select(ac, cte->ctequery->select_stmt, &sub, err);
    ac->ctes = saved_ctes;
    ac->scope = saved;
    ac->agg_query = saved_agg;
    if (rc != 0) return -1;
    const char *alias = rv->alias ? rv->alias->aliasname : cte->ctename;
    RangeEntry *r = range_new(ac, q, RANGE_SUBQUERY, alias, sub->n_targets);
    r->subquery = sub;
    for (size_t i = 0; i < sub->n_targets; i++) {
        r->column_names[i] =
            i < cte->n_aliascolnames ? cte->aliascolnames[i]->string->sval : sub->targets[i].name;
        r->column_types[i] = sub->targets[i].expr->type;
        r->column_typmods[i] = sub->targets[i].expr->typmod;
    }
    apply_column_aliases(r, rv->alias);
    *out = r;
    return 0;
}

/* A view in FROM: its stored CREATE VIEW text parsed again, its query
 * read as a subquery that sees no enclosing names. */
static int analyze_range_view(AnalyzeContext *ac, Query *q, const PgQuery__RangeVar *rv,
                              const ViewDesc *v, RangeEntry **out, DbError *err)
{
    ParseResult pr;
    if (parse_sql(ac->cx, v->sql, &pr, err) != 0) return -1;
    if (pr.n_stmts != 1 || pr.stmts[0].node->node_case != PG_QUERY__NODE__NODE_VIEW_STMT)
        return db_error_set(err, SQLSTATE_DATA_CORRUPTED, "corrupt view \"%s\"", v->name);
    const PgQuery__ViewStmt *vs = pr.stmts[0].node->view_stmt;
    const Scope *saved = ac->scope;
    const char *saved_sql = ac->sql;
    const CteScope *saved_ctes = ac->ctes;
    Query *saved_agg = ac->agg_query;
    ac->scope = NULL;
    ac->sql = NULL;
    ac->ctes = NULL;
    ac->agg_query = NULL;
    Query *sub;
    int rc = analyze_select(ac, vs->query->select_stmt, &sub, err);
    ac->scope = saved;
    ac->sql = saved_sql;
    ac->ctes = saved_ctes;
    ac->agg_query = saved_agg;
    if (rc != 0) return -1;
    RangeEntry *r = range_new(ac, q, RANGE_SUBQUERY, rv->alias ? rv->alias->aliasname : v->name,
                              sub->n_targets);
    r->subquery = sub;
    for (size_t i = 0; i < sub->n_targets; i++) {
        r->column_names[i] =
            i < vs->n_aliases ? vs->aliases[i]->string->sval : sub->targets[i].name;
        r->column_types[i] = sub->targets[i].expr->type;
        r->column_typmods[i] = sub->targets[i].expr->typmod;
    }
    apply_column_aliases(r, rv->alias);
    *out = r;
    return 0;
}

static int analyze_range_subquery(AnalyzeContext *ac, Query *q, const PgQuery__RangeSubselect *rs,
                                  RangeEntry **out, DbError *err)
{
    if (rs->lateral)
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED, "LATERAL is not supported yet");
    if (!rs->alias)
        return db_error_set(err, SQLSTATE_SYNTAX_ERROR, "subquery in FROM must have an alias");
    Query *sub;
    /* A subquery in FROM sees the enclosing queries, not its siblings. */
    const Scope *saved = ac->scope;
    ac->scope = saved ? saved->parent : NULL;
    Query *saved_agg = ac->agg_query;
    ac->agg_query = NULL;
    int rc = analyze_select(ac, rs->subquery->select_stmt, &sub, err);
    ac->scope = saved;
    ac->agg_query = saved_agg;
    if (rc != 0) return -1;
    RangeEntry *r = range_new(ac, q, RANGE_SUBQUERY, rs->alias->aliasname, sub->n_targets);
    r->subquery = sub;
    for (size_t i = 0; i < sub->n_targets; i++) {
        r->column_names[i] = sub->targets[i].name;
        r->column_types[i] = sub->targets[i].expr->type;
        r->column_typmods[i] = sub->targets[i].expr->typmod;
    }
    apply_column_aliases(r, rs->alias);
    *out = r;
    return 0;
}

/* The scope of the query being analyzed covers the ranges made so far. */
static void scope_refresh(Query *q, Scope *scope)
{
    scope->ranges = q->ranges;
    scope->n_ranges = q->n_ranges;
}

static int analyze_from_item(AnalyzeContext *ac, Query *q, Scope *scope, const PgQuery__Node *n,
                             FromItem **out, DbError *err);

static Expr *column_expr(AnalyzeContext *ac, const RangeEntry *r, size_t c)
{
    Expr *e = mem_alloc0(ac->cx, sizeof *e);
    e->kind = EXPR_COLUMN;
    e->type = r->column_types[c];
    e->typmod = r->column_typmods[c];
    e->column = (int)(r->first_column + c);
    e->location = -1;
    return e;
}

/* The range of an item that holds a column named name (USING). */
static const RangeEntry *item_find_column(const Query *q, const FromItem *it, const char *name,
                                          size_t *col)
{
    for (size_t i = 0; i < q->n_ranges; i++) {
        const RangeEntry *r = q->ranges[i];
        if (r->first_column < it->first_column ||
            r->first_column + r->n_columns > it->first_column + it->n_columns)
            continue;
        for (size_t c = 0; c < r->n_columns; c++)
            if (strcmp(r->column_names[c], name) == 0) {
                *col = c;
                return r;
            }
    }
    return NULL;
}

static int analyze_join(AnalyzeContext *ac, Query *q, Scope *scope, const PgQuery__JoinExpr *je,
                        FromItem **out, DbError *err)
{
    FromItem *it = mem_alloc0(ac->cx, sizeof *it);
    it->first_column = q->row_width;
    switch (je->jointype) {
    case PG_QUERY__JOIN_TYPE__JOIN_INNER:
        it->join = JOIN_INNER;
        break;
    case PG_QUERY__JOIN_TYPE__JOIN_LEFT:
        it->join = JOIN_LEFT;
        break;
    case PG_QUERY__JOIN_TYPE__JOIN_RIGHT:
        it->join = JOIN_RIGHT;
        break;
    case PG_QUERY__JOIN_TYPE__JOIN_FULL:
        it->join = JOIN_FULL;
        break;
    default:
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED, "this join type is not supported");
    }
    if (je->is_natural)
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                            "NATURAL JOIN is not supported yet");
    if (analyze_from_item(ac, q, scope, je->larg, &it->left, err) != 0) return -1;
    if (analyze_from_item(ac, q, scope, je->rarg, &it->right, err) != 0) return -1;
    it->n_columns = q->row_width - it->first_column;
    scope_refresh(q, scope);
    if (je->quals) {
        if (analyze_expr(ac, je->quals, &it->quals, err) != 0) return -1;
        if (it->quals->type != TYPE_BOOL &&
            analyze_coerce(ac, it->quals, TYPE_BOOL, -1, false, &it->quals, err) != 0)
            return analyze_error_at(ac, err, it->quals->location, SQLSTATE_DATATYPE_MISMATCH,
                                    "argument of JOIN/ON must be type boolean, not type %s",
                                    type_format_name(it->quals->type, -1, ac->cx));
    } else if (je->n_using_clause) {
        Expr *and = mem_alloc0(ac->cx, sizeof *and);
        and->kind = EXPR_AND;
        and->type = TYPE_BOOL;
        and->location = -1;
        and->n_args = je->n_using_clause;
        and->args = mem_alloc0(ac->cx, sizeof(Expr *) * je->n_using_clause);
        for (size_t i = 0; i < je->n_using_clause; i++) {
            const char *name = je->using_clause[i]->string->sval;
            size_t lc, rc;
            const RangeEntry *lr = item_find_column(q, it->left, name, &lc);
            const RangeEntry *rr = item_find_column(q, it->right, name, &rc);
            if (!lr || !rr)
                return db_error_set(err, SQLSTATE_UNDEFINED_COLUMN,
                                    "column \"%s\" specified in USING clause does not exist in %s "
                                    "table",
                                    name, lr ? "right" : "left");
            Expr *eq = mem_alloc0(ac->cx, sizeof *eq);
            eq->kind = EXPR_OP;
            eq->op = OP_EQ;
            eq->type = TYPE_BOOL;
            eq->location = -1;
            eq->n_args = 2;
            eq->args = mem_alloc0(ac->cx, sizeof(Expr *) * 2);
            eq->args[0] = column_expr(ac, lr, lc);
            eq->args[1] = column_expr(ac, rr, rc);
            and->args[i] = eq;
        }
        it->quals = and;
    }
    *out = it;
    return 0;
}

static int analyze_from_item(AnalyzeContext *ac, Query *q, Scope *scope, const PgQuery__Node *n,
                             FromItem **out, DbError *err)
{
    RangeEntry *r = NULL;
    switch (n->node_case) {
    case PG_QUERY__NODE__NODE_RANGE_VAR: {
        const PgQuery__RangeVar *rv = n->range_var;
        const char *schema = rv->schemaname && rv->schemaname[0] ? rv->schemaname : NULL;
        const CteScope *where;
        size_t index;
        const PgQuery__CommonTableExpr *cte =
            schema ? NULL : find_cte(ac, rv->relname, &where, &index);
        if (cte) {
            if (analyze_range_cte(ac, q, rv, cte, where, index, &r, err) != 0) return -1;
            break;
        }
        const CatalogView *view = catalog_view_find(schema, rv->relname);
        if (view) {
            r = range_new(ac, q, RANGE_SYSTEM, rv->alias ? rv->alias->aliasname : view->name,
                          view->n_columns);
            r->sysview = view;
            for (size_t c = 0; c < view->n_columns; c++) {
                r->column_names[c] = view->columns[c].name;
                r->column_types[c] = view->columns[c].type;
                r->column_typmods[c] = -1;
            }
            apply_column_aliases(r, rv->alias);
            break;
        }
        ViewDesc *vd;
        bool is_view = false;
        if (catalog_view_lookup(ac->txn, schema ? schema : "public", rv->relname, ac->cx, &vd,
                                &is_view, err) != 0)
            return -1;
        if (is_view) {
            if (analyze_range_view(ac, q, rv, vd, &r, err) != 0) return -1;
            break;
        }
        TableDesc *t;
        if (analyze_table(ac, rv, &t, err) != 0) return -1;
        if (ac->role && catalog_check_table_privilege(ac->txn, ac->role, t, 'r', err) != 0)
            return -1;
        r = analyze_range_for_table(ac, q, t, rv->alias ? rv->alias->aliasname : NULL);
        apply_column_aliases(r, rv->alias);
        break;
    }
    case PG_QUERY__NODE__NODE_RANGE_FUNCTION:
        if (analyze_range_function(ac, q, n->range_function, &r, err) != 0) return -1;
        break;
    case PG_QUERY__NODE__NODE_RANGE_SUBSELECT:
        if (analyze_range_subquery(ac, q, n->range_subselect, &r, err) != 0) return -1;
        break;
    case PG_QUERY__NODE__NODE_JOIN_EXPR:
        return analyze_join(ac, q, scope, n->join_expr, out, err);
    default:
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                            "this FROM item is not supported yet");
    }
    /* Two FROM items may not share a name. */
    for (size_t i = 0; i + 1 < q->n_ranges; i++)
        if (strcmp(q->ranges[i]->alias, r->alias) == 0)
            return db_error_set(err, SQLSTATE_DUPLICATE_ALIAS,
                                "table name \"%s\" specified more than once", r->alias);
    FromItem *it = mem_alloc0(ac->cx, sizeof *it);
    it->range = r;
    it->first_column = r->first_column;
    it->n_columns = r->n_columns;
    scope_refresh(q, scope);
    *out = it;
    return 0;
}

int analyze_from(AnalyzeContext *ac, Query *q, Scope *scope, PgQuery__Node *const *items, size_t n,
                 DbError *err)
{
    /* Items are appended: UPDATE … FROM and DELETE … USING already hold the
     * target as item 0. */
    size_t first = q->n_from;
    q->from = mem_realloc(ac->cx, q->from, sizeof(FromItem *) * first,
                          sizeof(FromItem *) * (first + n + 1));
    q->n_from = first + n;
    for (size_t i = 0; i < n; i++)
        if (analyze_from_item(ac, q, scope, items[i], &q->from[first + i], err) != 0) return -1;
    return 0;
}
