/*
 * Lint rules for ALTER TABLE, CREATE INDEX and sequence/identity options
 * (spec dsql-service §6.4, §6.5, §6.7).
 *
 * ALTER TABLE: DSQL runs ADD COLUMN (name and type only), DROP COLUMN,
 * SET/DROP DEFAULT, DROP NOT NULL, DROP EXPRESSION, identity changes, SET
 * STORAGE, ALTER/DROP CONSTRAINT, ADD CHECK/FOREIGN KEY ... NOT VALID, ADD
 * UNIQUE USING INDEX, OWNER TO and renames; ALTER TABLE ASYNC validates.
 * Everything else is refused with the messages below.  CREATE INDEX must be
 * ASYNC, without CONCURRENTLY, USING, WITH or TABLESPACE.  Sequences and
 * identity columns need an explicit CACHE of 1 or >= 65536 and bigint.
 */
#include <string.h>

#include "tools/tools_int.h"

#define LINT_MAX_INDEX_KEYS 8

static const char *const cache_suggestion =
    "Give CACHE explicitly: CACHE 1 keeps PostgreSQL's ordering, CACHE 65536 (or more) is "
    "faster but values may be out of order across sessions, with gaps.";

/* ---- sequence and identity options ---- */

static int cache_value_end(const LintCtx *lc, int cache_kw)
{
    LexToken t;
    lint_lex_next(lc->sql, lc->stmt_end, lint_lex_token_end(lc->sql, lc->stmt_end, cache_kw), &t);
    if (lint_tok_is(lc->sql, &t, "-") || lint_tok_is(lc->sql, &t, "+"))
        lint_lex_next(lc->sql, lc->stmt_end, t.end, &t);
    return t.end;
}

static int cache_value_start(const LintCtx *lc, int cache_kw)
{
    LexToken t;
    lint_lex_next(lc->sql, lc->stmt_end, lint_lex_token_end(lc->sql, lc->stmt_end, cache_kw), &t);
    return t.start;
}

static const char *cache_message(LintSeqKind kind)
{
    switch (kind) {
    case LINT_SEQ_CREATE:
        return "CREATE SEQUENCE is not supported without an explicit cache size. please define "
               "CACHE greater than or equal to 65536 or equal to 1";
    case LINT_SEQ_ALTER:
        return "ALTER SEQUENCE is not supported with this cache size. please define CACHE "
               "greater than or equal to 65536 or equal to 1";
    default:
        return "identity column is not supported without an explicit cache size. please define "
               "CACHE greater than or equal to 65536 or equal to 1";
    }
}

static void lint_cache_missing(LintCtx *lc, LintSeqKind kind, int anchor)
{
    bool identity = kind == LINT_SEQ_IDENTITY;
    LintDiag *d = lint_report(lc, identity ? "identity_cache_missing" : "sequence_cache_missing",
                              anchor, cache_message(kind), cache_suggestion);
    if (identity) {
        /* GENERATED {ALWAYS | BY DEFAULT} AS IDENTITY [ ( options ) ] */
        LexToken t;
        int pos = anchor;
        for (;;) {
            lint_lex_next(lc->sql, lc->stmt_end, pos, &t);
            if (t.kind == LEX_EOF) return;
            pos = t.end;
            if (lint_tok_is(lc->sql, &t, "identity")) break;
        }
        lint_lex_next(lc->sql, lc->stmt_end, pos, &t);
        if (lint_tok_is(lc->sql, &t, "(")) {
            int close = lint_lex_skip_group(lc->sql, lc->stmt_end, t.start) - 1;
            lint_edit_add(lc, close, close, " CACHE 1");
        } else {
            lint_edit_add(lc, pos, pos, " (CACHE 1)");
        }
    } else {
        lint_edit_add(lc, lc->stmt_end, lc->stmt_end, " CACHE 1");
    }
    lint_fix_set(lc, d, LINT_FIX_FIXED,
                 "Added CACHE 1 (PostgreSQL's default: values in allocation order).");
}

void lint_sequence_options(LintCtx *lc, PgQuery__Node **options, size_t n, LintSeqKind kind,
                           int anchor)
{
    bool identity = kind == LINT_SEQ_IDENTITY || kind == LINT_SEQ_IDENTITY_SET;
    bool has_cache = false;
    for (size_t i = 0; i < n; i++) {
        if (options[i]->node_case != PG_QUERY__NODE__NODE_DEF_ELEM) continue;
        const PgQuery__DefElem *de = options[i]->def_elem;
        if (strcmp(de->defname, "cache") == 0) {
            has_cache = true;
            long long v;
            if (!lint_defelem_int(de, &v) || v == 1 || v >= 65536) continue;
            int kw = lint_loc(lc, de->location);
            LintDiag *d = lint_report(lc, identity ? "identity_cache" : "sequence_cache", kw,
                                      cache_message(kind), cache_suggestion);
            lint_edit_add(lc, cache_value_start(lc, kw), cache_value_end(lc, kw),
                          v < 1 ? "1" : "65536");
            if (v < 1)
                lint_fix_set(lc, d, LINT_FIX_FIXED, mem_sprintf(lc->cx, "Set CACHE %lld to 1.", v));
            else
                lint_fix_set(lc, d, LINT_FIX_WITH_WARNING,
                             mem_sprintf(lc->cx,
                                         "Raised CACHE %lld to 65536: values stay unique but may "
                                         "be out of order across sessions, with gaps.",
                                         v));
        } else if (strcmp(de->defname, "as") == 0 && !identity && de->arg &&
                   de->arg->node_case == PG_QUERY__NODE__NODE_TYPE_NAME) {
            const PgQuery__TypeName *tn = de->arg->type_name;
            if (strcmp(lint_name_last(tn->names, tn->n_names), "int8") == 0) continue;
            int at = lint_loc(lc, tn->location);
            LintDiag *d = lint_report(
                lc, "sequence_type", at,
                mem_sprintf(lc->cx, "datatype %s not supported, sequence type must be bigint",
                            lint_type_display(tn)),
                "Use AS BIGINT (or leave AS out).");
            lint_edit_add(lc, at, lint_lex_type_end(lc->sql, lc->stmt_end, at), "BIGINT");
            lint_fix_set(lc, d, LINT_FIX_WITH_WARNING,
                         mem_sprintf(lc->cx, "Changed the sequence type from %s to BIGINT.",
                                     lint_type_display(tn)));
        }
    }
    if (!has_cache && (kind == LINT_SEQ_CREATE || kind == LINT_SEQ_IDENTITY))
        lint_cache_missing(lc, kind, anchor);
}

/* ---- ALTER TABLE ---- */

static const struct {
    PgQuery__AlterTableType type;
    const char *words;
} alter_op_words[] = {
    {PG_QUERY__ALTER_TABLE_TYPE__AT_SetNotNull, "ALTER COLUMN ... SET NOT NULL"},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_SetStatistics, "ALTER COLUMN ... SET STATISTICS"},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_SetOptions, "ALTER COLUMN ... SET"},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_ResetOptions, "ALTER COLUMN ... RESET"},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_SetCompression, "ALTER COLUMN ... SET COMPRESSION"},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_ClusterOn, "CLUSTER ON"},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_DropCluster, "SET WITHOUT CLUSTER"},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_SetLogged, "SET LOGGED"},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_SetUnLogged, "SET UNLOGGED"},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_DropOids, "SET WITHOUT OIDS"},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_SetAccessMethod, "SET ACCESS METHOD"},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_SetTableSpace, "SET TABLESPACE"},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_SetRelOptions, "SET"},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_ResetRelOptions, "RESET"},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_EnableTrig, "ENABLE TRIGGER"},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_EnableAlwaysTrig, "ENABLE ALWAYS TRIGGER"},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_EnableReplicaTrig, "ENABLE REPLICA TRIGGER"},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_DisableTrig, "DISABLE TRIGGER"},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_EnableTrigAll, "ENABLE TRIGGER ALL"},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_DisableTrigAll, "DISABLE TRIGGER ALL"},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_EnableTrigUser, "ENABLE TRIGGER USER"},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_DisableTrigUser, "DISABLE TRIGGER USER"},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_EnableRule, "ENABLE RULE"},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_EnableAlwaysRule, "ENABLE ALWAYS RULE"},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_EnableReplicaRule, "ENABLE REPLICA RULE"},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_DisableRule, "DISABLE RULE"},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_AddInherit, "INHERIT"},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_DropInherit, "NO INHERIT"},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_AddOf, "OF"},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_DropOf, "NOT OF"},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_ReplicaIdentity, "REPLICA IDENTITY"},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_EnableRowSecurity, "ENABLE ROW LEVEL SECURITY"},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_DisableRowSecurity, "DISABLE ROW LEVEL SECURITY"},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_ForceRowSecurity, "FORCE ROW LEVEL SECURITY"},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_NoForceRowSecurity, "NO FORCE ROW LEVEL SECURITY"},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_GenericOptions, "OPTIONS"},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_AttachPartition, "ATTACH PARTITION"},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_DetachPartition, "DETACH PARTITION"},
    {PG_QUERY__ALTER_TABLE_TYPE__AT_DetachPartitionFinalize, "DETACH PARTITION ... FINALIZE"},
};

static const char *const recreate_suggestion =
    "Recreate the table: create the new definition as <table>_new, copy the rows in batches of "
    "at most 3,000, swap the names, and recreate the indexes with CREATE INDEX ASYNC.";

static void lint_add_column_cmd(LintCtx *lc, const PgQuery__AlterTableStmt *at,
                                const PgQuery__ColumnDef *cd)
{
    lint_add_column(lc, cd);
    size_t n_constraints = cd->n_constraints + (cd->raw_default ? 1 : 0);
    if (n_constraints == 0) return;
    LintDiag *d = lint_report(
        lc, "add_column_constraint", lint_loc(lc, cd->location),
        "ALTER TABLE ADD COLUMN with constraint not supported",
        "Add the column with its name and type only, then ALTER COLUMN ... SET DEFAULT, backfill "
        "in batches, and add checks with ADD CONSTRAINT ... CHECK (...) NOT VALID plus ALTER "
        "TABLE ASYNC ... VALIDATE CONSTRAINT; NOT NULL, UNIQUE and identity need the table "
        "recreated.");
    /* Fixable: the only command, with DEFAULT as its only constraint (which
     * then runs to the end of the statement). */
    if (at->n_cmds != 1 || cd->n_constraints != 1 ||
        cd->constraints[0]->node_case != PG_QUERY__NODE__NODE_CONSTRAINT ||
        cd->constraints[0]->constraint->contype != PG_QUERY__CONSTR_TYPE__CONSTR_DEFAULT)
        return;
    int kw = lint_loc(lc, cd->constraints[0]->constraint->location);
    int expr = lint_lex_token_end(lc->sql, lc->stmt_end, kw);
    while (expr < lc->stmt_end && (lc->sql[expr] == ' ' || lc->sql[expr] == '\t' ||
                                   lc->sql[expr] == '\n' || lc->sql[expr] == '\r'))
        expr++;
    int from = kw;
    while (from > lc->stmt_start && (lc->sql[from - 1] == ' ' || lc->sql[from - 1] == '\t' ||
                                     lc->sql[from - 1] == '\n' || lc->sql[from - 1] == '\r'))
        from--;
    char *default_sql = mem_strndup(lc->cx, lc->sql + expr, (size_t)(lc->stmt_end - expr));
    lint_edit_add(lc, from, lc->stmt_end,
                  mem_sprintf(lc->cx, ";\nALTER TABLE %s ALTER COLUMN %s SET DEFAULT %s",
                              lint_range_var_name(lc->cx, at->relation),
                              lint_quote_ident(lc->cx, cd->colname), default_sql));
    lint_fix_set(lc, d, LINT_FIX_WITH_WARNING,
                 mem_sprintf(lc->cx,
                             "Split into ADD COLUMN and ALTER COLUMN ... SET DEFAULT: existing "
                             "rows keep NULL in %s; backfill them in batches of at most 3,000 "
                             "rows.",
                             cd->colname));
}

static void lint_add_constraint_cmd(LintCtx *lc, const PgQuery__AlterTableStmt *at,
                                    const PgQuery__Constraint *c)
{
    const char *message = "unsupported ALTER TABLE ADD CONSTRAINT statement";
    switch (c->contype) {
    case PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE:
        if (*c->indexname) return; /* ADD UNIQUE USING INDEX */
        lint_report(lc, "unsupported_alter_table_op", lint_loc(lc, c->location), message,
                    "Create a unique index with CREATE UNIQUE INDEX ASYNC, then ADD CONSTRAINT "
                    "... UNIQUE USING INDEX once it is built.");
        return;
    case PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY:
    case PG_QUERY__CONSTR_TYPE__CONSTR_EXCLUSION:
        lint_report(lc, "unsupported_alter_table_op", lint_loc(lc, c->location), message,
                    "The primary key is fixed at CREATE TABLE: recreate the table with it.");
        return;
    case PG_QUERY__CONSTR_TYPE__CONSTR_CHECK:
    case PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN:
        break;
    default:
        return;
    }
    if (c->skip_validation) return;
    LintDiag *d = lint_report(lc, "unsupported_alter_table_op", lint_loc(lc, c->location), message,
                              "Add the constraint NOT VALID (it applies to new rows at once), "
                              "then check existing rows with ALTER TABLE ASYNC ... VALIDATE "
                              "CONSTRAINT.");
    if (at->n_cmds != 1) return;
    const char *validate =
        *c->conname ? mem_sprintf(lc->cx, ";\nALTER TABLE ASYNC %s VALIDATE CONSTRAINT %s",
                                  lint_range_var_name(lc->cx, at->relation),
                                  lint_quote_ident(lc->cx, c->conname))
                    : "";
    lint_edit_add(lc, lc->stmt_end, lc->stmt_end, mem_sprintf(lc->cx, " NOT VALID%s", validate));
    lint_fix_set(lc, d, LINT_FIX_WITH_WARNING,
                 *c->conname ? "Added NOT VALID and an ALTER TABLE ASYNC ... VALIDATE CONSTRAINT "
                               "statement: existing rows are checked by an asynchronous job."
                             : "Added NOT VALID: existing rows are not checked until the "
                               "constraint is validated with ALTER TABLE ASYNC.");
}

void lint_alter_table(LintCtx *lc, const PgQuery__AlterTableStmt *at)
{
    if (at->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_TYPE) {
        lint_report(lc, "unsupported_statement", lc->stmt_start, "ALTER TYPE not supported",
                    "Custom types do not exist in DSQL.");
        return;
    }
    if (at->objtype != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE) return;
    for (size_t i = 0; i < at->n_cmds; i++) {
        if (at->cmds[i]->node_case != PG_QUERY__NODE__NODE_ALTER_TABLE_CMD) continue;
        const PgQuery__AlterTableCmd *cmd = at->cmds[i]->alter_table_cmd;
        const PgQuery__Node *def = cmd->def;
        switch (cmd->subtype) {
        case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn:
        case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumnRecurse:
            if (def && def->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF)
                lint_add_column_cmd(lc, at, def->column_def);
            break;
        case PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType:
            lint_report(lc, "unsupported_alter_table_op", lc->stmt_start,
                        "unsupported ALTER TABLE ALTER COLUMN ... SET DATA TYPE statement",
                        recreate_suggestion);
            break;
        case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint:
        case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraintRecurse:
            if (def && def->node_case == PG_QUERY__NODE__NODE_CONSTRAINT)
                lint_add_constraint_cmd(lc, at, def->constraint);
            break;
        case PG_QUERY__ALTER_TABLE_TYPE__AT_ValidateConstraint:
        case PG_QUERY__ALTER_TABLE_TYPE__AT_ValidateConstraintRecurse: {
            if (lc->stmt_async_alter) break;
            LintDiag *d = lint_report(lc, "unsupported_alter_table_op", lc->stmt_start,
                                      "unsupported ALTER TABLE VALIDATE CONSTRAINT statement",
                                      "Use ALTER TABLE ASYNC ... VALIDATE CONSTRAINT: it returns "
                                      "a job_id at once.");
            int table = lint_lex_find_word(lc->sql, lc->stmt_start, lc->stmt_end, "table");
            if (table < 0 || at->n_cmds != 1) break;
            int end = lint_lex_token_end(lc->sql, lc->stmt_end, table);
            lint_edit_add(lc, end, end, " ASYNC");
            lint_fix_set(lc, d, LINT_FIX_FIXED,
                         "Added ASYNC: validation runs as a job; wait for it with CALL "
                         "sys.wait_for_job(job_id).");
            break;
        }
        case PG_QUERY__ALTER_TABLE_TYPE__AT_AddIdentity:
            if (def && def->node_case == PG_QUERY__NODE__NODE_CONSTRAINT)
                lint_sequence_options(lc, def->constraint->options, def->constraint->n_options,
                                      LINT_SEQ_IDENTITY, lint_loc(lc, def->constraint->location));
            break;
        case PG_QUERY__ALTER_TABLE_TYPE__AT_SetIdentity:
            if (def && def->node_case == PG_QUERY__NODE__NODE_LIST)
                lint_sequence_options(lc, def->list->items, def->list->n_items,
                                      LINT_SEQ_IDENTITY_SET, lc->stmt_start);
            break;
        default:
            for (size_t k = 0; k < ARRAY_LEN(alter_op_words); k++) {
                if (alter_op_words[k].type != cmd->subtype) continue;
                lint_report(lc, "unsupported_alter_table_op", lc->stmt_start,
                            mem_sprintf(lc->cx, "unsupported ALTER TABLE %s statement",
                                        alter_op_words[k].words),
                            recreate_suggestion);
            }
            break;
        }
    }
}

/* ---- CREATE INDEX ---- */

static void lint_index_clause(LintCtx *lc, int at, const char *message, const char *what,
                              bool group)
{
    LintDiag *d = lint_report(lc, "tablespace", at, message,
                              mem_sprintf(lc->cx, "Remove the %s clause.", what));
    LexToken t;
    lint_lex_next(lc->sql, lc->stmt_end, lint_lex_token_end(lc->sql, lc->stmt_end, at), &t);
    int end = t.end;
    if (group) {
        if (!lint_tok_is(lc->sql, &t, "(")) return;
        end = lint_lex_skip_group(lc->sql, lc->stmt_end, t.start);
    }
    lint_edit_remove_clause(lc, at, end);
    lint_fix_set(lc, d, LINT_FIX_FIXED, mem_sprintf(lc->cx, "Removed the %s clause.", what));
}

void lint_index(LintCtx *lc, const PgQuery__IndexStmt *is)
{
    int index_kw = lint_lex_find_word(lc->sql, lc->stmt_start, lc->stmt_end, "index");
    if (index_kw < 0) index_kw = lc->stmt_start;
    if (!(lc->stmt->flags & PARSE_FLAG_INDEX_ASYNC)) {
        LintDiag *d = lint_report(lc, "index_async", lc->stmt_start,
                                  "unsupported mode. please use CREATE INDEX ASYNC.",
                                  "Use CREATE INDEX ASYNC: it returns a job_id at once and builds "
                                  "the index in the background (CALL sys.wait_for_job(job_id) "
                                  "waits for it).");
        int end = lint_lex_token_end(lc->sql, lc->stmt_end, index_kw);
        lint_edit_add(lc, end, end, " ASYNC");
        if (is->unique)
            lint_fix_set(lc, d, LINT_FIX_WITH_WARNING,
                         "Added ASYNC: duplicate keys now fail the build job, not the "
                         "statement; check sys.jobs before relying on uniqueness.");
        else
            lint_fix_set(lc, d, LINT_FIX_FIXED,
                         "Added ASYNC: the index is used once its build job completes.");
    }
    if (is->concurrent) {
        int at = lint_lex_find_word(lc->sql, index_kw, lc->stmt_end, "concurrently");
        LintDiag *d = lint_report(lc, "index_concurrently", at >= 0 ? at : lc->stmt_start,
                                  "CONCURRENTLY not supported for CREATE INDEX",
                                  "Remove CONCURRENTLY: CREATE INDEX ASYNC never blocks writes.");
        if (at >= 0) {
            lint_edit_remove_token(lc, at);
            lint_fix_set(lc, d, LINT_FIX_FIXED, "Removed CONCURRENTLY.");
        }
    }
    int using_kw = lint_lex_find_word(lc->sql, index_kw, lc->stmt_end, "using");
    if (using_kw >= 0) {
        const char *method = is->access_method;
        LintDiag *d = lint_report(
            lc, "index_using", using_kw,
            mem_sprintf(lc->cx, "index access method \"%s\" not supported", method),
            "DSQL indexes are B-trees: remove USING (for JSON containment or text search, index "
            "an extracted generated column instead).");
        bool btree = strcmp(method, "btree") == 0, hash = strcmp(method, "hash") == 0;
        if (btree || hash) {
            int end = lint_lex_token_end(lc->sql, lc->stmt_end,
                                         lint_lex_token_end(lc->sql, lc->stmt_end, using_kw));
            lint_edit_remove_span(lc, using_kw, end);
            lint_fix_set(lc, d, btree ? LINT_FIX_FIXED : LINT_FIX_WITH_WARNING,
                         btree ? "Removed USING btree (the default)."
                               : "Replaced the hash index with a B-tree index.");
        }
    }
    if (is->n_options > 0) {
        int at = lint_lex_find_word(lc->sql, index_kw, lc->stmt_end, "with");
        if (at >= 0)
            lint_index_clause(lc, at, "storage parameters not supported for CREATE INDEX",
                              "WITH (...)", true);
    }
    if (*is->table_space) {
        int at = lint_lex_find_word(lc->sql, index_kw, lc->stmt_end, "tablespace");
        if (at >= 0)
            lint_index_clause(lc, at, "TABLESPACE not supported for CREATE INDEX", "TABLESPACE",
                              false);
    }
    if (is->n_index_params > LINT_MAX_INDEX_KEYS)
        lint_report(lc, "index_too_many_columns", lc->stmt_start,
                    "more than 8 column keys in an index are not supported",
                    "Index at most 8 key columns; move the others to INCLUDE (...).");
}
