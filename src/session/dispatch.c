/*
 * Statement dispatch: one switch over statement kinds (session_dispatch),
 * the transaction around each statement (session_execute), and the
 * handlers that are the session's own (SHOW, SET) or thin calls into the
 * rooms that own the work (analyze/exec for queries, catalog for DDL).
 * Both the simple and the extended query protocol run statements here.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "catalog/catalog.h"
#include "catalog/role.h"
#include "catalog/view.h"
#include "exec/exec.h"
#include "session/session_int.h"

void session_command_complete(Session *s, const char *tag)
{
    snprintf(s->last_tag, sizeof s->last_tag, "%s", tag);
    if (!s->no_tag) wire_command_complete_encode(&s->out, tag);
}

ExecContext session_exec_context(Session *s)
{
    ExecContext ec = {
        .cx = s->stmt_cx,
        .current_user = s->user,
        .session_user = s->user,
        .database = s->database,
        .search_schema = "public",
        .backend_pid = s->pid,
        .txn = s->txn,
        .params = s->params,
        .n_params = s->n_params,
        .txn_start_us = s->txn_start_us,
        .seq = &s->seq_hooks,
    };
    return ec;
}

/* Runs an analyzed query and sends its rows and command tag. */
static int session_run_query(Session *s, const Query *q, DbError *err)
{
    ExecContext ec = session_exec_context(s);
    WireSink ws;
    ResultSink sink;
    session_sink_init(s, &ws, &sink);
    ResultSink *use = s->sink ? s->sink : &sink;
    uint64_t rows;
    int rc = exec_query(&ec, q, use, &rows, err);
    session_sink_fini(&ws);
    if (rc != 0) return -1;
    char tag[64];
    switch (q->kind) {
    case QUERY_SELECT:
        snprintf(tag, sizeof tag, "SELECT %llu", (unsigned long long)rows);
        break;
    case QUERY_INSERT:
        snprintf(tag, sizeof tag, "INSERT 0 %llu", (unsigned long long)rows);
        break;
    case QUERY_UPDATE:
        snprintf(tag, sizeof tag, "UPDATE %llu", (unsigned long long)rows);
        break;
    case QUERY_DELETE:
        snprintf(tag, sizeof tag, "DELETE %llu", (unsigned long long)rows);
        break;
    }
    session_command_complete(s, tag);
    return 0;
}

static int session_dml(Session *s, const ParsedStmt *ps, DbError *err)
{
    AnalyzeContext ac = {.cx = s->stmt_cx,
                         .role = s->user,
                         .sql = ps->text - ps->location,
                         .txn = s->txn,
                         .param_types = s->param_types,
                         .n_params = s->n_param_types};
    Query *q;
    int rc;
    switch (ps->node->node_case) {
    case PG_QUERY__NODE__NODE_SELECT_STMT:
        rc = analyze_select(&ac, ps->node->select_stmt, &q, err);
        break;
    case PG_QUERY__NODE__NODE_INSERT_STMT:
        rc = analyze_insert(&ac, ps->node->insert_stmt, &q, err);
        break;
    case PG_QUERY__NODE__NODE_UPDATE_STMT:
        rc = analyze_update(&ac, ps->node->update_stmt, &q, err);
        break;
    default:
        rc = analyze_delete(&ac, ps->node->delete_stmt, &q, err);
        break;
    }
    if (rc != 0) return -1;
    analyze_params_finish(&ac);
    s->param_types = ac.param_types;
    s->n_param_types = ac.n_params;
    if (s->describe_only) {
        /* A SELECT, or DML with RETURNING, has result columns to describe. */
        if (q->kind == QUERY_SELECT && s->sink)
            return s->sink->columns(s->sink->arg, q->targets, q->n_targets, err);
        if (q->n_returning && s->sink)
            return s->sink->columns(s->sink->arg, q->returning, q->n_returning, err);
        return 0;
    }
    return session_run_query(s, q, err);
}

static int session_create_table(Session *s, const ParsedStmt *ps, DbError *err)
{
    AnalyzeContext ac = {.cx = s->stmt_cx, .sql = ps->text - ps->location, .txn = s->txn};
    const PgQuery__CreateStmt *cs = ps->node->create_stmt;
    TableDesc *d;
    if (analyze_create_table(&ac, cs, &d, err) != 0) return -1;
    /* The new table's DEFAULT and CHECK expressions must analyze. */
    Expr **exprs;
    if (analyze_table_checks(&ac, d, &exprs, err) != 0) return -1;
    if (analyze_table_defaults(&ac, d, &exprs, err) != 0) return -1;
    if (cs->if_not_exists) {
        TableDesc *existing;
        bool found;
        if (catalog_table_lookup(s->txn, d->schema, d->name, s->stmt_cx, &existing, &found, err))
            return -1;
        if (found) {
            char msg[256];
            snprintf(msg, sizeof msg, "relation \"%s\" already exists, skipping", d->name);
            session_send_notice(s, SQLSTATE_DUPLICATE_TABLE, DB_SEVERITY_NOTICE, msg);
            session_command_complete(s, "CREATE TABLE");
            return 0;
        }
    }
    ExecContext ec = session_exec_context(s);
    if (catalog_check_schema_privilege(s->txn, s->user, d->schema, 'C', err) != 0) return -1;
    if (exec_create_table(&ec, d, err) != 0) return -1;
    if (catalog_object_created(s->txn, d->id, d->schema, 'r', s->user, err) != 0) return -1;
    if (session_identity_sequences(s, d, cs, err) != 0) return -1;
    session_command_complete(s, "CREATE TABLE");
    return 0;
}

static int session_create_view(Session *s, const ParsedStmt *ps, DbError *err)
{
    const PgQuery__ViewStmt *vs = ps->node->view_stmt;
    const PgQuery__RangeVar *rv = vs->view;
    if (rv->relpersistence && rv->relpersistence[0] == 't')
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                            "TEMPORARY or TEMP view not supported for CREATE VIEW");
    if (vs->query->node_case != PG_QUERY__NODE__NODE_SELECT_STMT)
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED, "this view is not supported");
    /* The query must analyze now, against the catalog as it is. */
    AnalyzeContext ac = {.cx = s->stmt_cx, .sql = ps->text - ps->location, .txn = s->txn};
    Query *q;
    if (analyze_select(&ac, vs->query->select_stmt, &q, err) != 0) return -1;
    if (vs->n_aliases > q->n_targets)
        return db_error_set(err, SQLSTATE_SYNTAX_ERROR,
                            "CREATE VIEW specifies more column names than columns");
    ViewDesc d = {
        .schema = rv->schemaname && rv->schemaname[0] ? rv->schemaname : "public",
        .name = rv->relname,
        .sql = ps->text,
    };
    if (catalog_view_put(s->txn, &d, vs->replace, err) != 0) return -1;
    session_command_complete(s, "CREATE VIEW");
    return 0;
}

static int session_drop_view(Session *s, const PgQuery__DropStmt *ds, DbError *err)
{
    for (size_t i = 0; i < ds->n_objects; i++) {
        const PgQuery__List *names = ds->objects[i]->list;
        const char *schema = names->n_items > 1 ? names->items[0]->string->sval : "public";
        const char *name = names->items[names->n_items - 1]->string->sval;
        ViewDesc *d;
        bool found;
        if (catalog_view_lookup(s->txn, schema, name, s->stmt_cx, &d, &found, err) != 0) return -1;
        if (!found) {
            if (!ds->missing_ok)
                return db_error_set(err, SQLSTATE_UNDEFINED_TABLE, "view \"%s\" does not exist",
                                    name);
            char msg[256];
            snprintf(msg, sizeof msg, "view \"%s\" does not exist, skipping", name);
            session_send_notice(s, SQLSTATE_UNDEFINED_TABLE, DB_SEVERITY_NOTICE, msg);
            continue;
        }
        if (catalog_view_drop(s->txn, d, err) != 0) return -1;
    }
    session_command_complete(s, "DROP VIEW");
    return 0;
}

static int session_alter_table(Session *s, const ParsedStmt *ps, DbError *err)
{
    AnalyzeContext ac = {.cx = s->stmt_cx, .sql = ps->text - ps->location, .txn = s->txn};
    const PgQuery__RangeVar *rv;
    const PgQuery__AlterTableStmt *as = NULL;
    const PgQuery__RenameStmt *rs = NULL;
    bool missing_ok;
    if (ps->node->node_case == PG_QUERY__NODE__NODE_ALTER_TABLE_STMT) {
        as = ps->node->alter_table_stmt;
        rv = as->relation;
        missing_ok = as->missing_ok;
        if (as->objtype != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE)
            return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                                "statement %s is not supported yet",
                                parse_node_kind_name(ps->node));
    } else {
        rs = ps->node->rename_stmt;
        rv = rs->relation;
        missing_ok = rs->missing_ok;
        /* Renames of functions, aggregates, schemas and the like name no
         * relation; only relations can be renamed today. */
        if (!rv)
            return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                                "statement %s is not supported yet",
                                parse_node_kind_name(ps->node));
    }
    const char *schema = rv->schemaname && rv->schemaname[0] ? rv->schemaname : "public";
    TableDesc *old, *d;
    bool found;
    if (catalog_table_lookup(s->txn, schema, rv->relname, s->stmt_cx, &old, &found, err) != 0)
        return -1;
    if (!found) {
        if (missing_ok) {
            char msg[256];
            snprintf(msg, sizeof msg, "relation \"%s\" does not exist, skipping", rv->relname);
            session_send_notice(s, SQLSTATE_UNDEFINED_TABLE, DB_SEVERITY_NOTICE, msg);
            session_command_complete(s, "ALTER TABLE");
            return 0;
        }
        return db_error_set(err, SQLSTATE_UNDEFINED_TABLE, "relation \"%s\" does not exist",
                            rv->relname);
    }
    StrBuf notices;
    strbuf_init(&notices);
    int arc = as ? analyze_alter_table(&ac, as, old, &d, &notices, err)
                 : analyze_rename(&ac, rs, old, &d, err);
    for (char *line = notices.data; arc == 0 && line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl) *nl = '\0';
        session_send_notice(s, SQLSTATE_SUCCESSFUL_COMPLETION, DB_SEVERITY_NOTICE, line);
        line = nl ? nl + 1 : NULL;
    }
    strbuf_fini(&notices);
    if (arc != 0) return -1;
    /* The altered DEFAULT and CHECK expressions must analyze. */
    Expr **exprs;
    if (analyze_table_checks(&ac, d, &exprs, err) != 0) return -1;
    if (analyze_table_defaults(&ac, d, &exprs, err) != 0) return -1;
    if (catalog_table_update(s->txn, old, d, err) != 0) return -1;
    session_command_complete(s, "ALTER TABLE");
    return 0;
}

static int session_drop(Session *s, const ParsedStmt *ps, DbError *err)
{
    const PgQuery__DropStmt *ds = ps->node->drop_stmt;
    if (ds->remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE)
        return session_drop_sequence(s, ds, err);
    if (ds->remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_VIEW) return session_drop_view(s, ds, err);
    if (ds->remove_type != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE)
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                            "unsupported object in DROP statement");
    for (size_t i = 0; i < ds->n_objects; i++) {
        const PgQuery__List *names = ds->objects[i]->list;
        const char *schema = names->n_items > 1 ? names->items[0]->string->sval : "public";
        const char *name = names->items[names->n_items - 1]->string->sval;
        TableDesc *d;
        bool found;
        if (catalog_table_lookup(s->txn, schema, name, s->stmt_cx, &d, &found, err) != 0) return -1;
        if (!found) {
            if (!ds->missing_ok)
                return db_error_set(err, SQLSTATE_UNDEFINED_TABLE, "table \"%s\" does not exist",
                                    name);
            char msg[256];
            snprintf(msg, sizeof msg, "table \"%s\" does not exist, skipping", name);
            session_send_notice(s, SQLSTATE_UNDEFINED_TABLE, DB_SEVERITY_NOTICE, msg);
            continue;
        }
        if (catalog_check_table_owner(s->txn, s->user, d, err) != 0) return -1;
        if (catalog_table_drop(s->txn, d, err) != 0) return -1;
    }
    session_command_complete(s, "DROP TABLE");
    return 0;
}

static int session_show(Session *s, const PgQuery__VariableShowStmt *show, DbError *err)
{
    size_t idx;
    const Guc *g = session_guc_find(show->name, &idx);
    if (!g) {
        if (strcasecmp(show->name, "all") == 0)
            return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                                "SHOW ALL is not supported yet");
        return db_error_set(err, SQLSTATE_UNDEFINED_OBJECT,
                            "unrecognized configuration parameter \"%s\"", show->name);
    }
    /* One text column named after the setting, through the statement's sink
     * (the extended protocol's portal or the simple protocol's wire sink). */
    Expr *e = mem_alloc0(s->stmt_cx, sizeof *e);
    e->kind = EXPR_CONST;
    e->type = TYPE_TEXT;
    e->typmod = -1;
    const char *value = s->gucs.values[idx];
    /* transaction_read_only follows the transaction block, not SET. */
    if (strcmp(g->name, "transaction_read_only") == 0)
        value = s->txn_status != 'I' && s->block_read_only ? "on" : "off";
    e->value = datum_bytes(TYPE_TEXT, value, strlen(value));
    TargetEntry te = {.expr = e, .name = g->name};
    WireSink ws;
    ResultSink sink;
    session_sink_init(s, &ws, &sink);
    ResultSink *use = s->sink ? s->sink : &sink;
    int rc = use->columns(use->arg, &te, 1, err);
    if (rc == 0 && !s->describe_only) rc = use->row(use->arg, &e->value, 1, err);
    session_sink_fini(&ws);
    if (rc != 0) return -1;
    if (!s->describe_only) session_command_complete(s, "SHOW");
    return 0;
}

static int session_set(Session *s, const PgQuery__VariableSetStmt *vs, DbError *err)
{
    if (vs->kind == PG_QUERY__VARIABLE_SET_KIND__VAR_SET_MULTI)
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                            "setting configuration parameter \"TRANSACTION\" not supported");
    if (vs->kind == PG_QUERY__VARIABLE_SET_KIND__VAR_RESET_ALL) {
        for (size_t i = 0; i < session_guc_count(); i++)
            if (session_guc_at(i)->settable)
                snprintf(s->gucs.values[i], SESSION_GUC_VALUE_MAX, "%s",
                         session_guc_at(i)->default_value);
        session_command_complete(s, "RESET");
        return 0;
    }
    size_t idx;
    const Guc *g = session_guc_find(vs->name, &idx);
    if (!g || !g->settable)
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                            "setting configuration parameter \"%s\" not supported", vs->name);
    char value[SESSION_GUC_VALUE_MAX] = "";
    if (vs->kind == PG_QUERY__VARIABLE_SET_KIND__VAR_SET_VALUE) {
        size_t o = 0;
        for (size_t i = 0; i < vs->n_args; i++) {
            const PgQuery__Node *a = vs->args[i];
            char part[SESSION_GUC_VALUE_MAX] = "";
            if (a->node_case == PG_QUERY__NODE__NODE_A_CONST) {
                const PgQuery__AConst *c = a->a_const;
                if (c->val_case == PG_QUERY__A__CONST__VAL_SVAL)
                    snprintf(part, sizeof part, "%s", c->sval->sval);
                else if (c->val_case == PG_QUERY__A__CONST__VAL_IVAL)
                    snprintf(part, sizeof part, "%d", c->ival ? c->ival->ival : 0);
                else if (c->val_case == PG_QUERY__A__CONST__VAL_FVAL)
                    snprintf(part, sizeof part, "%s", c->fval->fval);
            }
            o += (size_t)snprintf(value + o, sizeof value - o, "%s%s", i ? ", " : "", part);
            if (o >= sizeof value) break;
        }
    } else {
        snprintf(value, sizeof value, "%s", g->default_value);
    }
    snprintf(s->gucs.values[idx], SESSION_GUC_VALUE_MAX, "%s", value);
    if (g->report) wire_parameter_status_encode(&s->out, g->name, s->gucs.values[idx]);
    session_command_complete(s,
                             vs->kind == PG_QUERY__VARIABLE_SET_KIND__VAR_RESET ? "RESET" : "SET");
    return 0;
}

/* How a statement takes part in transactions, and its command name for
 * messages ("cannot execute INSERT in a read-only transaction"). */
static StmtClass session_classify(const ParsedStmt *ps, const char **command)
{
    *command = "";
    if (ps->dsql != PARSE_DSQL_NONE) {
        *command = ps->dsql == PARSE_DSQL_IAM_GRANT ? "AWS IAM GRANT" : "AWS IAM REVOKE";
        return STMT_DDL;
    }
    switch (ps->node->node_case) {
    case PG_QUERY__NODE__NODE_CREATE_ROLE_STMT:
        *command = "CREATE ROLE";
        return STMT_DDL;
    case PG_QUERY__NODE__NODE_ALTER_ROLE_STMT:
        *command = "ALTER ROLE";
        return STMT_DDL;
    case PG_QUERY__NODE__NODE_DROP_ROLE_STMT:
        *command = "DROP ROLE";
        return STMT_DDL;
    case PG_QUERY__NODE__NODE_ALTER_DEFAULT_PRIVILEGES_STMT:
        *command = "ALTER DEFAULT PRIVILEGES";
        return STMT_DDL;
    case PG_QUERY__NODE__NODE_GRANT_STMT:
    case PG_QUERY__NODE__NODE_GRANT_ROLE_STMT:
        *command = ps->node->node_case == PG_QUERY__NODE__NODE_GRANT_STMT &&
                           !ps->node->grant_stmt->is_grant
                       ? "REVOKE"
                       : "GRANT";
        return STMT_DDL;
    case PG_QUERY__NODE__NODE_SELECT_STMT:
        *command = "SELECT";
        return STMT_READ;
    case PG_QUERY__NODE__NODE_INSERT_STMT:
        *command = "INSERT";
        return STMT_DML;
    case PG_QUERY__NODE__NODE_UPDATE_STMT:
        *command = "UPDATE";
        return STMT_DML;
    case PG_QUERY__NODE__NODE_DELETE_STMT:
        *command = "DELETE";
        return STMT_DML;
    case PG_QUERY__NODE__NODE_CREATE_STMT:
        *command = "CREATE TABLE";
        return STMT_DDL;
    case PG_QUERY__NODE__NODE_DROP_STMT:
        *command = ps->node->drop_stmt->remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE
                       ? "DROP SEQUENCE"
                   : ps->node->drop_stmt->remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_VIEW
                       ? "DROP VIEW"
                       : "DROP TABLE";
        return STMT_DDL;
    case PG_QUERY__NODE__NODE_CREATE_SEQ_STMT:
        *command = "CREATE SEQUENCE";
        return STMT_DDL;
    case PG_QUERY__NODE__NODE_VIEW_STMT:
        *command = "CREATE VIEW";
        return STMT_DDL;
    case PG_QUERY__NODE__NODE_RENAME_STMT:
        *command = ps->node->rename_stmt->rename_type == PG_QUERY__OBJECT_TYPE__OBJECT_ROLE
                       ? "ALTER ROLE"
                       : "ALTER TABLE";
        return STMT_DDL;
    case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:
        *command = "ALTER TABLE";
        return STMT_DDL;
    case PG_QUERY__NODE__NODE_COPY_STMT:
        /* COPY FROM writes, COPY TO reads. */
        *command = "COPY";
        return ps->node->copy_stmt->is_from ? STMT_DML : STMT_READ;
    default:
        return STMT_UTILITY;
    }
}

static int session_dispatch(Session *s, const ParsedStmt *ps, DbError *err)
{
    if (ps->dsql != PARSE_DSQL_NONE) return session_role_stmt(s, ps, err);
    switch (ps->node->node_case) {
    case PG_QUERY__NODE__NODE_CREATE_ROLE_STMT:
    case PG_QUERY__NODE__NODE_ALTER_ROLE_STMT:
    case PG_QUERY__NODE__NODE_DROP_ROLE_STMT:
    case PG_QUERY__NODE__NODE_GRANT_STMT:
    case PG_QUERY__NODE__NODE_GRANT_ROLE_STMT:
    case PG_QUERY__NODE__NODE_ALTER_DEFAULT_PRIVILEGES_STMT:
        return session_role_stmt(s, ps, err);
    case PG_QUERY__NODE__NODE_SELECT_STMT:
    case PG_QUERY__NODE__NODE_INSERT_STMT:
    case PG_QUERY__NODE__NODE_UPDATE_STMT:
    case PG_QUERY__NODE__NODE_DELETE_STMT:
        return session_dml(s, ps, err);
    case PG_QUERY__NODE__NODE_CREATE_STMT:
        return session_create_table(s, ps, err);
    case PG_QUERY__NODE__NODE_DROP_STMT:
        return session_drop(s, ps, err);
    case PG_QUERY__NODE__NODE_CREATE_SEQ_STMT:
        return session_create_sequence(s, ps, err);
    case PG_QUERY__NODE__NODE_VIEW_STMT:
        return session_create_view(s, ps, err);
    case PG_QUERY__NODE__NODE_RENAME_STMT:
        if (ps->node->rename_stmt->rename_type == PG_QUERY__OBJECT_TYPE__OBJECT_ROLE)
            return session_role_stmt(s, ps, err);
        return session_alter_table(s, ps, err);
    case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:
        return session_alter_table(s, ps, err);
    case PG_QUERY__NODE__NODE_VARIABLE_SHOW_STMT:
        return session_show(s, ps->node->variable_show_stmt, err);
    case PG_QUERY__NODE__NODE_COPY_STMT:
        return session_copy(s, ps, err);
    case PG_QUERY__NODE__NODE_VACUUM_STMT:
        /* ANALYZE (VACUUM is refused earlier): statistics are not kept yet,
         * so there is nothing to gather. */
        session_command_complete(s, "ANALYZE");
        return 0;
    case PG_QUERY__NODE__NODE_VARIABLE_SET_STMT:
        return session_set(s, ps->node->variable_set_stmt, err);
    default:
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                            "statement %s is not supported yet", parse_node_kind_name(ps->node));
    }
}

int session_execute(Session *s, const ParsedStmt *ps, DbError *err)
{
    if (ps->node && ps->node->node_case == PG_QUERY__NODE__NODE_TRANSACTION_STMT) {
        int rc = session_transaction_stmt(s, ps->node->transaction_stmt, err);
        /* A refused statement (SAVEPOINT, …) fails the block, as any error. */
        if (rc != 0 && s->txn_status == 'T') {
            session_txn_discard(s);
            s->txn_status = 'E';
        }
        return rc;
    }
    const char *command;
    StmtClass cls = session_classify(ps, &command);
    size_t out_mark = s->out.len;
    /* A refused statement is an error like any other: in a block it fails
     * the block; in the failed state 25P02 takes precedence. */
    if (s->txn_status != 'E' && session_refusal(ps, err) != 0) {
        session_txn_leave(s, false, err);
        return -1;
    }
    if (session_txn_enter(s, cls, command, err) != 0) {
        session_txn_leave(s, false, err);
        return -1;
    }
    int rc = session_dispatch(s, ps, err);
    DbError commit_err;
    if (session_txn_leave(s, rc == 0, rc == 0 ? &commit_err : err) != 0) {
        if (rc == 0) *err = commit_err;
        /* Nothing of a statement that did not happen reaches the client. */
        if (s->out.len >= out_mark) s->out.len = out_mark;
        return -1;
    }
    return rc;
}
