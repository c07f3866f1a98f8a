/*
 * ALTER TABLE in exactly DSQL's supported forms (spec §6.4), producing the
 * altered descriptor; the session writes it through the catalog.  Columns
 * keep their ids, so ADD and DROP COLUMN rewrite no rows: row values are
 * tagged by column id, and a dropped id is simply never read again.
 *
 * Supported: ADD COLUMN [IF NOT EXISTS] without constraints, DROP COLUMN
 * [IF EXISTS], ALTER COLUMN SET/DROP DEFAULT, DROP NOT NULL, ADD CONSTRAINT
 * CHECK … NOT VALID, DROP CONSTRAINT [IF EXISTS], RENAME COLUMN/CONSTRAINT/TO.
 * Refused with DSQL's texts: ADD COLUMN with a constraint or default,
 * SET DATA TYPE, ADD PRIMARY KEY/UNIQUE, CHECK without NOT VALID.
 */
#include <string.h>

#include "analyze/analyze.h"

static TableDesc *desc_copy(AnalyzeContext *ac, const TableDesc *old)
{
    TableDesc *d = mem_alloc0(ac->cx, sizeof *d);
    *d = *old;
    d->columns = mem_alloc0(ac->cx, sizeof(ColumnDesc) * (old->n_columns + 2));
    memcpy(d->columns, old->columns, sizeof(ColumnDesc) * old->n_columns);
    d->pk = mem_alloc0(ac->cx, sizeof(uint16_t) * (old->n_pk + 1));
    if (old->n_pk) memcpy(d->pk, old->pk, sizeof(uint16_t) * old->n_pk);
    d->checks = mem_alloc0(ac->cx, sizeof(CheckDesc) * (old->n_checks + 1));
    if (old->n_checks) memcpy(d->checks, old->checks, sizeof(CheckDesc) * old->n_checks);
    return d;
}

static bool column_in_pk(const TableDesc *d, int c)
{
    for (size_t i = 0; i < d->n_pk; i++)
        if (d->pk[i] == (uint16_t)c) return true;
    return false;
}

static int no_column(const TableDesc *d, const char *name, DbError *err)
{
    return db_error_set(err, SQLSTATE_UNDEFINED_COLUMN,
                        "column \"%s\" of relation \"%s\" does not exist", name, d->name);
}

static int alter_add_column(AnalyzeContext *ac, TableDesc *d, const PgQuery__AlterTableCmd *cmd,
                            bool *skipped, DbError *err)
{
    const PgQuery__ColumnDef *cd = cmd->def->column_def;
    if (catalog_column_index(d, cd->colname) >= 0) {
        if (cmd->missing_ok) {
            *skipped = true;
            return 0;
        }
        return db_error_set(err, SQLSTATE_DUPLICATE_COLUMN,
                            "column \"%s\" of relation \"%s\" already exists", cd->colname,
                            d->name);
    }
    for (size_t i = 0; i < cd->n_constraints; i++) {
        PgQuery__ConstrType t = cd->constraints[i]->constraint->contype;
        if (t != PG_QUERY__CONSTR_TYPE__CONSTR_NULL)
            return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                                "ALTER TABLE ADD COLUMN with constraint not supported");
    }
    if (cd->raw_default)
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                            "ALTER TABLE ADD COLUMN with constraint not supported");
    if (d->n_columns >= CATALOG_MAX_COLUMNS)
        return db_error_set(err, SQLSTATE_TOO_MANY_COLUMNS, "tables can have at most %d columns",
                            CATALOG_MAX_COLUMNS);
    ColumnDesc *c = &d->columns[d->n_columns];
    memset(c, 0, sizeof *c);
    c->name = cd->colname;
    if (analyze_column_type(ac, cd->type_name, c, err) != 0) return -1;
    c->id = ++d->next_column_id;
    d->n_columns++;
    return 0;
}

static int alter_drop_column(TableDesc *d, const PgQuery__AlterTableCmd *cmd, bool *skipped,
                             DbError *err)
{
    int c = catalog_column_index(d, cmd->name);
    if (c < 0) {
        if (cmd->missing_ok) {
            *skipped = true;
            return 0;
        }
        return no_column(d, cmd->name, err);
    }
    if (column_in_pk(d, c))
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                            "cannot drop primary key column %s", cmd->name);
    memmove(&d->columns[c], &d->columns[c + 1], sizeof(ColumnDesc) * (d->n_columns - c - 1));
    d->n_columns--;
    for (size_t i = 0; i < d->n_pk; i++)
        if (d->pk[i] > (uint16_t)c) d->pk[i]--;
    return 0;
}

static int alter_constraint(AnalyzeContext *ac, TableDesc *d, const PgQuery__AlterTableCmd *cmd,
                            DbError *err)
{
    const PgQuery__Constraint *con = cmd->def->constraint;
    if (con->contype != PG_QUERY__CONSTR_TYPE__CONSTR_CHECK || !con->skip_validation)
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                            "unsupported ALTER TABLE ADD CONSTRAINT statement");
    /* NOT VALID: new and updated rows are checked from now on; existing
     * rows are for ALTER TABLE ASYNC … VALIDATE CONSTRAINT. */
    PgQuery__Constraint copy = *con;
    copy.skip_validation = false;
    return analyze_add_check(ac, d, &copy, NULL, err);
}

static int alter_drop_constraint(TableDesc *d, const PgQuery__AlterTableCmd *cmd, bool *skipped,
                                 DbError *err)
{
    for (size_t i = 0; i < d->n_checks; i++) {
        if (strcmp(d->checks[i].name, cmd->name) != 0) continue;
        memmove(&d->checks[i], &d->checks[i + 1], sizeof(CheckDesc) * (d->n_checks - i - 1));
        d->n_checks--;
        return 0;
    }
    if (cmd->missing_ok) {
        *skipped = true;
        return 0;
    }
    return db_error_set(err, SQLSTATE_UNDEFINED_OBJECT,
                        "constraint \"%s\" of relation \"%s\" does not exist", cmd->name, d->name);
}

int analyze_alter_table(AnalyzeContext *ac, const PgQuery__AlterTableStmt *stmt,
                        const TableDesc *old, TableDesc **out, StrBuf *notices, DbError *err)
{
    TableDesc *d = desc_copy(ac, old);
    for (size_t i = 0; i < stmt->n_cmds; i++) {
        const PgQuery__AlterTableCmd *cmd = stmt->cmds[i]->alter_table_cmd;
        bool skipped = false;
        int rc;
        int c;
        switch (cmd->subtype) {
        case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn:
            rc = alter_add_column(ac, d, cmd, &skipped, err);
            break;
        case PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumn:
            rc = alter_drop_column(d, cmd, &skipped, err);
            break;
        case PG_QUERY__ALTER_TABLE_TYPE__AT_ColumnDefault:
            c = catalog_column_index(d, cmd->name);
            if (c < 0) return no_column(d, cmd->name, err);
            d->columns[c].default_expr = NULL;
            rc = cmd->def ? parse_deparse_expr(ac->cx, cmd->def,
                                               (char **)&d->columns[c].default_expr, err)
                          : 0;
            break;
        case PG_QUERY__ALTER_TABLE_TYPE__AT_DropNotNull:
            c = catalog_column_index(d, cmd->name);
            if (c < 0) return no_column(d, cmd->name, err);
            if (column_in_pk(d, c))
                return db_error_set(err, SQLSTATE_INVALID_TABLE_DEFINITION,
                                    "column \"%s\" is in a primary key", cmd->name);
            d->columns[c].not_null = false;
            rc = 0;
            break;
        case PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType:
            return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                                "unsupported ALTER TABLE ALTER COLUMN ... SET DATA TYPE statement");
        case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint:
            rc = alter_constraint(ac, d, cmd, err);
            break;
        case PG_QUERY__ALTER_TABLE_TYPE__AT_DropConstraint:
            rc = alter_drop_constraint(d, cmd, &skipped, err);
            break;
        case PG_QUERY__ALTER_TABLE_TYPE__AT_ValidateConstraint:
            return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                                "unsupported ALTER TABLE VALIDATE CONSTRAINT statement");
        default:
            return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                                "unsupported ALTER TABLE statement");
        }
        if (rc != 0) return -1;
        /* IF [NOT] EXISTS that skipped: PostgreSQL's notice, one per line. */
        if (skipped && cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn)
            strbuf_appendf(notices, "column \"%s\" of relation \"%s\" already exists, skipping\n",
                           cmd->def->column_def->colname, d->name);
        else if (skipped && cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumn)
            strbuf_appendf(notices, "column \"%s\" of relation \"%s\" does not exist, skipping\n",
                           cmd->name, d->name);
        else if (skipped)
            strbuf_appendf(notices,
                           "constraint \"%s\" of relation \"%s\" does not exist, skipping\n",
                           cmd->name, d->name);
    }
    *out = d;
    return 0;
}

int analyze_rename(AnalyzeContext *ac, const PgQuery__RenameStmt *stmt, const TableDesc *old,
                   TableDesc **out, DbError *err)
{
    TableDesc *d = desc_copy(ac, old);
    switch (stmt->rename_type) {
    case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE:
        d->name = stmt->newname;
        break;
    case PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN: {
        int c = catalog_column_index(d, stmt->subname);
        if (c < 0) return no_column(d, stmt->subname, err);
        if (catalog_column_index(d, stmt->newname) >= 0)
            return db_error_set(err, SQLSTATE_DUPLICATE_COLUMN,
                                "column \"%s\" of relation \"%s\" already exists", stmt->newname,
                                d->name);
        d->columns[c].name = stmt->newname;
        break;
    }
    case PG_QUERY__OBJECT_TYPE__OBJECT_TABCONSTRAINT: {
        size_t i = 0;
        while (i < d->n_checks && strcmp(d->checks[i].name, stmt->subname) != 0)
            i++;
        if (i == d->n_checks)
            return db_error_set(err, SQLSTATE_UNDEFINED_OBJECT,
                                "constraint \"%s\" for table \"%s\" does not exist", stmt->subname,
                                d->name);
        d->checks[i].name = stmt->newname;
        break;
    }
    default:
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                            "unsupported object in RENAME statement");
    }
    *out = d;
    return 0;
}
