/*
 * NetConn: one client connection on a socket, plaintext until
 * net_conn_start_tls (tls.c) switches it to TLS.  Owns the fd, the SSL
 * object once there is one, and a receive buffer so that many small
 * protocol messages cost one recv/SSL_read.  Reads larger than the buffer
 * go straight into the caller's memory.  Writes are unbuffered here: wire/
 * gathers a batch of messages and hands it over in one call.
 *
 * Before TLS, net_conn_peek_first_byte uses MSG_PEEK so a ClientHello stays
 * in the kernel for OpenSSL; plaintext reads fill rbuf, which must be empty
 * again when TLS starts.
 */
#include "net/net.h"
#include "net/net_int.h"

#include <errno.h>
#include <limits.h>
#include <openssl/err.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

NetConn *net_conn_create(int fd)
{
    NetConn *conn = calloc(1, sizeof *conn);
    if (conn == NULL) abort();
    conn->fd = fd;
    return conn;
}

void net_conn_destroy(NetConn *conn)
{
    if (conn == NULL) return;
    if (conn->ssl) {
        /* One close_notify, without waiting for the client's (the socket
         * closes right after, as in PostgreSQL's be_tls_close), and none
         * after a fatal TLS error, which OpenSSL forbids. */
        ERR_clear_error();
        if (!conn->tls_failed) SSL_shutdown(conn->ssl);
        ERR_clear_error();
        SSL_free(conn->ssl);
    }
    if (conn->fd >= 0) close(conn->fd);
    free(conn);
}

int net_conn_fd(const NetConn *conn)
{
    return conn->fd;
}

bool net_conn_is_tls(const NetConn *conn)
{
    return conn->ssl != NULL;
}

const char *net_conn_sni(const NetConn *conn)
{
    return conn->has_sni ? conn->sni : NULL;
}

bool net_conn_alpn_postgresql(const NetConn *conn)
{
    return conn->alpn_postgresql;
}

bool net_conn_eof(const NetConn *conn)
{
    return conn->eof;
}

bool net_conn_timed_out(const NetConn *conn)
{
    return conn->timed_out;
}

size_t net_conn_buffered(const NetConn *conn)
{
    return conn->rlen - conn->rpos;
}

int net_conn_set_read_timeout(NetConn *conn, int timeout_ms, DbError *err)
{
    if (timeout_ms < 0)
        return db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "invalid read timeout: %d",
                            timeout_ms);
    struct timeval tv;
    tv.tv_sec = timeout_ms / 1000;
    tv.tv_usec = (timeout_ms % 1000) * 1000;
    if (setsockopt(conn->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0)
        return db_error_fatal(err, SQLSTATE_CONNECTION_FAILURE,
                              "could not set the socket read timeout: %s", strerror(errno));
    return 0;
}

static int net_recv_error(NetConn *conn, int errnum, DbError *err)
{
    if (errnum == EAGAIN || errnum == EWOULDBLOCK) {
        conn->timed_out = true;
        return db_error_fatal(err, SQLSTATE_CONNECTION_FAILURE,
                              "could not receive data from client: timed out");
    }
    return db_error_fatal(err, SQLSTATE_CONNECTION_FAILURE,
                          "could not receive data from client: %s", strerror(errnum));
}

/*
 * Receives up to cap bytes into dst: returns the count (> 0), 0 at EOF, or
 * -1 with err set.
 */
static ssize_t net_conn_recv(NetConn *conn, uint8_t *dst, size_t cap, DbError *err)
{
    conn->timed_out = false;
    if (conn->ssl == NULL) {
        for (;;) {
            ssize_t r = recv(conn->fd, dst, cap, 0);
            if (r >= 0) return r;
            if (errno == EINTR) continue;
            return net_recv_error(conn, errno, err);
        }
    }
    int want = cap > INT_MAX ? INT_MAX : (int)cap;
    ERR_clear_error();
    errno = 0;
    int r = SSL_read(conn->ssl, dst, want);
    if (r > 0) return r;
    int saved_errno = errno;
    switch (SSL_get_error(conn->ssl, r)) {
    case SSL_ERROR_ZERO_RETURN:
        return 0;
    case SSL_ERROR_WANT_READ:
    case SSL_ERROR_WANT_WRITE:
        /* The socket blocks, so OpenSSL only asks to retry when the read
         * timeout expired (the BIO retries EINTR itself). */
        return net_recv_error(conn, EAGAIN, err);
    case SSL_ERROR_SYSCALL:
        conn->tls_failed = true;
        if (saved_errno == 0) return 0;
        return net_recv_error(conn, saved_errno, err);
    default: {
        char text[256];
        conn->tls_failed = true;
        return db_error_fatal(err, SQLSTATE_PROTOCOL_VIOLATION, "SSL error: %s",
                              net_tls_error_text(text, sizeof text));
    }
    }
}

int net_conn_peek_first_byte(NetConn *conn, uint8_t *out, DbError *err)
{
    if (conn->rpos < conn->rlen) {
        *out = conn->rbuf[conn->rpos];
        return 0;
    }
    ssize_t r;
    if (conn->ssl) {
        r = net_conn_recv(conn, conn->rbuf, sizeof conn->rbuf, err);
        if (r > 0) {
            conn->rpos = 0;
            conn->rlen = (size_t)r;
        }
    } else {
        conn->timed_out = false;
        do
            r = recv(conn->fd, out, 1, MSG_PEEK);
        while (r < 0 && errno == EINTR);
        if (r < 0) return net_recv_error(conn, errno, err);
    }
    if (r < 0) return -1;
    if (r == 0) {
        conn->eof = true;
        return db_error_fatal(err, SQLSTATE_CONNECTION_FAILURE,
                              "unexpected EOF on client connection");
    }
    if (conn->ssl) *out = conn->rbuf[0];
    return 0;
}

int net_conn_read_full(NetConn *conn, void *buf, size_t n, DbError *err)
{
    uint8_t *dst = buf;
    size_t got = 0;
    while (got < n) {
        size_t avail = conn->rlen - conn->rpos;
        if (avail > 0) {
            size_t take = avail < n - got ? avail : n - got;
            memcpy(dst + got, conn->rbuf + conn->rpos, take);
            conn->rpos += take;
            got += take;
            continue;
        }
        conn->rpos = conn->rlen = 0;
        ssize_t r;
        if (n - got >= sizeof conn->rbuf) {
            r = net_conn_recv(conn, dst + got, n - got, err);
            if (r > 0) got += (size_t)r;
        } else {
            r = net_conn_recv(conn, conn->rbuf, sizeof conn->rbuf, err);
            if (r > 0) conn->rlen = (size_t)r;
        }
        if (r < 0) return -1;
        if (r == 0) {
            conn->eof = true;
            if (got == 0)
                return db_error_fatal(err, SQLSTATE_CONNECTION_FAILURE,
                                      "unexpected EOF on client connection");
            return db_error_fatal(err, SQLSTATE_PROTOCOL_VIOLATION,
                                  "incomplete message from client");
        }
    }
    return 0;
}

static int net_send_error(int errnum, DbError *err)
{
    return db_error_fatal(err, SQLSTATE_CONNECTION_FAILURE, "could not send data to client: %s",
                          strerror(errnum));
}

int net_conn_write_all(NetConn *conn, const void *buf, size_t n, DbError *err)
{
    const uint8_t *src = buf;
    size_t done = 0;
    while (done < n) {
        size_t chunk = n - done;
        if (conn->ssl == NULL) {
            ssize_t w = send(conn->fd, src + done, chunk, MSG_NOSIGNAL);
            if (w < 0) {
                if (errno == EINTR) continue;
                return net_send_error(errno, err);
            }
            done += (size_t)w;
            continue;
        }
        int want = chunk > (1u << 30) ? (1 << 30) : (int)chunk;
        ERR_clear_error();
        errno = 0;
        int w = SSL_write(conn->ssl, src + done, want);
        if (w > 0) {
            done += (size_t)w;
            continue;
        }
        int saved_errno = errno;
        int code = SSL_get_error(conn->ssl, w);
        if (code != SSL_ERROR_WANT_READ && code != SSL_ERROR_WANT_WRITE) conn->tls_failed = true;
        if (code == SSL_ERROR_SYSCALL)
            return net_send_error(saved_errno ? saved_errno : EPIPE, err);
        if (code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE)
            return net_send_error(EAGAIN, err);
        char text[256];
        return db_error_fatal(err, SQLSTATE_CONNECTION_FAILURE, "could not send data to client: %s",
                              net_tls_error_text(text, sizeof text));
    }
    return 0;
}
