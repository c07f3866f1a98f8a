/*
 * Routing a connection to its cluster.  A node with a cluster resolver (the
 * control plane's) asks it, with the SNI host name and the
 * borealis.cluster startup option; otherwise every connection gets the
 * node's default cluster.  A cluster id given by SNI or option that names
 * another cluster than the default is refused when there is no resolver.
 */
#include <string.h>

#include "session/session_int.h"

int session_route(Session *s, const char *cluster_option, DbError *err)
{
    const SessionServer *srv = s->srv;
    if (srv->resolve_cluster)
        return srv->resolve_cluster(srv->resolve_arg, s->sni, cluster_option, &s->cluster, err);
    if (cluster_option && strcmp(cluster_option, srv->cluster_id) != 0)
        return db_error_fatal(err, SQLSTATE_INVALID_AUTHORIZATION_SPECIFICATION,
                              "unable to accept connection, cluster \"%s\" not found",
                              cluster_option);
    s->cluster = (SessionCluster){
        .cluster_id = srv->cluster_id,
        .region = srv->region,
        .accepted_hosts = srv->accepted_hosts,
        .n_accepted_hosts = srv->n_accepted_hosts,
        .storage = srv->storage,
        .journal = srv->journal,
    };
    return 0;
}
