/*
 * A minimal HTTP/1.1 client for the control-plane API on the local node:
 * one request per connection (Connection: close), signed with SigV4 as
 * the AWS SDKs sign it (host, content-type and x-amz-date signed; path
 * encoded once more for the canonical URI; body hash in the canonical
 * request), answer read to EOF and bounded by CLI_HTTP_RESPONSE_MAX.
 */
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "auth/auth.h"
#include "cli/cluster.h"

/* Splits "a=b&c=d" (already encoded) into decoded params for signing. */
static int cli_http_query_params(const char *query, char *buf, size_t buf_size,
                                 AuthSigV4Param *params, size_t *n)
{
    *n = 0;
    size_t used = 0;
    for (const char *p = query; *p;) {
        const char *amp = strchr(p, '&');
        size_t len = amp ? (size_t)(amp - p) : strlen(p);
        const char *eq = memchr(p, '=', len);
        size_t nl = eq ? (size_t)(eq - p) : len, vl = eq ? len - nl - 1 : 0, dn, dv;
        if (*n == AUTH_SIGV4_MAX_PARAMS ||
            auth_sigv4_uri_decode(p, nl, buf + used, buf_size - used, &dn) != 0)
            return -1;
        params[*n].name = buf + used;
        params[*n].name_len = dn;
        used += dn;
        if (auth_sigv4_uri_decode(eq ? eq + 1 : "", vl, buf + used, buf_size - used, &dv) != 0)
            return -1;
        params[*n].value = buf + used;
        params[*n].value_len = dv;
        used += dv;
        (*n)++;
        p += len + (amp ? 1 : 0);
    }
    return 0;
}

static int cli_http_sign(const CliApi *api, const char *method, const char *path, const char *query,
                         const char *host, const char *amz_date, const char *body, StrBuf *auth_out)
{
    char buf[8192];
    AuthSigV4Param params[AUTH_SIGV4_MAX_PARAMS];
    size_t n;
    if (cli_http_query_params(query, buf, sizeof buf, params, &n) != 0) return -1;
    StrBuf uri, cq, headers, creq;
    strbuf_init(&uri);
    strbuf_init(&cq);
    strbuf_init(&headers);
    strbuf_init(&creq);
    auth_sigv4_uri_encode(&uri, path, strlen(path), true);
    int rc = auth_sigv4_canonical_query(params, n, &cq);
    strbuf_appendf(&headers, "content-type:application/json\nhost:%s\nx-amz-date:%s\n", host,
                   amz_date);
    unsigned char hash[AUTH_SHA256_BYTES], sig[AUTH_SHA256_BYTES];
    char hash_hex[AUTH_SHA256_HEX_LEN + 1], sig_hex[AUTH_SHA256_HEX_LEN + 1];
    if (rc == 0) rc = auth_sha256(body, strlen(body), hash);
    if (rc == 0) {
        hex_encode(hash, sizeof hash, hash_hex);
        AuthSigV4Request sr = {
            method,  uri.data, cq.len ? cq.data : "", headers.data, "content-type;host;x-amz-date",
            hash_hex};
        auth_sigv4_canonical_request(&sr, &creq);
        rc = auth_sigv4_sign(api->secret_access_key, amz_date, api->region, "dsql", creq.data,
                             creq.len, sig);
    }
    if (rc == 0) {
        hex_encode(sig, sizeof sig, sig_hex);
        strbuf_appendf(auth_out,
                       "AWS4-HMAC-SHA256 Credential=%s/%.8s/%s/dsql/aws4_request, "
                       "SignedHeaders=content-type;host;x-amz-date, Signature=%s",
                       api->access_key_id, amz_date, api->region, sig_hex);
    }
    strbuf_fini(&uri);
    strbuf_fini(&cq);
    strbuf_fini(&headers);
    strbuf_fini(&creq);
    return rc;
}

static int cli_http_connect(const CliApi *api, DbError *err)
{
    char port[16];
    snprintf(port, sizeof port, "%d", api->port);
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *res;
    if (getaddrinfo(api->host, port, &hints, &res) != 0)
        return db_error_set(err, SQLSTATE_CONNECTION_FAILURE, "could not resolve \"%s\"",
                            api->host);
    int fd = -1;
    for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(res);
    if (fd < 0)
        db_error_set(err, SQLSTATE_CONNECTION_FAILURE,
                     "could not connect to the control-plane API at %s:%d: %m", api->host,
                     api->port);
    return fd;
}

/* Parses status line, x-amzn-ErrorType and the body out of raw. */
static int cli_http_parse(const StrBuf *raw, CliHttpResponse *resp)
{
    const char *end = raw->len ? memmem(raw->data, raw->len, "\r\n\r\n", 4) : NULL;
    if (!end || sscanf(raw->data, "HTTP/1.%*d %d", &resp->status) != 1) return -1;
    for (const char *line = strstr(raw->data, "\r\n") + 2; line < end;) {
        const char *eol = strstr(line, "\r\n");
        static const char name[] = "x-amzn-errortype:";
        if ((size_t)(eol - line) > sizeof name - 1 &&
            strncasecmp(line, name, sizeof name - 1) == 0) {
            const char *v = line + sizeof name - 1;
            while (*v == ' ')
                v++;
            snprintf(resp->error_type, sizeof resp->error_type, "%.*s", (int)(eol - v), v);
        }
        line = eol + 2;
    }
    const char *body = end + 4;
    strbuf_append(&resp->body, body, raw->len - (size_t)(body - raw->data));
    return 0;
}

int cli_http_call(const CliApi *api, const char *method, const char *path, const char *query,
                  const char *body, CliHttpResponse *resp, DbError *err)
{
    resp->status = 0;
    resp->error_type[0] = '\0';
    strbuf_reset(&resp->body);
    char host[300], amz_date[AUTH_SIGV4_AMZ_DATE_LEN + 1];
    snprintf(host, sizeof host, "%s:%d", api->host, api->port);
    auth_sigv4_date_format(clock_wall_seconds(), amz_date);
    StrBuf auth, req, raw;
    strbuf_init(&auth);
    strbuf_init(&req);
    strbuf_init(&raw);
    int rc = -1, fd = -1;
    if (cli_http_sign(api, method, path, query, host, amz_date, body, &auth) != 0) {
        db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "could not sign the request");
        goto out;
    }
    strbuf_appendf(&req,
                   "%s %s%s%s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n"
                   "X-Amz-Date: %s\r\nAuthorization: %s\r\nContent-Length: %zu\r\n"
                   "Connection: close\r\n\r\n%s",
                   method, path, query[0] ? "?" : "", query, host, amz_date, auth.data,
                   strlen(body), body);
    if ((fd = cli_http_connect(api, err)) < 0) goto out;
    for (size_t off = 0; off < req.len;) {
        ssize_t w = write(fd, req.data + off, req.len - off);
        if (w <= 0) {
            db_error_set(err, SQLSTATE_CONNECTION_FAILURE, "could not send the request: %m");
            goto out;
        }
        off += (size_t)w;
    }
    char buf[8192];
    ssize_t r;
    while ((r = read(fd, buf, sizeof buf)) > 0 && raw.len + (size_t)r <= CLI_HTTP_RESPONSE_MAX)
        strbuf_append(&raw, buf, (size_t)r);
    strbuf_append_char(&raw, '\0');
    raw.len--;
    if (cli_http_parse(&raw, resp) != 0) {
        db_error_set(err, SQLSTATE_PROTOCOL_VIOLATION, "the control-plane API answered garbage");
        goto out;
    }
    rc = 0;
out:
    if (fd >= 0) close(fd);
    strbuf_fini(&auth);
    strbuf_fini(&req);
    strbuf_fini(&raw);
    return rc;
}
