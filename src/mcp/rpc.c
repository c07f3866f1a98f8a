/*
 * JSON-RPC 2.0 for MCP over stdio: one message per line.  Answers
 * initialize (version negotiation), ping, tools/list and tools/call; takes
 * notifications without a reply; ignores responses (the server sends no
 * requests).  Protocol errors: -32700 bad JSON, -32600 not a request,
 * -32601 unknown method, -32602 bad tools/call parameters.  Tool failures
 * are not protocol errors: they are results with isError (MCP spec).
 */
#include <string.h>

#include "common/version.h"
#include "mcp/mcp_int.h"

#define RPC_PARSE_ERROR -32700
#define RPC_INVALID_REQUEST -32600
#define RPC_METHOD_NOT_FOUND -32601
#define RPC_INVALID_PARAMS -32602

/* Newest first: the answer when the client asks for one we do not know. */
static const char *const protocol_versions[] = {"2025-11-25", "2025-06-18", "2025-03-26",
                                                "2024-11-05"};

json_t *mcp_rpc_error(json_t *id, int code, const char *message)
{
    return json_pack("{s:s, s:O, s:{s:i, s:s}}", "jsonrpc", "2.0", "id", id ? id : json_null(),
                     "error", "code", code, "message", message);
}

static json_t *rpc_result(json_t *id, json_t *result)
{
    return json_pack("{s:s, s:O, s:o}", "jsonrpc", "2.0", "id", id, "result", result);
}

static json_t *initialize_result(json_t *params)
{
    const char *asked = json_string_value(json_object_get(params, "protocolVersion"));
    const char *version = protocol_versions[0];
    for (size_t i = 0; asked && i < ARRAY_LEN(protocol_versions); i++)
        if (strcmp(asked, protocol_versions[i]) == 0) version = protocol_versions[i];
    return json_pack("{s:s, s:{s:{}}, s:{s:s, s:s}, s:s}", "protocolVersion", version,
                     "capabilities", "tools", "serverInfo", "name", MCP_SERVER_NAME, "version",
                     BOREALIS_VERSION, "instructions",
                     "Borealis (Aurora DSQL) MCP server. readonly_query runs one read-only "
                     "query; transact runs statements in one transaction (READ-ONLY mode: "
                     "consistent multi-query reads; READ-WRITE mode, with --allow-writes: DDL "
                     "and DML); get_schema describes a table; dsql_lint checks SQL against "
                     "DSQL's rules.");
}

/* A tool's answer as an MCP CallToolResult (spec §4.11: one text item per
 * row, structuredContent {"result": rows}; one item for an object). */
static json_t *call_result(const char *tool, McpToolResult *r)
{
    json_t *content = json_array();
    json_t *res = json_object();
    if (r->error) {
        char *text = NULL;
        if (asprintf(&text, "Error executing tool %s: %s", tool, r->error) < 0) text = NULL;
        json_array_append_new(
            content, json_pack("{s:s, s:s}", "type", "text", "text", text ? text : r->error));
        free(text);
        json_object_set_new(res, "isError", json_true());
    } else if (r->rows) {
        size_t i;
        json_t *row;
        json_array_foreach(r->rows, i, row)
        {
            char *text = json_dumps(row, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
            json_array_append_new(content, json_pack("{s:s, s:s}", "type", "text", "text", text));
            free(text);
        }
        json_object_set_new(res, "structuredContent", json_pack("{s:O}", "result", r->rows));
    } else if (r->object) {
        char *text = json_dumps(r->object, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        json_array_append_new(content, json_pack("{s:s, s:s}", "type", "text", "text", text));
        free(text);
        json_object_set(res, "structuredContent", r->object);
    }
    json_object_set_new(res, "content", content);
    return res;
}

static json_t *tools_call(McpServer *srv, json_t *id, json_t *params)
{
    const char *name = json_string_value(json_object_get(params, "name"));
    json_t *args = json_object_get(params, "arguments");
    if (!name) return mcp_rpc_error(id, RPC_INVALID_PARAMS, "tools/call needs a tool name");
    if (args && !json_is_object(args) && !json_is_null(args))
        return mcp_rpc_error(id, RPC_INVALID_PARAMS, "arguments must be an object");
    json_t *empty = json_object();
    McpToolResult r;
    memset(&r, 0, sizeof r);
    bool found = mcp_tools_call(srv, name, json_is_object(args) ? args : empty, &r);
    json_decref(empty);
    json_t *reply;
    if (!found) {
        char msg[300];
        snprintf(msg, sizeof msg, "Unknown tool: %.200s", name);
        reply = mcp_rpc_error(id, RPC_INVALID_PARAMS, msg);
    } else {
        if (r.error) log_error("mcp: %s: %s", name, r.error);
        reply = rpc_result(id, call_result(name, &r));
    }
    mcp_result_fini(&r);
    return reply;
}

json_t *mcp_rpc_handle_line(McpServer *srv, const char *line, size_t len)
{
    json_error_t jerr;
    json_t *msg = json_loadb(line, len, 0, &jerr);
    if (!msg) return mcp_rpc_error(NULL, RPC_PARSE_ERROR, "Parse error");
    json_t *reply = NULL;
    json_t *id = json_object_get(msg, "id");
    const char *method = json_string_value(json_object_get(msg, "method"));
    const char *version = json_string_value(json_object_get(msg, "jsonrpc"));
    if (!json_is_object(msg) || !version || strcmp(version, "2.0") != 0) {
        reply = mcp_rpc_error(id, RPC_INVALID_REQUEST, "Invalid Request");
    } else if (!method) {
        /* A response (result/error) to nothing we sent: ignored. */
        if (!json_object_get(msg, "result") && !json_object_get(msg, "error"))
            reply = mcp_rpc_error(id, RPC_INVALID_REQUEST, "Invalid Request");
    } else if (!id) {
        /* Notifications (initialized, cancelled, ...) get no reply. */
    } else if (strcmp(method, "initialize") == 0) {
        reply = rpc_result(id, initialize_result(json_object_get(msg, "params")));
    } else if (strcmp(method, "ping") == 0) {
        reply = rpc_result(id, json_object());
    } else if (strcmp(method, "tools/list") == 0) {
        reply = rpc_result(id, json_pack("{s:o}", "tools", mcp_tools_list(srv)));
    } else if (strcmp(method, "tools/call") == 0) {
        reply = tools_call(srv, id, json_object_get(msg, "params"));
    } else {
        reply = mcp_rpc_error(id, RPC_METHOD_NOT_FOUND, "Method not found");
    }
    json_decref(msg);
    return reply;
}
