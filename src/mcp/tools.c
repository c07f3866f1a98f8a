/*
 * The database tools: readonly_query, transact and get_schema (spec §4.3 to
 * §4.6), their tools/list entries, and the dispatch of tools/call (dsql_lint
 * lives in lint.c).  Checks run in the original's order with its messages;
 * everything that touches the database is wrapped "Error executing <tool>:".
 *
 * Connection loss: the original re-runs one statement on a fresh autocommit
 * connection, which can land the rest of a call outside its transaction
 * (§4.2 "Quirk").  Here a call that finds its connection broken is retried
 * once as a whole, from BEGIN, on a new connection.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mcp/mcp_int.h"

#define MSG_NOT_CONFIGURED                                                                         \
    "Database not configured. Please configure --cluster_endpoint, --database_user, and --region."
#define MSG_READ_ONLY_TXN "readonly_query does not support write operations. Use transact"
#define SQLSTATE_READ_ONLY_TXN "25006"

void mcp_result_error(McpToolResult *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    free(r->error);
    if (vasprintf(&r->error, fmt, ap) < 0) r->error = NULL;
    va_end(ap);
}

void mcp_result_fini(McpToolResult *r)
{
    json_decref(r->rows);
    json_decref(r->object);
    free(r->error);
    memset(r, 0, sizeof *r);
}

/* ---- tools/list ---- */

static json_t *tool_entry(const char *name, const char *description, const char *schema)
{
    json_t *s = json_loads(schema, 0, NULL);
    if (!s) log_error("mcp: bad built-in schema for %s", name);
    return json_pack("{s:s, s:s, s:o}", "name", name, "description", description, "inputSchema",
                     s ? s : json_object());
}

json_t *mcp_tools_list(const McpServer *srv)
{
    json_t *tools = json_array();
    if (srv->cfg.endpoint) {
        json_array_append_new(
            tools,
            tool_entry("readonly_query",
                       "Run a read-only SQL query against the configured Aurora DSQL cluster. "
                       "Expected to work: FROM, GROUP BY, ORDER BY, LIMIT, DISTINCT, HAVING, "
                       "USING, WITH (CTEs), INNER/OUTER/CROSS JOIN, UNION/INTERSECT/EXCEPT [ALL], "
                       "window functions. Only SELECT, SHOW and EXPLAIN are accepted, one "
                       "statement per call; it runs inside BEGIN TRANSACTION READ ONLY. Pass "
                       "values in params and refer to them as $1, $2, ... (or %s, psycopg "
                       "style): they are bound by the database, never interpolated.",
                       "{\"type\":\"object\",\"properties\":{"
                       "\"sql\":{\"type\":\"string\",\"description\":\"The SQL query to run\"},"
                       "\"params\":{\"type\":[\"array\",\"null\"],\"default\":null,"
                       "\"description\":\"Values for $1, $2, ... (or %s) in sql\"}},"
                       "\"required\":[\"sql\"]}"));
        json_array_append_new(
            tools,
            tool_entry(
                "transact",
                srv->cfg.allow_writes
                    ? "Execute SQL statements in one transaction: the tool adds BEGIN and "
                      "COMMIT and rolls back if any statement fails. READ-WRITE mode: DDL "
                      "and DML (DSQL allows one DDL statement per transaction and no DDL "
                      "with DML). Best practice: use UUIDs. One statement per list item; "
                      "values go in params_list ($1, $2, ... or %s). Returns the rows of the "
                      "last statement."
                    : "Execute SQL statements in one transaction: the tool adds BEGIN "
                      "TRANSACTION READ ONLY and COMMIT. READ-ONLY mode: consistent "
                      "multi-query snapshot reads; only SELECT, SHOW and EXPLAIN are "
                      "accepted. Returns the rows of the last statement.",
                "{\"type\":\"object\",\"properties\":{"
                "\"sql_list\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},"
                "\"description\":\"List of one or more SQL statements\"},"
                "\"params_list\":{\"type\":[\"array\",\"null\"],\"default\":null,"
                "\"items\":{\"type\":[\"array\",\"null\"]},"
                "\"description\":\"One params array (or null) per statement\"}},"
                "\"required\":[\"sql_list\"]}"));
        json_array_append_new(
            tools, tool_entry("get_schema",
                              "Get the schema of the given table: its columns in order with "
                              "data type, nullability and default. table_name may be "
                              "schema-qualified (schema.table).",
                              "{\"type\":\"object\",\"properties\":{"
                              "\"table_name\":{\"type\":\"string\","
                              "\"description\":\"Name of the table\"}},"
                              "\"required\":[\"table_name\"]}"));
    }
    json_array_append_new(
        tools, tool_entry("dsql_lint",
                          "Check SQL against Aurora DSQL's rules (unsupported types, features "
                          "and statements, one DDL per transaction, CREATE INDEX ASYNC, ...) and "
                          "optionally rewrite what can be fixed mechanically. Returns "
                          "diagnostics, fixed_sql (with fix) and a summary.",
                          "{\"type\":\"object\",\"properties\":{"
                          "\"sql\":{\"type\":\"string\",\"maxLength\":1000000,"
                          "\"description\":\"SQL to check\"},"
                          "\"fix\":{\"type\":\"boolean\",\"default\":false,"
                          "\"description\":\"Also return the fixed SQL\"}},"
                          "\"required\":[\"sql\"]}"));
    return tools;
}

/* ---- readonly_query ---- */

/* Runs the statements of one call inside BEGIN ... COMMIT.  Returns 0, or
 * -1 with out->error set.  begin names the BEGIN statement, tool the tool.
 * *commit_sent tells whether COMMIT went out (its outcome may be unknown). */
static int run_in_txn(McpServer *srv, const char *tool, const char *begin, size_t n,
                      const char *const *sqls, json_t *const *params, McpToolResult *out,
                      bool *commit_sent)
{
    *commit_sent = false;
    char state[6], *msg = NULL;
    if (mcp_db_connect(srv, &msg) != 0) {
        mcp_result_error(out, "Error executing %s: Failed to create connection due to error : %s",
                         tool, msg);
        free(msg);
        return -1;
    }
    if (mcp_db_exec(srv, begin, NULL, NULL, state, &msg) != 0) {
        if (strcmp(tool, "readonly_query") == 0)
            mcp_result_error(out, "Error executing %s: Internal Error", tool);
        else
            mcp_result_error(out, "Error executing %s: %s: %s", tool,
                             strcmp(begin, "BEGIN") == 0 ? "Failed to begin transaction"
                                                         : "Failed to begin read only transaction",
                             msg);
        free(msg);
        return -1;
    }
    json_t *rows = NULL;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        json_decref(rows);
        rows = NULL;
        rc = mcp_db_exec(srv, sqls[i], params[i], &rows, state, &msg);
    }
    if (rc == 0) {
        *commit_sent = true;
        rc = mcp_db_exec(srv, "COMMIT", NULL, NULL, state, &msg);
    }
    if (rc != 0) {
        json_decref(rows);
        if (!mcp_db_broken(srv) && !mcp_db_exec_quiet(srv, "ROLLBACK"))
            log_error("mcp: Failed to rollback transaction");
        mcp_result_error(out, "Error executing %s: %s", tool,
                         strcmp(state, SQLSTATE_READ_ONLY_TXN) == 0 ? MSG_READ_ONLY_TXN : msg);
        free(msg);
        return -1;
    }
    out->rows = rows;
    return 0;
}

/* Session scrub after read-only calls (spec §4.2 HEAD): a SET that slipped
 * through must not leak into the next call; if it cannot be undone the
 * connection goes.  The original also runs RESET ROLE; Borealis refuses
 * that (as it refuses SET ROLE), and the guard refuses SET ROLE in read-only
 * calls, so there is no role to reset. */
static void scrub_session(McpServer *srv)
{
    if (!srv->conn || mcp_db_broken(srv)) return;
    if (!mcp_db_exec_quiet(srv, "RESET ALL")) {
        log_error("mcp: Failed to reset session state");
        mcp_db_close(srv);
    }
}

/* Retries a call once, from BEGIN, when it broke its connection before
 * COMMIT went out: the server then rolled it back.  A connection lost
 * during COMMIT leaves the outcome unknown, so that call is not re-run. */
static void run_with_retry(McpServer *srv, const char *tool, const char *begin, size_t n,
                           const char *const *sqls, json_t *const *params, bool scrub,
                           McpToolResult *out)
{
    for (int attempt = 0; attempt < 2; attempt++) {
        mcp_result_fini(out);
        bool commit_sent;
        int rc = run_in_txn(srv, tool, begin, n, sqls, params, out, &commit_sent);
        if (rc != 0 && (mcp_db_broken(srv) || !srv->conn) && !commit_sent && attempt == 0) {
            mcp_db_close(srv);
            continue;
        }
        break;
    }
    if (scrub) scrub_session(srv);
}

/* The SQL that is checked and run: psycopg's "%s" markers become "$n" when
 * the call passes values (placeholders.c). */
static const char *bind_markers(const char *sql, json_t *params, MemContext *cx)
{
    if (!json_is_array(params) || json_array_size(params) == 0) return sql;
    char *rewritten = mcp_placeholders_rewrite(sql);
    if (!rewritten) return sql;
    const char *s = mem_strdup(cx, rewritten);
    free(rewritten);
    return s;
}

static bool is_blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r') return false;
    return true;
}

static void tool_readonly_query(McpServer *srv, json_t *args, McpToolResult *out)
{
    json_t *params = json_object_get(args, "params");
    const char *sql = json_string_value(json_object_get(args, "sql"));
    if (params && !json_is_array(params) && !json_is_null(params)) {
        mcp_result_error(out, "params must be an array or null");
        return;
    }
    if (!sql || is_blank(sql)) {
        mcp_result_error(out,
                         "Incorrect invocation: readonly_query invoked without a SQL statement");
        return;
    }
    MemContext *cx = mem_context_create(NULL, "mcp guard");
    sql = bind_markers(sql, params, cx);
    const char *refusal = mcp_guard_check(sql, MCP_GUARD_READ_ONLY, "readonly_query", cx);
    if (refusal) {
        mcp_result_error(out, "%s", refusal);
    } else {
        const char *sqls[1] = {sql};
        json_t *ps[1] = {params};
        run_with_retry(srv, "readonly_query", "BEGIN TRANSACTION READ ONLY", 1, sqls, ps, true,
                       out);
    }
    mem_context_destroy(cx);
}

/* ---- transact ---- */

static void tool_transact(McpServer *srv, json_t *args, McpToolResult *out)
{
    json_t *list = json_object_get(args, "sql_list");
    json_t *plist = json_object_get(args, "params_list");
    if (list && !json_is_array(list)) {
        mcp_result_error(out, "sql_list must be an array of strings");
        return;
    }
    size_t n = json_array_size(list);
    if (n == 0) {
        mcp_result_error(out, "Incorrect invocation: transact invoked with no sql statements");
        return;
    }
    if (plist && !json_is_null(plist)) {
        if (!json_is_array(plist)) {
            mcp_result_error(out, "params_list must be an array or null");
            return;
        }
        if (json_array_size(plist) != n) {
            mcp_result_error(out, "params_list length (%zu) must equal sql_list length (%zu)",
                             json_array_size(plist), n);
            return;
        }
    }
    const char **sqls = calloc(n, sizeof *sqls);
    json_t **params = calloc(n, sizeof *params);
    McpGuardMode mode = srv->cfg.allow_writes ? MCP_GUARD_READ_WRITE : MCP_GUARD_READ_ONLY;
    MemContext *cx = mem_context_create(NULL, "mcp guard");
    /* Every statement is validated before any runs (spec §4.5 step 4). */
    for (size_t i = 0; i < n && !out->error; i++) {
        sqls[i] = json_string_value(json_array_get(list, i));
        params[i] = json_array_get(plist, i);
        if (!sqls[i]) {
            mcp_result_error(out, "sql_list must be an array of strings");
        } else if (params[i] && !json_is_array(params[i]) && !json_is_null(params[i])) {
            mcp_result_error(out, "params_list entries must be arrays or null");
        } else {
            sqls[i] = bind_markers(sqls[i], params[i], cx);
            const char *refusal = mcp_guard_check(sqls[i], mode, "transact", cx);
            if (refusal) mcp_result_error(out, "%s", refusal);
        }
    }
    if (!out->error)
        run_with_retry(srv, "transact",
                       srv->cfg.allow_writes ? "BEGIN" : "BEGIN TRANSACTION READ ONLY", n, sqls,
                       (json_t *const *)params, !srv->cfg.allow_writes, out);
    mem_context_destroy(cx);
    free(sqls);
    free(params);
}

/* ---- get_schema ---- */

/* Columns in catalog order with nullability and default: the original
 * returns only name and type, the skill promises more: with the column's
 * position in the primary key (null when it is not a key column), from
 * information_schema.key_column_usage, which lists only primary keys here. */
#define SCHEMA_SQL                                                                                 \
    "SELECT column_name, data_type, is_nullable, column_default, "                                 \
    "(SELECT k.ordinal_position FROM information_schema.key_column_usage k "                       \
    "WHERE k.table_schema = c.table_schema AND k.table_name = c.table_name "                       \
    "AND k.column_name = c.column_name) AS primary_key_position "                                  \
    "FROM information_schema.columns c WHERE "

static void tool_get_schema(McpServer *srv, json_t *args, McpToolResult *out)
{
    const char *name = json_string_value(json_object_get(args, "table_name"));
    if (!name || !*name) {
        mcp_result_error(out, "Incorrect invocation: Schema invoked without a table name");
        return;
    }
    const char *dot = strchr(name, '.');
    char *schema = dot ? strndup(name, (size_t)(dot - name)) : NULL;
    json_t *params = dot ? json_pack("[ss]", schema, dot + 1) : json_pack("[s]", name);
    const char *sql = dot ? SCHEMA_SQL "LOWER(table_schema) = LOWER($1) AND "
                                       "LOWER(table_name) = LOWER($2) "
                                       "ORDER BY table_schema, ordinal_position"
                          : SCHEMA_SQL "LOWER(table_name) = LOWER($1) "
                                       "ORDER BY table_schema, ordinal_position";
    for (int attempt = 0; attempt < 2; attempt++) {
        mcp_result_fini(out);
        char state[6], *msg = NULL;
        if (mcp_db_connect(srv, &msg) != 0) {
            mcp_result_error(out,
                             "Error executing get_schema: Failed to create connection due to "
                             "error : %s",
                             msg);
        } else if (mcp_db_exec(srv, sql, params, &out->rows, state, &msg) != 0) {
            mcp_result_error(out, "Error executing get_schema: %s", msg);
            if (mcp_db_broken(srv) && attempt == 0) {
                free(msg);
                mcp_db_close(srv);
                continue;
            }
        }
        free(msg);
        break;
    }
    json_decref(params);
    free(schema);
}

bool mcp_tools_call(McpServer *srv, const char *name, json_t *args, McpToolResult *out)
{
    bool db_tool = strcmp(name, "readonly_query") == 0 || strcmp(name, "transact") == 0 ||
                   strcmp(name, "get_schema") == 0;
    if (db_tool && !srv->cfg.endpoint) {
        mcp_result_error(out, MSG_NOT_CONFIGURED);
        return true;
    }
    if (strcmp(name, "readonly_query") == 0)
        tool_readonly_query(srv, args, out);
    else if (strcmp(name, "transact") == 0)
        tool_transact(srv, args, out);
    else if (strcmp(name, "get_schema") == 0)
        tool_get_schema(srv, args, out);
    else if (strcmp(name, "dsql_lint") == 0)
        mcp_tool_dsql_lint(args, out);
    else
        return false;
    return true;
}
