/*
 * Private to the server room: the clusters a node serves (clusters.c) —
 * each registered cluster's open storage and journal, the resolver that
 * routes a connection to one, and the hooks the control plane calls to
 * create and delete clusters at run time.
 */
#pragma once

#include <pthread.h>

#include "common/datadir.h"
#include "fleet/fleet.h"
#include "journal/journal.h"
#include "session/session.h"
#include "storage/storage.h"

#define SERVER_HOST_MAX 256

typedef struct ServerCluster {
    char id[FLEET_ID_LEN + 1];
    char host[SERVER_HOST_MAX]; /* <id>.dsql.<region>.on.aws */
    const char *accepted_hosts[4];
    Storage *storage;
    Journal *journal;
    int refs;      /* sessions routed to it and still running */
    bool deleting; /* no new sessions; closed when refs drops to 0 */
} ServerCluster;

typedef struct ServerClusters {
    char data_dir[DATADIR_PATH_MAX];
    char region[64];
    char default_id[FLEET_ID_LEN + 1];
    const char *listen_host;
    Fleet fleet;
    pthread_mutex_t lock; /* items, n, refs, deleting; taken before fleet's */
    ServerCluster *items[64];
    size_t n;
} ServerClusters;

/* Loads the registry (registering the default cluster on first start),
 * opens every live cluster and finishes deletions a previous run left. */
int server_clusters_open(ServerClusters *sc, const DataDir *dd, const char *listen_host,
                         DbError *err);
/* Closes every cluster; call when no session is left. */
void server_clusters_close(ServerClusters *sc);
ServerCluster *server_clusters_default(ServerClusters *sc);
/* SessionClusterResolver over sc (arg). */
int server_clusters_resolve(void *arg, const char *sni, const char *cluster_option,
                            SessionCluster *out, DbError *err);
/* Ends the calling session thread's hold on the cluster it was routed to. */
void server_clusters_release_current(void);
/* ControlHooks over sc (arg). */
void server_clusters_create(void *arg, const char *id);
void server_clusters_delete(void *arg, const char *id);
