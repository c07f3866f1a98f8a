/*
 * The net room's public header: listening sockets, the local certificate
 * authority, the server TLS context and connections (NetConn) that start
 * plaintext and may switch to TLS.  This is the only room besides auth/
 * that includes OpenSSL; nothing here knows the PostgreSQL protocol beyond
 * the two facts a listener needs before any message is read: a TLS
 * ClientHello starts with byte 0x16, and no plaintext may follow an
 * SSLRequest before the handshake (net_conn_start_tls enforces it).
 *
 * All calls block.  A NetConn is used by one thread at a time; a NetTls is
 * shared by every connection and every thread.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/error.h"

/* The first byte of a TLS record carrying a handshake (a ClientHello). */
#define NET_TLS_HANDSHAKE_BYTE 0x16

/* Opens a TCP listening socket on host (NULL or "" = all IPv4 addresses,
 * otherwise a numeric IPv4/IPv6 address or a name) and port (0 = any free
 * port), with SO_REUSEADDR.  *port_out (may be NULL) gets the bound port. */
int net_listen(const char *host, int port, int *fd_out, int *port_out, DbError *err);

/* Accepts one connection on a listening socket; *fd_out gets the new fd.
 * Retries on EINTR. */
int net_accept(int listen_fd, int *fd_out, DbError *err);

/*
 * The local certificate authority.  On first use, creates in dir (made 0700
 * if missing): ca.crt + ca.key (EC P-256, CN "Borealis local CA", 10 years)
 * and server.crt + server.key signed by it (SANs = dns_names, wildcards such
 * as "*.dsql.local.on.aws" allowed, and ip_addrs; 2 years; serverAuth), so
 * that libpq's sslmode=verify-full sslrootcert=ca.crt accepts the server.
 * Keys are written 0600.  Existing files are kept: a CA pair that exists is
 * reused, and the server pair is only made when missing (or when the CA was
 * just made).  At least one DNS name or IP address is required.
 */
int net_tls_ensure_certs(const char *dir, const char *const *dns_names, size_t n_dns,
                         const char *const *ip_addrs, size_t n_ip, DbError *err);

/* A server TLS context: TLS 1.2 minimum, SNI recorded on the connection,
 * ALPN "postgresql" accepted (a client that offers ALPN without it is
 * refused with the no_application_protocol alert, as PostgreSQL 17 does). */
typedef struct NetTls NetTls;

/* cert_path holds the server certificate followed by any chain; key_path
 * the private key (PEM).  Errors are F0000 config_file_error. */
int net_tls_create(const char *cert_path, const char *key_path, NetTls **out, DbError *err);
void net_tls_destroy(NetTls *tls);

/* A connection on a socket fd; owns the fd from net_conn_create on. */
typedef struct NetConn NetConn;

NetConn *net_conn_create(int fd);
/* Sends a TLS close_notify when TLS is up (without waiting for the peer's),
 * closes the fd and frees the connection.  NULL is ignored. */
void net_conn_destroy(NetConn *conn);
int net_conn_fd(const NetConn *conn);

/* Blocks until the client has sent at least one byte and returns it without
 * consuming it: NET_TLS_HANDSHAKE_BYTE means direct TLS, anything else the
 * first byte of a PostgreSQL length word.  EOF before any byte is 08006. */
int net_conn_peek_first_byte(NetConn *conn, uint8_t *out, DbError *err);

/* Runs the server side of the TLS handshake (also after a peek: the
 * ClientHello is still unread).  Plaintext already received and not yet
 * consumed is a protocol violation (08P01 "received unencrypted data after
 * SSL request"), as is a failed handshake ("could not accept SSL
 * connection: ..."). */
int net_conn_start_tls(NetConn *conn, NetTls *tls, DbError *err);
bool net_conn_is_tls(const NetConn *conn);
/* The SNI host name the client sent, or NULL (no TLS, or no SNI). */
const char *net_conn_sni(const NetConn *conn);
/* True when ALPN negotiated "postgresql". */
bool net_conn_alpn_postgresql(const NetConn *conn);

/* Reads exactly n bytes.  EOF before the first byte: 08006 "unexpected EOF
 * on client connection"; EOF after some bytes: 08P01 "incomplete message
 * from client"; either way net_conn_eof() becomes true.  A socket error or
 * an expired read timeout: 08006 "could not receive data from client: ..."
 * (net_conn_timed_out() tells a timeout apart). */
int net_conn_read_full(NetConn *conn, void *buf, size_t n, DbError *err);
bool net_conn_eof(const NetConn *conn);
bool net_conn_timed_out(const NetConn *conn);
/* Bytes received and buffered but not yet consumed by a read. */
size_t net_conn_buffered(const NetConn *conn);
/* Writes all n bytes (no SIGPIPE): 08006 "could not send data to client:
 * ..." on failure. */
int net_conn_write_all(NetConn *conn, const void *buf, size_t n, DbError *err);
/* Read timeout for every later read, peek and handshake; 0 = none. */
int net_conn_set_read_timeout(NetConn *conn, int timeout_ms, DbError *err);
