/*
 * The literal pre-pass: PostgreSQL 16 numeric literals for a PostgreSQL 15
 * grammar.
 *
 * PostgreSQL 16 reads 0x1F, 0o17, 0b101 and 1_000 / 1_000.5 as numbers; the
 * PostgreSQL 15 scanner rejects them ("trailing junk after numeric literal").
 * A small lexer walks the text, skipping comments, string constants (plain,
 * E'' and dollar-quoted) and quoted identifiers, and rewrites each such
 * literal to plain decimal.  A replacement no longer than the literal is
 * padded with spaces so offsets do not move; a longer one (a very large hex
 * literal) is recorded as an edit and parse_prepass_map() translates offsets
 * back.  Malformed literals are left alone: the grammar then reports them as
 * PostgreSQL does.
 */
#include "parse/parse.h"

#include <ctype.h>
#include <string.h>

static bool is_ident_start(unsigned char c)
{
    return isalpha(c) || c == '_' || c >= 0x80;
}

static bool is_ident_char(unsigned char c)
{
    return is_ident_start(c) || isdigit(c) || c == '$';
}

static int radix_digit(unsigned char c, int radix)
{
    int v;
    if (c >= '0' && c <= '9')
        v = c - '0';
    else if (c >= 'a' && c <= 'f')
        v = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F')
        v = c - 'A' + 10;
    else
        return -1;
    return v < radix ? v : -1;
}

/* Skips a run of digits with single underscores between them, starting at
 * s[i]; returns the end, or -1 if an underscore is misplaced. */
static long skip_digits(const char *s, size_t n, size_t i, int radix, bool *saw_underscore)
{
    size_t start = i;
    while (i < n) {
        if (radix_digit((unsigned char)s[i], radix) >= 0) {
            i++;
        } else if (s[i] == '_' && i > start && i + 1 < n &&
                   radix_digit((unsigned char)s[i + 1], radix) >= 0) {
            *saw_underscore = true;
            i++;
        } else {
            break;
        }
    }
    return i == start ? -1 : (long)i;
}

/* Converts digits in the given radix (underscores ignored) to decimal text. */
static void radix_to_decimal(const char *digits, size_t len, int radix, StrBuf *out)
{
    /* Little-endian base-10^9 limbs. */
    uint32_t limbs[64];
    size_t n_limbs = 1;
    limbs[0] = 0;
    for (size_t i = 0; i < len; i++) {
        int d = radix_digit((unsigned char)digits[i], radix);
        if (d < 0) continue;
        uint64_t carry = (uint64_t)d;
        for (size_t k = 0; k < n_limbs; k++) {
            uint64_t v = (uint64_t)limbs[k] * (uint64_t)radix + carry;
            limbs[k] = (uint32_t)(v % 1000000000u);
            carry = v / 1000000000u;
        }
        if (carry && n_limbs < ARRAY_LEN(limbs)) limbs[n_limbs++] = (uint32_t)carry;
    }
    strbuf_appendf(out, "%u", limbs[n_limbs - 1]);
    for (size_t k = n_limbs - 1; k-- > 0;)
        strbuf_appendf(out, "%09u", limbs[k]);
}

/* Returns the end of the token starting at i if it is something to skip
 * (comment, string, quoted identifier, identifier), else i. */
static size_t skip_non_number(const char *s, size_t n, size_t i)
{
    unsigned char c = (unsigned char)s[i];
    if (c == '-' && i + 1 < n && s[i + 1] == '-') {
        while (i < n && s[i] != '\n')
            i++;
        return i;
    }
    if (c == '/' && i + 1 < n && s[i + 1] == '*') {
        int depth = 0;
        while (i < n) {
            if (s[i] == '/' && i + 1 < n && s[i + 1] == '*') {
                depth++;
                i += 2;
            } else if (s[i] == '*' && i + 1 < n && s[i + 1] == '/') {
                depth--;
                i += 2;
                if (depth == 0) return i;
            } else {
                i++;
            }
        }
        return n;
    }
    if (c == '\'') {
        bool backslash = i > 0 && (s[i - 1] == 'e' || s[i - 1] == 'E') &&
                         (i < 2 || !is_ident_char((unsigned char)s[i - 2]));
        i++;
        while (i < n) {
            if (backslash && s[i] == '\\' && i + 1 < n) {
                i += 2;
            } else if (s[i] == '\'') {
                if (i + 1 < n && s[i + 1] == '\'') {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return n;
    }
    if (c == '"') {
        i++;
        while (i < n) {
            if (s[i] == '"') {
                if (i + 1 < n && s[i + 1] == '"') {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return n;
    }
    if (c == '$' && (i == 0 || !is_ident_char((unsigned char)s[i - 1]))) {
        size_t j = i + 1;
        while (j < n && s[j] != '$' && is_ident_char((unsigned char)s[j]) && s[j] != '$')
            j++;
        if (j < n && s[j] == '$' && (j == i + 1 || !isdigit((unsigned char)s[i + 1]))) {
            size_t tag_len = j - i + 1;
            const char *tag = s + i;
            for (size_t k = j + 1; k + tag_len <= n; k++)
                if (memcmp(s + k, tag, tag_len) == 0) return k + tag_len;
            return n;
        }
        return i + 1;
    }
    if (is_ident_start(c)) {
        while (i < n && is_ident_char((unsigned char)s[i]))
            i++;
        return i;
    }
    return i;
}

int parse_prepass_literals(MemContext *cx, const char *sql, ParsePrepass *out, DbError *err)
{
    (void)err;
    size_t n = strlen(sql);
    StrBuf text, repl;
    strbuf_init(&text);
    strbuf_init(&repl);
    size_t cap_edits = 0;
    out->n_edits = 0;
    out->edits = NULL;
    size_t i = 0, copied = 0;
    while (i < n) {
        size_t skip = skip_non_number(sql, n, i);
        if (skip != i) {
            i = skip;
            continue;
        }
        unsigned char c = (unsigned char)sql[i];
        bool starts_number =
            isdigit(c) || (c == '.' && i + 1 < n && isdigit((unsigned char)sql[i + 1]));
        if (!starts_number || (i > 0 && is_ident_char((unsigned char)sql[i - 1]))) {
            i++;
            continue;
        }
        size_t start = i;
        bool underscore = false;
        int radix = 10;
        long end;
        if (c == '0' && i + 1 < n && strchr("xXoObB", sql[i + 1])) {
            char r = (char)tolower((unsigned char)sql[i + 1]);
            radix = r == 'x' ? 16 : r == 'o' ? 8 : 2;
            size_t d = i + 2;
            if (d < n && sql[d] == '_') {
                underscore = true;
                d++;
            }
            end = skip_digits(sql, n, d, radix, &underscore);
        } else {
            end = (long)i;
            if (isdigit(c)) end = skip_digits(sql, n, i, 10, &underscore);
            if (end >= 0 && (size_t)end < n && sql[end] == '.' &&
                !((size_t)end + 1 < n && sql[end + 1] == '.')) {
                long frac = (size_t)end + 1 < n && isdigit((unsigned char)sql[end + 1])
                                ? skip_digits(sql, n, (size_t)end + 1, 10, &underscore)
                                : end + 1;
                end = frac;
            }
            if (end >= 0 && (size_t)end < n && (sql[end] == 'e' || sql[end] == 'E')) {
                size_t e = (size_t)end + 1;
                if (e < n && (sql[e] == '+' || sql[e] == '-')) e++;
                if (e < n && isdigit((unsigned char)sql[e]))
                    end = skip_digits(sql, n, e, 10, &underscore);
            }
        }
        if (end < 0) {
            i = start + 1;
            while (i < n && (isalnum((unsigned char)sql[i]) || sql[i] == '_'))
                i++;
            continue;
        }
        i = (size_t)end;
        if (radix == 10 && !underscore) continue;
        /* A literal glued to an identifier character is junk PostgreSQL
         * reports itself. */
        if (i < n && is_ident_char((unsigned char)sql[i])) continue;
        strbuf_reset(&repl);
        if (radix == 10) {
            for (size_t k = start; k < i; k++)
                if (sql[k] != '_') strbuf_append_char(&repl, sql[k]);
        } else {
            radix_to_decimal(sql + start + 2, i - start - 2, radix, &repl);
        }
        size_t orig_len = i - start;
        strbuf_append(&text, sql + copied, start - copied);
        if (out->n_edits == cap_edits) {
            size_t new_cap = cap_edits ? cap_edits * 2 : 8;
            out->edits = mem_realloc(cx, out->edits, cap_edits * sizeof(ParseEdit),
                                     new_cap * sizeof(ParseEdit));
            cap_edits = new_cap;
        }
        ParseEdit *e = &out->edits[out->n_edits++];
        e->orig_start = (int)start;
        e->orig_end = (int)i;
        e->new_start = (int)text.len;
        strbuf_append(&text, repl.data, repl.len);
        for (size_t k = repl.len; k < orig_len; k++)
            strbuf_append_char(&text, ' ');
        e->new_end = (int)text.len;
        copied = i;
    }
    strbuf_append(&text, sql + copied, n - copied);
    out->text = mem_strndup(cx, text.data ? text.data : "", text.len);
    strbuf_fini(&text);
    strbuf_fini(&repl);
    return 0;
}

int parse_prepass_map(const ParsePrepass *pp, int offset)
{
    int delta = 0;
    for (size_t k = 0; k < pp->n_edits; k++) {
        const ParseEdit *e = &pp->edits[k];
        if (offset < e->new_start) break;
        if (offset < e->new_end)
            return e->orig_start + (offset - e->new_start < e->orig_end - e->orig_start
                                        ? offset - e->new_start
                                        : 0);
        delta = e->orig_end - e->new_end;
    }
    return offset + delta;
}
