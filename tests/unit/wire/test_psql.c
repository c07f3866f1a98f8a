/*
 * The net and wire rooms against a real client: a minimal server in a
 * thread (SSLRequest, TLS with the generated CA, startup, cleartext
 * password, simple queries) talks to psql/libpq with sslmode=verify-full.
 * Checks that libpq accepts the certificate for a wildcard host name,
 * sends SNI, and reads our startup replies, rows and errors (psql prints
 * the error position as "LINE 1: ... ^" only if the P field is right).
 * Skipped when psql is not installed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "wire/wire.h"

static char dir[64];
static char ca_path[128];
static NetTls *tls;

typedef struct MiniServer {
    int listen_fd;
    pthread_t thread;
    /* what the client sent */
    int rc;
    DbError err;
    char sni[256];
    char user[64];
    char database[64];
    char application_name[64];
    char password[64];
    int n_queries;
} MiniServer;

static void send_startup_replies(StrBuf *out)
{
    wire_auth_ok_encode(out);
    wire_parameter_status_encode(out, "server_version", "16.9");
    wire_parameter_status_encode(out, "server_encoding", "UTF8");
    wire_parameter_status_encode(out, "client_encoding", "UTF8");
    wire_parameter_status_encode(out, "DateStyle", "ISO, MDY");
    wire_parameter_status_encode(out, "integer_datetimes", "on");
    wire_parameter_status_encode(out, "standard_conforming_strings", "on");
    wire_parameter_status_encode(out, "TimeZone", "UTC");
    wire_backend_key_data_encode(out, 42, 7);
    wire_ready_for_query_encode(out, 'I');
}

static void answer_query(StrBuf *out, const char *sql)
{
    if (strcmp(sql, "select 1") == 0) {
        WireField f = {.name = "?column?", .type_oid = 23, .typlen = 4, .typmod = -1};
        wire_row_description_encode(out, &f, 1);
        WireValue v = {(const uint8_t *)"1", 1};
        wire_data_row_encode(out, &v, 1);
        WireValue nul = {NULL, -1};
        wire_data_row_encode(out, &nul, 1);
        wire_command_complete_encode(out, "SELECT 2");
    } else {
        DbError e;
        db_error_set(&e, "42P01", "relation \"nope\" does not exist");
        e.position = 15;
        wire_error_encode(out, &e);
    }
    wire_ready_for_query_encode(out, 'I');
}

static int serve(MiniServer *s, NetConn *conn, MemContext *cx)
{
    DbError *err = &s->err;
    StrBuf out, scratch;
    strbuf_init(&out);
    strbuf_init(&scratch);
    int rc = -1;
    WireStartup st;
    for (;;) {
        if (wire_startup_read(conn, cx, &st, err) != 0) goto done;
        if (st.kind == WIRE_STARTUP_SSL_REQUEST && !net_conn_is_tls(conn)) {
            wire_ssl_response_encode(&out, true);
            if (wire_flush(conn, &out, err) != 0) goto done;
            if (net_conn_start_tls(conn, tls, err) != 0) goto done;
        } else if (st.kind == WIRE_STARTUP_GSSENC_REQUEST) {
            wire_ssl_response_encode(&out, false);
            if (wire_flush(conn, &out, err) != 0) goto done;
        } else {
            break;
        }
    }
    if (st.kind != WIRE_STARTUP_MESSAGE) goto done;
    if (net_conn_sni(conn)) snprintf(s->sni, sizeof s->sni, "%s", net_conn_sni(conn));
    snprintf(s->user, sizeof s->user, "%s", wire_startup_param(&st, "user"));
    const char *db = wire_startup_param(&st, "database");
    snprintf(s->database, sizeof s->database, "%s", db ? db : "");
    const char *app = wire_startup_param(&st, "application_name");
    snprintf(s->application_name, sizeof s->application_name, "%s", app ? app : "");
    wire_auth_cleartext_password_encode(&out);
    if (wire_flush(conn, &out, err) != 0) goto done;
    WireMessage m;
    WirePassword pw;
    if (wire_message_read(conn, &scratch, &m, err) != 0) goto done;
    if (wire_password_decode(&m, &pw, err) != 0) goto done;
    snprintf(s->password, sizeof s->password, "%s", pw.password);
    send_startup_replies(&out);
    if (wire_flush(conn, &out, err) != 0) goto done;
    for (;;) {
        if (wire_message_read(conn, &scratch, &m, err) != 0) goto done;
        WireFrontend f;
        if (wire_frontend_decode(&m, cx, &f, err) != 0) goto done;
        if (f.type == 'X') break;
        if (f.type != 'Q') goto done;
        s->n_queries++;
        answer_query(&out, f.u.query.sql);
        if (wire_flush(conn, &out, err) != 0) goto done;
    }
    rc = 0;
done:
    strbuf_fini(&out);
    strbuf_fini(&scratch);
    return rc;
}

static void *server_main(void *arg)
{
    MiniServer *s = arg;
    int fd = -1;
    s->rc = -1;
    if (net_accept(s->listen_fd, &fd, &s->err) != 0) return NULL;
    NetConn *conn = net_conn_create(fd);
    DbError err;
    net_conn_set_read_timeout(conn, 20000, &err);
    MemContext *cx = mem_context_create(NULL, "connection");
    s->rc = serve(s, conn, cx);
    mem_context_destroy(cx);
    net_conn_destroy(conn);
    return NULL;
}

/* Runs psql against a fresh server; returns psql's exit status and its
 * output (stdout and stderr) in out. */
static int run_psql(MiniServer *s, const char *host, const char *sql, char *out, size_t cap)
{
    memset(s, 0, sizeof *s);
    DbError err;
    int port = 0;
    assert_int_equal(net_listen("127.0.0.1", 0, &s->listen_fd, &port, &err), 0);
    assert_int_equal(pthread_create(&s->thread, NULL, server_main, s), 0);
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "PGPASSWORD=tok PGGSSENCMODE=disable PGCONNECT_TIMEOUT=20 psql "
             "'host=%s hostaddr=127.0.0.1 port=%d user=admin dbname=postgres "
             "sslmode=verify-full sslrootcert=%s application_name=unit' -XAt -c '%s' 2>&1",
             host, port, ca_path, sql);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t n = fread(out, 1, cap - 1, p);
    out[n] = '\0';
    int status = pclose(p);
    pthread_join(s->thread, NULL);
    close(s->listen_fd);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int group_setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/borealis-wire-XXXXXX");
    if (mkdtemp(dir) == NULL) return -1;
    const char *dns[] = {"localhost", "*.dsql.local.on.aws"};
    const char *ips[] = {"127.0.0.1"};
    DbError err;
    if (net_tls_ensure_certs(dir, dns, 2, ips, 1, &err) != 0) return -1;
    char crt[128], key[128];
    snprintf(ca_path, sizeof ca_path, "%s/ca.crt", dir);
    snprintf(crt, sizeof crt, "%s/server.crt", dir);
    snprintf(key, sizeof key, "%s/server.key", dir);
    return net_tls_create(crt, key, &tls, &err);
}

static int group_teardown(void **state)
{
    (void)state;
    net_tls_destroy(tls);
    const char *files[] = {"ca.crt", "ca.key", "server.crt", "server.key"};
    char path[128];
    for (size_t i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
    return 0;
}

static bool have_psql(void)
{
    return system("command -v psql >/dev/null 2>&1") == 0;
}

static const char cluster_host[] = "01abc2ldefg3hijklmnopqurstu.dsql.local.on.aws";

static void test_psql_select(void **state)
{
    (void)state;
    if (!have_psql()) skip();
    MiniServer s;
    char out[4096];
    int status = run_psql(&s, cluster_host, "select 1", out, sizeof out);
    assert_string_equal(out, "1\n\n");
    assert_int_equal(status, 0);
    assert_int_equal(s.rc, 0);
    assert_string_equal(s.sni, cluster_host);
    assert_string_equal(s.user, "admin");
    assert_string_equal(s.database, "postgres");
    assert_string_equal(s.application_name, "unit");
    assert_string_equal(s.password, "tok");
    assert_int_equal(s.n_queries, 1);
}

static void test_psql_error_with_position(void **state)
{
    (void)state;
    if (!have_psql()) skip();
    MiniServer s;
    char out[4096];
    int status = run_psql(&s, "localhost", "select * from nope", out, sizeof out);
    assert_string_equal(out, "ERROR:  relation \"nope\" does not exist\n"
                             "LINE 1: select * from nope\n"
                             "                      ^\n");
    assert_int_equal(status, 1);
    assert_int_equal(s.rc, 0);
    assert_string_equal(s.sni, "localhost");
}

static void test_psql_rejects_wrong_host(void **state)
{
    (void)state;
    if (!have_psql()) skip();
    MiniServer s;
    char out[4096];
    int status = run_psql(&s, "evil.example", "select 1", out, sizeof out);
    assert_int_equal(status, 2);
    assert_non_null(strstr(out, "does not match host name \"evil.example\""));
    assert_int_equal(s.rc, -1);
    assert_int_equal(s.n_queries, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_psql_select),
        cmocka_unit_test(test_psql_error_with_position),
        cmocka_unit_test(test_psql_rejects_wrong_host),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
