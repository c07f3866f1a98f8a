/*
 * Date/time functions: extract(field FROM source) and date_part (numeric
 * and double results, as PostgreSQL 14+), and date_trunc.  Sources are
 * date, timestamp and timestamptz (the session time zone is UTC, so a
 * timestamptz's fields are its UTC fields).  Calendar arithmetic comes from
 * types/ (type_date_to_ymd).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "exec/exec.h"

#define USECS_PER_DAY 86400000000LL
#define DAYS_2000_TO_1970 10957 /* 2000-01-01 is day 10957 of the Unix epoch */

typedef struct Fields {
    int64_t year;
    int month, day, hour, minute;
    int64_t usec; /* microseconds within the minute */
    int64_t days; /* days since 2000-01-01 */
    int64_t time_us;
} Fields;

static void split(int64_t us, Fields *f)
{
    int64_t days = us >= 0 ? us / USECS_PER_DAY : -((-us + USECS_PER_DAY - 1) / USECS_PER_DAY);
    int64_t tod = us - days * USECS_PER_DAY;
    f->days = days;
    f->time_us = tod;
    type_date_to_ymd(days, &f->year, &f->month, &f->day);
    f->hour = (int)(tod / 3600000000LL);
    f->minute = (int)(tod / 60000000LL % 60);
    f->usec = tod % 60000000LL;
}

static int unit_error(DbError *err, const char *unit, uint32_t type, MemContext *cx)
{
    return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                        "unit \"%s\" not supported for type %s", unit,
                        type_format_name(type, -1, cx));
}

static char *lower_copy(MemContext *cx, const Datum *d)
{
    char *s = mem_strndup(cx, d->v.s.ptr, d->v.s.len);
    for (char *p = s; *p; p++)
        if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
    return s;
}

/* The field as decimal text (micro-second precision where PostgreSQL has
 * it). */
static int field_text(const char *unit, const Datum *src, MemContext *cx, StrBuf *out, DbError *err)
{
    bool is_date = src->type == TYPE_DATE;
    Fields f;
    split(is_date ? src->v.i * USECS_PER_DAY : src->v.i, &f);
    int dow = (int)(((f.days + 6) % 7 + 7) % 7); /* 2000-01-01 was a Saturday (6) */
    if (strcmp(unit, "year") == 0 || strcmp(unit, "years") == 0)
        strbuf_appendf(out, "%lld", (long long)(f.year > 0 ? f.year : f.year - 1));
    else if (strcmp(unit, "month") == 0 || strcmp(unit, "mon") == 0 || strcmp(unit, "months") == 0)
        strbuf_appendf(out, "%d", f.month);
    else if (strcmp(unit, "day") == 0 || strcmp(unit, "days") == 0)
        strbuf_appendf(out, "%d", f.day);
    else if (strcmp(unit, "quarter") == 0)
        strbuf_appendf(out, "%d", (f.month - 1) / 3 + 1);
    else if (strcmp(unit, "dow") == 0)
        strbuf_appendf(out, "%d", dow);
    else if (strcmp(unit, "isodow") == 0)
        strbuf_appendf(out, "%d", dow == 0 ? 7 : dow);
    else if (strcmp(unit, "doy") == 0)
        strbuf_appendf(out, "%lld", (long long)(f.days - type_date_from_ymd(f.year, 1, 1) + 1));
    else if (strcmp(unit, "decade") == 0)
        strbuf_appendf(out, "%lld", (long long)(f.year >= 0 ? f.year / 10 : -((9 - f.year) / 10)));
    else if (strcmp(unit, "century") == 0)
        strbuf_appendf(
            out, "%lld",
            (long long)(f.year > 0 ? (f.year + 99) / 100 : -((99 - (f.year - 1)) / 100)));
    else if (strcmp(unit, "millennium") == 0)
        strbuf_appendf(
            out, "%lld",
            (long long)(f.year > 0 ? (f.year + 999) / 1000 : -((999 - (f.year - 1)) / 1000)));
    else if (strcmp(unit, "epoch") == 0) {
        int64_t us = is_date ? src->v.i * USECS_PER_DAY : src->v.i;
        int64_t unix_us = us + (int64_t)DAYS_2000_TO_1970 * USECS_PER_DAY;
        if (is_date) {
            strbuf_appendf(out, "%lld", (long long)(unix_us / 1000000));
        } else {
            int64_t secs = unix_us >= 0 ? unix_us / 1000000 : -((-unix_us + 999999) / 1000000);
            strbuf_appendf(out, "%s%lld.%06lld", secs < 0 && unix_us % 1000000 ? "" : "",
                           (long long)secs, (long long)(unix_us - secs * 1000000));
        }
    } else if (is_date) {
        return unit_error(err, unit, src->type, cx);
    } else if (strcmp(unit, "hour") == 0 || strcmp(unit, "hours") == 0)
        strbuf_appendf(out, "%d", f.hour);
    else if (strcmp(unit, "minute") == 0 || strcmp(unit, "minutes") == 0)
        strbuf_appendf(out, "%d", f.minute);
    else if (strcmp(unit, "second") == 0 || strcmp(unit, "seconds") == 0)
        strbuf_appendf(out, "%lld.%06lld", (long long)(f.usec / 1000000),
                       (long long)(f.usec % 1000000));
    else if (strcmp(unit, "millisecond") == 0 || strcmp(unit, "milliseconds") == 0)
        strbuf_appendf(out, "%lld.%03lld", (long long)(f.usec / 1000), (long long)(f.usec % 1000));
    else if (strcmp(unit, "microsecond") == 0 || strcmp(unit, "microseconds") == 0)
        strbuf_appendf(out, "%lld", (long long)f.usec);
    else
        return db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE,
                            "unit \"%s\" not recognized for type %s", unit,
                            type_format_name(src->type, -1, cx));
    return 0;
}

int exec_date_func(ExecContext *ec, const Expr *e, const Datum *args, Datum *out, DbError *err)
{
    for (size_t i = 0; i < e->n_args; i++)
        if (args[i].is_null) {
            *out = datum_null(e->type);
            return 0;
        }
    const char *unit = lower_copy(ec->cx, &args[0]);
    if (e->func == FUNC_DATE_TRUNC) {
        if (args[1].type == TYPE_DATE) return unit_error(err, unit, args[1].type, ec->cx);
        Fields f;
        split(args[1].v.i, &f);
        int64_t day0 = f.days * USECS_PER_DAY;
        int64_t v;
        if (strcmp(unit, "microseconds") == 0)
            v = args[1].v.i;
        else if (strcmp(unit, "milliseconds") == 0)
            v = day0 + f.time_us / 1000 * 1000;
        else if (strcmp(unit, "second") == 0)
            v = day0 + f.time_us / 1000000 * 1000000;
        else if (strcmp(unit, "minute") == 0)
            v = day0 + f.time_us / 60000000 * 60000000;
        else if (strcmp(unit, "hour") == 0)
            v = day0 + f.time_us / 3600000000LL * 3600000000LL;
        else if (strcmp(unit, "day") == 0)
            v = day0;
        else if (strcmp(unit, "week") == 0) {
            int dow = (int)(((f.days + 6) % 7 + 7) % 7);
            v = (f.days - (dow == 0 ? 6 : dow - 1)) * USECS_PER_DAY;
        } else if (strcmp(unit, "month") == 0)
            v = type_date_from_ymd(f.year, f.month, 1) * USECS_PER_DAY;
        else if (strcmp(unit, "quarter") == 0)
            v = type_date_from_ymd(f.year, (f.month - 1) / 3 * 3 + 1, 1) * USECS_PER_DAY;
        else if (strcmp(unit, "year") == 0)
            v = type_date_from_ymd(f.year, 1, 1) * USECS_PER_DAY;
        else if (strcmp(unit, "decade") == 0)
            v = type_date_from_ymd(f.year - ((f.year % 10) + 10) % 10, 1, 1) * USECS_PER_DAY;
        else if (strcmp(unit, "century") == 0)
            v = type_date_from_ymd(f.year > 0 ? ((f.year - 1) / 100) * 100 + 1 : f.year, 1, 1) *
                USECS_PER_DAY;
        else
            return db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE,
                                "unit \"%s\" not recognized for type %s", unit,
                                type_format_name(args[1].type, -1, ec->cx));
        *out = datum_int(args[1].type, v);
        return 0;
    }
    StrBuf text;
    strbuf_init(&text);
    int rc = field_text(unit, &args[1], ec->cx, &text, err);
    if (rc == 0) {
        uint32_t t = e->func == FUNC_EXTRACT ? TYPE_NUMERIC : TYPE_FLOAT8;
        rc = type_input(t, -1, text.data, text.len, ec->cx, out, err);
    }
    strbuf_fini(&text);
    return rc;
}
