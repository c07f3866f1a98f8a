/*
 * The date/time types' casts and typmods: date (days since 2000-01-01,
 * ±infinity as INT32_MIN/MAX), time (µs since midnight), timetz, timestamp
 * and timestamptz (µs since 2000-01-01 00:00:00, ±infinity as
 * INT64_MIN/MAX) and interval.  The session time zone is UTC, so
 * timestamp and timestamptz convert without shifting.
 */
#include "types/types_int.h"

#define USECS_PER_DAY TDT_USECS_PER_DAY
/* Day bounds of timestamp relative to 2000-01-01 (PostgreSQL's
 * DATETIME_MIN_JULIAN and TIMESTAMP_END_JULIAN - POSTGRES_EPOCH_JDATE). */
#define TS_MIN_DAYS (-2451545)
#define TS_END_DAYS (109203528 - 2451545)

/* Days from 1970-01-01 of a proleptic Gregorian date (the classic
 * era-based conversion: 400-year eras of 146097 days, years starting in
 * March so the leap day comes last). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

/* 2000-01-01 is day 10957 from 1970-01-01. */
#define EPOCH_2000_FROM_1970 10957

int64_t tdt_days_from_ymd(int64_t y, int m, int d)
{
    return days_from_civil(y, m, d) - EPOCH_2000_FROM_1970;
}

void tdt_ymd_from_days(int64_t days, int64_t *y, int *m, int *d)
{
    civil_from_days(days + EPOCH_2000_FROM_1970, y, m, d);
}

static bool is_leap(int64_t y)
{
    return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

int tdt_days_in_month(int64_t y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

bool tdt_ts_valid(int64_t ts)
{
    return ts >= TDT_MIN_TIMESTAMP && ts < TDT_END_TIMESTAMP;
}

bool tdt_is_datetime(uint32_t oid)
{
    return oid == TYPE_DATE || oid == TYPE_TIME || oid == TYPE_TIMETZ || oid == TYPE_TIMESTAMP ||
           oid == TYPE_TIMESTAMPTZ || oid == TYPE_INTERVAL;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

static int64_t floor_mod(int64_t a, int64_t b)
{
    int64_t m = a % b;
    return m < 0 ? m + b : m;
}

int tdt_cast(const Datum *in, uint32_t target, Datum *out, DbError *err)
{
    uint32_t from = in->type;
    *out = (Datum){.type = target, .is_null = false};
    switch (from) {
    case TYPE_DATE:
        /* → timestamp / timestamptz */
        if (in->v.i == INT32_MIN)
            out->v.i = INT64_MIN;
        else if (in->v.i == INT32_MAX)
            out->v.i = INT64_MAX;
        else if (in->v.i < TS_MIN_DAYS || in->v.i >= TS_END_DAYS)
            return db_error_set(err, SQLSTATE_DATETIME_VALUE_OUT_OF_RANGE,
                                "date out of range for timestamp");
        else
            out->v.i = in->v.i * USECS_PER_DAY;
        return 0;
    case TYPE_TIMESTAMP:
    case TYPE_TIMESTAMPTZ:
        switch (target) {
        case TYPE_TIMESTAMP:
        case TYPE_TIMESTAMPTZ:
            out->v.i = in->v.i;
            return 0;
        case TYPE_DATE:
            if (in->v.i == INT64_MIN)
                out->v.i = INT32_MIN;
            else if (in->v.i == INT64_MAX)
                out->v.i = INT32_MAX;
            else
                out->v.i = floor_div(in->v.i, USECS_PER_DAY);
            return 0;
        case TYPE_TIME:
        case TYPE_TIMETZ:
            if (in->v.i == INT64_MIN || in->v.i == INT64_MAX) {
                /* PostgreSQL returns NULL for infinite timestamps here. */
                *out = datum_null(target);
                return 0;
            }
            if (target == TYPE_TIME) {
                out->v.i = floor_mod(in->v.i, USECS_PER_DAY);
            } else {
                out->v.timetz.time_us = floor_mod(in->v.i, USECS_PER_DAY);
                out->v.timetz.zone_seconds = 0;
            }
            return 0;
        default:
            break;
        }
        break;
    case TYPE_TIME:
        if (target == TYPE_INTERVAL) {
            out->v.interval = (DatumInterval){.time_us = in->v.i, .days = 0, .months = 0};
            return 0;
        }
        if (target == TYPE_TIMETZ) {
            out->v.timetz.time_us = in->v.i;
            out->v.timetz.zone_seconds = 0;
            return 0;
        }
        break;
    case TYPE_TIMETZ:
        if (target == TYPE_TIME) {
            out->v.i = in->v.timetz.time_us;
            return 0;
        }
        break;
    case TYPE_INTERVAL:
        if (target == TYPE_TIME) {
            out->v.i = floor_mod(in->v.interval.time_us, USECS_PER_DAY);
            return 0;
        }
        break;
    default:
        break;
    }
    return db_error_set(err, SQLSTATE_CANNOT_COERCE, "cannot cast between these date/time types");
}

static const int64_t time_scales[7] = {1000000, 100000, 10000, 1000, 100, 10, 1};

/* Rounds µs to typmod fractional digits, half away from zero. */
static int64_t round_us(int64_t t, int32_t typmod)
{
    int64_t scale = time_scales[typmod], offset = scale / 2;
    if (t >= 0) return ((t + offset) / scale) * scale;
    return -((((-t) + offset) / scale) * scale);
}

int tdt_apply_typmod(Datum *d, int32_t typmod, DbError *err)
{
    switch (d->type) {
    case TYPE_TIMESTAMP:
    case TYPE_TIMESTAMPTZ:
        if (typmod >= 0 && typmod <= TYPE_TIME_MAX_PRECISION && d->v.i != INT64_MIN &&
            d->v.i != INT64_MAX)
            d->v.i = round_us(d->v.i, typmod);
        return 0;
    case TYPE_TIME:
        if (typmod >= 0 && typmod <= TYPE_TIME_MAX_PRECISION) d->v.i = round_us(d->v.i, typmod);
        return 0;
    case TYPE_TIMETZ:
        if (typmod >= 0 && typmod <= TYPE_TIME_MAX_PRECISION)
            d->v.timetz.time_us = round_us(d->v.timetz.time_us, typmod);
        return 0;
    case TYPE_INTERVAL:
        return tinterval_apply_typmod(&d->v.interval, typmod, err);
    default:
        return 0;
    }
}
