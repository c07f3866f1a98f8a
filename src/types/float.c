/*
 * real and double precision: text input (float4in/float8in: strtod/strtof
 * plus PostgreSQL's NaN/Infinity spellings and range checks), shortest
 * round-trip output (what PostgreSQL 12+ prints with extra_float_digits 1:
 * Ryu's shortest digits, fixed notation for decimal exponents -4..14 for
 * double and -4..5 for real, else "1e+22"), the arithmetic operators with
 * PostgreSQL's overflow/underflow checks, and float → int rounding.
 */
#include "types/types_int.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *flt_type_name(uint32_t oid)
{
    return oid == TYPE_FLOAT4 ? "real" : "double precision";
}

int tflt_parse(uint32_t oid, const char *s, double *out, DbError *err)
{
    const char *name = flt_type_name(oid);
    const char *num = s;
    while (*num && isspace((unsigned char)*num))
        num++;
    if (*num == '\0') return type_error_syntax(err, name, s);
    char *end;
    double val;
    errno = 0;
    if (oid == TYPE_FLOAT4)
        val = strtof(num, &end);
    else
        val = strtod(num, &end);
    if (end == num || errno != 0) {
        int saved = errno;
        if (strncasecmp(num, "NaN", 3) == 0) {
            val = NAN;
            end = (char *)num + 3;
        } else if (strncasecmp(num, "Infinity", 8) == 0) {
            val = INFINITY;
            end = (char *)num + 8;
        } else if (strncasecmp(num, "+Infinity", 9) == 0) {
            val = INFINITY;
            end = (char *)num + 9;
        } else if (strncasecmp(num, "-Infinity", 9) == 0) {
            val = -INFINITY;
            end = (char *)num + 9;
        } else if (strncasecmp(num, "inf", 3) == 0) {
            val = INFINITY;
            end = (char *)num + 3;
        } else if (strncasecmp(num, "+inf", 4) == 0) {
            val = INFINITY;
            end = (char *)num + 4;
        } else if (strncasecmp(num, "-inf", 4) == 0) {
            val = -INFINITY;
            end = (char *)num + 4;
        } else if (saved == ERANGE) {
            /* Denormals also set ERANGE; only zero or huge results are out
             * of range.  The message quotes just the number. */
            if (val == 0.0 || isinf(val))
                return db_error_set(err, SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE,
                                    "\"%.*s\" is out of range for type %s", (int)(end - num), num,
                                    name);
        } else {
            return type_error_syntax(err, name, s);
        }
    }
    while (*end && isspace((unsigned char)*end))
        end++;
    if (*end) return type_error_syntax(err, name, s);
    *out = val;
    return 0;
}

/* Whether the exact binary value m has the same decimal expansion as the
 * short decimal text cand ("d.ddde±x"). */
static bool decimal_equals(const char *cand, long double m)
{
    char buf[1200];
    snprintf(buf, sizeof buf, "%.1100Le", m);
    /* Compare the significant digits (trailing zeros dropped) and exponents. */
    char da[64], db[1200];
    int na = 0, nb = 0;
    const char *p = cand;
    for (; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9') da[na++] = *p;
    int ea = atoi(p + 1);
    const char *q = buf;
    for (; *q && *q != 'e'; q++)
        if (*q >= '0' && *q <= '9') db[nb++] = *q;
    int eb = atoi(q + 1);
    while (na > 1 && da[na - 1] == '0')
        na--;
    while (nb > 1 && db[nb - 1] == '0')
        nb--;
    return ea == eb && na == nb && memcmp(da, db, (size_t)na) == 0;
}

/* Whether the decimal "digits × 10^(exp10 - ndigits + 1)" reads back as v
 * and lies strictly inside v's rounding interval: PostgreSQL's Ryu output
 * never picks a decimal exactly halfway to a neighbour, even where
 * round-half-even would read it back as v. */
static bool digits_round_trip(uint32_t oid, double v, const char *digits, int exp10)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%c.%se%d", digits[0], digits + 1, exp10);
    long double up, down, c;
    if (oid == TYPE_FLOAT4) {
        float f = (float)v;
        if (strtof(buf, NULL) != f) return false;
        up = ((long double)nextafterf(f, INFINITY) + f) / 2;
        down = ((long double)nextafterf(f, 0) + f) / 2;
    } else {
        if (strtod(buf, NULL) != v) return false;
        up = ((long double)nextafter(v, INFINITY) + v) / 2;
        down = ((long double)nextafter(v, 0) + v) / 2;
    }
    c = strtold(buf, NULL);
    if (c != up && c != down) return true;
    return !decimal_equals(buf, c);
}

/* Adds delta (+1/-1) to the decimal digit string in place; false if the
 * length would change (then the neighbour has a different digit count). */
static bool digits_step(char *d, int n, int delta)
{
    for (int i = n - 1; i >= 0; i--) {
        int c = d[i] - '0' + delta;
        if (c >= 0 && c <= 9) {
            d[i] = (char)('0' + c);
            return !(i == 0 && c == 0);
        }
        d[i] = delta > 0 ? '0' : '9';
    }
    return false;
}

/* The shortest digit string that reads back as v (Ryu's choice: fewest
 * digits, then closest to v).  digits gets the digits without trailing
 * zeros, *exp10 the decimal exponent of the first one. */
static void shortest_digits(uint32_t oid, double v, char *digits, int *exp10)
{
    int max = oid == TYPE_FLOAT4 ? 9 : 17;
    for (int n = 1; n <= max; n++) {
        char buf[64];
        snprintf(buf, sizeof buf, "%.*e", n - 1, v);
        /* buf is "d.ddde±xx" (or "de±xx" for n = 1). */
        char d[32];
        int k = 0;
        const char *p = buf;
        for (; *p && *p != 'e'; p++)
            if (isdigit((unsigned char)*p)) d[k++] = *p;
        d[k] = '\0';
        int e = atoi(p + 1);
        bool ok = digits_round_trip(oid, v, d, e);
        if (!ok && n > 1) {
            /* At a power of two the interval of values that read back as v
             * is lopsided: the correctly rounded n digits may miss it while
             * a neighbour hits it.  Of two hits, take the closer. */
            char up[32], down[32];
            memcpy(up, d, (size_t)k + 1);
            memcpy(down, d, (size_t)k + 1);
            if (digits_step(up, k, +1) && digits_round_trip(oid, v, up, e)) {
                memcpy(d, up, (size_t)k + 1);
                ok = true;
            } else if (digits_step(down, k, -1) && digits_round_trip(oid, v, down, e)) {
                memcpy(d, down, (size_t)k + 1);
                ok = true;
            }
        }
        if (ok || n == max) {
            while (k > 1 && d[k - 1] == '0')
                d[--k] = '\0';
            memcpy(digits, d, (size_t)k + 1);
            *exp10 = e;
            return;
        }
    }
}

void tflt_format(uint32_t oid, double v, StrBuf *out)
{
    if (isnan(v)) {
        strbuf_append_str(out, "NaN");
        return;
    }
    if (isinf(v)) {
        strbuf_append_str(out, v > 0 ? "Infinity" : "-Infinity");
        return;
    }
    if (signbit(v)) strbuf_append_char(out, '-');
    if (v == 0) {
        strbuf_append_char(out, '0');
        return;
    }
    char d[32];
    int e = 0;
    shortest_digits(oid, fabs(v), d, &e);
    int n = (int)strlen(d);
    int fixed_max = oid == TYPE_FLOAT4 ? 6 : 15;
    if (e >= -4 && e < fixed_max) {
        if (e < 0) {
            strbuf_append_str(out, "0.");
            for (int i = 0; i < -e - 1; i++)
                strbuf_append_char(out, '0');
            strbuf_append(out, d, (size_t)n);
        } else if (n > e + 1) {
            strbuf_append(out, d, (size_t)e + 1);
            strbuf_append_char(out, '.');
            strbuf_append(out, d + e + 1, (size_t)(n - e - 1));
        } else {
            strbuf_append(out, d, (size_t)n);
            for (int i = n; i < e + 1; i++)
                strbuf_append_char(out, '0');
        }
        return;
    }
    strbuf_append_char(out, d[0]);
    if (n > 1) {
        strbuf_append_char(out, '.');
        strbuf_append(out, d + 1, (size_t)n - 1);
    }
    strbuf_appendf(out, "e%c%02d", e < 0 ? '-' : '+', e < 0 ? -e : e);
}

static int flt_overflow(DbError *err)
{
    return db_error_set(err, SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "value out of range: overflow");
}

static int flt_underflow(DbError *err)
{
    return db_error_set(err, SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "value out of range: underflow");
}

int tflt_arith(char op, uint32_t result_type, double a, double b, double *out, DbError *err)
{
    double r;
    if (result_type == TYPE_FLOAT4) {
        float fa = (float)a, fb = (float)b, fr;
        switch (op) {
        case '+':
            fr = fa + fb;
            break;
        case '-':
            fr = fa - fb;
            break;
        case '*':
            fr = fa * fb;
            if (fr == 0.0f && fa != 0.0f && fb != 0.0f) return flt_underflow(err);
            break;
        case '/':
            if (fb == 0.0f && !isnan(fa))
                return db_error_set(err, SQLSTATE_DIVISION_BY_ZERO, "division by zero");
            fr = fa / fb;
            if (fr == 0.0f && fa != 0.0f && !isinf(fb)) return flt_underflow(err);
            break;
        default:
            return db_error_set(err, SQLSTATE_INTERNAL_ERROR, "unknown float operator %c", op);
        }
        if (isinf(fr) && !isinf(fa) && !isinf(fb)) return flt_overflow(err);
        *out = fr;
        return 0;
    }
    switch (op) {
    case '+':
        r = a + b;
        break;
    case '-':
        r = a - b;
        break;
    case '*':
        r = a * b;
        if (r == 0.0 && a != 0.0 && b != 0.0) return flt_underflow(err);
        break;
    case '/':
        if (b == 0.0 && !isnan(a))
            return db_error_set(err, SQLSTATE_DIVISION_BY_ZERO, "division by zero");
        r = a / b;
        if (r == 0.0 && a != 0.0 && !isinf(b)) return flt_underflow(err);
        break;
    default:
        return db_error_set(err, SQLSTATE_INTERNAL_ERROR, "unknown float operator %c", op);
    }
    if (isinf(r) && !isinf(a) && !isinf(b)) return flt_overflow(err);
    *out = r;
    return 0;
}

int tflt_cmp(double a, double b)
{
    /* PostgreSQL: NaN equals NaN and sorts above everything else. */
    if (isnan(a)) return isnan(b) ? 0 : 1;
    if (isnan(b)) return -1;
    return a < b ? -1 : a > b ? 1 : 0;
}

int tflt_to_float4(double v, double *out, DbError *err)
{
    float f = (float)v;
    if (isinf(f) && !isinf(v)) return flt_overflow(err);
    if (f == 0.0f && v != 0.0) return flt_underflow(err);
    *out = f;
    return 0;
}

int tflt_to_int(double v, uint32_t oid, int64_t *out, DbError *err)
{
    double r = rint(v);
    bool fits;
    switch (oid) {
    case TYPE_INT2:
        fits = !isnan(r) && r >= -32768.0 && r < 32768.0;
        break;
    case TYPE_INT4:
        fits = !isnan(r) && r >= -2147483648.0 && r < 2147483648.0;
        break;
    default:
        fits = !isnan(r) && r >= -9223372036854775808.0 && r < 9223372036854775808.0;
        break;
    }
    if (!fits) return tint_range_error(oid, err);
    *out = (int64_t)r;
    return 0;
}
