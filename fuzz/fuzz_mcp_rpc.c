/*
 * libFuzzer target for the MCP server's JSON-RPC decoder (mcp/rpc.c and
 * the argument checks of the tools behind it): arbitrary bytes are one
 * input line to mcp_rpc_handle_line, which must answer (or stay silent for
 * a notification) without crashing, reading outside the input or leaking.
 * The server runs documentation-only (no cluster), so tools/call reaches
 * dsql_lint and the refusals of the database tools, never the network.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mcp/mcp_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    McpServer srv = {.cfg = {.endpoint = NULL}};
    char *line = malloc(size + 1);
    if (!line) return 0;
    memcpy(line, data, size);
    line[size] = '\0';
    json_t *reply = mcp_rpc_handle_line(&srv, line, size);
    if (reply) {
        char *text = json_dumps(reply, JSON_COMPACT);
        free(text);
        json_decref(reply);
    }
    mcp_db_close(&srv);
    free(line);
    return 0;
}
