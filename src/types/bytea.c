/*
 * bytea: input in PostgreSQL's two forms, hex ("\x" then pairs of hex
 * digits, whitespace allowed between pairs) and escape (bytes as they are,
 * "\\" for a backslash, "\ooo" for any byte); output in hex (bytea_output
 * = hex, PostgreSQL's default).  Errors are byteain's.
 */
#include "types/types_int.h"

#include <string.h>

static int hexdigit(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Bytes of the UTF-8 character at s (for quoting a bad digit whole). */
static int char_len(const char *s, size_t left)
{
    unsigned char c = (unsigned char)*s;
    size_t l = c < 0x80             ? 1
               : (c & 0xe0) == 0xc0 ? 2
               : (c & 0xf0) == 0xe0 ? 3
               : (c & 0xf8) == 0xf0 ? 4
                                    : 1;
    return (int)(l < left ? l : left);
}

int tbytea_parse(const char *s, size_t len, MemContext *cx, DatumBytes *out, DbError *err)
{
    if (len >= 2 && s[0] == '\\' && s[1] == 'x') {
        char *buf = mem_alloc(cx, (len - 2) / 2 + 1);
        size_t n = 0;
        const char *p = s + 2, *end = s + len;
        while (p < end) {
            if (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r') {
                p++;
                continue;
            }
            int hi = hexdigit(*p);
            if (hi < 0)
                return db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE,
                                    "invalid hexadecimal digit: \"%.*s\"",
                                    char_len(p, (size_t)(end - p)), p);
            p++;
            if (p >= end)
                return db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE,
                                    "invalid hexadecimal data: odd number of digits");
            int lo = hexdigit(*p);
            if (lo < 0)
                return db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE,
                                    "invalid hexadecimal digit: \"%.*s\"",
                                    char_len(p, (size_t)(end - p)), p);
            p++;
            buf[n++] = (char)(hi << 4 | lo);
        }
        out->ptr = buf;
        out->len = n;
        return 0;
    }
    char *buf = mem_alloc(cx, len + 1);
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        if (s[i] != '\\') {
            buf[n++] = s[i++];
        } else if (i + 3 < len && s[i + 1] >= '0' && s[i + 1] <= '3' && s[i + 2] >= '0' &&
                   s[i + 2] <= '7' && s[i + 3] >= '0' && s[i + 3] <= '7') {
            buf[n++] = (char)(((s[i + 1] - '0') << 6) | ((s[i + 2] - '0') << 3) | (s[i + 3] - '0'));
            i += 4;
        } else if (i + 1 < len && s[i + 1] == '\\') {
            buf[n++] = '\\';
            i += 2;
        } else {
            return db_error_set(err, SQLSTATE_INVALID_TEXT_REPRESENTATION,
                                "invalid input syntax for type bytea");
        }
    }
    out->ptr = buf;
    out->len = n;
    return 0;
}

void tbytea_format(DatumBytes b, StrBuf *out)
{
    static const char hex[] = "0123456789abcdef";
    strbuf_reserve(out, 2 + 2 * b.len);
    strbuf_append_str(out, "\\x");
    for (size_t i = 0; i < b.len; i++) {
        unsigned char c = (unsigned char)b.ptr[i];
        char pair[2] = {hex[c >> 4], hex[c & 15]};
        strbuf_append(out, pair, 2);
    }
}
