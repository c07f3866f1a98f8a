/*
 * Data directory creation and descriptor files (see datadir.h).
 */
#include "common/datadir.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/common.h"

int datadir_mkdir(const char *path, DbError *err)
{
    char tmp[DATADIR_PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(tmp, 0700) != 0 && errno != EEXIST) goto fail;
        *p = '/';
    }
    if (mkdir(tmp, 0700) != 0 && errno != EEXIST) goto fail;
    return 0;
fail:
    return db_error_set(err, SQLSTATE_IO_ERROR, "could not create directory \"%s\": %s", tmp,
                        strerror(errno));
}

void datadir_path(const DataDir *dd, const char *rel, char *out, size_t size)
{
    snprintf(out, size, "%s/%s", dd->dir, rel);
}

void datadir_cluster_host(const char *cluster_id, const char *region, char *out, size_t size)
{
    snprintf(out, size, "%s.dsql.%s.on.aws", cluster_id, region);
}

static int datadir_load_files(DataDir *dd, DbError *err)
{
    char path[DATADIR_PATH_MAX + 32];
    Conf c;
    datadir_path(dd, "node.conf", path, sizeof path);
    if (conf_load(&c, path, err) != 0) return -1;
    const char *node = conf_get(&c, "node_id"), *region = conf_get(&c, "region");
    const char *cluster = conf_get(&c, "default_cluster");
    if (!node || !region || !cluster)
        return db_error_set(err, SQLSTATE_CONFIG_FILE_ERROR, "\"%s\" is incomplete", path);
    snprintf(dd->node_id, sizeof dd->node_id, "%s", node);
    snprintf(dd->region, sizeof dd->region, "%s", region);
    snprintf(dd->default_cluster, sizeof dd->default_cluster, "%s", cluster);
    datadir_path(dd, "credentials", path, sizeof path);
    if (conf_load(&c, path, err) != 0) return -1;
    const char *akid = conf_get(&c, "access_key_id"), *secret = conf_get(&c, "secret_access_key");
    if (!akid || !secret)
        return db_error_set(err, SQLSTATE_CONFIG_FILE_ERROR, "\"%s\" is incomplete", path);
    snprintf(dd->access_key_id, sizeof dd->access_key_id, "%s", akid);
    snprintf(dd->secret_access_key, sizeof dd->secret_access_key, "%s", secret);
    return 0;
}

int datadir_open(const char *dir, DataDir *out, DbError *err)
{
    memset(out, 0, sizeof *out);
    snprintf(out->dir, sizeof out->dir, "%s", dir);
    if (datadir_load_files(out, err) != 0) {
        db_error_hint(err,
                      "Is \"%s\" a Borealis data directory? \"borealis start --data %s\" "
                      "creates one.",
                      dir, dir);
        return -1;
    }
    return 0;
}

static void upper_base32(char *out, size_t n)
{
    random_base32(out, n);
    for (size_t i = 0; i < n; i++)
        if (out[i] >= 'a' && out[i] <= 'z') out[i] = (char)(out[i] - 'a' + 'A');
}

int datadir_open_or_init(const char *dir, const char *region, DataDir *out, bool *created,
                         DbError *err)
{
    memset(out, 0, sizeof *out);
    snprintf(out->dir, sizeof out->dir, "%s", dir);
    char path[DATADIR_PATH_MAX + 32];
    datadir_path(out, "node.conf", path, sizeof path);
    *created = access(path, F_OK) != 0;
    if (!*created) {
        if (datadir_load_files(out, err) != 0) return -1;
        if (region && strcmp(region, out->region) != 0)
            return db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE,
                                "data directory \"%s\" belongs to region \"%s\", not \"%s\"", dir,
                                out->region, region);
        return 0;
    }
    if (datadir_mkdir(dir, err) != 0) return -1;
    random_base32(out->node_id, DATADIR_ID_LEN);
    random_base32(out->default_cluster, DATADIR_ID_LEN);
    snprintf(out->region, sizeof out->region, "%s", region ? region : "local");
    /* An access key id in AWS's shape (20 upper-case characters) so that
     * tools that validate it accept it; the secret is 40 characters. */
    memcpy(out->access_key_id, "BKIA", 4);
    upper_base32(out->access_key_id + 4, 16);
    random_base32(out->secret_access_key, 40);
    for (size_t i = 0; i < 40; i += 3)
        if (out->secret_access_key[i] >= 'a' && out->secret_access_key[i] <= 'z')
            out->secret_access_key[i] = (char)(out->secret_access_key[i] - 'a' + 'A');

    Conf c;
    conf_init(&c);
    conf_set(&c, "access_key_id", out->access_key_id);
    conf_set(&c, "secret_access_key", out->secret_access_key);
    datadir_path(out, "credentials", path, sizeof path);
    if (conf_save(&c, path, 0600, err) != 0) return -1;
    char created_at[32];
    snprintf(created_at, sizeof created_at, "%lld", (long long)clock_wall_seconds());
    conf_init(&c);
    conf_set(&c, "node_id", out->node_id);
    conf_set(&c, "region", out->region);
    conf_set(&c, "default_cluster", out->default_cluster);
    conf_set(&c, "created_at", created_at);
    /* node.conf last: its presence marks a complete directory. */
    datadir_path(out, "node.conf", path, sizeof path);
    return conf_save(&c, path, 0600, err);
}

int datadir_endpoint_save(const DataDir *dd, const DataDirEndpoint *ep, DbError *err)
{
    Conf c;
    char num[32];
    conf_init(&c);
    conf_set(&c, "host", ep->host);
    snprintf(num, sizeof num, "%d", ep->port);
    conf_set(&c, "port", num);
    conf_set(&c, "cluster_id", ep->cluster_id);
    snprintf(num, sizeof num, "%ld", ep->pid);
    conf_set(&c, "pid", num);
    char path[DATADIR_PATH_MAX + 32];
    datadir_path(dd, "endpoint", path, sizeof path);
    return conf_save(&c, path, 0644, err);
}

int datadir_endpoint_load(const DataDir *dd, DataDirEndpoint *ep, DbError *err)
{
    Conf c;
    char path[DATADIR_PATH_MAX + 32];
    datadir_path(dd, "endpoint", path, sizeof path);
    if (conf_load(&c, path, err) != 0) {
        db_error_hint(err, "Is Borealis running? Start it with \"borealis start --data %s\".",
                      dd->dir);
        return -1;
    }
    const char *host = conf_get(&c, "host"), *port = conf_get(&c, "port");
    const char *cluster = conf_get(&c, "cluster_id"), *pid = conf_get(&c, "pid");
    if (!host || !port || !cluster || !pid)
        return db_error_set(err, SQLSTATE_CONFIG_FILE_ERROR, "\"%s\" is incomplete", path);
    snprintf(ep->host, sizeof ep->host, "%s", host);
    ep->port = atoi(port);
    snprintf(ep->cluster_id, sizeof ep->cluster_id, "%s", cluster);
    ep->pid = atol(pid);
    return 0;
}

void datadir_endpoint_remove(const DataDir *dd)
{
    char path[DATADIR_PATH_MAX + 32];
    datadir_path(dd, "endpoint", path, sizeof path);
    unlink(path);
}
