/*
 * NumVar: numeric's working form inside the types room (numeric.c does the
 * arithmetic, numeric_io.c the text forms).  Like PostgreSQL's NumericVar:
 * base-10000 digits, most significant first, digit i worth
 * 10000^(weight - i); dscale is the display scale (decimal digits after the
 * point).  Digits live in a malloc'd buffer with one spare leading digit
 * for rounding carries; temporaries are freed before returning so that a
 * long aggregate does not grow the caller's memory context.
 */
#pragma once

#include <stdint.h>

#include "types/types_int.h"

#define TNUM_NBASE 10000
#define TNUM_HALF_NBASE 5000
#define TNUM_DEC_DIGITS 4
#define TNUM_MIN_SIG_DIGITS 16

enum { TNUM_POS = 0, TNUM_NEG, TNUM_NAN, TNUM_PINF, TNUM_NINF };

typedef struct NumVar {
    int ndigits;
    int weight;
    int sign;
    int dscale;
    int32_t *digits; /* points into buf */
    int32_t *buf;    /* malloc'd; NULL for no digits */
} NumVar;

void tnum_var_init(NumVar *v);
void tnum_var_free(NumVar *v);
void tnum_var_set_special(NumVar *v, int sign);
void tnum_var_from_int(NumVar *v, int64_t i);
/* Replaces dst's contents by a copy of src. */
void tnum_var_copy(NumVar *dst, const NumVar *src);
bool tnum_var_is_special(const NumVar *v);
bool tnum_var_is_zero(const NumVar *v);
void tnum_var_strip(NumVar *v);

/* Finite-value arithmetic; results go to a fresh var (r may alias
 * nothing).  Zero results are positive. */
int tnum_var_cmp(const NumVar *a, const NumVar *b); /* full order with specials */
void tnum_var_add(const NumVar *a, const NumVar *b, NumVar *r);
void tnum_var_sub(const NumVar *a, const NumVar *b, NumVar *r);
void tnum_var_mul(const NumVar *a, const NumVar *b, NumVar *r, int rscale);
/* b must be non-zero.  Rounds (half away from zero) or truncates to rscale. */
void tnum_var_div(const NumVar *a, const NumVar *b, NumVar *r, int rscale, bool round);
void tnum_var_mod(const NumVar *a, const NumVar *b, NumVar *r);
void tnum_var_round(NumVar *v, int rscale);
void tnum_var_trunc(NumVar *v, int rscale);
int tnum_var_select_div_scale(const NumVar *a, const NumVar *b);

/* Text forms (numeric_io.c). */
int tnum_var_parse(const char *s, NumVar *v, DbError *err);
void tnum_var_from_datum(DatumBytes d, NumVar *v);
/* Checks the storage limits ("value overflows numeric format") and writes
 * canonical text into cx. */
int tnum_var_to_datum(const NumVar *v, MemContext *cx, DatumBytes *out, DbError *err);
