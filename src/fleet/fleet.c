/*
 * The cluster registry on disk and in memory.  One file per cluster,
 * <data>/fleet/clusters/<id>, written atomically (temp file + rename):
 *
 *   identifier <id>
 *   arn <arn>
 *   status <ACTIVE|CREATING|...>
 *   deletion_protection <true|false>
 *   creation_time <unix seconds>
 *   client_token <token>          (optional)
 *   tag <key>\t<value>            (zero or more, sorted by key)
 *   policy_version <n>            (optional)
 *   policy <one line of JSON>     (optional)
 *
 * Tag text never holds a tab or newline (fleet_tag_text_valid), so no
 * quoting is needed.  A file that does not parse is an error, not skipped.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/datadir.h"
#include "fleet/fleet.h"

static const char *const fleet_status_names[] = {
    [FLEET_CREATING] = "CREATING", [FLEET_ACTIVE] = "ACTIVE",   [FLEET_UPDATING] = "UPDATING",
    [FLEET_DELETING] = "DELETING", [FLEET_DELETED] = "DELETED", [FLEET_FAILED] = "FAILED",
};

const char *fleet_status_name(FleetStatus s)
{
    return fleet_status_names[s];
}

static int fleet_status_parse(const char *s, FleetStatus *out)
{
    for (size_t i = 0; i < ARRAY_LEN(fleet_status_names); i++)
        if (strcmp(s, fleet_status_names[i]) == 0) {
            *out = (FleetStatus)i;
            return 0;
        }
    return -1;
}

bool fleet_tag_text_valid(const char *s, size_t min_len, size_t max_len)
{
    size_t n = strlen(s);
    if (n < min_len || n > max_len) return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  strchr("_.:/=+-@ ", c) != NULL;
        if (!ok) return false;
    }
    return true;
}

bool fleet_id_valid(const char *s)
{
    size_t n = strlen(s);
    if (n != FLEET_ID_LEN) return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9'))) return false;
    return true;
}

void fleet_lock(Fleet *f)
{
    pthread_mutex_lock(&f->lock);
}

void fleet_unlock(Fleet *f)
{
    pthread_mutex_unlock(&f->lock);
}

FleetCluster *fleet_find(Fleet *f, const char *id)
{
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->clusters[i]->id, id) == 0) return f->clusters[i];
    return NULL;
}

FleetCluster *fleet_find_arn(Fleet *f, const char *arn)
{
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->clusters[i]->arn, arn) == 0) return f->clusters[i];
    return NULL;
}

FleetCluster *fleet_find_client_token(Fleet *f, const char *token)
{
    for (size_t i = 0; i < f->n; i++)
        if (f->clusters[i]->client_token[0] && strcmp(f->clusters[i]->client_token, token) == 0)
            return f->clusters[i];
    return NULL;
}

size_t fleet_live_count(const Fleet *f)
{
    size_t n = 0;
    for (size_t i = 0; i < f->n; i++)
        if (f->clusters[i]->status != FLEET_DELETED) n++;
    return n;
}

/* Inserts c keeping the array sorted by id. */
static int fleet_insert(Fleet *f, FleetCluster *c)
{
    if (f->n >= ARRAY_LEN(f->clusters)) return -1;
    size_t at = 0;
    while (at < f->n && strcmp(f->clusters[at]->id, c->id) < 0)
        at++;
    memmove(&f->clusters[at + 1], &f->clusters[at], (f->n - at) * sizeof f->clusters[0]);
    f->clusters[at] = c;
    f->n++;
    return 0;
}

int fleet_tag_set(FleetCluster *c, const char *key, const char *value)
{
    size_t at = 0;
    while (at < c->n_tags && strcmp(c->tags[at].key, key) < 0)
        at++;
    if (at < c->n_tags && strcmp(c->tags[at].key, key) == 0) {
        snprintf(c->tags[at].value, sizeof c->tags[at].value, "%s", value);
        return 0;
    }
    if (c->n_tags >= FLEET_TAGS_MAX) return -1;
    memmove(&c->tags[at + 1], &c->tags[at], (c->n_tags - at) * sizeof c->tags[0]);
    snprintf(c->tags[at].key, sizeof c->tags[at].key, "%s", key);
    snprintf(c->tags[at].value, sizeof c->tags[at].value, "%s", value);
    c->n_tags++;
    return 0;
}

int fleet_policy_set(FleetCluster *c, const char *policy)
{
    char *copy = NULL;
    if (policy && (strchr(policy, '\n') || !(copy = strdup(policy)))) return -1;
    free(c->policy);
    c->policy = copy;
    return 0;
}

void fleet_tag_remove(FleetCluster *c, const char *key)
{
    for (size_t i = 0; i < c->n_tags; i++)
        if (strcmp(c->tags[i].key, key) == 0) {
            memmove(&c->tags[i], &c->tags[i + 1], (c->n_tags - i - 1) * sizeof c->tags[0]);
            c->n_tags--;
            return;
        }
}

static void fleet_path(const Fleet *f, const char *id, const char *suffix, char *out, size_t size)
{
    snprintf(out, size, "%s/%s%s", f->dir, id, suffix);
}

int fleet_cluster_save(Fleet *f, FleetCluster *c, DbError *err)
{
    char path[sizeof f->dir + 64], tmp[sizeof f->dir + 64];
    fleet_path(f, c->id, "", path, sizeof path);
    fleet_path(f, c->id, ".tmp", tmp, sizeof tmp);
    FILE *fp = fopen(tmp, "w");
    if (!fp) return db_error_set(err, SQLSTATE_IO_ERROR, "could not write \"%s\": %m", tmp);
    fprintf(fp, "identifier %s\narn %s\nstatus %s\ndeletion_protection %s\ncreation_time %lld\n",
            c->id, c->arn, fleet_status_name(c->status), c->deletion_protection ? "true" : "false",
            (long long)c->creation_time);
    if (c->client_token[0]) fprintf(fp, "client_token %s\n", c->client_token);
    if (c->policy_version) fprintf(fp, "policy_version %lld\n", (long long)c->policy_version);
    if (c->policy) fprintf(fp, "policy %s\n", c->policy);
    for (size_t i = 0; i < c->n_tags; i++)
        fprintf(fp, "tag %s\t%s\n", c->tags[i].key, c->tags[i].value);
    bool ok = fflush(fp) == 0 && fsync(fileno(fp)) == 0;
    ok = fclose(fp) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        return db_error_set(err, SQLSTATE_IO_ERROR, "could not write \"%s\": %m", path);
    }
    return 0;
}

static int fleet_line_apply(FleetCluster *c, char *line)
{
    char *sp = strchr(line, ' ');
    if (!sp) return -1;
    *sp = '\0';
    const char *v = sp + 1;
    if (strcmp(line, "identifier") == 0) {
        if (!fleet_id_valid(v)) return -1;
        snprintf(c->id, sizeof c->id, "%s", v);
    } else if (strcmp(line, "arn") == 0) {
        if (strlen(v) >= sizeof c->arn) return -1;
        snprintf(c->arn, sizeof c->arn, "%s", v);
    } else if (strcmp(line, "status") == 0) {
        return fleet_status_parse(v, &c->status);
    } else if (strcmp(line, "deletion_protection") == 0) {
        c->deletion_protection = strcmp(v, "true") == 0;
    } else if (strcmp(line, "creation_time") == 0) {
        c->creation_time = strtoll(v, NULL, 10);
    } else if (strcmp(line, "client_token") == 0) {
        if (strlen(v) > FLEET_CLIENT_TOKEN_MAX) return -1;
        snprintf(c->client_token, sizeof c->client_token, "%s", v);
    } else if (strcmp(line, "policy_version") == 0) {
        c->policy_version = strtoll(v, NULL, 10);
    } else if (strcmp(line, "policy") == 0) {
        return fleet_policy_set(c, v);
    } else if (strcmp(line, "tag") == 0) {
        char *tab = strchr(sp + 1, '\t');
        if (!tab) return -1;
        *tab = '\0';
        if (!fleet_tag_text_valid(v, 1, FLEET_TAG_KEY_MAX) ||
            !fleet_tag_text_valid(tab + 1, 0, FLEET_TAG_VALUE_MAX))
            return -1;
        return fleet_tag_set(c, v, tab + 1);
    }
    return 0; /* unknown keys come from newer versions: ignored */
}

static int fleet_load_one(Fleet *f, const char *name, DbError *err)
{
    char path[sizeof f->dir + 64];
    fleet_path(f, name, "", path, sizeof path);
    FILE *fp = fopen(path, "r");
    if (!fp) return db_error_set(err, SQLSTATE_IO_ERROR, "could not read \"%s\": %m", path);
    FleetCluster *c = calloc(1, sizeof *c);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int rc = c ? 0 : -1;
    while (rc == 0 && (n = getline(&line, &cap, fp)) != -1) {
        if (n == 0 || n > FLEET_LINE_MAX || line[n - 1] != '\n') {
            rc = -1;
            break;
        }
        line[n - 1] = '\0';
        rc = fleet_line_apply(c, line);
    }
    free(line);
    fclose(fp);
    if (rc != 0 || !c->id[0] || strcmp(c->id, name) != 0 || fleet_insert(f, c) != 0) {
        if (c) free(c->policy);
        free(c);
        return db_error_set(err, SQLSTATE_DATA_CORRUPTED,
                            "cluster registry entry \"%s\" is invalid", path);
    }
    return 0;
}

int fleet_open(Fleet *f, const char *data_dir, const char *region, const char *node_id,
               DbError *err)
{
    memset(f, 0, sizeof *f);
    pthread_mutex_init(&f->lock, NULL);
    snprintf(f->region, sizeof f->region, "%s", region);
    /* The account number of this fleet: twelve digits derived from the node
     * id, stable across restarts, so ARNs are too. */
    for (size_t i = 0; i < 12; i++)
        f->account[i] = (char)('0' + (unsigned char)node_id[i % strlen(node_id)] % 10);
    if ((size_t)snprintf(f->dir, sizeof f->dir, "%s/fleet/clusters", data_dir) >= sizeof f->dir)
        return db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "data directory path too long");
    if (datadir_mkdir(f->dir, err) != 0) return -1;
    DIR *d = opendir(f->dir);
    if (!d) return db_error_set(err, SQLSTATE_IO_ERROR, "could not open \"%s\": %m", f->dir);
    struct dirent *de;
    int rc = 0;
    while (rc == 0 && (de = readdir(d)) != NULL) {
        if (!fleet_id_valid(de->d_name)) continue; /* ".", "..", temp files */
        rc = fleet_load_one(f, de->d_name, err);
    }
    closedir(d);
    if (rc != 0) fleet_close(f);
    return rc;
}

void fleet_close(Fleet *f)
{
    for (size_t i = 0; i < f->n; i++) {
        free(f->clusters[i]->policy);
        free(f->clusters[i]);
    }
    f->n = 0;
    pthread_mutex_destroy(&f->lock);
}

int fleet_cluster_add(Fleet *f, const char *id, FleetStatus status, bool deletion_protection,
                      const char *client_token, FleetCluster **out, DbError *err)
{
    if (f->n >= ARRAY_LEN(f->clusters))
        return db_error_set(err, SQLSTATE_PROGRAM_LIMIT_EXCEEDED, "too many clusters");
    FleetCluster *c = calloc(1, sizeof *c);
    if (!c) return db_error_set(err, SQLSTATE_OUT_OF_MEMORY, "out of memory");
    if (id)
        snprintf(c->id, sizeof c->id, "%s", id);
    else
        do
            random_base32(c->id, FLEET_ID_LEN);
        while (fleet_find(f, c->id));
    snprintf(c->arn, sizeof c->arn, "arn:aws:dsql:%s:%s:cluster/%s", f->region, f->account, c->id);
    c->status = status;
    c->deletion_protection = deletion_protection;
    c->creation_time = clock_wall_seconds();
    if (client_token) snprintf(c->client_token, sizeof c->client_token, "%s", client_token);
    if (fleet_cluster_save(f, c, err) != 0) {
        free(c);
        return -1;
    }
    fleet_insert(f, c);
    *out = c;
    return 0;
}

int fleet_cluster_remove(Fleet *f, const char *id, DbError *err)
{
    char path[sizeof f->dir + 64];
    fleet_path(f, id, "", path, sizeof path);
    if (unlink(path) != 0 && errno != ENOENT)
        return db_error_set(err, SQLSTATE_IO_ERROR, "could not remove \"%s\": %m", path);
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->clusters[i]->id, id) == 0) {
            free(f->clusters[i]->policy);
            free(f->clusters[i]);
            memmove(&f->clusters[i], &f->clusters[i + 1], (f->n - i - 1) * sizeof f->clusters[0]);
            f->n--;
            break;
        }
    return 0;
}
