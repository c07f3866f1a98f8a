/*
 * `borealis mcp`: command line (spec §4.1, plus --data for the credential
 * that mints tokens) and the stdio loop.  stdout carries only JSON-RPC
 * messages, one per line; logs go to stderr.  Without --cluster_endpoint,
 * --database_user and --region the server runs documentation-only: only
 * dsql_lint is listed, and database tools answer "Database not configured".
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mcp/mcp.h"
#include "mcp/mcp_int.h"

static void mcp_usage(FILE *f)
{
    fprintf(f, "usage: borealis mcp [--cluster_endpoint HOST[:PORT]] [--database_user USER]\n"
               "                    [--region REGION] [--allow-writes] [--profile NAME]\n"
               "                    [--data DIR]\n"
               "Speaks MCP (JSON-RPC 2.0) on stdin/stdout.  Tokens are minted with --data DIR's\n"
               "admin credential, else AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.\n");
}

/* Splits host:port; a bare host keeps port 5432. */
static int parse_endpoint(char *arg, McpConfig *cfg)
{
    cfg->port = 5432;
    char *colon = strrchr(arg, ':');
    if (colon && !strchr(colon + 1, ']')) {
        char *end;
        long port = strtol(colon + 1, &end, 10);
        if (*end || port <= 0 || port > 65535) return -1;
        *colon = '\0';
        cfg->port = (int)port;
    }
    cfg->endpoint = arg;
    return *arg ? 0 : -1;
}

static int parse_args(int argc, char **argv, McpConfig *cfg)
{
    static const struct option opts[] = {
        {"cluster_endpoint", required_argument, NULL, 'e'},
        {"database_user", required_argument, NULL, 'u'},
        {"region", required_argument, NULL, 'r'},
        {"allow-writes", no_argument, NULL, 'w'},
        {"profile", required_argument, NULL, 'p'},
        {"data", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'e':
            if (parse_endpoint(optarg, cfg) != 0) {
                fprintf(stderr, "borealis mcp: invalid --cluster_endpoint \"%s\"\n", optarg);
                return 2;
            }
            break;
        case 'u':
            cfg->user = optarg;
            break;
        case 'r':
            cfg->region = optarg;
            break;
        case 'w':
            cfg->allow_writes = true;
            break;
        case 'p':
            cfg->profile = optarg;
            break;
        case 'd':
            cfg->data_dir = optarg;
            break;
        case 'h':
            mcp_usage(stdout);
            return 1;
        default:
            mcp_usage(stderr);
            return 2;
        }
    }
    if (optind < argc) {
        mcp_usage(stderr);
        return 2;
    }
    return 0;
}

int mcp_main(int argc, char **argv)
{
    McpServer srv;
    memset(&srv, 0, sizeof srv);
    int rc = parse_args(argc, argv, &srv.cfg);
    if (rc != 0) return rc == 1 ? 0 : rc;
    McpConfig *cfg = &srv.cfg;
    if (!cfg->endpoint || !cfg->user || !cfg->region) {
        log_warn("Aurora DSQL MCP server starting without cluster configuration. Database tools "
                 "will not be available. Please configure --cluster_endpoint, --database_user, "
                 "and --region to enable database operations.");
        log_info("Starting Aurora DSQL MCP server (documentation tools only)");
        cfg->endpoint = NULL;
    } else {
        log_info("Aurora DSQL MCP init with CLUSTER_ENDPOINT:%s, REGION: %s, DATABASE_USER:%s, "
                 "MODE:%s, AWS_PROFILE:%s",
                 cfg->endpoint, cfg->region, cfg->user,
                 cfg->allow_writes ? "READ-WRITE" : "READ-ONLY",
                 cfg->profile ? cfg->profile : "default");
    }
    StrBuf line;
    strbuf_init(&line);
    bool eof = false;
    while (!eof) {
        /* One message per line; a line past the limit is read to its end
         * and dropped, so memory stays bounded whatever the client sends. */
        bool too_long = false;
        int ch;
        strbuf_reset(&line);
        while ((ch = getchar()) != EOF && ch != '\n') {
            if (line.len < MCP_MAX_MESSAGE_BYTES)
                strbuf_append_char(&line, (char)ch);
            else
                too_long = true;
        }
        eof = ch == EOF;
        size_t len = line.len;
        while (len > 0 && line.data[len - 1] == '\r')
            len--;
        if (len == 0 && !too_long) continue;
        json_t *reply = too_long ? mcp_rpc_error(NULL, -32600, "message too large")
                                 : mcp_rpc_handle_line(&srv, line.data, len);
        if (!reply) continue;
        char *text = json_dumps(reply, JSON_COMPACT);
        json_decref(reply);
        if (text) {
            fputs(text, stdout);
            fputc('\n', stdout);
            fflush(stdout);
            free(text);
        }
    }
    strbuf_fini(&line);
    mcp_db_close(&srv);
    return 0;
}
