/*
 * A small PostgreSQL token reader over the client's original text.
 *
 * The parse tree says what a statement means but not where every keyword
 * sits (an IndexStmt has no location, a DefElem points at its keyword only),
 * so the linter finds the exact bytes to rewrite with these tokens.  It knows
 * strings (standard, E'', B'', X'', U&''), dollar quotes, quoted identifiers
 * and nested comments well enough never to mistake their contents for
 * keywords.  It is not a parser and never decides what SQL means.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "tools/tools_int.h"

static bool ident_start(unsigned char c)
{
    return isalpha(c) || c == '_' || c >= 0x80;
}

static bool ident_char(unsigned char c)
{
    return isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

static bool op_char(char c)
{
    return c && strchr("+-*/<>=~!@#%^&|`?", c) != NULL;
}

/* Quoted run from the opening quote at pos; q doubled escapes itself;
 * backslashes escape when backslash is set. */
static int skip_quoted(const char *s, int len, int pos, char q, bool backslash)
{
    int i = pos + 1;
    while (i < len) {
        if (backslash && s[i] == '\\' && i + 1 < len) {
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

/* $tag$ ... $tag$ from the '$' at pos, or -1 if this is not a dollar quote. */
static int skip_dollar(const char *s, int len, int pos)
{
    int i = pos + 1;
    while (i < len && s[i] != '$') {
        unsigned char c = (unsigned char)s[i];
        if (!(ident_char(c) && c != '$') || (i == pos + 1 && isdigit(c))) return -1;
        i++;
    }
    if (i >= len) return -1;
    int tag_len = i - pos + 1;
    for (int j = i + 1; j + tag_len <= len; j++)
        if (s[j] == '$' && memcmp(s + j, s + pos, (size_t)tag_len) == 0) return j + tag_len;
    return len;
}

static int skip_blanks_and_comments(const char *s, int len, int pos)
{
    int i = pos;
    while (i < len) {
        if (isspace((unsigned char)s[i])) {
            i++;
        } else if (s[i] == '-' && i + 1 < len && s[i + 1] == '-') {
            while (i < len && s[i] != '\n')
                i++;
        } else if (s[i] == '/' && i + 1 < len && s[i + 1] == '*') {
            int depth = 0;
            while (i < len) {
                if (s[i] == '/' && i + 1 < len && s[i + 1] == '*') {
                    depth++;
                    i += 2;
                } else if (s[i] == '*' && i + 1 < len && s[i + 1] == '/') {
                    depth--;
                    i += 2;
                    if (depth == 0) break;
                } else {
                    i++;
                }
            }
        } else {
            break;
        }
    }
    return i;
}

void lint_lex_next(const char *s, int len, int pos, LexToken *t)
{
    int i = skip_blanks_and_comments(s, len, pos);
    t->start = i;
    if (i >= len) {
        t->kind = LEX_EOF;
        t->end = len;
        return;
    }
    unsigned char c = (unsigned char)s[i];
    char c1 = i + 1 < len ? s[i + 1] : '\0';
    /* Prefixed strings: E'..', B'..', X'..', N'..', U&'..'. */
    if ((c == 'e' || c == 'E') && c1 == '\'') {
        t->kind = LEX_STRING;
        t->end = skip_quoted(s, len, i + 1, '\'', true);
        return;
    }
    if ((c == 'b' || c == 'B' || c == 'x' || c == 'X' || c == 'n' || c == 'N') && c1 == '\'') {
        t->kind = LEX_STRING;
        t->end = skip_quoted(s, len, i + 1, '\'', false);
        return;
    }
    if ((c == 'u' || c == 'U') && c1 == '&' && i + 2 < len &&
        (s[i + 2] == '\'' || s[i + 2] == '"')) {
        t->kind = s[i + 2] == '\'' ? LEX_STRING : LEX_QIDENT;
        t->end = skip_quoted(s, len, i + 2, s[i + 2], false);
        return;
    }
    if (ident_start(c)) {
        int j = i + 1;
        while (j < len && ident_char((unsigned char)s[j]))
            j++;
        t->kind = LEX_WORD;
        t->end = j;
        return;
    }
    if (c == '\'') {
        t->kind = LEX_STRING;
        t->end = skip_quoted(s, len, i, '\'', false);
        return;
    }
    if (c == '"') {
        t->kind = LEX_QIDENT;
        t->end = skip_quoted(s, len, i, '"', false);
        return;
    }
    if (c == '$') {
        if (isdigit((unsigned char)c1)) {
            int j = i + 1;
            while (j < len && isdigit((unsigned char)s[j]))
                j++;
            t->kind = LEX_PARAM;
            t->end = j;
            return;
        }
        int end = skip_dollar(s, len, i);
        if (end > 0) {
            t->kind = LEX_STRING;
            t->end = end;
            return;
        }
        t->kind = LEX_OP;
        t->end = i + 1;
        return;
    }
    if (isdigit(c) || (c == '.' && isdigit((unsigned char)c1))) {
        int j = i;
        while (j < len) {
            char d = s[j];
            if (isalnum((unsigned char)d) || d == '_' || d == '.') {
                if (d == '.' && j + 1 < len && s[j + 1] == '.') break; /* 1..2 */
                j++;
            } else if ((d == '+' || d == '-') && (s[j - 1] == 'e' || s[j - 1] == 'E') &&
                       !(s[i] == '0' && j > i + 1 && (s[i + 1] == 'x' || s[i + 1] == 'X'))) {
                j++;
            } else {
                break;
            }
        }
        t->kind = LEX_NUMBER;
        t->end = j;
        return;
    }
    if (strchr("()[],;.:", (int)c)) {
        t->kind = LEX_PUNCT;
        t->end = i + 1;
        if (c == ':' && c1 == ':') {
            t->kind = LEX_OP;
            t->end = i + 2;
        }
        return;
    }
    if (op_char((char)c)) {
        int j = i + 1;
        while (j < len && op_char(s[j]) && !(s[j] == '-' && j + 1 < len && s[j + 1] == '-') &&
               !(s[j] == '/' && j + 1 < len && s[j + 1] == '*'))
            j++;
        t->kind = LEX_OP;
        t->end = j;
        return;
    }
    t->kind = LEX_OP; /* any other byte stands alone */
    t->end = i + 1;
}

bool lint_tok_is(const char *s, const LexToken *t, const char *word)
{
    size_t n = (size_t)(t->end - t->start);
    if (strlen(word) != n) return false;
    if (t->kind == LEX_WORD) return strncasecmp(s + t->start, word, n) == 0;
    if (t->kind == LEX_PUNCT || t->kind == LEX_OP) return strncmp(s + t->start, word, n) == 0;
    return false;
}

int lint_lex_token_end(const char *s, int len, int pos)
{
    LexToken t;
    lint_lex_next(s, len, pos, &t);
    return t.end;
}

int lint_lex_skip_group(const char *s, int len, int open_pos)
{
    int depth = 0;
    LexToken t;
    int pos = open_pos;
    for (;;) {
        lint_lex_next(s, len, pos, &t);
        if (t.kind == LEX_EOF) return len;
        if (lint_tok_is(s, &t, "(") || lint_tok_is(s, &t, "[")) depth++;
        if (lint_tok_is(s, &t, ")") || lint_tok_is(s, &t, "]")) {
            depth--;
            if (depth <= 0) return t.end;
        }
        pos = t.end;
    }
}

int lint_lex_find_word(const char *s, int from, int to, const char *word)
{
    int depth = 0;
    LexToken t;
    int pos = from;
    for (;;) {
        lint_lex_next(s, to, pos, &t);
        if (t.kind == LEX_EOF) return -1;
        if (depth == 0 && lint_tok_is(s, &t, word)) return t.start;
        if (lint_tok_is(s, &t, "(")) depth++;
        if (lint_tok_is(s, &t, ")")) depth--;
        pos = t.end;
    }
}

static const char *const constraint_words[] = {
    "not",
    "null",
    "default",
    "constraint",
    "primary",
    "unique",
    "check",
    "references",
    "generated",
    "collate",
    "storage",
    "compression",
    "deferrable",
    "initially",
    "using",
    /* sequence options, after CREATE SEQUENCE ... AS type */
    "cache",
    "increment",
    "minvalue",
    "maxvalue",
    "no",
    "cycle",
    "start",
    "owned",
    "restart",
};

int lint_lex_type_end(const char *s, int len, int pos)
{
    LexToken t;
    int end = pos;
    bool first = true;
    for (;;) {
        lint_lex_next(s, len, end, &t);
        if (t.kind == LEX_EOF) return end;
        if (t.kind == LEX_WORD && !first) {
            bool stop = false;
            for (size_t i = 0; i < ARRAY_LEN(constraint_words); i++)
                if (lint_tok_is(s, &t, constraint_words[i])) stop = true;
            if (stop) return end;
            end = t.end;
        } else if (t.kind == LEX_WORD || t.kind == LEX_QIDENT) {
            end = t.end;
        } else if (lint_tok_is(s, &t, ".")) {
            end = t.end;
        } else if (lint_tok_is(s, &t, "(") || lint_tok_is(s, &t, "[")) {
            end = lint_lex_skip_group(s, len, t.start);
        } else if (lint_tok_is(s, &t, "%")) {
            end = t.end; /* %TYPE */
        } else {
            return end;
        }
        first = false;
    }
}
