/*
 * libFuzzer target for the kv codecs (kv/key.c, kv/key_numeric.c, kv/row.c).
 * The first input byte picks a mode:
 *   even: decode the rest as a key of one of several type lists (and skip
 *         through it, and decode it as a row value): errors are fine,
 *         crashes and overreads are not;
 *   odd:  derive two values of one type (or two 3-column tuples) from the
 *         rest, then check that keys round-trip, that memcmp of the keys
 *         agrees with the SQL comparison written below, and that a row value
 *         of the values reads back bit for bit.
 * A failed property aborts, so libFuzzer reports it.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kv/kv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static MemContext *fuzz_cx;

#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_kv_key: check failed: %s (line %d)\n", #cond, __LINE__);         \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* ---- Mode 0: decode anything -------------------------------------------- */

static const uint32_t type_lists[][4] = {
    {TYPE_INT4, TYPE_TEXT, TYPE_NUMERIC, TYPE_INVALID},
    {TYPE_INT8, TYPE_FLOAT8, TYPE_BYTEA, TYPE_UUID},
    {TYPE_NUMERIC, TYPE_NUMERIC, TYPE_INTERVAL, TYPE_TIMETZ},
    {TYPE_BOOL, TYPE_INT2, TYPE_FLOAT4, TYPE_DATE},
    {TYPE_BPCHAR, TYPE_OID, TYPE_TIMESTAMPTZ, TYPE_VARCHAR},
    {TYPE_TIME, TYPE_NAME, TYPE_TIMESTAMP, TYPE_INVALID},
};

static int fuzz_row_visit(void *arg, uint32_t column_id, const uint8_t *value, size_t len,
                          DbError *err)
{
    (void)arg;
    static const uint32_t types[] = {TYPE_BOOL,   TYPE_INT2,   TYPE_INT4,     TYPE_INT8,
                                     TYPE_FLOAT4, TYPE_FLOAT8, TYPE_NUMERIC,  TYPE_TEXT,
                                     TYPE_BYTEA,  TYPE_UUID,   TYPE_INTERVAL, TYPE_TIMETZ,
                                     TYPE_DATE,   TYPE_OID,    TYPE_JSONB,    TYPE_TIMESTAMP};
    Datum d;
    uint32_t type = types[column_id % (sizeof types / sizeof types[0])];
    if (kv_value_decode(type, value, len, fuzz_cx, &d, err) == 0) FUZZ_CHECK(d.type == type);
    return 0; /* keep walking whatever the value was */
}

static void fuzz_decode(const uint8_t *data, size_t size)
{
    if (size < 1) return;
    uint8_t sel = data[0];
    const uint32_t *types = type_lists[sel % (sizeof type_lists / sizeof type_lists[0])];
    KvNullOrder nulls = (sel & 0x80) ? KV_NULLS_FIRST : KV_NULLS_LAST;
    /* A heap copy of exactly the bytes, so ASan catches any overread. */
    size_t len = size - 1;
    uint8_t *copy = malloc(len ? len : 1);
    memcpy(copy, data + 1, len);
    DbError err;

    KvKeyReader r;
    kv_key_reader_init(&r, copy, len);
    uint32_t object_id;
    if (kv_key_read_object(&r, &object_id, &err) == 0) {
        for (int i = 0; !kv_key_reader_done(&r); i++) {
            uint32_t type = types[i % 4] ? types[i % 4] : TYPE_TEXT;
            size_t before = r.pos;
            Datum d;
            if (kv_key_read(&r, type, nulls, fuzz_cx, &d, &err) < 0) {
                FUZZ_CHECK(r.pos == before);
                break;
            }
            FUZZ_CHECK(r.pos > before && r.pos <= r.len);
            /* Whatever decodes re-encodes to the very same bytes. */
            StrBuf again;
            strbuf_init(&again);
            FUZZ_CHECK(kv_key_append(&again, &d, nulls, &err) == 0);
            FUZZ_CHECK(again.len == r.pos - before);
            FUZZ_CHECK(memcmp(again.data, copy + before, again.len) == 0);
            strbuf_fini(&again);
        }
    }
    kv_key_reader_init(&r, copy, len);
    while (!kv_key_reader_done(&r) && kv_key_skip(&r, &err) == 0)
        FUZZ_CHECK(r.pos <= r.len);

    kv_row_decode(copy, len, fuzz_row_visit, NULL, &err);

    StrBuf bound;
    strbuf_init(&bound);
    kv_key_prefix_end(copy, len, &bound);
    FUZZ_CHECK(bound.len <= len);
    strbuf_fini(&bound);
    free(copy);
}

/* ---- Mode 1: properties of values derived from the input -------------------- */

typedef struct FuzzSource {
    const uint8_t *p;
    size_t len;
    size_t pos;
} FuzzSource;

static uint8_t fuzz_byte(FuzzSource *s)
{
    return s->pos < s->len ? s->p[s->pos++] : 0;
}

static uint64_t fuzz_u64(FuzzSource *s, int bytes)
{
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++)
        v = (v << 8) | fuzz_byte(s);
    return v;
}

static const uint32_t value_types[] = {
    TYPE_BOOL,    TYPE_INT2, TYPE_INT4,  TYPE_INT8,   TYPE_FLOAT4, TYPE_FLOAT8,
    TYPE_NUMERIC, TYPE_TEXT, TYPE_BYTEA, TYPE_BPCHAR, TYPE_UUID,   TYPE_INTERVAL,
    TYPE_TIMETZ,  TYPE_DATE, TYPE_OID,   TYPE_TIME,   TYPE_NAME,   TYPE_VARCHAR};

/* Numeric text: specials, or [-]digits[.digits] with leading and trailing
 * zeros likely and lengths up to a few hundred digits. */
static Datum fuzz_numeric(FuzzSource *s)
{
    uint8_t shape = fuzz_byte(s);
    if (shape >= 250) {
        static const char *specials[] = {"NaN", "Infinity", "-Infinity", "0", "-0.000", "inf"};
        const char *t = specials[shape - 250];
        return datum_bytes(TYPE_NUMERIC, t, strlen(t));
    }
    size_t int_digits = fuzz_byte(s) % 24, frac_digits = fuzz_byte(s) % 24;
    if (shape & 0x40) int_digits *= 13;
    if (shape & 0x20) frac_digits *= 13;
    if (int_digits + frac_digits == 0) int_digits = 1;
    char *t = mem_alloc(fuzz_cx, int_digits + frac_digits + 3);
    size_t n = 0;
    if (shape & 1) t[n++] = '-';
    for (size_t i = 0; i < int_digits; i++) {
        uint8_t b = fuzz_byte(s);
        t[n++] = (char)('0' + (b < 128 ? 0 : b % 10)); /* zeros half the time */
    }
    if (frac_digits > 0 || (shape & 2)) {
        t[n++] = '.';
        for (size_t i = 0; i < frac_digits; i++) {
            uint8_t b = fuzz_byte(s);
            t[n++] = (char)('0' + (b < 128 ? 0 : b % 10));
        }
    }
    return datum_bytes(TYPE_NUMERIC, t, n);
}

static Datum fuzz_bytes(FuzzSource *s, uint32_t type)
{
    size_t len = fuzz_byte(s) % 12;
    char *p = mem_alloc(fuzz_cx, len + 1);
    for (size_t i = 0; i < len; i++) {
        uint8_t b = fuzz_byte(s);
        if (type != TYPE_BYTEA && b == 0) b = ' '; /* text has no NUL; spaces matter for bpchar */
        p[i] = (char)b;
    }
    return datum_bytes(type, p, len);
}

static Datum fuzz_value(FuzzSource *s, uint32_t type)
{
    Datum d = {.type = type, .is_null = false};
    if (fuzz_byte(s) % 8 == 0) return datum_null(type);
    switch (type) {
    case TYPE_BOOL:
        d.v.b = fuzz_byte(s) & 1;
        break;
    case TYPE_INT2:
        d.v.i = (int16_t)fuzz_u64(s, 2);
        break;
    case TYPE_INT4:
    case TYPE_DATE:
        d.v.i = (int32_t)fuzz_u64(s, 4);
        break;
    case TYPE_OID:
        d.v.i = (int64_t)fuzz_u64(s, 4);
        break;
    case TYPE_INT8:
    case TYPE_TIME: {
        int bytes = fuzz_byte(s) % 9;
        uint64_t u = fuzz_u64(s, bytes);
        d.v.i = (fuzz_byte(s) & 1) ? (int64_t)u : -(int64_t)(u >> 1);
        break;
    }
    case TYPE_FLOAT4: {
        uint32_t bits = (uint32_t)fuzz_u64(s, 4);
        float f;
        memcpy(&f, &bits, sizeof f);
        d.v.f = f;
        break;
    }
    case TYPE_FLOAT8: {
        uint64_t bits = fuzz_u64(s, 8);
        memcpy(&d.v.f, &bits, sizeof d.v.f);
        break;
    }
    case TYPE_NUMERIC:
        return fuzz_numeric(s);
    case TYPE_TEXT:
    case TYPE_BYTEA:
    case TYPE_BPCHAR:
    case TYPE_NAME:
    case TYPE_VARCHAR:
        return fuzz_bytes(s, type);
    case TYPE_UUID:
        for (int i = 0; i < 16; i++)
            d.v.uuid[i] = fuzz_byte(s) % 4 ? 0 : fuzz_byte(s);
        break;
    case TYPE_INTERVAL:
        d.v.interval.months = (int32_t)fuzz_u64(s, 4);
        d.v.interval.days = (int32_t)fuzz_u64(s, 4);
        d.v.interval.time_us = (int64_t)fuzz_u64(s, 8);
        break;
    case TYPE_TIMETZ:
        d.v.timetz.time_us = (int64_t)(fuzz_u64(s, 5) % 86400000001ULL);
        d.v.timetz.zone_seconds = (int32_t)(fuzz_u64(s, 2) % 115199) - 57599;
        break;
    }
    return d;
}

static int fuzz_sign(long long x)
{
    return (x > 0) - (x < 0);
}

static int fuzz_bytes_cmp(const void *a, size_t alen, const void *b, size_t blen)
{
    int c = memcmp(a, b, alen < blen ? alen : blen);
    if (c) return fuzz_sign(c);
    return (alen > blen) - (alen < blen);
}

/* Numeric text order: class (-Infinity, finite, Infinity, NaN), then sign,
 * then integer digits without leading zeros, then fraction without trailing
 * zeros.  Independent of the encoder's exponent-and-pairs form. */
static void fuzz_num_parts(const Datum *d, int *cls, int *sgn, const char **ip, size_t *ilen,
                           const char **fp, size_t *flen)
{
    const char *s = d->v.s.ptr, *end = s + d->v.s.len;
    size_t n = d->v.s.len;
    *sgn = 0;
    if ((n == 3 && strncasecmp(s, "nan", 3) == 0)) {
        *cls = 3;
        return;
    }
    if ((n == 8 && strncasecmp(s, "infinity", 8) == 0) ||
        (n == 3 && strncasecmp(s, "inf", 3) == 0)) {
        *cls = 2;
        return;
    }
    if (n == 9 && strncasecmp(s, "-infinity", 9) == 0) {
        *cls = -2;
        return;
    }
    *cls = 0;
    *sgn = 1;
    if (s < end && (*s == '-' || *s == '+')) *sgn = *s++ == '-' ? -1 : 1;
    while (s < end && *s == '0')
        s++;
    *ip = s;
    while (s < end && *s != '.')
        s++;
    *ilen = (size_t)(s - *ip);
    if (s < end) s++;
    *fp = s;
    *flen = (size_t)(end - s);
    while (*flen > 0 && (*fp)[*flen - 1] == '0')
        (*flen)--;
    if (*ilen == 0 && *flen == 0) *sgn = 0;
}

static int fuzz_numeric_cmp(const Datum *a, const Datum *b)
{
    int ca, cb, sa, sb;
    const char *ia = NULL, *ib = NULL, *fa = NULL, *fb = NULL;
    size_t ila = 0, ilb = 0, fla = 0, flb = 0;
    fuzz_num_parts(a, &ca, &sa, &ia, &ila, &fa, &fla);
    fuzz_num_parts(b, &cb, &sb, &ib, &ilb, &fb, &flb);
    if (ca != cb) return ca < cb ? -1 : 1;
    if (ca != 0) return 0;
    if (sa != sb) return sa < sb ? -1 : 1;
    int mag;
    if (ila != ilb)
        mag = ila < ilb ? -1 : 1;
    else if ((mag = fuzz_sign(memcmp(ia, ib, ila))) == 0)
        mag = fuzz_bytes_cmp(fa, fla, fb, flb);
    return sa * mag;
}

static int fuzz_float_cmp(double a, double b)
{
    if (isnan(a)) return isnan(b) ? 0 : 1;
    if (isnan(b)) return -1;
    return (a > b) - (a < b);
}

static size_t fuzz_bpchar_len(const Datum *d)
{
    size_t n = d->v.s.len;
    while (n > 0 && d->v.s.ptr[n - 1] == ' ')
        n--;
    return n;
}

static int fuzz_sql_cmp(const Datum *a, const Datum *b, KvNullOrder nulls)
{
    if (a->is_null || b->is_null) {
        if (a->is_null && b->is_null) return 0;
        int side = nulls == KV_NULLS_FIRST ? -1 : 1;
        return a->is_null ? side : -side;
    }
    switch (a->type) {
    case TYPE_BOOL:
        return (a->v.b > b->v.b) - (a->v.b < b->v.b);
    case TYPE_FLOAT4:
        return fuzz_float_cmp((float)a->v.f, (float)b->v.f);
    case TYPE_FLOAT8:
        return fuzz_float_cmp(a->v.f, b->v.f);
    case TYPE_NUMERIC:
        return fuzz_numeric_cmp(a, b);
    case TYPE_BPCHAR:
        return fuzz_bytes_cmp(a->v.s.ptr, fuzz_bpchar_len(a), b->v.s.ptr, fuzz_bpchar_len(b));
    case TYPE_TEXT:
    case TYPE_BYTEA:
    case TYPE_NAME:
    case TYPE_VARCHAR:
        return fuzz_bytes_cmp(a->v.s.ptr, a->v.s.len, b->v.s.ptr, b->v.s.len);
    case TYPE_UUID:
        return fuzz_sign(memcmp(a->v.uuid, b->v.uuid, 16));
    case TYPE_INTERVAL: {
        const __int128 day = 86400000000LL;
        __int128 x = a->v.interval.time_us + a->v.interval.days * day +
                     (__int128)a->v.interval.months * 30 * day;
        __int128 y = b->v.interval.time_us + b->v.interval.days * day +
                     (__int128)b->v.interval.months * 30 * day;
        return (x > y) - (x < y);
    }
    case TYPE_TIMETZ: {
        int64_t x = a->v.timetz.time_us + a->v.timetz.zone_seconds * 1000000LL;
        int64_t y = b->v.timetz.time_us + b->v.timetz.zone_seconds * 1000000LL;
        if (x != y) return x < y ? -1 : 1;
        return (a->v.timetz.zone_seconds > b->v.timetz.zone_seconds) -
               (a->v.timetz.zone_seconds < b->v.timetz.zone_seconds);
    }
    default:
        return (a->v.i > b->v.i) - (a->v.i < b->v.i);
    }
}

/* Whether two datums are the same bits (what a row value must give back). */
static bool fuzz_identical(const Datum *a, const Datum *b)
{
    if (a->type != b->type || a->is_null != b->is_null) return false;
    if (a->is_null) return true;
    switch (a->type) {
    case TYPE_BOOL:
        return a->v.b == b->v.b;
    case TYPE_FLOAT4: {
        float x = (float)a->v.f, y = (float)b->v.f;
        return memcmp(&x, &y, sizeof x) == 0;
    }
    case TYPE_FLOAT8:
        return memcmp(&a->v.f, &b->v.f, sizeof a->v.f) == 0;
    case TYPE_NUMERIC:
    case TYPE_TEXT:
    case TYPE_BYTEA:
    case TYPE_BPCHAR:
    case TYPE_NAME:
    case TYPE_VARCHAR:
        return a->v.s.len == b->v.s.len && memcmp(a->v.s.ptr, b->v.s.ptr, a->v.s.len) == 0;
    case TYPE_UUID:
        return memcmp(a->v.uuid, b->v.uuid, 16) == 0;
    case TYPE_INTERVAL:
        return a->v.interval.months == b->v.interval.months &&
               a->v.interval.days == b->v.interval.days &&
               a->v.interval.time_us == b->v.interval.time_us;
    case TYPE_TIMETZ:
        return a->v.timetz.time_us == b->v.timetz.time_us &&
               a->v.timetz.zone_seconds == b->v.timetz.zone_seconds;
    default:
        return a->v.i == b->v.i;
    }
}

#define FUZZ_COLS 3

static void fuzz_properties(const uint8_t *data, size_t size)
{
    FuzzSource s = {.p = data, .len = size};
    uint8_t sel = fuzz_byte(&s);
    size_t ncols = (sel & 0x10) ? FUZZ_COLS : 1;
    uint32_t types[FUZZ_COLS];
    KvNullOrder nulls[FUZZ_COLS];
    Datum tuple[2][FUZZ_COLS];
    for (size_t c = 0; c < ncols; c++) {
        uint8_t b = fuzz_byte(&s);
        types[c] = value_types[b % (sizeof value_types / sizeof value_types[0])];
        nulls[c] = (b & 0x80) ? KV_NULLS_FIRST : KV_NULLS_LAST;
    }
    for (int t = 0; t < 2; t++)
        for (size_t c = 0; c < ncols; c++)
            tuple[t][c] = fuzz_value(&s, types[c]);

    DbError err;
    StrBuf key[2];
    for (int t = 0; t < 2; t++) {
        strbuf_init(&key[t]);
        kv_key_begin(&key[t], 0xFFFFFFFF);
        for (size_t c = 0; c < ncols; c++)
            FUZZ_CHECK(kv_key_append(&key[t], &tuple[t][c], nulls[c], &err) == 0);

        /* Round trip: each element decodes to an equal value whose key is
         * the same bytes. */
        KvKeyReader r;
        kv_key_reader_init(&r, key[t].data, key[t].len);
        uint32_t object_id;
        FUZZ_CHECK(kv_key_read_object(&r, &object_id, &err) == 0 && object_id == 0xFFFFFFFF);
        for (size_t c = 0; c < ncols; c++) {
            Datum back;
            FUZZ_CHECK(kv_key_read(&r, types[c], nulls[c], fuzz_cx, &back, &err) == 0);
            FUZZ_CHECK(fuzz_sql_cmp(&back, &tuple[t][c], nulls[c]) == 0);
        }
        FUZZ_CHECK(kv_key_reader_done(&r));
        kv_key_reader_init(&r, key[t].data, key[t].len);
        r.pos = KV_KEY_OBJECT_BYTES;
        for (size_t c = 0; c < ncols; c++)
            FUZZ_CHECK(kv_key_skip(&r, &err) == 0);
        FUZZ_CHECK(kv_key_reader_done(&r));

        /* The row value gives back exactly what went in. */
        /* Column c has id ids[c] (given out of order); ask for them in id
         * order, the last asked-for one twice. */
        static const uint32_t ids[FUZZ_COLS] = {30, 10, 20};
        uint32_t wanted[FUZZ_COLS + 1], wanted_types[FUZZ_COLS + 1];
        size_t from[FUZZ_COLS + 1], nwanted = 0;
        for (uint32_t id = 10; id <= 30; id += 10)
            for (size_t c = 0; c < ncols; c++)
                if (ids[c] == id) {
                    wanted[nwanted] = id;
                    wanted_types[nwanted] = types[c];
                    from[nwanted++] = c;
                }
        wanted[nwanted] = wanted[nwanted - 1];
        wanted_types[nwanted] = wanted_types[nwanted - 1];
        from[nwanted] = from[nwanted - 1];
        nwanted++;
        Datum row_out[FUZZ_COLS + 1];
        StrBuf row;
        strbuf_init(&row);
        FUZZ_CHECK(kv_row_encode(&row, ids, tuple[t], ncols, &err) == 0);
        FUZZ_CHECK(kv_row_fetch((uint8_t *)row.data, row.len, nwanted, wanted, wanted_types,
                                fuzz_cx, row_out, &err) == 0);
        for (size_t k = 0; k < nwanted; k++)
            FUZZ_CHECK(fuzz_identical(&row_out[k], &tuple[t][from[k]]));
        strbuf_fini(&row);
    }

    /* Order: memcmp of the keys is the lexicographic SQL order. */
    int want = 0;
    for (size_t c = 0; c < ncols && want == 0; c++)
        want = fuzz_sql_cmp(&tuple[0][c], &tuple[1][c], nulls[c]);
    int got = fuzz_bytes_cmp(key[0].data, key[0].len, key[1].data, key[1].len);
    FUZZ_CHECK(want == got);

    /* Every key with the first key's prefix sorts below the prefix's end. */
    StrBuf end;
    strbuf_init(&end);
    kv_key_prefix_end((const uint8_t *)key[0].data, key[0].len, &end);
    FUZZ_CHECK(fuzz_bytes_cmp(end.data, end.len, key[0].data, key[0].len) > 0 || end.len == 0);
    strbuf_fini(&end);
    strbuf_fini(&key[0]);
    strbuf_fini(&key[1]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (fuzz_cx == NULL) fuzz_cx = mem_context_create(NULL, "fuzz_kv_key");
    if (size < 1) return 0;
    if (data[0] & 1)
        fuzz_properties(data + 1, size - 1);
    else
        fuzz_decode(data + 1, size - 1);
    mem_context_reset(fuzz_cx);
    return 0;
}
