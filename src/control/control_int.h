/*
 * Private to the control room: one API call in flight (ControlCall), the
 * error-shape helpers and the operation handlers.  Only this room sees
 * jansson.
 */
#pragma once

#include <jansson.h>

#include "control/control.h"

#define CONTROL_ARENA_BYTES 16384 /* decoded path segments and query params */
#define CONTROL_PATH_SEGMENTS 4

typedef struct ControlCall {
    const ControlApi *api;
    const ControlRequest *req;
    ControlResponse *resp;
    const char *segs[CONTROL_PATH_SEGMENTS]; /* decoded path segments */
    size_t n_segs;
    ControlHeader params[CONTROL_PARAMS_MAX]; /* decoded query parameters */
    size_t n_params;
    char arena[CONTROL_ARENA_BYTES];
    size_t arena_used;
} ControlCall;

/* Case-insensitive header lookup; NULL when absent. */
const char *control_header_get(const ControlRequest *req, const char *name);
/* First decoded query parameter named name; NULL when absent. */
const char *control_param_get(const ControlCall *call, const char *name);
/* Checks the request's SigV4 signature; -1 with the refusal in call->resp. */
int control_sigv4_verify(ControlCall *call);

/* Error responses: AWS's JSON shapes, x-amzn-ErrorType set. */
void control_error(ControlResponse *r, int status, const char *type, json_t *members,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void control_error_validation(ControlResponse *r, const char *reason, const char *field,
                              const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void control_error_not_found(ControlResponse *r, const char *id);
void control_error_conflict(ControlResponse *r, const char *id, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* 200 with obj as the body (obj is consumed). */
void control_reply(ControlResponse *r, json_t *obj);

/* Operations (cluster.c, tags.c).  body is the parsed JSON object or NULL. */
void control_cluster_create(ControlCall *call, json_t *body);
void control_cluster_get(ControlCall *call, const char *id);
void control_cluster_update(ControlCall *call, const char *id, json_t *body);
void control_cluster_delete(ControlCall *call, const char *id);
void control_cluster_list(ControlCall *call);
void control_cluster_vpc_service_name(ControlCall *call, const char *id);
void control_tags_list(ControlCall *call, const char *arn);
void control_tags_add(ControlCall *call, const char *arn, json_t *body);
void control_tags_remove(ControlCall *call, const char *arn);
void control_policy_put(ControlCall *call, const char *id, json_t *body);
void control_policy_get(ControlCall *call, const char *id);
void control_policy_delete(ControlCall *call, const char *id);
/* A policy string as one line of JSON (malloc'd); NULL with the error set. */
char *control_policy_normalize(ControlResponse *r, json_t *v);
/* Validates a tags object into c (tags merged); -1 with the error in resp. */
int control_tags_apply(ControlResponse *r, FleetCluster *c, json_t *tags);
