/*
 * The auth room's public header: DSQL auth tokens (passwords) and the generic
 * AWS Signature Version 4 pieces they are built from.
 *
 * A DSQL token is a SigV4 query-string presigned URL with the scheme
 * stripped: `<host>[:port]/?Action=DbConnect|DbConnectAdmin&X-Amz-...`.
 * token.c generates, parses and verifies tokens; sigv4.c holds what any SigV4
 * signer or verifier needs (URI encoding, canonical query and request,
 * signing-key derivation, X-Amz-Date), reusable for the control-plane API.
 * This room owns OpenSSL's HMAC and SHA-256 use; it does not know where
 * credentials are stored (callers pass an AuthSecretLookup) nor which IAM
 * principal may log in as which role.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/common.h"

/* ---- Generic SigV4 (sigv4.c) ---------------------------------------- */

#define AUTH_SHA256_BYTES 32
#define AUTH_SHA256_HEX_LEN 64
#define AUTH_SIGV4_ALGORITHM "AWS4-HMAC-SHA256"
#define AUTH_SIGV4_TERMINATOR "aws4_request"
/* SHA-256 of the empty string: the payload hash of a bodiless request. */
#define AUTH_SIGV4_EMPTY_PAYLOAD_SHA256                                                            \
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define AUTH_SIGV4_AMZ_DATE_LEN 16 /* yyyymmddThhmmssZ */
#define AUTH_SIGV4_MAX_PARAMS 32   /* query parameters in one canonical query */
#define AUTH_ACCESS_KEY_ID_MAX 128
#define AUTH_SECRET_ACCESS_KEY_MAX 128
#define AUTH_REGION_MAX 63
#define AUTH_HOST_MAX 255 /* host name plus optional :port */

/* SHA-256 and HMAC-SHA-256 through OpenSSL's EVP.  Return 0, or -1 when
 * OpenSSL fails (it does not for these inputs; callers still check). */
int auth_sha256(const void *data, size_t len, unsigned char out[AUTH_SHA256_BYTES]);
int auth_hmac_sha256(const void *key, size_t key_len, const void *data, size_t len,
                     unsigned char out[AUTH_SHA256_BYTES]);

/* Appends s URI-encoded as SigV4 wants: A-Z a-z 0-9 - _ . ~ kept, every other
 * byte as %XX with uppercase hex; '/' kept only when keep_slash (paths). */
void auth_sigv4_uri_encode(StrBuf *out, const char *s, size_t len, bool keep_slash);
/* Percent-decodes s into out (at most out_size bytes, no NUL added).  '+' is
 * a literal plus, as in SigV4.  Returns 0, or -1 on a bad %-escape or when
 * out is too small. */
int auth_sigv4_uri_decode(const char *s, size_t len, char *out, size_t out_size, size_t *out_len);

/* One query parameter, decoded (not yet URI-encoded). */
typedef struct AuthSigV4Param {
    const char *name;
    size_t name_len;
    const char *value;
    size_t value_len;
} AuthSigV4Param;

/* Replaces out with the canonical query string: every name and value
 * URI-encoded, pairs sorted by encoded name then encoded value, joined by
 * '&'.  The caller leaves X-Amz-Signature out.  Returns -1 when n exceeds
 * AUTH_SIGV4_MAX_PARAMS. */
int auth_sigv4_canonical_query(const AuthSigV4Param *params, size_t n, StrBuf *out);

/* The parts of a canonical request, each already in canonical form. */
typedef struct AuthSigV4Request {
    const char *method;             /* "GET" */
    const char *canonical_uri;      /* URI-encoded absolute path, at least "/" */
    const char *canonical_query;    /* from auth_sigv4_canonical_query, "" if none */
    const char *canonical_headers;  /* "name:value\n" per signed header, sorted */
    const char *signed_headers;     /* "host;x-amz-date" */
    const char *payload_sha256_hex; /* lowercase hex, or "UNSIGNED-PAYLOAD" */
} AuthSigV4Request;

/* Replaces out with the canonical request (six lines joined by '\n'). */
void auth_sigv4_canonical_request(const AuthSigV4Request *req, StrBuf *out);

/* kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date8), region), service),
 * "aws4_request").  date8 is yyyymmdd.  Returns -1 when the secret is longer
 * than AUTH_SECRET_ACCESS_KEY_MAX or OpenSSL fails. */
int auth_sigv4_signing_key(const char *secret, const char *date8, const char *region,
                           const char *service, unsigned char key[AUTH_SHA256_BYTES]);

/* Signs an arbitrary canonical request: builds the string to sign
 * (algorithm, amz_date, scope <date8>/<region>/<service>/aws4_request, hex
 * SHA-256 of the canonical request) and HMACs it with the derived key.
 * amz_date is yyyymmddThhmmssZ.  Returns 0, or -1 on bad arguments. */
int auth_sigv4_sign(const char *secret, const char *amz_date, const char *region,
                    const char *service, const char *canonical_request,
                    size_t canonical_request_len, unsigned char signature[AUTH_SHA256_BYTES]);

/* X-Amz-Date <-> unix seconds, strictly yyyymmddThhmmssZ in UTC, years
 * 1970..9999.  Both return -1 when out of range or malformed. */
int auth_sigv4_date_parse(const char *s, size_t len, int64_t *unix_seconds);
int auth_sigv4_date_format(int64_t unix_seconds, char out[AUTH_SIGV4_AMZ_DATE_LEN + 1]);

/* ---- DSQL tokens (token.c) ------------------------------------------ */

#define AUTH_TOKEN_SERVICE "dsql"
#define AUTH_ADMIN_USER "admin"

typedef enum AuthAction { AUTH_ACTION_DB_CONNECT, AUTH_ACTION_DB_CONNECT_ADMIN } AuthAction;

/* "DbConnect" or "DbConnectAdmin". */
const char *auth_action_name(AuthAction action);

typedef struct AuthCredential {
    char access_key_id[AUTH_ACCESS_KEY_ID_MAX + 1];
    char secret_access_key[AUTH_SECRET_ACCESS_KEY_MAX + 1];
} AuthCredential;

typedef struct AuthTokenRequest {
    const char *hostname; /* cluster endpoint; may carry :port, signed as given */
    const char *region;
    AuthAction action;
    int64_t expires_seconds; /* 1..604800; 0 means the SDKs' default, 900 */
    int64_t now;             /* unix seconds: becomes X-Amz-Date */
    const AuthCredential *credential;
    const char *session_token; /* NULL or "" for long-term credentials */
} AuthTokenRequest;

/* Replaces out with a token byte-identical to what @aws-sdk/dsql-signer
 * makes for the same inputs (parameters in sorted order).  Fails with 22023
 * (severity ERROR) on invalid request fields. */
int auth_token_generate(const AuthTokenRequest *req, StrBuf *out, DbError *err);

typedef struct AuthTokenClaims {
    char host[AUTH_HOST_MAX + 1]; /* as in the token, :port included when present */
    AuthAction action;
    char access_key_id[AUTH_ACCESS_KEY_ID_MAX + 1];
    char region[AUTH_REGION_MAX + 1];
    int64_t signed_at;       /* X-Amz-Date in unix seconds */
    int64_t expires_seconds; /* X-Amz-Expires */
    bool has_session_token;  /* X-Amz-Security-Token was present (and signed) */
} AuthTokenClaims;

/* Parses a token without checking its signature: strict, bounds-checked, no
 * allocation.  On failure err is 28P01 FATAL `unable to accept connection,
 * access denied` with a DETAIL naming the defect. */
int auth_token_parse(const char *token, size_t len, AuthTokenClaims *out, DbError *err);

/* Looks up the secret for an access key id; returns 0 and fills secret_out
 * (NUL-terminated), or -1 when the key is unknown. */
typedef int (*AuthSecretLookup)(void *arg, const char *access_key_id, char *secret_out,
                                size_t secret_size);

typedef struct AuthVerifyParams {
    const char *user;                  /* startup user name */
    const char *region;                /* the node's region */
    const char *const *accepted_hosts; /* host names without port */
    size_t n_accepted_hosts;           /* compared case-insensitively, port ignored */
    int64_t now;                       /* unix seconds */
    AuthSecretLookup lookup;
    void *lookup_arg;
} AuthVerifyParams;

/* Parses and verifies a token for a login as p->user.  Returns 0 and fills
 * claims (may be NULL), or -1 with a FATAL err: 28P01 for every refusal of
 * the token itself (DETAIL says why), 28000 `Wrong user to action mapping.
 * user: <user>, action: <action>` when the action does not suit the user. */
int auth_token_verify(const char *token, size_t len, const AuthVerifyParams *p,
                      AuthTokenClaims *claims, DbError *err);
