/*
 * CREATE TABLE analysis: columns, types, NOT NULL, PRIMARY KEY (column or
 * table constraint) → a TableDesc for catalog_table_create().  DSQL's DDL
 * rules (one DDL per transaction, no DDL+DML) are checked by the session.
 */
#include <string.h>

#include "analyze/analyze.h"

/* Column types DSQL refuses that PostgreSQL has: the display name for
 * `datatype <t> not supported` (spec §4, §5.1). */
static const char *const unsupported_types[][2] = {
    {"money", "money"},
    {"xml", "xml"},
    {"inet", "inet"},
    {"cidr", "cidr"},
    {"macaddr", "macaddr"},
    {"macaddr8", "macaddr8"},
    {"point", "point"},
    {"line", "line"},
    {"lseg", "lseg"},
    {"box", "box"},
    {"path", "path"},
    {"polygon", "polygon"},
    {"circle", "circle"},
    {"tsvector", "tsvector"},
    {"tsquery", "tsquery"},
    {"int4range", "int4range"},
    {"int8range", "int8range"},
    {"numrange", "numrange"},
    {"tsrange", "tsrange"},
    {"tstzrange", "tstzrange"},
    {"daterange", "daterange"},
    {"pg_lsn", "pg_lsn"},
    {"bit", "bit"},
    {"varbit", "bit varying"},
    {"txid_snapshot", "txid_snapshot"},
    {"pg_snapshot", "pg_snapshot"},
};

/* Refuses column types DSQL does not store; fills defaults DSQL applies
 * (an unqualified numeric is numeric(18,6)). */
int analyze_column_type(AnalyzeContext *ac, const PgQuery__TypeName *tn, ColumnDesc *c,
                        DbError *err)
{
    const char *last = tn->names[tn->n_names - 1]->string->sval;
    for (size_t i = 0; i < ARRAY_LEN(unsupported_types); i++)
        if (strcmp(last, unsupported_types[i][0]) == 0)
            return analyze_error_at(ac, err, tn->location, SQLSTATE_FEATURE_NOT_SUPPORTED,
                                    "datatype %s not supported", unsupported_types[i][1]);
    if (tn->n_array_bounds) {
        PgQuery__TypeName elem = *tn;
        elem.n_array_bounds = 0;
        uint32_t oid;
        int32_t typmod;
        if (analyze_type_name(ac, &elem, &oid, &typmod, err) != 0) return -1;
        return analyze_error_at(ac, err, tn->location, SQLSTATE_FEATURE_NOT_SUPPORTED,
                                "datatype %s[] not supported", type_format_name(oid, -1, ac->cx));
    }
    if (analyze_type_name(ac, tn, &c->type, &c->typmod, err) != 0) return -1;
    if (c->type == TYPE_NUMERIC && tn->n_typmods == 0) c->typmod = type_typmod_numeric(18, 6);
    return 0;
}

/* The first column name an expression mentions, for PostgreSQL's default
 * CHECK constraint name <table>_<column>_check. */
static const char *first_column_name(const PgQuery__Node *n)
{
    if (!n) return NULL;
    if (n->node_case == PG_QUERY__NODE__NODE_COLUMN_REF) {
        const PgQuery__ColumnRef *cr = n->column_ref;
        const PgQuery__Node *last = cr->fields[cr->n_fields - 1];
        return last->node_case == PG_QUERY__NODE__NODE_STRING ? last->string->sval : NULL;
    }
    if (n->node_case == PG_QUERY__NODE__NODE_A_EXPR) {
        const char *c = first_column_name(n->a_expr->lexpr);
        return c ? c : first_column_name(n->a_expr->rexpr);
    }
    if (n->node_case == PG_QUERY__NODE__NODE_BOOL_EXPR) {
        for (size_t i = 0; i < n->bool_expr->n_args; i++) {
            const char *c = first_column_name(n->bool_expr->args[i]);
            if (c) return c;
        }
    }
    if (n->node_case == PG_QUERY__NODE__NODE_NULL_TEST) return first_column_name(n->null_test->arg);
    if (n->node_case == PG_QUERY__NODE__NODE_TYPE_CAST) return first_column_name(n->type_cast->arg);
    if (n->node_case == PG_QUERY__NODE__NODE_FUNC_CALL && n->func_call->n_args)
        return first_column_name(n->func_call->args[0]);
    return NULL;
}

int analyze_add_check(AnalyzeContext *ac, TableDesc *d, const PgQuery__Constraint *con,
                      const char *column, DbError *err)
{
    if (con->skip_validation)
        return analyze_error_at(ac, err, con->location, SQLSTATE_FEATURE_NOT_SUPPORTED,
                                "NOT VALID is not supported in CREATE TABLE");
    CheckDesc *ck = mem_alloc0(ac->cx, sizeof *ck);
    if (con->conname && con->conname[0]) {
        ck->name = con->conname;
    } else {
        const char *col = column ? column : first_column_name(con->raw_expr);
        const char *base = col ? mem_sprintf(ac->cx, "%s_%s_check", d->name, col)
                               : mem_sprintf(ac->cx, "%s_check", d->name);
        /* PostgreSQL numbers a generated name that is taken: t_a_check1. */
        ck->name = base;
        for (int k = 1;; k++) {
            bool taken = false;
            for (size_t i = 0; i < d->n_checks; i++)
                if (strcmp(d->checks[i].name, ck->name) == 0) taken = true;
            if (!taken) break;
            ck->name = mem_sprintf(ac->cx, "%s%d", base, k);
        }
    }
    if (parse_deparse_expr(ac->cx, con->raw_expr, (char **)&ck->expr, err) != 0) return -1;
    d->checks = mem_realloc(ac->cx, d->checks, sizeof(CheckDesc) * d->n_checks,
                            sizeof(CheckDesc) * (d->n_checks + 1));
    d->checks[d->n_checks++] = *ck;
    return 0;
}

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
            if (analyze_column_type(ac, cd->type_name, c, err) != 0) return -1;
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
                case PG_QUERY__CONSTR_TYPE__CONSTR_DEFAULT:
                    if (parse_deparse_expr(ac->cx, con->raw_expr, (char **)&c->default_expr, err) !=
                        0)
                        return -1;
                    break;
                case PG_QUERY__CONSTR_TYPE__CONSTR_CHECK:
                    if (analyze_add_check(ac, d, con, cd->colname, err) != 0) return -1;
                    break;
                case PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN:
                    return analyze_error_at(ac, err, con->location, SQLSTATE_FEATURE_NOT_SUPPORTED,
                                            "foreign keys are not supported yet");
                case PG_QUERY__CONSTR_TYPE__CONSTR_IDENTITY:
                    /* DSQL: identity columns are bigint; the sequence (and
                     * its CACHE rule) is made by the session. */
                    if (c->type != TYPE_INT8)
                        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                                            "datatype %s not supported, identity column type "
                                            "must be bigint",
                                            type_format_name(c->type, -1, ac->cx));
                    c->identity = con->generated_when && con->generated_when[0] == 'a'
                                      ? COLUMN_IDENTITY_ALWAYS
                                      : COLUMN_IDENTITY_BY_DEFAULT;
                    c->not_null = true;
                    c->default_expr = mem_sprintf(ac->cx, "nextval('%s.%s_%s_seq')", d->schema,
                                                  d->name, cd->colname);
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
        } else if (elt->node_case == PG_QUERY__NODE__NODE_CONSTRAINT &&
                   elt->constraint->contype == PG_QUERY__CONSTR_TYPE__CONSTR_CHECK) {
            if (analyze_add_check(ac, d, elt->constraint, NULL, err) != 0) return -1;
        } else if (elt->node_case == PG_QUERY__NODE__NODE_CONSTRAINT &&
                   elt->constraint->contype == PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN) {
            return analyze_error_at(ac, err, elt->constraint->location,
                                    SQLSTATE_FEATURE_NOT_SUPPORTED,
                                    "foreign keys are not supported yet");
        } else {
            return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                                "this table element is not supported yet");
        }
    }
    *out = d;
    return 0;
}
