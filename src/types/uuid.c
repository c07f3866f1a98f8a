/*
 * uuid: input as PostgreSQL's string_to_uuid (32 hex digits, a hyphen
 * allowed after any even-numbered group of four, optional braces, either
 * case) and output in the canonical lowercase 8-4-4-4-12 form.
 */
#include "types/types_int.h"

#include <ctype.h>

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return c - 'A' + 10;
}

int tuuid_parse(const char *s, uint8_t out[16], DbError *err)
{
    const char *p = s;
    bool braces = false;
    if (*p == '{') {
        braces = true;
        p++;
    }
    for (int i = 0; i < 16; i++) {
        if (p[0] == '\0' || p[1] == '\0' || !isxdigit((unsigned char)p[0]) ||
            !isxdigit((unsigned char)p[1]))
            return type_error_syntax(err, "uuid", s);
        out[i] = (uint8_t)(hexval(p[0]) << 4 | hexval(p[1]));
        p += 2;
        if (*p == '-' && i % 2 == 1 && i < 15) p++;
    }
    if (braces) {
        if (*p != '}') return type_error_syntax(err, "uuid", s);
        p++;
    }
    if (*p != '\0') return type_error_syntax(err, "uuid", s);
    return 0;
}

void tuuid_format(const uint8_t u[16], StrBuf *out)
{
    static const char hex[] = "0123456789abcdef";
    char buf[37];
    char *p = buf;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10) *p++ = '-';
        *p++ = hex[u[i] >> 4];
        *p++ = hex[u[i] & 15];
    }
    strbuf_append(out, buf, 36);
}
