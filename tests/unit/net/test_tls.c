/*
 * Unit tests for the net room: the local CA (files, modes, idempotence,
 * verification with a host name or IP address under strict X.509 rules),
 * TLS over real sockets against an OpenSSL client in this process (direct
 * TLS with SNI and ALPN, SSLRequest then TLS, refusals), and the plaintext
 * connection's EOF, timeout and write-failure errors.  The server side runs
 * in a thread; the client side in the test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/common.h"
#include "net/net.h"

static char cert_dir[64];
static char ca_crt[96], ca_key[96], server_crt[96], server_key[96];

static const char *const dns_names[] = {"localhost", "*.dsql.local.on.aws"};
static const char *const ip_addrs[] = {"127.0.0.1", "::1"};

/* ---- the server side, in a thread ---- */

typedef enum ServerMode {
    SERVER_DIRECT_TLS,  /* peek 0x16, handshake, echo */
    SERVER_SSL_REQUEST, /* read 8 bytes, answer 'S', handshake, echo */
} ServerMode;

typedef struct Server {
    ServerMode mode;
    bool timeout_first; /* let one TLS read time out before echoing */
    int fd;
    NetTls *tls;
    /* results */
    int rc;
    DbError err;
    uint8_t first_byte;
    char sni[256];
    bool has_sni;
    bool alpn;
    bool tls_up;
    bool timed_out;
    DbError timeout_err;
    char got[16];
    pthread_t thread;
} Server;

static void *server_main(void *arg)
{
    Server *s = arg;
    NetConn *conn = net_conn_create(s->fd);
    db_error_clear(&s->err);
    s->rc = -1;
    if (s->mode == SERVER_DIRECT_TLS) {
        if (net_conn_peek_first_byte(conn, &s->first_byte, &s->err) != 0) goto out;
    } else {
        uint8_t req[8];
        if (net_conn_read_full(conn, req, sizeof req, &s->err) != 0) goto out;
        if (net_conn_write_all(conn, "S", 1, &s->err) != 0) goto out;
    }
    if (net_conn_start_tls(conn, s->tls, &s->err) != 0) goto out;
    s->tls_up = net_conn_is_tls(conn);
    const char *sni = net_conn_sni(conn);
    s->has_sni = sni != NULL;
    if (sni) snprintf(s->sni, sizeof s->sni, "%s", sni);
    s->alpn = net_conn_alpn_postgresql(conn);
    if (s->timeout_first) {
        if (net_conn_set_read_timeout(conn, 50, &s->err) != 0) goto out;
        if (net_conn_read_full(conn, s->got, 5, &s->timeout_err) == 0) goto out;
        s->timed_out = net_conn_timed_out(conn);
        if (net_conn_set_read_timeout(conn, 0, &s->err) != 0) goto out;
    }
    if (net_conn_read_full(conn, s->got, 5, &s->err) != 0) goto out;
    if (net_conn_write_all(conn, "world", 5, &s->err) != 0) goto out;
    s->rc = 0;
out:
    net_conn_destroy(conn);
    return NULL;
}

static NetTls *server_tls(void)
{
    NetTls *tls = NULL;
    DbError err;
    assert_int_equal(net_tls_create(server_crt, server_key, &tls, &err), 0);
    return tls;
}

static void server_start(Server *s, ServerMode mode, int fd, NetTls *tls)
{
    memset(s, 0, sizeof *s);
    s->mode = mode;
    s->fd = fd;
    s->tls = tls;
    assert_int_equal(pthread_create(&s->thread, NULL, server_main, s), 0);
}

static void server_join(Server *s)
{
    pthread_join(s->thread, NULL);
}

/* ---- the client side ---- */

typedef struct ClientOpts {
    const char *sni;
    const char *verify_host;
    const char *verify_ip;
    const unsigned char *alpn; /* wire format */
    unsigned alpn_len;
    int max_version;
    bool ssl_request;
} ClientOpts;

typedef struct Client {
    SSL_CTX *ctx;
    SSL *ssl;
    int fd;
    long verify_result;
} Client;

/* Returns 1 when the handshake succeeded. */
static int client_connect(Client *c, int fd, const ClientOpts *o)
{
    memset(c, 0, sizeof *c);
    c->fd = fd;
    c->ctx = SSL_CTX_new(TLS_client_method());
    assert_non_null(c->ctx);
    if (o->max_version) {
        SSL_CTX_set_security_level(c->ctx, 0);
        SSL_CTX_set_min_proto_version(c->ctx, 0);
        SSL_CTX_set_max_proto_version(c->ctx, o->max_version);
    }
    assert_int_equal(SSL_CTX_load_verify_locations(c->ctx, ca_crt, NULL), 1);
    SSL_CTX_set_verify(c->ctx, SSL_VERIFY_PEER, NULL);
    X509_VERIFY_PARAM_set_flags(SSL_CTX_get0_param(c->ctx), X509_V_FLAG_X509_STRICT);
    c->ssl = SSL_new(c->ctx);
    SSL_set_fd(c->ssl, fd);
    if (o->sni) SSL_set_tlsext_host_name(c->ssl, o->sni);
    if (o->verify_host) SSL_set1_host(c->ssl, o->verify_host);
    if (o->verify_ip) X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(c->ssl), o->verify_ip);
    if (o->alpn) SSL_set_alpn_protos(c->ssl, o->alpn, o->alpn_len);
    if (o->ssl_request) {
        static const uint8_t req[8] = {0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f};
        assert_int_equal(write(fd, req, sizeof req), 8);
        char answer = 0;
        assert_int_equal(read(fd, &answer, 1), 1);
        assert_int_equal(answer, 'S');
    }
    int rc = SSL_connect(c->ssl);
    c->verify_result = SSL_get_verify_result(c->ssl);
    ERR_clear_error();
    return rc;
}

static void client_close(Client *c)
{
    SSL_free(c->ssl);
    SSL_CTX_free(c->ctx);
    close(c->fd);
}

static void client_echo(Client *c)
{
    assert_int_equal(SSL_write(c->ssl, "hello", 5), 5);
    char buf[8] = {0};
    int got = 0;
    while (got < 5) {
        int r = SSL_read(c->ssl, buf + got, 5 - got);
        assert_true(r > 0);
        got += r;
    }
    assert_memory_equal(buf, "world", 5);
}

static void make_socketpair(int fds[2])
{
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
}

/* ---- certificates ---- */

static int group_setup(void **state)
{
    (void)state;
    snprintf(cert_dir, sizeof cert_dir, "/tmp/borealis-net-XXXXXX");
    if (mkdtemp(cert_dir) == NULL) return -1;
    /* A subdirectory that does not exist yet: ensure_certs makes it. */
    strcat(cert_dir, "/tls");
    snprintf(ca_crt, sizeof ca_crt, "%s/ca.crt", cert_dir);
    snprintf(ca_key, sizeof ca_key, "%s/ca.key", cert_dir);
    snprintf(server_crt, sizeof server_crt, "%s/server.crt", cert_dir);
    snprintf(server_key, sizeof server_key, "%s/server.key", cert_dir);
    DbError err;
    if (net_tls_ensure_certs(cert_dir, dns_names, 2, ip_addrs, 2, &err) != 0) {
        fprintf(stderr, "ensure_certs: %s\n", err.message);
        return -1;
    }
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    unlink(ca_crt);
    unlink(ca_key);
    unlink(server_crt);
    unlink(server_key);
    rmdir(cert_dir);
    char *slash = strrchr(cert_dir, '/');
    *slash = '\0';
    rmdir(cert_dir);
    return 0;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    static char bufs[4][8192];
    static int next;
    char *buf = bufs[next++ % 4];
    size_t n = fread(buf, 1, 8191, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void test_certs_files_and_modes(void **state)
{
    (void)state;
    struct stat st;
    assert_int_equal(stat(cert_dir, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    assert_int_equal(stat(ca_key, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(stat(server_key, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(stat(ca_crt, &st), 0);
    assert_int_equal(stat(server_crt, &st), 0);
    /* No temporary files are left behind. */
    DIR *d = opendir(cert_dir);
    assert_non_null(d);
    int entries = 0;
    for (struct dirent *e; (e = readdir(d));)
        if (e->d_name[0] != '.') entries++;
    closedir(d);
    assert_int_equal(entries, 4);
}

static void test_certs_idempotent(void **state)
{
    (void)state;
    char before_ca[8192], before_server[8192];
    snprintf(before_ca, sizeof before_ca, "%s", read_file(ca_crt));
    snprintf(before_server, sizeof before_server, "%s", read_file(server_crt));
    DbError err;
    const char *other[] = {"other.example"};
    assert_int_equal(net_tls_ensure_certs(cert_dir, other, 1, NULL, 0, &err), 0);
    assert_string_equal(read_file(ca_crt), before_ca);
    assert_string_equal(read_file(server_crt), before_server);
}

static void test_certs_server_remade_with_existing_ca(void **state)
{
    (void)state;
    char dir[64];
    snprintf(dir, sizeof dir, "/tmp/borealis-net-XXXXXX");
    assert_non_null(mkdtemp(dir));
    DbError err;
    const char *names[] = {"a.example"};
    assert_int_equal(net_tls_ensure_certs(dir, names, 1, NULL, 0, &err), 0);
    char path[128], ca_before[8192];
    snprintf(path, sizeof path, "%s/ca.crt", dir);
    snprintf(ca_before, sizeof ca_before, "%s", read_file(path));
    char skey[128], scrt[128];
    snprintf(skey, sizeof skey, "%s/server.key", dir);
    snprintf(scrt, sizeof scrt, "%s/server.crt", dir);
    unlink(skey);
    unlink(scrt);
    assert_int_equal(net_tls_ensure_certs(dir, names, 1, NULL, 0, &err), 0);
    assert_string_equal(read_file(path), ca_before); /* the CA is reused */
    assert_int_equal(access(scrt, F_OK), 0);
    /* Half a pair is refused rather than silently replaced. */
    unlink(skey);
    assert_int_equal(net_tls_ensure_certs(dir, names, 1, NULL, 0, &err), -1);
    assert_string_equal(err.sqlstate, "F0000");
    char expect[512];
    snprintf(expect, sizeof expect,
             "incomplete certificate directory: \"%s\" exists but \"%s\" does not", scrt, skey);
    assert_string_equal(err.message, expect);
    unlink(scrt);
    snprintf(path, sizeof path, "%s/ca.crt", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/ca.key", dir);
    unlink(path);
    rmdir(dir);
}

static void test_certs_bad_names(void **state)
{
    (void)state;
    DbError err;
    const char *bad_dns[] = {"a,b.example"};
    assert_int_equal(net_tls_ensure_certs("/tmp/borealis-net-never", bad_dns, 1, NULL, 0, &err),
                     -1);
    assert_string_equal(err.sqlstate, "22023");
    assert_string_equal(err.message,
                        "invalid DNS name for the server certificate: \"a,b.example\"");
    const char *bad_wild[] = {"a.*.example"};
    assert_int_equal(net_tls_ensure_certs("/tmp/borealis-net-never", bad_wild, 1, NULL, 0, &err),
                     -1);
    assert_int_equal(net_tls_ensure_certs("/tmp/borealis-net-never", NULL, 0, NULL, 0, &err), -1);
    assert_string_equal(err.message,
                        "a server certificate needs at least one DNS name or IP address");
    assert_int_equal(access("/tmp/borealis-net-never", F_OK), -1);
}

static X509 *load_cert(const char *path)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    X509 *x = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    assert_non_null(x);
    return x;
}

/* Verifies server.crt against ca.crt as a TLS client would, strictly. */
static int verify_server_cert(const char *host, const char *ip)
{
    X509 *ca = load_cert(ca_crt), *leaf = load_cert(server_crt);
    X509_STORE *store = X509_STORE_new();
    X509_STORE_add_cert(store, ca);
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    X509_STORE_CTX_init(ctx, store, leaf, NULL);
    X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(ctx);
    X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_X509_STRICT);
    X509_VERIFY_PARAM_set_purpose(param, X509_PURPOSE_SSL_SERVER);
    if (host) X509_VERIFY_PARAM_set1_host(param, host, 0);
    if (ip) X509_VERIFY_PARAM_set1_ip_asc(param, ip);
    int ok = X509_verify_cert(ctx);
    X509_STORE_CTX_free(ctx);
    X509_STORE_free(store);
    X509_free(ca);
    X509_free(leaf);
    return ok;
}

static void test_certs_verify(void **state)
{
    (void)state;
    assert_int_equal(verify_server_cert("localhost", NULL), 1);
    assert_int_equal(verify_server_cert("01abc2ldefg3hijklmnopqurstu.dsql.local.on.aws", NULL), 1);
    assert_int_equal(verify_server_cert(NULL, "127.0.0.1"), 1);
    assert_int_equal(verify_server_cert(NULL, "::1"), 1);
    assert_int_equal(verify_server_cert("evil.example", NULL), 0);
    /* A wildcard covers one label only. */
    assert_int_equal(verify_server_cert("a.b.dsql.local.on.aws", NULL), 0);
    assert_int_equal(verify_server_cert(NULL, "10.0.0.1"), 0);

    X509 *ca = load_cert(ca_crt), *leaf = load_cert(server_crt);
    char cn[128];
    X509_NAME_get_text_by_NID(X509_get_subject_name(ca), NID_commonName, cn, sizeof cn);
    assert_string_equal(cn, "Borealis local CA");
    EVP_PKEY *pk = X509_get0_pubkey(leaf);
    assert_int_equal(EVP_PKEY_get_base_id(pk), EVP_PKEY_EC);
    assert_int_equal(EVP_PKEY_get_bits(pk), 256);
    assert_true(X509_get_extension_flags(leaf) & EXFLAG_XKUSAGE);
    assert_true(X509_get_extended_key_usage(leaf) & XKU_SSL_SERVER);
    assert_true(X509_check_ca(ca) >= 1);
    assert_int_equal(X509_check_ca(leaf), 0);
    /* Validity: CA about ten years, server about two. */
    int days = 0, secs = 0;
    ASN1_TIME_diff(&days, &secs, X509_get0_notBefore(ca), X509_get0_notAfter(ca));
    assert_in_range(days, 3649, 3651);
    ASN1_TIME_diff(&days, &secs, X509_get0_notBefore(leaf), X509_get0_notAfter(leaf));
    assert_in_range(days, 729, 731);
    X509_free(ca);
    X509_free(leaf);
}

static void test_tls_create_errors(void **state)
{
    (void)state;
    NetTls *tls = NULL;
    DbError err;
    assert_int_equal(net_tls_create("/nonexistent/server.crt", server_key, &tls, &err), -1);
    assert_string_equal(err.sqlstate, "F0000");
    assert_true(
        strncmp(err.message,
                "could not load server certificate file \"/nonexistent/server.crt\": ", 66) == 0);
    /* The CA key does not match the server certificate. */
    assert_int_equal(net_tls_create(server_crt, ca_key, &tls, &err), -1);
    assert_string_equal(err.sqlstate, "F0000");
    assert_true(strncmp(err.message, "could not load private key file", 31) == 0 ||
                strncmp(err.message, "check of private key failed", 27) == 0);
}

/* ---- TLS connections ---- */

static const unsigned char alpn_pg[] = "\x0apostgresql";
static const unsigned char alpn_http[] = "\x08http/1.1";

static void test_direct_tls_sni_alpn(void **state)
{
    (void)state;
    NetTls *tls = server_tls();
    int fds[2];
    make_socketpair(fds);
    Server s;
    server_start(&s, SERVER_DIRECT_TLS, fds[0], tls);
    Client c;
    ClientOpts o = {.sni = "01abc2ldefg3hijklmnopqurstu.dsql.local.on.aws",
                    .verify_host = "01abc2ldefg3hijklmnopqurstu.dsql.local.on.aws",
                    .alpn = alpn_pg,
                    .alpn_len = sizeof alpn_pg - 1};
    assert_int_equal(client_connect(&c, fds[1], &o), 1);
    assert_int_equal(c.verify_result, X509_V_OK);
    const unsigned char *proto = NULL;
    unsigned proto_len = 0;
    SSL_get0_alpn_selected(c.ssl, &proto, &proto_len);
    assert_int_equal(proto_len, 10);
    assert_memory_equal(proto, "postgresql", 10);
    client_echo(&c);
    server_join(&s);
    assert_int_equal(s.rc, 0);
    assert_int_equal(s.first_byte, NET_TLS_HANDSHAKE_BYTE);
    assert_true(s.tls_up);
    assert_true(s.has_sni);
    assert_string_equal(s.sni, "01abc2ldefg3hijklmnopqurstu.dsql.local.on.aws");
    assert_true(s.alpn);
    assert_memory_equal(s.got, "hello", 5);
    /* The server closed with close_notify: the client sees a clean EOF. */
    char b;
    assert_int_equal(SSL_read(c.ssl, &b, 1), 0);
    assert_int_equal(SSL_get_error(c.ssl, 0), SSL_ERROR_ZERO_RETURN);
    client_close(&c);
    net_tls_destroy(tls);
}

static void test_tls_read_timeout_then_data(void **state)
{
    (void)state;
    NetTls *tls = server_tls();
    int fds[2];
    make_socketpair(fds);
    Server s;
    memset(&s, 0, sizeof s);
    s.mode = SERVER_DIRECT_TLS;
    s.timeout_first = true;
    s.fd = fds[0];
    s.tls = tls;
    assert_int_equal(pthread_create(&s.thread, NULL, server_main, &s), 0);
    Client c;
    ClientOpts o = {.sni = "localhost", .verify_host = "localhost"};
    assert_int_equal(client_connect(&c, fds[1], &o), 1);
    usleep(300 * 1000); /* past the server's 50 ms read timeout */
    client_echo(&c);
    server_join(&s);
    assert_int_equal(s.rc, 0);
    assert_true(s.timed_out);
    assert_string_equal(s.timeout_err.sqlstate, "08006");
    assert_string_equal(s.timeout_err.message, "could not receive data from client: timed out");
    assert_memory_equal(s.got, "hello", 5);
    client_close(&c);
    net_tls_destroy(tls);
}

static void test_ssl_request_over_tcp_tls12(void **state)
{
    (void)state;
    NetTls *tls = server_tls();
    DbError err;
    int lfd = -1, port = 0;
    assert_int_equal(net_listen("127.0.0.1", 0, &lfd, &port, &err), 0);
    assert_true(port > 0);
    int cfd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(cfd, (struct sockaddr *)&sa, sizeof sa), 0);
    int afd = -1;
    assert_int_equal(net_accept(lfd, &afd, &err), 0);
    Server s;
    server_start(&s, SERVER_SSL_REQUEST, afd, tls);
    Client c;
    ClientOpts o = {.verify_ip = "127.0.0.1", .max_version = TLS1_2_VERSION, .ssl_request = true};
    assert_int_equal(client_connect(&c, cfd, &o), 1);
    assert_int_equal(c.verify_result, X509_V_OK);
    assert_int_equal(SSL_version(c.ssl), TLS1_2_VERSION);
    client_echo(&c);
    server_join(&s);
    assert_int_equal(s.rc, 0);
    assert_false(s.has_sni);
    assert_false(s.alpn);
    assert_memory_equal(s.got, "hello", 5);
    client_close(&c);
    close(lfd);
    net_tls_destroy(tls);
}

static void test_plaintext_after_ssl_request(void **state)
{
    (void)state;
    NetTls *tls = server_tls();
    int fds[2];
    make_socketpair(fds);
    /* SSLRequest with a startup packet pipelined behind it in one write. */
    static const uint8_t bytes[] = {0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f, 0, 0, 0, 8, 0, 3, 0, 0};
    assert_int_equal(write(fds[1], bytes, sizeof bytes), (ssize_t)sizeof bytes);
    NetConn *conn = net_conn_create(fds[0]);
    uint8_t req[8];
    DbError err;
    assert_int_equal(net_conn_read_full(conn, req, 8, &err), 0);
    assert_int_equal(net_conn_buffered(conn), 8);
    assert_int_equal(net_conn_start_tls(conn, tls, &err), -1);
    assert_string_equal(err.sqlstate, "08P01");
    assert_int_equal(err.severity, DB_SEVERITY_FATAL);
    assert_string_equal(err.message, "received unencrypted data after SSL request");
    assert_string_equal(err.detail, "This could be either a client-software bug or evidence of "
                                    "an attempted man-in-the-middle attack.");
    assert_false(net_conn_is_tls(conn));
    net_conn_destroy(conn);
    close(fds[1]);
    net_tls_destroy(tls);
}

static void test_alpn_mismatch_refused(void **state)
{
    (void)state;
    NetTls *tls = server_tls();
    int fds[2];
    make_socketpair(fds);
    Server s;
    server_start(&s, SERVER_DIRECT_TLS, fds[0], tls);
    Client c;
    ClientOpts o = {.sni = "localhost", .alpn = alpn_http, .alpn_len = sizeof alpn_http - 1};
    assert_true(client_connect(&c, fds[1], &o) <= 0);
    server_join(&s);
    assert_int_equal(s.rc, -1);
    assert_string_equal(s.err.sqlstate, "08P01");
    assert_true(strncmp(s.err.message, "could not accept SSL connection: ", 33) == 0);
    client_close(&c);
    net_tls_destroy(tls);
}

static void test_tls11_refused(void **state)
{
    (void)state;
    NetTls *tls = server_tls();
    int fds[2];
    make_socketpair(fds);
    Server s;
    server_start(&s, SERVER_DIRECT_TLS, fds[0], tls);
    Client c;
    ClientOpts o = {.sni = "localhost", .max_version = TLS1_1_VERSION};
    assert_true(client_connect(&c, fds[1], &o) <= 0);
    server_join(&s);
    assert_int_equal(s.rc, -1);
    assert_string_equal(s.err.sqlstate, "08P01");
    assert_string_equal(s.err.message, "could not accept SSL connection: unsupported protocol");
    client_close(&c);
    net_tls_destroy(tls);
}

static void test_client_rejects_wrong_host(void **state)
{
    (void)state;
    NetTls *tls = server_tls();
    int fds[2];
    make_socketpair(fds);
    Server s;
    server_start(&s, SERVER_DIRECT_TLS, fds[0], tls);
    Client c;
    ClientOpts o = {.sni = "evil.example", .verify_host = "evil.example"};
    assert_true(client_connect(&c, fds[1], &o) <= 0);
    assert_int_equal(c.verify_result, X509_V_ERR_HOSTNAME_MISMATCH);
    server_join(&s);
    assert_int_equal(s.rc, -1);
    client_close(&c);
    net_tls_destroy(tls);
}

static void test_client_hangs_up_mid_handshake(void **state)
{
    (void)state;
    NetTls *tls = server_tls();
    int fds[2];
    make_socketpair(fds);
    /* A record header that promises a ClientHello, then nothing. */
    static const uint8_t partial[] = {0x16, 0x03, 0x01, 0x00, 0x40};
    assert_int_equal(write(fds[1], partial, sizeof partial), (ssize_t)sizeof partial);
    close(fds[1]);
    NetConn *conn = net_conn_create(fds[0]);
    DbError err;
    uint8_t first = 0;
    assert_int_equal(net_conn_peek_first_byte(conn, &first, &err), 0);
    assert_int_equal(first, 0x16);
    assert_int_equal(net_conn_start_tls(conn, tls, &err), -1);
    assert_string_equal(err.sqlstate, "08P01");
    assert_string_equal(err.message, "could not accept SSL connection: EOF detected");
    net_conn_destroy(conn);
    net_tls_destroy(tls);
}

/* ---- plaintext connections ---- */

static void test_plain_reads_and_eof(void **state)
{
    (void)state;
    int fds[2];
    make_socketpair(fds);
    NetConn *conn = net_conn_create(fds[0]);
    DbError err;
    static const uint8_t bytes[] = {0, 0, 0, 8, 'a', 'b', 'c', 'd', 'X', 'Y'};
    assert_int_equal(write(fds[1], bytes, sizeof bytes), (ssize_t)sizeof bytes);
    uint8_t first = 0xff;
    assert_int_equal(net_conn_peek_first_byte(conn, &first, &err), 0);
    assert_int_equal(first, 0);
    uint8_t buf[16];
    assert_int_equal(net_conn_read_full(conn, buf, 8, &err), 0);
    assert_memory_equal(buf, bytes, 8);
    /* A peek after a read sees the buffered byte without consuming it. */
    assert_int_equal(net_conn_peek_first_byte(conn, &first, &err), 0);
    assert_int_equal(first, 'X');
    assert_int_equal(net_conn_buffered(conn), 2);
    close(fds[1]);
    assert_int_equal(net_conn_read_full(conn, buf, 4, &err), -1);
    assert_string_equal(err.sqlstate, "08P01");
    assert_string_equal(err.message, "incomplete message from client");
    assert_true(net_conn_eof(conn));
    assert_int_equal(net_conn_read_full(conn, buf, 1, &err), -1);
    assert_string_equal(err.sqlstate, "08006");
    assert_string_equal(err.message, "unexpected EOF on client connection");
    net_conn_destroy(conn);
}

static void test_plain_peek_eof(void **state)
{
    (void)state;
    int fds[2];
    make_socketpair(fds);
    close(fds[1]);
    NetConn *conn = net_conn_create(fds[0]);
    DbError err;
    uint8_t first;
    assert_int_equal(net_conn_peek_first_byte(conn, &first, &err), -1);
    assert_string_equal(err.sqlstate, "08006");
    assert_true(net_conn_eof(conn));
    net_conn_destroy(conn);
}

static void test_large_read_bypasses_buffer(void **state)
{
    (void)state;
    int fds[2];
    make_socketpair(fds);
    NetConn *conn = net_conn_create(fds[0]);
    enum { N = 100000 };
    static uint8_t out[N], in[N];
    for (size_t i = 0; i < N; i++)
        out[i] = (uint8_t)(i * 7);
    pid_t pid = fork();
    if (pid == 0) {
        size_t done = 0;
        while (done < N) {
            ssize_t w = write(fds[1], out + done, N - done);
            if (w <= 0) _exit(1);
            done += (size_t)w;
        }
        _exit(0);
    }
    DbError err;
    assert_int_equal(net_conn_read_full(conn, in, 3, &err), 0);
    assert_int_equal(net_conn_read_full(conn, in + 3, N - 3, &err), 0);
    assert_memory_equal(in, out, N);
    net_conn_destroy(conn);
    close(fds[1]);
    int status = 0;
    waitpid(pid, &status, 0);
    assert_int_equal(status, 0);
}

static void test_read_timeout(void **state)
{
    (void)state;
    int fds[2];
    make_socketpair(fds);
    NetConn *conn = net_conn_create(fds[0]);
    DbError err;
    assert_int_equal(net_conn_set_read_timeout(conn, 50, &err), 0);
    uint8_t buf[4];
    uint64_t t0 = clock_monotonic_ms();
    assert_int_equal(net_conn_read_full(conn, buf, 4, &err), -1);
    assert_true(clock_monotonic_ms() - t0 >= 40);
    assert_string_equal(err.sqlstate, "08006");
    assert_string_equal(err.message, "could not receive data from client: timed out");
    assert_true(net_conn_timed_out(conn));
    assert_false(net_conn_eof(conn));
    assert_int_equal(net_conn_set_read_timeout(conn, -1, &err), -1);
    net_conn_destroy(conn);
    close(fds[1]);
}

static void test_write_to_closed_peer(void **state)
{
    (void)state;
    int fds[2];
    make_socketpair(fds);
    close(fds[1]);
    NetConn *conn = net_conn_create(fds[0]);
    DbError err;
    /* Without MSG_NOSIGNAL this would kill the test with SIGPIPE. */
    assert_int_equal(net_conn_write_all(conn, "x", 1, &err), -1);
    assert_string_equal(err.sqlstate, "08006");
    assert_string_equal(err.message, "could not send data to client: Broken pipe");
    net_conn_destroy(conn);
}

static void test_listen_errors(void **state)
{
    (void)state;
    DbError err;
    int fd = -1, port = 0;
    assert_int_equal(net_listen("127.0.0.1", 70000, &fd, &port, &err), -1);
    assert_string_equal(err.message, "invalid port number: 70000");
    assert_int_equal(net_listen("127.0.0.1", 0, &fd, &port, &err), 0);
    int fd2 = -1;
    assert_int_equal(net_listen("127.0.0.1", port, &fd2, NULL, &err), -1);
    assert_string_equal(err.sqlstate, "08000");
    char expect[128];
    snprintf(expect, sizeof expect,
             "could not bind socket for 127.0.0.1:%d: Address already in use", port);
    assert_string_equal(err.message, expect);
    close(fd);
    assert_int_equal(net_listen(NULL, 0, &fd, &port, &err), 0);
    close(fd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_certs_files_and_modes),
        cmocka_unit_test(test_certs_idempotent),
        cmocka_unit_test(test_certs_server_remade_with_existing_ca),
        cmocka_unit_test(test_certs_bad_names),
        cmocka_unit_test(test_certs_verify),
        cmocka_unit_test(test_tls_create_errors),
        cmocka_unit_test(test_direct_tls_sni_alpn),
        cmocka_unit_test(test_tls_read_timeout_then_data),
        cmocka_unit_test(test_ssl_request_over_tcp_tls12),
        cmocka_unit_test(test_plaintext_after_ssl_request),
        cmocka_unit_test(test_alpn_mismatch_refused),
        cmocka_unit_test(test_tls11_refused),
        cmocka_unit_test(test_client_rejects_wrong_host),
        cmocka_unit_test(test_client_hangs_up_mid_handshake),
        cmocka_unit_test(test_plain_reads_and_eof),
        cmocka_unit_test(test_plain_peek_eof),
        cmocka_unit_test(test_large_read_bypasses_buffer),
        cmocka_unit_test(test_read_timeout),
        cmocka_unit_test(test_write_to_closed_peer),
        cmocka_unit_test(test_listen_errors),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
