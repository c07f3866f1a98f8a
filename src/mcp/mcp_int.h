/*
 * Private to the mcp room: the server's configuration and connection, the
 * read-only guard, the database calls and the tools.  Tools build their
 * answer as an McpToolResult; rpc.c turns it into an MCP CallToolResult.
 */
#pragma once

#include <jansson.h>
#include <libpq-fe.h>
#include <stdbool.h>

#include "common/common.h"

#define MCP_SERVER_NAME "borealis-mcp"
#define MCP_APPLICATION_NAME "awslabs.aurora-dsql-mcp-server"
#define MCP_LINT_MAX_CHARS 1000000
#define MCP_MAX_MESSAGE_BYTES (16 * 1024 * 1024) /* one JSON-RPC line */

typedef struct McpConfig {
    const char *endpoint; /* host name without :port; NULL = documentation-only */
    int port;
    const char *user;
    const char *region;
    const char *profile; /* accepted for compatibility, unused */
    const char *data_dir;
    bool allow_writes;
} McpConfig;

typedef struct McpServer {
    McpConfig cfg;
    PGconn *conn; /* the one persistent connection, opened lazily */
} McpServer;

/* A tool's answer: either rows (one text item each, structuredContent
 * {"result": rows}), or one JSON object (one text item, structuredContent
 * = the object), or an error message (isError). */
typedef struct McpToolResult {
    json_t *rows;   /* array, owned */
    json_t *object; /* object, owned */
    char *error;    /* malloc'd message, client sees "Error executing tool <name>: <error>" */
} McpToolResult;

void mcp_result_error(McpToolResult *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void mcp_result_fini(McpToolResult *r);

/* ---- rpc.c ---- */
/* Handles one line of input; returns the reply to write (owned), or NULL
 * when the message needs none (notifications, responses). */
json_t *mcp_rpc_handle_line(McpServer *srv, const char *line, size_t len);
/* A JSON-RPC error reply (id NULL: null). */
json_t *mcp_rpc_error(json_t *id, int code, const char *message);

/* ---- tools.c ---- */
json_t *mcp_tools_list(const McpServer *srv);
/* Runs a tool.  Returns false when the tool does not exist. */
bool mcp_tools_call(McpServer *srv, const char *name, json_t *args, McpToolResult *out);

/* ---- guard.c: what the query tools refuse before touching the database ---- */
typedef enum McpGuardMode {
    MCP_GUARD_READ_ONLY,  /* readonly_query, transact without --allow-writes */
    MCP_GUARD_READ_WRITE, /* transact with --allow-writes */
} McpGuardMode;
/* Returns NULL when sql may run, else the message to refuse it with (in
 * cx).  tool names the tool for syntax-error messages. */
const char *mcp_guard_check(const char *sql, McpGuardMode mode, const char *tool, MemContext *cx);

/* ---- db.c ---- */
/* Opens the persistent connection if there is none.  Fails with a message
 * (malloc'd into *msg). */
int mcp_db_connect(McpServer *srv, char **msg);
void mcp_db_close(McpServer *srv);
bool mcp_db_broken(const McpServer *srv);
/* Runs sql with params (a JSON array or NULL/null).  On success *rows (if
 * rows is not NULL) gets the result rows as a JSON array.  On failure returns
 * -1 and fills sqlstate (6 bytes) and *msg (malloc'd, primary message). */
int mcp_db_exec(McpServer *srv, const char *sql, json_t *params, json_t **rows, char *sqlstate,
                char **msg);
/* Runs a statement whose failure is only logged (ROLLBACK, RESET ...). */
bool mcp_db_exec_quiet(McpServer *srv, const char *sql);

/* ---- placeholders.c ---- */
/* sql with psycopg's "%s" placeholders as "$1, $2, ..." (malloc'd), or NULL
 * when sql holds no "%s" outside literals and comments. */
char *mcp_placeholders_rewrite(const char *sql);

/* ---- lint.c ---- */
void mcp_tool_dsql_lint(json_t *args, McpToolResult *out);
