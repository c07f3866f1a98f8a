/*
 * libFuzzer target for the control-plane API (control/request.c and the
 * operations behind it): arbitrary bytes become one HTTP request and go to
 * control_request_handle, which must answer without crashing, reading
 * outside the input or leaking.
 *
 * Input layout: byte 0 holds flags, then "METHOD\nPATH\nQUERY\nBODY" where
 * QUERY is raw "a=b&c=d".  With flag bit 0 the harness signs the request
 * correctly with the key the fleet knows, so mutations get past SigV4 into
 * URI decoding, routing, JSON parsing and validation; without it the
 * Authorization header is taken from the body's first line, fuzzing the
 * verifier itself.  The registry lives in a temporary directory; the hooks
 * move clusters on at once.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control/control.h"

#define FUZZ_AKID "AKIAIOSFODNN7EXAMPLE"
#define FUZZ_SECRET "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
#define FUZZ_NOW 1736944496 /* 20250115T123456Z */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static Fleet fuzz_fleet;

static int fuzz_lookup(void *arg, const char *access_key_id, char *secret_out, size_t secret_size)
{
    (void)arg;
    if (strcmp(access_key_id, FUZZ_AKID) != 0) return -1;
    snprintf(secret_out, secret_size, "%s", FUZZ_SECRET);
    return 0;
}

static void fuzz_create(void *arg, const char *id)
{
    (void)arg;
    DbError err;
    fleet_lock(&fuzz_fleet);
    FleetCluster *c = fleet_find(&fuzz_fleet, id);
    if (c) {
        c->status = FLEET_ACTIVE;
        fleet_cluster_save(&fuzz_fleet, c, &err);
    }
    fleet_unlock(&fuzz_fleet);
}

static void fuzz_delete(void *arg, const char *id)
{
    (void)arg;
    DbError err;
    fleet_lock(&fuzz_fleet);
    fleet_cluster_remove(&fuzz_fleet, id, &err);
    fleet_unlock(&fuzz_fleet);
}

/* Splits s at the next '\n' (NUL-terminating the piece); NULL at the end. */
static char *fuzz_next_line(char **s)
{
    if (!*s) return NULL;
    char *line = *s, *nl = strchr(line, '\n');
    *s = nl ? nl + 1 : NULL;
    if (nl) *nl = '\0';
    return line;
}

static void fuzz_sign(const ControlRequest *req, const ControlHeader *query, size_t n_query,
                      char *auth, size_t auth_size)
{
    StrBuf uri, cq, creq;
    strbuf_init(&uri);
    strbuf_init(&cq);
    strbuf_init(&creq);
    auth_sigv4_uri_encode(&uri, req->path, strlen(req->path), true);
    AuthSigV4Param params[CONTROL_PARAMS_MAX];
    char decoded[CONTROL_PARAMS_MAX][2][256];
    size_t n = 0;
    for (size_t i = 0; i < n_query && n < CONTROL_PARAMS_MAX; i++) {
        size_t nl, vl;
        if (auth_sigv4_uri_decode(query[i].name, strlen(query[i].name), decoded[n][0], 255, &nl) ||
            auth_sigv4_uri_decode(query[i].value, strlen(query[i].value), decoded[n][1], 255, &vl))
            continue;
        params[n] = (AuthSigV4Param){decoded[n][0], nl, decoded[n][1], vl};
        n++;
    }
    auth_sigv4_canonical_query(params, n, &cq);
    unsigned char hash[AUTH_SHA256_BYTES], sig[AUTH_SHA256_BYTES];
    char hash_hex[AUTH_SHA256_HEX_LEN + 1], sig_hex[AUTH_SHA256_HEX_LEN + 1];
    auth_sha256(req->body, req->body_len, hash);
    hex_encode(hash, sizeof hash, hash_hex);
    AuthSigV4Request sr = {req->method,           uri.len ? uri.data : "/",
                           cq.len ? cq.data : "", "host:api\nx-amz-date:20250115T123456Z\n",
                           "host;x-amz-date",     hash_hex};
    auth_sigv4_canonical_request(&sr, &creq);
    auth_sigv4_sign(FUZZ_SECRET, "20250115T123456Z", "local", "dsql", creq.data, creq.len, sig);
    hex_encode(sig, sizeof sig, sig_hex);
    snprintf(auth, auth_size,
             "AWS4-HMAC-SHA256 Credential=" FUZZ_AKID "/20250115/local/dsql/aws4_request, "
             "SignedHeaders=host;x-amz-date, Signature=%s",
             sig_hex);
    strbuf_fini(&uri);
    strbuf_fini(&cq);
    strbuf_fini(&creq);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool ready;
    if (!ready) {
        char dir[] = "/tmp/borealis-fuzz-control.XXXXXX";
        DbError err;
        if (!mkdtemp(dir) || fleet_open(&fuzz_fleet, dir, "local", "fuzznode", &err) != 0) abort();
        ready = true;
    }
    if (size < 1 || size > CONTROL_BODY_MAX) return 0;
    char *copy = malloc(size); /* bytes 1.., NUL-terminated */
    memcpy(copy, data + 1, size - 1);
    copy[size - 1] = '\0';
    char *rest = copy;
    const char *method = fuzz_next_line(&rest), *path = fuzz_next_line(&rest);
    char *query_s = fuzz_next_line(&rest);
    const char *body = rest ? rest : "";
    ControlHeader query[CONTROL_PARAMS_MAX];
    size_t n_query = 0;
    for (char *save = NULL, *p = query_s ? strtok_r(query_s, "&", &save) : NULL;
         p && n_query < CONTROL_PARAMS_MAX; p = strtok_r(NULL, "&", &save)) {
        char *eq = strchr(p, '=');
        if (eq) *eq = '\0';
        query[n_query++] = (ControlHeader){p, eq ? eq + 1 : ""};
    }
    char auth[512];
    ControlHeader headers[3] = {{"Host", "api"}, {"X-Amz-Date", "20250115T123456Z"}, {NULL, NULL}};
    ControlRequest req = {.method = method ? method : "",
                          .path = path ? path : "",
                          .query = query,
                          .n_query = n_query,
                          .headers = headers,
                          .n_headers = 3,
                          .body = body,
                          .body_len = strlen(body),
                          .now = FUZZ_NOW};
    if (data[0] & 1) {
        fuzz_sign(&req, query, n_query, auth, sizeof auth);
    } else {
        const char *nl = strchr(body, '\n');
        snprintf(auth, sizeof auth, "%.*s", nl ? (int)(nl - body) : (int)strlen(body), body);
    }
    headers[2] = (ControlHeader){"Authorization", auth};
    ControlApi api = {.fleet = &fuzz_fleet,
                      .region = "local",
                      .endpoint_domain = "on.aws",
                      .lookup = fuzz_lookup,
                      .hooks = {fuzz_create, fuzz_delete, NULL}};
    ControlResponse resp;
    control_response_init(&resp);
    control_request_handle(&api, &req, &resp);
    control_response_fini(&resp);
    free(copy);
    return 0;
}
