/*
 * numeric's text forms and typmods, and the datum-level numeric operations
 * the rest of the room calls (tnum_*).
 *
 * Input is PostgreSQL 16's numeric_in: whitespace, sign, NaN/Infinity/inf,
 * decimal digits with '_' separators, a point, an exponent, or a 0x/0o/0b
 * integer.  The display scale of an input is its digits after the point
 * minus the exponent (never below 0).  The datum form is the canonical
 * output text ("-12.50", "NaN", "Infinity"), so output is a copy.  Storage
 * limits as PostgreSQL's: 131072 digits before the point, 16383 after
 * (`value overflows numeric format`).
 */
#include "types/numeric_int.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int num_syntax(DbError *err, const char *s)
{
    return type_error_syntax(err, "numeric", s);
}

static int num_overflow(DbError *err)
{
    return db_error_set(err, SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "value overflows numeric format");
}

/* Decimal digits [, point, digits][e exponent] starting at cp (after the
 * sign).  *endp gets the first unparsed character. */
static int parse_decimal(const char *str, const char *cp, int sign, NumVar *v, const char **endp,
                         DbError *err)
{
    bool have_dp = false;
    if (*cp == '.') {
        have_dp = true;
        cp++;
    }
    if (!isdigit((unsigned char)*cp)) return num_syntax(err, str);
    size_t cap = strlen(cp) + 2 * TNUM_DEC_DIGITS;
    unsigned char *dd = malloc(cap);
    if (!dd) abort();
    memset(dd, 0, TNUM_DEC_DIGITS);
    int i = TNUM_DEC_DIGITS;
    long dweight = -1, dscale = 0;
    while (*cp) {
        if (isdigit((unsigned char)*cp)) {
            dd[i++] = (unsigned char)(*cp++ - '0');
            if (!have_dp)
                dweight++;
            else
                dscale++;
        } else if (*cp == '.') {
            if (have_dp) goto syntax;
            have_dp = true;
            cp++;
            if (*cp == '_') goto syntax;
        } else if (*cp == '_') {
            cp++;
            if (!isdigit((unsigned char)*cp)) goto syntax;
        } else {
            break;
        }
    }
    int ddigits = i - TNUM_DEC_DIGITS;
    memset(dd + i, 0, TNUM_DEC_DIGITS - 1);
    if (*cp == 'e' || *cp == 'E') {
        long exponent = 0;
        bool neg = false;
        cp++;
        if (*cp == '+') {
            cp++;
        } else if (*cp == '-') {
            neg = true;
            cp++;
        }
        if (!isdigit((unsigned char)*cp)) goto syntax;
        while (*cp) {
            if (isdigit((unsigned char)*cp)) {
                exponent = exponent * 10 + (*cp++ - '0');
                if (exponent > INT32_MAX / 2) {
                    free(dd);
                    return num_overflow(err);
                }
            } else if (*cp == '_') {
                cp++;
                if (!isdigit((unsigned char)*cp)) goto syntax;
            } else {
                break;
            }
        }
        if (neg) exponent = -exponent;
        dweight += exponent;
        dscale -= exponent;
        if (dscale < 0) dscale = 0;
    }
    /* Align to base-10000 digits: offset decimal zeros go before the first
     * given digit so that the point falls between groups. */
    long weight;
    if (dweight >= 0)
        weight = (dweight + 1 + TNUM_DEC_DIGITS - 1) / TNUM_DEC_DIGITS - 1;
    else
        weight = -((-dweight - 1) / TNUM_DEC_DIGITS + 1);
    long offset = (weight + 1) * TNUM_DEC_DIGITS - (dweight + 1);
    long ndigits = (ddigits + offset + TNUM_DEC_DIGITS - 1) / TNUM_DEC_DIGITS;
    NumVar t;
    tnum_var_init(&t);
    t.buf = malloc(((size_t)ndigits + 1) * sizeof(int32_t));
    if (!t.buf) abort();
    t.buf[0] = 0;
    t.digits = t.buf + 1;
    t.ndigits = (int)ndigits;
    t.sign = sign;
    t.weight = (int)weight;
    t.dscale = (int)dscale;
    long k = TNUM_DEC_DIGITS - offset;
    for (long n = 0; n < ndigits; n++, k += TNUM_DEC_DIGITS)
        t.digits[n] = ((dd[k] * 10 + dd[k + 1]) * 10 + dd[k + 2]) * 10 + dd[k + 3];
    free(dd);
    tnum_var_strip(&t);
    tnum_var_free(v);
    *v = t;
    *endp = cp;
    return 0;
syntax:
    free(dd);
    return num_syntax(err, str);
}

static int digit_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return c - 'A' + 10;
}

static bool is_base_digit(char c, int base)
{
    if (base == 16) return isxdigit((unsigned char)c) != 0;
    if (base == 8) return c >= '0' && c <= '7';
    return c == '0' || c == '1';
}

/* v = v * mul + add. */
static void mul_add_small(NumVar *v, int64_t mul, int64_t add)
{
    NumVar m, a, t;
    tnum_var_init(&m);
    tnum_var_init(&a);
    tnum_var_init(&t);
    tnum_var_from_int(&m, mul);
    tnum_var_from_int(&a, add);
    tnum_var_mul(v, &m, &t, 0);
    tnum_var_add(&t, &a, v);
    tnum_var_free(&m);
    tnum_var_free(&a);
    tnum_var_free(&t);
}

/* A 0x/0o/0b integer; cp points after the prefix. */
static int parse_nondecimal(const char *str, const char *cp, int sign, int base, NumVar *v,
                            const char **endp, DbError *err)
{
    const char *first = cp;
    int64_t acc = 0, mul = 1;
    tnum_var_free(v);
    for (;;) {
        if (is_base_digit(*cp, base)) {
            /* Fold a group into v before base^n overflows int64. */
            if (mul > INT64_MAX / base) {
                mul_add_small(v, mul, acc);
                if (v->weight > TYPE_NUMERIC_WEIGHT_MAX) return num_overflow(err);
                acc = 0;
                mul = 1;
            }
            acc = acc * base + digit_value(*cp++);
            mul *= base;
        } else if (*cp == '_') {
            cp++;
            if (!is_base_digit(*cp, base)) return num_syntax(err, str);
        } else {
            break;
        }
    }
    if (cp == first) return num_syntax(err, str);
    mul_add_small(v, mul, acc);
    if (v->weight > TYPE_NUMERIC_WEIGHT_MAX) return num_overflow(err);
    v->sign = v->ndigits ? sign : TNUM_POS;
    *endp = cp;
    return 0;
}

int tnum_var_parse(const char *str, NumVar *v, DbError *err)
{
    const char *cp = str;
    while (*cp && isspace((unsigned char)*cp))
        cp++;
    const char *numstart = cp;
    int sign = TNUM_POS;
    if (*cp == '+') {
        cp++;
    } else if (*cp == '-') {
        sign = TNUM_NEG;
        cp++;
    }
    if (!isdigit((unsigned char)*cp) && *cp != '.') {
        /* NaN (unsigned) or an infinity; nothing else starts this way. */
        if (strncasecmp(numstart, "NaN", 3) == 0) {
            tnum_var_set_special(v, TNUM_NAN);
            cp = numstart + 3;
        } else if (strncasecmp(cp, "Infinity", 8) == 0) {
            tnum_var_set_special(v, sign == TNUM_POS ? TNUM_PINF : TNUM_NINF);
            cp += 8;
        } else if (strncasecmp(cp, "inf", 3) == 0) {
            tnum_var_set_special(v, sign == TNUM_POS ? TNUM_PINF : TNUM_NINF);
            cp += 3;
        } else {
            return num_syntax(err, str);
        }
    } else {
        int base = 10;
        if (cp[0] == '0') {
            if (cp[1] == 'x' || cp[1] == 'X')
                base = 16;
            else if (cp[1] == 'o' || cp[1] == 'O')
                base = 8;
            else if (cp[1] == 'b' || cp[1] == 'B')
                base = 2;
        }
        int rc = base == 10 ? parse_decimal(str, cp, sign, v, &cp, err)
                            : parse_nondecimal(str, cp + 2, sign, base, v, &cp, err);
        if (rc) return rc;
    }
    while (*cp) {
        if (!isspace((unsigned char)*cp)) return num_syntax(err, str);
        cp++;
    }
    return 0;
}

void tnum_var_from_datum(DatumBytes d, NumVar *v)
{
    char small[64];
    char *s = d.len < sizeof small ? small : malloc(d.len + 1);
    if (!s) abort();
    memcpy(s, d.ptr, d.len);
    s[d.len] = '\0';
    DbError err;
    if (tnum_var_parse(s, v, &err) != 0) {
        /* Datums hold validated text; a bad one reads as NaN rather than
         * crashing a query. */
        tnum_var_set_special(v, TNUM_NAN);
    }
    if (s != small) free(s);
}

int tnum_var_to_datum(const NumVar *v, MemContext *cx, DatumBytes *out, DbError *err)
{
    switch (v->sign) {
    case TNUM_NAN:
        out->ptr = "NaN";
        out->len = 3;
        return 0;
    case TNUM_PINF:
        out->ptr = "Infinity";
        out->len = 8;
        return 0;
    case TNUM_NINF:
        out->ptr = "-Infinity";
        out->len = 9;
        return 0;
    default:
        break;
    }
    bool zero = v->ndigits == 0;
    if (!zero && v->weight > TYPE_NUMERIC_WEIGHT_MAX) return num_overflow(err);
    if (v->dscale > TYPE_NUMERIC_DSCALE_MAX) return num_overflow(err);
    int dscale = v->dscale > 0 ? v->dscale : 0;
    size_t cap = (size_t)(v->weight > 0 ? v->weight + 1 : 1) * TNUM_DEC_DIGITS + (size_t)dscale +
                 TNUM_DEC_DIGITS + 4;
    char *buf = mem_alloc(cx, cap);
    char *p = buf;
    if (!zero && v->sign == TNUM_NEG) *p++ = '-';
    if (v->weight < 0 || zero) {
        *p++ = '0';
    } else {
        for (int i = 0; i <= v->weight; i++) {
            int32_t dig = i < v->ndigits ? v->digits[i] : 0;
            if (i == 0)
                p += sprintf(p, "%d", dig);
            else
                p += sprintf(p, "%04d", dig);
        }
    }
    if (dscale > 0) {
        *p++ = '.';
        char *end = p + dscale;
        /* Groups after the point, from weight -1 down. */
        for (int w = -1; p < end; w--) {
            int i = zero ? v->ndigits : v->weight - w;
            int32_t dig = (i >= 0 && i < v->ndigits) ? v->digits[i] : 0;
            char grp[5];
            snprintf(grp, sizeof grp, "%04d", dig);
            for (int k = 0; k < TNUM_DEC_DIGITS && p < end; k++)
                *p++ = grp[k];
        }
    }
    *p = '\0';
    out->ptr = buf;
    out->len = (size_t)(p - buf);
    return 0;
}

/* apply_typmod: round to the scale, then check the integer digits. */
static int apply_typmod_var(NumVar *v, int32_t typmod, DbError *err)
{
    if (typmod < TYPE_VARHDRSZ) return 0;
    int32_t t = typmod - TYPE_VARHDRSZ;
    int precision = (t >> 16) & 0xffff;
    int scale = ((t & 0x7ff) ^ 1024) - 1024;
    if (v->sign == TNUM_NAN) return 0;
    if (v->sign == TNUM_PINF || v->sign == TNUM_NINF) {
        db_error_set(err, SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "numeric field overflow");
        db_error_detail(err, "A field with precision %d, scale %d cannot hold an infinite value.",
                        precision, scale);
        return -1;
    }
    int maxdigits = precision - scale;
    tnum_var_round(v, scale);
    if (v->dscale < 0) v->dscale = 0;
    if (v->ndigits == 0) return 0;
    int ddigits = (v->weight + 1) * TNUM_DEC_DIGITS;
    int32_t first = v->digits[0];
    if (first < 10)
        ddigits -= 3;
    else if (first < 100)
        ddigits -= 2;
    else if (first < 1000)
        ddigits -= 1;
    if (ddigits > maxdigits) {
        db_error_set(err, SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "numeric field overflow");
        db_error_detail(err,
                        "A field with precision %d, scale %d must round to an absolute value "
                        "less than %s%d.",
                        precision, scale, maxdigits ? "10^" : "", maxdigits ? maxdigits : 1);
        return -1;
    }
    return 0;
}

int tnum_input(const char *s, int32_t typmod, MemContext *cx, DatumBytes *out, DbError *err)
{
    NumVar v;
    tnum_var_init(&v);
    int rc = tnum_var_parse(s, &v, err);
    if (rc == 0) rc = apply_typmod_var(&v, typmod, err);
    if (rc == 0) rc = tnum_var_to_datum(&v, cx, out, err);
    tnum_var_free(&v);
    return rc;
}

int tnum_apply_typmod(DatumBytes in, int32_t typmod, MemContext *cx, DatumBytes *out, DbError *err)
{
    NumVar v;
    tnum_var_init(&v);
    tnum_var_from_datum(in, &v);
    int rc = apply_typmod_var(&v, typmod, err);
    if (rc == 0) rc = tnum_var_to_datum(&v, cx, out, err);
    tnum_var_free(&v);
    return rc;
}

int tnum_cmp(DatumBytes a, DatumBytes b)
{
    NumVar x, y;
    tnum_var_init(&x);
    tnum_var_init(&y);
    tnum_var_from_datum(a, &x);
    tnum_var_from_datum(b, &y);
    int c = tnum_var_cmp(&x, &y);
    tnum_var_free(&x);
    tnum_var_free(&y);
    return c;
}

static int div_zero(DbError *err)
{
    return db_error_set(err, SQLSTATE_DIVISION_BY_ZERO, "division by zero");
}

static bool is_inf(const NumVar *v)
{
    return v->sign == TNUM_PINF || v->sign == TNUM_NINF;
}

/* -1, 0, 1 for a non-NaN value. */
static int sign_of(const NumVar *v)
{
    if (v->sign == TNUM_PINF) return 1;
    if (v->sign == TNUM_NINF) return -1;
    if (v->ndigits == 0) return 0;
    return v->sign == TNUM_NEG ? -1 : 1;
}

static int inf_of(int s)
{
    return s > 0 ? TNUM_PINF : TNUM_NINF;
}

/* The special-value rules of PostgreSQL's numeric operators.  Returns 1 if
 * r was set, 0 if both inputs are finite, -1 on error. */
static int arith_special(char op, const NumVar *a, const NumVar *b, NumVar *r, DbError *err)
{
    if (!tnum_var_is_special(a) && !tnum_var_is_special(b)) return 0;
    if (a->sign == TNUM_NAN || b->sign == TNUM_NAN) {
        tnum_var_set_special(r, TNUM_NAN);
        return 1;
    }
    int sa = sign_of(a), sb = sign_of(b);
    switch (op) {
    case '+':
        if (is_inf(a) && is_inf(b) && sa != sb)
            tnum_var_set_special(r, TNUM_NAN);
        else
            tnum_var_set_special(r, inf_of(is_inf(a) ? sa : sb));
        return 1;
    case '-':
        if (is_inf(a) && is_inf(b) && sa == sb)
            tnum_var_set_special(r, TNUM_NAN);
        else
            tnum_var_set_special(r, inf_of(is_inf(a) ? sa : -sb));
        return 1;
    case '*':
        if (sa == 0 || sb == 0)
            tnum_var_set_special(r, TNUM_NAN);
        else
            tnum_var_set_special(r, inf_of(sa * sb));
        return 1;
    case '/':
        if (is_inf(a)) {
            if (is_inf(b)) {
                tnum_var_set_special(r, TNUM_NAN);
                return 1;
            }
            if (sb == 0) {
                div_zero(err);
                return -1;
            }
            tnum_var_set_special(r, inf_of(sa * sb));
            return 1;
        }
        /* finite / ±Infinity */
        tnum_var_set_special(r, TNUM_POS);
        return 1;
    case '%':
        if (is_inf(a)) {
            if (sb == 0) {
                div_zero(err);
                return -1;
            }
            tnum_var_set_special(r, TNUM_NAN);
            return 1;
        }
        /* finite % ±Infinity is the dividend. */
        tnum_var_copy(r, a);
        return 1;
    default:
        db_error_set(err, SQLSTATE_INTERNAL_ERROR, "unknown numeric operator %c", op);
        return -1;
    }
}

int tnum_arith(char op, DatumBytes da, DatumBytes db, MemContext *cx, DatumBytes *out, DbError *err)
{
    NumVar a, b, r;
    tnum_var_init(&a);
    tnum_var_init(&b);
    tnum_var_init(&r);
    tnum_var_from_datum(da, &a);
    tnum_var_from_datum(db, &b);
    int rc = arith_special(op, &a, &b, &r, err);
    if (rc == 0) {
        switch (op) {
        case '+':
            tnum_var_add(&a, &b, &r);
            break;
        case '-':
            tnum_var_sub(&a, &b, &r);
            break;
        case '*':
            /* Exact product, rounded only past the storable scale. */
            tnum_var_mul(&a, &b, &r, a.dscale + b.dscale);
            if (r.dscale > TYPE_NUMERIC_DSCALE_MAX) tnum_var_round(&r, TYPE_NUMERIC_DSCALE_MAX);
            break;
        case '/':
            if (b.ndigits == 0) {
                rc = div_zero(err);
                break;
            }
            tnum_var_div(&a, &b, &r, tnum_var_select_div_scale(&a, &b), true);
            break;
        case '%':
            if (b.ndigits == 0) {
                rc = div_zero(err);
                break;
            }
            tnum_var_mod(&a, &b, &r);
            break;
        default:
            rc = db_error_set(err, SQLSTATE_INTERNAL_ERROR, "unknown numeric operator %c", op);
        }
    }
    if (rc >= 0) rc = tnum_var_to_datum(&r, cx, out, err);
    tnum_var_free(&a);
    tnum_var_free(&b);
    tnum_var_free(&r);
    return rc < 0 ? -1 : 0;
}

int tnum_negate(DatumBytes da, MemContext *cx, DatumBytes *out, DbError *err)
{
    NumVar a;
    tnum_var_init(&a);
    tnum_var_from_datum(da, &a);
    if (a.sign == TNUM_POS && a.ndigits)
        a.sign = TNUM_NEG;
    else if (a.sign == TNUM_NEG)
        a.sign = TNUM_POS;
    else if (a.sign == TNUM_PINF)
        a.sign = TNUM_NINF;
    else if (a.sign == TNUM_NINF)
        a.sign = TNUM_PINF;
    int rc = tnum_var_to_datum(&a, cx, out, err);
    tnum_var_free(&a);
    return rc;
}

static const char *int_name(uint32_t oid)
{
    return oid == TYPE_INT2 ? "smallint" : oid == TYPE_INT4 ? "integer" : "bigint";
}

int tnum_to_int(DatumBytes da, uint32_t oid, int64_t *out, DbError *err)
{
    NumVar a;
    tnum_var_init(&a);
    tnum_var_from_datum(da, &a);
    int rc = 0;
    if (a.sign == TNUM_NAN) {
        rc = db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED, "cannot convert NaN to %s",
                          int_name(oid));
    } else if (is_inf(&a)) {
        rc = db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED, "cannot convert infinity to %s",
                          int_name(oid));
    } else {
        tnum_var_round(&a, 0);
        /* Accumulate as a negative number so INT64_MIN fits. */
        int64_t acc = 0;
        bool overflow = a.weight > 4;
        for (int i = 0; !overflow && i <= a.weight && a.ndigits; i++) {
            int32_t dig = i < a.ndigits ? a.digits[i] : 0;
            if (__builtin_mul_overflow(acc, (int64_t)TNUM_NBASE, &acc) ||
                __builtin_sub_overflow(acc, (int64_t)dig, &acc))
                overflow = true;
        }
        if (!overflow && a.sign != TNUM_NEG) {
            if (acc == INT64_MIN)
                overflow = true;
            else
                acc = -acc;
        }
        if (overflow || !tint_fits(oid, acc))
            rc = tint_range_error(oid, err);
        else
            *out = acc;
    }
    tnum_var_free(&a);
    return rc;
}

double tnum_to_double(DatumBytes a)
{
    char small[64];
    char *s = a.len < sizeof small ? small : malloc(a.len + 1);
    if (!s) abort();
    memcpy(s, a.ptr, a.len);
    s[a.len] = '\0';
    double v;
    if (strcmp(s, "NaN") == 0)
        v = NAN;
    else if (strcmp(s, "Infinity") == 0)
        v = INFINITY;
    else if (strcmp(s, "-Infinity") == 0)
        v = -INFINITY;
    else
        v = strtod(s, NULL);
    if (s != small) free(s);
    return v;
}

int tnum_from_double(double v, int digits, MemContext *cx, DatumBytes *out, DbError *err)
{
    NumVar n;
    tnum_var_init(&n);
    if (isnan(v)) {
        tnum_var_set_special(&n, TNUM_NAN);
    } else if (isinf(v)) {
        tnum_var_set_special(&n, v > 0 ? TNUM_PINF : TNUM_NINF);
    } else {
        char buf[64];
        snprintf(buf, sizeof buf, "%.*g", digits, v);
        if (tnum_var_parse(buf, &n, err) != 0) {
            tnum_var_free(&n);
            return -1;
        }
    }
    int rc = tnum_var_to_datum(&n, cx, out, err);
    tnum_var_free(&n);
    return rc;
}

void tnum_from_int(int64_t v, MemContext *cx, DatumBytes *out)
{
    char *s = mem_sprintf(cx, "%lld", (long long)v);
    out->ptr = s;
    out->len = strlen(s);
}

Datum type_numeric_from_int(int64_t v, MemContext *cx)
{
    Datum d = {.type = TYPE_NUMERIC, .is_null = false};
    tnum_from_int(v, cx, &d.v.s);
    return d;
}

int type_numeric_from_float(double v, MemContext *cx, Datum *out, DbError *err)
{
    *out = (Datum){.type = TYPE_NUMERIC, .is_null = false};
    return tnum_from_double(v, 15, cx, &out->v.s, err);
}

/* Whether s is exactly what tnum_var_to_datum would print. */
static bool is_canonical(const char *s, size_t len)
{
    if ((len == 3 && memcmp(s, "NaN", 3) == 0) || (len == 8 && memcmp(s, "Infinity", 8) == 0) ||
        (len == 9 && memcmp(s, "-Infinity", 9) == 0))
        return true;
    size_t i = 0;
    bool neg = len > 0 && s[0] == '-';
    if (neg) i++;
    size_t int_start = i;
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++;
    size_t int_len = i - int_start;
    if (int_len == 0 || (int_len > 1 && s[int_start] == '0')) return false;
    bool nonzero = !(int_len == 1 && s[int_start] == '0');
    if (i < len) {
        if (s[i++] != '.' || i == len) return false;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            nonzero |= s[i++] != '0';
        if (i != len) return false;
    }
    return nonzero || !neg;
}

void tnum_output(DatumBytes d, StrBuf *out)
{
    if (is_canonical(d.ptr, d.len)) {
        strbuf_append(out, d.ptr, d.len);
        return;
    }
    /* Text from elsewhere (a literal's spelling, say): print it as
     * numeric_out would. */
    NumVar v;
    tnum_var_init(&v);
    tnum_var_from_datum(d, &v);
    MemContext *cx = mem_context_create(NULL, "numeric output");
    DatumBytes text;
    DbError err;
    if (tnum_var_to_datum(&v, cx, &text, &err) == 0)
        strbuf_append(out, text.ptr, text.len);
    else
        strbuf_append(out, d.ptr, d.len);
    mem_context_destroy(cx);
    tnum_var_free(&v);
}
