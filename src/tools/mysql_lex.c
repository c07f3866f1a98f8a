/*
 * A MySQL tokenizer for DDL conversion: backtick identifiers, '...' and
 * "..." strings with backslash escapes, introducers (_utf8mb4'...', N'...'),
 * hex and bit literals, # and "-- " comments, and versioned comments
 * (the body of a 40101-style executable comment is read as tokens, as MySQL
 * does, so mysqldump's SET and PARTITION clauses are seen).  DELIMITER lines
 * change the statement delimiter, as the mysql client does for triggers and
 * procedures.
 *
 * Every input is tokenised: unterminated strings and comments run to the
 * end, unknown bytes are one-byte operators.  Nothing here allocates except
 * the decoders at the end.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "tools/tools_int.h"

void mysql_lex_init(MyLexer *lx, const char *s, int len)
{
    memset(lx, 0, sizeof *lx);
    lx->s = s;
    lx->len = len;
    lx->line = 1;
    strcpy(lx->delimiter, ";");
}

static bool my_ident_char(unsigned char c)
{
    return isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

static void advance(MyLexer *lx, int to)
{
    if (to > lx->len) to = lx->len;
    for (int i = lx->pos; i < to; i++)
        if (lx->s[i] == '\n') lx->line++;
    lx->pos = to;
}

/* Skips blanks and comments; false at the end. */
static bool skip_blanks(MyLexer *lx)
{
    const char *s = lx->s;
    for (;;) {
        int i = lx->pos;
        if (i >= lx->len) return false;
        char c = s[i], c1 = i + 1 < lx->len ? s[i + 1] : '\0';
        char c2 = i + 2 < lx->len ? s[i + 2] : '\0';
        if (isspace((unsigned char)c)) {
            advance(lx, i + 1);
        } else if (c == '#' ||
                   (c == '-' && c1 == '-' && (c2 == '\0' || isspace((unsigned char)c2)))) {
            int j = i;
            while (j < lx->len && s[j] != '\n')
                j++;
            advance(lx, j);
        } else if (c == '/' && c1 == '*' && c2 == '!') {
            int j = i + 3;
            while (j < lx->len && isdigit((unsigned char)s[j]))
                j++;
            lx->in_versioned = true;
            advance(lx, j);
        } else if (c == '/' && c1 == '*') {
            int j = i + 2;
            while (j + 1 < lx->len && !(s[j] == '*' && s[j + 1] == '/'))
                j++;
            advance(lx, j + 2);
        } else if (lx->in_versioned && c == '*' && c1 == '/') {
            lx->in_versioned = false;
            advance(lx, i + 2);
        } else {
            return true;
        }
    }
}

static int skip_quoted(const char *s, int len, int pos, char q)
{
    int i = pos + 1;
    while (i < len) {
        if (s[i] == '\\' && q != '`') {
            i += 2;
            continue;
        }
        if (s[i] == q) {
            if (i + 1 < len && s[i + 1] == q) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i++;
    }
    return len;
}

bool mysql_lex_delimiter(MyLexer *lx)
{
    if (!skip_blanks(lx)) return false;
    int i = lx->pos;
    if (lx->len - i < 10 || strncasecmp(lx->s + i, "delimiter", 9) != 0 ||
        !(lx->s[i + 9] == ' ' || lx->s[i + 9] == '\t'))
        return false;
    int j = i + 9;
    while (j < lx->len && (lx->s[j] == ' ' || lx->s[j] == '\t'))
        j++;
    int k = j;
    while (k < lx->len && !isspace((unsigned char)lx->s[k]))
        k++;
    size_t n = (size_t)(k - j);
    if (n > 0 && n < sizeof lx->delimiter) {
        memcpy(lx->delimiter, lx->s + j, n);
        lx->delimiter[n] = '\0';
    }
    while (k < lx->len && lx->s[k] != '\n')
        k++;
    advance(lx, k);
    return true;
}

void mysql_lex_next(MyLexer *lx, MyToken *t)
{
    const char *s = lx->s;
    if (!skip_blanks(lx)) {
        t->delim = false;
        t->kind = MY_EOF;
        t->start = t->end = lx->len;
        t->line = lx->line;
        return;
    }
    int i = lx->pos;
    t->start = i;
    t->line = lx->line;
    t->delim = false;
    size_t dl = strlen(lx->delimiter);
    if (strcmp(lx->delimiter, ";") != 0 && (size_t)(lx->len - i) >= dl &&
        memcmp(s + i, lx->delimiter, dl) == 0) {
        t->kind = MY_PUNCT;
        t->end = i + (int)dl;
        t->delim = true;
        advance(lx, t->end);
        return;
    }
    unsigned char c = (unsigned char)s[i];
    char c1 = i + 1 < lx->len ? s[i + 1] : '\0';
    int end;
    if ((c == 'x' || c == 'X') && c1 == '\'') {
        t->kind = MY_HEX;
        end = skip_quoted(s, lx->len, i + 1, '\'');
    } else if ((c == 'b' || c == 'B') && c1 == '\'') {
        t->kind = MY_BITS;
        end = skip_quoted(s, lx->len, i + 1, '\'');
    } else if ((c == 'n' || c == 'N') && c1 == '\'') {
        t->kind = MY_STRING;
        end = skip_quoted(s, lx->len, i + 1, '\'');
    } else if (c == '0' && (c1 == 'x' || c1 == 'b') && i + 2 < lx->len &&
               isxdigit((unsigned char)s[i + 2])) {
        t->kind = c1 == 'x' ? MY_HEX : MY_BITS;
        end = i + 2;
        while (end < lx->len && isxdigit((unsigned char)s[end]))
            end++;
    } else if (isdigit(c) || (c == '.' && isdigit((unsigned char)c1))) {
        t->kind = MY_NUMBER;
        end = i;
        while (end < lx->len && (isdigit((unsigned char)s[end]) || s[end] == '.'))
            end++;
        if (end < lx->len && (s[end] == 'e' || s[end] == 'E')) {
            int k = end + 1;
            if (k < lx->len && (s[k] == '+' || s[k] == '-')) k++;
            if (k < lx->len && isdigit((unsigned char)s[k])) {
                end = k;
                while (end < lx->len && isdigit((unsigned char)s[end]))
                    end++;
            }
        }
        if (end < lx->len && my_ident_char((unsigned char)s[end])) {
            t->kind = MY_WORD; /* MySQL allows names such as 1st_col */
            while (end < lx->len && my_ident_char((unsigned char)s[end]))
                end++;
        }
    } else if (my_ident_char(c)) {
        end = i + 1;
        while (end < lx->len && my_ident_char((unsigned char)s[end]))
            end++;
        t->kind = MY_WORD;
        /* _charset'string' introducer */
        if (c == '_' && end < lx->len && s[end] == '\'') {
            t->kind = MY_STRING;
            end = skip_quoted(s, lx->len, end, '\'');
        }
    } else if (c == '`') {
        t->kind = MY_QIDENT;
        end = skip_quoted(s, lx->len, i, '`');
    } else if (c == '\'' || c == '"') {
        t->kind = MY_STRING;
        end = skip_quoted(s, lx->len, i, (char)c);
    } else if (strchr("(),;.", (int)c)) {
        t->kind = MY_PUNCT;
        end = i + 1;
    } else {
        t->kind = MY_OP;
        end = i + 1;
        static const char *const ops[] = {
            "<=>", "->>", "<=", ">=", "<>", "!=", "||", "&&", ":=", "->", "<<", ">>"};
        for (size_t k = 0; k < ARRAY_LEN(ops); k++) {
            size_t n = strlen(ops[k]);
            if ((size_t)(lx->len - i) >= n && memcmp(s + i, ops[k], n) == 0) {
                end = i + (int)n;
                break;
            }
        }
    }
    t->end = end > lx->len ? lx->len : end;
    t->delim = t->kind == MY_PUNCT && s[i] == ';' && strcmp(lx->delimiter, ";") == 0;
    advance(lx, t->end);
}

bool mysql_tok_is(const char *s, const MyToken *t, const char *word)
{
    size_t n = (size_t)(t->end - t->start);
    if (strlen(word) != n) return false;
    if (t->kind == MY_WORD) return strncasecmp(s + t->start, word, n) == 0;
    if (t->kind == MY_PUNCT || t->kind == MY_OP) return memcmp(s + t->start, word, n) == 0;
    return false;
}

char *mysql_tok_ident(MemContext *cx, const char *s, const MyToken *t)
{
    int len = t->end - t->start;
    if (t->kind != MY_QIDENT) return mem_strndup(cx, s + t->start, (size_t)len);
    char *out = mem_alloc(cx, (size_t)len + 1);
    size_t o = 0;
    for (int i = t->start + 1; i < t->end; i++) {
        if (s[i] == '`') {
            if (i + 1 < t->end && s[i + 1] == '`') {
                out[o++] = '`';
                i++;
                continue;
            }
            break;
        }
        out[o++] = s[i];
    }
    out[o] = '\0';
    return out;
}

char *mysql_tok_string(MemContext *cx, const char *s, const MyToken *t, bool *nul)
{
    *nul = false;
    int i = t->start;
    while (i < t->end && s[i] != '\'' && s[i] != '"')
        i++; /* introducer */
    if (i >= t->end) return mem_strdup(cx, "");
    char q = s[i];
    char *out = mem_alloc(cx, (size_t)(t->end - i) + 1);
    size_t o = 0;
    for (i = i + 1; i < t->end; i++) {
        char c = s[i];
        if (c == '\\' && i + 1 < t->end) {
            char e = s[++i];
            switch (e) {
            case '0':
                *nul = true;
                continue;
            case 'b':
                c = '\b';
                break;
            case 'n':
                c = '\n';
                break;
            case 'r':
                c = '\r';
                break;
            case 't':
                c = '\t';
                break;
            case 'Z':
                c = '\x1a';
                break;
            case '%':
            case '_':
                out[o++] = '\\'; /* kept for LIKE, as MySQL does */
                c = e;
                break;
            default:
                c = e;
                break;
            }
            out[o++] = c;
            continue;
        }
        if (c == q) {
            if (i + 1 < t->end && s[i + 1] == q) {
                out[o++] = q;
                i++;
                continue;
            }
            break;
        }
        out[o++] = c;
    }
    out[o] = '\0';
    return out;
}
