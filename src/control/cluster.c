/*
 * The cluster operations of the API: CreateCluster, GetCluster,
 * UpdateCluster, DeleteCluster, ListClusters and
 * GetVpcEndpointServiceName.  Each validates its input as AWS does, changes
 * the fleet registry under its lock, and hands the slow part (opening or
 * removing storage) to the server's hooks after unlocking.  The status
 * lifecycle is fleet.h's; here CREATING and DELETING clusters refuse
 * updates with ConflictException, and a DELETED cluster is not found.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control/control_int.h"

#define CONTROL_LIST_DEFAULT 20
#define CONTROL_LIST_MAX 100

static json_t *control_cluster_summary(const FleetCluster *c, const char *status)
{
    return json_pack("{s:s,s:s,s:s,s:I}", "identifier", c->id, "arn", c->arn, "status",
                     status ? status : fleet_status_name(c->status), "creationTime",
                     (json_int_t)c->creation_time);
}

static json_t *control_cluster_full(const ControlApi *api, const FleetCluster *c, bool tags)
{
    json_t *o = control_cluster_summary(c, NULL);
    char endpoint[256];
    snprintf(endpoint, sizeof endpoint, "%s.dsql.%s.%s", c->id, api->region, api->endpoint_domain);
    json_object_set_new(o, "deletionProtectionEnabled", json_boolean(c->deletion_protection));
    json_object_set_new(o, "endpoint", json_string(endpoint));
    json_object_set_new(o, "encryptionDetails",
                        json_pack("{s:s,s:s}", "encryptionType", "AWS_OWNED_KMS_KEY",
                                  "encryptionStatus", "ENABLED"));
    if (tags) {
        json_t *t = json_object();
        for (size_t i = 0; i < c->n_tags; i++)
            json_object_set_new(t, c->tags[i].key, json_string(c->tags[i].value));
        json_object_set_new(o, "tags", t);
    }
    return o;
}

/* Looks up a live cluster by id; NULL with the error response set. */
static FleetCluster *control_cluster_find(ControlCall *call, const char *id)
{
    if (!fleet_id_valid(id)) {
        control_error_validation(call->resp, "fieldValidationFailed", "identifier",
                                 "Invalid cluster identifier: must match ^[a-z0-9]{26}$");
        return NULL;
    }
    FleetCluster *c = fleet_find(call->api->fleet, id);
    if (!c || c->status == FLEET_DELETED) {
        control_error_not_found(call->resp, id);
        return NULL;
    }
    return c;
}

/* Checks the members Create and Update share; -1 with the error set. */
static int control_cluster_check_common(ControlCall *call, json_t *body)
{
    json_t *v = json_object_get(body, "deletionProtectionEnabled");
    if (v && !json_is_boolean(v)) {
        control_error_validation(call->resp, "fieldValidationFailed", "deletionProtectionEnabled",
                                 "deletionProtectionEnabled must be a boolean");
        return -1;
    }
    v = json_object_get(body, "clientToken");
    if (v) {
        const char *t = json_string_value(v);
        size_t n = t ? strlen(t) : 0;
        bool ok = n >= 1 && n <= FLEET_CLIENT_TOKEN_MAX;
        for (size_t i = 0; ok && i < n; i++)
            ok = t[i] >= '!' && t[i] <= '~';
        if (!ok) {
            control_error_validation(call->resp, "fieldValidationFailed", "clientToken",
                                     "clientToken must be 1-128 printable characters");
            return -1;
        }
    }
    v = json_object_get(body, "kmsEncryptionKey");
    if (v && !(json_is_string(v) && strcmp(json_string_value(v), "AWS_OWNED_KMS_KEY") == 0)) {
        control_error_validation(call->resp, "fieldValidationFailed", "kmsEncryptionKey",
                                 "Customer managed KMS keys are not available on this fleet; "
                                 "use AWS_OWNED_KMS_KEY");
        return -1;
    }
    if (json_object_get(body, "multiRegionProperties")) {
        control_error_validation(call->resp, "other", "multiRegionProperties",
                                 "Multi-Region clusters are not available on this fleet");
        return -1;
    }
    return 0;
}

void control_cluster_create(ControlCall *call, json_t *body)
{
    json_t *empty = body ? NULL : json_object();
    if (!body) body = empty;
    Fleet *f = call->api->fleet;
    char id[FLEET_ID_LEN + 1] = "";
    char *policy = NULL;
    if (control_cluster_check_common(call, body) != 0) goto out;
    json_t *tags = json_object_get(body, "tags");
    if (tags && !json_is_object(tags)) {
        control_error_validation(call->resp, "fieldValidationFailed", "tags",
                                 "tags must be a map of strings");
        goto out;
    }
    json_t *dp = json_object_get(body, "deletionProtectionEnabled");
    const char *token = json_string_value(json_object_get(body, "clientToken"));
    json_t *pv = json_object_get(body, "policy");
    if (pv && !(policy = control_policy_normalize(call->resp, pv))) goto out;
    fleet_lock(f);
    FleetCluster *c = token ? fleet_find_client_token(f, token) : NULL;
    if (c && c->status != FLEET_DELETED) {
        /* The same clientToken again: the call already happened. */
        control_reply(call->resp, control_cluster_full(call->api, c, false));
        fleet_unlock(f);
        goto out;
    }
    if (fleet_live_count(f) >= FLEET_CLUSTERS_MAX) {
        fleet_unlock(f);
        control_error(call->resp, 402, "ServiceQuotaExceededException",
                      json_pack("{s:s,s:s,s:s,s:s}", "resourceId", "", "resourceType", "cluster",
                                "serviceCode", "dsql", "quotaCode", "single-region-clusters"),
                      "You have reached the cluster limit.");
        goto out;
    }
    /* Tags are checked on a scratch entry first so a bad map adds nothing. */
    FleetCluster *scratch = calloc(1, sizeof *scratch);
    DbError err;
    if (!scratch || (tags && control_tags_apply(call->resp, scratch, tags) != 0)) {
        fleet_unlock(f);
        if (!scratch) control_error(call->resp, 500, "InternalServerException", NULL, "oom");
        free(scratch);
        goto out;
    }
    if (fleet_cluster_add(f, NULL, FLEET_CREATING, dp ? json_is_true(dp) : true, token, &c, &err) !=
        0) {
        fleet_unlock(f);
        free(scratch);
        control_error(call->resp, 500, "InternalServerException", NULL, "%s", err.message);
        goto out;
    }
    c->n_tags = scratch->n_tags;
    memcpy(c->tags, scratch->tags, scratch->n_tags * sizeof c->tags[0]);
    free(scratch);
    if (policy && fleet_policy_set(c, policy) == 0) c->policy_version = 1;
    if ((c->n_tags || c->policy) && fleet_cluster_save(f, c, &err) != 0)
        log_warn("%s", err.message);
    snprintf(id, sizeof id, "%s", c->id);
    control_reply(call->resp, control_cluster_full(call->api, c, false));
    fleet_unlock(f);
    call->api->hooks.cluster_create(call->api->hooks.arg, id);
out:
    free(policy);
    json_decref(empty);
}

void control_cluster_get(ControlCall *call, const char *id)
{
    fleet_lock(call->api->fleet);
    FleetCluster *c = control_cluster_find(call, id);
    if (c) control_reply(call->resp, control_cluster_full(call->api, c, true));
    fleet_unlock(call->api->fleet);
}

void control_cluster_vpc_service_name(ControlCall *call, const char *id)
{
    fleet_lock(call->api->fleet);
    FleetCluster *c = control_cluster_find(call, id);
    if (c) {
        /* dsql-<6 hex> (spec §10.2): FNV-1a of the id, stable per cluster. */
        uint32_t h = 2166136261u;
        for (const char *p = c->id; *p; p++)
            h = (h ^ (unsigned char)*p) * 16777619u;
        char name[128];
        snprintf(name, sizeof name, "com.amazonaws.%s.dsql-%06x", call->api->region,
                 (unsigned)(h & 0xffffff));
        control_reply(call->resp, json_pack("{s:s}", "serviceName", name));
    }
    fleet_unlock(call->api->fleet);
}

void control_cluster_update(ControlCall *call, const char *id, json_t *body)
{
    Fleet *f = call->api->fleet;
    fleet_lock(f);
    FleetCluster *c = control_cluster_find(call, id);
    if (!c || (body && control_cluster_check_common(call, body) != 0)) goto out;
    if (c->status != FLEET_ACTIVE) {
        control_error_conflict(call->resp, id, "Cluster %s is in state %s and can't be updated.",
                               id, fleet_status_name(c->status));
        goto out;
    }
    json_t *dp = body ? json_object_get(body, "deletionProtectionEnabled") : NULL;
    if (dp) c->deletion_protection = json_is_true(dp);
    DbError err;
    if (fleet_cluster_save(f, c, &err) != 0) {
        control_error(call->resp, 500, "InternalServerException", NULL, "%s", err.message);
        goto out;
    }
    /* The change is applied at once; the answer says UPDATING as AWS's does. */
    control_reply(call->resp, control_cluster_summary(c, "UPDATING"));
out:
    fleet_unlock(f);
}

void control_cluster_delete(ControlCall *call, const char *id)
{
    Fleet *f = call->api->fleet;
    fleet_lock(f);
    FleetCluster *c = control_cluster_find(call, id);
    bool start = false;
    if (!c) goto out;
    if (c->status == FLEET_DELETING) { /* idempotent */
        control_reply(call->resp, control_cluster_summary(c, NULL));
        goto out;
    }
    if (c->deletion_protection) {
        control_error_validation(call->resp, "deletionProtectionEnabled", NULL,
                                 "Cluster %s has deletion protection enabled. Disable deletion "
                                 "protection with UpdateCluster before deleting it.",
                                 id);
        goto out;
    }
    if (c->status != FLEET_ACTIVE && c->status != FLEET_FAILED) {
        control_error_conflict(call->resp, id, "Cluster %s is in state %s and can't be deleted.",
                               id, fleet_status_name(c->status));
        goto out;
    }
    c->status = FLEET_DELETING;
    DbError err;
    if (fleet_cluster_save(f, c, &err) != 0) log_warn("%s", err.message);
    control_reply(call->resp, control_cluster_summary(c, NULL));
    start = true;
out:
    fleet_unlock(f);
    if (start) call->api->hooks.cluster_delete(call->api->hooks.arg, id);
}

void control_cluster_list(ControlCall *call)
{
    const char *mr = control_param_get(call, "max-results");
    const char *next = control_param_get(call, "next-token");
    long max = CONTROL_LIST_DEFAULT;
    if (mr) {
        char *end;
        max = strtol(mr, &end, 10);
        if (*end || end == mr || max < 1 || max > CONTROL_LIST_MAX) {
            control_error_validation(call->resp, "fieldValidationFailed", "maxResults",
                                     "maxResults must be between 1 and 100");
            return;
        }
    }
    if (next && !fleet_id_valid(next)) {
        control_error_validation(call->resp, "fieldValidationFailed", "nextToken",
                                 "Invalid nextToken");
        return;
    }
    Fleet *f = call->api->fleet;
    json_t *list = json_array();
    const char *last = NULL;
    bool more = false;
    fleet_lock(f);
    for (size_t i = 0; i < f->n; i++) {
        FleetCluster *c = f->clusters[i];
        if (c->status == FLEET_DELETED || (next && strcmp(c->id, next) <= 0)) continue;
        if ((long)json_array_size(list) == max) {
            more = true;
            break;
        }
        json_array_append_new(list, json_pack("{s:s,s:s}", "identifier", c->id, "arn", c->arn));
        last = c->id;
    }
    json_t *o = json_pack("{s:o}", "clusters", list);
    if (more) json_object_set_new(o, "nextToken", json_string(last));
    fleet_unlock(f);
    control_reply(call->resp, o);
}
