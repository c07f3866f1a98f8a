/*
 * Numeric keys: PostgreSQL's decimal text ("-12.50", "NaN", "Infinity") to a
 * memcomparable element and back.  The key depends only on the value, not on
 * the display scale: "1.50" and "1.5" encode identically (they are equal in
 * SQL), and decoding gives the shortest text ("1.5").  The display form is
 * the row value's business (row.c keeps the text as written).
 *
 *   0x50 -Infinity   0x52 zero   0x54 +Infinity   0x55 NaN
 *   0x53 positive: oint(E) digits          value = 0.d1d2...dn x 10^E
 *   0x51 negative: ~(oint(E) digits)       (every byte complemented)
 * d1 != 0 and dn != 0.  digits: the d's in pairs (the last padded with 0),
 * pair X = 10*d(2k+1) + d(2k+2) written as 2X+1, except the last as 2X, so
 * the final byte is the only even one and no byte is 0x00.  oint is the
 * ordered integer of key.c.  Larger E means larger magnitude, so memcmp
 * orders positives by (E, digits) and the complement reverses negatives.
 */
#include "kv/kv_internal.h"

#include <string.h>
#include <strings.h>

static int kv_numeric_syntax_error(DbError *err, const char *s, size_t len)
{
    int shown = len > 200 ? 200 : (int)len;
    return db_error_set(err, SQLSTATE_INVALID_TEXT_REPRESENTATION,
                        "invalid input syntax for type numeric: \"%.*s%s\"", shown, s ? s : "",
                        len > 200 ? "..." : "");
}

static bool kv_text_is(const char *s, size_t len, const char *literal)
{
    return len == strlen(literal) && strncasecmp(s, literal, len) == 0;
}

static bool kv_is_digit(char c)
{
    return c >= '0' && c <= '9';
}

int kv_numeric_key_append(StrBuf *out, const char *s, size_t len, DbError *err)
{
    if (kv_text_is(s, len, "NaN")) {
        strbuf_append_char(out, (char)KV_TAG_NUMERIC_NAN);
        return 0;
    }
    if (kv_text_is(s, len, "Infinity") || kv_text_is(s, len, "+Infinity") ||
        kv_text_is(s, len, "inf") || kv_text_is(s, len, "+inf")) {
        strbuf_append_char(out, (char)KV_TAG_NUMERIC_POS_INF);
        return 0;
    }
    if (kv_text_is(s, len, "-Infinity") || kv_text_is(s, len, "-inf")) {
        strbuf_append_char(out, (char)KV_TAG_NUMERIC_NEG_INF);
        return 0;
    }

    /* [+-] digits [. digits], at least one digit. */
    size_t i = 0;
    bool negative = false;
    if (i < len && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
    size_t int_start = i;
    while (i < len && kv_is_digit(s[i]))
        i++;
    size_t int_end = i, frac_start = i, frac_end = i;
    if (i < len && s[i] == '.') {
        frac_start = ++i;
        while (i < len && kv_is_digit(s[i]))
            i++;
        frac_end = i;
    }
    if (i != len || (int_end - int_start) + (frac_end - frac_start) == 0)
        return kv_numeric_syntax_error(err, s, len);

    /* The significant digits run from the first to the last non-zero one. */
    size_t first = int_start;
    while (first < int_end && s[first] == '0')
        first++;
    int64_t exponent;
    if (first < int_end) {
        exponent = (int64_t)(int_end - first);
    } else {
        first = frac_start;
        while (first < frac_end && s[first] == '0')
            first++;
        if (first == frac_end) {
            strbuf_append_char(out, (char)KV_TAG_NUMERIC_ZERO);
            return 0;
        }
        exponent = -(int64_t)(first - frac_start);
    }
    size_t last = frac_end;
    while (last > frac_start && s[last - 1] == '0')
        last--;
    if (last == frac_start) { /* no non-zero fractional digit */
        last = int_end;
        while (s[last - 1] == '0')
            last--;
    }
    last--; /* index of the last significant digit */
    size_t frac_digits = last >= frac_start && frac_end > frac_start ? last - frac_start + 1 : 0;
    if (exponent > KV_NUMERIC_MAX_INT_DIGITS || frac_digits > KV_NUMERIC_MAX_FRAC_DIGITS)
        return db_error_set(err, SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE,
                            "value overflows numeric format");

    /* The '.' sits at int_end when there is a fraction; skip it. */
    bool has_point = frac_end > int_end;
    size_t digits = last - first + 1 - (has_point && first < int_end && last >= frac_start);

    strbuf_append_char(out, (char)(negative ? KV_TAG_NUMERIC_NEG : KV_TAG_NUMERIC_POS));
    size_t body = out->len;
    uint8_t buf[KV_OINT_MAX_BYTES];
    strbuf_append(out, buf, kv_oint_encode(buf, exponent));
    strbuf_reserve(out, digits / 2 + 1);
    size_t j = first;
    for (size_t k = 0; k < digits; k += 2) {
        if (has_point && j == int_end) j++;
        int hi = s[j++] - '0';
        int lo = 0;
        if (k + 1 < digits) {
            if (has_point && j == int_end) j++;
            lo = s[j++] - '0';
        }
        int x = hi * 10 + lo;
        bool final = k + 2 >= digits;
        strbuf_append_char(out, (char)(final ? 2 * x : 2 * x + 1));
    }
    if (negative)
        for (size_t k = body; k < out->len; k++)
            out->data[k] = (char)~out->data[k];
    return 0;
}

/* The shape of a finite non-zero numeric element at r->pos. */
typedef struct KvNumericScan {
    bool negative;
    int64_t exponent;
    size_t digits_at; /* index of the first digit byte */
    size_t pairs;
    size_t ndigits;
    size_t end; /* index after the element */
} KvNumericScan;

static int kv_numeric_key_scan(const KvKeyReader *r, KvNumericScan *scan, DbError *err)
{
    const uint8_t *p = r->p + r->pos;
    size_t avail = r->len - r->pos;
    scan->negative = p[0] == KV_TAG_NUMERIC_NEG;
    uint8_t mask = scan->negative ? 0xFF : 0x00;
    size_t used = kv_oint_decode(p + 1, avail - 1, mask, &scan->exponent);
    if (used == 0) return kv_key_corrupt(err, r, "malformed numeric exponent");
    size_t i = 1 + used;
    scan->digits_at = r->pos + i;
    scan->pairs = 0;
    for (;;) {
        if (i >= avail) return kv_key_corrupt(err, r, "unterminated numeric");
        uint8_t b = p[i++] ^ mask;
        if (b == 0 || b > 199) return kv_key_corrupt(err, r, "invalid numeric digit byte");
        int x = b / 2;
        if (scan->pairs == 0 && x < 10) return kv_key_corrupt(err, r, "numeric leading zero");
        scan->pairs++;
        if (b % 2 == 0) {
            scan->ndigits = 2 * scan->pairs - (x % 10 == 0 ? 1 : 0);
            break;
        }
    }
    if (scan->exponent > KV_NUMERIC_MAX_INT_DIGITS ||
        (int64_t)scan->ndigits - scan->exponent > KV_NUMERIC_MAX_FRAC_DIGITS)
        return kv_key_corrupt(err, r, "numeric out of range");
    scan->end = r->pos + i;
    return 0;
}

static void kv_numeric_datum(MemContext *cx, const char *text, Datum *out)
{
    *out = datum_bytes(TYPE_NUMERIC, mem_strdup(cx, text), strlen(text));
}

int kv_numeric_key_read(KvKeyReader *r, MemContext *cx, Datum *out, DbError *err)
{
    switch (r->p[r->pos]) {
    case KV_TAG_NUMERIC_NAN:
        kv_numeric_datum(cx, "NaN", out);
        r->pos++;
        return 0;
    case KV_TAG_NUMERIC_POS_INF:
        kv_numeric_datum(cx, "Infinity", out);
        r->pos++;
        return 0;
    case KV_TAG_NUMERIC_NEG_INF:
        kv_numeric_datum(cx, "-Infinity", out);
        r->pos++;
        return 0;
    case KV_TAG_NUMERIC_ZERO:
        kv_numeric_datum(cx, "0", out);
        r->pos++;
        return 0;
    default:
        break;
    }
    KvNumericScan scan;
    if (kv_numeric_key_scan(r, &scan, err) < 0) return -1;

    /* Unpack the digit pairs. */
    uint8_t mask = scan.negative ? 0xFF : 0x00;
    char *digits = mem_alloc(cx, 2 * scan.pairs + 1);
    for (size_t k = 0; k < scan.pairs; k++) {
        int x = (r->p[scan.digits_at + k] ^ mask) / 2;
        digits[2 * k] = (char)('0' + x / 10);
        digits[2 * k + 1] = (char)('0' + x % 10);
    }
    size_t nd = scan.ndigits;
    int64_t e = scan.exponent;

    /* Lay the digits out around the decimal point. */
    size_t len = scan.negative ? 1 : 0;
    if (e <= 0)
        len += 2 + (size_t)-e + nd;
    else if ((size_t)e >= nd)
        len += (size_t)e;
    else
        len += nd + 1;
    char *text = mem_alloc(cx, len + 1);
    size_t n = 0;
    if (scan.negative) text[n++] = '-';
    if (e <= 0) {
        text[n++] = '0';
        text[n++] = '.';
        memset(text + n, '0', (size_t)-e);
        n += (size_t)-e;
        memcpy(text + n, digits, nd);
        n += nd;
    } else if ((size_t)e >= nd) {
        memcpy(text + n, digits, nd);
        n += nd;
        memset(text + n, '0', (size_t)e - nd);
        n += (size_t)e - nd;
    } else {
        memcpy(text + n, digits, (size_t)e);
        n += (size_t)e;
        text[n++] = '.';
        memcpy(text + n, digits + e, nd - (size_t)e);
        n += nd - (size_t)e;
    }
    text[n] = '\0';
    *out = datum_bytes(TYPE_NUMERIC, text, n);
    r->pos = scan.end;
    return 0;
}

int kv_numeric_key_skip(KvKeyReader *r, DbError *err)
{
    uint8_t tag = r->p[r->pos];
    if (tag != KV_TAG_NUMERIC_NEG && tag != KV_TAG_NUMERIC_POS) {
        r->pos++;
        return 0;
    }
    KvNumericScan scan;
    if (kv_numeric_key_scan(r, &scan, err) < 0) return -1;
    r->pos = scan.end;
    return 0;
}
