/*
 * The query tools' guard: what readonly_query and transact refuse before
 * any statement reaches the database, with the original server's messages
 * and order of checks (spec §4.4 steps 3-5, §4.5 step 4, §4.10).
 *
 * The original classifies SQL with regular expressions; this guard parses it
 * with the real grammar (the parse room) and judges statement kinds, so
 * literals, comments and quoted identifiers cannot fool it and words inside
 * strings do not trip it.  Read-only means: only SELECT (without INTO,
 * locking clauses or data-modifying CTEs), SHOW, VALUES/TABLE and EXPLAIN of
 * those.  The database's own READ ONLY transaction is the second fence; this
 * one only decides which message the client gets and spares a round trip.
 */
#include <string.h>

#include "mcp/mcp_int.h"
#include "parse/parse.h"

#define MCP_GUARD_MAX_DEPTH 10000

#define MSG_WRITE                                                                                  \
    "Your MCP server does not allow write operations. To use write operations, change the MCP "    \
    "configuration per README.md"
#define MSG_BYPASS "Query contains patterns that could bypass read-only transaction controls"

/* What a scan of the statements found. */
typedef struct GuardFindings {
    bool write;        /* not a read-only statement kind, or a write inside one */
    bool txn_control;  /* BEGIN, COMMIT, SAVEPOINT, ... */
    bool copy_program; /* COPY ... TO/FROM PROGRAM */
    bool guc;          /* row_security / session_replication_role */
    bool dangerous;    /* a function from the original's deny list */
    bool sleep;        /* pg_sleep, pg_sleep_for, pg_sleep_until */
} GuardFindings;

/* The original's dangerous_function list (spec §4.9, injection step 3). */
static const char *const dangerous_functions[] = {
    "pg_cancel_backend",
    "pg_terminate_backend",
    "pg_read_file",
    "pg_read_binary_file",
    "pg_ls_dir",
    "pg_stat_file",
    "lo_import",
    "lo_export",
    "pg_reload_conf",
    "pg_rotate_logfile",
    "pg_advisory_lock",
    "pg_advisory_lock_shared",
    "pg_advisory_xact_lock",
    "pg_advisory_xact_lock_shared",
    "pg_try_advisory_lock",
    "pg_try_advisory_lock_shared",
    "pg_try_advisory_xact_lock",
    "pg_try_advisory_xact_lock_shared",
    "pg_advisory_unlock",
    "pg_advisory_unlock_shared",
    "pg_advisory_unlock_all",
    "pg_notify",
    "dblink",
    "dblink_connect",
    "dblink_connect_u",
    "dblink_exec",
    "dblink_send_query",
    "dblink_open",
    "dblink_fetch",
    "dblink_close",
    "dblink_get_connections",
};

static bool is_security_guc(const char *name)
{
    return name &&
           (strcmp(name, "row_security") == 0 || strcmp(name, "session_replication_role") == 0);
}

static const char *node_string(const PgQuery__Node *n)
{
    if (!n) return NULL;
    if (n->node_case == PG_QUERY__NODE__NODE_STRING) return n->string->sval;
    if (n->node_case == PG_QUERY__NODE__NODE_A_CONST &&
        n->a_const->val_case == PG_QUERY__A__CONST__VAL_SVAL)
        return n->a_const->sval->sval;
    return NULL;
}

static void check_func_call(const PgQuery__FuncCall *fc, GuardFindings *f)
{
    if (fc->n_funcname == 0) return;
    const char *name = node_string(fc->funcname[fc->n_funcname - 1]);
    if (!name) return;
    for (size_t i = 0; i < ARRAY_LEN(dangerous_functions); i++)
        if (strcmp(name, dangerous_functions[i]) == 0) f->dangerous = true;
    if (strcmp(name, "pg_sleep") == 0 || strcmp(name, "pg_sleep_for") == 0 ||
        strcmp(name, "pg_sleep_until") == 0)
        f->sleep = true;
    /* Functions that change state although they sit in a SELECT. */
    if (strcmp(name, "set_config") == 0 || strcmp(name, "nextval") == 0 ||
        strcmp(name, "setval") == 0)
        f->write = true;
    if (strcmp(name, "set_config") == 0 && fc->n_args > 0 &&
        is_security_guc(node_string(fc->args[0])))
        f->guc = true;
}

/* Walks every message below m (protobuf-c descriptors make this generic). */
static void walk(const ProtobufCMessage *m, int depth, GuardFindings *f)
{
    if (depth > MCP_GUARD_MAX_DEPTH) {
        f->write = true; /* too deep to judge: refuse */
        return;
    }
    const ProtobufCMessageDescriptor *d = m->descriptor;
    if (d == &pg_query__func_call__descriptor)
        check_func_call((const PgQuery__FuncCall *)m, f);
    else if (d == &pg_query__insert_stmt__descriptor || d == &pg_query__update_stmt__descriptor ||
             d == &pg_query__delete_stmt__descriptor || d == &pg_query__merge_stmt__descriptor ||
             d == &pg_query__into_clause__descriptor || d == &pg_query__locking_clause__descriptor)
        f->write = true;
    const char *base = (const char *)m;
    for (unsigned i = 0; i < d->n_fields; i++) {
        const ProtobufCFieldDescriptor *fd = &d->fields[i];
        if (fd->type != PROTOBUF_C_TYPE_MESSAGE) continue;
        if (fd->label == PROTOBUF_C_LABEL_REPEATED) {
            size_t n = *(const size_t *)(base + fd->quantifier_offset);
            ProtobufCMessage *const *items = *(ProtobufCMessage *const *const *)(base + fd->offset);
            for (size_t k = 0; k < n; k++)
                if (items[k]) walk(items[k], depth + 1, f);
            continue;
        }
        if ((fd->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) &&
            *(const uint32_t *)(base + fd->quantifier_offset) != fd->id)
            continue;
        const ProtobufCMessage *sub = *(ProtobufCMessage *const *)(base + fd->offset);
        if (sub) walk(sub, depth + 1, f);
    }
}

/* Is node, at the top of a statement, a read-only kind? */
static bool read_only_kind(const PgQuery__Node *node)
{
    switch (node->node_case) {
    case PG_QUERY__NODE__NODE_SELECT_STMT:
    case PG_QUERY__NODE__NODE_VARIABLE_SHOW_STMT:
        return true;
    case PG_QUERY__NODE__NODE_EXPLAIN_STMT:
        /* EXPLAIN ANALYZE runs its statement: judge what it explains. */
        return node->explain_stmt->query && read_only_kind(node->explain_stmt->query);
    default:
        return false;
    }
}

static void scan_statement(const ParsedStmt *st, GuardFindings *f)
{
    if (!st->node) { /* AWS IAM GRANT/REVOKE */
        f->write = true;
        return;
    }
    const PgQuery__Node *node = st->node;
    if (!read_only_kind(node)) f->write = true;
    switch (node->node_case) {
    case PG_QUERY__NODE__NODE_TRANSACTION_STMT:
        f->txn_control = true;
        break;
    case PG_QUERY__NODE__NODE_VARIABLE_SET_STMT:
        if (is_security_guc(node->variable_set_stmt->name)) f->guc = true;
        break;
    case PG_QUERY__NODE__NODE_COPY_STMT:
        if (node->copy_stmt->is_program) f->copy_program = true;
        break;
    default:
        break;
    }
    walk(&node->base, 0, f);
}

/* The original's injection message: a Python list repr of one finding. */
static const char *injection(MemContext *cx, const char *label)
{
    return mem_sprintf(cx,
                       "Your query contains risky injection patterns: [{'type': 'sql', 'label': "
                       "'%s', 'message': 'Suspicious pattern detected: %s', 'severity': 'high'}]",
                       label, label);
}

const char *mcp_guard_check(const char *sql, McpGuardMode mode, const char *tool, MemContext *cx)
{
    ParseResult pr;
    DbError err;
    if (parse_sql(cx, sql, &pr, &err) != 0)
        return mem_sprintf(cx, "Error executing %s: %s", tool, err.message);
    GuardFindings f;
    memset(&f, 0, sizeof f);
    for (size_t i = 0; i < pr.n_stmts; i++)
        scan_statement(&pr.stmts[i], &f);
    /* The original's order: writes, then injection patterns (first match
     * wins, in its order), then the transaction-bypass check. */
    if (mode == MCP_GUARD_READ_ONLY && f.write) return MSG_WRITE;
    if (f.copy_program) return injection(cx, "copy_program");
    if (f.guc) return injection(cx, "security_sensitive_guc");
    if (f.dangerous) return injection(cx, "dangerous_function");
    if (pr.n_stmts > 1) return injection(cx, "stacked_query");
    if (f.sleep) return injection(cx, "pg_sleep_time_based");
    /* The tool owns BEGIN and COMMIT: a COMMIT inside would end its
     * transaction early and run the rest outside it. */
    if (f.txn_control) return MSG_BYPASS;
    return NULL;
}
