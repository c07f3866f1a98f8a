/*
 * AWS restJson1 responses: a JSON body, and for errors the shape name in
 * x-amzn-ErrorType plus the members spec §10.3 lists (message always;
 * reason/fieldList for ValidationException, resourceId/resourceType for
 * ResourceNotFoundException and ConflictException).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control/control_int.h"

void control_response_init(ControlResponse *r)
{
    r->status = 200;
    r->error_type[0] = '\0';
    strbuf_init(&r->body);
}

void control_response_fini(ControlResponse *r)
{
    strbuf_fini(&r->body);
}

void control_reply(ControlResponse *r, json_t *obj)
{
    char *s = json_dumps(obj, JSON_COMPACT);
    json_decref(obj);
    strbuf_reset(&r->body);
    r->status = 200;
    r->error_type[0] = '\0';
    strbuf_append_str(&r->body, s ? s : "{}");
    free(s);
}

static void control_error_v(ControlResponse *r, int status, const char *type, json_t *members,
                            const char *fmt, va_list ap)
{
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    json_t *obj = members ? members : json_object();
    json_object_set_new(obj, "message", json_string(msg));
    control_reply(r, obj);
    r->status = status;
    snprintf(r->error_type, sizeof r->error_type, "%s", type);
}

void control_error(ControlResponse *r, int status, const char *type, json_t *members,
                   const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    control_error_v(r, status, type, members, fmt, ap);
    va_end(ap);
}

void control_error_validation(ControlResponse *r, const char *reason, const char *field,
                              const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    json_t *m = json_object();
    json_object_set_new(m, "reason", json_string(reason));
    if (field)
        json_object_set_new(m, "fieldList",
                            json_pack("[{s:s,s:s}]", "name", field, "message", msg));
    control_error(r, 400, "ValidationException", m, "%s", msg);
}

void control_error_not_found(ControlResponse *r, const char *id)
{
    json_t *m = json_pack("{s:s,s:s}", "resourceId", id, "resourceType", "cluster");
    control_error(r, 404, "ResourceNotFoundException", m, "Cluster not found: %s", id);
}

void control_error_conflict(ControlResponse *r, const char *id, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    json_t *m = json_pack("{s:s,s:s}", "resourceId", id, "resourceType", "cluster");
    control_error_v(r, 409, "ConflictException", m, fmt, ap);
    va_end(ap);
}
