/*
 * The fleet room's public header: the cluster registry of a node — every
 * cluster the fleet hosts, with its id, ARN, status, tags, deletion
 * protection, creation time and idempotency token.  It persists in the data
 * directory (one small file per cluster, fleet/clusters/<id>) and keeps an
 * in-memory copy guarded by one mutex.  It knows nothing of storage,
 * journals or HTTP: the control plane changes entries, the server opens and
 * closes the clusters they name.
 *
 * Cluster status lifecycle (spec §10.4):
 *
 *   CREATING ──opened──> ACTIVE ──update──> UPDATING ──done──> ACTIVE
 *      │                   │
 *      └──failed──> FAILED └──delete──> DELETING ──closed──> DELETED
 *
 * A DELETED cluster is forgotten (fleet_cluster_remove): the API answers
 * ResourceNotFoundException for it, as AWS's does once deletion finishes.
 */
#pragma once

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/common.h"

#define FLEET_ID_LEN 26
#define FLEET_TAGS_MAX 200
#define FLEET_TAG_KEY_MAX 128
#define FLEET_TAG_VALUE_MAX 256
#define FLEET_CLIENT_TOKEN_MAX 128
#define FLEET_CLUSTERS_MAX 20 /* single-Region clusters per account (spec §8) */
#define FLEET_ARN_MAX 160
#define FLEET_POLICY_MAX 20480                /* characters of a resource policy (spec §10.2) */
#define FLEET_LINE_MAX (4 * FLEET_POLICY_MAX) /* a registry file line, escapes included */

typedef enum FleetStatus {
    FLEET_CREATING,
    FLEET_ACTIVE,
    FLEET_UPDATING,
    FLEET_DELETING,
    FLEET_DELETED,
    FLEET_FAILED,
} FleetStatus;

typedef struct FleetTag {
    char key[FLEET_TAG_KEY_MAX + 1];
    char value[FLEET_TAG_VALUE_MAX + 1];
} FleetTag;

typedef struct FleetCluster {
    char id[FLEET_ID_LEN + 1];
    char arn[FLEET_ARN_MAX];
    FleetStatus status;
    bool deletion_protection;
    int64_t creation_time; /* unix seconds */
    char client_token[FLEET_CLIENT_TOKEN_MAX + 1];
    char *policy;           /* resource policy as one line of JSON (heap), or NULL */
    int64_t policy_version; /* bumped by every put and delete */
    size_t n_tags;
    FleetTag tags[FLEET_TAGS_MAX]; /* sorted by key */
} FleetCluster;

typedef struct Fleet {
    char dir[4096]; /* <data>/fleet/clusters */
    char region[64];
    char account[13];
    pthread_mutex_t lock;
    size_t n;
    FleetCluster *clusters[64]; /* sorted by id */
} Fleet;

/* Loads every registered cluster from <data_dir>/fleet/clusters (created if
 * missing).  Clusters a previous run left DELETING are loaded as such; the
 * caller finishes their deletion. */
int fleet_open(Fleet *f, const char *data_dir, const char *region, const char *node_id,
               DbError *err);
void fleet_close(Fleet *f);

/* The caller holds f->lock around every function below. */
void fleet_lock(Fleet *f);
void fleet_unlock(Fleet *f);
FleetCluster *fleet_find(Fleet *f, const char *id);
FleetCluster *fleet_find_arn(Fleet *f, const char *arn);
FleetCluster *fleet_find_client_token(Fleet *f, const char *token);
/* Clusters that count against the quota (everything not DELETED). */
size_t fleet_live_count(const Fleet *f);
/* Adds a new cluster (id given, or random when id is NULL) in status, and
 * persists it.  *out points into the registry. */
int fleet_cluster_add(Fleet *f, const char *id, FleetStatus status, bool deletion_protection,
                      const char *client_token, FleetCluster **out, DbError *err);
/* Persists c after the caller changed it. */
int fleet_cluster_save(Fleet *f, FleetCluster *c, DbError *err);
/* Forgets a deleted cluster: removes its file and frees its entry (pointers
 * to it become invalid). */
int fleet_cluster_remove(Fleet *f, const char *id, DbError *err);
/* Sets or replaces a tag, keeping tags sorted; -1 when the map is full. */
int fleet_tag_set(FleetCluster *c, const char *key, const char *value);
void fleet_tag_remove(FleetCluster *c, const char *key);
/* Replaces the policy (NULL removes it); -1 when out of memory or it holds
 * a newline. */
int fleet_policy_set(FleetCluster *c, const char *policy);

const char *fleet_status_name(FleetStatus s);
/* Tag keys and values: 1–128 / 0–256 chars of [a-zA-Z0-9_.:/=+\-@ ]. */
bool fleet_tag_text_valid(const char *s, size_t min_len, size_t max_len);
bool fleet_id_valid(const char *s);
