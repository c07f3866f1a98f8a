/*
 * `borealis sql`: opens psql against the local node as admin with a fresh
 * token, TLS verified against the node's CA (sslmode=verify-full).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/auth.h"
#include "cli/cli.h"
#include "common/common.h"

int cli_sql_main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"data", required_argument, NULL, 'd'},
        {"command", required_argument, NULL, 'c'},
        {"user", required_argument, NULL, 'U'},
        {NULL, 0, NULL, 0},
    };
    const char *data = "borealis-data", *command = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "c:", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            data = optarg;
            break;
        case 'c':
            command = optarg;
            break;
        default:
            fprintf(stderr, "usage: borealis sql [--data DIR] [-c SQL]\n");
            return 2;
        }
    }
    DbError err;
    DataDir dd;
    DataDirEndpoint ep;
    if (datadir_open(data, &dd, &err) != 0 || datadir_endpoint_load(&dd, &ep, &err) != 0) {
        fprintf(stderr, "borealis sql: %s\n%s\n", err.message, err.hint);
        return 1;
    }
    AuthCredential cred;
    memset(&cred, 0, sizeof cred);
    snprintf(cred.access_key_id, sizeof cred.access_key_id, "%s", dd.access_key_id);
    snprintf(cred.secret_access_key, sizeof cred.secret_access_key, "%s", dd.secret_access_key);
    AuthTokenRequest req = {
        .hostname = ep.host,
        .region = dd.region,
        .action = AUTH_ACTION_DB_CONNECT_ADMIN,
        .expires_seconds = LIMIT_TOKEN_DEFAULT_EXPIRES_SECONDS,
        .now = clock_wall_seconds(),
        .credential = &cred,
    };
    StrBuf token;
    strbuf_init(&token);
    if (auth_token_generate(&req, &token, &err) != 0) {
        fprintf(stderr, "borealis sql: %s\n", err.message);
        return 1;
    }
    char ca[DATADIR_PATH_MAX + 32], conninfo[DATADIR_PATH_MAX + 512];
    datadir_path(&dd, "tls/ca.crt", ca, sizeof ca);
    snprintf(conninfo, sizeof conninfo,
             "host=%s port=%d user=admin dbname=postgres sslmode=verify-full sslrootcert=%s "
             "application_name=borealis-sql",
             ep.host, ep.port, ca);
    setenv("PGPASSWORD", token.data, 1);
    strbuf_fini(&token);
    char *args[8];
    int n = 0;
    args[n++] = "psql";
    args[n++] = "-X";
    args[n++] = conninfo;
    if (command) {
        args[n++] = "-c";
        args[n++] = (char *)command;
    }
    args[n] = NULL;
    execvp("psql", args);
    perror("borealis sql: could not run psql (install postgresql-client-15)");
    return 1;
}
