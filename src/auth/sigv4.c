/*
 * Generic AWS Signature Version 4: URI encoding and decoding, the canonical
 * query string and canonical request, signing-key derivation, signing an
 * arbitrary canonical request, and X-Amz-Date conversion.  SHA-256 and HMAC
 * come from OpenSSL 3's EVP interface.
 *
 * Nothing here knows about DSQL tokens (token.c) or where secrets live.  The
 * date arithmetic is done by hand (days-from-civil) so that parsing a date
 * never depends on the process's time zone or on timegm().
 */
#include "auth/auth.h"

#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

int auth_sha256(const void *data, size_t len, unsigned char out[AUTH_SHA256_BYTES])
{
    unsigned int out_len = 0;
    if (EVP_Digest(data, len, out, &out_len, EVP_sha256(), NULL) != 1) return -1;
    return out_len == AUTH_SHA256_BYTES ? 0 : -1;
}

int auth_hmac_sha256(const void *key, size_t key_len, const void *data, size_t len,
                     unsigned char out[AUTH_SHA256_BYTES])
{
    size_t out_len = 0;
    if (!EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, key, key_len, data, len, out,
                   AUTH_SHA256_BYTES, &out_len))
        return -1;
    return out_len == AUTH_SHA256_BYTES ? 0 : -1;
}

static bool sigv4_is_unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == '~';
}

void auth_sigv4_uri_encode(StrBuf *out, const char *s, size_t len, bool keep_slash)
{
    static const char digits[] = "0123456789ABCDEF";
    strbuf_reserve(out, len * 3);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (sigv4_is_unreserved(c) || (keep_slash && c == '/')) {
            strbuf_append_char(out, (char)c);
        } else {
            char esc[3] = {'%', digits[c >> 4], digits[c & 15]};
            strbuf_append(out, esc, sizeof esc);
        }
    }
}

static int sigv4_hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int auth_sigv4_uri_decode(const char *s, size_t len, char *out, size_t out_size, size_t *out_len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '%') {
            if (len - i < 3) return -1;
            int hi = sigv4_hex_value((unsigned char)s[i + 1]);
            int lo = sigv4_hex_value((unsigned char)s[i + 2]);
            if (hi < 0 || lo < 0) return -1;
            c = (unsigned char)(hi * 16 + lo);
            i += 2;
        }
        if (n >= out_size) return -1;
        out[n++] = (char)c;
    }
    *out_len = n;
    return 0;
}

/* Byte-wise order of two encoded strings, shorter first on a common prefix. */
static int sigv4_bytes_cmp(const char *a, size_t a_len, const char *b, size_t b_len)
{
    int c = memcmp(a, b, a_len < b_len ? a_len : b_len);
    if (c != 0) return c;
    return (a_len > b_len) - (a_len < b_len);
}

int auth_sigv4_canonical_query(const AuthSigV4Param *params, size_t n, StrBuf *out)
{
    if (n > AUTH_SIGV4_MAX_PARAMS) return -1;
    /* Encode every name and value once into scratch, remember where each
     * landed, then insertion-sort the indices: n is small and bounded. */
    StrBuf scratch;
    strbuf_init(&scratch);
    size_t name_off[AUTH_SIGV4_MAX_PARAMS], name_len[AUTH_SIGV4_MAX_PARAMS];
    size_t value_off[AUTH_SIGV4_MAX_PARAMS], value_len[AUTH_SIGV4_MAX_PARAMS];
    size_t order[AUTH_SIGV4_MAX_PARAMS];
    for (size_t i = 0; i < n; i++) {
        name_off[i] = scratch.len;
        auth_sigv4_uri_encode(&scratch, params[i].name, params[i].name_len, false);
        name_len[i] = scratch.len - name_off[i];
        value_off[i] = scratch.len;
        auth_sigv4_uri_encode(&scratch, params[i].value, params[i].value_len, false);
        value_len[i] = scratch.len - value_off[i];
        order[i] = i;
    }
    for (size_t i = 1; i < n; i++) {
        size_t cur = order[i];
        size_t j = i;
        while (j > 0) {
            size_t prev = order[j - 1];
            int c = sigv4_bytes_cmp(scratch.data + name_off[prev], name_len[prev],
                                    scratch.data + name_off[cur], name_len[cur]);
            if (c == 0)
                c = sigv4_bytes_cmp(scratch.data + value_off[prev], value_len[prev],
                                    scratch.data + value_off[cur], value_len[cur]);
            if (c <= 0) break;
            order[j] = prev;
            j--;
        }
        order[j] = cur;
    }
    strbuf_reset(out);
    strbuf_append(out, "", 0); /* an empty query is "" rather than a NULL buffer */
    for (size_t k = 0; k < n; k++) {
        size_t i = order[k];
        if (k > 0) strbuf_append_char(out, '&');
        strbuf_append(out, scratch.data + name_off[i], name_len[i]);
        strbuf_append_char(out, '=');
        strbuf_append(out, scratch.data + value_off[i], value_len[i]);
    }
    strbuf_fini(&scratch);
    return 0;
}

void auth_sigv4_canonical_request(const AuthSigV4Request *req, StrBuf *out)
{
    strbuf_reset(out);
    strbuf_appendf(out, "%s\n%s\n%s\n%s\n%s\n%s", req->method, req->canonical_uri,
                   req->canonical_query, req->canonical_headers, req->signed_headers,
                   req->payload_sha256_hex);
}

int auth_sigv4_signing_key(const char *secret, const char *date8, const char *region,
                           const char *service, unsigned char key[AUTH_SHA256_BYTES])
{
    size_t secret_len = strnlen(secret, AUTH_SECRET_ACCESS_KEY_MAX + 1);
    if (secret_len > AUTH_SECRET_ACCESS_KEY_MAX) return -1;
    unsigned char k_secret[4 + AUTH_SECRET_ACCESS_KEY_MAX];
    memcpy(k_secret, "AWS4", 4);
    memcpy(k_secret + 4, secret, secret_len);
    unsigned char k_date[AUTH_SHA256_BYTES], k_region[AUTH_SHA256_BYTES];
    unsigned char k_service[AUTH_SHA256_BYTES];
    int rc = -1;
    if (auth_hmac_sha256(k_secret, 4 + secret_len, date8, strlen(date8), k_date) == 0 &&
        auth_hmac_sha256(k_date, sizeof k_date, region, strlen(region), k_region) == 0 &&
        auth_hmac_sha256(k_region, sizeof k_region, service, strlen(service), k_service) == 0 &&
        auth_hmac_sha256(k_service, sizeof k_service, AUTH_SIGV4_TERMINATOR,
                         strlen(AUTH_SIGV4_TERMINATOR), key) == 0)
        rc = 0;
    /* Intermediate keys are as good as the secret for this day and region. */
    OPENSSL_cleanse(k_secret, sizeof k_secret);
    OPENSSL_cleanse(k_date, sizeof k_date);
    OPENSSL_cleanse(k_region, sizeof k_region);
    OPENSSL_cleanse(k_service, sizeof k_service);
    return rc;
}

int auth_sigv4_sign(const char *secret, const char *amz_date, const char *region,
                    const char *service, const char *canonical_request,
                    size_t canonical_request_len, unsigned char signature[AUTH_SHA256_BYTES])
{
    if (strnlen(amz_date, AUTH_SIGV4_AMZ_DATE_LEN + 1) != AUTH_SIGV4_AMZ_DATE_LEN) return -1;
    char date8[9];
    memcpy(date8, amz_date, 8);
    date8[8] = '\0';

    unsigned char request_hash[AUTH_SHA256_BYTES];
    char request_hash_hex[AUTH_SHA256_HEX_LEN + 1];
    if (auth_sha256(canonical_request, canonical_request_len, request_hash) != 0) return -1;
    hex_encode(request_hash, sizeof request_hash, request_hash_hex);

    StrBuf to_sign;
    strbuf_init(&to_sign);
    strbuf_appendf(&to_sign, "%s\n%s\n%s/%s/%s/%s\n%s", AUTH_SIGV4_ALGORITHM, amz_date, date8,
                   region, service, AUTH_SIGV4_TERMINATOR, request_hash_hex);
    unsigned char key[AUTH_SHA256_BYTES];
    int rc = -1;
    if (auth_sigv4_signing_key(secret, date8, region, service, key) == 0 &&
        auth_hmac_sha256(key, sizeof key, to_sign.data, to_sign.len, signature) == 0)
        rc = 0;
    OPENSSL_cleanse(key, sizeof key);
    strbuf_fini(&to_sign);
    return rc;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil); exact for every year handled here. */
static int64_t sigv4_days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void sigv4_civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static bool sigv4_is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Reads n decimal digits at s; -1 if any is not a digit. */
static int64_t sigv4_digits(const char *s, int n)
{
    int64_t v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int auth_sigv4_date_parse(const char *s, size_t len, int64_t *unix_seconds)
{
    static const int month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (len != AUTH_SIGV4_AMZ_DATE_LEN || s[8] != 'T' || s[15] != 'Z') return -1;
    int64_t year = sigv4_digits(s, 4), month = sigv4_digits(s + 4, 2);
    int64_t day = sigv4_digits(s + 6, 2), hour = sigv4_digits(s + 9, 2);
    int64_t minute = sigv4_digits(s + 11, 2), second = sigv4_digits(s + 13, 2);
    if (year < 1970 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 ||
        minute > 59 || second < 0 || second > 59)
        return -1;
    int max_day = month_days[month - 1] + (month == 2 && sigv4_is_leap(year));
    if (day > max_day) return -1;
    int64_t days = sigv4_days_from_civil(year, (int)month, (int)day);
    *unix_seconds = days * 86400 + hour * 3600 + minute * 60 + second;
    return 0;
}

/* Writes v as exactly n decimal digits (v is known to fit). */
static void sigv4_put_digits(char *out, int64_t v, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        out[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

int auth_sigv4_date_format(int64_t unix_seconds, char out[AUTH_SIGV4_AMZ_DATE_LEN + 1])
{
    /* 253402300799 is 9999-12-31T23:59:59Z, the last four-digit-year second. */
    if (unix_seconds < 0 || unix_seconds > INT64_C(253402300799)) return -1;
    int64_t days = unix_seconds / 86400, rem = unix_seconds % 86400;
    int64_t year;
    int month, day;
    sigv4_civil_from_days(days, &year, &month, &day);
    sigv4_put_digits(out, year, 4);
    sigv4_put_digits(out + 4, month, 2);
    sigv4_put_digits(out + 6, day, 2);
    out[8] = 'T';
    sigv4_put_digits(out + 9, rem / 3600, 2);
    sigv4_put_digits(out + 11, rem / 60 % 60, 2);
    sigv4_put_digits(out + 13, rem % 60, 2);
    out[15] = 'Z';
    out[16] = '\0';
    return 0;
}
