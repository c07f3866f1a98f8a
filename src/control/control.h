/*
 * The control room's public header: the AWS-compatible control-plane API
 * (service dsql, version 2018-05-10, restJson1) over HTTP.
 *
 * control_request_handle is the whole API as a pure function of one
 * request (method, raw path, raw query, headers, body): it verifies the
 * SigV4 signature, routes, validates, changes the fleet registry and fills
 * the response with AWS's JSON and error shapes.  http.c puts it behind
 * libmicrohttpd.  Opening and closing a cluster's storage is the server's
 * job, asked through ControlHooks; the hooks move the cluster on from
 * CREATING / DELETING (fleet.h has the status diagram).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"
#include "common/common.h"
#include "fleet/fleet.h"

#define CONTROL_BODY_MAX (512 * 1024) /* request bodies: 200 tags, a policy */
#define CONTROL_HEADERS_MAX 64
#define CONTROL_PARAMS_MAX 32
#define CONTROL_CLOCK_SKEW_SECONDS (15 * 60)
#define CONTROL_SERVICE "dsql"

typedef struct ControlHooks {
    /* Starts opening a cluster just added as CREATING; the server sets it
     * ACTIVE (or FAILED) in the registry when done.  Called without the
     * fleet lock. */
    void (*cluster_create)(void *arg, const char *id);
    /* Starts removing a cluster just set DELETING; the server refuses new
     * connections, frees its files and sets it DELETED when done. */
    void (*cluster_delete)(void *arg, const char *id);
    void *arg;
} ControlHooks;

typedef struct ControlApi {
    Fleet *fleet;
    const char *region;
    const char *endpoint_domain; /* "on.aws": endpoints are <id>.dsql.<region>.<domain> */
    AuthSecretLookup lookup;     /* credential store */
    void *lookup_arg;
    /* The one key allowed to call the API (the fleet's admin); a request
     * correctly signed with another key gets AccessDeniedException.  NULL:
     * every known key may. */
    const char *admin_access_key_id;
    ControlHooks hooks;
} ControlApi;

typedef struct ControlHeader {
    const char *name;
    const char *value;
} ControlHeader;

/* One HTTP request as received: path and query still percent-encoded. */
typedef struct ControlRequest {
    const char *method;
    const char *path;
    const ControlHeader *query; /* name/value pairs, raw, in arrival order */
    size_t n_query;
    const ControlHeader *headers;
    size_t n_headers;
    const char *body;
    size_t body_len;
    int64_t now; /* unix seconds */
} ControlRequest;

typedef struct ControlResponse {
    int status;          /* HTTP status */
    char error_type[64]; /* x-amzn-ErrorType, "" on success */
    StrBuf body;         /* JSON */
} ControlResponse;

void control_response_init(ControlResponse *r);
void control_response_fini(ControlResponse *r);
/* Answers one request; never fails (errors are AWS error responses). */
void control_request_handle(const ControlApi *api, const ControlRequest *req,
                            ControlResponse *resp);

typedef struct ControlServer ControlServer;
/* Serves api on host:port (port 0 picks one; *bound_port tells), over
 * HTTPS when cert_pem and key_pem are given, plain HTTP when NULL. */
int control_server_start(const ControlApi *api, const char *host, int port, const char *cert_pem,
                         const char *key_pem, ControlServer **out, int *bound_port, DbError *err);
void control_server_stop(ControlServer *s);
