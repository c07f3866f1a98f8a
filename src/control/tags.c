/*
 * TagResource, UntagResource and ListTagsForResource on /tags/{arn}: tags
 * of a cluster named by its ARN.  Keys are 1–128 and values 0–256
 * characters of [a-zA-Z0-9_.:/=+\-@ ]; a cluster holds at most 200.
 */
#include <stdlib.h>
#include <string.h>

#include "control/control_int.h"

static FleetCluster *control_tags_cluster(ControlCall *call, const char *arn)
{
    FleetCluster *c = fleet_find_arn(call->api->fleet, arn);
    if (!c || c->status == FLEET_DELETED) {
        control_error(call->resp, 404, "ResourceNotFoundException",
                      json_pack("{s:s,s:s}", "resourceId", arn, "resourceType", "cluster"),
                      "Resource not found: %s", arn);
        return NULL;
    }
    return c;
}

int control_tags_apply(ControlResponse *r, FleetCluster *c, json_t *tags)
{
    const char *key;
    json_t *v;
    json_object_foreach(tags, key, v)
    {
        if (!json_is_string(v) || !fleet_tag_text_valid(key, 1, FLEET_TAG_KEY_MAX) ||
            !fleet_tag_text_valid(json_string_value(v), 0, FLEET_TAG_VALUE_MAX)) {
            control_error_validation(r, "fieldValidationFailed", "tags",
                                     "Tag keys must be 1-128 and values 0-256 characters of "
                                     "[a-zA-Z0-9_.:/=+\\-@ ]");
            return -1;
        }
        if (fleet_tag_set(c, key, json_string_value(v)) != 0) {
            control_error(r, 402, "ServiceQuotaExceededException",
                          json_pack("{s:s,s:s,s:s,s:s}", "resourceId", c->arn, "resourceType",
                                    "cluster", "serviceCode", "dsql", "quotaCode", "tags"),
                          "You have reached the tag limit.");
            return -1;
        }
    }
    return 0;
}

void control_tags_list(ControlCall *call, const char *arn)
{
    fleet_lock(call->api->fleet);
    FleetCluster *c = control_tags_cluster(call, arn);
    if (c) {
        json_t *t = json_object();
        for (size_t i = 0; i < c->n_tags; i++)
            json_object_set_new(t, c->tags[i].key, json_string(c->tags[i].value));
        control_reply(call->resp, json_pack("{s:o}", "tags", t));
    }
    fleet_unlock(call->api->fleet);
}

static void control_tags_save(ControlCall *call, FleetCluster *c)
{
    DbError err;
    if (fleet_cluster_save(call->api->fleet, c, &err) != 0)
        control_error(call->resp, 500, "InternalServerException", NULL, "%s", err.message);
    else
        control_reply(call->resp, json_object());
}

void control_tags_add(ControlCall *call, const char *arn, json_t *body)
{
    json_t *tags = body ? json_object_get(body, "tags") : NULL;
    if (!json_is_object(tags)) {
        control_error_validation(call->resp, "fieldValidationFailed", "tags",
                                 "tags is required and must be a map of strings");
        return;
    }
    fleet_lock(call->api->fleet);
    FleetCluster *c = control_tags_cluster(call, arn);
    if (c) {
        /* Apply to a copy so a refused map leaves the cluster unchanged. */
        size_t n = c->n_tags;
        FleetTag *saved = malloc(n * sizeof *saved + 1);
        if (saved) memcpy(saved, c->tags, n * sizeof *saved);
        if (!saved)
            control_error(call->resp, 500, "InternalServerException", NULL, "out of memory");
        else if (control_tags_apply(call->resp, c, tags) != 0) {
            memcpy(c->tags, saved, n * sizeof *saved);
            c->n_tags = n;
        } else
            control_tags_save(call, c);
        free(saved);
    }
    fleet_unlock(call->api->fleet);
}

void control_tags_remove(ControlCall *call, const char *arn)
{
    fleet_lock(call->api->fleet);
    FleetCluster *c = control_tags_cluster(call, arn);
    if (c) {
        for (size_t i = 0; i < call->n_params; i++)
            if (strcmp(call->params[i].name, "tagKeys") == 0)
                fleet_tag_remove(c, call->params[i].value);
        control_tags_save(call, c);
    }
    fleet_unlock(call->api->fleet);
}
