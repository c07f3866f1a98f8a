/*
 * `borealis start`: opens (or creates) the data directory, makes sure the
 * TLS material exists, opens every registered cluster, serves the
 * control-plane API and SQL connections (one session thread each, routed
 * to their cluster by clusters.c) until SIGINT/SIGTERM.
 *
 * Startup order: data directory → certificates → cluster registry and
 * every cluster's storage/journal → SQL listener → API listener → endpoint
 * file → accept loop.  Shutdown reverses it; sessions still running when
 * the signal arrives are closed with the process.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "auth/iam_store.h"
#include "common/common.h"
#include "common/conf.h"
#include "control/control.h"
#include "journal/journal.h"
#include "net/net.h"
#include "storage/storage.h"
#include "server/server.h"
#include "server/server_int.h"
#include "session/session.h"

static volatile sig_atomic_t server_stopping = 0;

static void server_on_signal(int sig)
{
    (void)sig;
    server_stopping = 1;
}

typedef struct ServerNode {
    DataDir dd;
    char listen_host[256];
    int port;
    char cluster_host[256];
    char wildcard_host[256];
    char api_host[256];
    int api_port;
    bool api_tls;
    const char *accepted_hosts[4];
    NetTls *tls;
    ServerClusters clusters;
    ControlApi api;
    ControlServer *api_server;
    SessionServer session_server;
    int next_pid;
    int active_sessions;
    pthread_mutex_t lock;
} ServerNode;

typedef struct ConnStart {
    ServerNode *node;
    int fd;
    int32_t pid;
    int32_t key;
} ConnStart;

static int server_secret_lookup(void *arg, const char *access_key_id, char *secret_out,
                                size_t secret_size)
{
    ServerNode *node = arg;
    /* Other principals' keys: the IAM user store (auth/iam_store.h). */
    if (strcmp(access_key_id, node->dd.access_key_id) != 0)
        return auth_iam_secret_lookup(NULL, access_key_id, secret_out, secret_size);
    snprintf(secret_out, secret_size, "%s", node->dd.secret_access_key);
    return 0;
}

static void *server_conn_thread(void *arg)
{
    ConnStart cs = *(ConnStart *)arg;
    free(arg);
    session_run(&cs.node->session_server, cs.fd, cs.pid, cs.key);
    server_clusters_release_current();
    pthread_mutex_lock(&cs.node->lock);
    cs.node->active_sessions--;
    pthread_mutex_unlock(&cs.node->lock);
    return NULL;
}

/* Waits up to timeout_ms for every session to end; true if they did. */
static bool server_sessions_wait(ServerNode *node, int timeout_ms)
{
    for (int waited = 0; waited <= timeout_ms; waited += 50) {
        pthread_mutex_lock(&node->lock);
        int n = node->active_sessions;
        pthread_mutex_unlock(&node->lock);
        if (n == 0) return true;
        usleep(50 * 1000);
    }
    return false;
}

static void server_usage(FILE *f)
{
    fprintf(f, "usage: borealis start [--data DIR] [--listen HOST:PORT] [--api-listen HOST:PORT]\n"
               "                      [--region NAME]\n"
               "  --data DIR              data directory (default ./borealis-data)\n"
               "  --listen HOST:PORT      address to serve (default 127.0.0.1:5432, or the next\n"
               "                          free port when 5432 is taken)\n"
               "  --api-listen HOST:PORT  control-plane API address (default: the SQL host,\n"
               "                          the first free port after the SQL port)\n"
               "  --region NAME           region label of this node (default local)\n");
}

static int server_parse_listen(const char *s, char *host, size_t host_size, int *port)
{
    const char *colon = strrchr(s, ':');
    if (!colon) return -1;
    size_t hl = (size_t)(colon - s);
    if (hl == 0 || hl >= host_size) return -1;
    memcpy(host, s, hl);
    host[hl] = '\0';
    char *end;
    long p = strtol(colon + 1, &end, 10);
    if (*end || p < 0 || p > 65535) return -1;
    *port = (int)p;
    return 0;
}

static int server_listen(ServerNode *node, bool port_given, int *fd, DbError *err)
{
    int want = node->port;
    for (int attempt = 0; attempt < 100; attempt++) {
        if (net_listen(node->listen_host, want + attempt, fd, &node->port, err) == 0) return 0;
        if (port_given) return -1;
    }
    return -1;
}

/* The whole of a small file (a PEM) as a string; NULL on failure. */
static char *server_read_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    char *buf = calloc(1, 65536);
    size_t n = buf ? fread(buf, 1, 65535, f) : 0;
    fclose(f);
    if (buf && n == 0) {
        free(buf);
        buf = NULL;
    }
    return buf;
}

/* Serves the control-plane API: on --api-listen, or on the SQL host at the
 * first free port after the SQL port.  Plain HTTP on loopback; HTTPS with
 * the node's certificate (signed by the fleet CA) anywhere else. */
static int server_api_start(ServerNode *node, bool given, const char *cert, const char *key,
                            DbError *err)
{
    node->api = (ControlApi){
        .fleet = &node->clusters.fleet,
        .region = node->dd.region,
        .endpoint_domain = "on.aws",
        .lookup = server_secret_lookup,
        .lookup_arg = node,
        .admin_access_key_id = node->dd.access_key_id,
        .hooks = {.cluster_create = server_clusters_create,
                  .cluster_delete = server_clusters_delete,
                  .arg = &node->clusters},
    };
    if (!given) {
        snprintf(node->api_host, sizeof node->api_host, "%s", node->listen_host);
        node->api_port = node->port + 1;
    }
    node->api_tls = strncmp(node->api_host, "127.", 4) != 0 &&
                    strcmp(node->api_host, "localhost") != 0 && strcmp(node->api_host, "::1") != 0;
    char *cert_pem = node->api_tls ? server_read_file(cert) : NULL;
    char *key_pem = node->api_tls ? server_read_file(key) : NULL;
    int rc = -1;
    if (node->api_tls && (!cert_pem || !key_pem)) {
        db_error_set(err, SQLSTATE_IO_ERROR, "could not read the TLS certificate for the API");
        goto out;
    }
    for (int attempt = 0; attempt < 100 && rc != 0; attempt++) {
        rc = control_server_start(&node->api, node->api_host, node->api_port + attempt, cert_pem,
                                  key_pem, &node->api_server, &node->api_port, err);
        if (rc != 0 && (given || node->api_port == 0)) break;
    }
out:
    free(cert_pem);
    free(key_pem);
    return rc;
}

/* Adds api_host and api_port to the endpoint file datadir wrote. */
static int server_endpoint_add_api(ServerNode *node, DbError *err)
{
    Conf c;
    char path[DATADIR_PATH_MAX + 32], num[16];
    datadir_path(&node->dd, "endpoint", path, sizeof path);
    if (conf_load(&c, path, err) != 0) return -1;
    snprintf(num, sizeof num, "%d", node->api_port);
    conf_set(&c, "api_host", node->api_host);
    conf_set(&c, "api_port", num);
    conf_set(&c, "api_scheme", node->api_tls ? "https" : "http");
    return conf_save(&c, path, 0644, err);
}

int server_start_main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"data", required_argument, NULL, 'd'},   {"listen", required_argument, NULL, 'l'},
        {"region", required_argument, NULL, 'r'}, {"api-listen", required_argument, NULL, 'a'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
    };
    const char *data = "borealis-data", *listen_arg = NULL, *region = NULL, *api_arg = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            data = optarg;
            break;
        case 'l':
            listen_arg = optarg;
            break;
        case 'r':
            region = optarg;
            break;
        case 'a':
            api_arg = optarg;
            break;
        case 'h':
            server_usage(stdout);
            return 0;
        default:
            server_usage(stderr);
            return 2;
        }
    }
    static ServerNode node;
    memset(&node, 0, sizeof node);
    pthread_mutex_init(&node.lock, NULL);
    snprintf(node.listen_host, sizeof node.listen_host, "127.0.0.1");
    node.port = 5432;
    if (listen_arg &&
        server_parse_listen(listen_arg, node.listen_host, sizeof node.listen_host, &node.port)) {
        fprintf(stderr, "borealis start: --listen wants HOST:PORT, got \"%s\"\n", listen_arg);
        return 2;
    }
    if (api_arg &&
        server_parse_listen(api_arg, node.api_host, sizeof node.api_host, &node.api_port)) {
        fprintf(stderr, "borealis start: --api-listen wants HOST:PORT, got \"%s\"\n", api_arg);
        return 2;
    }

    DbError err;
    bool created;
    if (datadir_open_or_init(data, region, &node.dd, &created, &err) != 0) {
        fprintf(stderr, "borealis start: %s\n", err.message);
        return 1;
    }
    auth_iam_store_register(data);
    log_info("%s data directory %s (node %s, region %s)", created ? "created" : "opened", data,
             node.dd.node_id, node.dd.region);

    datadir_cluster_host(node.dd.default_cluster, node.dd.region, node.cluster_host,
                         sizeof node.cluster_host);
    snprintf(node.wildcard_host, sizeof node.wildcard_host, "*.dsql.%s.on.aws", node.dd.region);
    char tls_dir[DATADIR_PATH_MAX + 16], cert[DATADIR_PATH_MAX + 32], key[DATADIR_PATH_MAX + 32];
    datadir_path(&node.dd, "tls", tls_dir, sizeof tls_dir);
    if (datadir_mkdir(tls_dir, &err) != 0) goto fail;
    const char *dns[] = {"localhost", node.wildcard_host, node.cluster_host};
    const char *ips[] = {"127.0.0.1", "::1", node.listen_host};
    size_t n_ips = strcmp(node.listen_host, "127.0.0.1") && strcmp(node.listen_host, "::1") &&
                           inet_addr(node.listen_host) != INADDR_NONE
                       ? 3
                       : 2;
    if (net_tls_ensure_certs(tls_dir, dns, ARRAY_LEN(dns), ips, n_ips, &err) != 0) goto fail;
    snprintf(cert, sizeof cert, "%s/server.crt", tls_dir);
    snprintf(key, sizeof key, "%s/server.key", tls_dir);
    if (net_tls_create(cert, key, &node.tls, &err) != 0) goto fail;

    /* Every registered cluster's database and journal. */
    if (server_clusters_open(&node.clusters, &node.dd, node.listen_host, &err) != 0) goto fail;
    ServerCluster *dflt = server_clusters_default(&node.clusters);
    if (!dflt) {
        db_error_set(&err, SQLSTATE_UNDEFINED_OBJECT, "the default cluster %s is not available",
                     node.dd.default_cluster);
        goto fail;
    }

    int listen_fd;
    if (server_listen(&node, listen_arg != NULL, &listen_fd, &err) != 0) goto fail;

    node.accepted_hosts[0] = node.listen_host;
    node.accepted_hosts[1] = "localhost";
    node.accepted_hosts[2] = node.cluster_host;
    node.accepted_hosts[3] = "127.0.0.1";
    node.session_server = (SessionServer){
        .tls = node.tls,
        .region = node.dd.region,
        .cluster_id = node.dd.default_cluster,
        .accepted_hosts = node.accepted_hosts,
        .n_accepted_hosts = ARRAY_LEN(node.accepted_hosts),
        .lookup = server_secret_lookup,
        .lookup_arg = &node,
        .storage = dflt->storage,
        .journal = dflt->journal,
        .resolve_cluster = server_clusters_resolve,
        .resolve_arg = &node.clusters,
    };
    if (server_api_start(&node, api_arg != NULL, cert, key, &err) != 0) goto fail;

    DataDirEndpoint ep = {.port = node.port, .pid = (long)getpid()};
    snprintf(ep.host, sizeof ep.host, "%s", node.listen_host);
    snprintf(ep.cluster_id, sizeof ep.cluster_id, "%s", node.dd.default_cluster);
    if (datadir_endpoint_save(&node.dd, &ep, &err) != 0 ||
        server_endpoint_add_api(&node, &err) != 0)
        goto fail;

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = server_on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    printf("Borealis %s is ready.\n"
           "  endpoint:   %s:%d (cluster endpoint %s)\n"
           "  cluster id: %s\n"
           "  api:        %s://%s:%d\n"
           "  region:     %s\n"
           "  data:       %s\n"
           "Connect:\n"
           "  borealis sql --data %s\n"
           "  psql \"host=%s port=%d user=admin dbname=postgres sslmode=require "
           "password=$(borealis token --admin --data %s)\"\n",
           BOREALIS_VERSION, node.listen_host, node.port, node.cluster_host,
           node.dd.default_cluster, node.api_tls ? "https" : "http", node.api_host, node.api_port,
           node.dd.region, data, data, node.listen_host, node.port, data);
    fflush(stdout);

    while (!server_stopping) {
        struct pollfd pfd = {.fd = listen_fd, .events = POLLIN};
        int pr = poll(&pfd, 1, 200);
        if (pr <= 0) continue;
        int fd = accept(listen_fd, NULL, NULL);
        if (fd < 0) continue;
        ConnStart *cs = malloc(sizeof *cs);
        if (!cs) {
            close(fd);
            continue;
        }
        pthread_mutex_lock(&node.lock);
        cs->pid = ++node.next_pid + 1000;
        node.active_sessions++;
        pthread_mutex_unlock(&node.lock);
        cs->node = &node;
        cs->fd = fd;
        if (getrandom(&cs->key, sizeof cs->key, 0) != sizeof cs->key) cs->key = (int32_t)fd;
        pthread_t th;
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        if (pthread_create(&th, &attr, server_conn_thread, cs) != 0) {
            close(fd);
            free(cs);
            pthread_mutex_lock(&node.lock);
            node.active_sessions--;
            pthread_mutex_unlock(&node.lock);
        }
        pthread_attr_destroy(&attr);
    }
    log_info("shutting down");
    close(listen_fd);
    control_server_stop(node.api_server);
    datadir_endpoint_remove(&node.dd);
    /* Sessions still running hold the journal and storage; they end with
     * the process, so both are closed only when no session is left. */
    if (server_sessions_wait(&node, 5000)) server_clusters_close(&node.clusters);
    net_tls_destroy(node.tls);
    return 0;
fail:
    fprintf(stderr, "borealis start: %s\n", err.message);
    if (err.detail[0]) fprintf(stderr, "DETAIL: %s\n", err.detail);
    if (err.hint[0]) fprintf(stderr, "HINT: %s\n", err.hint);
    return 1;
}
