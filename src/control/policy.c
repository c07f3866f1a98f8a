/*
 * PutClusterPolicy, GetClusterPolicy and DeleteClusterPolicy on
 * /cluster/{id}/policy: a cluster's resource policy, a JSON document of at
 * most 20480 characters kept with a version that every put and delete
 * bumps.  expectedPolicyVersion (body on put, expected-policy-version query
 * on delete) that does not match is a ConflictException.  Borealis stores
 * and returns the policy; it does not evaluate it (the credential store
 * decides who may call the API).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control/control_int.h"

/* Normalizes a policy string to one line of JSON; NULL with the error set. */
char *control_policy_normalize(ControlResponse *r, json_t *v)
{
    const char *text = json_string_value(v);
    if (!text || strlen(text) == 0 || strlen(text) > FLEET_POLICY_MAX) {
        control_error_validation(r, "fieldValidationFailed", "policy",
                                 "policy must be a JSON document of 1-20480 characters");
        return NULL;
    }
    json_error_t jerr;
    json_t *doc = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
    if (!json_is_object(doc)) {
        json_decref(doc);
        control_error_validation(r, "fieldValidationFailed", "policy",
                                 "policy is not a JSON object");
        return NULL;
    }
    char *s = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(doc);
    if (!s) control_error(r, 500, "InternalServerException", NULL, "out of memory");
    return s;
}

/* Checks an expected version against c; -1 with a ConflictException. */
static int control_policy_expect(ControlCall *call, FleetCluster *c, const char *expected)
{
    char now[32];
    snprintf(now, sizeof now, "%lld", (long long)c->policy_version);
    if (!expected || strcmp(expected, now) == 0) return 0;
    control_error_conflict(call->resp, c->id,
                           "The policy version %s does not match the expected version %s", now,
                           expected);
    return -1;
}

static json_t *control_policy_version(const FleetCluster *c)
{
    char v[32];
    snprintf(v, sizeof v, "%lld", (long long)c->policy_version);
    return json_pack("{s:s}", "policyVersion", v);
}

static FleetCluster *control_policy_cluster(ControlCall *call, const char *id)
{
    if (!fleet_id_valid(id)) {
        control_error_validation(call->resp, "fieldValidationFailed", "identifier",
                                 "Invalid cluster identifier: must match ^[a-z0-9]{26}$");
        return NULL;
    }
    FleetCluster *c = fleet_find(call->api->fleet, id);
    if (!c || c->status == FLEET_DELETED) control_error_not_found(call->resp, id);
    return c && c->status != FLEET_DELETED ? c : NULL;
}

static void control_policy_save(ControlCall *call, FleetCluster *c)
{
    DbError err;
    if (fleet_cluster_save(call->api->fleet, c, &err) != 0)
        control_error(call->resp, 500, "InternalServerException", NULL, "%s", err.message);
    else
        control_reply(call->resp, control_policy_version(c));
}

void control_policy_put(ControlCall *call, const char *id, json_t *body)
{
    char *policy =
        control_policy_normalize(call->resp, body ? json_object_get(body, "policy") : NULL);
    if (!policy) return;
    json_t *ev = json_object_get(body, "expectedPolicyVersion");
    fleet_lock(call->api->fleet);
    FleetCluster *c = control_policy_cluster(call, id);
    if (c && control_policy_expect(call, c, json_string_value(ev)) == 0) {
        if (fleet_policy_set(c, policy) != 0) {
            control_error(call->resp, 500, "InternalServerException", NULL, "out of memory");
        } else {
            c->policy_version++;
            control_policy_save(call, c);
        }
    }
    fleet_unlock(call->api->fleet);
    free(policy);
}

void control_policy_get(ControlCall *call, const char *id)
{
    fleet_lock(call->api->fleet);
    FleetCluster *c = control_policy_cluster(call, id);
    if (c && !c->policy) {
        control_error(call->resp, 404, "ResourceNotFoundException",
                      json_pack("{s:s,s:s}", "resourceId", id, "resourceType", "cluster"),
                      "Cluster %s has no resource policy", id);
    } else if (c) {
        json_t *o = control_policy_version(c);
        json_object_set_new(o, "policy", json_string(c->policy));
        control_reply(call->resp, o);
    }
    fleet_unlock(call->api->fleet);
}

void control_policy_delete(ControlCall *call, const char *id)
{
    fleet_lock(call->api->fleet);
    FleetCluster *c = control_policy_cluster(call, id);
    if (c &&
        control_policy_expect(call, c, control_param_get(call, "expected-policy-version")) == 0) {
        if (!c->policy) {
            control_error(call->resp, 404, "ResourceNotFoundException",
                          json_pack("{s:s,s:s}", "resourceId", id, "resourceType", "cluster"),
                          "Cluster %s has no resource policy", id);
        } else {
            fleet_policy_set(c, NULL);
            c->policy_version++;
            control_policy_save(call, c);
        }
    }
    fleet_unlock(call->api->fleet);
}
