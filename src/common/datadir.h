/*
 * The data directory's layout and its small descriptor files, shared by the
 * server (which creates them) and the client commands (which read them to
 * find the endpoint and the admin credential).
 *
 *   <dir>/node.conf      node_id, region, default_cluster, created_at
 *   <dir>/credentials    admin access_key_id and secret_access_key (0600)
 *   <dir>/endpoint       host, port, cluster_id, pid of the running node
 *   <dir>/tls/           ca.crt, ca.key, server.crt, server.key
 *   <dir>/clusters/<id>/ one cluster's journal (raft/) and database (db/)
 */
#pragma once

#include <stddef.h>

#include "common/error.h"

#define DATADIR_PATH_MAX 4096
#define DATADIR_ID_LEN 26 /* cluster and node ids: lowercase base32 */

typedef struct DataDir {
    char dir[DATADIR_PATH_MAX];
    char node_id[DATADIR_ID_LEN + 1];
    char region[64];
    char default_cluster[DATADIR_ID_LEN + 1];
    char access_key_id[129];
    char secret_access_key[129];
} DataDir;

typedef struct DataDirEndpoint {
    char host[256];
    int port;
    char cluster_id[DATADIR_ID_LEN + 1];
    long pid;
} DataDirEndpoint;

/* Opens dir, creating a new node (ids, admin credential) on first use.
 * *created tells whether it was new.  region applies only on creation; a
 * different region for an existing directory is an error. */
int datadir_open_or_init(const char *dir, const char *region, DataDir *out, bool *created,
                         DbError *err);
/* Opens an existing data directory (for client commands). */
int datadir_open(const char *dir, DataDir *out, DbError *err);
/* dir/<rel> into out. */
void datadir_path(const DataDir *dd, const char *rel, char *out, size_t size);
int datadir_endpoint_save(const DataDir *dd, const DataDirEndpoint *ep, DbError *err);
int datadir_endpoint_load(const DataDir *dd, DataDirEndpoint *ep, DbError *err);
void datadir_endpoint_remove(const DataDir *dd);
/* Host name of a cluster's endpoint: <id>.dsql.<region>.on.aws */
void datadir_cluster_host(const char *cluster_id, const char *region, char *out, size_t size);
/* Creates a directory and its parents (mode 0700). */
int datadir_mkdir(const char *path, DbError *err);
