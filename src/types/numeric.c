/*
 * numeric arithmetic: arbitrary precision on base-10000 digits, with
 * PostgreSQL's result scales (add/sub: the larger input scale; mul: the sum;
 * div: select_div_scale; mod: the larger) and rounding (half away from
 * zero).  Long division is Knuth's algorithm D, exact to the requested
 * digit, then rounded.  Special values (NaN, ±Infinity) are handled by the
 * callers in numeric_io.c; everything here is finite unless it says so.
 * Text forms, typmods and casts are in numeric_io.c.
 */
#include "types/numeric_int.h"

#include <stdlib.h>
#include <string.h>

static void *num_malloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) abort();
    return p;
}

void tnum_var_init(NumVar *v)
{
    memset(v, 0, sizeof *v);
}

void tnum_var_free(NumVar *v)
{
    free(v->buf);
    tnum_var_init(v);
}

/* Gives v room for n digits plus a spare leading zero digit. */
static void var_alloc(NumVar *v, int n)
{
    free(v->buf);
    v->buf = num_malloc(((size_t)n + 1) * sizeof(int32_t));
    v->buf[0] = 0;
    v->digits = v->buf + 1;
    v->ndigits = n;
}

static void var_zero(NumVar *v, int dscale)
{
    free(v->buf);
    tnum_var_init(v);
    v->dscale = dscale;
}

void tnum_var_set_special(NumVar *v, int sign)
{
    var_zero(v, 0);
    v->sign = sign;
}

bool tnum_var_is_special(const NumVar *v)
{
    return v->sign == TNUM_NAN || v->sign == TNUM_PINF || v->sign == TNUM_NINF;
}

bool tnum_var_is_zero(const NumVar *v)
{
    if (tnum_var_is_special(v)) return false;
    for (int i = 0; i < v->ndigits; i++)
        if (v->digits[i]) return false;
    return true;
}

void tnum_var_from_int(NumVar *v, int64_t i)
{
    uint64_t mag = i < 0 ? (uint64_t)0 - (uint64_t)i : (uint64_t)i;
    int32_t tmp[8];
    int n = 0;
    while (mag) {
        tmp[n++] = (int32_t)(mag % TNUM_NBASE);
        mag /= TNUM_NBASE;
    }
    var_alloc(v, n);
    for (int k = 0; k < n; k++)
        v->digits[k] = tmp[n - 1 - k];
    v->weight = n - 1;
    v->sign = i < 0 ? TNUM_NEG : TNUM_POS;
    v->dscale = 0;
    tnum_var_strip(v);
}

void tnum_var_copy(NumVar *dst, const NumVar *src)
{
    if (dst == src) return;
    var_alloc(dst, src->ndigits);
    if (src->ndigits) memcpy(dst->digits, src->digits, (size_t)src->ndigits * sizeof(int32_t));
    dst->weight = src->weight;
    dst->sign = src->sign;
    dst->dscale = src->dscale;
}

/* Moves src's contents into dst (freeing dst's) and leaves src empty. */
static void var_move(NumVar *dst, NumVar *src)
{
    free(dst->buf);
    *dst = *src;
    tnum_var_init(src);
}

void tnum_var_strip(NumVar *v)
{
    if (tnum_var_is_special(v)) return;
    int32_t *d = v->digits;
    int n = v->ndigits;
    while (n > 0 && d[0] == 0) {
        d++;
        n--;
        v->weight--;
    }
    while (n > 0 && d[n - 1] == 0)
        n--;
    if (n == 0) {
        v->weight = 0;
        v->sign = TNUM_POS;
    }
    v->digits = d;
    v->ndigits = n;
}

/* Compares absolute values of finite vars. */
static int cmp_abs(const NumVar *a, const NumVar *b)
{
    int i1 = 0, i2 = 0, w1 = a->weight, w2 = b->weight;
    while (w1 > w2 && i1 < a->ndigits) {
        if (a->digits[i1++] != 0) return 1;
        w1--;
    }
    while (w2 > w1 && i2 < b->ndigits) {
        if (b->digits[i2++] != 0) return -1;
        w2--;
    }
    if (w1 == w2) {
        while (i1 < a->ndigits && i2 < b->ndigits) {
            int32_t d = a->digits[i1++] - b->digits[i2++];
            if (d) return d > 0 ? 1 : -1;
        }
    }
    while (i1 < a->ndigits)
        if (a->digits[i1++] != 0) return 1;
    while (i2 < b->ndigits)
        if (b->digits[i2++] != 0) return -1;
    return 0;
}

/* Rank of a value's class in PostgreSQL's numeric sort order. */
static int class_rank(const NumVar *v)
{
    switch (v->sign) {
    case TNUM_NINF:
        return 0;
    case TNUM_PINF:
        return 2;
    case TNUM_NAN:
        return 3;
    default:
        return 1;
    }
}

int tnum_var_cmp(const NumVar *a, const NumVar *b)
{
    int ra = class_rank(a), rb = class_rank(b);
    if (ra != rb) return ra < rb ? -1 : 1;
    if (ra != 1) return 0;
    bool za = tnum_var_is_zero(a), zb = tnum_var_is_zero(b);
    if (za && zb) return 0;
    int sa = za ? 0 : a->sign == TNUM_NEG ? -1 : 1;
    int sb = zb ? 0 : b->sign == TNUM_NEG ? -1 : 1;
    if (sa != sb) return sa < sb ? -1 : 1;
    int c = cmp_abs(a, b);
    return sa < 0 ? -c : c;
}

static int imax(int a, int b)
{
    return a > b ? a : b;
}

/* |a| + |b| into r (fresh). */
static void add_abs(const NumVar *a, const NumVar *b, NumVar *r)
{
    int rweight = imax(a->weight, b->weight) + 1;
    int rfrac = imax(a->ndigits - a->weight - 1, b->ndigits - b->weight - 1);
    int n = rweight + rfrac + 1;
    if (n < 1) n = 1;
    NumVar t;
    tnum_var_init(&t);
    var_alloc(&t, n);
    int i1 = rfrac + a->weight + 1, i2 = rfrac + b->weight + 1, carry = 0;
    for (int i = n - 1; i >= 0; i--) {
        i1--;
        i2--;
        int s = carry;
        if (i1 >= 0 && i1 < a->ndigits) s += a->digits[i1];
        if (i2 >= 0 && i2 < b->ndigits) s += b->digits[i2];
        if (s >= TNUM_NBASE) {
            t.digits[i] = s - TNUM_NBASE;
            carry = 1;
        } else {
            t.digits[i] = s;
            carry = 0;
        }
    }
    t.weight = rweight;
    t.dscale = imax(a->dscale, b->dscale);
    t.sign = TNUM_POS;
    tnum_var_strip(&t);
    var_move(r, &t);
}

/* |a| - |b| into r (fresh), requires |a| >= |b|. */
static void sub_abs(const NumVar *a, const NumVar *b, NumVar *r)
{
    int rweight = a->weight;
    int rfrac = imax(a->ndigits - a->weight - 1, b->ndigits - b->weight - 1);
    int n = rweight + rfrac + 1;
    if (n < 1) n = 1;
    NumVar t;
    tnum_var_init(&t);
    var_alloc(&t, n);
    int i1 = rfrac + a->weight + 1, i2 = rfrac + b->weight + 1, borrow = 0;
    for (int i = n - 1; i >= 0; i--) {
        i1--;
        i2--;
        int s = -borrow;
        if (i1 >= 0 && i1 < a->ndigits) s += a->digits[i1];
        if (i2 >= 0 && i2 < b->ndigits) s -= b->digits[i2];
        if (s < 0) {
            t.digits[i] = s + TNUM_NBASE;
            borrow = 1;
        } else {
            t.digits[i] = s;
            borrow = 0;
        }
    }
    t.weight = rweight;
    t.dscale = imax(a->dscale, b->dscale);
    t.sign = TNUM_POS;
    tnum_var_strip(&t);
    var_move(r, &t);
}

static void add_signed(const NumVar *a, int asign, const NumVar *b, int bsign, NumVar *r)
{
    NumVar t;
    tnum_var_init(&t);
    if (asign == bsign) {
        add_abs(a, b, &t);
        t.sign = asign;
    } else {
        int c = cmp_abs(a, b);
        if (c == 0) {
            var_zero(&t, imax(a->dscale, b->dscale));
        } else if (c > 0) {
            sub_abs(a, b, &t);
            t.sign = asign;
        } else {
            sub_abs(b, a, &t);
            t.sign = bsign;
        }
    }
    tnum_var_strip(&t);
    var_move(r, &t);
}

void tnum_var_add(const NumVar *a, const NumVar *b, NumVar *r)
{
    add_signed(a, a->sign, b, b->sign, r);
}

void tnum_var_sub(const NumVar *a, const NumVar *b, NumVar *r)
{
    add_signed(a, a->sign, b, b->sign == TNUM_NEG ? TNUM_POS : TNUM_NEG, r);
}

void tnum_var_mul(const NumVar *a, const NumVar *b, NumVar *r, int rscale)
{
    NumVar t;
    tnum_var_init(&t);
    if (a->ndigits == 0 || b->ndigits == 0) {
        var_zero(&t, rscale);
        var_move(r, &t);
        return;
    }
    int n = a->ndigits + b->ndigits;
    int64_t *acc = num_malloc((size_t)n * sizeof(int64_t));
    memset(acc, 0, (size_t)n * sizeof(int64_t));
    for (int i = a->ndigits - 1; i >= 0; i--) {
        int64_t ai = a->digits[i];
        if (ai == 0) continue;
        for (int j = b->ndigits - 1; j >= 0; j--)
            acc[i + j + 1] += ai * b->digits[j];
        /* Keep the partial sums small enough for int64: carry after every
         * few thousand rows (each adds < 10^8 per slot). */
        if ((i & 1023) == 0) {
            int64_t carry = 0;
            for (int k = n - 1; k >= 0; k--) {
                int64_t s = acc[k] + carry;
                acc[k] = s % TNUM_NBASE;
                carry = s / TNUM_NBASE;
            }
        }
    }
    var_alloc(&t, n);
    int64_t carry = 0;
    for (int k = n - 1; k >= 0; k--) {
        int64_t s = acc[k] + carry;
        t.digits[k] = (int32_t)(s % TNUM_NBASE);
        carry = s / TNUM_NBASE;
    }
    free(acc);
    t.weight = a->weight + b->weight + 1;
    t.sign = a->sign == b->sign ? TNUM_POS : TNUM_NEG;
    t.dscale = a->dscale + b->dscale;
    tnum_var_strip(&t);
    tnum_var_round(&t, rscale);
    var_move(r, &t);
}

/* q = floor(u / v) on digit strings (most significant first, v[0] != 0,
 * m >= n); q gets m - n + 1 digits. */
static void mag_div(const int32_t *u_in, int m, const int32_t *v_in, int n, int32_t *q)
{
    if (n == 1) {
        int64_t rem = 0, d = v_in[0];
        for (int i = 0; i < m; i++) {
            int64_t cur = rem * TNUM_NBASE + u_in[i];
            q[i] = (int32_t)(cur / d);
            rem = cur % d;
        }
        return;
    }
    /* Normalise so that the divisor's first digit is >= NBASE/2. */
    int64_t d = TNUM_NBASE / (v_in[0] + 1);
    int32_t *u = num_malloc(((size_t)m + 1) * sizeof(int32_t));
    int32_t *v = num_malloc((size_t)n * sizeof(int32_t));
    int64_t carry = 0;
    for (int i = m - 1; i >= 0; i--) {
        int64_t s = u_in[i] * d + carry;
        u[i + 1] = (int32_t)(s % TNUM_NBASE);
        carry = s / TNUM_NBASE;
    }
    u[0] = (int32_t)carry;
    carry = 0;
    for (int i = n - 1; i >= 0; i--) {
        int64_t s = v_in[i] * d + carry;
        v[i] = (int32_t)(s % TNUM_NBASE);
        carry = s / TNUM_NBASE;
    }
    for (int j = 0; j <= m - n; j++) {
        /* Window u[j .. j+n]; estimate the quotient digit from its top two
         * digits and the divisor's top two, then correct. */
        int64_t num = (int64_t)u[j] * TNUM_NBASE + u[j + 1];
        int64_t qhat = num / v[0], rhat = num % v[0];
        while (qhat >= TNUM_NBASE ||
               qhat * v[1] > rhat * TNUM_NBASE + (j + 2 <= m ? u[j + 2] : 0)) {
            qhat--;
            rhat += v[0];
            if (rhat >= TNUM_NBASE) break;
        }
        int64_t mcarry = 0, borrow = 0;
        for (int i = n - 1; i >= 0; i--) {
            int64_t p = qhat * v[i] + mcarry;
            mcarry = p / TNUM_NBASE;
            int64_t t = u[j + 1 + i] - p % TNUM_NBASE - borrow;
            if (t < 0) {
                t += TNUM_NBASE;
                borrow = 1;
            } else {
                borrow = 0;
            }
            u[j + 1 + i] = (int32_t)t;
        }
        int64_t top = u[j] - mcarry - borrow;
        if (top < 0) {
            /* qhat was one too large: add the divisor back. */
            qhat--;
            int64_t c = 0;
            for (int i = n - 1; i >= 0; i--) {
                int64_t s = u[j + 1 + i] + v[i] + c;
                c = s >= TNUM_NBASE;
                u[j + 1 + i] = (int32_t)(c ? s - TNUM_NBASE : s);
            }
            top += c;
        }
        u[j] = (int32_t)top;
        q[j] = (int32_t)qhat;
    }
    free(u);
    free(v);
}

void tnum_var_div(const NumVar *a, const NumVar *b, NumVar *r, int rscale, bool round)
{
    NumVar t;
    tnum_var_init(&t);
    if (a->ndigits == 0) {
        var_zero(&t, rscale);
        var_move(r, &t);
        return;
    }
    /* Fractional base-10000 digits needed so that the truncated quotient
     * is exact to the decimal digit after rscale (for rounding). */
    int need = rscale + (round ? 1 : 0);
    int k = need > 0 ? (need + TNUM_DEC_DIGITS - 1) / TNUM_DEC_DIGITS : 0;
    /* a = A * NBASE^ea, b = B * NBASE^eb with A, B integers. */
    int ea = a->weight - a->ndigits + 1, eb = b->weight - b->ndigits + 1;
    int sh = k + ea - eb;
    int ulen = a->ndigits + (sh > 0 ? sh : 0);
    int vlen = b->ndigits + (sh < 0 ? -sh : 0);
    if (ulen < vlen) {
        var_zero(&t, rscale);
        var_move(r, &t);
        return;
    }
    int32_t *u = num_malloc((size_t)ulen * sizeof(int32_t));
    int32_t *v = num_malloc((size_t)vlen * sizeof(int32_t));
    memset(u, 0, (size_t)ulen * sizeof(int32_t));
    memset(v, 0, (size_t)vlen * sizeof(int32_t));
    memcpy(u, a->digits, (size_t)a->ndigits * sizeof(int32_t));
    memcpy(v, b->digits, (size_t)b->ndigits * sizeof(int32_t));
    int qlen = ulen - vlen + 1;
    var_alloc(&t, qlen);
    mag_div(u, ulen, v, vlen, t.digits);
    free(u);
    free(v);
    t.weight = qlen - 1 - k;
    t.sign = a->sign == b->sign ? TNUM_POS : TNUM_NEG;
    t.dscale = rscale;
    tnum_var_strip(&t);
    if (round)
        tnum_var_round(&t, rscale);
    else
        tnum_var_trunc(&t, rscale);
    var_move(r, &t);
}

void tnum_var_mod(const NumVar *a, const NumVar *b, NumVar *r)
{
    /* mod(a, b) = a - trunc(a / b) * b, as PostgreSQL's mod_var. */
    NumVar q, p;
    tnum_var_init(&q);
    tnum_var_init(&p);
    tnum_var_div(a, b, &q, 0, false);
    tnum_var_mul(b, &q, &p, b->dscale);
    tnum_var_sub(a, &p, r);
    tnum_var_free(&q);
    tnum_var_free(&p);
}

/* Makes sure digits[-1] exists and is zero, for a rounding carry. */
static void ensure_spare(NumVar *v)
{
    if (v->buf && v->digits > v->buf) {
        v->digits[-1] = 0;
        return;
    }
    NumVar t;
    tnum_var_init(&t);
    var_alloc(&t, v->ndigits);
    if (v->ndigits) memcpy(t.digits, v->digits, (size_t)v->ndigits * sizeof(int32_t));
    t.weight = v->weight;
    t.sign = v->sign;
    t.dscale = v->dscale;
    var_move(v, &t);
}

static const int32_t round_powers[4] = {0, 1000, 100, 10};

void tnum_var_round(NumVar *v, int rscale)
{
    v->dscale = rscale;
    /* Decimal digits to keep, counted from the first digit's top. */
    int di = (v->weight + 1) * TNUM_DEC_DIGITS + rscale;
    if (di < 0) {
        v->ndigits = 0;
        v->weight = 0;
        v->sign = TNUM_POS;
        return;
    }
    int ndigits = (di + TNUM_DEC_DIGITS - 1) / TNUM_DEC_DIGITS;
    di %= TNUM_DEC_DIGITS;
    if (ndigits < v->ndigits || (ndigits == v->ndigits && di > 0)) {
        ensure_spare(v);
        int32_t *d = v->digits;
        int carry;
        v->ndigits = ndigits;
        if (di == 0) {
            carry = d[ndigits] >= TNUM_HALF_NBASE ? 1 : 0;
        } else {
            int32_t pow10 = round_powers[di];
            ndigits--;
            int32_t extra = d[ndigits] % pow10;
            d[ndigits] -= extra;
            carry = 0;
            if (extra >= pow10 / 2) {
                int32_t s = d[ndigits] + pow10;
                if (s >= TNUM_NBASE) {
                    s -= TNUM_NBASE;
                    carry = 1;
                }
                d[ndigits] = s;
            }
        }
        while (carry) {
            int32_t s = d[--ndigits] + carry;
            if (s >= TNUM_NBASE) {
                d[ndigits] = s - TNUM_NBASE;
                carry = 1;
            } else {
                d[ndigits] = s;
                carry = 0;
            }
        }
        if (ndigits < 0) {
            /* The carry ran into the spare digit. */
            v->digits--;
            v->ndigits++;
            v->weight++;
        }
    }
    tnum_var_strip(v);
}

void tnum_var_trunc(NumVar *v, int rscale)
{
    v->dscale = rscale;
    int di = (v->weight + 1) * TNUM_DEC_DIGITS + rscale;
    if (di <= 0) {
        v->ndigits = 0;
        v->weight = 0;
        v->sign = TNUM_POS;
        return;
    }
    int ndigits = (di + TNUM_DEC_DIGITS - 1) / TNUM_DEC_DIGITS;
    if (ndigits <= v->ndigits) {
        v->ndigits = ndigits;
        di %= TNUM_DEC_DIGITS;
        if (di > 0) v->digits[ndigits - 1] -= v->digits[ndigits - 1] % round_powers[di];
    }
    tnum_var_strip(v);
}

int tnum_var_select_div_scale(const NumVar *a, const NumVar *b)
{
    /* At least 16 significant digits, and no less than either input's
     * display scale; at most 1000 (PostgreSQL's select_div_scale). */
    int w1 = 0, w2 = 0;
    int32_t f1 = 0, f2 = 0;
    for (int i = 0; i < a->ndigits; i++) {
        if (a->digits[i]) {
            f1 = a->digits[i];
            w1 = a->weight - i;
            break;
        }
    }
    for (int i = 0; i < b->ndigits; i++) {
        if (b->digits[i]) {
            f2 = b->digits[i];
            w2 = b->weight - i;
            break;
        }
    }
    int qweight = w1 - w2;
    if (f1 <= f2) qweight--;
    int rscale = TNUM_MIN_SIG_DIGITS - qweight * TNUM_DEC_DIGITS;
    rscale = imax(rscale, a->dscale);
    rscale = imax(rscale, b->dscale);
    rscale = imax(rscale, 0);
    if (rscale > TYPE_NUMERIC_MAX_DISPLAY_SCALE) rscale = TYPE_NUMERIC_MAX_DISPLAY_SCALE;
    return rscale;
}
