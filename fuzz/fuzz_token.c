/*
 * libFuzzer target for DSQL auth tokens (auth/token.c): arbitrary bytes go to
 * auth_token_parse and auth_token_verify, which must accept or refuse
 * without crashing, reading outside the input, or leaking.  The input is not
 * NUL-terminated, as a password from the wire is not.
 *
 * The lookup knows the example key the corpus seeds are signed with, so that
 * mutations of real tokens get past parsing into the signature, clock and
 * user/action checks.  Oracle: whatever verify accepts, parse accepts with
 * the same claims.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "auth/auth.h"

#define FUZZ_AKID "AKIAIOSFODNN7EXAMPLE"
#define FUZZ_SECRET "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fuzz_lookup(void *arg, const char *access_key_id, char *secret_out, size_t secret_size)
{
    (void)arg;
    if (strcmp(access_key_id, FUZZ_AKID) != 0) return -1;
    snprintf(secret_out, secret_size, "%s", FUZZ_SECRET);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const hosts[] = {"abcdefghijklmnopqrstuvwxyz.dsql.us-east-1.on.aws",
                                        "k4abuczx2pmwq.dsql.eu-west-1.on.aws"};
    const char *token = (const char *)data;
    DbError err;
    AuthTokenClaims parsed;
    int parse_rc = auth_token_parse(token, size, &parsed, &err);

    /* The seeds are dated 20250115T123456Z (unix 1736944496). */
    AuthVerifyParams p = {
        .user = size > 0 && (data[size - 1] & 1) ? "admin" : "alice",
        .region = size > 0 && (data[0] & 1) ? "eu-west-1" : "us-east-1",
        .accepted_hosts = hosts,
        .n_accepted_hosts = 2,
        .now = 1736944496 + 10,
        .lookup = fuzz_lookup,
        .lookup_arg = NULL,
    };
    AuthTokenClaims verified;
    if (auth_token_verify(token, size, &p, &verified, &err) == 0) {
        if (parse_rc != 0 || strcmp(parsed.host, verified.host) != 0 ||
            parsed.action != verified.action ||
            strcmp(parsed.access_key_id, verified.access_key_id) != 0 ||
            strcmp(parsed.region, verified.region) != 0 || parsed.signed_at != verified.signed_at ||
            parsed.expires_seconds != verified.expires_seconds ||
            parsed.has_session_token != verified.has_session_token)
            __builtin_trap();
    }
    return 0;
}
