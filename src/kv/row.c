/*
 * Row values: the non-key columns of a row, each tagged by its column id, so
 * ADD COLUMN and DROP COLUMN never rewrite rows (an absent column is NULL; a
 * dropped column's entry is skipped).  Owns the row layout and the per-type
 * bytes of one column value.  Types are not stored: the catalog knows each
 * column's type, and readers decode only the columns they need.
 *
 * row   = version:u8 (0x01) entry*           entries by ascending column id
 * entry = varint(id delta) varint(len) byte[len]
 *   varint: unsigned LEB128 (7 bits per byte, low group first, high bit =
 *   more).  The first delta is the column id itself; later deltas are >= 1.
 * value bytes by type (exact, unlike keys: numeric keeps its display text):
 *   bool 1 byte 0/1; int2/4/8, oid, date, time, timestamp(tz): shortest
 *   big-endian two's complement, 0 bytes for 0; float4 4 / float8 8 bytes
 *   IEEE big-endian; text, varchar, bpchar, name, bytea, json, jsonb,
 *   numeric: the bytes as they are; uuid 16 bytes; interval time_us:i64
 *   days:i32 months:i32; timetz time_us:i64 zone:i32 (all big-endian).
 */
#include "kv/kv_internal.h"

#include <string.h>

/* The longest LEB128 varint of a 64-bit value. */
#define KV_VARINT_MAX_BYTES 10

static size_t kv_varint_encode(uint8_t buf[KV_VARINT_MAX_BYTES], uint64_t v)
{
    size_t n = 0;
    do {
        uint8_t b = v & 0x7F;
        v >>= 7;
        buf[n++] = v ? (uint8_t)(b | 0x80) : b;
    } while (v);
    return n;
}

/* Returns the bytes used, or 0 when p does not start with a canonical
 * varint (truncated, overlong, or more than 64 bits). */
static size_t kv_varint_decode(const uint8_t *p, size_t avail, uint64_t *v)
{
    uint64_t result = 0;
    for (size_t i = 0; i < avail && i < KV_VARINT_MAX_BYTES; i++) {
        uint64_t group = p[i] & 0x7F;
        if (i == 9 && group > 1) return 0; /* bits beyond 64 */
        result |= group << (7 * i);
        if ((p[i] & 0x80) == 0) {
            if (i > 0 && p[i] == 0) return 0; /* overlong */
            *v = result;
            return i + 1;
        }
    }
    return 0;
}

static void kv_put_be(uint8_t *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
}

static uint64_t kv_get_be(const uint8_t *p, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v = (v << 8) | p[i];
    return v;
}

/* The fewest bytes of two's complement that hold v (none for 0). */
static int kv_int_value_bytes(int64_t v)
{
    if (v == 0) return 0;
    int n = 1;
    while (n < 8 && (v < -(INT64_C(1) << (8 * n - 1)) || v >= (INT64_C(1) << (8 * n - 1))))
        n++;
    return n;
}

/* Whether a type's value is stored as its bytes (Datum v.s). */
static bool kv_value_is_bytes(uint32_t type)
{
    switch (type) {
    case TYPE_TEXT:
    case TYPE_VARCHAR:
    case TYPE_BPCHAR:
    case TYPE_NAME:
    case TYPE_BYTEA:
    case TYPE_JSON:
    case TYPE_JSONB:
    case TYPE_NUMERIC:
        return true;
    default:
        return false;
    }
}

static bool kv_value_is_int(uint32_t type)
{
    switch (type) {
    case TYPE_INT2:
    case TYPE_INT4:
    case TYPE_INT8:
    case TYPE_OID:
    case TYPE_DATE:
    case TYPE_TIME:
    case TYPE_TIMESTAMP:
    case TYPE_TIMESTAMPTZ:
        return true;
    default:
        return false;
    }
}

static int kv_value_unsupported(DbError *err, uint32_t type)
{
    return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                        "data type %s cannot be stored in a row value", kv_type_name(type));
}

int kv_value_encode(StrBuf *out, const Datum *d, DbError *err)
{
    uint8_t buf[16];
    if (kv_value_is_bytes(d->type)) {
        strbuf_append(out, d->v.s.ptr, d->v.s.len);
        return 0;
    }
    if (kv_value_is_int(d->type)) {
        int64_t v;
        if (kv_int_value(d, &v, err) < 0) return -1;
        int n = kv_int_value_bytes(v);
        kv_put_be(buf, (uint64_t)v, n);
        strbuf_append(out, buf, (size_t)n);
        return 0;
    }
    switch (d->type) {
    case TYPE_BOOL:
        strbuf_append_char(out, d->v.b ? 1 : 0);
        return 0;
    case TYPE_FLOAT4: {
        float f = (float)d->v.f;
        uint32_t u;
        memcpy(&u, &f, sizeof u);
        kv_put_be(buf, u, 4);
        strbuf_append(out, buf, 4);
        return 0;
    }
    case TYPE_FLOAT8: {
        uint64_t u;
        memcpy(&u, &d->v.f, sizeof u);
        kv_put_be(buf, u, 8);
        strbuf_append(out, buf, 8);
        return 0;
    }
    case TYPE_UUID:
        strbuf_append(out, d->v.uuid, 16);
        return 0;
    case TYPE_INTERVAL:
        kv_put_be(buf, (uint64_t)d->v.interval.time_us, 8);
        kv_put_be(buf + 8, (uint32_t)d->v.interval.days, 4);
        kv_put_be(buf + 12, (uint32_t)d->v.interval.months, 4);
        strbuf_append(out, buf, 16);
        return 0;
    case TYPE_TIMETZ:
        kv_put_be(buf, (uint64_t)d->v.timetz.time_us, 8);
        kv_put_be(buf + 8, (uint32_t)d->v.timetz.zone_seconds, 4);
        strbuf_append(out, buf, 12);
        return 0;
    default:
        return kv_value_unsupported(err, d->type);
    }
}

static int kv_value_corrupt(DbError *err, uint32_t type, size_t len)
{
    return db_error_set(err, SQLSTATE_DATA_CORRUPTED,
                        "corrupt row value: %zu bytes cannot be a value of type %s", len,
                        kv_type_name(type));
}

int kv_value_decode(uint32_t type, const uint8_t *p, size_t len, MemContext *cx, Datum *out,
                    DbError *err)
{
    Datum d = {.type = type, .is_null = false};
    if (kv_value_is_bytes(type)) {
        const char *s = (const char *)p;
        if (cx) {
            char *copy = mem_alloc(cx, len + 1);
            if (len) memcpy(copy, p, len);
            copy[len] = '\0';
            s = copy;
        }
        *out = datum_bytes(type, s, len);
        return 0;
    }
    if (kv_value_is_int(type)) {
        if (len > 8) return kv_value_corrupt(err, type, len);
        uint64_t u = kv_get_be(p, (int)len);
        if (len > 0 && len < 8 && (p[0] & 0x80)) u |= ~UINT64_C(0) << (8 * len);
        d.v.i = (int64_t)u;
        if (!kv_int_fits(type, d.v.i))
            return db_error_set(err, SQLSTATE_DATA_CORRUPTED,
                                "corrupt row value: %s value out of range", kv_type_name(type));
        *out = d;
        return 0;
    }
    switch (type) {
    case TYPE_BOOL:
        if (len != 1 || p[0] > 1) return kv_value_corrupt(err, type, len);
        d.v.b = p[0] == 1;
        break;
    case TYPE_FLOAT4: {
        if (len != 4) return kv_value_corrupt(err, type, len);
        uint32_t u = (uint32_t)kv_get_be(p, 4);
        float f;
        memcpy(&f, &u, sizeof f);
        d.v.f = f;
        break;
    }
    case TYPE_FLOAT8: {
        if (len != 8) return kv_value_corrupt(err, type, len);
        uint64_t u = kv_get_be(p, 8);
        memcpy(&d.v.f, &u, sizeof u);
        break;
    }
    case TYPE_UUID:
        if (len != 16) return kv_value_corrupt(err, type, len);
        memcpy(d.v.uuid, p, 16);
        break;
    case TYPE_INTERVAL:
        if (len != 16) return kv_value_corrupt(err, type, len);
        d.v.interval.time_us = (int64_t)kv_get_be(p, 8);
        d.v.interval.days = (int32_t)(uint32_t)kv_get_be(p + 8, 4);
        d.v.interval.months = (int32_t)(uint32_t)kv_get_be(p + 12, 4);
        break;
    case TYPE_TIMETZ:
        if (len != 12) return kv_value_corrupt(err, type, len);
        d.v.timetz.time_us = (int64_t)kv_get_be(p, 8);
        d.v.timetz.zone_seconds = (int32_t)(uint32_t)kv_get_be(p + 8, 4);
        break;
    default:
        return kv_value_unsupported(err, type);
    }
    *out = d;
    return 0;
}

/* ---- Rows ----------------------------------------------------------------- */

/* Appends one entry: the id delta, then the value with its length in front
 * (the value is written first and moved up once its length is known). */
static int kv_row_entry_append(StrBuf *out, uint32_t delta, const Datum *d, DbError *err)
{
    uint8_t buf[KV_VARINT_MAX_BYTES];
    strbuf_append(out, buf, kv_varint_encode(buf, delta));
    size_t at = out->len;
    if (kv_value_encode(out, d, err) < 0) return -1;
    size_t len = out->len - at;
    size_t n = kv_varint_encode(buf, len);
    strbuf_reserve(out, n);
    memmove(out->data + at + n, out->data + at, len);
    memcpy(out->data + at, buf, n);
    out->len += n;
    out->data[out->len] = '\0';
    return 0;
}

int kv_row_encode(StrBuf *out, const uint32_t *column_ids, const Datum *values, size_t n,
                  DbError *err)
{
    size_t start = out->len;
    int rc = 0;
    /* Entries go out by ascending id; sort a permutation if the caller's
     * order is not already that. */
    StrBuf order_buf;
    strbuf_init(&order_buf);
    const size_t *order = NULL;
    bool sorted = true;
    for (size_t i = 1; i < n; i++)
        if (column_ids[i - 1] >= column_ids[i]) sorted = false;
    if (!sorted) {
        strbuf_reserve(&order_buf, n * sizeof(size_t));
        size_t *perm = (size_t *)(void *)order_buf.data;
        for (size_t i = 0; i < n; i++) {
            size_t j = i;
            while (j > 0 && column_ids[perm[j - 1]] > column_ids[i]) {
                perm[j] = perm[j - 1];
                j--;
            }
            perm[j] = i;
        }
        order = perm;
    }

    strbuf_append_char(out, (char)KV_ROW_FORMAT_V1);
    uint32_t prev = 0;
    for (size_t k = 0; k < n; k++) {
        size_t i = order ? order[k] : k;
        if (k > 0 && column_ids[i] == column_ids[order ? order[k - 1] : k - 1]) {
            rc = db_error_set(err, SQLSTATE_INTERNAL_ERROR, "duplicate column id %u in a row value",
                              column_ids[i]);
            break;
        }
        if (values[i].is_null) continue;
        if (kv_row_entry_append(out, column_ids[i] - prev, &values[i], err) < 0) {
            rc = -1;
            break;
        }
        prev = column_ids[i];
    }
    strbuf_fini(&order_buf);
    if (rc < 0) {
        out->len = start;
        if (out->data) out->data[start] = '\0';
    }
    return rc;
}

static int kv_row_corrupt(DbError *err, size_t pos, const char *what)
{
    return db_error_set(err, SQLSTATE_DATA_CORRUPTED, "corrupt row value at byte %zu: %s", pos,
                        what);
}

int kv_row_decode(const uint8_t *p, size_t len, KvRowVisitor visit, void *arg, DbError *err)
{
    if (len < 1) return kv_row_corrupt(err, 0, "empty");
    if (p[0] != KV_ROW_FORMAT_V1) {
        db_error_set(err, SQLSTATE_DATA_CORRUPTED, "unknown row value format %u", p[0]);
        return -1;
    }
    size_t pos = 1;
    uint64_t id = 0;
    bool first = true;
    while (pos < len) {
        uint64_t delta, vlen;
        size_t used = kv_varint_decode(p + pos, len - pos, &delta);
        if (used == 0) return kv_row_corrupt(err, pos, "malformed column id");
        if (!first && delta == 0) return kv_row_corrupt(err, pos, "column ids not ascending");
        if (delta > UINT32_MAX || id + delta > UINT32_MAX)
            return kv_row_corrupt(err, pos, "column id out of range");
        id += delta;
        pos += used;
        used = kv_varint_decode(p + pos, len - pos, &vlen);
        if (used == 0) return kv_row_corrupt(err, pos, "malformed value length");
        pos += used;
        if (vlen > len - pos) return kv_row_corrupt(err, pos, "truncated value");
        int rc = visit(arg, (uint32_t)id, p + pos, (size_t)vlen, err);
        if (rc == KV_ROW_STOP) return 0;
        if (rc < 0) {
            if (!db_error_is_set(err))
                db_error_set(err, SQLSTATE_INTERNAL_ERROR, "row value visitor failed");
            return -1;
        }
        pos += (size_t)vlen;
        first = false;
    }
    return 0;
}

typedef struct KvRowFetch {
    size_t n;
    const uint32_t *column_ids;
    const uint32_t *types;
    uint32_t max_id;
    MemContext *cx;
    Datum *out;
} KvRowFetch;

static int kv_row_fetch_visit(void *arg, uint32_t column_id, const uint8_t *value, size_t len,
                              DbError *err)
{
    KvRowFetch *f = arg;
    if (column_id > f->max_id) return KV_ROW_STOP;
    for (size_t i = 0; i < f->n; i++)
        if (f->column_ids[i] == column_id &&
            kv_value_decode(f->types[i], value, len, f->cx, &f->out[i], err) < 0)
            return -1;
    return 0;
}

int kv_row_fetch(const uint8_t *p, size_t len, size_t n, const uint32_t *column_ids,
                 const uint32_t *types, MemContext *cx, Datum *out, DbError *err)
{
    KvRowFetch f = {.n = n, .column_ids = column_ids, .types = types, .cx = cx, .out = out};
    for (size_t i = 0; i < n; i++) {
        out[i] = datum_null(types[i]);
        if (column_ids[i] > f.max_id) f.max_id = column_ids[i];
    }
    return kv_row_decode(p, len, kv_row_fetch_visit, &f, err);
}
