/*
 * Statement-level lint rules (spec dsql-service §1.3, §4, §6.1, §7): which
 * statements DSQL refuses outright, SET outside DSQL's allow-list, isolation
 * levels, SAVEPOINT, TRUNCATE, CREATE TABLE AS, and the transaction rules
 * (one DDL per transaction, no DDL with DML).  lint_statement dispatches the
 * DDL kinds to lint_table.c and lint_ddl.c; lint_walk looks for clauses
 * anywhere in a tree.
 *
 * Transactions: statements outside BEGIN ... COMMIT are taken to run one per
 * transaction (psql -f, migration tools); inside a block, DDL and DML are
 * counted as DSQL counts them (SELECT counts as neither).
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "tools/tools_int.h"

#define LINT_WALK_MAX_DEPTH 10000

/* "create_extension_stmt" -> "CreateExtension", as DSQL names statements in
 * "unsupported statement: <name>". */
static const char *stmt_tag(MemContext *cx, const PgQuery__Node *node)
{
    const char *kind = parse_node_kind_name(node);
    char *out = mem_alloc0(cx, strlen(kind) + 1);
    size_t o = 0;
    bool up = true;
    for (const char *p = kind; *p; p++) {
        if (*p == '_') {
            up = true;
            continue;
        }
        out[o++] = up ? (char)toupper((unsigned char)*p) : *p;
        up = false;
    }
    out[o] = '\0';
    if (o > 4 && strcmp(out + o - 4, "Stmt") == 0) out[o - 4] = '\0';
    return out;
}

static void report_unsupported(LintCtx *lc, const char *message, const char *suggestion)
{
    lint_report(lc, "unsupported_statement", lc->stmt_start, message, suggestion);
}

static void report_unsupported_tag(LintCtx *lc, const PgQuery__Node *node, const char *suggestion)
{
    report_unsupported(lc, mem_sprintf(lc->cx, "unsupported statement: %s", stmt_tag(lc->cx, node)),
                       suggestion);
}

static void add_user_type(LintCtx *lc, const char *name)
{
    if (!*name) return;
    if (lc->n_user_types == lc->cap_user_types) {
        size_t cap = lc->cap_user_types ? lc->cap_user_types * 2 : 8;
        lc->user_types = mem_realloc(lc->cx, lc->user_types, sizeof(char *) * lc->cap_user_types,
                                     sizeof(char *) * cap);
        lc->cap_user_types = cap;
    }
    lc->user_types[lc->n_user_types++] = name;
}

static const char *const type_suggestion =
    "Custom types do not exist in DSQL: use VARCHAR(255) with CHECK (column IN (...)) for an "
    "enum, JSONB or separate columns for a composite, two columns for a range.";

/* ---- SET ---- */

static const char *const settable[] = {
    "application_name",
    "client_encoding",
    "datestyle",
    "extra_float_digits",
    "intervalstyle",
    "timezone",
    "search_path",
    "enable_bitmapscan",
    "enable_hashjoin",
    "enable_indexonlyscan",
    "enable_indexscan",
    "enable_material",
    "enable_mergejoin",
    "enable_nestloop",
    "enable_seqscan",
    "dsql.enable_batched_nestloop",
    "disable_sync_create_index",
};

static bool transaction_isolation_only(const PgQuery__VariableSetStmt *vs, bool *repeatable)
{
    *repeatable = true;
    if (vs->n_args == 0) return false;
    for (size_t i = 0; i < vs->n_args; i++) {
        const PgQuery__Node *a = vs->args[i];
        if (a->node_case != PG_QUERY__NODE__NODE_DEF_ELEM ||
            strcmp(a->def_elem->defname, "transaction_isolation") != 0)
            return false;
        const PgQuery__Node *v = a->def_elem->arg;
        if (!v || v->node_case != PG_QUERY__NODE__NODE_A_CONST || !v->a_const->sval ||
            strcmp(v->a_const->sval->sval, "repeatable read") != 0)
            *repeatable = false;
    }
    return true;
}

static void lint_set(LintCtx *lc, const PgQuery__VariableSetStmt *vs)
{
    if (vs->kind == PG_QUERY__VARIABLE_SET_KIND__VAR_RESET_ALL) return;
    if (vs->kind == PG_QUERY__VARIABLE_SET_KIND__VAR_SET_MULTI) {
        const char *rule = strcmp(vs->name, "TRANSACTION SNAPSHOT") == 0 ? "unsupported_setting"
                                                                         : "set_transaction";
        LintDiag *d = lint_report(
            lc, rule, lc->stmt_start,
            mem_sprintf(lc->cx, "setting configuration parameter \"%s\" not supported", vs->name),
            "Leave it out: DSQL transactions are always REPEATABLE READ; for a read-only "
            "transaction use BEGIN READ ONLY.");
        bool repeatable;
        if (strcmp(rule, "set_transaction") != 0 || !transaction_isolation_only(vs, &repeatable))
            return;
        lint_edit_remove_stmt(lc);
        lint_fix_set(lc, d, repeatable ? LINT_FIX_FIXED : LINT_FIX_WITH_WARNING,
                     repeatable ? "Removed the statement: REPEATABLE READ is DSQL's only level."
                                : "Removed the statement: transactions run at REPEATABLE READ "
                                  "(snapshot isolation) instead.");
        return;
    }
    const char *name = vs->name;
    if (strcasecmp(name, "role") == 0 && vs->is_local) return;
    for (size_t i = 0; i < ARRAY_LEN(settable); i++)
        if (strcasecmp(name, settable[i]) == 0) return;
    bool isolation = strcasecmp(name, "transaction_isolation") == 0 ||
                     strcasecmp(name, "default_transaction_isolation") == 0;
    LintDiag *d = lint_report(
        lc, isolation ? "transaction_isolation" : "unsupported_setting", lc->stmt_start,
        mem_sprintf(lc->cx, "setting configuration parameter \"%s\" not supported", name),
        isolation ? "Leave it out: DSQL transactions are always REPEATABLE READ."
                  : "Leave it out: DSQL lets SET change only application_name, client_encoding, "
                    "DateStyle, extra_float_digits, IntervalStyle, TimeZone, search_path and the "
                    "planner's enable_* switches.");
    if (strcasecmp(name, "role") == 0 || strcasecmp(name, "session_authorization") == 0) return;
    lint_edit_remove_stmt(lc);
    lint_fix_set(lc, d, LINT_FIX_WITH_WARNING,
                 mem_sprintf(lc->cx, "Removed the statement: %s keeps DSQL's setting.", name));
}

/* ---- transactions ---- */

static void lint_isolation(LintCtx *lc, const PgQuery__TransactionStmt *ts)
{
    for (size_t i = 0; i < ts->n_options; i++) {
        const PgQuery__Node *o = ts->options[i];
        if (o->node_case != PG_QUERY__NODE__NODE_DEF_ELEM ||
            strcmp(o->def_elem->defname, "transaction_isolation") != 0)
            continue;
        const PgQuery__Node *v = o->def_elem->arg;
        if (!v || v->node_case != PG_QUERY__NODE__NODE_A_CONST || !v->a_const->sval) continue;
        const char *level = v->a_const->sval->sval;
        if (strcmp(level, "repeatable read") == 0) continue;
        char *upper = mem_strdup(lc->cx, level);
        for (char *p = upper; *p; p++)
            *p = (char)toupper((unsigned char)*p);
        LintDiag *d = lint_report(
            lc, "transaction_isolation", lint_loc(lc, o->def_elem->location),
            mem_sprintf(lc->cx, "Unsupported isolation level: %s", upper),
            "Leave the isolation level out: DSQL transactions are always REPEATABLE READ "
            "(snapshot isolation) with optimistic concurrency; retry on SQLSTATE 40001.");
        /* [,] ISOLATION LEVEL word [word] [,] */
        LexToken t, prev = {LEX_EOF, -1, -1};
        int pos = lc->stmt_start, start = -1;
        for (;;) {
            lint_lex_next(lc->sql, lc->stmt_end, pos, &t);
            if (t.kind == LEX_EOF) break;
            if (lint_tok_is(lc->sql, &t, "isolation")) {
                start = t.start;
                break;
            }
            prev = t;
            pos = t.end;
        }
        if (start < 0) continue;
        int end = t.end;
        int words = strchr(level, ' ') ? 3 : 2; /* LEVEL + the level's words */
        for (int k = 0; k < words; k++) {
            lint_lex_next(lc->sql, lc->stmt_end, end, &t);
            end = t.end;
        }
        lint_lex_next(lc->sql, lc->stmt_end, end, &t);
        if (prev.kind == LEX_PUNCT && lint_tok_is(lc->sql, &prev, ","))
            start = prev.start;
        else if (lint_tok_is(lc->sql, &t, ","))
            end = t.end;
        lint_edit_remove_clause(lc, start, end);
        lint_fix_set(lc, d, LINT_FIX_WITH_WARNING,
                     mem_sprintf(lc->cx,
                                 "Removed ISOLATION LEVEL %s: the transaction runs at REPEATABLE "
                                 "READ.",
                                 upper));
    }
}

static void lint_transaction(LintCtx *lc, const PgQuery__TransactionStmt *ts)
{
    const char *what = NULL;
    switch (ts->kind) {
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_BEGIN:
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_START:
        lint_isolation(lc, ts);
        return;
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_SAVEPOINT:
        what = "SAVEPOINT";
        break;
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_RELEASE:
        what = "RELEASE";
        break;
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK_TO:
        what = "ROLLBACK TO";
        break;
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_PREPARE:
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT_PREPARED:
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK_PREPARED:
        report_unsupported(lc, "unsupported transaction statement",
                           "Two-phase commit does not exist in DSQL.");
        return;
    default:
        return;
    }
    report_unsupported(lc, mem_sprintf(lc->cx, "unsupported transaction statement: %s", what),
                       "Savepoints do not exist in DSQL: retry the whole transaction instead.");
}

/* ---- other statements ---- */

static void lint_truncate(LintCtx *lc, const PgQuery__TruncateStmt *ts)
{
    LintDiag *d = lint_report(lc, "truncate", lc->stmt_start, "unsupported statement: Truncate",
                              "Use DELETE FROM <table>, in batches of at most 3,000 rows (or drop "
                              "and recreate the table).");
    if (ts->restart_seqs || ts->behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE) return;
    StrBuf sb;
    strbuf_init(&sb);
    for (size_t i = 0; i < ts->n_relations; i++) {
        const PgQuery__Node *r = ts->relations[i];
        if (r->node_case != PG_QUERY__NODE__NODE_RANGE_VAR) continue;
        strbuf_appendf(&sb, "%sDELETE FROM %s%s", sb.len ? ";\n" : "",
                       r->range_var->inh ? "" : "ONLY ", lint_range_var_name(lc->cx, r->range_var));
    }
    lint_edit_add(lc, lc->stmt_start, lc->stmt_end, mem_strdup(lc->cx, sb.data ? sb.data : ""));
    strbuf_fini(&sb);
    lint_fix_set(lc, d, LINT_FIX_WITH_WARNING,
                 "Replaced TRUNCATE with DELETE FROM: a transaction may change at most 3,000 "
                 "rows, so delete larger tables in batches.");
}

static void lint_create_table_as(LintCtx *lc, const PgQuery__CreateTableAsStmt *cs)
{
    bool matview = cs->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW;
    LintDiag *d = lint_report(
        lc, "create_table_as", lc->stmt_start, "unsupported statement: CreateTableAs",
        matview ? "Use a regular CREATE VIEW (computed at query time) or a table you refresh "
                  "yourself."
                : "Create the table with explicit columns and a primary key, then INSERT INTO "
                  "... SELECT in batches of at most 3,000 rows.");
    if (!matview || cs->if_not_exists || !cs->into) return;
    const PgQuery__IntoClause *into = cs->into;
    if (into->n_options > 0 || *into->table_space_name || *into->access_method) return;
    /* A trailing WITH [NO] DATA has no CREATE VIEW equivalent. */
    LexToken t;
    int pos = lc->stmt_start, last[3] = {-1, -1, -1};
    for (;;) {
        lint_lex_next(lc->sql, lc->stmt_end, pos, &t);
        if (t.kind == LEX_EOF) break;
        last[0] = last[1];
        last[1] = last[2];
        last[2] = t.start;
        pos = t.end;
    }
    if (last[2] >= 0) {
        LexToken e;
        lint_lex_next(lc->sql, lc->stmt_end, last[2], &e);
        if (lint_tok_is(lc->sql, &e, "data")) return;
    }
    int kw = lint_lex_find_word(lc->sql, lc->stmt_start, lc->stmt_end, "materialized");
    if (kw < 0) return;
    lint_edit_remove_token(lc, kw);
    lint_fix_set(lc, d, LINT_FIX_WITH_WARNING,
                 "Replaced the materialized view with a view: its rows are computed at each "
                 "query, and REFRESH MATERIALIZED VIEW must go.");
}

static void lint_create_function(LintCtx *lc, const PgQuery__CreateFunctionStmt *cf)
{
    const char *language = NULL;
    for (size_t i = 0; i < cf->n_options; i++) {
        const PgQuery__Node *o = cf->options[i];
        if (o->node_case != PG_QUERY__NODE__NODE_DEF_ELEM) continue;
        const PgQuery__DefElem *de = o->def_elem;
        if (strcmp(de->defname, "language") == 0 && de->arg &&
            de->arg->node_case == PG_QUERY__NODE__NODE_STRING)
            language = de->arg->string->sval;
        if (strcmp(de->defname, "security") == 0 && de->arg &&
            de->arg->node_case == PG_QUERY__NODE__NODE_BOOLEAN && de->arg->boolean->boolval)
            lint_report(lc, "unsupported_feature", lint_loc(lc, de->location),
                        "SECURITY DEFINER not supported",
                        "Grant the caller the privileges it needs instead.");
    }
    if (!language || strcasecmp(language, "sql") == 0) return;
    report_unsupported(lc,
                       mem_sprintf(lc->cx, "%s with language %s not supported",
                                   cf->is_procedure ? "CREATE PROCEDURE" : "CREATE FUNCTION",
                                   language),
                       "Only LANGUAGE SQL functions exist in DSQL: rewrite the body in SQL or "
                       "move the logic into the application.");
}

static void lint_vacuum(LintCtx *lc, const PgQuery__VacuumStmt *vs)
{
    LintDiag *d;
    if (vs->is_vacuumcmd) {
        d = lint_report(lc, "unsupported_statement", lc->stmt_start, "unsupported VACUUM statement",
                        "Leave it out: DSQL reclaims space on its own.");
    } else if (lc->in_block) {
        lint_report(lc, "unsupported_statement", lc->stmt_start,
                    "ANALYZE cannot run inside a transaction block",
                    "Run ANALYZE <table> outside BEGIN ... COMMIT.");
        return;
    } else if (vs->n_rels == 0) {
        d = lint_report(lc, "unsupported_statement", lc->stmt_start,
                        "ANALYZE without a table not supported",
                        "Name the table: ANALYZE <table> (DSQL also analyzes in the background).");
    } else {
        return;
    }
    if (lc->in_block) return;
    lint_edit_remove_stmt(lc);
    lint_fix_set(lc, d, LINT_FIX_FIXED,
                 "Removed the statement: DSQL maintains storage and statistics itself.");
}

static void lint_drop(LintCtx *lc, const PgQuery__DropStmt *ds)
{
    switch (ds->remove_type) {
    case PG_QUERY__OBJECT_TYPE__OBJECT_TYPE:
    case PG_QUERY__OBJECT_TYPE__OBJECT_EXTENSION:
    case PG_QUERY__OBJECT_TYPE__OBJECT_TRIGGER:
    case PG_QUERY__OBJECT_TYPE__OBJECT_EVENT_TRIGGER:
    case PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW:
    case PG_QUERY__OBJECT_TYPE__OBJECT_FOREIGN_TABLE:
    case PG_QUERY__OBJECT_TYPE__OBJECT_RULE:
    case PG_QUERY__OBJECT_TYPE__OBJECT_POLICY:
    case PG_QUERY__OBJECT_TYPE__OBJECT_TABLESPACE:
        report_unsupported(lc, "unsupported object in DROP statement",
                           "DSQL has no such objects to drop.");
        return;
    case PG_QUERY__OBJECT_TYPE__OBJECT_DOMAIN:
        if (ds->behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE)
            report_unsupported(lc, "DROP DOMAIN ... CASCADE not supported",
                               "Drop or change the columns using the domain first, then DROP "
                               "DOMAIN without CASCADE.");
        return;
    case PG_QUERY__OBJECT_TYPE__OBJECT_INDEX:
        if (ds->concurrent) {
            int at = lint_lex_find_word(lc->sql, lc->stmt_start, lc->stmt_end, "concurrently");
            LintDiag *d =
                lint_report(lc, "index_concurrently", at >= 0 ? at : lc->stmt_start,
                            "CONCURRENTLY not supported for DROP INDEX", "Remove CONCURRENTLY.");
            if (at >= 0) {
                lint_edit_remove_token(lc, at);
                lint_fix_set(lc, d, LINT_FIX_FIXED, "Removed CONCURRENTLY.");
            }
        }
        return;
    default:
        return;
    }
}

void lint_statement(LintCtx *lc, const PgQuery__Node *node)
{
    switch (node->node_case) {
    case PG_QUERY__NODE__NODE_CREATE_STMT:
        lint_create_table(lc, node->create_stmt);
        break;
    case PG_QUERY__NODE__NODE_INDEX_STMT:
        lint_index(lc, node->index_stmt);
        break;
    case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:
        lint_alter_table(lc, node->alter_table_stmt);
        break;
    case PG_QUERY__NODE__NODE_CREATE_SEQ_STMT: {
        const PgQuery__CreateSeqStmt *cs = node->create_seq_stmt;
        if (cs->sequence && strcmp(cs->sequence->relpersistence, "t") == 0)
            lint_report(lc, "temp_table", lc->stmt_start,
                        "TEMPORARY or TEMP sequence not supported",
                        "Use a regular sequence and drop it when done.");
        lint_sequence_options(lc, cs->options, cs->n_options, LINT_SEQ_CREATE, lc->stmt_start);
        break;
    }
    case PG_QUERY__NODE__NODE_ALTER_SEQ_STMT:
        lint_sequence_options(lc, node->alter_seq_stmt->options, node->alter_seq_stmt->n_options,
                              LINT_SEQ_ALTER, lc->stmt_start);
        break;
    case PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT:
        lint_create_table_as(lc, node->create_table_as_stmt);
        break;
    case PG_QUERY__NODE__NODE_SELECT_STMT:
        if (node->select_stmt->into_clause)
            lint_report(lc, "create_table_as", lc->stmt_start,
                        "unsupported statement: CreateTableAs",
                        "Create the table with explicit columns and a primary key, then INSERT "
                        "INTO ... SELECT in batches of at most 3,000 rows.");
        break;
    case PG_QUERY__NODE__NODE_VIEW_STMT:
        if (node->view_stmt->view && strcmp(node->view_stmt->view->relpersistence, "t") == 0)
            lint_report(lc, "temp_table", lc->stmt_start, "TEMPORARY or TEMP view not supported",
                        "Use a regular view, or a CTE in the query.");
        break;
    case PG_QUERY__NODE__NODE_CREATE_DOMAIN_STMT:
        if (node->create_domain_stmt->coll_clause)
            lint_collation(lc, node->create_domain_stmt->coll_clause);
        break;
    case PG_QUERY__NODE__NODE_CREATE_SCHEMA_STMT:
        for (size_t i = 0; i < node->create_schema_stmt->n_schema_elts; i++)
            lint_statement(lc, node->create_schema_stmt->schema_elts[i]);
        break;
    case PG_QUERY__NODE__NODE_TRUNCATE_STMT:
        lint_truncate(lc, node->truncate_stmt);
        break;
    case PG_QUERY__NODE__NODE_VARIABLE_SET_STMT:
        lint_set(lc, node->variable_set_stmt);
        break;
    case PG_QUERY__NODE__NODE_TRANSACTION_STMT:
        lint_transaction(lc, node->transaction_stmt);
        break;
    case PG_QUERY__NODE__NODE_CREATE_FUNCTION_STMT:
        lint_create_function(lc, node->create_function_stmt);
        break;
    case PG_QUERY__NODE__NODE_VACUUM_STMT:
        lint_vacuum(lc, node->vacuum_stmt);
        break;
    case PG_QUERY__NODE__NODE_DROP_STMT:
        lint_drop(lc, node->drop_stmt);
        break;
    case PG_QUERY__NODE__NODE_RENAME_STMT:
        if (node->rename_stmt->rename_type == PG_QUERY__OBJECT_TYPE__OBJECT_TYPE)
            report_unsupported(lc, "unsupported object in RENAME statement", type_suggestion);
        break;
    case PG_QUERY__NODE__NODE_GRANT_STMT:
        if (node->grant_stmt->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_DATABASE)
            report_unsupported(lc, "unsupported object type in GRANT",
                               "Grant on schemas and tables: a cluster has one database.");
        break;
    case PG_QUERY__NODE__NODE_CREATE_TRIG_STMT:
        report_unsupported(lc, "CREATE TRIGGER not supported",
                           "Move the trigger's logic into the application (or into the "
                           "statements that change the table).");
        break;
    case PG_QUERY__NODE__NODE_CREATE_ENUM_STMT:
        add_user_type(lc, lint_name_last(node->create_enum_stmt->type_name,
                                         node->create_enum_stmt->n_type_name));
        report_unsupported(lc, "CREATE TYPE not supported", type_suggestion);
        break;
    case PG_QUERY__NODE__NODE_DEFINE_STMT:
        if (node->define_stmt->kind == PG_QUERY__OBJECT_TYPE__OBJECT_TYPE) {
            add_user_type(
                lc, lint_name_last(node->define_stmt->defnames, node->define_stmt->n_defnames));
            report_unsupported(lc, "CREATE TYPE not supported", type_suggestion);
        } else {
            report_unsupported_tag(lc, node,
                                   "DSQL does not support user-defined aggregates, "
                                   "operators, collations or text search objects.");
        }
        break;
    case PG_QUERY__NODE__NODE_COMPOSITE_TYPE_STMT:
        if (node->composite_type_stmt->typevar)
            add_user_type(lc, node->composite_type_stmt->typevar->relname);
        report_unsupported_tag(lc, node, type_suggestion);
        break;
    case PG_QUERY__NODE__NODE_CREATE_RANGE_STMT:
        add_user_type(lc, lint_name_last(node->create_range_stmt->type_name,
                                         node->create_range_stmt->n_type_name));
        report_unsupported_tag(lc, node, type_suggestion);
        break;
    case PG_QUERY__NODE__NODE_ALTER_ENUM_STMT:
        report_unsupported(lc, "ALTER TYPE not supported", type_suggestion);
        break;
    case PG_QUERY__NODE__NODE_MERGE_STMT:
        report_unsupported(lc, "unsupported statement type: MERGE",
                           "Use INSERT ... ON CONFLICT DO UPDATE, or separate UPDATE and INSERT "
                           "statements.");
        break;
    case PG_QUERY__NODE__NODE_LOCK_STMT:
        report_unsupported_tag(lc, node,
                               "Leave it out: DSQL uses optimistic concurrency (no "
                               "locks); use SELECT ... FOR UPDATE to make a read "
                               "conflict at commit.");
        break;
    case PG_QUERY__NODE__NODE_LISTEN_STMT:
    case PG_QUERY__NODE__NODE_NOTIFY_STMT:
    case PG_QUERY__NODE__NODE_UNLISTEN_STMT:
        report_unsupported_tag(lc, node,
                               "Use a queue or notification service outside the "
                               "database.");
        break;
    case PG_QUERY__NODE__NODE_CREATE_EXTENSION_STMT:
    case PG_QUERY__NODE__NODE_ALTER_EXTENSION_STMT:
    case PG_QUERY__NODE__NODE_ALTER_EXTENSION_CONTENTS_STMT:
        report_unsupported_tag(lc, node,
                               "Extensions do not exist in DSQL: gen_random_uuid() is "
                               "built in and JSONB replaces hstore.");
        break;
    case PG_QUERY__NODE__NODE_DO_STMT:
    case PG_QUERY__NODE__NODE_CREATE_PLANG_STMT:
    case PG_QUERY__NODE__NODE_CREATE_EVENT_TRIG_STMT:
    case PG_QUERY__NODE__NODE_ALTER_EVENT_TRIG_STMT:
    case PG_QUERY__NODE__NODE_RULE_STMT:
        report_unsupported_tag(lc, node,
                               "Procedural code, rules and event triggers do not exist "
                               "in DSQL: move the logic into the application.");
        break;
    case PG_QUERY__NODE__NODE_CREATEDB_STMT:
    case PG_QUERY__NODE__NODE_DROPDB_STMT:
    case PG_QUERY__NODE__NODE_ALTER_DATABASE_STMT:
    case PG_QUERY__NODE__NODE_ALTER_DATABASE_SET_STMT:
    case PG_QUERY__NODE__NODE_ALTER_DATABASE_REFRESH_COLL_STMT:
        report_unsupported_tag(lc, node,
                               "A DSQL cluster has one database, postgres: use schemas "
                               "(at most 10) to separate applications.");
        break;
    case PG_QUERY__NODE__NODE_CREATE_TABLE_SPACE_STMT:
    case PG_QUERY__NODE__NODE_DROP_TABLE_SPACE_STMT:
    case PG_QUERY__NODE__NODE_ALTER_TABLE_SPACE_OPTIONS_STMT:
    case PG_QUERY__NODE__NODE_ALTER_TABLE_MOVE_ALL_STMT:
    case PG_QUERY__NODE__NODE_ALTER_SYSTEM_STMT:
    case PG_QUERY__NODE__NODE_CHECK_POINT_STMT:
    case PG_QUERY__NODE__NODE_LOAD_STMT:
    case PG_QUERY__NODE__NODE_CLUSTER_STMT:
    case PG_QUERY__NODE__NODE_REINDEX_STMT:
    case PG_QUERY__NODE__NODE_DISCARD_STMT:
    case PG_QUERY__NODE__NODE_REFRESH_MAT_VIEW_STMT:
        report_unsupported_tag(lc, node,
                               "Leave it out: DSQL manages storage, maintenance and "
                               "server settings itself.");
        break;
    case PG_QUERY__NODE__NODE_CREATE_FOREIGN_TABLE_STMT:
    case PG_QUERY__NODE__NODE_CREATE_FDW_STMT:
    case PG_QUERY__NODE__NODE_ALTER_FDW_STMT:
    case PG_QUERY__NODE__NODE_CREATE_FOREIGN_SERVER_STMT:
    case PG_QUERY__NODE__NODE_ALTER_FOREIGN_SERVER_STMT:
    case PG_QUERY__NODE__NODE_CREATE_USER_MAPPING_STMT:
    case PG_QUERY__NODE__NODE_ALTER_USER_MAPPING_STMT:
    case PG_QUERY__NODE__NODE_DROP_USER_MAPPING_STMT:
    case PG_QUERY__NODE__NODE_IMPORT_FOREIGN_SCHEMA_STMT:
    case PG_QUERY__NODE__NODE_CREATE_PUBLICATION_STMT:
    case PG_QUERY__NODE__NODE_ALTER_PUBLICATION_STMT:
    case PG_QUERY__NODE__NODE_CREATE_SUBSCRIPTION_STMT:
    case PG_QUERY__NODE__NODE_ALTER_SUBSCRIPTION_STMT:
    case PG_QUERY__NODE__NODE_DROP_SUBSCRIPTION_STMT:
        report_unsupported_tag(lc, node,
                               "Foreign data and logical replication do not exist in "
                               "DSQL: move data with a loader.");
        break;
    case PG_QUERY__NODE__NODE_CREATE_POLICY_STMT:
    case PG_QUERY__NODE__NODE_ALTER_POLICY_STMT:
    case PG_QUERY__NODE__NODE_ALTER_DEFAULT_PRIVILEGES_STMT:
        report_unsupported_tag(lc, node,
                               "Row-level security and default privileges do not "
                               "exist in DSQL: grant explicitly and filter rows in the "
                               "application.");
        break;
    case PG_QUERY__NODE__NODE_CREATE_CAST_STMT:
    case PG_QUERY__NODE__NODE_CREATE_OP_CLASS_STMT:
    case PG_QUERY__NODE__NODE_CREATE_OP_FAMILY_STMT:
    case PG_QUERY__NODE__NODE_ALTER_OP_FAMILY_STMT:
    case PG_QUERY__NODE__NODE_CREATE_CONVERSION_STMT:
    case PG_QUERY__NODE__NODE_CREATE_TRANSFORM_STMT:
    case PG_QUERY__NODE__NODE_CREATE_AM_STMT:
    case PG_QUERY__NODE__NODE_ALTER_TSDICTIONARY_STMT:
    case PG_QUERY__NODE__NODE_ALTER_TSCONFIGURATION_STMT:
    case PG_QUERY__NODE__NODE_SEC_LABEL_STMT:
        report_unsupported_tag(lc, node,
                               "DSQL does not support user-defined casts, operator "
                               "classes, access methods or text search objects.");
        break;
    default:
        break;
    }
}

/* ---- clauses anywhere ---- */

static const char *const advisory_functions[] = {
    "pg_advisory_lock",          "pg_advisory_lock_shared",
    "pg_try_advisory_lock",      "pg_try_advisory_lock_shared",
    "pg_advisory_xact_lock",     "pg_advisory_xact_lock_shared",
    "pg_try_advisory_xact_lock", "pg_try_advisory_xact_lock_shared",
    "pg_advisory_unlock",        "pg_advisory_unlock_shared",
    "pg_advisory_unlock_all",
};

static void walk_check(LintCtx *lc, const ProtobufCMessage *m)
{
    if (m->descriptor == &pg_query__func_call__descriptor) {
        const PgQuery__FuncCall *fc = (const PgQuery__FuncCall *)m;
        const char *name = lint_name_last(fc->funcname, fc->n_funcname);
        for (size_t i = 0; i < ARRAY_LEN(advisory_functions); i++)
            if (strcmp(name, advisory_functions[i]) == 0)
                lint_report(lc, "unsupported_feature", lint_loc(lc, fc->location),
                            mem_sprintf(lc->cx, "function %s not supported", name),
                            "Advisory locks do not exist in DSQL: coordinate with a row that "
                            "transactions update (optimistic concurrency makes one of them "
                            "retry).");
    } else if (m->descriptor == &pg_query__locking_clause__descriptor) {
        const PgQuery__LockingClause *lk = (const PgQuery__LockingClause *)m;
        if (lk->strength == PG_QUERY__LOCK_CLAUSE_STRENGTH__LCS_FORSHARE ||
            lk->strength == PG_QUERY__LOCK_CLAUSE_STRENGTH__LCS_FORNOKEYUPDATE)
            lint_report(lc, "unsupported_feature", lc->stmt_start,
                        "locking clauses other than FOR UPDATE/FOR KEY SHARE are not supported",
                        "Use FOR UPDATE (or FOR KEY SHARE to protect a referenced key).");
    } else if (m->descriptor == &pg_query__range_table_sample__descriptor) {
        const PgQuery__RangeTableSample *ts = (const PgQuery__RangeTableSample *)m;
        lint_report(lc, "unsupported_feature", lint_loc(lc, ts->location),
                    "TABLESAMPLE clause not supported",
                    "Sample with WHERE random() < fraction, or ORDER BY random() LIMIT n.");
    }
}

static void walk_message(LintCtx *lc, const ProtobufCMessage *m, int depth)
{
    if (depth > LINT_WALK_MAX_DEPTH) return;
    walk_check(lc, m);
    const ProtobufCMessageDescriptor *d = m->descriptor;
    const char *base = (const char *)m;
    for (unsigned i = 0; i < d->n_fields; i++) {
        const ProtobufCFieldDescriptor *f = &d->fields[i];
        if (f->type != PROTOBUF_C_TYPE_MESSAGE) continue;
        if (f->label == PROTOBUF_C_LABEL_REPEATED) {
            size_t n = *(const size_t *)(base + f->quantifier_offset);
            ProtobufCMessage *const *items = *(ProtobufCMessage *const *const *)(base + f->offset);
            for (size_t k = 0; k < n; k++)
                if (items[k]) walk_message(lc, items[k], depth + 1);
            continue;
        }
        if ((f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) &&
            *(const uint32_t *)(base + f->quantifier_offset) != f->id)
            continue;
        const ProtobufCMessage *sub = *(ProtobufCMessage *const *)(base + f->offset);
        if (sub) walk_message(lc, sub, depth + 1);
    }
}

void lint_walk(LintCtx *lc, const PgQuery__Node *node)
{
    walk_message(lc, &node->base, 0);
}

/* ---- transaction rules ---- */

static LintTxnClass txn_class(const PgQuery__Node *node)
{
    switch (node->node_case) {
    case PG_QUERY__NODE__NODE_CREATE_STMT:
    case PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT:
    case PG_QUERY__NODE__NODE_INDEX_STMT:
    case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:
    case PG_QUERY__NODE__NODE_DROP_STMT:
    case PG_QUERY__NODE__NODE_RENAME_STMT:
    case PG_QUERY__NODE__NODE_VIEW_STMT:
    case PG_QUERY__NODE__NODE_CREATE_SEQ_STMT:
    case PG_QUERY__NODE__NODE_ALTER_SEQ_STMT:
    case PG_QUERY__NODE__NODE_CREATE_SCHEMA_STMT:
    case PG_QUERY__NODE__NODE_CREATE_FUNCTION_STMT:
    case PG_QUERY__NODE__NODE_ALTER_FUNCTION_STMT:
    case PG_QUERY__NODE__NODE_CREATE_DOMAIN_STMT:
    case PG_QUERY__NODE__NODE_ALTER_DOMAIN_STMT:
    case PG_QUERY__NODE__NODE_CREATE_STATS_STMT:
    case PG_QUERY__NODE__NODE_ALTER_STATS_STMT:
    case PG_QUERY__NODE__NODE_ALTER_OBJECT_SCHEMA_STMT:
    case PG_QUERY__NODE__NODE_ALTER_OWNER_STMT:
        return LINT_TXN_DDL;
    case PG_QUERY__NODE__NODE_INSERT_STMT:
    case PG_QUERY__NODE__NODE_UPDATE_STMT:
    case PG_QUERY__NODE__NODE_DELETE_STMT:
    case PG_QUERY__NODE__NODE_MERGE_STMT:
        return LINT_TXN_DML;
    case PG_QUERY__NODE__NODE_COPY_STMT:
        return node->copy_stmt->is_from ? LINT_TXN_DML : LINT_TXN_NONE;
    default:
        return LINT_TXN_NONE;
    }
}

/* Inserts "COMMIT; BEGIN;" before the current statement, on its own lines
 * when the statement starts a line. */
static void split_transaction(LintCtx *lc, LintDiag *d)
{
    int line = lc->stmt_start;
    while (line > 0 && (lc->sql[line - 1] == ' ' || lc->sql[line - 1] == '\t'))
        line--;
    if (line == 0 || lc->sql[line - 1] == '\n') {
        char *indent = mem_strndup(lc->cx, lc->sql + line, (size_t)(lc->stmt_start - line));
        lint_edit_add(lc, line, line, mem_sprintf(lc->cx, "%sCOMMIT;\n%sBEGIN;\n", indent, indent));
    } else {
        lint_edit_add(lc, lc->stmt_start, lc->stmt_start, "COMMIT; BEGIN; ");
    }
    lint_fix_set(lc, d, LINT_FIX_WITH_WARNING,
                 "Split the transaction before this statement: the two parts commit "
                 "separately, so a failure can leave the first part applied.");
}

void lint_txn_statement(LintCtx *lc, const PgQuery__Node *node)
{
    if (node->node_case == PG_QUERY__NODE__NODE_TRANSACTION_STMT) {
        const PgQuery__TransactionStmt *ts = node->transaction_stmt;
        switch (ts->kind) {
        case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_BEGIN:
        case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_START:
            if (!lc->in_block) lc->block_ddl = lc->block_dml = 0;
            lc->in_block = true;
            break;
        case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT:
        case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK:
        case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_PREPARE:
            lc->block_ddl = lc->block_dml = 0;
            lc->in_block = ts->chain && lc->in_block;
            break;
        default:
            break;
        }
        return;
    }
    LintTxnClass cls = txn_class(node);
    if (!lc->in_block || cls == LINT_TXN_NONE) return;
    if (cls == LINT_TXN_DDL && lc->block_ddl > 0) {
        LintDiag *d = lint_report(lc, "multi_ddl_transaction", lc->stmt_start,
                                  "multiple ddl statements not supported in a transaction",
                                  "Run each DDL statement in its own transaction.");
        split_transaction(lc, d);
        lc->block_ddl = 1;
        lc->block_dml = 0;
    } else if ((cls == LINT_TXN_DDL && lc->block_dml > 0) ||
               (cls == LINT_TXN_DML && lc->block_ddl > 0)) {
        LintDiag *d = lint_report(lc, "ddl_dml_transaction", lc->stmt_start,
                                  "ddl and dml are not supported in the same transaction",
                                  "Commit the schema change before changing data (or the other "
                                  "way round).");
        split_transaction(lc, d);
        lc->block_ddl = cls == LINT_TXN_DDL;
        lc->block_dml = cls == LINT_TXN_DML;
    } else if (cls == LINT_TXN_DDL) {
        lc->block_ddl++;
    } else {
        lc->block_dml++;
    }
}
