/*
 * Mathematical functions: the double precision forms of PostgreSQL's
 * sqrt, exp, ln, log, power, floor, ceil, round, trunc, sign, pi, degrees
 * and radians, with its error texts; and round(numeric [, scale]), which
 * rounds half away from zero as numeric(p, scale) input does.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "exec/exec.h"

static int overflow_check(double r, bool inf_ok, bool zero_ok, DbError *err)
{
    if (isinf(r) && !inf_ok)
        return db_error_set(err, SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE,
                            "value out of range: overflow");
    if (r == 0.0 && !zero_ok)
        return db_error_set(err, SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE,
                            "value out of range: underflow");
    return 0;
}

static int float_func(FuncId f, const Datum *args, double *r, DbError *err)
{
    double x = f == FUNC_PI ? 0 : args[0].v.f;
    switch (f) {
    case FUNC_SQRT:
        if (x < 0)
            return db_error_set(err, SQLSTATE_INVALID_ARGUMENT_FOR_POWER_FUNCTION,
                                "cannot take square root of a negative number");
        *r = sqrt(x);
        return 0;
    case FUNC_EXP:
        *r = exp(x);
        return overflow_check(*r, isinf(x), isinf(x), err);
    case FUNC_LN:
    case FUNC_LOG10:
        if (x == 0)
            return db_error_set(err, SQLSTATE_INVALID_ARGUMENT_FOR_LOG,
                                "cannot take logarithm of zero");
        if (x < 0)
            return db_error_set(err, SQLSTATE_INVALID_ARGUMENT_FOR_LOG,
                                "cannot take logarithm of a negative number");
        *r = f == FUNC_LN ? log(x) : log10(x);
        return 0;
    case FUNC_POWER: {
        double y = args[1].v.f;
        if (x == 0 && y < 0)
            return db_error_set(err, SQLSTATE_INVALID_ARGUMENT_FOR_POWER_FUNCTION,
                                "zero raised to a negative power is undefined");
        if (x < 0 && floor(y) != y && isfinite(y))
            return db_error_set(err, SQLSTATE_INVALID_ARGUMENT_FOR_POWER_FUNCTION,
                                "a negative number raised to a non-integer power yields a complex "
                                "result");
        *r = pow(x, y);
        return overflow_check(*r, isinf(x) || isinf(y), true, err);
    }
    case FUNC_FLOOR:
        *r = floor(x);
        return 0;
    case FUNC_CEIL:
        *r = ceil(x);
        return 0;
    case FUNC_ROUND:
        *r = rint(x); /* PostgreSQL's dround: half to even */
        return 0;
    case FUNC_TRUNC:
        *r = trunc(x);
        return 0;
    case FUNC_SIGN:
        *r = x > 0 ? 1.0 : x < 0 ? -1.0 : 0.0;
        return 0;
    case FUNC_PI:
        *r = M_PI;
        return 0;
    case FUNC_DEGREES:
        *r = x * (180.0 / M_PI);
        return overflow_check(*r, isinf(x), x == 0, err);
    case FUNC_RADIANS:
        *r = x * (M_PI / 180.0);
        return overflow_check(*r, isinf(x), x == 0, err);
    default:
        return db_error_set(err, SQLSTATE_INTERNAL_ERROR, "not a mathematical function");
    }
}

/* round(numeric, s) for 0 <= s <= 1000: the value read back as
 * numeric(1000, s), which rounds half away from zero. */
static int round_numeric(ExecContext *ec, const Expr *e, const Datum *args, Datum *out,
                         DbError *err)
{
    int64_t scale = e->n_args > 1 ? args[1].v.i : 0;
    const char *t = args[0].v.s.ptr;
    size_t len = args[0].v.s.len;
    if ((len >= 3 && t[0] == 'N') || memchr(t, 'I', len)) { /* NaN, ±Infinity */
        *out = args[0];
        return 0;
    }
    if (scale < 0 || scale > 1000)
        return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                            "round(numeric, %lld) is not supported yet", (long long)scale);
    return type_input(TYPE_NUMERIC, type_typmod_numeric(1000, (int32_t)scale), t, len, ec->cx, out,
                      err);
}

int exec_math_func(ExecContext *ec, const Expr *e, const Datum *args, Datum *out, DbError *err)
{
    for (size_t i = 0; i < e->n_args; i++)
        if (args[i].is_null) {
            *out = datum_null(e->type);
            return 0;
        }
    if (e->func == FUNC_ROUND_NUMERIC) return round_numeric(ec, e, args, out, err);
    double r = 0;
    if (float_func(e->func, args, &r, err) != 0) return -1;
    *out = (Datum){.type = TYPE_FLOAT8, .v.f = r};
    return 0;
}
