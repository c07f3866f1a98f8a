/*
 * libFuzzer target for the types room's text input: the same bytes go to
 * every supported type's input function (with and without a typmod where
 * one applies).  Input must never crash or trip a sanitizer; when it
 * succeeds, its output must read back (with the same typmod) to the same
 * output, since the wire and dumps depend on that round trip.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "types/types.h"

typedef struct FuzzType {
    uint32_t oid;
    int32_t typmod;
} FuzzType;

static const FuzzType fuzz_types[] = {
    {TYPE_BOOL, -1},
    {TYPE_INT2, -1},
    {TYPE_INT4, -1},
    {TYPE_INT8, -1},
    {TYPE_OID, -1},
    {TYPE_FLOAT4, -1},
    {TYPE_FLOAT8, -1},
    {TYPE_NUMERIC, -1},
    {TYPE_NUMERIC, ((10 << 16) | 2) + 4},
    {TYPE_NUMERIC, ((3 << 16) | (-2 & 0x7ff)) + 4},
    {TYPE_TEXT, -1},
    {TYPE_VARCHAR, -1},
    {TYPE_VARCHAR, 7},
    {TYPE_BPCHAR, 9},
    {TYPE_NAME, -1},
    {TYPE_CHAR, -1},
    {TYPE_DATE, -1},
    {TYPE_TIME, -1},
    {TYPE_TIME, 2},
    {TYPE_TIMETZ, -1},
    {TYPE_TIMESTAMP, -1},
    {TYPE_TIMESTAMP, 0},
    {TYPE_TIMESTAMPTZ, -1},
    {TYPE_INTERVAL, -1},
    {TYPE_INTERVAL, (8 << 16) | 0xFFFF},
    {TYPE_UUID, -1},
    {TYPE_BYTEA, -1},
    {TYPE_JSON, -1},
    {TYPE_JSONB, -1},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096) return 0;
    MemContext *cx = mem_context_create(NULL, "fuzz");
    for (size_t i = 0; i < sizeof fuzz_types / sizeof fuzz_types[0]; i++) {
        const FuzzType *t = &fuzz_types[i];
        Datum d, again;
        DbError err;
        if (type_input(t->oid, t->typmod, (const char *)data, size, cx, &d, &err) != 0) {
            if (err.sqlstate[0] == '\0' || err.message[0] == '\0') abort();
            continue;
        }
        /* PostgreSQL prints the most negative interval time as
         * "-2562047788:00:54.775808" and cannot read that back either. */
        if (d.type == TYPE_INTERVAL && d.v.interval.time_us == INT64_MIN) continue;
        StrBuf first, second;
        strbuf_init(&first);
        strbuf_init(&second);
        type_output(&d, &first);
        const char *text = first.data ? first.data : "";
        if (type_input(t->oid, t->typmod, text, first.len, cx, &again, &err) != 0) {
            fprintf(stderr, "type %u(%d): output \"%s\" does not read back: %s\n", t->oid,
                    t->typmod, text, err.message);
            abort();
        }
        type_output(&again, &second);
        if (first.len != second.len || memcmp(text, second.data ? second.data : "", first.len)) {
            fprintf(stderr, "type %u(%d): \"%s\" reads back as \"%s\"\n", t->oid, t->typmod, text,
                    second.data ? second.data : "");
            abort();
        }
        /* Equal values compare equal. */
        int c;
        if (type_comparable(d.type, again.type) && type_compare(&d, &again, &c, &err) == 0 &&
            c != 0 && t->oid != TYPE_FLOAT4 && t->oid != TYPE_FLOAT8) {
            fprintf(stderr, "type %u: \"%s\" differs from its own output\n", t->oid, text);
            abort();
        }
        strbuf_fini(&first);
        strbuf_fini(&second);
        mem_context_reset(cx);
    }
    mem_context_destroy(cx);
    return 0;
}
