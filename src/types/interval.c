/*
 * interval text input and output (IntervalStyle postgres) and the interval
 * typmod (field restriction and seconds precision).
 *
 * Input is PostgreSQL's DecodeInterval for the postgres style: "@", number
 * and unit pairs (fractions carry down: 1.5 years = 1 year 6 mons, 1.5
 * days = 1 day 12:00:00), signed h:m:s times, a bare number before a time
 * as days and a bare number alone as seconds, "y-m" year-month fields,
 * "ago"; plus ISO 8601 "P1Y2M3DT4H5M6S".  Fields are read right to left as
 * PostgreSQL does, so a unit applies to the number before it.  Output:
 * "1 year 2 mons -3 days +04:05:06.5".
 */
#include "types/types_int.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define USECS_PER_HOUR (INT64_C(3600) * TDT_USECS_PER_SEC)
#define USECS_PER_MINUTE (INT64_C(60) * TDT_USECS_PER_SEC)

typedef enum Unit {
    U_NONE,
    U_USEC,
    U_MSEC,
    U_SEC,
    U_MIN,
    U_HOUR,
    U_DAY,
    U_WEEK,
    U_MONTH,
    U_YEAR,
    U_DECADE,
    U_CENTURY,
    U_MILLENNIUM,
    U_AGO,
    U_AT,
} Unit;

static Unit unit_of(const char *w)
{
    static const struct {
        const char *name;
        Unit unit;
    } units[] = {
        {"@", U_AT},
        {"ago", U_AGO},
        {"c", U_CENTURY},
        {"cent", U_CENTURY},
        {"centuries", U_CENTURY},
        {"century", U_CENTURY},
        {"d", U_DAY},
        {"day", U_DAY},
        {"days", U_DAY},
        {"dec", U_DECADE},
        {"decade", U_DECADE},
        {"decades", U_DECADE},
        {"decs", U_DECADE},
        {"h", U_HOUR},
        {"hour", U_HOUR},
        {"hours", U_HOUR},
        {"hr", U_HOUR},
        {"hrs", U_HOUR},
        {"m", U_MIN},
        {"microsecon", U_USEC},
        {"microsecond", U_USEC},
        {"microseconds", U_USEC},
        {"mil", U_MILLENNIUM},
        {"millennia", U_MILLENNIUM},
        {"millennium", U_MILLENNIUM},
        {"millisecon", U_MSEC},
        {"millisecond", U_MSEC},
        {"milliseconds", U_MSEC},
        {"mils", U_MILLENNIUM},
        {"min", U_MIN},
        {"mins", U_MIN},
        {"minute", U_MIN},
        {"minutes", U_MIN},
        {"mon", U_MONTH},
        {"mons", U_MONTH},
        {"month", U_MONTH},
        {"months", U_MONTH},
        {"ms", U_MSEC},
        {"msec", U_MSEC},
        {"msecond", U_MSEC},
        {"mseconds", U_MSEC},
        {"msecs", U_MSEC},
        {"s", U_SEC},
        {"sec", U_SEC},
        {"second", U_SEC},
        {"seconds", U_SEC},
        {"secs", U_SEC},
        {"us", U_USEC},
        {"usec", U_USEC},
        {"usecond", U_USEC},
        {"useconds", U_USEC},
        {"usecs", U_USEC},
        {"w", U_WEEK},
        {"week", U_WEEK},
        {"weeks", U_WEEK},
        {"y", U_YEAR},
        {"year", U_YEAR},
        {"years", U_YEAR},
        {"yr", U_YEAR},
        {"yrs", U_YEAR},
    };
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strcmp(w, units[i].name) == 0) return units[i].unit;
    return U_NONE;
}

typedef struct Acc {
    int64_t usec;
    int32_t mday, mon, year;
} Acc;

typedef enum IvErr { IV_OK, IV_BAD, IV_RANGE } IvErr;

static IvErr add_usec(Acc *a, double frac, int64_t scale)
{
    if (frac == 0) return IV_OK;
    frac *= (double)scale;
    int64_t us = (int64_t)frac;
    frac -= (double)us;
    us += (int64_t)rint(frac);
    return __builtin_add_overflow(a->usec, us, &a->usec) ? IV_RANGE : IV_OK;
}

static IvErr add_days_frac(Acc *a, double frac, int scale)
{
    if (frac == 0) return IV_OK;
    frac *= scale;
    int extra = (int)frac;
    if (__builtin_add_overflow(a->mday, extra, &a->mday)) return IV_RANGE;
    return add_usec(a, frac - extra, TDT_USECS_PER_DAY);
}

static IvErr add_whole_usec(Acc *a, int64_t val, double fval, int64_t scale)
{
    int64_t us;
    if (__builtin_mul_overflow(val, scale, &us) || __builtin_add_overflow(a->usec, us, &a->usec))
        return IV_RANGE;
    return add_usec(a, fval, scale);
}

/* One number with its unit (DecodeInterval's DTK_NUMBER case). */
static IvErr apply_unit(Acc *a, Unit u, int64_t val, double fval)
{
    int32_t v32;
    switch (u) {
    case U_USEC:
        return add_whole_usec(a, val, fval, 1);
    case U_MSEC:
        return add_whole_usec(a, val, fval, 1000);
    case U_SEC:
        return add_whole_usec(a, val, fval, TDT_USECS_PER_SEC);
    case U_MIN:
        return add_whole_usec(a, val, fval, USECS_PER_MINUTE);
    case U_HOUR:
        return add_whole_usec(a, val, fval, USECS_PER_HOUR);
    case U_DAY:
        if (val < INT32_MIN || val > INT32_MAX) return IV_RANGE;
        if (__builtin_add_overflow(a->mday, (int32_t)val, &a->mday)) return IV_RANGE;
        return add_usec(a, fval, TDT_USECS_PER_DAY);
    case U_WEEK:
        if (__builtin_mul_overflow(val, 7, &val) || val < INT32_MIN || val > INT32_MAX ||
            __builtin_add_overflow(a->mday, (int32_t)val, &a->mday))
            return IV_RANGE;
        return add_days_frac(a, fval, 7);
    case U_MONTH:
        if (val < INT32_MIN || val > INT32_MAX) return IV_RANGE;
        if (__builtin_add_overflow(a->mon, (int32_t)val, &a->mon)) return IV_RANGE;
        return add_days_frac(a, fval, 30);
    case U_YEAR:
    case U_DECADE:
    case U_CENTURY:
    case U_MILLENNIUM: {
        int scale = u == U_YEAR ? 1 : u == U_DECADE ? 10 : u == U_CENTURY ? 100 : 1000;
        if (__builtin_mul_overflow(val, scale, &val) || val < INT32_MIN || val > INT32_MAX)
            return IV_RANGE;
        if (__builtin_add_overflow(a->year, (int32_t)val, &a->year)) return IV_RANGE;
        v32 = (int32_t)rint(fval * scale * 12);
        return __builtin_add_overflow(a->mon, v32, &a->mon) ? IV_RANGE : IV_OK;
    }
    default:
        return IV_BAD;
    }
}

/* "[-]h:m[:s[.f]]" into µs. */
static IvErr parse_time(const char *s, int64_t *out)
{
    bool neg = *s == '-';
    if (*s == '-' || *s == '+') s++;
    char *end;
    errno = 0;
    long long h = strtoll(s, &end, 10);
    if (end == s || *end != ':') return IV_BAD;
    const char *p = end + 1;
    long long m = strtoll(p, &end, 10);
    if (end == p) return IV_BAD;
    long long sec = 0;
    double frac = 0;
    if (*end == ':') {
        p = end + 1;
        sec = strtoll(p, &end, 10);
        if (end == p) return IV_BAD;
    }
    if (*end == '.') {
        p = end;
        frac = strtod(p, &end);
        if (end == p) return IV_BAD;
        if (!(frac >= 0 && frac < 1)) return IV_RANGE;
    }
    if (*end) return IV_BAD;
    if (m < 0 || m > 59 || sec < 0 || sec > 60 || h < 0 || h > INT64_MAX / USECS_PER_HOUR)
        return IV_RANGE;
    __int128 us = (__int128)h * USECS_PER_HOUR + (__int128)m * USECS_PER_MINUTE +
                  (__int128)sec * TDT_USECS_PER_SEC + (int64_t)rint(frac * 1e6);
    /* PostgreSQL reads the most negative time back as a syntax error. */
    if (us > INT64_MAX) return neg ? IV_BAD : IV_RANGE;
    *out = (int64_t)(neg ? -us : us);
    return IV_OK;
}

/* A number field: integer part and fraction (sign carried by both). */
static IvErr parse_number(const char *s, int64_t *val, double *fval)
{
    char *end;
    errno = 0;
    const char *p = s;
    long long v = 0;
    if (*p == '.' || ((*p == '-' || *p == '+') && p[1] == '.')) {
        v = 0;
        end = (char *)(*p == '.' ? p : p + 1);
    } else {
        v = strtoll(p, &end, 10);
        if (end == p) return IV_BAD;
        if (errno == ERANGE) return IV_RANGE;
    }
    double f = 0;
    if (*end == '.') {
        const char *q = end;
        f = strtod(q, &end);
        if (!(f >= 0 && f < 1)) return IV_RANGE;
        if (*s == '-') f = -f;
    }
    if (*end) return IV_BAD;
    *val = v;
    *fval = f;
    return IV_OK;
}

static IvErr parse_iso8601(const char *s, Acc *a)
{
    /* P[nY][nM][nW][nD][T[nH][nM][nS]] with optional fractions. */
    const char *p = s + 1;
    bool in_time = false;
    if (!*p) return IV_BAD;
    while (*p) {
        if (*p == 'T' || *p == 't') {
            if (in_time) return IV_BAD;
            in_time = true;
            p++;
            continue;
        }
        char *end;
        double v = strtod(p, &end);
        if (end == p || !*end) return IV_BAD;
        if (!(v > -9.2e18 && v < 9.2e18)) return IV_RANGE;
        int64_t whole = (int64_t)v;
        double frac = v - (double)whole;
        Unit u;
        switch (toupper((unsigned char)*end)) {
        case 'Y':
            u = in_time ? U_NONE : U_YEAR;
            break;
        case 'M':
            u = in_time ? U_MIN : U_MONTH;
            break;
        case 'W':
            u = in_time ? U_NONE : U_WEEK;
            break;
        case 'D':
            u = in_time ? U_NONE : U_DAY;
            break;
        case 'H':
            u = in_time ? U_HOUR : U_NONE;
            break;
        case 'S':
            u = in_time ? U_SEC : U_NONE;
            break;
        default:
            u = U_NONE;
        }
        if (u == U_NONE) return IV_BAD;
        IvErr e = apply_unit(a, u, whole, frac);
        if (e) return e;
        p = end + 1;
    }
    return IV_OK;
}

static IvErr decode_interval(const char *s, Acc *a)
{
    const char *p = s;
    while (isspace((unsigned char)*p))
        p++;
    if (*p == 'P') return parse_iso8601(p, a);
    /* Split on whitespace (and between a number and a glued unit). */
    char fields[32][64];
    int nf = 0;
    while (*p) {
        while (isspace((unsigned char)*p) || *p == ',')
            p++;
        if (!*p) break;
        if (nf == 32) return IV_BAD;
        size_t k = 0;
        if (isalpha((unsigned char)*p) || *p == '@') {
            if (*p == '@') {
                fields[nf][k++] = *p++;
            } else {
                while (isalpha((unsigned char)*p) && k < 63)
                    fields[nf][k++] = (char)tolower((unsigned char)*p++);
            }
        } else {
            while (*p && !isspace((unsigned char)*p) && !isalpha((unsigned char)*p) && k < 63)
                fields[nf][k++] = *p++;
        }
        fields[nf][k] = '\0';
        nf++;
    }
    if (nf == 0) return IV_BAD;
    bool ago = false;
    Unit pending = U_NONE;
    bool pending_default = false; /* U_DAY implied by a following time */
    bool seen_time = false;
    unsigned used = 0; /* units seen, as bits of Unit; a time uses U_HOUR..U_USEC */
    const unsigned time_bits =
        1u << U_HOUR | 1u << U_MIN | 1u << U_SEC | 1u << U_MSEC | 1u << U_USEC;
    for (int i = nf - 1; i >= 0; i--) {
        const char *f = fields[i];
        if (isalpha((unsigned char)f[0]) || f[0] == '@') {
            Unit u = unit_of(f);
            if (u == U_NONE) return IV_BAD;
            if (u == U_AT) {
                if (i != 0) return IV_BAD;
                continue;
            }
            if (u == U_AGO) {
                if (i != nf - 1 || ago) return IV_BAD;
                ago = true;
                continue;
            }
            if (pending != U_NONE && !pending_default) return IV_BAD;
            pending = u;
            pending_default = false;
            continue;
        }
        if (strchr(f, ':')) {
            if ((pending != U_NONE && !pending_default) || seen_time || (used & time_bits))
                return IV_BAD;
            int64_t us;
            IvErr e = parse_time(f, &us);
            if (e) return e;
            if (__builtin_add_overflow(a->usec, us, &a->usec)) return IV_RANGE;
            seen_time = true;
            used |= time_bits;
            pending = U_DAY; /* a bare number before a time is days */
            pending_default = true;
            continue;
        }
        const char *dash = strchr(f + 1, '-');
        if (dash && (pending == U_NONE || pending_default)) {
            /* SQL year-month: "1-2" */
            char *end;
            long long y = strtoll(f, &end, 10);
            if (end != dash) return IV_BAD;
            long long m = strtoll(dash + 1, &end, 10);
            if (*end || m < 0 || m > 11) return m > 11 ? IV_RANGE : IV_BAD;
            if (f[0] == '-') m = -m;
            if (y < INT32_MIN || y > INT32_MAX) return IV_RANGE;
            if (used & (1u << U_YEAR | 1u << U_MONTH)) return IV_BAD;
            used |= 1u << U_YEAR | 1u << U_MONTH;
            if (__builtin_add_overflow(a->year, (int32_t)y, &a->year) ||
                __builtin_add_overflow(a->mon, (int32_t)m, &a->mon))
                return IV_RANGE;
            pending = U_NONE;
            pending_default = false;
            continue;
        }
        int64_t val;
        double fval;
        IvErr e = parse_number(f, &val, &fval);
        if (e) return e;
        Unit u = pending == U_NONE ? U_SEC : pending;
        if (used & (1u << u)) return IV_BAD;
        used |= 1u << u;
        e = apply_unit(a, u, val, fval);
        if (e) return e;
        pending = U_NONE;
        pending_default = false;
    }
    if (pending != U_NONE && !pending_default) return IV_BAD;
    if (ago) {
        if (a->usec == INT64_MIN || a->mday == INT32_MIN || a->mon == INT32_MIN ||
            a->year == INT32_MIN)
            return IV_RANGE;
        a->usec = -a->usec;
        a->mday = -a->mday;
        a->mon = -a->mon;
        a->year = -a->year;
    }
    return IV_OK;
}

int tinterval_parse(const char *s, int32_t typmod, DatumInterval *out, DbError *err)
{
    Acc a = {0, 0, 0, 0};
    IvErr e = decode_interval(s, &a);
    int32_t months = 0;
    if (e == IV_OK) {
        int64_t m = (int64_t)a.year * 12 + a.mon;
        if (m < INT32_MIN || m > INT32_MAX)
            e = IV_RANGE;
        else
            months = (int32_t)m;
    }
    if (e == IV_BAD)
        return db_error_set(err, SQLSTATE_INVALID_DATETIME_FORMAT,
                            "invalid input syntax for type interval: \"%s\"", s);
    if (e == IV_RANGE)
        return db_error_set(err, SQLSTATE_INTERVAL_FIELD_OVERFLOW,
                            "interval field value out of range: \"%s\"", s);
    out->months = months;
    out->days = a.mday;
    out->time_us = a.usec;
    return tinterval_apply_typmod(out, typmod, err);
}

int tinterval_apply_typmod(DatumInterval *iv, int32_t typmod, DbError *err)
{
    (void)err;
    if (typmod < 0) return 0;
    enum {
        MONTH = 1 << 1,
        YEAR = 1 << 2,
        DAY = 1 << 3,
        HOUR = 1 << 10,
        MINUTE = 1 << 11,
        SECOND = 1 << 12
    };
    int range = (typmod >> 16) & 0x7FFF, precision = typmod & 0xFFFF;
    if (range == YEAR) {
        iv->months = iv->months / 12 * 12;
        iv->days = 0;
        iv->time_us = 0;
    } else if (range == MONTH || range == (YEAR | MONTH)) {
        iv->days = 0;
        iv->time_us = 0;
    } else if (range == DAY) {
        iv->time_us = 0;
    } else if (range == HOUR || range == (DAY | HOUR)) {
        iv->time_us = iv->time_us / USECS_PER_HOUR * USECS_PER_HOUR;
    } else if (range == MINUTE || range == (HOUR | MINUTE) || range == (DAY | HOUR | MINUTE)) {
        iv->time_us = iv->time_us / USECS_PER_MINUTE * USECS_PER_MINUTE;
    }
    if (precision >= 0 && precision <= TYPE_TIME_MAX_PRECISION) {
        static const int64_t scales[7] = {1000000, 100000, 10000, 1000, 100, 10, 1};
        int64_t scale = scales[precision], off = scale / 2;
        if (iv->time_us >= 0)
            iv->time_us = (iv->time_us + off) / scale * scale;
        else
            iv->time_us = -((-iv->time_us + off) / scale * scale);
    }
    return 0;
}

static void add_part(StrBuf *out, int64_t value, const char *units, bool *is_zero, bool *is_before)
{
    if (value == 0) return;
    strbuf_appendf(out, "%s%s%lld %s%s", !*is_zero ? " " : "", (*is_before && value > 0) ? "+" : "",
                   (long long)value, units, value != 1 ? "s" : "");
    *is_before = value < 0;
    *is_zero = false;
}

void tinterval_format(const DatumInterval *iv, StrBuf *out)
{
    int64_t year = iv->months / 12, mon = iv->months % 12, mday = iv->days;
    int64_t t = iv->time_us;
    int64_t hour = t / USECS_PER_HOUR;
    t -= hour * USECS_PER_HOUR;
    int64_t min = t / USECS_PER_MINUTE;
    t -= min * USECS_PER_MINUTE;
    int64_t sec = t / TDT_USECS_PER_SEC, fsec = t % TDT_USECS_PER_SEC;
    bool is_zero = true, is_before = false;
    add_part(out, year, "year", &is_zero, &is_before);
    add_part(out, mon, "mon", &is_zero, &is_before);
    add_part(out, mday, "day", &is_zero, &is_before);
    if (is_zero || hour != 0 || min != 0 || sec != 0 || fsec != 0) {
        bool minus = hour < 0 || min < 0 || sec < 0 || fsec < 0;
        strbuf_appendf(out, "%s%s%02lld:%02lld:", is_zero ? "" : " ",
                       minus ? "-" : (is_before ? "+" : ""), (long long)(hour < 0 ? -hour : hour),
                       (long long)(min < 0 ? -min : min));
        tdt_append_seconds(out, sec, fsec);
    }
}
