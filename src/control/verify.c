/*
 * SigV4 verification of control-plane requests (header form):
 *
 *   Authorization: AWS4-HMAC-SHA256 Credential=<key>/<yyyymmdd>/<region>/dsql/aws4_request,
 *                  SignedHeaders=<h1;h2;...>, Signature=<64 hex>
 *
 * The canonical request is rebuilt from what arrived — the raw path encoded
 * once more (AWS's double encoding for non-S3 services), the decoded query
 * re-encoded and sorted, the signed headers trimmed, the body's SHA-256 —
 * and signed with the secret from the credential store; signatures are
 * compared in constant time.  Refusals use AWS's common error shapes.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "control/control_int.h"

#define CONTROL_SIG_MSG                                                                            \
    "The request signature we calculated does not match the signature you provided. Check "        \
    "your AWS Secret Access Key and signing method. Consult the service documentation for "        \
    "details."

typedef struct ControlAuthHeader {
    char key_id[AUTH_ACCESS_KEY_ID_MAX + 1];
    char date8[9];
    char region[AUTH_REGION_MAX + 1];
    char service[32];
    char signed_headers[1024];
    char signature[AUTH_SHA256_HEX_LEN + 1];
} ControlAuthHeader;

/* Copies the value of "name=" up to ',' or end into out; -1 when missing or
 * too long. */
static int control_auth_field(const char *s, const char *name, char *out, size_t size)
{
    size_t nl = strlen(name);
    for (const char *p = s; *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        while (len > 0 && p[len - 1] == ' ')
            len--;
        if (len > nl && strncmp(p, name, nl) == 0 && p[nl] == '=') {
            size_t vl = len - nl - 1;
            if (vl >= size) return -1;
            memcpy(out, p + nl + 1, vl);
            out[vl] = '\0';
            return 0;
        }
        if (!end) break;
        p = end + 1;
    }
    return -1;
}

static int control_auth_parse(const char *h, ControlAuthHeader *a)
{
    size_t al = strlen(AUTH_SIGV4_ALGORITHM);
    if (strncmp(h, AUTH_SIGV4_ALGORITHM, al) != 0 || h[al] != ' ') return -1;
    char cred[512];
    if (control_auth_field(h + al + 1, "Credential", cred, sizeof cred) != 0 ||
        control_auth_field(h + al + 1, "SignedHeaders", a->signed_headers,
                           sizeof a->signed_headers) != 0 ||
        control_auth_field(h + al + 1, "Signature", a->signature, sizeof a->signature) != 0)
        return -1;
    /* key/date/region/service/aws4_request */
    char *parts[5];
    size_t n = 0;
    char *save = NULL;
    for (char *t = strtok_r(cred, "/", &save); t && n < 5; t = strtok_r(NULL, "/", &save))
        parts[n++] = t;
    if (n != 5 || strtok_r(NULL, "/", &save) || strcmp(parts[4], AUTH_SIGV4_TERMINATOR) != 0)
        return -1;
    if (strlen(parts[0]) > AUTH_ACCESS_KEY_ID_MAX || strlen(parts[1]) != 8 ||
        strlen(parts[2]) > AUTH_REGION_MAX || strlen(parts[3]) >= sizeof a->service)
        return -1;
    snprintf(a->key_id, sizeof a->key_id, "%s", parts[0]);
    snprintf(a->date8, sizeof a->date8, "%s", parts[1]);
    snprintf(a->region, sizeof a->region, "%s", parts[2]);
    snprintf(a->service, sizeof a->service, "%s", parts[3]);
    return strlen(a->signature) == AUTH_SHA256_HEX_LEN ? 0 : -1;
}

/* "name:value\n" per signed header: value trimmed, inner whitespace runs
 * collapsed to one space.  -1 when a signed header is absent. */
static int control_canonical_headers(const ControlRequest *req, const char *signed_headers,
                                     StrBuf *out)
{
    char names[1024];
    snprintf(names, sizeof names, "%s", signed_headers);
    bool has_host = false;
    char *save = NULL;
    for (char *name = strtok_r(names, ";", &save); name; name = strtok_r(NULL, ";", &save)) {
        const char *v = control_header_get(req, name);
        if (!v) return -1;
        if (strcmp(name, "host") == 0) has_host = true;
        strbuf_appendf(out, "%s:", name);
        while (isspace((unsigned char)*v))
            v++;
        bool space = false;
        for (; *v; v++) {
            if (isspace((unsigned char)*v)) {
                space = true;
                continue;
            }
            if (space) strbuf_append_char(out, ' ');
            space = false;
            strbuf_append_char(out, *v);
        }
        strbuf_append_char(out, '\n');
    }
    return has_host ? 0 : -1;
}

static bool control_hex_equal(const char *a, const char *b, size_t n)
{
    unsigned char diff = 0;
    for (size_t i = 0; i < n; i++)
        diff |= (unsigned char)(tolower((unsigned char)a[i]) ^ tolower((unsigned char)b[i]));
    return diff == 0;
}

static int control_sigv4_refuse(ControlCall *call, int status, const char *type, const char *msg)
{
    control_error(call->resp, status, type, NULL, "%s", msg);
    return -1;
}

int control_sigv4_verify(ControlCall *call)
{
    const ControlRequest *req = call->req;
    const char *auth = control_header_get(req, "authorization");
    if (!auth)
        return control_sigv4_refuse(call, 403, "MissingAuthenticationTokenException",
                                    "Missing Authentication Token");
    ControlAuthHeader a;
    const char *amz_date = control_header_get(req, "x-amz-date");
    int64_t signed_at;
    if (control_auth_parse(auth, &a) != 0 || !amz_date ||
        auth_sigv4_date_parse(amz_date, strlen(amz_date), &signed_at) != 0 ||
        strncmp(amz_date, a.date8, 8) != 0)
        return control_sigv4_refuse(call, 400, "IncompleteSignatureException",
                                    "Authorization header requires 'Credential', "
                                    "'Signature', 'SignedHeaders' and a matching X-Amz-Date.");
    if (strcmp(a.service, CONTROL_SERVICE) != 0 || strcmp(a.region, call->api->region) != 0)
        return control_sigv4_refuse(call, 403, "InvalidSignatureException",
                                    "Credential should be scoped to a valid region and service.");
    if (signed_at > req->now + CONTROL_CLOCK_SKEW_SECONDS ||
        signed_at < req->now - CONTROL_CLOCK_SKEW_SECONDS)
        return control_sigv4_refuse(call, 403, "InvalidSignatureException",
                                    "Signature expired: the request's X-Amz-Date is more than "
                                    "15 minutes from the server's time.");
    char secret[AUTH_SECRET_ACCESS_KEY_MAX + 1];
    if (call->api->lookup(call->api->lookup_arg, a.key_id, secret, sizeof secret) != 0)
        return control_sigv4_refuse(call, 403, "UnrecognizedClientException",
                                    "The security token included in the request is invalid.");

    StrBuf uri, query, headers, creq;
    strbuf_init(&uri);
    strbuf_init(&query);
    strbuf_init(&headers);
    strbuf_init(&creq);
    auth_sigv4_uri_encode(&uri, req->path, strlen(req->path), true);
    AuthSigV4Param params[CONTROL_PARAMS_MAX];
    for (size_t i = 0; i < call->n_params; i++)
        params[i] = (AuthSigV4Param){call->params[i].name, strlen(call->params[i].name),
                                     call->params[i].value, strlen(call->params[i].value)};
    int rc = auth_sigv4_canonical_query(params, call->n_params, &query);
    if (rc == 0) rc = control_canonical_headers(req, a.signed_headers, &headers);
    unsigned char body_hash[AUTH_SHA256_BYTES], sig[AUTH_SHA256_BYTES];
    char body_hex[AUTH_SHA256_HEX_LEN + 1], sig_hex[AUTH_SHA256_HEX_LEN + 1];
    if (rc == 0) rc = auth_sha256(req->body ? req->body : "", req->body_len, body_hash);
    if (rc == 0) {
        hex_encode(body_hash, sizeof body_hash, body_hex);
        AuthSigV4Request sr = {
            .method = req->method,
            .canonical_uri = uri.len ? uri.data : "/",
            .canonical_query = query.len ? query.data : "",
            .canonical_headers = headers.data ? headers.data : "",
            .signed_headers = a.signed_headers,
            .payload_sha256_hex = body_hex,
        };
        auth_sigv4_canonical_request(&sr, &creq);
        rc = auth_sigv4_sign(secret, amz_date, a.region, a.service, creq.data, creq.len, sig);
    }
    strbuf_fini(&uri);
    strbuf_fini(&query);
    strbuf_fini(&headers);
    strbuf_fini(&creq);
    explicit_bzero(secret, sizeof secret);
    if (rc != 0)
        return control_sigv4_refuse(call, 403, "InvalidSignatureException", CONTROL_SIG_MSG);
    hex_encode(sig, sizeof sig, sig_hex);
    if (!control_hex_equal(sig_hex, a.signature, AUTH_SHA256_HEX_LEN))
        return control_sigv4_refuse(call, 403, "InvalidSignatureException", CONTROL_SIG_MSG);
    if (call->api->admin_access_key_id && strcmp(a.key_id, call->api->admin_access_key_id) != 0) {
        control_error(call->resp, 403, "AccessDeniedException", NULL,
                      "User with access key %s is not authorized to perform dsql control-plane "
                      "operations on this fleet",
                      a.key_id);
        return -1;
    }
    return 0;
}
