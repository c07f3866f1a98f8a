/*
 * Datum: one SQL value with its type, the currency of every room from kv/
 * up.  Fixed-width types live in the union; variable-width ones (text,
 * bytea, numeric, json) point at bytes owned by a memory context or a row
 * buffer, never by the Datum itself.
 *
 * Representations (PostgreSQL's where one exists):
 *   bool                         v.b
 *   int2/int4/int8, oid          v.i (sign-extended; oid is 0..4294967295)
 *   float4/float8                v.f (float4 values are exactly representable)
 *   text/varchar/bpchar/name     v.s  UTF-8 bytes, not NUL-terminated
 *                                     (bpchar(n) stored space-padded)
 *   "char"                       v.s  0 or 1 byte
 *   bytea, json, jsonb           v.s  raw bytes / JSON text
 *   numeric                      v.s  canonical decimal text ("-12.50", "NaN");
 *                                     types/numeric.c owns the arithmetic
 *   date                         v.i  days since 2000-01-01
 *   time, timestamp, timestamptz v.i  microseconds (since midnight / since
 *                                     2000-01-01 00:00:00 UTC)
 *   timetz                       v.timetz
 *   interval                     v.interval
 *   uuid                         v.uuid (16 bytes, network order)
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Type identifiers are PostgreSQL's type OIDs, so pg_catalog and the wire
 * protocol need no translation. */
typedef enum TypeOid {
    TYPE_INVALID = 0,
    TYPE_BOOL = 16,
    TYPE_BYTEA = 17,
    TYPE_CHAR = 18,
    TYPE_NAME = 19,
    TYPE_INT8 = 20,
    TYPE_INT2 = 21,
    TYPE_INT4 = 23,
    TYPE_TEXT = 25,
    TYPE_OID = 26,
    TYPE_JSON = 114,
    TYPE_FLOAT4 = 700,
    TYPE_FLOAT8 = 701,
    TYPE_UNKNOWN = 705,
    TYPE_BPCHAR = 1042,
    TYPE_VARCHAR = 1043,
    TYPE_DATE = 1082,
    TYPE_TIME = 1083,
    TYPE_TIMESTAMP = 1114,
    TYPE_TIMESTAMPTZ = 1184,
    TYPE_INTERVAL = 1186,
    TYPE_TIMETZ = 1266,
    TYPE_NUMERIC = 1700,
    TYPE_UUID = 2950,
    TYPE_JSONB = 3802,
} TypeOid;

typedef struct DatumBytes {
    const char *ptr;
    size_t len;
} DatumBytes;

typedef struct DatumInterval {
    int64_t time_us;
    int32_t days;
    int32_t months;
} DatumInterval;

typedef struct DatumTimeTz {
    int64_t time_us;
    int32_t zone_seconds; /* seconds west of UTC, as PostgreSQL stores it */
} DatumTimeTz;

typedef struct Datum {
    uint32_t type; /* a TypeOid */
    bool is_null;
    union {
        bool b;
        int64_t i;
        double f;
        DatumBytes s;
        DatumInterval interval;
        DatumTimeTz timetz;
        uint8_t uuid[16];
    } v;
} Datum;

static inline Datum datum_null(uint32_t type)
{
    Datum d = {.type = type, .is_null = true};
    return d;
}

static inline Datum datum_int(uint32_t type, int64_t i)
{
    Datum d = {.type = type, .is_null = false};
    d.v.i = i;
    return d;
}

static inline Datum datum_bytes(uint32_t type, const char *ptr, size_t len)
{
    Datum d = {.type = type, .is_null = false};
    d.v.s.ptr = ptr;
    d.v.s.len = len;
    return d;
}
