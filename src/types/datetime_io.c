/*
 * Text input and output of date, time, timetz, timestamp and timestamptz
 * (DateStyle ISO, MDY; TimeZone UTC).  Input follows PostgreSQL's two
 * passes: split the string into typed fields (ParseDateTime: numbers,
 * dates with - / . separators, h:m:s times, signed zones, words), then
 * decode them (DecodeDateTime): ISO, MDY and month-name dates, YYYYMMDD,
 * times with fractions and AM/PM, BC/AD, 'T' separators, zones (Z, UTC,
 * GMT, ±hh[:mm[:ss]], a few fixed abbreviations), and the special words
 * epoch, infinity, -infinity, now, today, tomorrow, yesterday, allballs.
 * Errors carry PostgreSQL's SQLSTATEs and texts (22007 invalid syntax,
 * 22008 field value / date / timestamp out of range, with the datestyle
 * hint, 22009 zone displacement, 22023 unknown zone).  Named zones from
 * the tz database (America/New_York) are not supported.  Intervals are in
 * interval.c.
 */
#include "types/types_int.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_FIELDS 25
#define FIELD_LEN 64

typedef enum FieldType { F_NUMBER, F_DATE, F_TIME, F_TZ, F_STRING, F_SPECIAL } FieldType;

typedef struct Field {
    FieldType type;
    char s[FIELD_LEN];
} Field;

typedef enum DtErr {
    DTERR_OK = 0,
    DTERR_BAD_FORMAT,
    DTERR_FIELD_OVERFLOW,
    DTERR_MD_FIELD_OVERFLOW,
    DTERR_TZDISP_OVERFLOW,
    DTERR_BAD_TIMEZONE,
} DtErr;

/* Splits s into fields (PostgreSQL's ParseDateTime). */
static DtErr split_fields(const char *s, Field *f, int *nf)
{
    const char *cp = s;
    int n = 0;
    while (*cp) {
        if (isspace((unsigned char)*cp)) {
            cp++;
            continue;
        }
        if (n >= MAX_FIELDS) return DTERR_BAD_FORMAT;
        char *b = f[n].s, *end = f[n].s + FIELD_LEN - 1;
#define PUT(c)                                                                                     \
    do {                                                                                           \
        if (b >= end) return DTERR_BAD_FORMAT;                                                     \
        *b++ = (c);                                                                                \
    } while (0)
        if (isdigit((unsigned char)*cp)) {
            PUT(*cp++);
            while (isdigit((unsigned char)*cp))
                PUT(*cp++);
            if (*cp == ':') {
                f[n].type = F_TIME;
                PUT(*cp++);
                while (isdigit((unsigned char)*cp) || *cp == ':' || *cp == '.')
                    PUT(*cp++);
            } else if (*cp == '-' || *cp == '/' || *cp == '.') {
                char delim = *cp;
                PUT(*cp++);
                if (isdigit((unsigned char)*cp)) {
                    f[n].type = delim == '.' ? F_NUMBER : F_DATE;
                    while (isdigit((unsigned char)*cp))
                        PUT(*cp++);
                    if (*cp == delim) {
                        f[n].type = F_DATE;
                        PUT(*cp++);
                        while (isdigit((unsigned char)*cp) || *cp == delim)
                            PUT(*cp++);
                    }
                } else {
                    f[n].type = F_DATE;
                    while (isalnum((unsigned char)*cp) || *cp == delim)
                        PUT((char)tolower((unsigned char)*cp++));
                }
            } else {
                f[n].type = F_NUMBER;
            }
        } else if (*cp == '.') {
            PUT(*cp++);
            while (isdigit((unsigned char)*cp))
                PUT(*cp++);
            f[n].type = F_NUMBER;
        } else if (isalpha((unsigned char)*cp)) {
            f[n].type = F_STRING;
            while (isalpha((unsigned char)*cp))
                PUT((char)tolower((unsigned char)*cp++));
            bool is_date = *cp == '-' || *cp == '/' || *cp == '.';
            if (*cp == '+' || isdigit((unsigned char)*cp)) {
                /* "t10:00" keeps 't' a keyword; other words run on as a
                 * zone name or a date. */
                *b = '\0';
                if (strcmp(f[n].s, "t") != 0) is_date = true;
            }
            if (is_date) {
                f[n].type = F_DATE;
                do {
                    PUT((char)tolower((unsigned char)*cp++));
                } while (*cp == '+' || *cp == '-' || *cp == '/' || *cp == '_' || *cp == '.' ||
                         *cp == ':' || isalnum((unsigned char)*cp));
            }
        } else if (*cp == '+' || *cp == '-') {
            PUT(*cp++);
            while (isspace((unsigned char)*cp))
                cp++;
            if (isdigit((unsigned char)*cp)) {
                f[n].type = F_TZ;
                PUT(*cp++);
                while (isdigit((unsigned char)*cp) || *cp == ':' || *cp == '.' || *cp == '-')
                    PUT(*cp++);
            } else if (isalpha((unsigned char)*cp)) {
                f[n].type = F_SPECIAL;
                while (isalpha((unsigned char)*cp))
                    PUT((char)tolower((unsigned char)*cp++));
            } else {
                return DTERR_BAD_FORMAT;
            }
        } else if (ispunct((unsigned char)*cp)) {
            cp++;
            continue;
        } else {
            return DTERR_BAD_FORMAT;
        }
#undef PUT
        *b = '\0';
        n++;
    }
    *nf = n;
    return DTERR_OK;
}

static const char *const month_names[12] = {"jan", "feb", "mar", "apr", "may", "jun",
                                            "jul", "aug", "sep", "oct", "nov", "dec"};
static const char *const month_full[12] = {"january",   "february", "march",    "april",
                                           "may",       "june",     "july",     "august",
                                           "september", "october",  "november", "december"};
static const char *const day_words[] = {
    "sun",    "sunday", "mon",  "monday", "tue",      "tues", "tuesday", "wed", "wednesday",
    "wednes", "thu",    "thur", "thurs",  "thursday", "fri",  "friday",  "sat", "saturday"};

static int month_of(const char *w)
{
    for (int i = 0; i < 12; i++)
        if (strcmp(w, month_names[i]) == 0 || strcmp(w, month_full[i]) == 0 ||
            (i == 8 && strcmp(w, "sept") == 0))
            return i + 1;
    return 0;
}

static bool is_day_word(const char *w)
{
    for (size_t i = 0; i < sizeof day_words / sizeof day_words[0]; i++)
        if (strcmp(w, day_words[i]) == 0) return true;
    return false;
}

/* Fixed-offset zone abbreviations (seconds east of UTC). */
static bool zone_abbrev(const char *w, int *east)
{
    static const struct {
        const char *name;
        int east;
    } zones[] = {
        {"utc", 0},         {"gmt", 0},         {"z", 0},           {"zulu", 0},
        {"ut", 0},          {"est", -5 * 3600}, {"edt", -4 * 3600}, {"cst", -6 * 3600},
        {"cdt", -5 * 3600}, {"mst", -7 * 3600}, {"mdt", -6 * 3600}, {"pst", -8 * 3600},
        {"pdt", -7 * 3600}, {"cet", 3600},      {"cest", 7200},     {"eet", 7200},
        {"eest", 10800},    {"bst", 3600},      {"jst", 9 * 3600},  {"ist", 7200},
    };
    for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++) {
        if (strcmp(w, zones[i].name) == 0) {
            *east = zones[i].east;
            return true;
        }
    }
    return false;
}

typedef struct Tm {
    int64_t year;
    int mon, mday, hour, min, sec;
    int64_t fsec; /* µs */
    bool has_year, has_mon, has_mday, has_time, has_tz, bc, year2;
    bool time_only; /* decoding for time/timetz: lone numbers are hhmmss */
    int ampm;       /* 0 none, 1 am, 2 pm */
    int tz_east;
    const char *special;
} Tm;

static bool all_digits(const char *s, size_t n)
{
    if (n == 0) return false;
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i])) return false;
    return true;
}

static DtErr set_year(Tm *tm, const char *s, size_t n)
{
    if (tm->has_year || n > 9) return DTERR_BAD_FORMAT;
    char buf[16];
    memcpy(buf, s, n);
    buf[n] = '\0';
    tm->year = strtoll(buf, NULL, 10);
    tm->year2 = n <= 2;
    tm->has_year = true;
    return DTERR_OK;
}

/* "h:m[:s[.f]]" into tm (DecodeTime). */
static DtErr decode_time(const char *s, Tm *tm)
{
    if (tm->has_time) return DTERR_BAD_FORMAT;
    char *end;
    long h = strtol(s, &end, 10);
    if (*end != ':') return DTERR_BAD_FORMAT;
    long m = strtol(end + 1, &end, 10);
    long sec = 0;
    double frac = 0;
    if (*end == ':') {
        const char *p = end + 1;
        sec = strtol(p, &end, 10);
        if (end == p) return DTERR_BAD_FORMAT;
        if (*end == '.') {
            p = end;
            frac = strtod(p, &end);
            if (end == p) return DTERR_BAD_FORMAT;
            if (!(frac >= 0 && frac < 1)) return DTERR_FIELD_OVERFLOW;
        }
    } else if (*end == '.') {
        /* "mm:ss.f" is minutes and seconds in PostgreSQL. */
        const char *p = end;
        frac = strtod(p, &end);
        if (!(frac >= 0 && frac < 1)) return DTERR_FIELD_OVERFLOW;
        sec = m;
        m = h;
        h = 0;
    }
    if (*end != '\0') return DTERR_BAD_FORMAT;
    if (h > INT32_MAX || m > INT32_MAX || sec > INT32_MAX) return DTERR_FIELD_OVERFLOW;
    tm->hour = (int)h;
    tm->min = (int)m;
    tm->sec = (int)sec;
    tm->fsec = (int64_t)rint(frac * 1000000.0);
    tm->has_time = true;
    return DTERR_OK;
}

/* ±hh[:mm[:ss]] or ±hhmm (DecodeTimezone). */
static DtErr decode_zone(const char *s, int *east)
{
    int sign = s[0] == '-' ? -1 : 1;
    const char *p = s + 1;
    char *end;
    long h = strtol(p, &end, 10), m = 0, sec = 0;
    if (*end == ':') {
        m = strtol(end + 1, &end, 10);
        if (*end == ':') sec = strtol(end + 1, &end, 10);
    } else if (*end == '\0' && end - p > 2) {
        long v = h;
        if (end - p <= 4) {
            h = v / 100;
            m = v % 100;
        } else {
            h = v / 10000;
            m = (v / 100) % 100;
            sec = v % 100;
        }
    }
    if (*end != '\0') return DTERR_BAD_FORMAT;
    if (h < 0 || h > 15) return DTERR_TZDISP_OVERFLOW;
    if (m < 0 || m >= 60) return DTERR_TZDISP_OVERFLOW;
    if (sec < 0 || sec >= 60) return DTERR_TZDISP_OVERFLOW;
    *east = sign * (int)((h * 60 + m) * 60 + sec);
    return DTERR_OK;
}

/* A date field: "2000-01-02", "1/2/2000", "jan-02-2000", "2000-jan-02". */
static DtErr decode_date(const char *s, Tm *tm)
{
    char parts[3][FIELD_LEN];
    int np = 0;
    const char *p = s;
    while (*p) {
        if (np == 3) return DTERR_BAD_FORMAT;
        size_t k = 0;
        while (*p && isalnum((unsigned char)*p) && k < FIELD_LEN - 1)
            parts[np][k++] = *p++;
        parts[np][k] = '\0';
        if (k == 0) return DTERR_BAD_FORMAT;
        np++;
        while (*p && !isalnum((unsigned char)*p))
            p++;
    }
    int mon_at = -1;
    for (int i = 0; i < np; i++) {
        if (!all_digits(parts[i], strlen(parts[i]))) {
            int m = month_of(parts[i]);
            if (!m || mon_at >= 0 || tm->has_mon) return DTERR_BAD_FORMAT;
            mon_at = i;
            tm->mon = m;
            tm->has_mon = true;
        }
    }
    /* The numbers left, in order. */
    const char *nums[3];
    int nn = 0;
    for (int i = 0; i < np; i++)
        if (i != mon_at) nums[nn++] = parts[i];
    if (mon_at < 0) {
        if (nn != 3) return DTERR_BAD_FORMAT;
        if (strlen(nums[0]) > 2) {
            DtErr e = set_year(tm, nums[0], strlen(nums[0]));
            if (e) return e;
            tm->mon = atoi(nums[1]);
            tm->mday = atoi(nums[2]);
        } else {
            tm->mon = atoi(nums[0]);
            tm->mday = atoi(nums[1]);
            DtErr e = set_year(tm, nums[2], strlen(nums[2]));
            if (e) return e;
        }
        tm->has_mon = tm->has_mday = true;
        return DTERR_OK;
    }
    /* With a month name: a number longer than two digits is the year,
     * otherwise the day comes first. */
    if (nn > 2 || mon_at > 1) return DTERR_BAD_FORMAT;
    for (int i = 0; i < nn; i++) {
        size_t l = strlen(nums[i]);
        if ((l > 2 && !tm->has_year) || tm->has_mday) {
            DtErr e = set_year(tm, nums[i], l);
            if (e) return e;
        } else {
            tm->mday = atoi(nums[i]);
            tm->has_mday = true;
        }
    }
    return DTERR_OK;
}

static DtErr decode_number(const char *s, Tm *tm, bool after_t)
{
    size_t n = strlen(s);
    const char *dot = strchr(s, '.');
    if (dot) {
        /* "hhmmss.ff" after a date or 'T'. */
        if (!(tm->has_mday || after_t) || tm->has_time) return DTERR_BAD_FORMAT;
        n = (size_t)(dot - s);
    }
    if (after_t || (tm->has_year && tm->has_mon && tm->has_mday && !tm->has_time && n == 6) ||
        (tm->time_only && !tm->has_time && !tm->has_mon && (n == 6 || n == 4))) {
        if (tm->has_time || (n != 6 && n != 4 && n != 2)) return DTERR_BAD_FORMAT;
        char buf[FIELD_LEN];
        int h = (s[0] - '0') * 10 + (s[1] - '0');
        int m = n >= 4 ? (s[2] - '0') * 10 + (s[3] - '0') : 0;
        int sec = n == 6 ? (s[4] - '0') * 10 + (s[5] - '0') : 0;
        snprintf(buf, sizeof buf, "%d:%d:%d%s", h, m, sec, dot ? dot : "");
        return decode_time(buf, tm);
    }
    if (dot) return DTERR_BAD_FORMAT;
    if (!tm->has_mon && !tm->has_year && !tm->has_mday && (n == 8 || n == 6)) {
        /* YYYYMMDD or YYMMDD */
        DtErr e = set_year(tm, s, n - 4);
        if (e) return e;
        tm->mon = (s[n - 4] - '0') * 10 + (s[n - 3] - '0');
        tm->mday = (s[n - 2] - '0') * 10 + (s[n - 1] - '0');
        tm->has_mon = tm->has_mday = true;
        return DTERR_OK;
    }
    if (n > 2 && !tm->has_year) return set_year(tm, s, n);
    if (!tm->has_mday && n <= 2) {
        tm->mday = atoi(s);
        tm->has_mday = true;
        return DTERR_OK;
    }
    if (!tm->has_year) return set_year(tm, s, n);
    return DTERR_BAD_FORMAT;
}

static DtErr decode_fields(Field *f, int nf, Tm *tm)
{
    bool after_t = false;
    for (int i = 0; i < nf; i++) {
        DtErr e = DTERR_OK;
        const char *s = f[i].s;
        bool was_t = after_t;
        after_t = false;
        switch (f[i].type) {
        case F_DATE:
            if (strchr(s, '/') && !all_digits(s, 1) && !month_of(s)) {
                /* A zone name such as america/new_york. */
                bool has_month = false;
                char w[FIELD_LEN];
                size_t k = 0;
                while (isalpha((unsigned char)s[k]) && k < FIELD_LEN - 1) {
                    w[k] = s[k];
                    k++;
                }
                w[k] = '\0';
                has_month = month_of(w) != 0;
                if (!has_month) return DTERR_BAD_TIMEZONE;
            }
            if (tm->has_mday) return DTERR_BAD_FORMAT;
            e = decode_date(s, tm);
            break;
        case F_TIME:
            e = decode_time(s, tm);
            break;
        case F_TZ:
            if (tm->has_tz) return DTERR_BAD_FORMAT;
            e = decode_zone(s, &tm->tz_east);
            tm->has_tz = true;
            break;
        case F_NUMBER:
            e = decode_number(s, tm, was_t);
            break;
        case F_SPECIAL:
            if (strcmp(s, "-infinity") == 0 || strcmp(s, "+infinity") == 0) {
                if (nf != 1) return DTERR_BAD_FORMAT;
                tm->special = s[0] == '-' ? "-infinity" : "infinity";
            } else {
                return DTERR_BAD_FORMAT;
            }
            break;
        case F_STRING: {
            int m, east;
            if (strcmp(s, "t") == 0) {
                after_t = true;
            } else if ((m = month_of(s)) != 0) {
                if (tm->has_mon) return DTERR_BAD_FORMAT;
                tm->mon = m;
                tm->has_mon = true;
            } else if (is_day_word(s) || strcmp(s, "on") == 0 || strcmp(s, "at") == 0) {
                /* ignored */
            } else if (strcmp(s, "am") == 0 || strcmp(s, "pm") == 0) {
                if (tm->ampm) return DTERR_BAD_FORMAT;
                tm->ampm = s[0] == 'a' ? 1 : 2;
            } else if (strcmp(s, "bc") == 0 || strcmp(s, "ad") == 0) {
                tm->bc = s[0] == 'b';
            } else if (zone_abbrev(s, &east)) {
                if (tm->has_tz) return DTERR_BAD_FORMAT;
                tm->tz_east = east;
                tm->has_tz = true;
            } else if (strcmp(s, "epoch") == 0 || strcmp(s, "infinity") == 0 ||
                       strcmp(s, "now") == 0 || strcmp(s, "today") == 0 ||
                       strcmp(s, "tomorrow") == 0 || strcmp(s, "yesterday") == 0 ||
                       strcmp(s, "allballs") == 0) {
                if (tm->special) return DTERR_BAD_FORMAT;
                tm->special = s;
            } else {
                return DTERR_BAD_FORMAT;
            }
            break;
        }
        }
        if (e) return e;
    }
    return DTERR_OK;
}

static const char *dt_type_name(uint32_t oid)
{
    switch (oid) {
    case TYPE_DATE:
        return "date";
    case TYPE_TIME:
        return "time";
    case TYPE_TIMETZ:
        return "time with time zone";
    case TYPE_TIMESTAMP:
        return "timestamp";
    default:
        return "timestamp with time zone";
    }
}

static int dt_error(DtErr e, uint32_t oid, const char *s, const char *zone, DbError *err)
{
    switch (e) {
    case DTERR_FIELD_OVERFLOW:
        return db_error_set(err, SQLSTATE_DATETIME_FIELD_OVERFLOW,
                            "date/time field value out of range: \"%s\"", s);
    case DTERR_MD_FIELD_OVERFLOW:
        db_error_set(err, SQLSTATE_DATETIME_FIELD_OVERFLOW,
                     "date/time field value out of range: \"%s\"", s);
        db_error_hint(err, "Perhaps you need a different \"datestyle\" setting.");
        return -1;
    case DTERR_TZDISP_OVERFLOW:
        return db_error_set(err, SQLSTATE_INVALID_TIME_ZONE_DISPLACEMENT_VALUE,
                            "time zone displacement out of range: \"%s\"", s);
    case DTERR_BAD_TIMEZONE:
        return db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE,
                            "time zone \"%s\" not recognized", zone);
    default:
        return db_error_set(err, SQLSTATE_INVALID_DATETIME_FORMAT,
                            "invalid input syntax for type %s: \"%s\"", dt_type_name(oid), s);
    }
}

/* Checks and completes the date part (ValidateDate). */
static DtErr validate_date(Tm *tm)
{
    if (tm->has_year) {
        if (tm->bc) {
            if (tm->year <= 0) return DTERR_FIELD_OVERFLOW;
            tm->year = -(tm->year - 1);
        } else if (tm->year2) {
            if (tm->year < 70)
                tm->year += 2000;
            else if (tm->year < 100)
                tm->year += 1900;
        } else if (tm->year <= 0) {
            return DTERR_FIELD_OVERFLOW;
        }
    }
    if (tm->mon < 1 || tm->mon > 12) return DTERR_MD_FIELD_OVERFLOW;
    if (tm->mday < 1 || tm->mday > 31) return DTERR_FIELD_OVERFLOW;
    if (tm->mday > tdt_days_in_month(tm->year, tm->mon)) return DTERR_FIELD_OVERFLOW;
    return DTERR_OK;
}

static DtErr validate_time(Tm *tm)
{
    if (tm->ampm) {
        if (tm->hour > 12) return DTERR_FIELD_OVERFLOW;
        if (tm->ampm == 1 && tm->hour == 12) tm->hour = 0;
        if (tm->ampm == 2 && tm->hour != 12) tm->hour += 12;
    }
    if (tm->hour < 0 || tm->min < 0 || tm->min > 59 || tm->sec < 0 || tm->sec > 60 ||
        tm->hour > 24 || (tm->hour == 24 && (tm->min > 0 || tm->sec > 0 || tm->fsec > 0)) ||
        tm->fsec < 0 || tm->fsec > TDT_USECS_PER_SEC)
        return DTERR_FIELD_OVERFLOW;
    return DTERR_OK;
}

static int64_t time_of(const Tm *tm)
{
    return ((int64_t)(tm->hour * 60 + tm->min) * 60 + tm->sec) * TDT_USECS_PER_SEC + tm->fsec;
}

/* Today's date (UTC) as days since 2000-01-01, and the time now. */
static void clock_now(int64_t *days, int64_t *tod)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    int64_t us = (int64_t)ts.tv_sec * TDT_USECS_PER_SEC + ts.tv_nsec / 1000 -
                 INT64_C(946684800) * TDT_USECS_PER_SEC;
    *days = us >= 0 ? us / TDT_USECS_PER_DAY : -((-us + TDT_USECS_PER_DAY - 1) / TDT_USECS_PER_DAY);
    *tod = us - *days * TDT_USECS_PER_DAY;
}

int tdt_parse(uint32_t oid, int32_t typmod, const char *s, Datum *out, DbError *err)
{
    Field fields[MAX_FIELDS];
    int nf = 0;
    Tm tm;
    memset(&tm, 0, sizeof tm);
    tm.time_only = oid == TYPE_TIME || oid == TYPE_TIMETZ;
    DtErr e = split_fields(s, fields, &nf);
    if (!e && nf == 0) e = DTERR_BAD_FORMAT;
    if (!e) e = decode_fields(fields, nf, &tm);
    if (e == DTERR_BAD_TIMEZONE) {
        for (int i = 0; i < nf; i++)
            if (fields[i].type == F_DATE && strchr(fields[i].s, '/'))
                return dt_error(e, oid, s, fields[i].s, err);
    }
    if (e) return dt_error(e, oid, s, NULL, err);
    *out = (Datum){.type = oid, .is_null = false};
    bool wants_date = oid == TYPE_DATE || oid == TYPE_TIMESTAMP || oid == TYPE_TIMESTAMPTZ;
    int64_t days = 0, tod = 0;
    if (tm.special) {
        const char *sp = tm.special;
        bool inf = strcmp(sp, "infinity") == 0, ninf = strcmp(sp, "-infinity") == 0;
        if (inf || ninf) {
            if (!wants_date || nf != 1) return dt_error(DTERR_BAD_FORMAT, oid, s, NULL, err);
            if (oid == TYPE_DATE)
                out->v.i = inf ? TDT_DATE_NOEND : TDT_DATE_NOBEGIN;
            else
                out->v.i = inf ? TDT_TS_NOEND : TDT_TS_NOBEGIN;
            return 0;
        }
        if (strcmp(sp, "allballs") == 0) {
            if (wants_date) return dt_error(DTERR_BAD_FORMAT, oid, s, NULL, err);
            tm.has_time = true;
        } else if (strcmp(sp, "epoch") == 0) {
            days = tdt_days_from_ymd(1970, 1, 1);
        } else {
            int64_t today, now_tod;
            clock_now(&today, &now_tod);
            days = today + (strcmp(sp, "tomorrow") == 0    ? 1
                            : strcmp(sp, "yesterday") == 0 ? -1
                                                           : 0);
            if (strcmp(sp, "now") == 0) tod = now_tod;
        }
        if (tm.has_mon || tm.has_mday || tm.has_year)
            return dt_error(DTERR_BAD_FORMAT, oid, s, NULL, err);
        if (tm.has_time) {
            e = validate_time(&tm);
            if (e) return dt_error(e, oid, s, NULL, err);
            tod = time_of(&tm);
        }
    } else {
        if (wants_date) {
            if (!(tm.has_year && tm.has_mon && tm.has_mday))
                return dt_error(DTERR_BAD_FORMAT, oid, s, NULL, err);
        } else if (!tm.has_time) {
            return dt_error(DTERR_BAD_FORMAT, oid, s, NULL, err);
        }
        if (tm.has_year || tm.has_mon || tm.has_mday) {
            if (!(tm.has_year && tm.has_mon && tm.has_mday))
                return dt_error(DTERR_BAD_FORMAT, oid, s, NULL, err);
            e = validate_date(&tm);
            if (e) return dt_error(e, oid, s, NULL, err);
            if (tm.year < -4713 || tm.year > 5874898) {
                if (oid == TYPE_DATE)
                    return db_error_set(err, SQLSTATE_DATETIME_VALUE_OUT_OF_RANGE,
                                        "date out of range: \"%s\"", s);
                return db_error_set(err, SQLSTATE_DATETIME_VALUE_OUT_OF_RANGE,
                                    "timestamp out of range: \"%s\"", s);
            }
            days = tdt_days_from_ymd(tm.year, tm.mon, tm.mday);
        }
        e = validate_time(&tm);
        if (e) return dt_error(e, oid, s, NULL, err);
        tod = time_of(&tm);
    }
    switch (oid) {
    case TYPE_DATE:
        if (days < TDT_DATE_MIN || days >= TDT_DATE_END)
            return db_error_set(err, SQLSTATE_DATETIME_VALUE_OUT_OF_RANGE,
                                "date out of range: \"%s\"", s);
        out->v.i = days;
        return 0;
    case TYPE_TIME:
        out->v.i = tod;
        return tdt_apply_typmod(out, typmod, err);
    case TYPE_TIMETZ:
        out->v.timetz.time_us = tod;
        out->v.timetz.zone_seconds = -tm.tz_east;
        return tdt_apply_typmod(out, typmod, err);
    default: {
        __int128 ts = (__int128)days * TDT_USECS_PER_DAY + tod;
        if (oid == TYPE_TIMESTAMPTZ) ts -= (__int128)tm.tz_east * TDT_USECS_PER_SEC;
        if (ts < TDT_MIN_TIMESTAMP || ts >= TDT_END_TIMESTAMP)
            return db_error_set(err, SQLSTATE_DATETIME_VALUE_OUT_OF_RANGE,
                                "timestamp out of range: \"%s\"", s);
        out->v.i = (int64_t)ts;
        return tdt_apply_typmod(out, typmod, err);
    }
    }
}

/* Seconds with the fraction's trailing zeros dropped (AppendSeconds). */
void tdt_append_seconds(StrBuf *out, int64_t sec, int64_t fsec)
{
    strbuf_appendf(out, "%02lld", (long long)(sec < 0 ? -sec : sec));
    if (fsec != 0) {
        char frac[24];
        snprintf(frac, sizeof frac, "%06lld", (long long)(fsec < 0 ? -fsec : fsec));
        int n = 6;
        while (n > 0 && frac[n - 1] == '0')
            n--;
        strbuf_append_char(out, '.');
        strbuf_append(out, frac, (size_t)n);
    }
}

static void append_date(StrBuf *out, int64_t days, bool *bc)
{
    int64_t y;
    int m, d;
    tdt_ymd_from_days(days, &y, &m, &d);
    *bc = y <= 0;
    strbuf_appendf(out, "%04lld-%02d-%02d", (long long)(y > 0 ? y : -(y - 1)), m, d);
}

static void append_time(StrBuf *out, int64_t t)
{
    int64_t h = t / (3600 * TDT_USECS_PER_SEC);
    t -= h * 3600 * TDT_USECS_PER_SEC;
    int64_t m = t / (60 * TDT_USECS_PER_SEC);
    t -= m * 60 * TDT_USECS_PER_SEC;
    strbuf_appendf(out, "%02lld:%02lld:", (long long)h, (long long)m);
    tdt_append_seconds(out, t / TDT_USECS_PER_SEC, t % TDT_USECS_PER_SEC);
}

/* EncodeTimezone: zone in seconds west, printed as +hh[:mm[:ss]] east. */
static void append_zone(StrBuf *out, int32_t west)
{
    int sec = west < 0 ? -west : west;
    int min = sec / 60;
    sec -= min * 60;
    int hour = min / 60;
    min -= hour * 60;
    strbuf_append_char(out, west <= 0 ? '+' : '-');
    if (sec != 0)
        strbuf_appendf(out, "%02d:%02d:%02d", hour, min, sec);
    else if (min != 0)
        strbuf_appendf(out, "%02d:%02d", hour, min);
    else
        strbuf_appendf(out, "%02d", hour);
}

void tdt_format(const Datum *d, StrBuf *out)
{
    bool bc = false;
    switch (d->type) {
    case TYPE_DATE:
        if (d->v.i == TDT_DATE_NOBEGIN || d->v.i == TDT_DATE_NOEND) {
            strbuf_append_str(out, d->v.i == TDT_DATE_NOEND ? "infinity" : "-infinity");
            return;
        }
        append_date(out, d->v.i, &bc);
        break;
    case TYPE_TIME:
        append_time(out, d->v.i);
        return;
    case TYPE_TIMETZ:
        append_time(out, d->v.timetz.time_us);
        append_zone(out, d->v.timetz.zone_seconds);
        return;
    case TYPE_TIMESTAMP:
    case TYPE_TIMESTAMPTZ: {
        if (d->v.i == TDT_TS_NOBEGIN || d->v.i == TDT_TS_NOEND) {
            strbuf_append_str(out, d->v.i == TDT_TS_NOEND ? "infinity" : "-infinity");
            return;
        }
        int64_t days = d->v.i / TDT_USECS_PER_DAY, t = d->v.i % TDT_USECS_PER_DAY;
        if (t < 0) {
            t += TDT_USECS_PER_DAY;
            days--;
        }
        append_date(out, days, &bc);
        strbuf_append_char(out, ' ');
        append_time(out, t);
        if (d->type == TYPE_TIMESTAMPTZ) append_zone(out, 0);
        break;
    }
    default:
        return;
    }
    if (bc) strbuf_append_str(out, " BC");
}
