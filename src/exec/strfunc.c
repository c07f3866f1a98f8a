/*
 * Built-in string and time functions (the FuncIds after the basic ones in
 * func.c): substring, position, trim, replace, concat, left/right, pad,
 * split_part, reverse, initcap, greatest/least, now() and friends,
 * gen_random_uuid().  Strings are UTF-8; positions and lengths count
 * characters, as PostgreSQL does for UTF8 databases.  Case changes fold
 * ASCII letters only (collation C).
 */
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "exec/exec.h"

static size_t u8len(unsigned char c)
{
    return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* Byte offset of character index k (0-based), clamped to the end. */
static size_t char_offset(const char *s, size_t n, int64_t k)
{
    size_t i = 0;
    while (k > 0 && i < n) {
        i += u8len((unsigned char)s[i]);
        k--;
    }
    return i > n ? n : i;
}

static int64_t char_count(const char *s, size_t n)
{
    int64_t c = 0;
    for (size_t i = 0; i < n; i += u8len((unsigned char)s[i]))
        c++;
    return c;
}

static Datum text_of(ExecContext *ec, const char *p, size_t n)
{
    char *q = mem_alloc(ec->cx, n + 1);
    if (n) memcpy(q, p, n);
    return datum_bytes(TYPE_TEXT, q, n);
}

static bool in_set(const char *set, size_t setn, const char *c, size_t cl)
{
    for (size_t i = 0; i < setn; i += u8len((unsigned char)set[i]))
        if (u8len((unsigned char)set[i]) == cl && memcmp(set + i, c, cl) == 0) return true;
    return false;
}

static Datum do_trim(ExecContext *ec, const Datum *args, size_t n, bool left, bool right)
{
    const char *s = args[0].v.s.ptr;
    size_t len = args[0].v.s.len;
    const char *set = n > 1 ? args[1].v.s.ptr : " ";
    size_t setn = n > 1 ? args[1].v.s.len : 1;
    size_t b = 0, e = len;
    while (left && b < e && in_set(set, setn, s + b, u8len((unsigned char)s[b])))
        b += u8len((unsigned char)s[b]);
    while (right && e > b) {
        size_t k = e - 1;
        while (k > b && ((unsigned char)s[k] & 0xC0) == 0x80)
            k--;
        if (!in_set(set, setn, s + k, e - k)) break;
        e = k;
    }
    return text_of(ec, s + b, e - b);
}

static int do_pad(ExecContext *ec, const Datum *args, size_t n, bool left, Datum *out)
{
    const char *s = args[0].v.s.ptr;
    size_t slen = args[0].v.s.len;
    int64_t want = args[1].v.i;
    const char *fill = n > 2 ? args[2].v.s.ptr : " ";
    size_t filln = n > 2 ? args[2].v.s.len : 1;
    if (want <= 0) {
        *out = text_of(ec, "", 0);
        return 0;
    }
    int64_t have = char_count(s, slen);
    if (have >= want || filln == 0) {
        *out = text_of(ec, s, char_offset(s, slen, want));
        return 0;
    }
    StrBuf b;
    strbuf_init(&b);
    int64_t need = want - have;
    StrBuf pad;
    strbuf_init(&pad);
    for (size_t i = 0; need > 0; need--) {
        size_t cl = u8len((unsigned char)fill[i]);
        strbuf_append(&pad, fill + i, cl);
        i += cl;
        if (i >= filln) i = 0;
    }
    if (left) strbuf_append(&b, pad.data, pad.len);
    strbuf_append(&b, s, slen);
    if (!left) strbuf_append(&b, pad.data, pad.len);
    *out = text_of(ec, b.data, b.len);
    strbuf_fini(&b);
    strbuf_fini(&pad);
    return 0;
}

static int64_t wall_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    /* PostgreSQL's epoch is 2000-01-01 00:00:00 UTC. */
    return ((int64_t)ts.tv_sec - 946684800LL) * 1000000LL + ts.tv_nsec / 1000;
}

static Datum time_as(uint32_t type, int64_t us)
{
    if (type == TYPE_DATE) {
        int64_t days = us >= 0 ? us / 86400000000LL : -((-us + 86399999999LL) / 86400000000LL);
        return datum_int(TYPE_DATE, days);
    }
    return datum_int(type, us);
}

int exec_func_more(ExecContext *ec, const Expr *e, const Datum *args, Datum *out, DbError *err)
{
    size_t n = e->n_args;
    switch (e->func) {
    case FUNC_NOW:
        *out = time_as(e->type, ec->txn_start_us ? ec->txn_start_us : wall_us());
        return 0;
    case FUNC_STATEMENT_TIMESTAMP:
    case FUNC_CLOCK_TIMESTAMP:
        *out = datum_int(TYPE_TIMESTAMPTZ, wall_us());
        return 0;
    case FUNC_GEN_RANDOM_UUID: {
        Datum d = {.type = TYPE_UUID};
        if (getrandom(d.v.uuid, 16, 0) != 16)
            return db_error_set(err, SQLSTATE_SYSTEM_ERROR, "could not generate random values");
        d.v.uuid[6] = (uint8_t)((d.v.uuid[6] & 0x0f) | 0x40); /* version 4 */
        d.v.uuid[8] = (uint8_t)((d.v.uuid[8] & 0x3f) | 0x80); /* RFC 4122 variant */
        *out = d;
        return 0;
    }
    case FUNC_CONCAT:
    case FUNC_CONCAT_WS: {
        /* NULLs are skipped; concat_ws's separator NULL makes NULL. */
        size_t first = e->func == FUNC_CONCAT_WS ? 1 : 0;
        if (first && args[0].is_null) {
            *out = datum_null(TYPE_TEXT);
            return 0;
        }
        StrBuf b, t;
        strbuf_init(&b);
        strbuf_init(&t);
        bool any = false;
        for (size_t i = first; i < n; i++) {
            if (args[i].is_null) continue;
            if (any && first) strbuf_append(&b, args[0].v.s.ptr, args[0].v.s.len);
            strbuf_reset(&t);
            type_output(&args[i], &t);
            strbuf_append(&b, t.data ? t.data : "", t.len);
            any = true;
        }
        *out = text_of(ec, b.data ? b.data : "", b.len);
        strbuf_fini(&b);
        strbuf_fini(&t);
        return 0;
    }
    case FUNC_LASTVAL: {
        int64_t v;
        if (!ec->seq || ec->seq->lastval(ec->seq->arg, &v, err) != 0) {
            if (!ec->seq)
                db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                             "sequences are not available here");
            return -1;
        }
        *out = datum_int(TYPE_INT8, v);
        return 0;
    }
    case FUNC_GREATEST:
    case FUNC_LEAST: {
        /* NULLs are ignored; all NULL gives NULL. */
        *out = datum_null(e->type);
        for (size_t i = 0; i < n; i++) {
            if (args[i].is_null) continue;
            int c = 0;
            if (!out->is_null && type_compare(&args[i], out, &c, err) != 0) return -1;
            if (out->is_null || (e->func == FUNC_GREATEST ? c > 0 : c < 0)) *out = args[i];
        }
        return 0;
    }
    default:
        break;
    }
    for (size_t i = 0; i < n; i++)
        if (args[i].is_null) {
            *out = datum_null(e->type);
            return 0;
        }
    const char *s = n ? args[0].v.s.ptr : NULL;
    size_t slen = n ? args[0].v.s.len : 0;
    switch (e->func) {
    case FUNC_NEXTVAL:
    case FUNC_CURRVAL:
    case FUNC_SETVAL: {
        if (!ec->seq)
            return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                                "sequences are not available here");
        char *name = mem_strndup(ec->cx, s, slen);
        int64_t v = 0;
        int rc;
        if (e->func == FUNC_NEXTVAL) {
            rc = ec->seq->nextval(ec->seq->arg, name, &v, err);
        } else if (e->func == FUNC_CURRVAL) {
            rc = ec->seq->currval(ec->seq->arg, name, &v, err);
        } else {
            v = args[1].v.i;
            rc = ec->seq->setval(ec->seq->arg, name, v, n > 2 ? args[2].v.b : true, err);
        }
        if (rc != 0) return -1;
        *out = datum_int(TYPE_INT8, v);
        return 0;
    }
    case FUNC_PG_GET_USERBYID:
        /* Roles beyond admin are named by the access-control catalog. */
        if (args[0].v.i == 10) {
            *out = datum_bytes(TYPE_NAME, "admin", 5);
        } else {
            char *t = mem_sprintf(ec->cx, "unknown (OID=%lld)", (long long)args[0].v.i);
            *out = datum_bytes(TYPE_NAME, t, strlen(t));
        }
        return 0;
    case FUNC_PG_TABLE_IS_VISIBLE:
        *out = (Datum){.type = TYPE_BOOL, .v.b = true};
        return 0;
    case FUNC_OCTET_LENGTH:
        *out = datum_int(TYPE_INT4, (int64_t)slen);
        return 0;
    case FUNC_SUBSTRING: {
        /* substring(s from start [for count]): 1-based, start may be < 1. */
        int64_t start = args[1].v.i;
        int64_t end = INT64_MAX;
        if (n > 2) {
            if (args[2].v.i < 0)
                return db_error_set(err, SQLSTATE_SUBSTRING_ERROR,
                                    "negative substring length not allowed");
            end = start + args[2].v.i;
        }
        if (start < 1) start = 1;
        if (end <= start) {
            *out = text_of(ec, "", 0);
            return 0;
        }
        size_t b = char_offset(s, slen, start - 1);
        size_t x = end == INT64_MAX ? slen : char_offset(s, slen, end - 1);
        *out = text_of(ec, s + b, x - b);
        return 0;
    }
    case FUNC_POSITION: {
        const char *sub = args[1].v.s.ptr;
        size_t subn = args[1].v.s.len;
        int64_t pos = 0;
        if (subn == 0) {
            pos = 1;
        } else {
            for (size_t i = 0, ch = 1; i + subn <= slen; i += u8len((unsigned char)s[i]), ch++)
                if (memcmp(s + i, sub, subn) == 0) {
                    pos = (int64_t)ch;
                    break;
                }
        }
        *out = datum_int(TYPE_INT4, pos);
        return 0;
    }
    case FUNC_BTRIM:
        *out = do_trim(ec, args, n, true, true);
        return 0;
    case FUNC_LTRIM:
        *out = do_trim(ec, args, n, true, false);
        return 0;
    case FUNC_RTRIM:
        *out = do_trim(ec, args, n, false, true);
        return 0;
    case FUNC_REPLACE: {
        const char *from = args[1].v.s.ptr, *to = args[2].v.s.ptr;
        size_t fn = args[1].v.s.len, tn = args[2].v.s.len;
        if (fn == 0) {
            *out = args[0];
            return 0;
        }
        StrBuf b;
        strbuf_init(&b);
        for (size_t i = 0; i < slen;) {
            if (i + fn <= slen && memcmp(s + i, from, fn) == 0) {
                strbuf_append(&b, to, tn);
                i += fn;
            } else {
                strbuf_append_char(&b, s[i++]);
            }
        }
        *out = text_of(ec, b.data ? b.data : "", b.len);
        strbuf_fini(&b);
        return 0;
    }
    case FUNC_LEFT:
    case FUNC_RIGHT: {
        int64_t k = args[1].v.i, total = char_count(s, slen);
        int64_t keep = k >= 0 ? (k < total ? k : total) : (total + k > 0 ? total + k : 0);
        size_t b = e->func == FUNC_LEFT ? 0 : char_offset(s, slen, total - keep);
        size_t x = e->func == FUNC_LEFT ? char_offset(s, slen, keep) : slen;
        *out = text_of(ec, s + b, x - b);
        return 0;
    }
    case FUNC_LPAD:
    case FUNC_RPAD:
        return do_pad(ec, args, n, e->func == FUNC_LPAD, out);
    case FUNC_SPLIT_PART: {
        const char *d = args[1].v.s.ptr;
        size_t dn = args[1].v.s.len;
        int64_t field = args[2].v.i;
        if (field == 0)
            return db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE,
                                "field position must not be zero");
        /* Split into fields, then pick (negative counts from the end). */
        size_t starts[1024], ends[1024], nf = 0;
        size_t b = 0;
        if (dn == 0) {
            starts[0] = 0;
            ends[0] = slen;
            nf = 1;
        } else {
            for (size_t i = 0; i + dn <= slen && nf < 1023;) {
                if (memcmp(s + i, d, dn) == 0) {
                    starts[nf] = b;
                    ends[nf++] = i;
                    i += dn;
                    b = i;
                } else {
                    i++;
                }
            }
            starts[nf] = b;
            ends[nf++] = slen;
        }
        int64_t idx = field > 0 ? field - 1 : (int64_t)nf + field;
        if (idx < 0 || idx >= (int64_t)nf) {
            *out = text_of(ec, "", 0);
        } else {
            *out = text_of(ec, s + starts[idx], ends[idx] - starts[idx]);
        }
        return 0;
    }
    case FUNC_REVERSE: {
        char *q = mem_alloc(ec->cx, slen + 1);
        size_t o = slen;
        for (size_t i = 0; i < slen;) {
            size_t cl = u8len((unsigned char)s[i]);
            if (i + cl > slen) cl = slen - i;
            o -= cl;
            memcpy(q + o, s + i, cl);
            i += cl;
        }
        *out = datum_bytes(TYPE_TEXT, q, slen);
        return 0;
    }
    case FUNC_INITCAP: {
        char *q = mem_alloc(ec->cx, slen + 1);
        bool word_start = true;
        for (size_t i = 0; i < slen; i++) {
            char c = s[i];
            bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                         (c >= '0' && c <= '9') || ((unsigned char)c >= 0x80);
            if (alnum) {
                if (word_start && c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
                if (!word_start && c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
                word_start = false;
            } else {
                word_start = true;
            }
            q[i] = c;
        }
        *out = datum_bytes(TYPE_TEXT, q, slen);
        return 0;
    }
    default:
        return db_error_set(err, SQLSTATE_INTERNAL_ERROR, "unknown built-in function %d",
                            (int)e->func);
    }
}
