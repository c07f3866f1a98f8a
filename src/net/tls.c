/*
 * The server TLS context (NetTls) and the handshake on a NetConn.  Owns the
 * SSL_CTX, the OpenSSL callbacks and the socket BIO method:
 *   - SNI: the servername callback copies the client's host_name into the
 *     connection (server/ picks the cluster from it).
 *   - ALPN: "postgresql" is the only protocol; a client offering ALPN
 *     without it gets the no_application_protocol alert (PostgreSQL 17's
 *     rule).  Whether a direct-TLS client must use ALPN is the caller's
 *     decision (net_conn_alpn_postgresql).
 *   - BIO: recv/send with MSG_NOSIGNAL, so a vanished client never raises
 *     SIGPIPE in a library that cannot assume how signals are set up.
 * Certificates are made in certs.c; PostgreSQL messages are not known here.
 */
#include "net/net.h"
#include "net/net_int.h"

#include <errno.h>
#include <openssl/err.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

struct NetTls {
    SSL_CTX *ctx;
};

/* ALPN wire format: one length byte, then the protocol name. */
static const unsigned char net_alpn_postgresql[] = "\x0apostgresql";

const char *net_tls_error_text(char *buf, size_t size)
{
    unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code == 0) {
        snprintf(buf, size, "no SSL error reported");
        return buf;
    }
    const char *reason = ERR_reason_error_string(code);
    if (reason)
        snprintf(buf, size, "%s", reason);
    else
        snprintf(buf, size, "SSL error code %lu", code);
    return buf;
}

static int net_bio_read(BIO *bio, char *buf, int size)
{
    int fd = -1;
    BIO_get_fd(bio, &fd);
    BIO_clear_retry_flags(bio);
    ssize_t r;
    do
        r = recv(fd, buf, (size_t)size, 0);
    while (r < 0 && errno == EINTR);
    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) BIO_set_retry_read(bio);
    if (r == 0) BIO_set_flags(bio, BIO_FLAGS_IN_EOF);
    return (int)r;
}

static int net_bio_write(BIO *bio, const char *buf, int size)
{
    int fd = -1;
    BIO_get_fd(bio, &fd);
    BIO_clear_retry_flags(bio);
    ssize_t w;
    do
        w = send(fd, buf, (size_t)size, MSG_NOSIGNAL);
    while (w < 0 && errno == EINTR);
    if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) BIO_set_retry_write(bio);
    return (int)w;
}

static BIO_METHOD *net_bio_method_instance;
static pthread_once_t net_bio_method_once = PTHREAD_ONCE_INIT;

/* A copy of OpenSSL's socket BIO (its ctrl keeps the fd and EOF flag) with
 * our read and write, as PostgreSQL's my_BIO_s_socket. */
static void net_bio_method_init(void)
{
    const BIO_METHOD *sock = BIO_s_socket();
    BIO_METHOD *m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "borealis socket");
    if (m == NULL || !BIO_meth_set_read(m, net_bio_read) || !BIO_meth_set_write(m, net_bio_write) ||
        !BIO_meth_set_ctrl(m, BIO_meth_get_ctrl(sock)) ||
        !BIO_meth_set_create(m, BIO_meth_get_create(sock)) ||
        !BIO_meth_set_destroy(m, BIO_meth_get_destroy(sock)) ||
        !BIO_meth_set_callback_ctrl(m, BIO_meth_get_callback_ctrl(sock))) {
        fprintf(stderr, "borealis: could not set up the TLS socket BIO\n");
        abort();
    }
    net_bio_method_instance = m;
}

BIO_METHOD *net_tls_bio_method(void)
{
    pthread_once(&net_bio_method_once, net_bio_method_init);
    return net_bio_method_instance;
}

static int net_tls_sni_cb(SSL *ssl, int *alert, void *arg)
{
    (void)alert;
    (void)arg;
    NetConn *conn = SSL_get_app_data(ssl);
    const char *name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
    if (conn && name && name[0]) {
        snprintf(conn->sni, sizeof conn->sni, "%s", name);
        conn->has_sni = true;
    }
    return SSL_TLSEXT_ERR_OK;
}

static int net_tls_alpn_cb(SSL *ssl, const unsigned char **out, unsigned char *outlen,
                           const unsigned char *in, unsigned int inlen, void *arg)
{
    (void)arg;
    NetConn *conn = SSL_get_app_data(ssl);
    unsigned char *selected = NULL;
    unsigned char selected_len = 0;
    int rc = SSL_select_next_proto(&selected, &selected_len, net_alpn_postgresql,
                                   sizeof net_alpn_postgresql - 1, in, inlen);
    if (rc == OPENSSL_NPN_NEGOTIATED && selected != NULL) {
        *out = selected;
        *outlen = selected_len;
        if (conn) conn->alpn_postgresql = true;
        return SSL_TLSEXT_ERR_OK;
    }
    /* RFC 7301 §3.2: the client speaks none of our protocols. */
    return SSL_TLSEXT_ERR_ALERT_FATAL;
}

int net_tls_create(const char *cert_path, const char *key_path, NetTls **out, DbError *err)
{
    char text[256];
    ERR_clear_error();
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    if (ctx == NULL)
        return db_error_fatal(err, SQLSTATE_CONFIG_FILE_ERROR, "could not create SSL context: %s",
                              net_tls_error_text(text, sizeof text));
    if (!SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION)) {
        SSL_CTX_free(ctx);
        return db_error_fatal(err, SQLSTATE_CONFIG_FILE_ERROR,
                              "could not set minimum SSL protocol version: %s",
                              net_tls_error_text(text, sizeof text));
    }
    /* As PostgreSQL: no compression, renegotiation or session resumption;
     * a client that drops the socket without close_notify is plain EOF. */
    SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_TICKET |
                                 SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_IGNORE_UNEXPECTED_EOF);
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    if (SSL_CTX_use_certificate_chain_file(ctx, cert_path) != 1) {
        db_error_fatal(err, SQLSTATE_CONFIG_FILE_ERROR,
                       "could not load server certificate file \"%s\": %s", cert_path,
                       net_tls_error_text(text, sizeof text));
        SSL_CTX_free(ctx);
        return -1;
    }
    if (SSL_CTX_use_PrivateKey_file(ctx, key_path, SSL_FILETYPE_PEM) != 1) {
        db_error_fatal(err, SQLSTATE_CONFIG_FILE_ERROR,
                       "could not load private key file \"%s\": %s", key_path,
                       net_tls_error_text(text, sizeof text));
        SSL_CTX_free(ctx);
        return -1;
    }
    if (SSL_CTX_check_private_key(ctx) != 1) {
        db_error_fatal(err, SQLSTATE_CONFIG_FILE_ERROR,
                       "check of private key failed: %s (certificate \"%s\", key \"%s\")",
                       net_tls_error_text(text, sizeof text), cert_path, key_path);
        SSL_CTX_free(ctx);
        return -1;
    }
    SSL_CTX_set_tlsext_servername_callback(ctx, net_tls_sni_cb);
    SSL_CTX_set_alpn_select_cb(ctx, net_tls_alpn_cb, NULL);
    NetTls *tls = calloc(1, sizeof *tls);
    if (tls == NULL) abort();
    tls->ctx = ctx;
    *out = tls;
    return 0;
}

void net_tls_destroy(NetTls *tls)
{
    if (tls == NULL) return;
    SSL_CTX_free(tls->ctx);
    free(tls);
}

static int net_tls_accept_failed(NetConn *conn, int rc, int saved_errno, DbError *err)
{
    char text[256];
    int code = SSL_get_error(conn->ssl, rc);
    switch (code) {
    case SSL_ERROR_WANT_READ:
    case SSL_ERROR_WANT_WRITE:
        conn->timed_out = true;
        db_error_fatal(err, SQLSTATE_CONNECTION_FAILURE, "could not accept SSL connection: %s",
                       "timed out");
        break;
    case SSL_ERROR_SYSCALL:
        if (rc < 0 && saved_errno != 0) {
            db_error_fatal(err, SQLSTATE_CONNECTION_FAILURE, "could not accept SSL connection: %s",
                           strerror(saved_errno));
            break;
        }
        conn->eof = true;
        db_error_fatal(err, SQLSTATE_PROTOCOL_VIOLATION,
                       "could not accept SSL connection: EOF detected");
        break;
    case SSL_ERROR_ZERO_RETURN:
        conn->eof = true;
        db_error_fatal(err, SQLSTATE_PROTOCOL_VIOLATION,
                       "could not accept SSL connection: EOF detected");
        break;
    default:
        db_error_fatal(err, SQLSTATE_PROTOCOL_VIOLATION, "could not accept SSL connection: %s",
                       net_tls_error_text(text, sizeof text));
        break;
    }
    ERR_clear_error();
    SSL_free(conn->ssl);
    conn->ssl = NULL;
    conn->alpn_postgresql = false;
    conn->has_sni = false;
    return -1;
}

int net_conn_start_tls(NetConn *conn, NetTls *tls, DbError *err)
{
    if (conn->ssl != NULL)
        return db_error_fatal(err, SQLSTATE_PROTOCOL_VIOLATION, "SSL connection already started");
    if (conn->rpos < conn->rlen) {
        /* Bytes the client sent before seeing our 'S' could have been
         * injected by a man in the middle (CVE-2021-23214). */
        db_error_fatal(err, SQLSTATE_PROTOCOL_VIOLATION,
                       "received unencrypted data after SSL request");
        db_error_detail(err, "This could be either a client-software bug or evidence of an "
                             "attempted man-in-the-middle attack.");
        return -1;
    }
    char text[256];
    ERR_clear_error();
    SSL *ssl = SSL_new(tls->ctx);
    BIO *bio = ssl ? BIO_new(net_tls_bio_method()) : NULL;
    if (bio == NULL) {
        SSL_free(ssl);
        return db_error_fatal(err, SQLSTATE_CONNECTION_FAILURE,
                              "could not initialize SSL connection: %s",
                              net_tls_error_text(text, sizeof text));
    }
    BIO_set_fd(bio, conn->fd, BIO_NOCLOSE);
    SSL_set_bio(ssl, bio, bio);
    SSL_set_app_data(ssl, conn);
    conn->ssl = ssl;
    conn->alpn_postgresql = false;
    conn->has_sni = false;
    conn->timed_out = false;
    ERR_clear_error();
    errno = 0;
    int rc = SSL_accept(ssl);
    if (rc != 1) return net_tls_accept_failed(conn, rc, errno, err);
    return 0;
}
