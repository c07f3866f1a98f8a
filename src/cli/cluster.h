/*
 * `borealis cluster …`: the control-plane API from the command line
 * (cluster.c), over a small SigV4-signing HTTP client (cluster_http.c).
 * The declaration of the subcommand lives here rather than in cli.h so the
 * cluster commands stay in files of their own.
 */
#pragma once

#include <stddef.h>

#include "common/common.h"

int cli_cluster_main(int argc, char **argv);

#define CLI_HTTP_RESPONSE_MAX (4 * 1024 * 1024)

typedef struct CliApi {
    char host[256];
    int port;
    char region[64];
    char access_key_id[129];
    char secret_access_key[129];
} CliApi;

typedef struct CliHttpResponse {
    int status;
    char error_type[128]; /* x-amzn-ErrorType, "" when absent */
    StrBuf body;
} CliHttpResponse;

/* Sends one SigV4-signed request (path and query already percent-encoded;
 * query "" for none) and reads the whole answer.  -1 with err when the API
 * cannot be reached or answers something that is not HTTP. */
int cli_http_call(const CliApi *api, const char *method, const char *path, const char *query,
                  const char *body, CliHttpResponse *resp, DbError *err);
