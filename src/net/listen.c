/*
 * Listening sockets: net_listen binds a TCP socket (SO_REUSEADDR, any free
 * port on request) and reports the port it got; net_accept takes one
 * connection.  The listener's accept loop and its threads belong to server/.
 */
#include "net/net.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* PostgreSQL's default listen backlog is at most this (MaxConnections*2). */
#define NET_LISTEN_BACKLOG 512

static int net_bound_port(int fd, int *port_out, DbError *err)
{
    struct sockaddr_storage ss;
    socklen_t slen = sizeof ss;
    if (getsockname(fd, (struct sockaddr *)&ss, &slen) != 0)
        return db_error_fatal(err, SQLSTATE_CONNECTION_EXCEPTION,
                              "could not get the address of the listening socket: %s",
                              strerror(errno));
    if (ss.ss_family == AF_INET6)
        *port_out = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
    else
        *port_out = ntohs(((struct sockaddr_in *)&ss)->sin_port);
    return 0;
}

int net_listen(const char *host, int port, int *fd_out, int *port_out, DbError *err)
{
    if (port < 0 || port > 65535)
        return db_error_fatal(err, SQLSTATE_INVALID_PARAMETER_VALUE, "invalid port number: %d",
                              port);
    char service[16];
    snprintf(service, sizeof service, "%d", port);
    struct addrinfo hints;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = (host == NULL || host[0] == '\0') ? AF_INET : AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE;
    struct addrinfo *res = NULL;
    int rc = getaddrinfo((host && host[0]) ? host : NULL, service, &hints, &res);
    if (rc != 0)
        return db_error_fatal(err, SQLSTATE_CONNECTION_EXCEPTION,
                              "could not translate host name \"%s\", service \"%s\" to address: %s",
                              host ? host : "*", service, gai_strerror(rc));

    int last_errno = 0;
    const char *last_step = "create";
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) {
            last_errno = errno;
            last_step = "create";
            continue;
        }
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (ai->ai_family == AF_INET6) setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
            last_errno = errno;
            last_step = "bind";
            close(fd);
            continue;
        }
        if (listen(fd, NET_LISTEN_BACKLOG) != 0) {
            last_errno = errno;
            last_step = "listen on";
            close(fd);
            continue;
        }
        int bound = 0;
        if (net_bound_port(fd, &bound, err) != 0) {
            close(fd);
            freeaddrinfo(res);
            return -1;
        }
        freeaddrinfo(res);
        *fd_out = fd;
        if (port_out) *port_out = bound;
        return 0;
    }
    freeaddrinfo(res);
    return db_error_fatal(err, SQLSTATE_CONNECTION_EXCEPTION, "could not %s socket for %s:%d: %s",
                          last_step, (host && host[0]) ? host : "*", port, strerror(last_errno));
}

int net_accept(int listen_fd, int *fd_out, DbError *err)
{
    for (;;) {
        int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
        if (fd >= 0) {
            int one = 1;
            /* Small protocol messages must not wait for Nagle's timer. */
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
            *fd_out = fd;
            return 0;
        }
        if (errno == EINTR || errno == ECONNABORTED) continue;
        return db_error_fatal(err, SQLSTATE_CONNECTION_FAILURE,
                              "could not accept new connection: %s", strerror(errno));
    }
}
