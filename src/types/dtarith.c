/*
 * The date/time operators: date ± integer, date - date, date/timestamp/
 * timestamptz ± interval, date + time, timestamp differences (justified
 * into days and time as PostgreSQL's timestamp_mi does), time ± interval
 * (wrapping at midnight), time - time, interval ± interval, interval ×/÷
 * a number (PostgreSQL's interval_mul/interval_div carrying month and day
 * fractions down), and interval negation.  Errors are PostgreSQL's 22008
 * "date out of range" / "timestamp out of range" / "interval out of range"
 * and "cannot subtract infinite dates/timestamps".  Session zone is UTC.
 */
#include "types/types_int.h"

#include <math.h>

typedef struct OpRow {
    char op;
    uint32_t left, right, result;
} OpRow;

static const OpRow op_rows[] = {
    {'+', TYPE_DATE, TYPE_INT4, TYPE_DATE},
    {'+', TYPE_DATE, TYPE_INT2, TYPE_DATE},
    {'+', TYPE_INT4, TYPE_DATE, TYPE_DATE},
    {'+', TYPE_INT2, TYPE_DATE, TYPE_DATE},
    {'-', TYPE_DATE, TYPE_INT4, TYPE_DATE},
    {'-', TYPE_DATE, TYPE_INT2, TYPE_DATE},
    {'-', TYPE_DATE, TYPE_DATE, TYPE_INT4},
    {'+', TYPE_DATE, TYPE_INTERVAL, TYPE_TIMESTAMP},
    {'+', TYPE_INTERVAL, TYPE_DATE, TYPE_TIMESTAMP},
    {'-', TYPE_DATE, TYPE_INTERVAL, TYPE_TIMESTAMP},
    {'+', TYPE_DATE, TYPE_TIME, TYPE_TIMESTAMP},
    {'+', TYPE_TIME, TYPE_DATE, TYPE_TIMESTAMP},
    {'+', TYPE_DATE, TYPE_TIMETZ, TYPE_TIMESTAMPTZ},
    {'+', TYPE_TIMETZ, TYPE_DATE, TYPE_TIMESTAMPTZ},
    {'+', TYPE_TIMESTAMP, TYPE_INTERVAL, TYPE_TIMESTAMP},
    {'+', TYPE_INTERVAL, TYPE_TIMESTAMP, TYPE_TIMESTAMP},
    {'-', TYPE_TIMESTAMP, TYPE_INTERVAL, TYPE_TIMESTAMP},
    {'+', TYPE_TIMESTAMPTZ, TYPE_INTERVAL, TYPE_TIMESTAMPTZ},
    {'+', TYPE_INTERVAL, TYPE_TIMESTAMPTZ, TYPE_TIMESTAMPTZ},
    {'-', TYPE_TIMESTAMPTZ, TYPE_INTERVAL, TYPE_TIMESTAMPTZ},
    {'+', TYPE_TIME, TYPE_INTERVAL, TYPE_TIME},
    {'+', TYPE_INTERVAL, TYPE_TIME, TYPE_TIME},
    {'-', TYPE_TIME, TYPE_INTERVAL, TYPE_TIME},
    {'-', TYPE_TIME, TYPE_TIME, TYPE_INTERVAL},
    {'+', TYPE_TIMETZ, TYPE_INTERVAL, TYPE_TIMETZ},
    {'+', TYPE_INTERVAL, TYPE_TIMETZ, TYPE_TIMETZ},
    {'-', TYPE_TIMETZ, TYPE_INTERVAL, TYPE_TIMETZ},
    {'+', TYPE_INTERVAL, TYPE_INTERVAL, TYPE_INTERVAL},
    {'-', TYPE_INTERVAL, TYPE_INTERVAL, TYPE_INTERVAL},
};

static bool is_stamp(uint32_t oid)
{
    return oid == TYPE_DATE || oid == TYPE_TIMESTAMP || oid == TYPE_TIMESTAMPTZ;
}

static bool is_number(uint32_t oid)
{
    return oid == TYPE_INT2 || oid == TYPE_INT4 || oid == TYPE_INT8 || oid == TYPE_FLOAT4 ||
           oid == TYPE_FLOAT8 || oid == TYPE_NUMERIC;
}

bool tdt_arith_result(char op, uint32_t left, uint32_t right, uint32_t *result)
{
    for (size_t i = 0; i < sizeof op_rows / sizeof op_rows[0]; i++) {
        if (op_rows[i].op == op && op_rows[i].left == left && op_rows[i].right == right) {
            *result = op_rows[i].result;
            return true;
        }
    }
    /* Differences of two points in time (date and timestamp promote). */
    if (op == '-' && is_stamp(left) && is_stamp(right)) {
        *result = TYPE_INTERVAL;
        return true;
    }
    if ((op == '*' && left == TYPE_INTERVAL && is_number(right)) ||
        (op == '*' && is_number(left) && right == TYPE_INTERVAL) ||
        (op == '/' && left == TYPE_INTERVAL && is_number(right))) {
        *result = TYPE_INTERVAL;
        return true;
    }
    return false;
}

static int date_range(DbError *err)
{
    return db_error_set(err, SQLSTATE_DATETIME_VALUE_OUT_OF_RANGE, "date out of range");
}

static int ts_range(DbError *err)
{
    return db_error_set(err, SQLSTATE_DATETIME_VALUE_OUT_OF_RANGE, "timestamp out of range");
}

static int interval_range(DbError *err)
{
    return db_error_set(err, SQLSTATE_DATETIME_VALUE_OUT_OF_RANGE, "interval out of range");
}

static bool date_finite(int64_t d)
{
    return d != TDT_DATE_NOBEGIN && d != TDT_DATE_NOEND;
}

static bool ts_finite(int64_t t)
{
    return t != TDT_TS_NOBEGIN && t != TDT_TS_NOEND;
}

/* date → timestamp (date2timestamp). */
static int date_to_ts(int64_t d, int64_t *out, DbError *err)
{
    Datum in = datum_int(TYPE_DATE, d), r;
    if (tdt_cast(&in, TYPE_TIMESTAMP, &r, err) != 0) return -1;
    *out = r.v.i;
    return 0;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/* timestamp_pl_interval: months by calendar (clamping the day to the new
 * month's length), then days, then microseconds. */
static int ts_plus_interval(int64_t ts, const DatumInterval *iv, int64_t *out, DbError *err)
{
    if (!ts_finite(ts)) {
        *out = ts;
        return 0;
    }
    int64_t days = floor_div(ts, TDT_USECS_PER_DAY);
    int64_t tod = ts - days * TDT_USECS_PER_DAY;
    if (iv->months != 0) {
        int64_t y;
        int m, d;
        tdt_ymd_from_days(days, &y, &m, &d);
        int64_t mon = (int64_t)m - 1 + iv->months;
        y += floor_div(mon, 12);
        m = (int)(mon - floor_div(mon, 12) * 12) + 1;
        if (d > tdt_days_in_month(y, m)) d = tdt_days_in_month(y, m);
        days = tdt_days_from_ymd(y, m, d);
        __int128 check = (__int128)days * TDT_USECS_PER_DAY;
        if (check < TDT_MIN_TIMESTAMP || check >= TDT_END_TIMESTAMP) return ts_range(err);
    }
    __int128 r = ((__int128)days + iv->days) * TDT_USECS_PER_DAY + tod + iv->time_us;
    if (r < TDT_MIN_TIMESTAMP || r >= TDT_END_TIMESTAMP) return ts_range(err);
    *out = (int64_t)r;
    return 0;
}

static int interval_add(const DatumInterval *a, const DatumInterval *b, int sign,
                        DatumInterval *out, DbError *err)
{
    int32_t months = b->months, days = b->days;
    int64_t t = b->time_us;
    if (sign < 0) {
        if (months == INT32_MIN || days == INT32_MIN || t == INT64_MIN) return interval_range(err);
        months = -months;
        days = -days;
        t = -t;
    }
    if (__builtin_add_overflow(a->months, months, &out->months) ||
        __builtin_add_overflow(a->days, days, &out->days) ||
        __builtin_add_overflow(a->time_us, t, &out->time_us))
        return interval_range(err);
    return 0;
}

int tdt_interval_negate(const DatumInterval *in, DatumInterval *out, DbError *err)
{
    DatumInterval zero = {0, 0, 0};
    return interval_add(&zero, in, -1, out, err);
}

static double number_of(const Datum *d)
{
    if (d->type == TYPE_FLOAT4 || d->type == TYPE_FLOAT8) return d->v.f;
    if (d->type == TYPE_NUMERIC) return tnum_to_double(d->v.s);
    return (double)d->v.i;
}

static double ts_round(double j)
{
    return rint(j * 1000000.0) / 1000000.0;
}

static bool fits_i32(double v)
{
    return !isnan(v) && v >= -2147483648.0 && v < 2147483648.0;
}

/* interval_mul / interval_div: whole months and days stay, fractions of a
 * month (as 30 days) and of a day (as 86400 s) carry down. */
static int interval_scale(const DatumInterval *iv, double factor, bool divide, DatumInterval *out,
                          DbError *err)
{
    if (divide && factor == 0.0)
        return db_error_set(err, SQLSTATE_DIVISION_BY_ZERO, "division by zero");
    double fm = divide ? iv->months / factor : iv->months * factor;
    double fd = divide ? iv->days / factor : iv->days * factor;
    if (!fits_i32(fm) || !fits_i32(fd)) return interval_range(err);
    out->months = (int32_t)fm;
    out->days = (int32_t)fd;
    double month_rem_days = ts_round((fm - out->months) * 30.0);
    double sec_rem = ts_round((fd - out->days + month_rem_days - (int)month_rem_days) * 86400.0);
    if (fabs(sec_rem) >= 86400.0) {
        if (__builtin_add_overflow(out->days, (int32_t)(sec_rem / 86400.0), &out->days))
            return interval_range(err);
        sec_rem -= (int)(sec_rem / 86400.0) * 86400.0;
    }
    if (__builtin_add_overflow(out->days, (int32_t)month_rem_days, &out->days))
        return interval_range(err);
    double t = rint((divide ? iv->time_us / factor : iv->time_us * factor) + sec_rem * 1e6);
    if (isnan(t) || t < -9223372036854775808.0 || t >= 9223372036854775808.0)
        return interval_range(err);
    out->time_us = (int64_t)t;
    return 0;
}

/* timestamp_mi: the difference in microseconds, then whole days moved out
 * (interval_justify_hours). */
static int ts_diff(int64_t a, int64_t b, DatumInterval *out, DbError *err)
{
    if (!ts_finite(a) || !ts_finite(b))
        return db_error_set(err, SQLSTATE_DATETIME_VALUE_OUT_OF_RANGE,
                            "cannot subtract infinite timestamps");
    int64_t t;
    if (__builtin_sub_overflow(a, b, &t)) return interval_range(err);
    int64_t whole = t / TDT_USECS_PER_DAY;
    t -= whole * TDT_USECS_PER_DAY;
    out->months = 0;
    out->days = (int32_t)whole;
    out->time_us = t;
    if (out->days > 0 && t < 0) {
        out->time_us += TDT_USECS_PER_DAY;
        out->days--;
    } else if (out->days < 0 && t > 0) {
        out->time_us -= TDT_USECS_PER_DAY;
        out->days++;
    }
    return 0;
}

static int64_t time_wrap(int64_t t)
{
    t -= t / TDT_USECS_PER_DAY * TDT_USECS_PER_DAY;
    return t < 0 ? t + TDT_USECS_PER_DAY : t;
}

static int stamp_of(const Datum *d, int64_t *out, DbError *err)
{
    if (d->type == TYPE_DATE) return date_to_ts(d->v.i, out, err);
    *out = d->v.i;
    return 0;
}

int tdt_arith(char op, const Datum *a, const Datum *b, uint32_t rt, MemContext *cx, Datum *out,
              DbError *err)
{
    (void)cx;
    uint32_t l = a->type, r = b->type;
    /* Put the interval, the integer or the time second in the
     * commutative forms. */
    bool swap = op == '+' &&
                (l == TYPE_INT2 || l == TYPE_INT4 || (l == TYPE_INTERVAL && r != TYPE_INTERVAL) ||
                 ((l == TYPE_TIME || l == TYPE_TIMETZ) && r == TYPE_DATE));
    if (swap) {
        const Datum *t = a;
        a = b;
        b = t;
        l = a->type;
        r = b->type;
    }
    if (op == '*' && l != TYPE_INTERVAL) {
        const Datum *t = a;
        a = b;
        b = t;
        l = a->type;
        r = b->type;
    }
    DatumInterval neg;
    const DatumInterval *iv = r == TYPE_INTERVAL ? &b->v.interval : NULL;
    if (iv && op == '-' && l != TYPE_INTERVAL) {
        if (tdt_interval_negate(iv, &neg, err) != 0) return -1;
        iv = &neg;
    }
    switch (l) {
    case TYPE_DATE:
        if (r == TYPE_INT2 || r == TYPE_INT4) {
            int64_t n = op == '+' ? b->v.i : -b->v.i;
            if (!date_finite(a->v.i)) {
                out->v.i = a->v.i;
                return 0;
            }
            int64_t d = a->v.i + n;
            if (d < TDT_DATE_MIN || d >= TDT_DATE_END) return date_range(err);
            out->v.i = d;
            return 0;
        }
        if (r == TYPE_DATE && rt == TYPE_INT4) {
            if (!date_finite(a->v.i) || !date_finite(b->v.i))
                return db_error_set(err, SQLSTATE_DATETIME_VALUE_OUT_OF_RANGE,
                                    "cannot subtract infinite dates");
            out->v.i = a->v.i - b->v.i;
            return 0;
        }
        if (r == TYPE_TIME || r == TYPE_TIMETZ) {
            int64_t ts;
            if (date_to_ts(a->v.i, &ts, err) != 0) return -1;
            if (ts_finite(ts)) {
                ts += r == TYPE_TIME ? b->v.i
                                     : b->v.timetz.time_us +
                                           (int64_t)b->v.timetz.zone_seconds * TDT_USECS_PER_SEC;
                if (!tdt_ts_valid(ts)) return ts_range(err);
            }
            out->v.i = ts;
            return 0;
        }
        /* date ± interval and date - timestamp work on the timestamp. */
        /* fall through */
    case TYPE_TIMESTAMP:
    case TYPE_TIMESTAMPTZ: {
        int64_t ts;
        if (stamp_of(a, &ts, err) != 0) return -1;
        if (iv) return ts_plus_interval(ts, iv, &out->v.i, err);
        int64_t other;
        if (stamp_of(b, &other, err) != 0) return -1;
        return ts_diff(ts, other, &out->v.interval, err);
    }
    case TYPE_TIME:
        if (r == TYPE_TIME) {
            out->v.interval = (DatumInterval){.time_us = a->v.i - b->v.i, .days = 0, .months = 0};
            return 0;
        }
        out->v.i = time_wrap(a->v.i + iv->time_us);
        return 0;
    case TYPE_TIMETZ:
        out->v.timetz = a->v.timetz;
        out->v.timetz.time_us = time_wrap(a->v.timetz.time_us + iv->time_us);
        return 0;
    case TYPE_INTERVAL:
        if (r == TYPE_INTERVAL)
            return interval_add(&a->v.interval, &b->v.interval, op == '-' ? -1 : 1,
                                &out->v.interval, err);
        return interval_scale(&a->v.interval, number_of(b), op == '/', &out->v.interval, err);
    default:
        return db_error_set(err, SQLSTATE_INTERNAL_ERROR, "unhandled date/time operator");
    }
}
