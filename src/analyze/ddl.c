/*
 * CREATE TABLE analysis: columns, types, NOT NULL, PRIMARY KEY (column or
 * table constraint) → a TableDesc for catalog_table_create().  DSQL's DDL
 * rules (one DDL per transaction, no DDL+DML) are checked by the session.
 */
#include <string.h>

#include "analyze/analyze.h"

int analyze_create_table(AnalyzeContext *ac, const PgQuery__CreateStmt *stmt, TableDesc **out,
                         DbError *err)
{
    const PgQuery__RangeVar *rv = stmt->relation;
    if (rv->relpersistence && rv->relpersistence[0] == 't')
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                            "TEMPORARY or TEMP table not supported for CREATE TABLE");
    if (rv->relpersistence && rv->relpersistence[0] == 'u')
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                            "UNLOGGED table not supported for CREATE TABLE");
    if (stmt->n_inh_relations || stmt->partspec || stmt->partbound || stmt->of_typename)
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                            "this form of CREATE TABLE is not supported");
    TableDesc *d = mem_alloc0(ac->cx, sizeof *d);
    d->schema = rv->schemaname && rv->schemaname[0] ? rv->schemaname : "public";
    d->name = rv->relname;
    d->columns = mem_alloc0(ac->cx, sizeof(ColumnDesc) * (stmt->n_table_elts + 1));
    d->pk = mem_alloc0(ac->cx, sizeof(uint16_t) * (stmt->n_table_elts + 1));
    bool have_pk = false;
    for (size_t i = 0; i < stmt->n_table_elts; i++) {
        const PgQuery__Node *elt = stmt->table_elts[i];
        if (elt->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF) {
            const PgQuery__ColumnDef *cd = elt->column_def;
            if (catalog_column_index(d, cd->colname) >= 0)
                return analyze_error_at(ac, err, cd->location, SQLSTATE_DUPLICATE_COLUMN,
                                        "column \"%s\" specified more than once", cd->colname);
            if (d->n_columns >= CATALOG_MAX_COLUMNS)
                return db_error_set(err, SQLSTATE_TOO_MANY_COLUMNS,
                                    "tables can have at most %d columns", CATALOG_MAX_COLUMNS);
            ColumnDesc *c = &d->columns[d->n_columns];
            c->name = cd->colname;
            c->id = ++d->next_column_id;
            if (analyze_type_name(ac, cd->type_name, &c->type, &c->typmod, err) != 0) return -1;
            for (size_t k = 0; k < cd->n_constraints; k++) {
                const PgQuery__Constraint *con = cd->constraints[k]->constraint;
                switch (con->contype) {
                case PG_QUERY__CONSTR_TYPE__CONSTR_NOTNULL:
                    c->not_null = true;
                    break;
                case PG_QUERY__CONSTR_TYPE__CONSTR_NULL:
                    break;
                case PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY:
                    if (have_pk)
                        return analyze_error_at(ac, err, con->location,
                                                SQLSTATE_INVALID_TABLE_DEFINITION,
                                                "multiple primary keys for table \"%s\" are not "
                                                "allowed",
                                                d->name);
                    have_pk = true;
                    c->not_null = true;
                    d->pk[0] = (uint16_t)d->n_columns;
                    d->n_pk = 1;
                    break;
                default:
                    return analyze_error_at(ac, err, con->location, SQLSTATE_FEATURE_NOT_SUPPORTED,
                                            "this column constraint is not supported yet");
                }
            }
            d->n_columns++;
        } else if (elt->node_case == PG_QUERY__NODE__NODE_CONSTRAINT &&
                   elt->constraint->contype == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY) {
            const PgQuery__Constraint *con = elt->constraint;
            if (have_pk)
                return analyze_error_at(ac, err, con->location, SQLSTATE_INVALID_TABLE_DEFINITION,
                                        "multiple primary keys for table \"%s\" are not allowed",
                                        d->name);
            have_pk = true;
            for (size_t k = 0; k < con->n_keys; k++) {
                const char *name = con->keys[k]->string->sval;
                int ci = catalog_column_index(d, name);
                if (ci < 0)
                    return analyze_error_at(ac, err, con->location, SQLSTATE_UNDEFINED_COLUMN,
                                            "column \"%s\" named in key does not exist", name);
                d->columns[ci].not_null = true;
                d->pk[d->n_pk++] = (uint16_t)ci;
            }
        } else {
            return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                                "this table element is not supported yet");
        }
    }
    *out = d;
    return 0;
}
