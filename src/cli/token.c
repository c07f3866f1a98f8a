/*
 * `borealis token`: prints a DSQL-style auth token (SigV4 presigned URL)
 * made with the given credential, else AWS_ACCESS_KEY_ID /
 * AWS_SECRET_ACCESS_KEY, else the data directory's admin credential.  The
 * host name defaults to the running node's listen address, the region to the
 * node's region.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "cli/cli.h"
#include "common/common.h"

static void token_usage(FILE *f)
{
    fprintf(f,
            "usage: borealis token [--admin] [--data DIR] [--expires-in SECONDS] [--hostname H]\n"
            "                      [--region R] [--access-key-id K --secret-access-key S]\n");
}

int cli_token_main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"admin", no_argument, NULL, 'a'},
        {"data", required_argument, NULL, 'd'},
        {"expires-in", required_argument, NULL, 'e'},
        {"hostname", required_argument, NULL, 'h'},
        {"region", required_argument, NULL, 'r'},
        {"access-key-id", required_argument, NULL, 'k'},
        {"secret-access-key", required_argument, NULL, 's'},
        {"help", no_argument, NULL, 'H'},
        {NULL, 0, NULL, 0},
    };
    bool admin = false;
    const char *data = "borealis-data", *hostname = NULL, *region = NULL, *akid = NULL,
               *secret = NULL;
    long long expires = LIMIT_TOKEN_DEFAULT_EXPIRES_SECONDS;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'a':
            admin = true;
            break;
        case 'd':
            data = optarg;
            break;
        case 'e': {
            char *end;
            expires = strtoll(optarg, &end, 10);
            if (*end || expires <= 0 || expires > LIMIT_TOKEN_EXPIRES_SECONDS) {
                fprintf(stderr, "borealis token: --expires-in must be 1..%d seconds\n",
                        LIMIT_TOKEN_EXPIRES_SECONDS);
                return 2;
            }
            break;
        }
        case 'h':
            hostname = optarg;
            break;
        case 'r':
            region = optarg;
            break;
        case 'k':
            akid = optarg;
            break;
        case 's':
            secret = optarg;
            break;
        case 'H':
            token_usage(stdout);
            return 0;
        default:
            token_usage(stderr);
            return 2;
        }
    }
    if ((akid == NULL) != (secret == NULL)) {
        fprintf(stderr, "borealis token: give both --access-key-id and --secret-access-key\n");
        return 2;
    }
    if (!akid && getenv("AWS_ACCESS_KEY_ID") && getenv("AWS_SECRET_ACCESS_KEY")) {
        akid = getenv("AWS_ACCESS_KEY_ID");
        secret = getenv("AWS_SECRET_ACCESS_KEY");
    }
    DbError err;
    DataDir dd;
    bool have_dd = false;
    if (!akid || !hostname || !region) {
        if (datadir_open(data, &dd, &err) != 0) {
            fprintf(stderr, "borealis token: %s\n%s%s", err.message, err.hint,
                    err.hint[0] ? "\n" : "");
            return 1;
        }
        have_dd = true;
    }
    AuthCredential cred;
    memset(&cred, 0, sizeof cred);
    snprintf(cred.access_key_id, sizeof cred.access_key_id, "%s", akid ? akid : dd.access_key_id);
    snprintf(cred.secret_access_key, sizeof cred.secret_access_key, "%s",
             secret ? secret : dd.secret_access_key);
    char host[256];
    if (hostname) {
        snprintf(host, sizeof host, "%s", hostname);
    } else {
        DataDirEndpoint ep;
        if (datadir_endpoint_load(&dd, &ep, &err) != 0) {
            fprintf(stderr, "borealis token: %s\n%s\n", err.message, err.hint);
            return 1;
        }
        snprintf(host, sizeof host, "%s", ep.host);
    }
    AuthTokenRequest req = {
        .hostname = host,
        .region = region ? region : (have_dd ? dd.region : "local"),
        .action = admin ? AUTH_ACTION_DB_CONNECT_ADMIN : AUTH_ACTION_DB_CONNECT,
        .expires_seconds = expires,
        .now = clock_wall_seconds(),
        .credential = &cred,
        .session_token = getenv("AWS_SESSION_TOKEN"),
    };
    StrBuf out;
    strbuf_init(&out);
    if (auth_token_generate(&req, &out, &err) != 0) {
        fprintf(stderr, "borealis token: %s\n", err.message);
        strbuf_fini(&out);
        return 1;
    }
    printf("%s\n", out.data);
    strbuf_fini(&out);
    return 0;
}
