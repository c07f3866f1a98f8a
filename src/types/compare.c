/*
 * type_compare: three-way comparison of two non-NULL datums, including the
 * cross-type pairs PostgreSQL's operator resolution allows, compared the
 * way the resolved operator compares them:
 *   integers among themselves exactly; an integer against numeric as
 *   numeric; anything numeric against a float as float8; text family as
 *   described in text.c; date/timestamp/timestamptz on one microsecond
 *   scale (the session zone is UTC, so timestamp and timestamptz agree).
 * NaN (float or numeric) equals itself and sorts above everything.
 */
#include "types/types_int.h"

#include <stdio.h>
#include <string.h>

typedef enum CmpFamily {
    FAM_NONE,
    FAM_BOOL,
    FAM_NUM,
    FAM_STRING,
    FAM_DATETIME,
    FAM_TIME,
    FAM_TIMETZ,
    FAM_INTERVAL,
    FAM_UUID,
    FAM_BYTEA,
    FAM_JSONB,
} CmpFamily;

static CmpFamily family_of(uint32_t oid)
{
    switch (oid) {
    case TYPE_BOOL:
        return FAM_BOOL;
    case TYPE_INT2:
    case TYPE_INT4:
    case TYPE_INT8:
    case TYPE_OID:
    case TYPE_FLOAT4:
    case TYPE_FLOAT8:
    case TYPE_NUMERIC:
        return FAM_NUM;
    case TYPE_TEXT:
    case TYPE_VARCHAR:
    case TYPE_BPCHAR:
    case TYPE_NAME:
    case TYPE_CHAR:
    case TYPE_UNKNOWN:
        return FAM_STRING;
    case TYPE_DATE:
    case TYPE_TIMESTAMP:
    case TYPE_TIMESTAMPTZ:
        return FAM_DATETIME;
    case TYPE_TIME:
        return FAM_TIME;
    case TYPE_TIMETZ:
        return FAM_TIMETZ;
    case TYPE_INTERVAL:
        return FAM_INTERVAL;
    case TYPE_UUID:
        return FAM_UUID;
    case TYPE_BYTEA:
        return FAM_BYTEA;
    case TYPE_JSONB:
        return FAM_JSONB;
    default:
        return FAM_NONE; /* json has no comparison operators */
    }
}

bool type_comparable(uint32_t a, uint32_t b)
{
    CmpFamily fa = family_of(a);
    return fa != FAM_NONE && fa == family_of(b);
}

static bool is_int(uint32_t oid)
{
    return oid == TYPE_INT2 || oid == TYPE_INT4 || oid == TYPE_INT8 || oid == TYPE_OID;
}

static bool is_float(uint32_t oid)
{
    return oid == TYPE_FLOAT4 || oid == TYPE_FLOAT8;
}

static int cmp_i64(int64_t a, int64_t b)
{
    return a < b ? -1 : a > b ? 1 : 0;
}

static double as_double(const Datum *d)
{
    if (is_float(d->type)) return d->v.f;
    if (d->type == TYPE_NUMERIC) return tnum_to_double(d->v.s);
    return (double)d->v.i;
}

static int cmp_num(const Datum *a, const Datum *b)
{
    if (is_int(a->type) && is_int(b->type)) return cmp_i64(a->v.i, b->v.i);
    if (is_float(a->type) || is_float(b->type)) return tflt_cmp(as_double(a), as_double(b));
    if (a->type == TYPE_NUMERIC && b->type == TYPE_NUMERIC) return tnum_cmp(a->v.s, b->v.s);
    /* integer against numeric: compare as numeric. */
    char buf[32];
    DatumBytes x = a->v.s, y = b->v.s;
    if (is_int(a->type)) {
        x.len = (size_t)snprintf(buf, sizeof buf, "%lld", (long long)a->v.i);
        x.ptr = buf;
    } else {
        y.len = (size_t)snprintf(buf, sizeof buf, "%lld", (long long)b->v.i);
        y.ptr = buf;
    }
    return tnum_cmp(x, y);
}

/* date → microseconds, keeping ±infinity at the timestamp extremes; a date
 * past the timestamp range sorts after every finite timestamp and before
 * infinity (PostgreSQL's date_cmp_timestamp). */
static int64_t datetime_us(const Datum *d)
{
    if (d->type != TYPE_DATE) return d->v.i;
    if (d->v.i == TDT_DATE_NOBEGIN) return TDT_TS_NOBEGIN;
    if (d->v.i == TDT_DATE_NOEND) return TDT_TS_NOEND;
    if (d->v.i >= TDT_END_TIMESTAMP / TDT_USECS_PER_DAY) return TDT_TS_NOEND - 1;
    return d->v.i * TDT_USECS_PER_DAY;
}

static int cmp_interval(const DatumInterval *a, const DatumInterval *b)
{
    /* PostgreSQL compares the span with 30-day months and 24-hour days. */
    __int128 sa = (__int128)a->months * 30 * INT64_C(86400000000) +
                  (__int128)a->days * INT64_C(86400000000) + a->time_us;
    __int128 sb = (__int128)b->months * 30 * INT64_C(86400000000) +
                  (__int128)b->days * INT64_C(86400000000) + b->time_us;
    return sa < sb ? -1 : sa > sb ? 1 : 0;
}

static int cmp_bytes(DatumBytes a, DatumBytes b)
{
    size_t n = a.len < b.len ? a.len : b.len;
    int c = n ? memcmp(a.ptr, b.ptr, n) : 0;
    if (c) return c < 0 ? -1 : 1;
    return a.len < b.len ? -1 : a.len > b.len ? 1 : 0;
}

int type_compare(const Datum *a, const Datum *b, int *result, DbError *err)
{
    CmpFamily fam = family_of(a->type);
    if (fam == FAM_NONE || fam != family_of(b->type)) {
        MemContext *cx = mem_context_create(NULL, "type_compare error");
        db_error_set(err, SQLSTATE_UNDEFINED_FUNCTION, "operator does not exist: %s = %s",
                     type_format_name(a->type, -1, cx), type_format_name(b->type, -1, cx));
        db_error_hint(err, "No operator matches the given name and argument types. You might "
                           "need to add explicit type casts.");
        mem_context_destroy(cx);
        return -1;
    }
    switch (fam) {
    case FAM_BOOL:
        *result = (int)a->v.b - (int)b->v.b;
        return 0;
    case FAM_NUM:
        *result = cmp_num(a, b);
        return 0;
    case FAM_STRING:
        *result = ttext_cmp(a, b);
        return 0;
    case FAM_DATETIME:
        if (a->type == TYPE_DATE && b->type == TYPE_DATE)
            *result = cmp_i64(a->v.i, b->v.i);
        else
            *result = cmp_i64(datetime_us(a), datetime_us(b));
        return 0;
    case FAM_TIME:
        *result = cmp_i64(a->v.i, b->v.i);
        return 0;
    case FAM_TIMETZ: {
        int64_t ta = a->v.timetz.time_us + (int64_t)a->v.timetz.zone_seconds * 1000000;
        int64_t tb = b->v.timetz.time_us + (int64_t)b->v.timetz.zone_seconds * 1000000;
        *result = ta != tb ? cmp_i64(ta, tb)
                           : cmp_i64(a->v.timetz.zone_seconds, b->v.timetz.zone_seconds);
        return 0;
    }
    case FAM_INTERVAL:
        *result = cmp_interval(&a->v.interval, &b->v.interval);
        return 0;
    case FAM_UUID: {
        int c = memcmp(a->v.uuid, b->v.uuid, 16);
        *result = c < 0 ? -1 : c > 0 ? 1 : 0;
        return 0;
    }
    case FAM_BYTEA:
        *result = cmp_bytes(a->v.s, b->v.s);
        return 0;
    case FAM_JSONB:
        *result = tjson_cmp(a->v.s, b->v.s);
        return 0;
    default:
        return db_error_set(err, SQLSTATE_INTERNAL_ERROR, "unhandled comparison family");
    }
}

bool type_equal_for_key(const Datum *a, const Datum *b)
{
    if (a->is_null || b->is_null) return a->is_null && b->is_null;
    int c;
    DbError err;
    if (type_compare(a, b, &c, &err) != 0) return false;
    return c == 0;
}
