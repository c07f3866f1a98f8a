/*
 * The arithmetic operators + - * / % and unary minus: result-type
 * resolution as PostgreSQL's operator lookup settles it for the supported
 * types, then dispatch to the family (int.c, float.c, numeric_io.c, and
 * the date/time operators in dtarith.c).
 *
 * Numeric family: two integers work in the wider of the two (int2 op int4
 * is int4's operator, overflow says "integer out of range"); an integer
 * with numeric is numeric; anything with a float is float8, except real op
 * real which stays real.  There is no float %; oid has no arithmetic.
 */
#include "types/types_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static int int_rank(uint32_t oid)
{
    switch (oid) {
    case TYPE_INT2:
        return 1;
    case TYPE_INT4:
        return 2;
    case TYPE_INT8:
        return 3;
    default:
        return 0;
    }
}

static bool is_float(uint32_t oid)
{
    return oid == TYPE_FLOAT4 || oid == TYPE_FLOAT8;
}

static bool is_num(uint32_t oid)
{
    return int_rank(oid) || is_float(oid) || oid == TYPE_NUMERIC;
}

static int no_operator(char op, uint32_t left, uint32_t right, DbError *err)
{
    MemContext *cx = mem_context_create(NULL, "operator error");
    if (left == TYPE_INVALID)
        db_error_set(err, SQLSTATE_UNDEFINED_FUNCTION, "operator does not exist: %c %s", op,
                     type_format_name(right, -1, cx));
    else
        db_error_set(err, SQLSTATE_UNDEFINED_FUNCTION, "operator does not exist: %s %c %s",
                     type_format_name(left, -1, cx), op, type_format_name(right, -1, cx));
    db_error_hint(err, "No operator matches the given name and argument types. You might need "
                       "to add explicit type casts.");
    mem_context_destroy(cx);
    return -1;
}

static bool numeric_result(char op, uint32_t l, uint32_t r, uint32_t *res)
{
    if (!is_num(l) || !is_num(r)) return false;
    if (int_rank(l) && int_rank(r)) {
        *res = int_rank(l) >= int_rank(r) ? l : r;
        return true;
    }
    if (is_float(l) || is_float(r)) {
        if (op == '%') return false;
        *res = (l == TYPE_FLOAT4 && r == TYPE_FLOAT4) ? TYPE_FLOAT4 : TYPE_FLOAT8;
        return true;
    }
    *res = TYPE_NUMERIC;
    return true;
}

int type_arith_result_type(char op, uint32_t left, uint32_t right, uint32_t *result, DbError *err)
{
    if (op != '+' && op != '-' && op != '*' && op != '/' && op != '%')
        return no_operator(op, left, right, err);
    if (numeric_result(op, left, right, result)) return 0;
    if (tdt_arith_result(op, left, right, result)) return 0;
    return no_operator(op, left, right, err);
}

static double to_double(const Datum *d)
{
    if (is_float(d->type)) return d->v.f;
    if (d->type == TYPE_NUMERIC) return tnum_to_double(d->v.s);
    return (double)d->v.i;
}

static DatumBytes to_numeric(const Datum *d, MemContext *cx)
{
    if (d->type == TYPE_NUMERIC) return d->v.s;
    DatumBytes b;
    tnum_from_int(d->v.i, cx, &b);
    return b;
}

int type_arith(char op, const Datum *a, const Datum *b, MemContext *cx, Datum *out, DbError *err)
{
    uint32_t rt;
    if (type_arith_result_type(op, a->type, b->type, &rt, err) != 0) return -1;
    if (a->is_null || b->is_null) {
        *out = datum_null(rt);
        return 0;
    }
    *out = (Datum){.type = rt, .is_null = false};
    if (!is_num(rt) || !is_num(a->type) || !is_num(b->type))
        return tdt_arith(op, a, b, rt, cx, out, err);
    if (int_rank(rt)) return tint_arith(op, rt, a->v.i, b->v.i, &out->v.i, err);
    if (is_float(rt)) return tflt_arith(op, rt, to_double(a), to_double(b), &out->v.f, err);
    return tnum_arith(op, to_numeric(a, cx), to_numeric(b, cx), cx, &out->v.s, err);
}

int type_negate(const Datum *a, MemContext *cx, Datum *out, DbError *err)
{
    if (a->is_null) {
        *out = *a;
        return 0;
    }
    *out = *a;
    switch (a->type) {
    case TYPE_INT2:
    case TYPE_INT4:
    case TYPE_INT8:
        if (a->v.i == INT64_MIN || !tint_fits(a->type, -a->v.i))
            return tint_range_error(a->type, err);
        out->v.i = -a->v.i;
        return 0;
    case TYPE_FLOAT4:
    case TYPE_FLOAT8:
        out->v.f = -a->v.f;
        return 0;
    case TYPE_NUMERIC:
        return tnum_negate(a->v.s, cx, &out->v.s, err);
    case TYPE_INTERVAL:
        return tdt_interval_negate(&a->v.interval, &out->v.interval, err);
    default:
        return no_operator('-', TYPE_INVALID, a->type, err);
    }
}
