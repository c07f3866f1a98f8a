/*
 * The string family: text, varchar(n), bpchar (character(n)), name and
 * "char".  Owns UTF-8 validation (PostgreSQL's pg_utf8_islegal and its
 * `invalid byte sequence for encoding "UTF8": 0x..` message), character
 * counting, the length rules of varchar(n)/char(n) (counted in characters;
 * excess spaces are clipped, anything else is 22001 unless the cast is
 * explicit, which truncates), bpchar padding, name truncation to 63 bytes,
 * and comparison in the C collation (bytewise; bpchar ignores trailing
 * spaces: against varchar/bpchar both sides are trimmed, against text or
 * name only the bpchar side, as PostgreSQL's operator resolution does).
 */
#include "types/types_int.h"

#include <stdio.h>
#include <string.h>

/* Bytes of the UTF-8 character starting with byte c (pg_utf_mblen). */
static int utf8_mblen(unsigned char c)
{
    if (c < 0x80) return 1;
    if ((c & 0xe0) == 0xc0) return 2;
    if ((c & 0xf0) == 0xe0) return 3;
    if ((c & 0xf8) == 0xf0) return 4;
    return 1;
}

static bool utf8_legal(const unsigned char *s, int len)
{
    unsigned char a;
    switch (len) {
    case 4:
        a = s[3];
        if (a < 0x80 || a > 0xBF) return false;
        /* fall through */
    case 3:
        a = s[2];
        if (a < 0x80 || a > 0xBF) return false;
        /* fall through */
    case 2:
        a = s[1];
        switch (s[0]) {
        case 0xE0:
            if (a < 0xA0 || a > 0xBF) return false;
            break;
        case 0xED:
            if (a < 0x80 || a > 0x9F) return false;
            break;
        case 0xF0:
            if (a < 0x90 || a > 0xBF) return false;
            break;
        case 0xF4:
            if (a < 0x80 || a > 0x8F) return false;
            break;
        default:
            if (a < 0x80 || a > 0xBF) return false;
            break;
        }
        /* fall through */
    case 1:
        a = s[0];
        if (a >= 0x80 && a < 0xC2) return false;
        if (a > 0xF4) return false;
        return true;
    default:
        return false;
    }
}

int ttext_verify_utf8(const char *str, size_t len, DbError *err)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        if (s[i] && s[i] < 0x80) {
            i++;
            continue;
        }
        int l = utf8_mblen(s[i]);
        if (s[i] == 0 || (size_t)l > len - i || !utf8_legal(s + i, l)) {
            char buf[8 * 5 + 1];
            char *p = buf;
            size_t jlimit = (size_t)l < len - i ? (size_t)l : len - i;
            for (size_t j = 0; j < jlimit; j++)
                p += sprintf(p, j + 1 < jlimit ? "0x%02x " : "0x%02x", s[i + j]);
            return db_error_set(err, SQLSTATE_CHARACTER_NOT_IN_REPERTOIRE,
                                "invalid byte sequence for encoding \"UTF8\": %s", buf);
        }
        i += (size_t)l;
    }
    return 0;
}

size_t ttext_char_count(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; n++)
        i += (size_t)utf8_mblen((unsigned char)s[i]);
    return n;
}

size_t ttext_prefix_bytes(const char *s, size_t len, size_t n)
{
    size_t i = 0;
    for (size_t k = 0; k < n && i < len; k++) {
        size_t l = (size_t)utf8_mblen((unsigned char)s[i]);
        if (l > len - i) break;
        i += l;
    }
    return i;
}

size_t ttext_bpchar_len(const char *s, size_t len)
{
    while (len > 0 && s[len - 1] == ' ')
        len--;
    return len;
}

bool ttext_is_string(uint32_t oid)
{
    return oid == TYPE_TEXT || oid == TYPE_VARCHAR || oid == TYPE_BPCHAR || oid == TYPE_NAME ||
           oid == TYPE_CHAR;
}

static Datum string_datum(uint32_t oid, const char *s, size_t len)
{
    return datum_bytes(oid, s, len);
}

int ttext_apply(uint32_t oid, int32_t typmod, bool explicit_cast, const char *s, size_t len,
                MemContext *cx, Datum *out, DbError *err)
{
    switch (oid) {
    case TYPE_NAME: {
        /* namein: clip to 63 bytes at a character boundary. */
        if (len > TYPE_NAME_MAX_BYTES) {
            size_t keep = 0;
            while (keep < len) {
                size_t l = (size_t)utf8_mblen((unsigned char)s[keep]);
                if (keep + l > TYPE_NAME_MAX_BYTES) break;
                keep += l;
            }
            len = keep;
        }
        *out = string_datum(oid, mem_strndup(cx, s, len), len);
        return 0;
    }
    case TYPE_CHAR:
        ttext_char_input(s, len, cx, out);
        return 0;
    case TYPE_VARCHAR:
    case TYPE_BPCHAR: {
        int32_t maxlen = type_typmod_char_length(typmod);
        const char *what = oid == TYPE_VARCHAR ? "character varying" : "character";
        size_t bytes = len;
        size_t chars = maxlen >= 0 ? ttext_char_count(s, len) : 0;
        if (maxlen >= 0 && chars > (size_t)maxlen) {
            bytes = ttext_prefix_bytes(s, len, (size_t)maxlen);
            if (!explicit_cast) {
                for (size_t j = bytes; j < len; j++)
                    if (s[j] != ' ')
                        return db_error_set(err, SQLSTATE_STRING_DATA_RIGHT_TRUNCATION,
                                            "value too long for type %s(%d)", what, maxlen);
            }
            chars = (size_t)maxlen;
        }
        size_t pad = (oid == TYPE_BPCHAR && maxlen >= 0) ? (size_t)maxlen - chars : 0;
        char *buf = mem_alloc(cx, bytes + pad + 1);
        memcpy(buf, s, bytes);
        memset(buf + bytes, ' ', pad);
        buf[bytes + pad] = '\0';
        *out = string_datum(oid, buf, bytes + pad);
        return 0;
    }
    default: {
        char *buf = mem_strndup(cx, s, len);
        *out = string_datum(oid, buf, len);
        return 0;
    }
    }
}

static int bytes_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
    size_t n = alen < blen ? alen : blen;
    int c = n ? memcmp(a, b, n) : 0;
    if (c) return c < 0 ? -1 : 1;
    return alen < blen ? -1 : alen > blen ? 1 : 0;
}

int ttext_cmp(const Datum *a, const Datum *b)
{
    size_t alen = a->v.s.len, blen = b->v.s.len;
    bool abp = a->type == TYPE_BPCHAR, bbp = b->type == TYPE_BPCHAR;
    /* bpchar against bpchar/varchar compares as bpchar (both trimmed);
     * against text/name it is cast to text (only its side trimmed). */
    if (abp) alen = ttext_bpchar_len(a->v.s.ptr, alen);
    if (bbp) blen = ttext_bpchar_len(b->v.s.ptr, blen);
    if (abp && b->type == TYPE_VARCHAR) blen = ttext_bpchar_len(b->v.s.ptr, blen);
    if (bbp && a->type == TYPE_VARCHAR) alen = ttext_bpchar_len(a->v.s.ptr, alen);
    return bytes_cmp(a->v.s.ptr, alen, b->v.s.ptr, blen);
}

void ttext_char_input(const char *s, size_t len, MemContext *cx, Datum *out)
{
    /* charin: "\ooo" is an octal byte; otherwise the first byte, or none. */
    char c = 0;
    if (len == 4 && s[0] == '\\' && s[1] >= '0' && s[1] <= '7' && s[2] >= '0' && s[2] <= '7' &&
        s[3] >= '0' && s[3] <= '7')
        c = (char)(((s[1] - '0') << 6) | ((s[2] - '0') << 3) | (s[3] - '0'));
    else if (len > 0)
        c = s[0];
    char *buf = mem_alloc(cx, 2);
    buf[0] = c;
    buf[1] = '\0';
    *out = datum_bytes(TYPE_CHAR, buf, c ? 1 : 0);
}

void ttext_char_output(const Datum *d, StrBuf *out)
{
    if (d->v.s.len == 0) return;
    unsigned char c = (unsigned char)d->v.s.ptr[0];
    if (c & 0x80)
        strbuf_appendf(out, "\\%03o", c);
    else
        strbuf_append_char(out, (char)c);
}
