/*
 * Unit tests for DSQL auth tokens (auth/token.c): tokens made by AWS's own
 * signers verify and parse to the right claims, auth_token_generate is
 * byte-identical to @aws-sdk/dsql-signer, generate -> verify round trips,
 * and every refusal carries its exact SQLSTATE, severity, message and DETAIL.
 *
 * The AWS vectors were made with the clock fixed at 2025-01-15T12:34:56Z
 * (unix 1736944496), access key AKIAIOSFODNN7EXAMPLE and secret
 * wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY:
 *  - JS: @aws-sdk/dsql-signer 3.1142.0 (DsqlSigner#getDbConnect[Admin]AuthToken)
 *    under node 20, with the global Date replaced by one fixed at that time;
 *  - botocore 1.43.11 (dsql client generate_db_connect[_admin]_auth_token,
 *    what `aws dsql generate-db-connect-auth-token` runs), with
 *    botocore.auth.get_current_datetime fixed at that time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "auth/auth.h"

#define T0 INT64_C(1736944496) /* 20250115T123456Z */
#define AKID "AKIAIOSFODNN7EXAMPLE"
#define SECRET "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
#define HOST "abcdefghijklmnopqrstuvwxyz.dsql.us-east-1.on.aws"
#define EU_HOST "k4abuczx2pmwq.dsql.eu-west-1.on.aws"
#define SESSION "IQoJb3JpZ2luX2VjEXAMPLE/session+token=="
#define CRED_US "X-Amz-Credential=" AKID "%2F20250115%2Fus-east-1%2Fdsql%2Faws4_request"
#define CRED_EU "X-Amz-Credential=" AKID "%2F20250115%2Feu-west-1%2Fdsql%2Faws4_request"
#define DENIED "unable to accept connection, access denied"

/* ---- Tokens from @aws-sdk/dsql-signer (parameters sorted by name). ---- */
static const char JS_ADMIN[] = HOST
    "/?Action=DbConnectAdmin&X-Amz-Algorithm=AWS4-HMAC-SHA256&" CRED_US
    "&X-Amz-Date=20250115T123456Z&X-Amz-Expires=900&X-Amz-Signature="
    "451ad8f901f009dda3708ca8883c9c317030919fd6dd0c691e9a4a66f2231549&X-Amz-SignedHeaders=host";
static const char JS_CONNECT[] = HOST
    "/?Action=DbConnect&X-Amz-Algorithm=AWS4-HMAC-SHA256&" CRED_US
    "&X-Amz-Date=20250115T123456Z&X-Amz-Expires=900&X-Amz-Signature="
    "f06208244321e43225534dcbd4ad9eb0495d035a79b2ed450f2128768bbb661c&X-Amz-SignedHeaders=host";
/* Temporary credentials, a port, expiresIn 3600. */
static const char JS_SESSION_PORT[] = HOST
    ":5432/?Action=DbConnect&X-Amz-Algorithm=AWS4-HMAC-SHA256&" CRED_US
    "&X-Amz-Date=20250115T123456Z&X-Amz-Expires=3600&X-Amz-Security-Token="
    "IQoJb3JpZ2luX2VjEXAMPLE%2Fsession%2Btoken%3D%3D&X-Amz-Signature="
    "9473e872c31bda8b2239d6aa01cf3b1648a11b63a81022526f6512e314a61719&X-Amz-SignedHeaders=host";
/* Another region, the longest expiry. */
static const char JS_EU_WEEK[] =
    EU_HOST "/?Action=DbConnectAdmin&X-Amz-Algorithm=AWS4-HMAC-SHA256&" CRED_EU
            "&X-Amz-Date=20250115T123456Z&X-Amz-Expires=604800&X-Amz-Signature="
            "93764f5059631bebaab83fb547833b8bc0e7cd4bab67ed8d732fe8b73cb7c084&X-Amz-"
            "SignedHeaders=host";
/* Port 443: the JS signer signs "host:443" as the host header. */
static const char JS_PORT_443[] = HOST
    ":443/?Action=DbConnect&X-Amz-Algorithm=AWS4-HMAC-SHA256&" CRED_US
    "&X-Amz-Date=20250115T123456Z&X-Amz-Expires=900&X-Amz-Signature="
    "f6f65ee23b6b3c7e58757f8ce8265b8a599dfc657052170365ea1111afea3527&X-Amz-SignedHeaders=host";

/* ---- Tokens from botocore (signature last, security token after the rest). */
static const char BOTO_ADMIN[] =
    HOST "/?Action=DbConnectAdmin&X-Amz-Algorithm=AWS4-HMAC-SHA256&" CRED_US
         "&X-Amz-Date=20250115T123456Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature="
         "451ad8f901f009dda3708ca8883c9c317030919fd6dd0c691e9a4a66f2231549";
static const char BOTO_CONNECT[] =
    HOST "/?Action=DbConnect&X-Amz-Algorithm=AWS4-HMAC-SHA256&" CRED_US
         "&X-Amz-Date=20250115T123456Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature="
         "f06208244321e43225534dcbd4ad9eb0495d035a79b2ed450f2128768bbb661c";
static const char BOTO_SESSION_PORT[] =
    HOST ":5432/?Action=DbConnect&X-Amz-Algorithm=AWS4-HMAC-SHA256&" CRED_US
         "&X-Amz-Date=20250115T123456Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Security-"
         "Token=IQoJb3JpZ2luX2VjEXAMPLE%2Fsession%2Btoken%3D%3D&X-Amz-Signature="
         "9473e872c31bda8b2239d6aa01cf3b1648a11b63a81022526f6512e314a61719";
/* Port 443: botocore (like Go) signs the host header without the default
 * port, so the signature equals the portless one. */
static const char BOTO_PORT_443[] =
    HOST ":443/?Action=DbConnect&X-Amz-Algorithm=AWS4-HMAC-SHA256&" CRED_US
         "&X-Amz-Date=20250115T123456Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature="
         "f06208244321e43225534dcbd4ad9eb0495d035a79b2ed450f2128768bbb661c";
/* The shape aws-sdk-go-v2 writes (its URL has an empty path, so no "/"
 * before '?'); derived from BOTO_CONNECT, the signed request is the same. */
static const char GO_SHAPE_CONNECT[] =
    HOST "?Action=DbConnect&X-Amz-Algorithm=AWS4-HMAC-SHA256&" CRED_US
         "&X-Amz-Date=20250115T123456Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature="
         "f06208244321e43225534dcbd4ad9eb0495d035a79b2ed450f2128768bbb661c";

/* ---- Helpers ---------------------------------------------------------- */

static int lookup_calls;

static int test_lookup(void *arg, const char *access_key_id, char *secret_out, size_t secret_size)
{
    (void)arg;
    lookup_calls++;
    if (strcmp(access_key_id, AKID) == 0) {
        snprintf(secret_out, secret_size, "%s", SECRET);
        return 0;
    }
    if (strcmp(access_key_id, "AKIAOTHERKEY0000") == 0) {
        snprintf(secret_out, secret_size, "%s", "another-secret");
        return 0;
    }
    return -1;
}

static const char *const us_hosts[] = {"other.example.com", HOST};
static const char *const eu_hosts[] = {EU_HOST};

static AuthVerifyParams us_params(const char *user, int64_t now)
{
    return (AuthVerifyParams){
        .user = user,
        .region = "us-east-1",
        .accepted_hosts = us_hosts,
        .n_accepted_hosts = ARRAY_LEN(us_hosts),
        .now = now,
        .lookup = test_lookup,
        .lookup_arg = NULL,
    };
}

static AuthCredential test_credential(const char *akid, const char *secret)
{
    AuthCredential c;
    memset(&c, 0, sizeof c);
    snprintf(c.access_key_id, sizeof c.access_key_id, "%s", akid);
    snprintf(c.secret_access_key, sizeof c.secret_access_key, "%s", secret);
    return c;
}

/* s with its first occurrence of from replaced by to (which must exist). */
static char *replace(const char *s, const char *from, const char *to)
{
    const char *at = strstr(s, from);
    assert_non_null(at);
    size_t head = (size_t)(at - s), from_len = strlen(from), to_len = strlen(to);
    char *r = malloc(strlen(s) - from_len + to_len + 1);
    assert_non_null(r);
    memcpy(r, s, head);
    memcpy(r + head, to, to_len);
    strcpy(r + head + to_len, at + from_len);
    return r;
}

static int verify_str(const char *token, const AuthVerifyParams *p, AuthTokenClaims *claims,
                      DbError *err)
{
    return auth_token_verify(token, strlen(token), p, claims, err);
}

static void assert_refused(const DbError *err, const char *detail)
{
    assert_string_equal(err->sqlstate, "28P01");
    assert_int_equal(err->severity, DB_SEVERITY_FATAL);
    assert_string_equal(err->message, DENIED);
    assert_string_equal(err->detail, detail);
}

static void assert_verify_ok(const char *token, const AuthVerifyParams *p, AuthTokenClaims *c)
{
    DbError err;
    db_error_clear(&err);
    int rc = verify_str(token, p, c, &err);
    if (rc != 0) fail_msg("refused %s: %s (%s)", token, err.message, err.detail);
    assert_false(db_error_is_set(&err));
}

static void assert_claims(const AuthTokenClaims *c, const char *host, AuthAction action,
                          const char *region, int64_t expires, bool session)
{
    assert_string_equal(c->host, host);
    assert_int_equal(c->action, action);
    assert_string_equal(c->access_key_id, AKID);
    assert_string_equal(c->region, region);
    assert_int_equal(c->signed_at, T0);
    assert_int_equal(c->expires_seconds, expires);
    assert_int_equal(c->has_session_token, session);
}

/* ---- AWS signer compatibility ----------------------------------------- */

static void test_js_signer_tokens_verify(void **state)
{
    (void)state;
    AuthTokenClaims c;
    AuthVerifyParams p = us_params("admin", T0 + 1);
    assert_verify_ok(JS_ADMIN, &p, &c);
    assert_claims(&c, HOST, AUTH_ACTION_DB_CONNECT_ADMIN, "us-east-1", 900, false);

    p = us_params("alice", T0 + 1);
    assert_verify_ok(JS_CONNECT, &p, &c);
    assert_claims(&c, HOST, AUTH_ACTION_DB_CONNECT, "us-east-1", 900, false);
    assert_verify_ok(JS_SESSION_PORT, &p, &c);
    assert_claims(&c, HOST ":5432", AUTH_ACTION_DB_CONNECT, "us-east-1", 3600, true);
    assert_verify_ok(JS_PORT_443, &p, &c);
    assert_claims(&c, HOST ":443", AUTH_ACTION_DB_CONNECT, "us-east-1", 900, false);

    p = (AuthVerifyParams){.user = "admin",
                           .region = "eu-west-1",
                           .accepted_hosts = eu_hosts,
                           .n_accepted_hosts = 1,
                           .now = T0 + 604800,
                           .lookup = test_lookup};
    assert_verify_ok(JS_EU_WEEK, &p, &c);
    assert_claims(&c, EU_HOST, AUTH_ACTION_DB_CONNECT_ADMIN, "eu-west-1", 604800, false);
}

static void test_botocore_tokens_verify(void **state)
{
    (void)state;
    AuthTokenClaims c;
    AuthVerifyParams p = us_params("admin", T0 + 899);
    assert_verify_ok(BOTO_ADMIN, &p, &c);
    assert_claims(&c, HOST, AUTH_ACTION_DB_CONNECT_ADMIN, "us-east-1", 900, false);
    p = us_params("app_user", T0 + 899);
    assert_verify_ok(BOTO_CONNECT, &p, &c);
    assert_claims(&c, HOST, AUTH_ACTION_DB_CONNECT, "us-east-1", 900, false);
    assert_verify_ok(BOTO_SESSION_PORT, &p, &c);
    assert_claims(&c, HOST ":5432", AUTH_ACTION_DB_CONNECT, "us-east-1", 3600, true);
    assert_verify_ok(BOTO_PORT_443, &p, &c);
    assert_claims(&c, HOST ":443", AUTH_ACTION_DB_CONNECT, "us-east-1", 900, false);
    assert_verify_ok(GO_SHAPE_CONNECT, &p, &c);
    assert_claims(&c, HOST, AUTH_ACTION_DB_CONNECT, "us-east-1", 900, false);
}

static void assert_generates(const char *hostname, const char *region, AuthAction action,
                             int64_t expires, const char *session, const char *expected)
{
    AuthCredential cred = test_credential(AKID, SECRET);
    AuthTokenRequest req = {
        .hostname = hostname,
        .region = region,
        .action = action,
        .expires_seconds = expires,
        .now = T0,
        .credential = &cred,
        .session_token = session,
    };
    StrBuf out;
    strbuf_init(&out);
    DbError err;
    db_error_clear(&err);
    assert_int_equal(auth_token_generate(&req, &out, &err), 0);
    assert_string_equal(out.data, expected);
    assert_int_equal(out.len, strlen(expected));
    strbuf_fini(&out);
}

static void test_generate_is_byte_identical_to_js_signer(void **state)
{
    (void)state;
    assert_generates(HOST, "us-east-1", AUTH_ACTION_DB_CONNECT_ADMIN, 900, NULL, JS_ADMIN);
    assert_generates(HOST, "us-east-1", AUTH_ACTION_DB_CONNECT, 0, NULL, JS_CONNECT);
    assert_generates(HOST ":5432", "us-east-1", AUTH_ACTION_DB_CONNECT, 3600, SESSION,
                     JS_SESSION_PORT);
    assert_generates(EU_HOST, "eu-west-1", AUTH_ACTION_DB_CONNECT_ADMIN, 604800, "", JS_EU_WEEK);
    assert_generates(HOST ":443", "us-east-1", AUTH_ACTION_DB_CONNECT, 900, NULL, JS_PORT_443);
}

static void test_parse_reads_claims_without_verifying(void **state)
{
    (void)state;
    AuthTokenClaims c;
    DbError err;
    db_error_clear(&err);
    assert_int_equal(auth_token_parse(JS_SESSION_PORT, strlen(JS_SESSION_PORT), &c, &err), 0);
    assert_claims(&c, HOST ":5432", AUTH_ACTION_DB_CONNECT, "us-east-1", 3600, true);
    /* A wrong signature still parses: parse does not check it. */
    char *bad = replace(JS_ADMIN, "451ad8", "000000");
    assert_int_equal(auth_token_parse(bad, strlen(bad), &c, &err), 0);
    assert_claims(&c, HOST, AUTH_ACTION_DB_CONNECT_ADMIN, "us-east-1", 900, false);
    free(bad);
    /* Only len bytes are read: a prefix is not a token. */
    assert_int_equal(auth_token_parse(BOTO_ADMIN, strlen(BOTO_ADMIN) - 81, &c, &err), -1);
    assert_refused(&err, "the token is not a presigned DSQL URL: missing X-Amz-Signature");
    assert_string_equal(c.host, "");
}

/* ---- Round trips and the validity window ------------------------------ */

static void test_generate_verify_round_trip(void **state)
{
    (void)state;
    static const struct {
        const char *hostname, *user, *session;
        AuthAction action;
        int64_t expires;
    } cases[] = {
        {HOST, "admin", NULL, AUTH_ACTION_DB_CONNECT_ADMIN, 900},
        {HOST ":5432", "reader", NULL, AUTH_ACTION_DB_CONNECT, 1},
        {"ABCDEFGHIJKLMNOPQRSTUVWXYZ.DSQL.us-east-1.on.aws:443", "admin", "tok/+=~ %&?#\x01\xff",
         AUTH_ACTION_DB_CONNECT_ADMIN, 604800},
        {HOST, "Admin", "x", AUTH_ACTION_DB_CONNECT, 3600},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        AuthCredential cred = test_credential(AKID, SECRET);
        AuthTokenRequest req = {
            .hostname = cases[i].hostname,
            .region = "us-east-1",
            .action = cases[i].action,
            .expires_seconds = cases[i].expires,
            .now = T0 + (int64_t)i * 1000,
            .credential = &cred,
            .session_token = cases[i].session,
        };
        StrBuf out;
        strbuf_init(&out);
        DbError err;
        db_error_clear(&err);
        assert_int_equal(auth_token_generate(&req, &out, &err), 0);
        AuthTokenClaims c;
        AuthVerifyParams p = us_params(cases[i].user, req.now + cases[i].expires);
        assert_verify_ok(out.data, &p, &c);
        assert_string_equal(c.host, cases[i].hostname);
        assert_int_equal(c.action, cases[i].action);
        assert_int_equal(c.signed_at, req.now);
        assert_int_equal(c.expires_seconds, cases[i].expires);
        assert_int_equal(c.has_session_token, cases[i].session != NULL);
        strbuf_fini(&out);
    }
}

static void test_validity_window(void **state)
{
    (void)state;
    DbError err;
    AuthVerifyParams p = us_params("alice", T0 + 900); /* the last valid second */
    assert_verify_ok(JS_CONNECT, &p, NULL);
    p.now = T0 + 901;
    assert_int_equal(verify_str(JS_CONNECT, &p, NULL, &err), -1);
    assert_refused(&err, "Token has expired");
    p.now = T0 - LIMIT_TOKEN_CLOCK_SKEW_SECONDS; /* dated in the future, within the skew */
    assert_verify_ok(JS_CONNECT, &p, NULL);
    p.now = T0 - LIMIT_TOKEN_CLOCK_SKEW_SECONDS - 1;
    assert_int_equal(verify_str(JS_CONNECT, &p, NULL, &err), -1);
    assert_refused(&err, "the token is dated in the future (X-Amz-Date 20250115T123456Z)");
    p.now = INT64_MIN;
    assert_int_equal(verify_str(JS_CONNECT, &p, NULL, &err), -1);
    assert_refused(&err, "the token is dated in the future (X-Amz-Date 20250115T123456Z)");
    p.now = INT64_MAX;
    assert_int_equal(verify_str(JS_CONNECT, &p, NULL, &err), -1);
    assert_refused(&err, "Token has expired");
}

/* ---- Refusals --------------------------------------------------------- */

static void test_user_action_mapping(void **state)
{
    (void)state;
    DbError err;
    AuthTokenClaims c;
    AuthVerifyParams p = us_params("admin", T0);
    assert_int_equal(verify_str(JS_CONNECT, &p, &c, &err), -1);
    assert_string_equal(err.sqlstate, "28000");
    assert_int_equal(err.severity, DB_SEVERITY_FATAL);
    assert_string_equal(err.message,
                        "Wrong user to action mapping. user: admin, action: DbConnect");
    assert_string_equal(err.detail, "");
    assert_string_equal(c.host, ""); /* no claims on failure */

    p = us_params("alice", T0);
    assert_int_equal(verify_str(JS_ADMIN, &p, NULL, &err), -1);
    assert_string_equal(err.sqlstate, "28000");
    assert_int_equal(err.severity, DB_SEVERITY_FATAL);
    assert_string_equal(err.message,
                        "Wrong user to action mapping. user: alice, action: DbConnectAdmin");
    /* Role names are case-sensitive: "ADMIN" is not admin. */
    p = us_params("ADMIN", T0);
    assert_int_equal(verify_str(JS_ADMIN, &p, NULL, &err), -1);
    assert_string_equal(err.message,
                        "Wrong user to action mapping. user: ADMIN, action: DbConnectAdmin");
}

static void test_verify_refusals(void **state)
{
    (void)state;
    DbError err;
    AuthVerifyParams p = us_params("alice", T0 + 10);

    /* Region and host are checked before the credential store is asked. */
    lookup_calls = 0;
    p.region = "us-west-2";
    assert_int_equal(verify_str(JS_CONNECT, &p, NULL, &err), -1);
    assert_refused(&err,
                   "the token is signed for region us-east-1, not this cluster's region us-west-2");
    p = us_params("alice", T0 + 10);
    p.n_accepted_hosts = 1; /* only other.example.com */
    assert_int_equal(verify_str(JS_SESSION_PORT, &p, NULL, &err), -1);
    assert_refused(&err, "the token is signed for host " HOST ", which is not this cluster");
    p.n_accepted_hosts = 0;
    assert_int_equal(verify_str(JS_CONNECT, &p, NULL, &err), -1);
    assert_refused(&err, "the token is signed for host " HOST ", which is not this cluster");
    assert_int_equal(lookup_calls, 0);

    /* Host acceptance ignores case and port. */
    static const char *const upper[] = {"ABCDEFGHIJKLMNOPQRSTUVWXYZ.DSQL.US-EAST-1.ON.AWS"};
    p = us_params("alice", T0 + 10);
    p.accepted_hosts = upper;
    p.n_accepted_hosts = 1;
    assert_verify_ok(JS_SESSION_PORT, &p, NULL);

    p = us_params("alice", T0 + 10);
    AuthCredential cred = test_credential("AKIAUNKNOWN00000", SECRET);
    AuthTokenRequest req = {.hostname = HOST,
                            .region = "us-east-1",
                            .action = AUTH_ACTION_DB_CONNECT,
                            .now = T0,
                            .credential = &cred};
    StrBuf out;
    strbuf_init(&out);
    assert_int_equal(auth_token_generate(&req, &out, &err), 0);
    assert_int_equal(verify_str(out.data, &p, NULL, &err), -1);
    assert_refused(&err, "unknown access key id AKIAUNKNOWN00000");

    /* A known key with the wrong secret. */
    cred = test_credential("AKIAOTHERKEY0000", "not-the-secret");
    assert_int_equal(auth_token_generate(&req, &out, &err), 0);
    assert_int_equal(verify_str(out.data, &p, NULL, &err), -1);
    assert_refused(&err, "the signature does not match for access key id AKIAOTHERKEY0000");
    strbuf_fini(&out);

    /* Tampering with any signed part breaks the signature. */
    static const char *const tamper[][2] = {
        {"f06208244321e43", "f06208244321e44"}, /* the signature itself */
        {"X-Amz-Expires=900", "X-Amz-Expires=901"},
        {"X-Amz-Expires=900", "X-Amz-Expires=0900"},
        {"Action=DbConnect&", "Action=DbConnect&X-Amz-Security-Token=x&"},
        {"abcdefghijklmnop", "ABCDEFGHIJKLMNOP"}, /* host case is signed */
        {HOST "/", HOST ":5432/"},
    };
    for (size_t i = 0; i < ARRAY_LEN(tamper); i++) {
        char *t = replace(JS_CONNECT, tamper[i][0], tamper[i][1]);
        if (verify_str(t, &p, NULL, &err) != -1) fail_msg("tampered token accepted: %s", t);
        assert_refused(&err, "the signature does not match for access key id " AKID);
        free(t);
    }
    /* Only the default https port gets the portless retry. */
    char *t = replace(BOTO_PORT_443, ":443/", ":8443/");
    assert_int_equal(verify_str(t, &p, NULL, &err), -1);
    assert_refused(&err, "the signature does not match for access key id " AKID);
    free(t);

    /* Signature hex is compared as bytes: uppercase digits are the same. */
    t = replace(JS_CONNECT, "f06208244321e43225534dcbd4ad9eb0495d035a79b2ed450f2128768bbb661c",
                "F06208244321E43225534DCBD4AD9EB0495D035A79B2ED450F2128768BBB661C");
    assert_verify_ok(t, &p, NULL);
    free(t);
    /* Over-encoded unreserved characters and lowercase escapes canonicalise. */
    t = replace(JS_CONNECT, "%2F20250115%2Fus", "%2f20250115%2F%75s");
    assert_verify_ok(t, &p, NULL);
    free(t);
}

static void test_parse_refusals(void **state)
{
    (void)state;
    static const struct {
        const char *from, *to, *detail;
    } cases[] = {
        {HOST "/?", "https://" HOST "/?",
         "the token is not a presigned DSQL URL: it must not start with a URL scheme"},
        {HOST "/?", HOST "/dsql/?",
         "the token is not a presigned DSQL URL: the URL path must be /"},
        {HOST "/?", HOST "//?", "the token is not a presigned DSQL URL: the URL path must be /"},
        {HOST "/?", HOST "/", "the token is not a presigned DSQL URL: it has no query string"},
        {HOST "/?", "/?",
         "the token is not a presigned DSQL URL: the host is not a valid host name"},
        {HOST "/?", "user@" HOST "/?",
         "the token is not a presigned DSQL URL: the host is not a valid host name"},
        {HOST "/?", HOST ":/?",
         "the token is not a presigned DSQL URL: the host is not a valid host name"},
        {HOST "/?", HOST ":65536/?",
         "the token is not a presigned DSQL URL: the host is not a valid host name"},
        {HOST "/?", HOST ":0/?",
         "the token is not a presigned DSQL URL: the host is not a valid host name"},
        {HOST "/?", HOST ":54:32/?",
         "the token is not a presigned DSQL URL: the host is not a valid host name"},
        {HOST "/?", "[::1]:5432/?",
         "the token is not a presigned DSQL URL: the host is not a valid host name"},
        {"host", "host ",
         "the token is not a presigned DSQL URL: it contains a space, control or "
         "non-ASCII character"},
        {"host", "host\xc3\xa9",
         "the token is not a presigned DSQL URL: it contains a space, "
         "control or non-ASCII character"},
        {"?", "?&", "the token is not a presigned DSQL URL: empty query parameter"},
        {"&X-Amz-Date", "&&X-Amz-Date",
         "the token is not a presigned DSQL URL: empty query parameter"},
        {"=host", "=host&", "the token is not a presigned DSQL URL: empty query parameter"},
        {"?", "?Foo=1&", "the token is not a presigned DSQL URL: unexpected query parameter Foo"},
        {"?Action", "?action",
         "the token is not a presigned DSQL URL: unexpected query parameter "
         "action"},
        {"?", "?=x&", "the token is not a presigned DSQL URL: malformed query parameter name"},
        {"?", "?X%2DAmz=1&",
         "the token is not a presigned DSQL URL: malformed query parameter name"},
        {"=host", "=host&Action=DbConnect",
         "the token is not a presigned DSQL URL: duplicate Action"},
        {"=host", "=host&X-Amz-Signature=00",
         "the token is not a presigned DSQL URL: duplicate X-Amz-Signature"},
        {"Action=DbConnect&", "", "the token is not a presigned DSQL URL: missing Action"},
        {"X-Amz-Algorithm=AWS4-HMAC-SHA256&", "",
         "the token is not a presigned DSQL URL: missing X-Amz-Algorithm"},
        {CRED_US "&", "", "the token is not a presigned DSQL URL: missing X-Amz-Credential"},
        {"X-Amz-Date=20250115T123456Z&", "",
         "the token is not a presigned DSQL URL: missing X-Amz-Date"},
        {"X-Amz-Expires=900&", "", "the token is not a presigned DSQL URL: missing X-Amz-Expires"},
        {"&X-Amz-SignedHeaders=host", "",
         "the token is not a presigned DSQL URL: missing X-Amz-SignedHeaders"},
        {"X-Amz-Signature=f06208244321e43225534dcbd4ad9eb0495d035a79b2ed450f2128768bbb661c&", "",
         "the token is not a presigned DSQL URL: missing X-Amz-Signature"},
        {"X-Amz-Expires=900", "X-Amz-Expires",
         "the token is not a presigned DSQL URL: X-Amz-Expires has no value"},
        {"%2F20250115", "%2G20250115",
         "the token is not a presigned DSQL URL: X-Amz-Credential is not properly URI-encoded"},
        {"%2F20250115", "/20250115",
         "the token is not a presigned DSQL URL: X-Amz-Credential is not properly URI-encoded"},
        {"aws4_request", "aws4_request%",
         "the token is not a presigned DSQL URL: X-Amz-Credential "
         "is not properly URI-encoded"},
        {"=DbConnect", "=Db+Connect",
         "the token is not a presigned DSQL URL: Action is not properly URI-encoded"},
        {"=DbConnect", "=DbConnectX", "Action must be DbConnect or DbConnectAdmin"},
        {"=DbConnect", "=", "Action must be DbConnect or DbConnectAdmin"},
        {"=DbConnect", "=dbconnect", "Action must be DbConnect or DbConnectAdmin"},
        {"HMAC-SHA256", "HMAC-SHA512", "X-Amz-Algorithm must be AWS4-HMAC-SHA256"},
        {"%2Fdsql%2Faws4_request", "%2Faws4_request",
         "the token is not a presigned DSQL URL: X-Amz-Credential is not <access key "
         "id>/<date>/<region>/dsql/aws4_request"},
        {"%2Faws4_request", "%2Faws4_request%2F",
         "the token is not a presigned DSQL URL: X-Amz-Credential is not <access key "
         "id>/<date>/<region>/dsql/aws4_request"},
        {AKID "%2F", "%2F", "X-Amz-Credential has an invalid access key id"},
        {AKID "%2F", "AKIA-IOSFODNN7%2F", "X-Amz-Credential has an invalid access key id"},
        {"%2F20250115%2F", "%2F20250116%2F", "the X-Amz-Credential date does not match X-Amz-Date"},
        {"%2F20250115%2F", "%2F2025011%2F", "the X-Amz-Credential date does not match X-Amz-Date"},
        {"%2Fus-east-1%2F", "%2FUS-EAST-1%2F", "X-Amz-Credential has an invalid region"},
        {"%2Fus-east-1%2F", "%2F%2F", "X-Amz-Credential has an invalid region"},
        {"%2Fdsql%2F", "%2Frds-db%2F", "the token is not signed for service dsql"},
        {"%2Fdsql%2F", "%2FDSQL%2F", "the token is not signed for service dsql"},
        {"aws4_request", "aws4_requesx", "X-Amz-Credential does not end in aws4_request"},
        {"Date=20250115T123456Z", "Date=20250115T123456",
         "X-Amz-Date is not a date of the form yyyymmddThhmmssZ"},
        {"Date=20250115T123456Z", "Date=20250132T123456Z",
         "X-Amz-Date is not a date of the form yyyymmddThhmmssZ"},
        {"Date=20250115T123456Z", "Date=2025-01-15T12:34:56Z",
         "the token is not a presigned DSQL URL: X-Amz-Date is not properly URI-encoded"},
        {"Expires=900", "Expires=-900", "X-Amz-Expires is negative"},
        {"Expires=900", "Expires=%2D1", "X-Amz-Expires is negative"},
        {"Expires=900", "Expires=9a0", "X-Amz-Expires is not a number"},
        {"Expires=900", "Expires=", "X-Amz-Expires is not a number"},
        {"Expires=900", "Expires=%2B900", "X-Amz-Expires is not a number"},
        {"Expires=900", "Expires=604801", "X-Amz-Expires is more than 604800 seconds"},
        {"Expires=900", "Expires=99999999999999999999999999999",
         "X-Amz-Expires is more than 604800 seconds"},
        {"Expires=900", "Expires=0", "X-Amz-Expires is zero"},
        {"SignedHeaders=host", "SignedHeaders=host%3Bx-amz-date",
         "X-Amz-SignedHeaders must be host"},
        {"SignedHeaders=host", "SignedHeaders=Host", "X-Amz-SignedHeaders must be host"},
        {"661c", "661", "X-Amz-Signature is not 64 hexadecimal digits"},
        {"661c", "661c0", "X-Amz-Signature is not 64 hexadecimal digits"},
        {"661c", "661g", "X-Amz-Signature is not 64 hexadecimal digits"},
        {"?", "?X-Amz-Security-Token=&", "X-Amz-Security-Token is empty"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        char *t = replace(JS_CONNECT, cases[i].from, cases[i].to);
        DbError err;
        AuthTokenClaims c;
        assert_int_equal(auth_token_parse(t, strlen(t), &c, &err), -1);
        if (strcmp(err.detail, cases[i].detail) != 0)
            fail_msg("case %zu (%s): got detail \"%s\"", i, t, err.detail);
        assert_refused(&err, cases[i].detail);
        /* verify refuses the same way, before any lookup. */
        lookup_calls = 0;
        AuthVerifyParams p = us_params("alice", T0);
        assert_int_equal(verify_str(t, &p, NULL, &err), -1);
        assert_refused(&err, cases[i].detail);
        assert_int_equal(lookup_calls, 0);
        free(t);
    }
}

static void test_parse_length_limits(void **state)
{
    (void)state;
    DbError err;
    AuthTokenClaims c;
    assert_int_equal(auth_token_parse("", 0, &c, &err), -1);
    assert_refused(&err, "the token is not a presigned DSQL URL: it is empty");
    assert_int_equal(auth_token_parse(NULL, 0, &c, &err), -1);
    assert_refused(&err, "the token is not a presigned DSQL URL: it is empty");

    /* A NUL inside the given length is refused, not read as the end. */
    char with_nul[sizeof JS_CONNECT];
    memcpy(with_nul, JS_CONNECT, sizeof JS_CONNECT);
    with_nul[10] = '\0';
    assert_int_equal(auth_token_parse(with_nul, sizeof JS_CONNECT - 1, &c, &err), -1);
    assert_refused(&err, "the token is not a presigned DSQL URL: it contains a space, control or "
                         "non-ASCII character");

    /* Padding the session token up to the limit: accepted at exactly
     * LIMIT_PASSWORD_BYTES, refused one byte beyond. */
    size_t base = strlen(JS_CONNECT) + strlen("&X-Amz-Security-Token=");
    char *big = malloc(LIMIT_PASSWORD_BYTES + 2);
    assert_non_null(big);
    strcpy(big, JS_CONNECT);
    strcat(big, "&X-Amz-Security-Token=");
    memset(big + base, 'a', LIMIT_PASSWORD_BYTES - base);
    big[LIMIT_PASSWORD_BYTES] = '\0';
    assert_int_equal(auth_token_parse(big, LIMIT_PASSWORD_BYTES, &c, &err), 0);
    assert_true(c.has_session_token);
    big[LIMIT_PASSWORD_BYTES] = 'a';
    big[LIMIT_PASSWORD_BYTES + 1] = '\0';
    assert_int_equal(auth_token_parse(big, LIMIT_PASSWORD_BYTES + 1, &c, &err), -1);
    assert_refused(&err, "the token is not a presigned DSQL URL: it is longer than 8192 bytes");
    free(big);

    /* The longest host name fits in the claims; one more byte does not. */
    char host[AUTH_HOST_MAX + 2];
    memset(host, 'h', sizeof host);
    host[AUTH_HOST_MAX] = '\0';
    char *t = replace(JS_CONNECT, HOST, host);
    assert_int_equal(auth_token_parse(t, strlen(t), &c, &err), 0);
    assert_string_equal(c.host, host);
    free(t);
    host[AUTH_HOST_MAX] = 'h';
    host[AUTH_HOST_MAX + 1] = '\0';
    t = replace(JS_CONNECT, HOST, host);
    assert_int_equal(auth_token_parse(t, strlen(t), &c, &err), -1);
    assert_refused(&err,
                   "the token is not a presigned DSQL URL: the host is not a valid host name");
    free(t);

    /* Access key ids up to 128 characters. */
    char akid[AUTH_ACCESS_KEY_ID_MAX + 2];
    memset(akid, 'A', sizeof akid);
    akid[AUTH_ACCESS_KEY_ID_MAX] = '\0';
    t = replace(JS_CONNECT, AKID, akid);
    assert_int_equal(auth_token_parse(t, strlen(t), &c, &err), 0);
    assert_string_equal(c.access_key_id, akid);
    free(t);
    akid[AUTH_ACCESS_KEY_ID_MAX] = 'A';
    akid[AUTH_ACCESS_KEY_ID_MAX + 1] = '\0';
    t = replace(JS_CONNECT, AKID, akid);
    assert_int_equal(auth_token_parse(t, strlen(t), &c, &err), -1);
    assert_refused(&err, "X-Amz-Credential has an invalid access key id");
    free(t);

    /* An over-long decoded parameter is refused by size, not overflowed. */
    char *long_cred = malloc(2000);
    assert_non_null(long_cred);
    strcpy(long_cred, "X-Amz-Credential=");
    memset(long_cred + strlen(long_cred), 'A', 1000);
    long_cred[17 + 1000] = '\0';
    t = replace(JS_CONNECT, CRED_US, long_cred);
    assert_int_equal(auth_token_parse(t, strlen(t), &c, &err), -1);
    assert_refused(&err, "X-Amz-Credential is too long");
    free(t);
    free(long_cred);
}

static void test_generate_rejects_bad_requests(void **state)
{
    (void)state;
    AuthCredential cred = test_credential(AKID, SECRET);
    AuthCredential no_secret = test_credential(AKID, "");
    AuthCredential bad_akid = test_credential("AKIA/X", SECRET);
    static const struct {
        const char *hostname, *region;
        int64_t expires, now;
        int which_cred;
        const char *message;
    } cases[] = {
        {"", "us-east-1", 900, T0, 0,
         "cannot generate a DSQL auth token: the hostname is not a valid host name"},
        {"https://" HOST, "us-east-1", 900, T0, 0,
         "cannot generate a DSQL auth token: the hostname is not a valid host name"},
        {HOST "/", "us-east-1", 900, T0, 0,
         "cannot generate a DSQL auth token: the hostname is not a valid host name"},
        {HOST, "", 900, T0, 0, "cannot generate a DSQL auth token: the region is not valid"},
        {HOST, "us east", 900, T0, 0, "cannot generate a DSQL auth token: the region is not valid"},
        {HOST, "us-east-1", 900, T0, 1,
         "cannot generate a DSQL auth token: the secret access key is not valid"},
        {HOST, "us-east-1", 900, T0, 2,
         "cannot generate a DSQL auth token: the access key id is not valid"},
        {HOST, "us-east-1", -1, T0, 0,
         "cannot generate a DSQL auth token: the expiry must be between 1 and 604800 seconds"},
        {HOST, "us-east-1", 604801, T0, 0,
         "cannot generate a DSQL auth token: the expiry must be between 1 and 604800 seconds"},
        {HOST, "us-east-1", 900, -1, 0,
         "cannot generate a DSQL auth token: the signing time is out of range"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        const AuthCredential *creds[] = {&cred, &no_secret, &bad_akid};
        AuthTokenRequest req = {.hostname = cases[i].hostname,
                                .region = cases[i].region,
                                .action = AUTH_ACTION_DB_CONNECT,
                                .expires_seconds = cases[i].expires,
                                .now = cases[i].now,
                                .credential = creds[cases[i].which_cred]};
        StrBuf out;
        strbuf_init(&out);
        DbError err;
        assert_int_equal(auth_token_generate(&req, &out, &err), -1);
        assert_string_equal(err.sqlstate, "22023");
        assert_int_equal(err.severity, DB_SEVERITY_ERROR);
        assert_string_equal(err.message, cases[i].message);
        strbuf_fini(&out);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_js_signer_tokens_verify),
        cmocka_unit_test(test_botocore_tokens_verify),
        cmocka_unit_test(test_generate_is_byte_identical_to_js_signer),
        cmocka_unit_test(test_parse_reads_claims_without_verifying),
        cmocka_unit_test(test_generate_verify_round_trip),
        cmocka_unit_test(test_validity_window),
        cmocka_unit_test(test_user_action_mapping),
        cmocka_unit_test(test_verify_refusals),
        cmocka_unit_test(test_parse_refusals),
        cmocka_unit_test(test_parse_length_limits),
        cmocka_unit_test(test_generate_rejects_bad_requests),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
