/*
 * psycopg-style placeholders for the query tools.  The original server
 * documents "%s" placeholders (psycopg); libpq binds "$1, $2, ...".  When a
 * call passes params and its SQL holds "%s" outside literals, comments and
 * quoted identifiers, each "%s" becomes the next "$n" and "%%" becomes "%",
 * as psycopg reads them.  The values are still bound by the server: only
 * placeholder markers are rewritten, never values spliced into text.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "mcp/mcp_int.h"

static bool ident_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || (unsigned char)c >= 0x80;
}

/* Length of a dollar-quote opening tag at p ("$$", "$tag$"), else 0. */
static size_t dollar_tag(const char *sql, const char *p)
{
    if (p > sql && ident_char(p[-1])) return 0; /* part of an identifier */
    const char *q = p + 1;
    if (isdigit((unsigned char)*q)) return 0; /* $1: a parameter */
    while (ident_char(*q))
        q++;
    return *q == '$' ? (size_t)(q - p) + 1 : 0;
}

/* Skips a literal, quoted identifier or comment starting at p; returns the
 * position after it, or p when p starts none of them. */
static const char *skip_quoted(const char *sql, const char *p)
{
    if (p[0] == '-' && p[1] == '-') {
        while (*p && *p != '\n')
            p++;
        return p;
    }
    if (p[0] == '/' && p[1] == '*') {
        int depth = 0;
        while (*p) {
            if (p[0] == '/' && p[1] == '*') {
                depth++;
                p += 2;
            } else if (p[0] == '*' && p[1] == '/') {
                p += 2;
                if (--depth == 0) break;
            } else {
                p++;
            }
        }
        return p;
    }
    if (*p == '\'' || *p == '"') {
        char quote = *p;
        bool backslash = quote == '\'' && p > sql && (p[-1] == 'E' || p[-1] == 'e') &&
                         (p - 1 == sql || !ident_char(p[-2]));
        for (p++; *p; p++) {
            if (backslash && *p == '\\' && p[1]) {
                p++;
            } else if (*p == quote) {
                if (p[1] != quote) return p + 1;
                p++;
            }
        }
        return p;
    }
    if (*p == '$') {
        size_t n = dollar_tag(sql, p);
        if (n == 0) return p;
        const char *end;
        for (end = p + n; *end; end++)
            if (strncmp(end, p, n) == 0) return end + n;
        return end;
    }
    return p;
}

char *mcp_placeholders_rewrite(const char *sql)
{
    bool found = false;
    for (const char *p = sql; *p;) {
        const char *q = skip_quoted(sql, p);
        if (q != p) {
            p = q;
        } else if (p[0] == '%' && p[1] == 's') {
            found = true;
            break;
        } else {
            p++;
        }
    }
    if (!found) return NULL;
    StrBuf out;
    strbuf_init(&out);
    int n = 0;
    for (const char *p = sql; *p;) {
        const char *q = skip_quoted(sql, p);
        if (q != p) {
            strbuf_append(&out, p, (size_t)(q - p));
            p = q;
        } else if (p[0] == '%' && p[1] == 's') {
            strbuf_appendf(&out, "$%d", ++n);
            p += 2;
        } else if (p[0] == '%' && p[1] == '%') {
            strbuf_append_char(&out, '%');
            p += 2;
        } else {
            strbuf_append_char(&out, *p++);
        }
    }
    char *s = strdup(out.data ? out.data : "");
    strbuf_fini(&out);
    return s;
}
