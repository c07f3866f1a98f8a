/*
 * The clusters a node serves.  Each registered cluster has its own
 * database and journal under <data>/clusters/<id>/{db,raft}; its journal
 * listens on its own node-local raft port.  The resolver picks a
 * connection's cluster from the SNI host <id>.dsql.<region>.on.aws, then
 * the borealis.cluster option, then the default cluster, and refuses
 * unknown, CREATING and DELETING clusters.
 *
 * A session holds its cluster (refs) from routing to its end, recorded in
 * a thread-local because the session runs on its own thread; deleting a
 * cluster stops new sessions at once and closes storage and journal when
 * the last session ends, then removes the files and forgets the entry:
 *
 *   ACTIVE ──delete──> DELETING (refs > 0: wait) ──refs == 0──> closed, files removed, forgotten
 */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "server/server_int.h"

static __thread ServerClusters *server_current_sc;
static __thread ServerCluster *server_current;

typedef struct ServerClusterJob {
    ServerClusters *sc;
    char id[FLEET_ID_LEN + 1];
    ServerCluster *cluster; /* delete jobs: the cluster to close, or NULL */
} ServerClusterJob;

static void server_cluster_dir(const ServerClusters *sc, const char *id, const char *sub, char *out,
                               size_t size)
{
    snprintf(out, size, "%s/clusters/%s%s%s", sc->data_dir, id, sub[0] ? "/" : "", sub);
}

static int server_cluster_open(ServerClusters *sc, const char *id, ServerCluster **out,
                               DbError *err)
{
    char dir[DATADIR_PATH_MAX + 64], db[DATADIR_PATH_MAX + 80], raft[DATADIR_PATH_MAX + 80];
    server_cluster_dir(sc, id, "", dir, sizeof dir);
    server_cluster_dir(sc, id, "db", db, sizeof db);
    server_cluster_dir(sc, id, "raft", raft, sizeof raft);
    ServerCluster *c = calloc(1, sizeof *c);
    if (!c) return db_error_set(err, SQLSTATE_OUT_OF_MEMORY, "out of memory");
    snprintf(c->id, sizeof c->id, "%s", id);
    datadir_cluster_host(id, sc->region, c->host, sizeof c->host);
    c->accepted_hosts[0] = sc->listen_host;
    c->accepted_hosts[1] = "localhost";
    c->accepted_hosts[2] = c->host;
    c->accepted_hosts[3] = "127.0.0.1";
    /* address NULL: the journal picks a free node-local raft port. */
    JournalConfig jc = {.dir = raft, .node_id = 1, .address = NULL};
    if (datadir_mkdir(dir, err) != 0 || storage_open(db, &c->storage, err) != 0) {
        free(c);
        return -1;
    }
    if (journal_open(&jc, c->storage, &c->journal, err) != 0) {
        storage_close(c->storage);
        free(c);
        return -1;
    }
    *out = c;
    return 0;
}

static int server_rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* Closes c (NULL: never opened), removes the cluster's files, forgets it. */
static void server_cluster_finish_delete(ServerClusters *sc, const char *cluster_id,
                                         ServerCluster *c)
{
    char id[FLEET_ID_LEN + 1];
    snprintf(id, sizeof id, "%s", cluster_id); /* cluster_id may live in c */
    if (c) {
        journal_close(c->journal);
        storage_close(c->storage);
        free(c);
    }
    char dir[DATADIR_PATH_MAX + 64];
    server_cluster_dir(sc, id, "", dir, sizeof dir);
    if (access(dir, F_OK) == 0 && nftw(dir, server_rm_entry, 16, FTW_DEPTH | FTW_PHYS) != 0)
        log_warn("could not remove every file of cluster %s under %s", id, dir);
    DbError err;
    fleet_lock(&sc->fleet);
    if (fleet_cluster_remove(&sc->fleet, id, &err) != 0) log_warn("%s", err.message);
    fleet_unlock(&sc->fleet);
    log_info("cluster %s deleted", id);
}

static void server_cluster_set_status(ServerClusters *sc, const char *id, FleetStatus st)
{
    DbError err;
    fleet_lock(&sc->fleet);
    FleetCluster *fc = fleet_find(&sc->fleet, id);
    if (fc) {
        fc->status = st;
        if (fleet_cluster_save(&sc->fleet, fc, &err) != 0) log_warn("%s", err.message);
    }
    fleet_unlock(&sc->fleet);
}

/* The three below: the caller holds sc->lock. */
static void server_cluster_insert(ServerClusters *sc, ServerCluster *c)
{
    if (sc->n < ARRAY_LEN(sc->items)) sc->items[sc->n++] = c;
}

static ServerCluster *server_cluster_find(ServerClusters *sc, const char *id)
{
    for (size_t i = 0; i < sc->n; i++)
        if (strcmp(sc->items[i]->id, id) == 0) return sc->items[i];
    return NULL;
}

static void server_cluster_unlink(ServerClusters *sc, ServerCluster *c)
{
    for (size_t i = 0; i < sc->n; i++)
        if (sc->items[i] == c) {
            sc->items[i] = sc->items[--sc->n];
            return;
        }
}

int server_clusters_open(ServerClusters *sc, const DataDir *dd, const char *listen_host,
                         DbError *err)
{
    memset(sc, 0, sizeof *sc);
    pthread_mutex_init(&sc->lock, NULL);
    snprintf(sc->data_dir, sizeof sc->data_dir, "%s", dd->dir);
    snprintf(sc->region, sizeof sc->region, "%s", dd->region);
    snprintf(sc->default_id, sizeof sc->default_id, "%s", dd->default_cluster);
    sc->listen_host = listen_host;
    if (fleet_open(&sc->fleet, dd->dir, dd->region, dd->node_id, err) != 0) return -1;
    FleetCluster *fc;
    if (!fleet_find(&sc->fleet, sc->default_id) &&
        fleet_cluster_add(&sc->fleet, sc->default_id, FLEET_ACTIVE, true, NULL, &fc, err) != 0)
        return -1;
    /* Copy the ids first: finishing a deletion changes the registry. */
    char ids[ARRAY_LEN(sc->fleet.clusters)][FLEET_ID_LEN + 1];
    FleetStatus st[ARRAY_LEN(sc->fleet.clusters)];
    size_t n = sc->fleet.n;
    for (size_t i = 0; i < n; i++) {
        snprintf(ids[i], sizeof ids[i], "%s", sc->fleet.clusters[i]->id);
        st[i] = sc->fleet.clusters[i]->status;
    }
    for (size_t i = 0; i < n; i++) {
        if (st[i] == FLEET_DELETING || st[i] == FLEET_DELETED) {
            server_cluster_finish_delete(sc, ids[i], NULL);
            continue;
        }
        if (st[i] == FLEET_FAILED) continue;
        ServerCluster *c;
        if (server_cluster_open(sc, ids[i], &c, err) != 0) return -1;
        server_cluster_insert(sc, c);
        if (st[i] != FLEET_ACTIVE) server_cluster_set_status(sc, ids[i], FLEET_ACTIVE);
    }
    return 0;
}

void server_clusters_close(ServerClusters *sc)
{
    for (size_t i = 0; i < sc->n; i++) {
        journal_close(sc->items[i]->journal);
        storage_close(sc->items[i]->storage);
        free(sc->items[i]);
    }
    sc->n = 0;
    fleet_close(&sc->fleet);
}

ServerCluster *server_clusters_default(ServerClusters *sc)
{
    return server_cluster_find(sc, sc->default_id);
}

/* The cluster id of an SNI host <id>.dsql.<region>.on.aws into id. */
static bool server_sni_cluster(const ServerClusters *sc, const char *sni, char *id)
{
    char suffix[128];
    snprintf(suffix, sizeof suffix, ".dsql.%s.on.aws", sc->region);
    size_t n = strlen(sni), sl = strlen(suffix);
    if (n != FLEET_ID_LEN + sl || strcasecmp(sni + FLEET_ID_LEN, suffix) != 0) return false;
    for (size_t i = 0; i < FLEET_ID_LEN; i++)
        id[i] = (char)((sni[i] >= 'A' && sni[i] <= 'Z') ? sni[i] - 'A' + 'a' : sni[i]);
    id[FLEET_ID_LEN] = '\0';
    return true;
}

static int server_refuse_unknown(DbError *err, const char *id)
{
    return db_error_fatal(err, SQLSTATE_INVALID_AUTHORIZATION_SPECIFICATION,
                          "unable to accept connection, cluster \"%s\" not found", id);
}

int server_clusters_resolve(void *arg, const char *sni, const char *cluster_option,
                            SessionCluster *out, DbError *err)
{
    ServerClusters *sc = arg;
    char id[FLEET_ID_LEN + 1];
    if (sni && server_sni_cluster(sc, sni, id)) {
        /* The SNI host names the cluster; the option does not override it. */
    } else if (cluster_option && cluster_option[0]) {
        if (!fleet_id_valid(cluster_option)) return server_refuse_unknown(err, cluster_option);
        snprintf(id, sizeof id, "%s", cluster_option);
    } else {
        snprintf(id, sizeof id, "%s", sc->default_id);
    }
    fleet_lock(&sc->fleet);
    FleetCluster *fc = fleet_find(&sc->fleet, id);
    FleetStatus st = fc ? fc->status : FLEET_DELETED;
    fleet_unlock(&sc->fleet);
    if (st == FLEET_CREATING || st == FLEET_DELETING)
        return db_error_fatal(err, SQLSTATE_CANNOT_CONNECT_NOW,
                              "unable to accept connection, cluster \"%s\" is %s", id,
                              st == FLEET_CREATING ? "being created" : "being deleted");
    pthread_mutex_lock(&sc->lock);
    ServerCluster *c = server_cluster_find(sc, id);
    if (!c || c->deleting || st == FLEET_DELETED || st == FLEET_FAILED) {
        pthread_mutex_unlock(&sc->lock);
        return server_refuse_unknown(err, id);
    }
    c->refs++;
    pthread_mutex_unlock(&sc->lock);
    server_clusters_release_current(); /* a session routes once; stay safe anyway */
    server_current_sc = sc;
    server_current = c;
    *out = (SessionCluster){
        .cluster_id = c->id,
        .region = sc->region,
        .accepted_hosts = c->accepted_hosts,
        .n_accepted_hosts = ARRAY_LEN(c->accepted_hosts),
        .storage = c->storage,
        .journal = c->journal,
    };
    return 0;
}

void server_clusters_release_current(void)
{
    ServerClusters *sc = server_current_sc;
    ServerCluster *c = server_current;
    server_current_sc = NULL;
    server_current = NULL;
    if (!c) return;
    pthread_mutex_lock(&sc->lock);
    bool last = --c->refs == 0 && c->deleting;
    pthread_mutex_unlock(&sc->lock);
    if (last) server_cluster_finish_delete(sc, c->id, c);
}

static void *server_cluster_create_thread(void *arg)
{
    ServerClusterJob *job = arg;
    ServerCluster *c;
    DbError err;
    if (server_cluster_open(job->sc, job->id, &c, &err) != 0) {
        log_warn("could not create cluster %s: %s", job->id, err.message);
        server_cluster_set_status(job->sc, job->id, FLEET_FAILED);
    } else {
        pthread_mutex_lock(&job->sc->lock);
        server_cluster_insert(job->sc, c);
        pthread_mutex_unlock(&job->sc->lock);
        server_cluster_set_status(job->sc, job->id, FLEET_ACTIVE);
        log_info("cluster %s created", job->id);
    }
    free(job);
    return NULL;
}

static void *server_cluster_delete_thread(void *arg)
{
    ServerClusterJob *job = arg;
    server_cluster_finish_delete(job->sc, job->id, job->cluster);
    free(job);
    return NULL;
}

static void server_cluster_spawn(ServerClusters *sc, const char *id, ServerCluster *c,
                                 void *(*fn)(void *))
{
    ServerClusterJob *job = calloc(1, sizeof *job);
    if (!job) {
        log_warn("out of memory: cluster %s stays in its transitional state", id);
        return;
    }
    job->sc = sc;
    job->cluster = c;
    snprintf(job->id, sizeof job->id, "%s", id);
    pthread_t th;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    /* Without a thread, do it here rather than leave the cluster stuck. */
    if (pthread_create(&th, &attr, fn, job) != 0) fn(job);
    pthread_attr_destroy(&attr);
}

void server_clusters_create(void *arg, const char *id)
{
    server_cluster_spawn(arg, id, NULL, server_cluster_create_thread);
}

void server_clusters_delete(void *arg, const char *id)
{
    ServerClusters *sc = arg;
    pthread_mutex_lock(&sc->lock);
    ServerCluster *c = server_cluster_find(sc, id);
    bool now = true;
    if (c) {
        c->deleting = true;
        server_cluster_unlink(sc, c);
        now = c->refs == 0;
    }
    pthread_mutex_unlock(&sc->lock);
    if (now) server_cluster_spawn(sc, id, c, server_cluster_delete_thread);
}
