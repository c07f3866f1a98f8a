/*
 * DSQL auth tokens: generate, parse and verify.
 *
 * A token is a SigV4 presigned GET of path "/" for service "dsql", scheme
 * stripped, only the host header signed, empty payload:
 *
 *   <host>[:port][/]?Action=DbConnect|DbConnectAdmin
 *       &X-Amz-Algorithm=AWS4-HMAC-SHA256
 *       &X-Amz-Credential=<akid>%2F<yyyymmdd>%2F<region>%2Fdsql%2Faws4_request
 *       &X-Amz-Date=<yyyymmddThhmmssZ>&X-Amz-Expires=<1..604800>
 *       [&X-Amz-Security-Token=<token>]&X-Amz-Signature=<64 hex>
 *       &X-Amz-SignedHeaders=host
 *
 * Parameters may come in any order (the JS signer sorts them, botocore and Go
 * put the signature last; Go leaves out the "/").  Parsing never allocates;
 * verifying allocates only scratch buffers.  Which principal may use which
 * role is not decided here (session/ does that with the claims).
 */
#include "auth/auth.h"

#include <assert.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>

#define TOKEN_DENIED "unable to accept connection, access denied"
#define TOKEN_NOT_PRESIGNED "the token is not a presigned DSQL URL"
#define TOKEN_VALUE_MAX 512 /* decoded size of any parameter but the session token */

/* Known parameters, in byte order of their names: the order in which the JS
 * signer writes them, and so the order auth_token_generate writes them. */
typedef enum TokenParam {
    TOKEN_PARAM_ACTION,
    TOKEN_PARAM_ALGORITHM,
    TOKEN_PARAM_CREDENTIAL,
    TOKEN_PARAM_DATE,
    TOKEN_PARAM_EXPIRES,
    TOKEN_PARAM_SECURITY_TOKEN,
    TOKEN_PARAM_SIGNATURE,
    TOKEN_PARAM_SIGNED_HEADERS,
    TOKEN_PARAM_COUNT
} TokenParam;

static const char *const token_param_names[TOKEN_PARAM_COUNT] = {
    "Action",        "X-Amz-Algorithm",      "X-Amz-Credential", "X-Amz-Date",
    "X-Amz-Expires", "X-Amz-Security-Token", "X-Amz-Signature",  "X-Amz-SignedHeaders",
};

/* A parsed token: the claims plus where each raw (still encoded) parameter
 * value sits in the token, for rebuilding the canonical request. */
typedef struct TokenParts {
    AuthTokenClaims claims;
    const char *raw[TOKEN_PARAM_COUNT];
    size_t raw_len[TOKEN_PARAM_COUNT];
    size_t hostname_len; /* claims.host without ":port" */
    int port;            /* 0 when the token has none */
    unsigned char signature[AUTH_SHA256_BYTES];
} TokenParts;

const char *auth_action_name(AuthAction action)
{
    return action == AUTH_ACTION_DB_CONNECT_ADMIN ? "DbConnectAdmin" : "DbConnect";
}

/* Every refusal of a token: 28P01, FATAL, one message, the reason in DETAIL. */
static int token_refuse(DbError *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int token_refuse(DbError *err, const char *fmt, ...)
{
    db_error_fatal(err, SQLSTATE_INVALID_PASSWORD, TOKEN_DENIED);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->detail, sizeof err->detail, fmt, ap);
    va_end(ap);
    return -1;
}

static bool token_is_unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == '~';
}

static bool token_is_hex(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/*
 * Splits "name[:port]" and checks it: a host name of letters, digits, '-',
 * '.' and '_' (no IPv6 literals), and a decimal port 1..65535.
 */
static int token_host_split(const char *host, size_t len, size_t *hostname_len, int *port)
{
    if (len == 0 || len > AUTH_HOST_MAX) return -1;
    const char *colon = memchr(host, ':', len);
    size_t name_len = colon ? (size_t)(colon - host) : len;
    if (name_len == 0) return -1;
    for (size_t i = 0; i < name_len; i++) {
        unsigned char c = (unsigned char)host[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '.' || c == '_'))
            return -1;
    }
    *port = 0;
    if (colon) {
        size_t digits = len - name_len - 1;
        if (digits == 0 || digits > 5) return -1;
        int v = 0;
        for (size_t i = name_len + 1; i < len; i++) {
            if (host[i] < '0' || host[i] > '9') return -1;
            v = v * 10 + (host[i] - '0');
        }
        if (v < 1 || v > 65535) return -1;
        *port = v;
    }
    *hostname_len = name_len;
    return 0;
}

/* An access key id: 1..128 of A-Z a-z 0-9 (AWS's are 16..128 uppercase). */
static bool token_access_key_id_valid(const char *s, size_t len)
{
    if (len == 0 || len > AUTH_ACCESS_KEY_ID_MAX) return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
            return false;
    }
    return true;
}

/* A region: 1..63 of a-z 0-9 '-' ("us-east-1"). */
static bool token_region_valid(const char *s, size_t len)
{
    if (len == 0 || len > AUTH_REGION_MAX) return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    }
    return true;
}

/* Decodes parameter p into buf (NUL-terminated); -1 with err when it does not
 * fit (the escapes were already checked while splitting the query). */
static int token_param_decode(const TokenParts *parts, TokenParam p, char *buf, size_t size,
                              size_t *len, DbError *err)
{
    if (auth_sigv4_uri_decode(parts->raw[p], parts->raw_len[p], buf, size - 1, len) != 0)
        return token_refuse(err, "%s is too long", token_param_names[p]);
    buf[*len] = '\0';
    return 0;
}

/* Host part: everything before '?', minus an optional trailing "/". */
static int token_parse_host(const char *token, size_t host_end, TokenParts *parts, DbError *err)
{
    size_t host_len = host_end;
    if (host_len > 0 && token[host_len - 1] == '/') host_len--;
    if (host_len >= 3 && memmem(token, host_len, "://", 3))
        return token_refuse(err, TOKEN_NOT_PRESIGNED ": it must not start with a URL scheme");
    if (memchr(token, '/', host_len))
        return token_refuse(err, TOKEN_NOT_PRESIGNED ": the URL path must be /");
    if (token_host_split(token, host_len, &parts->hostname_len, &parts->port) != 0)
        return token_refuse(err, TOKEN_NOT_PRESIGNED ": the host is not a valid host name");
    memcpy(parts->claims.host, token, host_len);
    parts->claims.host[host_len] = '\0';
    return 0;
}

/* Splits the query string into the known parameters, checking names, escapes
 * and duplicates; values stay encoded. */
static int token_split_query(const char *q, size_t len, TokenParts *parts, DbError *err)
{
    size_t pos = 0;
    /* Each iteration consumes one '&'-separated segment, so at most len + 1. */
    for (size_t seg = 0; seg <= len; seg++) {
        const char *amp = memchr(q + pos, '&', len - pos);
        size_t end = amp ? (size_t)(amp - q) : len;
        const char *s = q + pos;
        size_t s_len = end - pos;
        if (s_len == 0) return token_refuse(err, TOKEN_NOT_PRESIGNED ": empty query parameter");
        const char *eq = memchr(s, '=', s_len);
        size_t name_len = eq ? (size_t)(eq - s) : s_len;
        if (name_len == 0)
            return token_refuse(err, TOKEN_NOT_PRESIGNED ": malformed query parameter name");
        for (size_t i = 0; i < name_len; i++)
            if (!token_is_unreserved((unsigned char)s[i]))
                return token_refuse(err, TOKEN_NOT_PRESIGNED ": malformed query parameter name");
        TokenParam p = TOKEN_PARAM_COUNT;
        for (int k = 0; k < TOKEN_PARAM_COUNT; k++)
            if (strlen(token_param_names[k]) == name_len &&
                memcmp(token_param_names[k], s, name_len) == 0)
                p = (TokenParam)k;
        if (p == TOKEN_PARAM_COUNT)
            return token_refuse(err, TOKEN_NOT_PRESIGNED ": unexpected query parameter %.*s",
                                (int)(name_len < 64 ? name_len : 64), s);
        if (parts->raw[p])
            return token_refuse(err, TOKEN_NOT_PRESIGNED ": duplicate %s", token_param_names[p]);
        if (!eq)
            return token_refuse(err, TOKEN_NOT_PRESIGNED ": %s has no value", token_param_names[p]);
        const char *v = eq + 1;
        size_t v_len = s_len - name_len - 1;
        for (size_t i = 0; i < v_len; i++) {
            unsigned char c = (unsigned char)v[i];
            if (c == '%' && v_len - i >= 3 && token_is_hex((unsigned char)v[i + 1]) &&
                token_is_hex((unsigned char)v[i + 2])) {
                i += 2;
                continue;
            }
            if (!token_is_unreserved(c))
                return token_refuse(err, TOKEN_NOT_PRESIGNED ": %s is not properly URI-encoded",
                                    token_param_names[p]);
        }
        parts->raw[p] = v;
        parts->raw_len[p] = v_len;
        if (!amp) return 0;
        pos = end + 1;
    }
    return 0;
}

static int token_parse_credential(TokenParts *parts, const char *amz_date, DbError *err)
{
    char buf[TOKEN_VALUE_MAX];
    size_t len;
    if (token_param_decode(parts, TOKEN_PARAM_CREDENTIAL, buf, sizeof buf, &len, err) != 0)
        return -1;
    /* <akid>/<yyyymmdd>/<region>/<service>/aws4_request */
    const char *field[5];
    size_t field_len[5];
    size_t n = 0, start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && buf[i] != '/') continue;
        if (n == 5) {
            n++;
            break;
        }
        field[n] = buf + start;
        field_len[n] = i - start;
        n++;
        start = i + 1;
    }
    if (n != 5)
        return token_refuse(err, TOKEN_NOT_PRESIGNED
                            ": X-Amz-Credential is not "
                            "<access key id>/<date>/<region>/dsql/aws4_request");
    if (!token_access_key_id_valid(field[0], field_len[0]))
        return token_refuse(err, "X-Amz-Credential has an invalid access key id");
    if (field_len[1] != 8 || memcmp(field[1], amz_date, 8) != 0)
        return token_refuse(err, "the X-Amz-Credential date does not match X-Amz-Date");
    if (!token_region_valid(field[2], field_len[2]))
        return token_refuse(err, "X-Amz-Credential has an invalid region");
    if (field_len[3] != strlen(AUTH_TOKEN_SERVICE) ||
        memcmp(field[3], AUTH_TOKEN_SERVICE, field_len[3]) != 0)
        return token_refuse(err, "the token is not signed for service dsql");
    if (field_len[4] != strlen(AUTH_SIGV4_TERMINATOR) ||
        memcmp(field[4], AUTH_SIGV4_TERMINATOR, field_len[4]) != 0)
        return token_refuse(err, "X-Amz-Credential does not end in aws4_request");
    memcpy(parts->claims.access_key_id, field[0], field_len[0]);
    parts->claims.access_key_id[field_len[0]] = '\0';
    memcpy(parts->claims.region, field[2], field_len[2]);
    parts->claims.region[field_len[2]] = '\0';
    return 0;
}

static int token_parse_expires(TokenParts *parts, DbError *err)
{
    char buf[TOKEN_VALUE_MAX];
    size_t len;
    if (token_param_decode(parts, TOKEN_PARAM_EXPIRES, buf, sizeof buf, &len, err) != 0) return -1;
    if (len > 0 && buf[0] == '-') return token_refuse(err, "X-Amz-Expires is negative");
    if (len == 0) return token_refuse(err, "X-Amz-Expires is not a number");
    int64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (buf[i] < '0' || buf[i] > '9') return token_refuse(err, "X-Amz-Expires is not a number");
        /* Saturate: anything past the limit is refused the same way. */
        if (v <= LIMIT_TOKEN_EXPIRES_SECONDS) v = v * 10 + (buf[i] - '0');
    }
    if (v > LIMIT_TOKEN_EXPIRES_SECONDS)
        return token_refuse(err, "X-Amz-Expires is more than %d seconds",
                            LIMIT_TOKEN_EXPIRES_SECONDS);
    if (v == 0) return token_refuse(err, "X-Amz-Expires is zero");
    parts->claims.expires_seconds = v;
    return 0;
}

/* The fields after the query was split: each decoded and checked. */
static int token_parse_fields(TokenParts *parts, DbError *err)
{
    static const TokenParam required[] = {
        TOKEN_PARAM_ACTION,  TOKEN_PARAM_ALGORITHM,      TOKEN_PARAM_CREDENTIAL, TOKEN_PARAM_DATE,
        TOKEN_PARAM_EXPIRES, TOKEN_PARAM_SIGNED_HEADERS, TOKEN_PARAM_SIGNATURE,
    };
    for (size_t i = 0; i < ARRAY_LEN(required); i++)
        if (!parts->raw[required[i]])
            return token_refuse(err, TOKEN_NOT_PRESIGNED ": missing %s",
                                token_param_names[required[i]]);
    char buf[TOKEN_VALUE_MAX];
    size_t len;

    if (token_param_decode(parts, TOKEN_PARAM_ACTION, buf, sizeof buf, &len, err) != 0) return -1;
    if (strcmp(buf, "DbConnect") == 0)
        parts->claims.action = AUTH_ACTION_DB_CONNECT;
    else if (strcmp(buf, "DbConnectAdmin") == 0)
        parts->claims.action = AUTH_ACTION_DB_CONNECT_ADMIN;
    else
        return token_refuse(err, "Action must be DbConnect or DbConnectAdmin");

    if (token_param_decode(parts, TOKEN_PARAM_ALGORITHM, buf, sizeof buf, &len, err) != 0)
        return -1;
    if (strcmp(buf, AUTH_SIGV4_ALGORITHM) != 0)
        return token_refuse(err, "X-Amz-Algorithm must be " AUTH_SIGV4_ALGORITHM);

    char amz_date[TOKEN_VALUE_MAX];
    size_t amz_date_len;
    if (token_param_decode(parts, TOKEN_PARAM_DATE, amz_date, sizeof amz_date, &amz_date_len,
                           err) != 0)
        return -1;
    if (auth_sigv4_date_parse(amz_date, amz_date_len, &parts->claims.signed_at) != 0)
        return token_refuse(err, "X-Amz-Date is not a date of the form yyyymmddThhmmssZ");

    if (token_parse_credential(parts, amz_date, err) != 0) return -1;
    if (token_parse_expires(parts, err) != 0) return -1;

    if (token_param_decode(parts, TOKEN_PARAM_SIGNED_HEADERS, buf, sizeof buf, &len, err) != 0)
        return -1;
    if (strcmp(buf, "host") != 0) return token_refuse(err, "X-Amz-SignedHeaders must be host");

    if (token_param_decode(parts, TOKEN_PARAM_SIGNATURE, buf, sizeof buf, &len, err) != 0)
        return -1;
    if (len != 2 * AUTH_SHA256_BYTES)
        return token_refuse(err, "X-Amz-Signature is not 64 hexadecimal digits");
    for (size_t i = 0; i < AUTH_SHA256_BYTES; i++) {
        unsigned char hi = (unsigned char)buf[2 * i], lo = (unsigned char)buf[2 * i + 1];
        if (!token_is_hex(hi) || !token_is_hex(lo))
            return token_refuse(err, "X-Amz-Signature is not 64 hexadecimal digits");
        int h = hi <= '9' ? hi - '0' : (hi | 0x20) - 'a' + 10;
        int l = lo <= '9' ? lo - '0' : (lo | 0x20) - 'a' + 10;
        parts->signature[i] = (unsigned char)(h * 16 + l);
    }

    if (parts->raw[TOKEN_PARAM_SECURITY_TOKEN]) {
        if (parts->raw_len[TOKEN_PARAM_SECURITY_TOKEN] == 0)
            return token_refuse(err, "X-Amz-Security-Token is empty");
        parts->claims.has_session_token = true;
    }
    return 0;
}

static int token_parts_parse(const char *token, size_t len, TokenParts *parts, DbError *err)
{
    memset(parts, 0, sizeof *parts);
    if (token == NULL || len == 0) return token_refuse(err, TOKEN_NOT_PRESIGNED ": it is empty");
    if (len > LIMIT_PASSWORD_BYTES)
        return token_refuse(err, TOKEN_NOT_PRESIGNED ": it is longer than %d bytes",
                            LIMIT_PASSWORD_BYTES);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)token[i];
        if (c <= 0x20 || c >= 0x7f)
            return token_refuse(err, TOKEN_NOT_PRESIGNED
                                ": it contains a space, control or non-ASCII character");
    }
    const char *qmark = memchr(token, '?', len);
    if (!qmark) return token_refuse(err, TOKEN_NOT_PRESIGNED ": it has no query string");
    size_t host_end = (size_t)(qmark - token);
    if (token_parse_host(token, host_end, parts, err) != 0) return -1;
    if (token_split_query(qmark + 1, len - host_end - 1, parts, err) != 0) return -1;
    return token_parse_fields(parts, err);
}

int auth_token_parse(const char *token, size_t len, AuthTokenClaims *out, DbError *err)
{
    TokenParts parts;
    if (token_parts_parse(token, len, &parts, err) != 0) {
        memset(out, 0, sizeof *out);
        return -1;
    }
    *out = parts.claims;
    return 0;
}

/*
 * Recomputes the signature over the token's own parameters, signing `host`
 * (host_len bytes of claims.host) as the host header.  Returns 1 on a match,
 * 0 on a mismatch, -1 when signing failed.
 */
static int token_signature_matches(const TokenParts *parts, size_t host_len, const char *secret)
{
    /* Decoded values all fit in a buffer as long as the token. */
    char decoded[LIMIT_PASSWORD_BYTES];
    size_t used = 0;
    AuthSigV4Param params[TOKEN_PARAM_COUNT];
    size_t n = 0;
    for (int k = 0; k < TOKEN_PARAM_COUNT; k++) {
        if (k == TOKEN_PARAM_SIGNATURE || !parts->raw[k]) continue;
        size_t vlen;
        if (auth_sigv4_uri_decode(parts->raw[k], parts->raw_len[k], decoded + used,
                                  sizeof decoded - used, &vlen) != 0)
            return -1;
        params[n].name = token_param_names[k];
        params[n].name_len = strlen(token_param_names[k]);
        params[n].value = decoded + used;
        params[n].value_len = vlen;
        used += vlen;
        n++;
    }
    StrBuf query, headers, request;
    strbuf_init(&query);
    strbuf_init(&headers);
    strbuf_init(&request);
    int rc = -1;
    char amz_date[AUTH_SIGV4_AMZ_DATE_LEN + 1];
    unsigned char computed[AUTH_SHA256_BYTES];
    if (auth_sigv4_canonical_query(params, n, &query) == 0 &&
        auth_sigv4_date_format(parts->claims.signed_at, amz_date) == 0) {
        strbuf_appendf(&headers, "host:%.*s\n", (int)host_len, parts->claims.host);
        AuthSigV4Request req = {
            .method = "GET",
            .canonical_uri = "/",
            .canonical_query = query.data,
            .canonical_headers = headers.data,
            .signed_headers = "host",
            .payload_sha256_hex = AUTH_SIGV4_EMPTY_PAYLOAD_SHA256,
        };
        auth_sigv4_canonical_request(&req, &request);
        if (auth_sigv4_sign(secret, amz_date, parts->claims.region, AUTH_TOKEN_SERVICE,
                            request.data, request.len, computed) == 0)
            rc = CRYPTO_memcmp(computed, parts->signature, sizeof computed) == 0 ? 1 : 0;
    }
    strbuf_fini(&query);
    strbuf_fini(&headers);
    strbuf_fini(&request);
    return rc;
}

static bool token_host_accepted(const TokenParts *parts, const AuthVerifyParams *p)
{
    for (size_t i = 0; i < p->n_accepted_hosts; i++) {
        const char *h = p->accepted_hosts[i];
        if (h && strlen(h) == parts->hostname_len &&
            strncasecmp(h, parts->claims.host, parts->hostname_len) == 0)
            return true;
    }
    return false;
}

int auth_token_verify(const char *token, size_t len, const AuthVerifyParams *p,
                      AuthTokenClaims *claims, DbError *err)
{
    assert(p && p->user && p->region && p->lookup);
    if (claims) memset(claims, 0, sizeof *claims);
    TokenParts parts;
    if (token_parts_parse(token, len, &parts, err) != 0) return -1;
    const AuthTokenClaims *c = &parts.claims;

    if (strcmp(c->region, p->region) != 0)
        return token_refuse(err, "the token is signed for region %s, not this cluster's region %s",
                            c->region, p->region);
    if (!token_host_accepted(&parts, p))
        return token_refuse(err, "the token is signed for host %.*s, which is not this cluster",
                            (int)parts.hostname_len, c->host);

    char secret[AUTH_SECRET_ACCESS_KEY_MAX + 1];
    memset(secret, 0, sizeof secret);
    if (p->lookup(p->lookup_arg, c->access_key_id, secret, sizeof secret) != 0) {
        OPENSSL_cleanse(secret, sizeof secret);
        return token_refuse(err, "unknown access key id %s", c->access_key_id);
    }
    secret[sizeof secret - 1] = '\0';
    int match = token_signature_matches(&parts, strlen(c->host), secret);
    /* botocore and Go drop a default https port from the signed host header
     * while keeping it in the URL; the JS signer keeps it in both. */
    if (match == 0 && parts.port == 443)
        match = token_signature_matches(&parts, parts.hostname_len, secret);
    OPENSSL_cleanse(secret, sizeof secret);
    if (match < 0) return token_refuse(err, "the signature could not be computed");
    if (match == 0)
        return token_refuse(err, "the signature does not match for access key id %s",
                            c->access_key_id);

    /* signed_at and expires_seconds are bounded by parsing, so neither
     * comparison can overflow whatever the caller's clock says. */
    if (p->now < c->signed_at - LIMIT_TOKEN_CLOCK_SKEW_SECONDS) {
        char amz_date[AUTH_SIGV4_AMZ_DATE_LEN + 1];
        if (auth_sigv4_date_format(c->signed_at, amz_date) != 0) amz_date[0] = '\0';
        return token_refuse(err, "the token is dated in the future (X-Amz-Date %s)", amz_date);
    }
    if (p->now > c->signed_at + c->expires_seconds) return token_refuse(err, "Token has expired");

    AuthAction wanted = strcmp(p->user, AUTH_ADMIN_USER) == 0 ? AUTH_ACTION_DB_CONNECT_ADMIN
                                                              : AUTH_ACTION_DB_CONNECT;
    if (c->action != wanted)
        return db_error_fatal(err, SQLSTATE_INVALID_AUTHORIZATION_SPECIFICATION,
                              "Wrong user to action mapping. user: %s, action: %s", p->user,
                              auth_action_name(c->action));
    if (claims) *claims = *c;
    return 0;
}

static int token_request_invalid(DbError *err, const char *what)
{
    return db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE,
                        "cannot generate a DSQL auth token: %s", what);
}

int auth_token_generate(const AuthTokenRequest *req, StrBuf *out, DbError *err)
{
    size_t hostname_len;
    int port;
    if (!req->hostname ||
        token_host_split(req->hostname, strlen(req->hostname), &hostname_len, &port) != 0)
        return token_request_invalid(err, "the hostname is not a valid host name");
    if (!req->region || !token_region_valid(req->region, strlen(req->region)))
        return token_request_invalid(err, "the region is not valid");
    const AuthCredential *cred = req->credential;
    if (!cred || !token_access_key_id_valid(
                     cred->access_key_id, strnlen(cred->access_key_id, sizeof cred->access_key_id)))
        return token_request_invalid(err, "the access key id is not valid");
    size_t secret_len = strnlen(cred->secret_access_key, sizeof cred->secret_access_key);
    if (secret_len == 0 || secret_len > AUTH_SECRET_ACCESS_KEY_MAX)
        return token_request_invalid(err, "the secret access key is not valid");
    int64_t expires =
        req->expires_seconds ? req->expires_seconds : LIMIT_TOKEN_DEFAULT_EXPIRES_SECONDS;
    if (expires < 1 || expires > LIMIT_TOKEN_EXPIRES_SECONDS)
        return token_request_invalid(err, "the expiry must be between 1 and 604800 seconds");
    char amz_date[AUTH_SIGV4_AMZ_DATE_LEN + 1];
    if (auth_sigv4_date_format(req->now, amz_date) != 0)
        return token_request_invalid(err, "the signing time is out of range");
    size_t session_len = req->session_token ? strlen(req->session_token) : 0;
    if (session_len > LIMIT_PASSWORD_BYTES / 4)
        return token_request_invalid(err, "the session token is too long");

    char credential[AUTH_ACCESS_KEY_ID_MAX + AUTH_REGION_MAX + 64];
    snprintf(credential, sizeof credential, "%s/%.8s/%s/%s/%s", cred->access_key_id, amz_date,
             req->region, AUTH_TOKEN_SERVICE, AUTH_SIGV4_TERMINATOR);
    char expires_text[24];
    snprintf(expires_text, sizeof expires_text, "%" PRId64, expires);
    const char *value[TOKEN_PARAM_COUNT] = {
        [TOKEN_PARAM_ACTION] = auth_action_name(req->action),
        [TOKEN_PARAM_ALGORITHM] = AUTH_SIGV4_ALGORITHM,
        [TOKEN_PARAM_CREDENTIAL] = credential,
        [TOKEN_PARAM_DATE] = amz_date,
        [TOKEN_PARAM_EXPIRES] = expires_text,
        [TOKEN_PARAM_SECURITY_TOKEN] = session_len ? req->session_token : NULL,
        [TOKEN_PARAM_SIGNED_HEADERS] = "host",
    };
    AuthSigV4Param params[TOKEN_PARAM_COUNT];
    size_t n = 0;
    for (int k = 0; k < TOKEN_PARAM_COUNT; k++) {
        if (!value[k]) continue;
        params[n++] = (AuthSigV4Param){token_param_names[k], strlen(token_param_names[k]), value[k],
                                       strlen(value[k])};
    }

    StrBuf query, headers, request;
    strbuf_init(&query);
    strbuf_init(&headers);
    strbuf_init(&request);
    unsigned char signature[AUTH_SHA256_BYTES];
    char signature_hex[AUTH_SHA256_HEX_LEN + 1];
    int rc = auth_sigv4_canonical_query(params, n, &query);
    if (rc == 0) {
        strbuf_appendf(&headers, "host:%s\n", req->hostname);
        AuthSigV4Request creq = {
            .method = "GET",
            .canonical_uri = "/",
            .canonical_query = query.data,
            .canonical_headers = headers.data,
            .signed_headers = "host",
            .payload_sha256_hex = AUTH_SIGV4_EMPTY_PAYLOAD_SHA256,
        };
        auth_sigv4_canonical_request(&creq, &request);
        rc = auth_sigv4_sign(cred->secret_access_key, amz_date, req->region, AUTH_TOKEN_SERVICE,
                             request.data, request.len, signature);
    }
    strbuf_fini(&query);
    strbuf_fini(&headers);
    strbuf_fini(&request);
    if (rc != 0)
        return db_error_set(err, SQLSTATE_INTERNAL_ERROR, "could not sign a DSQL auth token");
    hex_encode(signature, sizeof signature, signature_hex);
    value[TOKEN_PARAM_SIGNATURE] = signature_hex;

    /* Parameters in name order, the signature among them, as the JS signer. */
    strbuf_reset(out);
    strbuf_append_str(out, req->hostname);
    strbuf_append_str(out, "/?");
    bool first = true;
    for (int k = 0; k < TOKEN_PARAM_COUNT; k++) {
        if (!value[k]) continue;
        if (!first) strbuf_append_char(out, '&');
        first = false;
        strbuf_append_str(out, token_param_names[k]);
        strbuf_append_char(out, '=');
        auth_sigv4_uri_encode(out, value[k], strlen(value[k]), false);
    }
    return 0;
}
