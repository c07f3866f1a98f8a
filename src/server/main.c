/*
 * The borealis binary: routes argv to a subcommand.  Each subcommand lives
 * in its room; this file only dispatches.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_iam.h"
#include "cli/cluster.h"
#include "mcp/mcp.h"
#include "server/server.h"
#include "tools/tools.h"

static void usage(FILE *f)
{
    fprintf(f, "Borealis: a distributed SQL database that behaves like Aurora DSQL.\n\n"
               "usage: borealis <command> [options]\n\n"
               "commands:\n"
               "  start    run a node (default: ./borealis-data, 127.0.0.1:5432)\n"
               "  token    print an auth token for connecting\n"
               "  sql      open psql on the local node as admin\n"
               "  cluster  create, inspect, update and delete clusters (control-plane API)\n"
               "  iam      IAM users and roles whose access keys can log in\n"
               "  lint     check SQL against Aurora DSQL (--fix, --format json)\n"
               "  convert  convert MySQL DDL: borealis convert mysql FILE|-\n"
               "  mcp      MCP server of the DSQL skill on stdin/stdout\n\n"
               "Run \"borealis <command> --help\" for a command's options.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "start") == 0) return server_start_main(argc - 1, argv + 1);
    if (strcmp(cmd, "token") == 0) return cli_token_main(argc - 1, argv + 1);
    if (strcmp(cmd, "sql") == 0) return cli_sql_main(argc - 1, argv + 1);
    if (strcmp(cmd, "iam") == 0) return cli_iam_main(argc - 1, argv + 1);
    if (strcmp(cmd, "cluster") == 0) return cli_cluster_main(argc - 1, argv + 1);
    if (strcmp(cmd, "lint") == 0) return tools_lint_main(argc - 1, argv + 1);
    if (strcmp(cmd, "convert") == 0) return tools_convert_main(argc - 1, argv + 1);
    if (strcmp(cmd, "mcp") == 0) return mcp_main(argc - 1, argv + 1);
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        usage(stdout);
        return 0;
    }
    fprintf(stderr, "borealis: unknown command \"%s\"\n\n", cmd);
    usage(stderr);
    return 2;
}
