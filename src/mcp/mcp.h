/*
 * The mcp room's public header: `borealis mcp`, the MCP server of the DSQL
 * skill (spec dsql-skill-and-mcp §4), speaking JSON-RPC 2.0 over stdio.
 *
 * A client program: it reaches the database only through libpq, mints its
 * tokens with auth/'s signing, and lints with the tools room.
 */
#pragma once

/* Exit codes: 0 when stdin closes, 2 on a usage error. */
int mcp_main(int argc, char **argv);
