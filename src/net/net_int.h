/*
 * Private to the net room: the NetConn layout shared by conn.c (plaintext
 * and TLS reads/writes) and tls.c (the handshake and the OpenSSL callbacks
 * that fill in SNI and ALPN), and small helpers for OpenSSL error text.
 * Nothing outside src/net/ includes this file.
 */
#pragma once

#include <openssl/ssl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/error.h"

/* As PostgreSQL's PQ_RECV_BUFFER_SIZE: one recv fills this much. */
#define NET_RECV_BUFFER_BYTES 8192
/* RFC 6066: a host_name in SNI is at most 255 bytes. */
#define NET_SNI_MAX_BYTES 255

struct NetConn {
    int fd;
    SSL *ssl; /* NULL until net_conn_start_tls succeeds */
    bool alpn_postgresql;
    bool tls_failed; /* a fatal TLS error: no close_notify may follow */
    bool has_sni;
    bool eof;
    bool timed_out;
    char sni[NET_SNI_MAX_BYTES + 1];
    size_t rpos; /* next unread byte in rbuf */
    size_t rlen; /* bytes held in rbuf */
    uint8_t rbuf[NET_RECV_BUFFER_BYTES];
};

/* The reason text of the oldest queued OpenSSL error (clearing the queue),
 * or "no SSL error reported". */
const char *net_tls_error_text(char *buf, size_t size);
/* The BIO method for connection sockets: recv/send with MSG_NOSIGNAL. */
BIO_METHOD *net_tls_bio_method(void);
