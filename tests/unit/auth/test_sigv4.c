/*
 * Unit tests for the generic SigV4 pieces (auth/sigv4.c): SHA-256 and HMAC
 * against published vectors, URI encoding and decoding, canonical query
 * ordering, the signing key from AWS's documentation, the S3 presigned-URL
 * example from AWS's documentation signed end to end, and X-Amz-Date
 * conversion.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "auth/auth.h"

static void hex_of(const unsigned char *bytes, char *out)
{
    hex_encode(bytes, AUTH_SHA256_BYTES, out);
}

static AuthSigV4Param param(const char *name, const char *value)
{
    return (AuthSigV4Param){name, strlen(name), value, strlen(value)};
}

static void test_sha256_and_hmac_vectors(void **state)
{
    (void)state;
    unsigned char d[AUTH_SHA256_BYTES];
    char hex[AUTH_SHA256_HEX_LEN + 1];
    assert_int_equal(auth_sha256("", 0, d), 0);
    hex_of(d, hex);
    assert_string_equal(hex, AUTH_SIGV4_EMPTY_PAYLOAD_SHA256);
    assert_int_equal(auth_sha256("abc", 3, d), 0);
    hex_of(d, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    /* RFC 4231 test case 2. */
    const char *msg = "what do ya want for nothing?";
    assert_int_equal(auth_hmac_sha256("Jefe", 4, msg, strlen(msg), d), 0);
    hex_of(d, hex);
    assert_string_equal(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

static void test_uri_encode(void **state)
{
    (void)state;
    StrBuf sb;
    strbuf_init(&sb);
    const char in[] = "AKID/2013 a+b=c~-_.\xc3\xa9*'()!";
    auth_sigv4_uri_encode(&sb, in, strlen(in), false);
    assert_string_equal(sb.data, "AKID%2F2013%20a%2Bb%3Dc~-_.%C3%A9%2A%27%28%29%21");
    strbuf_reset(&sb);
    auth_sigv4_uri_encode(&sb, "/a b/c", 6, true);
    assert_string_equal(sb.data, "/a%20b/c");
    strbuf_fini(&sb);
}

static void test_uri_decode(void **state)
{
    (void)state;
    char out[32];
    size_t n = 99;
    assert_int_equal(auth_sigv4_uri_decode("a%2Fb%2fc+d", 11, out, sizeof out, &n), 0);
    assert_int_equal(n, 7);
    assert_memory_equal(out, "a/b/c+d", 7);
    assert_int_equal(auth_sigv4_uri_decode("", 0, out, sizeof out, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(auth_sigv4_uri_decode("%", 1, out, sizeof out, &n), -1);
    assert_int_equal(auth_sigv4_uri_decode("a%4", 3, out, sizeof out, &n), -1);
    assert_int_equal(auth_sigv4_uri_decode("%zz", 3, out, sizeof out, &n), -1);
    assert_int_equal(auth_sigv4_uri_decode("%00", 3, out, sizeof out, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(out[0], '\0');
    /* Output bounded by out_size. */
    assert_int_equal(auth_sigv4_uri_decode("abcd", 4, out, 3, &n), -1);
    assert_int_equal(auth_sigv4_uri_decode("abc", 3, out, 3, &n), 0);
}

static void test_canonical_query_sorts_encoded_names(void **state)
{
    (void)state;
    /* Raw order would put '-' (0x2D) before '/' (0x2F); encoded, "%2F" (0x25)
     * comes first.  Equal names sort by value. */
    AuthSigV4Param params[] = {
        {"aB", 2, "1", 1}, {"a-b", 3, "x y", 3}, {"a/b", 3, "v", 1},
        {"k", 1, "b", 1},  {"k", 1, "a", 1},     {"e", 1, "", 0},
    };
    StrBuf sb;
    strbuf_init(&sb);
    strbuf_append_str(&sb, "old contents");
    assert_int_equal(auth_sigv4_canonical_query(params, ARRAY_LEN(params), &sb), 0);
    assert_string_equal(sb.data, "a%2Fb=v&a-b=x%20y&aB=1&e=&k=a&k=b");
    assert_int_equal(auth_sigv4_canonical_query(params, 0, &sb), 0);
    assert_string_equal(sb.data, "");
    AuthSigV4Param many[AUTH_SIGV4_MAX_PARAMS + 1];
    for (size_t i = 0; i < ARRAY_LEN(many); i++)
        many[i] = (AuthSigV4Param){"p", 1, "v", 1};
    assert_int_equal(auth_sigv4_canonical_query(many, AUTH_SIGV4_MAX_PARAMS, &sb), 0);
    assert_int_equal(auth_sigv4_canonical_query(many, ARRAY_LEN(many), &sb), -1);
    strbuf_fini(&sb);
}

/* AWS's "derive a signing key" documentation example. */
static void test_signing_key_documented_example(void **state)
{
    (void)state;
    unsigned char key[AUTH_SHA256_BYTES];
    char hex[AUTH_SHA256_HEX_LEN + 1];
    assert_int_equal(auth_sigv4_signing_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215",
                                            "us-east-1", "iam", key),
                     0);
    hex_of(key, hex);
    assert_string_equal(hex, "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
    char long_secret[AUTH_SECRET_ACCESS_KEY_MAX + 2];
    memset(long_secret, 'x', sizeof long_secret - 1);
    long_secret[sizeof long_secret - 1] = '\0';
    assert_int_equal(auth_sigv4_signing_key(long_secret, "20120215", "us-east-1", "iam", key), -1);
    long_secret[AUTH_SECRET_ACCESS_KEY_MAX] = '\0';
    assert_int_equal(auth_sigv4_signing_key(long_secret, "20120215", "us-east-1", "iam", key), 0);
}

/*
 * The S3 documentation's presigned-URL example ("Authenticating Requests:
 * Using Query Parameters"), built from decoded parameters through the
 * generic canonical query, canonical request and signer.
 */
static void test_s3_presigned_url_documented_example(void **state)
{
    (void)state;
    AuthSigV4Param params[] = {
        param("X-Amz-SignedHeaders", "host"),
        param("X-Amz-Expires", "86400"),
        param("X-Amz-Date", "20130524T000000Z"),
        param("X-Amz-Credential", "AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request"),
        param("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
    };
    StrBuf query, request;
    strbuf_init(&query);
    strbuf_init(&request);
    assert_int_equal(auth_sigv4_canonical_query(params, ARRAY_LEN(params), &query), 0);
    assert_string_equal(query.data,
                        "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%"
                        "2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-"
                        "Amz-Expires=86400&X-Amz-SignedHeaders=host");
    AuthSigV4Request req = {
        .method = "GET",
        .canonical_uri = "/test.txt",
        .canonical_query = query.data,
        .canonical_headers = "host:examplebucket.s3.amazonaws.com\n",
        .signed_headers = "host",
        .payload_sha256_hex = "UNSIGNED-PAYLOAD",
    };
    auth_sigv4_canonical_request(&req, &request);
    unsigned char d[AUTH_SHA256_BYTES];
    char hex[AUTH_SHA256_HEX_LEN + 1];
    assert_int_equal(auth_sha256(request.data, request.len, d), 0);
    hex_of(d, hex);
    assert_string_equal(hex, "3bfa292879f6447bbcda7001decf97f4a54dc650c8942174ae0a9121cf58ad04");
    assert_int_equal(auth_sigv4_sign("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "20130524T000000Z",
                                     "us-east-1", "s3", request.data, request.len, d),
                     0);
    hex_of(d, hex);
    assert_string_equal(hex, "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
    /* A malformed amz_date is refused rather than read past. */
    assert_int_equal(
        auth_sigv4_sign("secret", "20130524", "us-east-1", "s3", request.data, request.len, d), -1);
    strbuf_fini(&query);
    strbuf_fini(&request);
}

static void test_date_parse(void **state)
{
    (void)state;
    int64_t t = -1;
    assert_int_equal(auth_sigv4_date_parse("20130524T000000Z", 16, &t), 0);
    assert_int_equal(t, 1369353600);
    assert_int_equal(auth_sigv4_date_parse("20250115T123456Z", 16, &t), 0);
    assert_int_equal(t, 1736944496);
    assert_int_equal(auth_sigv4_date_parse("19700101T000000Z", 16, &t), 0);
    assert_int_equal(t, 0);
    assert_int_equal(auth_sigv4_date_parse("20240229T235959Z", 16, &t), 0);
    assert_int_equal(t, 1709251199);
    assert_int_equal(auth_sigv4_date_parse("99991231T235959Z", 16, &t), 0);
    assert_int_equal(t, INT64_C(253402300799));
    static const char *const bad[] = {
        "20230229T000000Z", "21000229T000000Z", "20241301T000000Z", "20240001T000000Z",
        "20240100T000000Z", "20240431T000000Z", "19691231T235959Z", "20240101T240000Z",
        "20240101T006000Z", "20240101T000060Z", "20240101t000000Z", "20240101T000000z",
        "2024010lT000000Z", "+2024010T000000Z", "20240101 000000Z", "-0240101T000000Z",
    };
    for (size_t i = 0; i < ARRAY_LEN(bad); i++)
        assert_int_equal(auth_sigv4_date_parse(bad[i], 16, &t), -1);
    assert_int_equal(auth_sigv4_date_parse("20240101T000000", 15, &t), -1);
    assert_int_equal(auth_sigv4_date_parse("20240101T000000ZZ", 17, &t), -1);
    assert_int_equal(auth_sigv4_date_parse("20000229T000000Z", 16, &t), 0);
}

static void test_date_format_round_trip(void **state)
{
    (void)state;
    char s[AUTH_SIGV4_AMZ_DATE_LEN + 1];
    assert_int_equal(auth_sigv4_date_format(0, s), 0);
    assert_string_equal(s, "19700101T000000Z");
    assert_int_equal(auth_sigv4_date_format(1736944496, s), 0);
    assert_string_equal(s, "20250115T123456Z");
    assert_int_equal(auth_sigv4_date_format(INT64_C(253402300799), s), 0);
    assert_string_equal(s, "99991231T235959Z");
    assert_int_equal(auth_sigv4_date_format(INT64_C(253402300800), s), -1);
    assert_int_equal(auth_sigv4_date_format(-1, s), -1);
    /* Every step lands on a different time of day and day of the year. */
    for (int64_t t = 0; t < INT64_C(253402300799); t += INT64_C(86400) * 397 + 3671) {
        int64_t back = -1;
        assert_int_equal(auth_sigv4_date_format(t, s), 0);
        assert_int_equal(auth_sigv4_date_parse(s, strlen(s), &back), 0);
        assert_int_equal(back, t);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_and_hmac_vectors),
        cmocka_unit_test(test_uri_encode),
        cmocka_unit_test(test_uri_decode),
        cmocka_unit_test(test_canonical_query_sorts_encoded_names),
        cmocka_unit_test(test_signing_key_documented_example),
        cmocka_unit_test(test_s3_presigned_url_documented_example),
        cmocka_unit_test(test_date_parse),
        cmocka_unit_test(test_date_format_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
