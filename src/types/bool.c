/*
 * boolean input (PostgreSQL's boolin/parse_bool_with_len): surrounding
 * whitespace is ignored and any unambiguous case-insensitive prefix of
 * true/false/yes/no/on/off is accepted, as are 1 and 0.  Output ("t"/"f")
 * is in io.c; the bool → text cast ("true"/"false") in cast.c.
 */
#include "types/types_int.h"

#include <ctype.h>
#include <strings.h>
#include <string.h>

static bool prefix_of(const char *s, size_t len, const char *word)
{
    return len <= strlen(word) && strncasecmp(s, word, len) == 0;
}

bool tbool_parse(const char *s, bool *out)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t len = strlen(s);
    while (len > 0 && isspace((unsigned char)s[len - 1]))
        len--;
    if (len == 0) return false;
    switch (s[0]) {
    case 't':
    case 'T':
        if (prefix_of(s, len, "true")) return *out = true, true;
        return false;
    case 'f':
    case 'F':
        if (prefix_of(s, len, "false")) return *out = false, true;
        return false;
    case 'y':
    case 'Y':
        if (prefix_of(s, len, "yes")) return *out = true, true;
        return false;
    case 'n':
    case 'N':
        if (prefix_of(s, len, "no")) return *out = false, true;
        return false;
    case 'o':
    case 'O':
        /* "o" alone is ambiguous: at least two characters are needed. */
        if (len >= 2 && prefix_of(s, len, "on")) return *out = true, true;
        if (len >= 2 && prefix_of(s, len, "off")) return *out = false, true;
        return false;
    case '1':
        if (len == 1) return *out = true, true;
        return false;
    case '0':
        if (len == 1) return *out = false, true;
        return false;
    default:
        return false;
    }
}
