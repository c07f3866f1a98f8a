/*
 * One API request from raw bytes to response: percent-decodes the path
 * segments and query parameters (bounded by the call's arena), verifies
 * the signature, parses the JSON body, and dispatches on method × path:
 *
 *   POST   /cluster                 CreateCluster
 *   GET    /cluster                 ListClusters
 *   GET    /cluster/{id}            GetCluster
 *   POST   /cluster/{id}            UpdateCluster
 *   DELETE /cluster/{id}            DeleteCluster
 *   POST|GET|DELETE /cluster/{id}/policy  Put|Get|DeleteClusterPolicy
 *   GET    /clusters/{id}/vpc-endpoint-service-name
 *   GET|POST|DELETE /tags/{arn}     ListTagsForResource | TagResource | UntagResource
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "control/control_int.h"

const char *control_header_get(const ControlRequest *req, const char *name)
{
    for (size_t i = 0; i < req->n_headers; i++)
        if (strcasecmp(req->headers[i].name, name) == 0) return req->headers[i].value;
    return NULL;
}

const char *control_param_get(const ControlCall *call, const char *name)
{
    for (size_t i = 0; i < call->n_params; i++)
        if (strcmp(call->params[i].name, name) == 0) return call->params[i].value;
    return NULL;
}

/* Decodes s[0..len) into the arena as a NUL-terminated string. */
static const char *control_arena_decode(ControlCall *call, const char *s, size_t len)
{
    size_t room = sizeof call->arena - call->arena_used;
    size_t out_len;
    if (room < 1) return NULL;
    char *out = call->arena + call->arena_used;
    if (auth_sigv4_uri_decode(s, len, out, room - 1, &out_len) != 0) return NULL;
    if (memchr(out, '\0', out_len)) return NULL;
    out[out_len] = '\0';
    call->arena_used += out_len + 1;
    return out;
}

static int control_decode(ControlCall *call)
{
    const ControlRequest *req = call->req;
    const char *p = req->path;
    if (!p || p[0] != '/') return -1;
    while (*p) {
        p++; /* the '/' */
        const char *end = strchr(p, '/');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == 0 && !end) break; /* trailing slash */
        if (call->n_segs == CONTROL_PATH_SEGMENTS) return -1;
        const char *seg = control_arena_decode(call, p, len);
        if (!seg) return -1;
        call->segs[call->n_segs++] = seg;
        p += len;
    }
    if (req->n_query > CONTROL_PARAMS_MAX) return -1;
    for (size_t i = 0; i < req->n_query; i++) {
        const char *v = req->query[i].value ? req->query[i].value : "";
        const char *n = control_arena_decode(call, req->query[i].name, strlen(req->query[i].name));
        const char *dv = n ? control_arena_decode(call, v, strlen(v)) : NULL;
        if (!dv) return -1;
        call->params[call->n_params++] = (ControlHeader){n, dv};
    }
    return 0;
}

static bool control_is(const ControlCall *call, const char *method, size_t n_segs,
                       const char *first)
{
    return strcmp(call->req->method, method) == 0 && call->n_segs == n_segs &&
           strcmp(call->segs[0], first) == 0;
}

static void control_dispatch(ControlCall *call, json_t *body)
{
    const char *m = call->req->method;
    if (call->n_segs == 0) goto unknown;
    if (control_is(call, "POST", 1, "cluster")) return control_cluster_create(call, body);
    if (control_is(call, "GET", 1, "cluster")) return control_cluster_list(call);
    if (control_is(call, "GET", 2, "cluster")) return control_cluster_get(call, call->segs[1]);
    if (control_is(call, "POST", 2, "cluster"))
        return control_cluster_update(call, call->segs[1], body);
    if (control_is(call, "DELETE", 2, "cluster"))
        return control_cluster_delete(call, call->segs[1]);
    if (call->n_segs == 3 && strcmp(call->segs[0], "cluster") == 0 &&
        strcmp(call->segs[2], "policy") == 0) {
        if (strcmp(m, "POST") == 0) return control_policy_put(call, call->segs[1], body);
        if (strcmp(m, "GET") == 0) return control_policy_get(call, call->segs[1]);
        if (strcmp(m, "DELETE") == 0) return control_policy_delete(call, call->segs[1]);
    }
    if (control_is(call, "GET", 3, "clusters") &&
        strcmp(call->segs[2], "vpc-endpoint-service-name") == 0)
        return control_cluster_vpc_service_name(call, call->segs[1]);
    if (call->n_segs == 2 && strcmp(call->segs[0], "tags") == 0) {
        if (strcmp(m, "GET") == 0) return control_tags_list(call, call->segs[1]);
        if (strcmp(m, "POST") == 0) return control_tags_add(call, call->segs[1], body);
        if (strcmp(m, "DELETE") == 0) return control_tags_remove(call, call->segs[1]);
    }
unknown:
    control_error_validation(call->resp, "unknownOperation", NULL, "Unknown operation: %s %s", m,
                             call->req->path);
}

void control_request_handle(const ControlApi *api, const ControlRequest *req, ControlResponse *resp)
{
    ControlCall *call = calloc(1, sizeof *call);
    if (!call) {
        control_error(resp, 500, "InternalServerException", NULL, "out of memory");
        return;
    }
    *call = (ControlCall){.api = api, .req = req, .resp = resp};
    if (!req->method || control_decode(call) != 0) {
        control_error_validation(resp, "cannotParse", NULL, "Could not parse the request URI.");
        goto out;
    }
    if (control_sigv4_verify(call) != 0) goto out;
    json_t *body = NULL;
    if (req->body_len > 0) {
        json_error_t jerr;
        body = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &jerr);
        if (!body || !json_is_object(body)) {
            json_decref(body);
            control_error_validation(resp, "cannotParse", NULL,
                                     "Could not parse the request body as a JSON object.");
            goto out;
        }
    }
    control_dispatch(call, body);
    json_decref(body);
out:
    free(call);
}
