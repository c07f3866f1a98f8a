/*
 * smallint, integer, bigint and oid: text input and the integer arithmetic
 * operators.
 *
 * Input follows PostgreSQL 16 (pg_strtoint16/32/64_safe): optional
 * surrounding whitespace, a sign, then decimal digits or a 0x/0o/0b prefix,
 * with single underscores allowed between digits.  (PostgreSQL 15 accepts
 * only plain decimal; the PG16 forms are a superset.)  Values accumulate as
 * unsigned magnitudes so the most negative value parses, and overflow is
 * reported as soon as it happens, as PostgreSQL does.  oid input is
 * uint32in_subr: strtoul in base 10, negative inputs wrap.
 * Arithmetic works in the operator's result type (int2 op int4 is done in
 * int4) with PostgreSQL's overflow and division-by-zero errors.
 */
#include "types/types_int.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

static const char *int_type_name(uint32_t oid)
{
    switch (oid) {
    case TYPE_INT2:
        return "smallint";
    case TYPE_INT4:
        return "integer";
    default:
        return "bigint";
    }
}

static uint64_t int_neg_limit(uint32_t oid)
{
    switch (oid) {
    case TYPE_INT2:
        return 32768u;
    case TYPE_INT4:
        return 2147483648u;
    default:
        return UINT64_C(9223372036854775808);
    }
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return c - 'A' + 10;
}

static bool digit_in_base(char c, int base)
{
    switch (base) {
    case 16:
        return isxdigit((unsigned char)c) != 0;
    case 8:
        return c >= '0' && c <= '7';
    case 2:
        return c == '0' || c == '1';
    default:
        return c >= '0' && c <= '9';
    }
}

int tint_parse(uint32_t oid, const char *s, int64_t *out, DbError *err)
{
    const char *name = int_type_name(oid);
    /* The magnitude may reach neg_limit (for the most negative value). */
    uint64_t limit = int_neg_limit(oid);
    const char *p = s;
    bool neg = false;
    while (isspace((unsigned char)*p))
        p++;
    if (*p == '-') {
        neg = true;
        p++;
    } else if (*p == '+') {
        p++;
    }
    int base = 10;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
        base = 16;
    else if (p[0] == '0' && (p[1] == 'o' || p[1] == 'O'))
        base = 8;
    else if (p[0] == '0' && (p[1] == 'b' || p[1] == 'B'))
        base = 2;
    if (base != 10) p += 2;
    const char *first = p;
    uint64_t acc = 0;
    for (;;) {
        if (digit_in_base(*p, base)) {
            /* Overflow check before the multiply, as PostgreSQL: the
             * accumulator may not pass limit / base. */
            if (acc > limit / (uint64_t)base) return type_error_range(err, s, name);
            acc = acc * (uint64_t)base + (uint64_t)hex_value(*p);
            p++;
        } else if (*p == '_') {
            /* Decimal: not first; every base: must be followed by a digit. */
            if (base == 10 && p == first) return type_error_syntax(err, name, s);
            p++;
            if (!digit_in_base(*p, base)) return type_error_syntax(err, name, s);
        } else {
            break;
        }
    }
    if (p == first) return type_error_syntax(err, name, s);
    while (isspace((unsigned char)*p))
        p++;
    if (*p != '\0') return type_error_syntax(err, name, s);
    if (neg) {
        if (acc > limit) return type_error_range(err, s, name);
        *out = acc == UINT64_C(9223372036854775808) ? INT64_MIN : -(int64_t)acc;
    } else {
        if (acc > limit - 1) return type_error_range(err, s, name);
        *out = (int64_t)acc;
    }
    return 0;
}

int tint_oid_parse(const char *s, int64_t *out, DbError *err)
{
    char *end;
    errno = 0;
    unsigned long cvt = strtoul(s, &end, 10);
    if ((errno && errno != ERANGE) || end == s) return type_error_syntax(err, "oid", s);
    if (errno == ERANGE) return type_error_range(err, s, "oid");
    while (*end && isspace((unsigned char)*end))
        end++;
    if (*end) return type_error_syntax(err, "oid", s);
    /* strtoul accepts a minus sign and negates; PostgreSQL keeps inputs that
     * fit after either signed or unsigned extension. */
    uint32_t v = (uint32_t)cvt;
    if (cvt != (unsigned long)v && cvt != (unsigned long)(long)(int32_t)v)
        return type_error_range(err, s, "oid");
    *out = v;
    return 0;
}

int tint_range_error(uint32_t oid, DbError *err)
{
    return db_error_set(err, SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "%s out of range",
                        int_type_name(oid));
}

bool tint_fits(uint32_t oid, int64_t v)
{
    switch (oid) {
    case TYPE_INT2:
        return v >= INT16_MIN && v <= INT16_MAX;
    case TYPE_INT4:
        return v >= INT32_MIN && v <= INT32_MAX;
    case TYPE_OID:
        return v >= 0 && v <= UINT32_MAX;
    default:
        return true;
    }
}

int tint_arith(char op, uint32_t result_type, int64_t a, int64_t b, int64_t *out, DbError *err)
{
    int64_t r = 0;
    bool overflow = false;
    switch (op) {
    case '+':
        overflow = __builtin_add_overflow(a, b, &r);
        break;
    case '-':
        overflow = __builtin_sub_overflow(a, b, &r);
        break;
    case '*':
        overflow = __builtin_mul_overflow(a, b, &r);
        break;
    case '/':
        if (b == 0) return db_error_set(err, SQLSTATE_DIVISION_BY_ZERO, "division by zero");
        /* The most negative value / -1 overflows; C leaves it undefined. */
        if (b == -1)
            overflow = __builtin_sub_overflow((int64_t)0, a, &r);
        else
            r = a / b;
        break;
    case '%':
        if (b == 0) return db_error_set(err, SQLSTATE_DIVISION_BY_ZERO, "division by zero");
        r = b == -1 ? 0 : a % b;
        break;
    default:
        return db_error_set(err, SQLSTATE_INTERNAL_ERROR, "unknown integer operator %c", op);
    }
    if (overflow || !tint_fits(result_type, r)) return tint_range_error(result_type, err);
    *out = r;
    return 0;
}
