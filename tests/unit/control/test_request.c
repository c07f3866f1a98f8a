/*
 * Unit tests for the control-plane API as a function (control/request.c
 * and the operations behind it): requests are signed here as the AWS SDKs
 * sign them and answered against a registry in a temporary directory.
 * Covers the SigV4 refusals (missing, bad signature, unknown key, stale
 * date, non-admin key), the create/get/list/update/delete lifecycle with
 * deletion protection, tags through ARNs, and the error shapes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "control/control.h"

#define T_ADMIN "AKIAADMINADMINADMIN0"
#define T_OTHER "AKIAOTHEROTHEROTHER0"
#define T_SECRET "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
#define T_NOW 1736944496 /* 20250115T123456Z */

static Fleet t_fleet;
static ControlApi t_api;
static char t_dir[] = "/tmp/borealis-test-control.XXXXXX";

static int t_lookup(void *arg, const char *key, char *out, size_t size)
{
    (void)arg;
    if (strcmp(key, T_ADMIN) != 0 && strcmp(key, T_OTHER) != 0) return -1;
    snprintf(out, size, "%s", T_SECRET);
    return 0;
}

static void t_create(void *arg, const char *id)
{
    (void)arg;
    DbError err;
    FleetCluster *c = fleet_find(&t_fleet, id);
    c->status = FLEET_ACTIVE;
    fleet_cluster_save(&t_fleet, c, &err);
}

static void t_delete(void *arg, const char *id)
{
    (void)arg;
    DbError err;
    fleet_cluster_remove(&t_fleet, id, &err);
}

/* Calls the API; query is "name=value" raw (at most one pair here). */
static int t_call(const char *key, const char *secret, const char *method, const char *path,
                  const char *qname, const char *qvalue, const char *body, int64_t now,
                  ControlResponse *resp)
{
    ControlHeader query[1] = {{qname, qvalue}};
    size_t n_query = qname ? 1 : 0;
    StrBuf uri, cq, creq;
    strbuf_init(&uri);
    strbuf_init(&cq);
    strbuf_init(&creq);
    auth_sigv4_uri_encode(&uri, path, strlen(path), true);
    char dn[256], dv[256];
    size_t nl = 0, vl = 0;
    if (qname) {
        assert_int_equal(auth_sigv4_uri_decode(qname, strlen(qname), dn, sizeof dn, &nl), 0);
        assert_int_equal(auth_sigv4_uri_decode(qvalue, strlen(qvalue), dv, sizeof dv, &vl), 0);
    }
    AuthSigV4Param p = {dn, nl, dv, vl};
    auth_sigv4_canonical_query(&p, n_query, &cq);
    unsigned char hash[AUTH_SHA256_BYTES], sig[AUTH_SHA256_BYTES];
    char hash_hex[65], sig_hex[65], auth[512];
    auth_sha256(body, strlen(body), hash);
    hex_encode(hash, sizeof hash, hash_hex);
    AuthSigV4Request sr = {method,
                           uri.data,
                           cq.len ? cq.data : "",
                           "host:api.test\nx-amz-date:20250115T123456Z\n",
                           "host;x-amz-date",
                           hash_hex};
    auth_sigv4_canonical_request(&sr, &creq);
    auth_sigv4_sign(secret, "20250115T123456Z", "local", "dsql", creq.data, creq.len, sig);
    hex_encode(sig, sizeof sig, sig_hex);
    snprintf(auth, sizeof auth,
             "AWS4-HMAC-SHA256 Credential=%s/20250115/local/dsql/aws4_request, "
             "SignedHeaders=host;x-amz-date, Signature=%s",
             key, sig_hex);
    ControlHeader headers[3] = {
        {"Host", "api.test"}, {"X-Amz-Date", "20250115T123456Z"}, {"Authorization", auth}};
    ControlRequest req = {method,      path, query,        n_query, headers,
                          key ? 3 : 2, body, strlen(body), now};
    control_response_init(resp);
    control_request_handle(&t_api, &req, resp);
    strbuf_fini(&uri);
    strbuf_fini(&cq);
    strbuf_fini(&creq);
    return resp->status;
}

static int t_admin(const char *method, const char *path, const char *body, ControlResponse *r)
{
    return t_call(T_ADMIN, T_SECRET, method, path, NULL, NULL, body, T_NOW, r);
}

static bool t_body_has(const ControlResponse *r, const char *needle)
{
    return r->body.data && strstr(r->body.data, needle) != NULL;
}

/* The identifier of a created cluster, from the response body. */
static void t_id(const ControlResponse *r, char id[27])
{
    const char *p = strstr(r->body.data, "\"identifier\":\"");
    assert_non_null(p);
    memcpy(id, p + 14, 26);
    id[26] = '\0';
}

static int t_setup(void **state)
{
    (void)state;
    DbError err;
    assert_non_null(mkdtemp(t_dir));
    assert_int_equal(fleet_open(&t_fleet, t_dir, "local", "testnode", &err), 0);
    t_api = (ControlApi){.fleet = &t_fleet,
                         .region = "local",
                         .endpoint_domain = "on.aws",
                         .lookup = t_lookup,
                         .admin_access_key_id = T_ADMIN,
                         .hooks = {t_create, t_delete, NULL}};
    return 0;
}

static int t_teardown(void **state)
{
    (void)state;
    fleet_close(&t_fleet);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", t_dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_sigv4_refusals(void **state)
{
    (void)state;
    ControlResponse r;
    assert_int_equal(t_call(NULL, T_SECRET, "GET", "/cluster", NULL, NULL, "", T_NOW, &r), 403);
    assert_string_equal(r.error_type, "MissingAuthenticationTokenException");
    control_response_fini(&r);
    assert_int_equal(t_call(T_ADMIN, "wrong", "GET", "/cluster", NULL, NULL, "", T_NOW, &r), 403);
    assert_string_equal(r.error_type, "InvalidSignatureException");
    control_response_fini(&r);
    assert_int_equal(
        t_call("AKIANOBODYNOBODY0000", T_SECRET, "GET", "/cluster", NULL, NULL, "", T_NOW, &r),
        403);
    assert_string_equal(r.error_type, "UnrecognizedClientException");
    control_response_fini(&r);
    assert_int_equal(t_call(T_ADMIN, T_SECRET, "GET", "/cluster", NULL, NULL, "", T_NOW + 3600, &r),
                     403);
    assert_true(t_body_has(&r, "Signature expired"));
    control_response_fini(&r);
    assert_int_equal(t_call(T_OTHER, T_SECRET, "GET", "/cluster", NULL, NULL, "", T_NOW, &r), 403);
    assert_string_equal(r.error_type, "AccessDeniedException");
    control_response_fini(&r);
    /* Query parameters are part of what is signed and verified. */
    assert_int_equal(
        t_call(T_ADMIN, T_SECRET, "GET", "/cluster", "max-results", "5", "", T_NOW, &r), 200);
    control_response_fini(&r);
}

static void test_lifecycle(void **state)
{
    (void)state;
    ControlResponse r;
    char id[27], path[64];
    assert_int_equal(t_admin("POST", "/cluster", "{\"tags\":{\"env\":\"test\"}}", &r), 200);
    assert_true(t_body_has(&r, "\"status\":\"CREATING\""));
    assert_true(t_body_has(&r, "\"deletionProtectionEnabled\":true"));
    t_id(&r, id);
    control_response_fini(&r);
    snprintf(path, sizeof path, "/cluster/%s", id);
    assert_int_equal(t_admin("GET", path, "", &r), 200);
    assert_true(t_body_has(&r, "\"status\":\"ACTIVE\""));
    assert_true(t_body_has(&r, "\"tags\":{\"env\":\"test\"}"));
    control_response_fini(&r);

    assert_int_equal(t_admin("DELETE", path, "", &r), 400);
    assert_string_equal(r.error_type, "ValidationException");
    assert_true(t_body_has(&r, "\"reason\":\"deletionProtectionEnabled\""));
    control_response_fini(&r);
    assert_int_equal(t_admin("POST", path, "{\"deletionProtectionEnabled\":false}", &r), 200);
    assert_true(t_body_has(&r, "\"status\":\"UPDATING\""));
    control_response_fini(&r);
    assert_int_equal(t_admin("DELETE", path, "", &r), 200);
    assert_true(t_body_has(&r, "\"status\":\"DELETING\""));
    control_response_fini(&r);
    assert_int_equal(t_admin("GET", path, "", &r), 404);
    assert_string_equal(r.error_type, "ResourceNotFoundException");
    assert_true(t_body_has(&r, "\"resourceType\":\"cluster\""));
    control_response_fini(&r);
}

static void test_tags_by_arn(void **state)
{
    (void)state;
    ControlResponse r;
    char id[27], path[256];
    assert_int_equal(t_admin("POST", "/cluster", "{}", &r), 200);
    t_id(&r, id);
    control_response_fini(&r);
    FleetCluster *c = fleet_find(&t_fleet, id);
    StrBuf enc;
    strbuf_init(&enc);
    auth_sigv4_uri_encode(&enc, c->arn, strlen(c->arn), false);
    snprintf(path, sizeof path, "/tags/%s", enc.data);
    strbuf_fini(&enc);
    assert_int_equal(t_admin("POST", path, "{\"tags\":{\"a\":\"1\",\"b\":\"2\"}}", &r), 200);
    control_response_fini(&r);
    assert_int_equal(t_call(T_ADMIN, T_SECRET, "DELETE", path, "tagKeys", "a", "", T_NOW, &r), 200);
    control_response_fini(&r);
    assert_int_equal(t_admin("GET", path, "", &r), 200);
    assert_string_equal(r.body.data, "{\"tags\":{\"b\":\"2\"}}");
    control_response_fini(&r);
    assert_int_equal(t_admin("POST", path, "{\"tags\":{\"bad*\":\"1\"}}", &r), 400);
    control_response_fini(&r);
}

static void test_bad_requests(void **state)
{
    (void)state;
    ControlResponse r;
    assert_int_equal(t_admin("POST", "/cluster", "{not json", &r), 400);
    assert_true(t_body_has(&r, "\"reason\":\"cannotParse\""));
    control_response_fini(&r);
    assert_int_equal(t_admin("GET", "/nothing/here", "", &r), 400);
    assert_true(t_body_has(&r, "\"reason\":\"unknownOperation\""));
    control_response_fini(&r);
    assert_int_equal(t_admin("GET", "/cluster/UPPER", "", &r), 400);
    control_response_fini(&r);
    assert_int_equal(t_admin("GET", "/cluster/%zz", "", &r), 400);
    control_response_fini(&r);
    assert_int_equal(t_admin("POST", "/cluster", "{\"deletionProtectionEnabled\":\"yes\"}", &r),
                     400);
    assert_true(t_body_has(&r, "\"fieldList\""));
    control_response_fini(&r);
}

static void test_quota(void **state)
{
    (void)state;
    ControlResponse r;
    int status = 200;
    for (int i = 0; i < FLEET_CLUSTERS_MAX + 1 && status == 200; i++) {
        status = t_admin("POST", "/cluster", "{}", &r);
        if (status != 200) {
            assert_int_equal(status, 402);
            assert_string_equal(r.error_type, "ServiceQuotaExceededException");
            assert_true(t_body_has(&r, "You have reached the cluster limit."));
        }
        control_response_fini(&r);
    }
    assert_int_equal(status, 402);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sigv4_refusals), cmocka_unit_test(test_lifecycle),
        cmocka_unit_test(test_tags_by_arn),    cmocka_unit_test(test_bad_requests),
        cmocka_unit_test(test_quota),
    };
    return cmocka_run_group_tests(tests, t_setup, t_teardown);
}
