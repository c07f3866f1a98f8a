/*
 * The API behind libmicrohttpd: collects one request (headers, raw query
 * parameters, a body of at most CONTROL_BODY_MAX bytes), hands it to
 * control_request_handle and sends the answer.  The path and query stay
 * percent-encoded (a no-op unescaper) because SigV4 signs them as sent;
 * request.c decodes them.  HTTPS (GnuTLS inside libmicrohttpd) when the
 * server hands a certificate.  One internal polling thread serves every
 * connection: requests are short and the slow work runs in the server's
 * hook threads.
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "control/control_int.h"

struct ControlServer {
    struct MHD_Daemon *daemon;
    const ControlApi *api;
    char *cert_pem; /* kept for the daemon's lifetime; NULL: plain HTTP */
    char *key_pem;
};

typedef struct ControlUpload {
    StrBuf body;
    bool too_large;
} ControlUpload;

typedef struct ControlPairs {
    ControlHeader items[CONTROL_HEADERS_MAX];
    size_t n;
    bool overflow;
} ControlPairs;

static size_t control_http_unescape(void *cls, struct MHD_Connection *conn, char *s)
{
    (void)cls;
    (void)conn;
    return strlen(s);
}

static enum MHD_Result control_http_collect(void *cls, enum MHD_ValueKind kind, const char *key,
                                            const char *value)
{
    (void)kind;
    ControlPairs *p = cls;
    if (p->n == ARRAY_LEN(p->items)) {
        p->overflow = true;
        return MHD_NO;
    }
    p->items[p->n++] = (ControlHeader){key, value ? value : ""};
    return MHD_YES;
}

static enum MHD_Result control_http_send(struct MHD_Connection *conn, ControlResponse *r)
{
    struct MHD_Response *mr =
        MHD_create_response_from_buffer(r->body.len, r->body.data, MHD_RESPMEM_MUST_COPY);
    if (!mr) return MHD_NO;
    MHD_add_response_header(mr, "Content-Type", "application/json");
    /* A fresh request id, as AWS's x-amzn-RequestId (a UUID v4). */
    unsigned char b[16];
    char rid[37];
    if (getrandom(b, sizeof b, 0) == (ssize_t)sizeof b) {
        b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
        b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
        snprintf(rid, sizeof rid,
                 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                 b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                 b[15]);
        MHD_add_response_header(mr, "x-amzn-RequestId", rid);
    }
    if (r->error_type[0]) MHD_add_response_header(mr, "x-amzn-ErrorType", r->error_type);
    enum MHD_Result ok = MHD_queue_response(conn, (unsigned)r->status, mr);
    MHD_destroy_response(mr);
    return ok;
}

static enum MHD_Result control_http_access(void *cls, struct MHD_Connection *conn, const char *url,
                                           const char *method, const char *version,
                                           const char *upload_data, size_t *upload_data_size,
                                           void **con_cls)
{
    (void)version;
    ControlServer *s = cls;
    ControlUpload *up = *con_cls;
    if (!up) {
        up = calloc(1, sizeof *up);
        if (!up) return MHD_NO;
        strbuf_init(&up->body);
        *con_cls = up;
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (up->body.len + *upload_data_size > CONTROL_BODY_MAX)
            up->too_large = true;
        else
            strbuf_append(&up->body, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    ControlResponse resp;
    control_response_init(&resp);
    ControlPairs *headers = calloc(1, sizeof *headers), *query = calloc(1, sizeof *query);
    if (!headers || !query) {
        control_error(&resp, 500, "InternalServerException", NULL, "out of memory");
    } else {
        MHD_get_connection_values(conn, MHD_HEADER_KIND, control_http_collect, headers);
        MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, control_http_collect, query);
        if (up->too_large || headers->overflow || query->overflow) {
            control_error_validation(&resp, "other", NULL, "Request too large.");
        } else {
            ControlRequest req = {
                .method = method,
                .path = url,
                .query = query->items,
                .n_query = query->n,
                .headers = headers->items,
                .n_headers = headers->n,
                .body = up->body.data,
                .body_len = up->body.len,
                .now = clock_wall_seconds(),
            };
            control_request_handle(s->api, &req, &resp);
        }
    }
    free(headers);
    free(query);
    enum MHD_Result ok = control_http_send(conn, &resp);
    control_response_fini(&resp);
    return ok;
}

static void control_http_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                                   enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    (void)toe;
    ControlUpload *up = *con_cls;
    if (!up) return;
    strbuf_fini(&up->body);
    free(up);
    *con_cls = NULL;
}

int control_server_start(const ControlApi *api, const char *host, int port, const char *cert_pem,
                         const char *key_pem, ControlServer **out, int *bound_port, DbError *err)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (inet_pton(AF_INET, strcmp(host, "localhost") == 0 ? "127.0.0.1" : host, &sa.sin_addr) != 1)
        return db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE,
                            "API listen address \"%s\" is not an IPv4 address", host);
    ControlServer *s = calloc(1, sizeof *s);
    if (!s) return db_error_set(err, SQLSTATE_OUT_OF_MEMORY, "out of memory");
    s->api = api;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
    struct MHD_OptionItem tls[3] = {{MHD_OPTION_END, 0, NULL}};
    if (cert_pem && key_pem) {
        s->cert_pem = strdup(cert_pem);
        s->key_pem = strdup(key_pem);
        flags |= MHD_USE_TLS;
        tls[0] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT, 0, s->cert_pem};
        tls[1] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0, s->key_pem};
        tls[2] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};
    }
    s->daemon = MHD_start_daemon(
        flags, (uint16_t)port, NULL, NULL, control_http_access, s, MHD_OPTION_SOCK_ADDR,
        (struct sockaddr *)&sa, MHD_OPTION_UNESCAPE_CALLBACK, control_http_unescape, NULL,
        MHD_OPTION_NOTIFY_COMPLETED, control_http_completed, NULL, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)30, MHD_OPTION_ARRAY, tls, MHD_OPTION_END);
    if (!s->daemon) {
        control_server_stop(s);
        return db_error_set(err, SQLSTATE_IO_ERROR, "could not listen on %s:%d for the API", host,
                            port);
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    *bound_port = info ? info->port : port;
    *out = s;
    return 0;
}

void control_server_stop(ControlServer *s)
{
    if (!s) return;
    if (s->daemon) MHD_stop_daemon(s->daemon);
    free(s->cert_pem);
    free(s->key_pem);
    free(s);
}
