/*
 * INSERT, UPDATE and DELETE: the target table, the column list, the rows
 * (VALUES or a SELECT), SET clauses and WHERE.  Values are coerced to the
 * column types with assignment rules here; NOT NULL, keys and limits are
 * checked when exec writes.
 */
#include <string.h>

#include "analyze/analyze.h"

/* UPDATE/DELETE read their target as the query's one range. */
static const Scope *target_scope(AnalyzeContext *ac, Query *q, const PgQuery__RangeVar *rv)
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
    if (stmt->on_conflict_clause || stmt->n_returning_list || stmt->with_clause)
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                            "this form of INSERT is not supported yet");
    Query *q = mem_alloc0(ac->cx, sizeof *q);
    q->kind = QUERY_INSERT;
    if (analyze_table(ac, stmt->relation, &q->target, err) != 0) return -1;
    const TableDesc *t = q->target;
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
        q->n_insert_cols = t->n_columns;
        q->insert_cols = mem_alloc0(ac->cx, sizeof(int) * (t->n_columns + 1));
        for (size_t i = 0; i < t->n_columns; i++)
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
            for (size_t i = 0; i < list->n_items; i++)
                if (analyze_value(ac, list->items[i], &t->columns[q->insert_cols[i]],
                                  &q->rows[r][i], err) != 0)
                    return -1;
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
    if (stmt->n_from_clause || stmt->n_returning_list || stmt->with_clause)
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                            "this form of UPDATE is not supported yet");
    Query *q = mem_alloc0(ac->cx, sizeof *q);
    q->kind = QUERY_UPDATE;
    if (analyze_table(ac, stmt->relation, &q->target, err) != 0) return -1;
    const Scope *saved = ac->scope;
    ac->scope = target_scope(ac, q, stmt->relation);
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
    if (rc != 0) return -1;
    *out = q;
    return 0;
}

int analyze_delete(AnalyzeContext *ac, const PgQuery__DeleteStmt *stmt, Query **out, DbError *err)
{
    if (stmt->n_using_clause || stmt->n_returning_list || stmt->with_clause)
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                            "this form of DELETE is not supported yet");
    Query *q = mem_alloc0(ac->cx, sizeof *q);
    q->kind = QUERY_DELETE;
    if (analyze_table(ac, stmt->relation, &q->target, err) != 0) return -1;
    const Scope *saved = ac->scope;
    ac->scope = target_scope(ac, q, stmt->relation);
    int rc = analyze_where(ac, stmt->where_clause, q, err);
    ac->scope = saved;
    if (rc != 0) return -1;
    *out = q;
    return 0;
}
