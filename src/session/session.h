/*
 * The session room's public header: one client connection from the first
 * byte to the last — TLS, startup, authentication, settings, and the query
 * loop that drives parse → analyze → exec.
 */
#pragma once

#include <stdint.h>

#include "auth/auth.h"
#include "common/common.h"
#include "journal/journal.h"
#include "net/net.h"
#include "storage/storage.h"

/* One cluster a session can serve: its database, its journal, and the
 * host names its tokens may be signed for. */
typedef struct SessionCluster {
    const char *cluster_id;
    const char *region;
    const char *const *accepted_hosts;
    size_t n_accepted_hosts;
    Storage *storage;
    Journal *journal;
} SessionCluster;

/* Chooses the cluster of a new connection from the TLS SNI host name (NULL
 * when the client sent none) and the startup option borealis.cluster
 * (NULL when absent).  Fills out, or fails with a FATAL err. */
typedef int (*SessionClusterResolver)(void *arg, const char *sni, const char *cluster_option,
                                      SessionCluster *out, DbError *err);

/* What a session needs from the node that accepted it. */
typedef struct SessionServer {
    NetTls *tls;
    const char *region;
    const char *cluster_id;
    const char *const *accepted_hosts; /* token host names accepted */
    size_t n_accepted_hosts;
    AuthSecretLookup lookup; /* credential store */
    void *lookup_arg;
    Storage *storage; /* the default cluster's database */
    Journal *journal; /* the default cluster's journal */
    /* NULL: every connection gets the default cluster above. */
    SessionClusterResolver resolve_cluster;
    void *resolve_arg;
} SessionServer;

/* Serves the connection on fd until it ends; closes fd.  pid and key are
 * the BackendKeyData this session announces. */
void session_run(const SessionServer *srv, int fd, int32_t pid, int32_t key);

/* ---- settings (guc.c) ---- */

#define SESSION_GUC_VALUE_MAX 256

typedef struct Guc {
    const char *name;          /* canonical spelling, as SHOW names its column */
    const char *default_value; /* NULL: computed (see guc.c) */
    bool report;               /* sent as ParameterStatus */
    bool settable;             /* on DSQL's allow-list for SET */
} Guc;

typedef struct SessionGucs {
    char values[32][SESSION_GUC_VALUE_MAX];
} SessionGucs;

void session_gucs_init(SessionGucs *g, const char *user);
/* Case-insensitive lookup; NULL when unknown. */
const Guc *session_guc_find(const char *name, size_t *index);
const Guc *session_guc_at(size_t index);
size_t session_guc_count(void);
