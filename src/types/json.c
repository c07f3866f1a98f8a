/*
 * json and jsonb casts.  json → jsonb and jsonb → json keep the text; the
 * jsonb → scalar casts are not supported yet and fail with 0A000.
 */
#include "types/types_int.h"

#include <string.h>

int tjson_cast(const Datum *in, uint32_t target, int32_t typmod, MemContext *cx, Datum *out,
               DbError *err)
{
    (void)typmod;
    if ((in->type == TYPE_JSON && target == TYPE_JSONB) ||
        (in->type == TYPE_JSONB && target == TYPE_JSON)) {
        char *s = mem_strndup(cx, in->v.s.ptr, in->v.s.len);
        *out = datum_bytes(target, s, in->v.s.len);
        return 0;
    }
    return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED, "cast from %s to %s is not supported",
                        type_format_name(in->type, -1, cx), type_format_name(target, -1, cx));
}
