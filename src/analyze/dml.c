/*
 * INSERT, UPDATE and DELETE: the target table, the column list, the rows
 * (VALUES or a SELECT), SET clauses and WHERE.  Values are coerced to the
 * column types with assignment rules here; NOT NULL, keys and limits are
 * checked when exec writes.
 */
#include <string.h>

#include "analyze/analyze.h"
#include "catalog/role.h"

/* UPDATE/DELETE read their target as the query's one range. */
static Scope *target_scope(AnalyzeContext *ac, Query *q, const PgQuery__RangeVar *rv)
{
    q->range = analyze_range_for_table(ac, q, q->target, rv->alias ? rv->alias->aliasname : NULL);
    FromItem *it = mem_alloc0(ac->cx, sizeof *it);
    it->range = q->range;
    it->first_column = q->range->first_column;
    it->n_columns = q->range->n_columns;
    q->n_from = 1;
    q->from = mem_alloc0(ac->cx, sizeof(FromItem *));
    q->from[0] = it;
    Scope *sc = mem_alloc0(ac->cx, sizeof *sc);
    sc->ranges = q->ranges;
    sc->n_ranges = q->n_ranges;
    sc->parent = ac->scope;
    return sc;
}

/* Analyzes stored expression text (a DEFAULT or CHECK) in a scope. */
static int analyze_stored(AnalyzeContext *ac, const char *text, const Scope *scope, Expr **out,
                          DbError *err)
{
    PgQuery__Node *n;
    if (parse_expr(ac->cx, text, &n, err) != 0) return -1;
    const char *saved_sql = ac->sql;
    const Scope *saved_scope = ac->scope;
    Query *saved_agg = ac->agg_query;
    ac->sql = NULL;
    ac->scope = scope;
    ac->agg_query = NULL;
    int rc = analyze_expr(ac, n, out, err);
    ac->sql = saved_sql;
    ac->scope = saved_scope;
    ac->agg_query = saved_agg;
    return rc;
}

int analyze_table_checks(AnalyzeContext *ac, TableDesc *t, Expr ***out, DbError *err)
{
    *out = NULL;
    if (!t->n_checks) return 0;
    Query tmp = {0};
    analyze_range_for_table(ac, &tmp, t, NULL);
    Scope sc = {.ranges = tmp.ranges, .n_ranges = tmp.n_ranges};
    Expr **checks = mem_alloc0(ac->cx, sizeof(Expr *) * t->n_checks);
    for (size_t i = 0; i < t->n_checks; i++) {
        if (analyze_stored(ac, t->checks[i].expr, &sc, &checks[i], err) != 0) return -1;
        if (analyze_coerce(ac, checks[i], TYPE_BOOL, -1, false, &checks[i], err) != 0) return -1;
    }
    *out = checks;
    return 0;
}

int analyze_table_defaults(AnalyzeContext *ac, TableDesc *t, Expr ***out, DbError *err)
{
    Expr **defs = mem_alloc0(ac->cx, sizeof(Expr *) * (t->n_columns + 1));
    Scope empty = {0};
    for (size_t c = 0; c < t->n_columns; c++) {
        const ColumnDesc *col = &t->columns[c];
        if (!col->default_expr) continue;
        if (analyze_stored(ac, col->default_expr, &empty, &defs[c], err) != 0) return -1;
        if (analyze_coerce(ac, defs[c], col->type, col->typmod, false, &defs[c], err) != 0)
            return -1;
    }
    *out = defs;
    return 0;
}

/* RETURNING: a target list over the written row (the target's range). */
static int analyze_returning(AnalyzeContext *ac, Query *q, PgQuery__Node *const *list, size_t n,
                             DbError *err)
{
    if (!n) return 0;
    Scope sc = {.ranges = q->ranges, .n_ranges = 1, .parent = ac->scope};
    const Scope *saved = ac->scope;
    ac->scope = &sc;
    size_t cap = n + q->target->n_columns;
    q->returning = mem_alloc0(ac->cx, sizeof(TargetEntry) * (cap + 1));
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const PgQuery__ResTarget *rt = list[i]->res_target;
        const PgQuery__Node *v = rt->val;
        if (v->node_case == PG_QUERY__NODE__NODE_COLUMN_REF &&
            v->column_ref->fields[v->column_ref->n_fields - 1]->node_case ==
                PG_QUERY__NODE__NODE_A_STAR) {
            const RangeEntry *r = q->ranges[0];
            for (size_t c = 0; c < r->n_columns; c++) {
                Expr *e = mem_alloc0(ac->cx, sizeof *e);
                e->kind = EXPR_COLUMN;
                e->type = r->column_types[c];
                e->typmod = r->column_typmods[c];
                e->column = (int)c;
                e->location = -1;
                q->returning[q->n_returning].expr = e;
                q->returning[q->n_returning++].name = r->column_names[c];
            }
            continue;
        }
        TargetEntry *te = &q->returning[q->n_returning++];
        rc = analyze_expr(ac, v, &te->expr, err);
        if (rc == 0 && te->expr->type == TYPE_UNKNOWN)
            rc = analyze_coerce(ac, te->expr, TYPE_TEXT, -1, false, &te->expr, err);
        te->name = rt->name && rt->name[0] ? rt->name : analyze_column_name(v);
    }
    ac->scope = saved;
    return rc;
}

static int column_of(AnalyzeContext *ac, const TableDesc *t, const char *name, int location,
                     DbError *err);
static int analyze_value(AnalyzeContext *ac, const PgQuery__Node *n, const ColumnDesc *col,
                         Expr **out, DbError *err);

/* ON CONFLICT [(cols) | ON CONSTRAINT name] DO NOTHING | DO UPDATE SET … [WHERE …].
 * Only the primary key can conflict today (unique indexes come with
 * CREATE INDEX ASYNC), so an inference target must name it. */
static int analyze_on_conflict(AnalyzeContext *ac, Query *q, const PgQuery__OnConflictClause *oc,
                               DbError *err)
{
    const TableDesc *t = q->target;
    if (oc->infer && oc->infer->n_index_elems) {
        bool is_pk = oc->infer->n_index_elems == t->n_pk;
        for (size_t i = 0; is_pk && i < oc->infer->n_index_elems; i++) {
            const PgQuery__IndexElem *ie = oc->infer->index_elems[i]->index_elem;
            int c = ie->name ? catalog_column_index(t, ie->name) : -1;
            bool found = false;
            for (size_t k = 0; k < t->n_pk; k++)
                if (c >= 0 && t->pk[k] == (uint16_t)c) found = true;
            is_pk = found;
        }
        if (!is_pk)
            return db_error_set(err, SQLSTATE_INVALID_COLUMN_REFERENCE,
                                "there is no unique or exclusion constraint matching the ON "
                                "CONFLICT specification");
    }
    if (oc->action == PG_QUERY__ON_CONFLICT_ACTION__ONCONFLICT_NOTHING) {
        q->on_conflict = CONFLICT_NOTHING;
        return 0;
    }
    if (!oc->infer || (!oc->infer->n_index_elems && !oc->infer->conname))
        return db_error_set(err, SQLSTATE_SYNTAX_ERROR,
                            "ON CONFLICT DO UPDATE requires inference specification or constraint "
                            "name");
    q->on_conflict = CONFLICT_UPDATE;
    /* The row is [existing][excluded]: the target's range, then EXCLUDED. */
    RangeEntry *ex = analyze_range_for_table(ac, q, q->target, "excluded");
    (void)ex;
    Scope sc = {.ranges = q->ranges, .n_ranges = q->n_ranges, .parent = ac->scope};
    const Scope *saved = ac->scope;
    ac->scope = &sc;
    q->n_conflict_set = oc->n_target_list;
    q->conflict_set = mem_alloc0(ac->cx, sizeof(SetClause) * (oc->n_target_list + 1));
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < oc->n_target_list; i++) {
        const PgQuery__ResTarget *rt = oc->target_list[i]->res_target;
        int c = column_of(ac, t, rt->name, rt->location, err);
        if (c < 0) {
            rc = -1;
            break;
        }
        q->conflict_set[i].column = c;
        rc = analyze_value(ac, rt->val, &t->columns[c], &q->conflict_set[i].expr, err);
    }
    if (rc == 0 && oc->where_clause) {
        rc = analyze_expr(ac, oc->where_clause, &q->conflict_where, err);
        if (rc == 0)
            rc = analyze_coerce(ac, q->conflict_where, TYPE_BOOL, -1, false, &q->conflict_where,
                                err);
    }
    ac->scope = saved;
    return rc;
}

static int column_of(AnalyzeContext *ac, const TableDesc *t, const char *name, int location,
                     DbError *err)
{
    int c = catalog_column_index(t, name);
    if (c < 0)
        return analyze_error_at(ac, err, location, SQLSTATE_UNDEFINED_COLUMN,
                                "column \"%s\" of relation \"%s\" does not exist", name, t->name);
    return c;
}

/* A value for a column: DEFAULT becomes a NULL constant until column
 * defaults are evaluated (they are not stored yet). */
static int analyze_value(AnalyzeContext *ac, const PgQuery__Node *n, const ColumnDesc *col,
                         Expr **out, DbError *err)
{
    if (n->node_case == PG_QUERY__NODE__NODE_SET_TO_DEFAULT) {
        Expr *e = mem_alloc0(ac->cx, sizeof *e);
        e->kind = EXPR_CONST;
        e->type = col->type;
        e->typmod = col->typmod;
        e->location = n->set_to_default->location;
        e->value = datum_null(col->type);
        *out = e;
        return 0;
    }
    Expr *e;
    if (analyze_expr(ac, n, &e, err) != 0) return -1;
    return analyze_coerce(ac, e, col->type, col->typmod, false, out, err);
}

int analyze_insert(AnalyzeContext *ac, const PgQuery__InsertStmt *stmt, Query **out, DbError *err)
{
    if (stmt->with_clause)
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                            "this form of INSERT is not supported yet");
    Query *q = mem_alloc0(ac->cx, sizeof *q);
    q->kind = QUERY_INSERT;
    if (analyze_table(ac, stmt->relation, &q->target, err) != 0) return -1;
    if (ac->role && catalog_check_table_privilege(ac->txn, ac->role, q->target, 'a', err) != 0)
        return -1;
    const TableDesc *t = q->target;
    analyze_range_for_table(ac, q, q->target,
                            stmt->relation->alias ? stmt->relation->alias->aliasname : NULL);
    if (analyze_table_checks(ac, q->target, &q->checks, err) != 0) return -1;
    if (analyze_table_defaults(ac, q->target, &q->defaults, err) != 0) return -1;
    if (stmt->n_cols) {
        q->n_insert_cols = stmt->n_cols;
        q->insert_cols = mem_alloc0(ac->cx, sizeof(int) * stmt->n_cols);
        for (size_t i = 0; i < stmt->n_cols; i++) {
            const PgQuery__ResTarget *rt = stmt->cols[i]->res_target;
            int c = column_of(ac, t, rt->name, rt->location, err);
            if (c < 0) return -1;
            for (size_t k = 0; k < i; k++)
                if (q->insert_cols[k] == c)
                    return analyze_error_at(ac, err, rt->location, SQLSTATE_DUPLICATE_COLUMN,
                                            "column \"%s\" specified more than once", rt->name);
            q->insert_cols[i] = c;
        }
    } else {
        /* Without a column list the values fill the leading columns; the
         * rest take their defaults. */
        const PgQuery__SelectStmt *src = stmt->select_stmt ? stmt->select_stmt->select_stmt : NULL;
        size_t n = t->n_columns;
        if (src && src->n_values_lists)
            n = src->values_lists[0]->list->n_items;
        else if (src && src->op == PG_QUERY__SET_OPERATION__SETOP_NONE && src->n_target_list &&
                 src->target_list[0]->res_target->val->node_case != PG_QUERY__NODE__NODE_COLUMN_REF)
            n = src->n_target_list;
        if (n > t->n_columns)
            return db_error_set(err, SQLSTATE_SYNTAX_ERROR,
                                "INSERT has more expressions than target columns");
        q->n_insert_cols = n;
        q->insert_cols = mem_alloc0(ac->cx, sizeof(int) * (n + 1));
        for (size_t i = 0; i < n; i++)
            q->insert_cols[i] = (int)i;
    }

    const PgQuery__SelectStmt *sel = stmt->select_stmt ? stmt->select_stmt->select_stmt : NULL;
    if (!sel)
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                            "INSERT DEFAULT VALUES is not supported yet");
    if (sel->n_values_lists) {
        q->n_rows = sel->n_values_lists;
        q->rows = mem_alloc0(ac->cx, sizeof(Expr **) * q->n_rows);
        for (size_t r = 0; r < q->n_rows; r++) {
            const PgQuery__List *list = sel->values_lists[r]->list;
            if (list->n_items > q->n_insert_cols)
                return analyze_error_at(ac, err, -1, SQLSTATE_SYNTAX_ERROR,
                                        "INSERT has more expressions than target columns");
            if (list->n_items < q->n_insert_cols)
                return db_error_set(err, SQLSTATE_SYNTAX_ERROR,
                                    "INSERT has more target columns than expressions");
            q->rows[r] = mem_alloc0(ac->cx, sizeof(Expr *) * (list->n_items + 1));
            for (size_t i = 0; i < list->n_items; i++) {
                const PgQuery__Node *item = list->items[i];
                const ColumnDesc *col = &t->columns[q->insert_cols[i]];
                if (col->identity == COLUMN_IDENTITY_ALWAYS &&
                    item->node_case != PG_QUERY__NODE__NODE_SET_TO_DEFAULT &&
                    stmt->override != PG_QUERY__OVERRIDING_KIND__OVERRIDING_SYSTEM_VALUE) {
                    db_error_set(err, SQLSTATE_GENERATED_ALWAYS,
                                 "cannot insert a non-DEFAULT value into column \"%s\"", col->name);
                    db_error_detail(err,
                                    "Column \"%s\" is an identity column defined as "
                                    "GENERATED ALWAYS.",
                                    col->name);
                    db_error_hint(err, "Use OVERRIDING SYSTEM VALUE to override.");
                    return -1;
                }
                if (item->node_case == PG_QUERY__NODE__NODE_SET_TO_DEFAULT &&
                    q->defaults[q->insert_cols[i]]) {
                    q->rows[r][i] = q->defaults[q->insert_cols[i]];
                    continue;
                }
                if (analyze_value(ac, item, &t->columns[q->insert_cols[i]], &q->rows[r][i], err) !=
                    0)
                    return -1;
            }
        }
    } else {
        if (analyze_select(ac, sel, &q->source, err) != 0) return -1;
        if (q->source->n_targets > q->n_insert_cols)
            return db_error_set(err, SQLSTATE_SYNTAX_ERROR,
                                "INSERT has more expressions than target columns");
        if (q->source->n_targets < q->n_insert_cols)
            return db_error_set(err, SQLSTATE_SYNTAX_ERROR,
                                "INSERT has more target columns than expressions");
        for (size_t i = 0; i < q->source->n_targets; i++) {
            const ColumnDesc *col = &t->columns[q->insert_cols[i]];
            if (analyze_coerce(ac, q->source->targets[i].expr, col->type, col->typmod, false,
                               &q->source->targets[i].expr, err) != 0)
                return -1;
        }
    }
    if (analyze_returning(ac, q, stmt->returning_list, stmt->n_returning_list, err) != 0) return -1;
    if (stmt->on_conflict_clause && analyze_on_conflict(ac, q, stmt->on_conflict_clause, err))
        return -1;
    *out = q;
    return 0;
}

static int analyze_where(AnalyzeContext *ac, const PgQuery__Node *w, Query *q, DbError *err)
{
    if (!w) return 0;
    if (analyze_expr(ac, w, &q->where, err) != 0) return -1;
    if (q->where->type != TYPE_BOOL)
        return analyze_error_at(ac, err, q->where->location, SQLSTATE_DATATYPE_MISMATCH,
                                "argument of WHERE must be type boolean, not type %s",
                                type_format_name(q->where->type, -1, ac->cx));
    return 0;
}

int analyze_update(AnalyzeContext *ac, const PgQuery__UpdateStmt *stmt, Query **out, DbError *err)
{
    if (stmt->with_clause)
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                            "this form of UPDATE is not supported yet");
    Query *q = mem_alloc0(ac->cx, sizeof *q);
    q->kind = QUERY_UPDATE;
    if (analyze_table(ac, stmt->relation, &q->target, err) != 0) return -1;
    if (ac->role && catalog_check_table_privilege(ac->txn, ac->role, q->target, 'w', err) != 0)
        return -1;
    const Scope *saved = ac->scope;
    ac->scope = target_scope(ac, q, stmt->relation);
    if (stmt->n_from_clause &&
        analyze_from(ac, q, (Scope *)ac->scope, stmt->from_clause, stmt->n_from_clause, err) != 0) {
        ac->scope = saved;
        return -1;
    }
    q->n_set = stmt->n_target_list;
    q->set = mem_alloc0(ac->cx, sizeof(SetClause) * (q->n_set + 1));
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < stmt->n_target_list; i++) {
        const PgQuery__ResTarget *rt = stmt->target_list[i]->res_target;
        int c = column_of(ac, q->target, rt->name, rt->location, err);
        if (c < 0) {
            rc = -1;
            break;
        }
        q->set[i].column = c;
        rc = analyze_value(ac, rt->val, &q->target->columns[c], &q->set[i].expr, err);
    }
    if (rc == 0) rc = analyze_where(ac, stmt->where_clause, q, err);
    ac->scope = saved;
    if (rc == 0) rc = analyze_table_checks(ac, q->target, &q->checks, err);
    if (rc == 0) rc = analyze_returning(ac, q, stmt->returning_list, stmt->n_returning_list, err);
    if (rc != 0) return -1;
    *out = q;
    return 0;
}

int analyze_delete(AnalyzeContext *ac, const PgQuery__DeleteStmt *stmt, Query **out, DbError *err)
{
    if (stmt->with_clause)
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                            "this form of DELETE is not supported yet");
    Query *q = mem_alloc0(ac->cx, sizeof *q);
    q->kind = QUERY_DELETE;
    if (analyze_table(ac, stmt->relation, &q->target, err) != 0) return -1;
    if (ac->role && catalog_check_table_privilege(ac->txn, ac->role, q->target, 'd', err) != 0)
        return -1;
    const Scope *saved = ac->scope;
    ac->scope = target_scope(ac, q, stmt->relation);
    if (stmt->n_using_clause && analyze_from(ac, q, (Scope *)ac->scope, stmt->using_clause,
                                             stmt->n_using_clause, err) != 0) {
        ac->scope = saved;
        return -1;
    }
    int rc = analyze_where(ac, stmt->where_clause, q, err);
    ac->scope = saved;
    if (rc == 0) rc = analyze_returning(ac, q, stmt->returning_list, stmt->n_returning_list, err);
    if (rc != 0) return -1;
    *out = q;
    return 0;
}
