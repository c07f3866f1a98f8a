/*
 * json and jsonb.  json is kept as the text given, after validation with
 * PostgreSQL's lexer rules and error details (`invalid input syntax for
 * type json` + `Token "x" is invalid.`, `Expected ":", but found "1".`,
 * ...).  jsonb is kept as PostgreSQL prints it: object keys sorted by
 * length then bytes with the last duplicate winning, ", " and ": "
 * separators, strings with escapes resolved (surrogate pairs checked,
 * \u0000 refused) and re-escaped as escape_json does, numbers in numeric's
 * canonical form.  PostgreSQL's CONTEXT line ("JSON data, line 1: ...") has
 * no DbError field and is not produced.  Also the jsonb/json casts.
 */
#include "types/types_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSON_MAX_DEPTH 6400

typedef enum Tok {
    T_EOF,
    T_LBRACE,
    T_RBRACE,
    T_LBRACKET,
    T_RBRACKET,
    T_COMMA,
    T_COLON,
    T_STRING,
    T_NUMBER,
    T_TRUE,
    T_FALSE,
    T_NULL,
} Tok;

typedef enum JKind { J_NULL, J_TRUE, J_FALSE, J_NUMBER, J_STRING, J_ARRAY, J_OBJECT } JKind;

typedef struct JNode JNode;
struct JNode {
    JKind kind;
    const char *s; /* string (decoded) or number (canonical) */
    size_t len;
    JNode **items; /* array elements, or object key/value pairs interleaved */
    size_t n;
};

typedef struct Lexer {
    const char *p, *end;
    const char *tok_start;
    size_t tok_len;
    Tok tok;
    bool want_tree; /* jsonb: decode strings and numbers */
    MemContext *cx; /* scratch for the tree */
    StrBuf str;     /* decoded string of the last T_STRING */
    DbError *err;
    int depth;
} Lexer;

static int json_fail(Lexer *lx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int json_fail(Lexer *lx, const char *fmt, ...)
{
    db_error_set(lx->err, SQLSTATE_INVALID_TEXT_REPRESENTATION,
                 "invalid input syntax for type json");
    char detail[DB_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    db_error_detail(lx->err, "%s", detail);
    return -1;
}

static bool is_alnum_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c >= 0x80;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static void put_utf8(StrBuf *sb, uint32_t cp)
{
    char b[4];
    if (cp < 0x80) {
        b[0] = (char)cp;
        strbuf_append(sb, b, 1);
    } else if (cp < 0x800) {
        b[0] = (char)(0xC0 | (cp >> 6));
        b[1] = (char)(0x80 | (cp & 0x3F));
        strbuf_append(sb, b, 2);
    } else if (cp < 0x10000) {
        b[0] = (char)(0xE0 | (cp >> 12));
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        strbuf_append(sb, b, 3);
    } else {
        b[0] = (char)(0xF0 | (cp >> 18));
        b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[3] = (char)(0x80 | (cp & 0x3F));
        strbuf_append(sb, b, 4);
    }
}

static int utf8_len(unsigned char c)
{
    return c < 0x80             ? 1
           : (c & 0xe0) == 0xc0 ? 2
           : (c & 0xf0) == 0xe0 ? 3
           : (c & 0xf8) == 0xf0 ? 4
                                : 1;
}

static int lex_string(Lexer *lx)
{
    const char *p = lx->p + 1;
    int32_t hi_surrogate = -1;
    strbuf_reset(&lx->str);
    for (;;) {
        if (p >= lx->end) {
            lx->tok_start = lx->p;
            return json_fail(lx, "Token \"%.*s\" is invalid.", (int)(lx->end - lx->p), lx->p);
        }
        unsigned char c = (unsigned char)*p;
        if (c == '"') break;
        if (c < 0x20) return json_fail(lx, "Character with value 0x%02x must be escaped.", c);
        if (c == '\\') {
            p++;
            if (p >= lx->end) {
                return json_fail(lx, "Token \"%.*s\" is invalid.", (int)(lx->end - lx->p), lx->p);
            }
            if (*p == 'u') {
                uint32_t cp = 0;
                for (int i = 1; i <= 4; i++) {
                    int h = p + i < lx->end ? hexval(p[i]) : -1;
                    if (h < 0)
                        return json_fail(lx,
                                         "\"\\u\" must be followed by four hexadecimal digits.");
                    cp = cp * 16 + (uint32_t)h;
                }
                p += 5;
                if (lx->want_tree) {
                    if (cp >= 0xD800 && cp <= 0xDBFF) {
                        if (hi_surrogate != -1)
                            return json_fail(
                                lx, "Unicode high surrogate must not follow a high surrogate.");
                        hi_surrogate = (int32_t)cp;
                        continue;
                    }
                    if (cp >= 0xDC00 && cp <= 0xDFFF) {
                        if (hi_surrogate == -1)
                            return json_fail(lx,
                                             "Unicode low surrogate must follow a high surrogate.");
                        cp = 0x10000 + (((uint32_t)hi_surrogate - 0xD800) << 10) + (cp - 0xDC00);
                        hi_surrogate = -1;
                    } else if (hi_surrogate != -1) {
                        return json_fail(lx, "Unicode low surrogate must follow a high surrogate.");
                    }
                    if (cp == 0) {
                        db_error_set(lx->err, SQLSTATE_UNTRANSLATABLE_CHARACTER,
                                     "unsupported Unicode escape sequence");
                        db_error_detail(lx->err, "\\u0000 cannot be converted to text.");
                        return -1;
                    }
                    put_utf8(&lx->str, cp);
                }
                continue;
            }
            if (lx->want_tree && hi_surrogate != -1)
                return json_fail(lx, "Unicode low surrogate must follow a high surrogate.");
            char out;
            switch (*p) {
            case '"':
            case '\\':
            case '/':
                out = *p;
                break;
            case 'b':
                out = '\b';
                break;
            case 'f':
                out = '\f';
                break;
            case 'n':
                out = '\n';
                break;
            case 'r':
                out = '\r';
                break;
            case 't':
                out = '\t';
                break;
            default: {
                int l = utf8_len((unsigned char)*p);
                if (l > lx->end - p) l = (int)(lx->end - p);
                return json_fail(lx, "Escape sequence \"\\%.*s\" is invalid.", l, p);
            }
            }
            if (lx->want_tree) strbuf_append_char(&lx->str, out);
            p++;
            continue;
        }
        if (lx->want_tree && hi_surrogate != -1)
            return json_fail(lx, "Unicode low surrogate must follow a high surrogate.");
        if (lx->want_tree) strbuf_append_char(&lx->str, (char)c);
        p++;
    }
    if (lx->want_tree && hi_surrogate != -1)
        return json_fail(lx, "Unicode low surrogate must follow a high surrogate.");
    lx->tok = T_STRING;
    lx->tok_start = lx->p;
    lx->tok_len = (size_t)(p + 1 - lx->p);
    lx->p = p + 1;
    return 0;
}

/* The run of word characters from start, as PostgreSQL quotes a bad token. */
static int bad_token(Lexer *lx, const char *start, const char *p)
{
    while (p < lx->end && is_alnum_char((unsigned char)*p))
        p++;
    if (p == start)
        p += utf8_len((unsigned char)*p) <= lx->end - p ? utf8_len((unsigned char)*p) : 1;
    return json_fail(lx, "Token \"%.*s\" is invalid.", (int)(p - start), start);
}

static int lex(Lexer *lx)
{
    while (lx->p < lx->end && (*lx->p == ' ' || *lx->p == '\t' || *lx->p == '\n' || *lx->p == '\r'))
        lx->p++;
    lx->tok_start = lx->p;
    if (lx->p >= lx->end) {
        lx->tok = T_EOF;
        lx->tok_len = 0;
        return 0;
    }
    const char *p = lx->p;
    switch (*p) {
    case '{':
        lx->tok = T_LBRACE;
        break;
    case '}':
        lx->tok = T_RBRACE;
        break;
    case '[':
        lx->tok = T_LBRACKET;
        break;
    case ']':
        lx->tok = T_RBRACKET;
        break;
    case ',':
        lx->tok = T_COMMA;
        break;
    case ':':
        lx->tok = T_COLON;
        break;
    case '"':
        return lex_string(lx);
    default: {
        if (*p == '-' || (*p >= '0' && *p <= '9')) {
            const char *q = p;
            if (*q == '-') q++;
            if (q < lx->end && *q == '0') {
                q++;
            } else if (q < lx->end && *q >= '1' && *q <= '9') {
                while (q < lx->end && *q >= '0' && *q <= '9')
                    q++;
            } else {
                return bad_token(lx, p, q);
            }
            if (q < lx->end && *q == '.') {
                q++;
                if (q >= lx->end || !(*q >= '0' && *q <= '9')) return bad_token(lx, p, q);
                while (q < lx->end && *q >= '0' && *q <= '9')
                    q++;
            }
            if (q < lx->end && (*q == 'e' || *q == 'E')) {
                q++;
                if (q < lx->end && (*q == '+' || *q == '-')) q++;
                if (q >= lx->end || !(*q >= '0' && *q <= '9')) return bad_token(lx, p, q);
                while (q < lx->end && *q >= '0' && *q <= '9')
                    q++;
            }
            if (q < lx->end && is_alnum_char((unsigned char)*q)) return bad_token(lx, p, q);
            lx->tok = T_NUMBER;
            lx->tok_len = (size_t)(q - p);
            lx->p = q;
            return 0;
        }
        const char *q = p;
        while (q < lx->end && is_alnum_char((unsigned char)*q))
            q++;
        size_t n = (size_t)(q - p);
        if (n == 4 && memcmp(p, "true", 4) == 0)
            lx->tok = T_TRUE;
        else if (n == 5 && memcmp(p, "false", 5) == 0)
            lx->tok = T_FALSE;
        else if (n == 4 && memcmp(p, "null", 4) == 0)
            lx->tok = T_NULL;
        else
            return bad_token(lx, p, p);
        lx->tok_len = n;
        lx->p = q;
        return 0;
    }
    }
    lx->tok_len = 1;
    lx->p++;
    return 0;
}

/* "found" text of the current token for the Expected ... messages. */
static int expected(Lexer *lx, const char *what)
{
    if (lx->tok == T_EOF) return json_fail(lx, "The input string ended unexpectedly.");
    return json_fail(lx, "Expected %s, but found \"%.*s\".", what, (int)lx->tok_len, lx->tok_start);
}

static JNode *node_new(Lexer *lx, JKind kind)
{
    if (!lx->want_tree) return NULL;
    JNode *n = mem_alloc0(lx->cx, sizeof *n);
    n->kind = kind;
    return n;
}

static void node_push(Lexer *lx, JNode *parent, JNode *child, size_t *cap)
{
    if (!lx->want_tree) return;
    if (parent->n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 8;
        parent->items =
            mem_realloc(lx->cx, parent->items, *cap * sizeof(JNode *), ncap * sizeof(JNode *));
        *cap = ncap;
    }
    parent->items[parent->n++] = child;
}

static int parse_value(Lexer *lx, JNode **out, const char *what);

static JNode *string_node(Lexer *lx)
{
    if (!lx->want_tree) return NULL;
    JNode *n = node_new(lx, J_STRING);
    n->len = lx->str.len;
    n->s = mem_strndup(lx->cx, lx->str.data ? lx->str.data : "", lx->str.len);
    return n;
}

static int parse_scalar(Lexer *lx, JNode **out)
{
    switch (lx->tok) {
    case T_STRING:
        *out = string_node(lx);
        return 0;
    case T_NUMBER:
        if (lx->want_tree) {
            JNode *n = node_new(lx, J_NUMBER);
            char *s = mem_strndup(lx->cx, lx->tok_start, lx->tok_len);
            DatumBytes num;
            if (tnum_input(s, -1, lx->cx, &num, lx->err) != 0) return -1;
            n->s = num.ptr;
            n->len = num.len;
            *out = n;
        }
        return 0;
    case T_TRUE:
        *out = node_new(lx, J_TRUE);
        return 0;
    case T_FALSE:
        *out = node_new(lx, J_FALSE);
        return 0;
    case T_NULL:
        *out = node_new(lx, J_NULL);
        return 0;
    default:
        return -2;
    }
}

static int parse_array(Lexer *lx, JNode **out)
{
    JNode *arr = node_new(lx, J_ARRAY);
    size_t cap = 0;
    if (lex(lx)) return -1;
    if (lx->tok == T_RBRACKET) {
        *out = arr;
        return 0;
    }
    for (;;) {
        JNode *v = NULL;
        if (parse_value(lx, &v, "JSON value")) return -1;
        node_push(lx, arr, v, &cap);
        if (lex(lx)) return -1;
        if (lx->tok == T_RBRACKET) break;
        if (lx->tok != T_COMMA) return expected(lx, "\",\" or \"]\"");
        if (lex(lx)) return -1;
    }
    *out = arr;
    return 0;
}

static int parse_object(Lexer *lx, JNode **out)
{
    JNode *obj = node_new(lx, J_OBJECT);
    size_t cap = 0;
    if (lex(lx)) return -1;
    if (lx->tok == T_RBRACE) {
        *out = obj;
        return 0;
    }
    const char *what = "string or \"}\"";
    for (;;) {
        if (lx->tok != T_STRING) return expected(lx, what);
        JNode *key = string_node(lx);
        if (lex(lx)) return -1;
        if (lx->tok != T_COLON) return expected(lx, "\":\"");
        if (lex(lx)) return -1;
        JNode *v = NULL;
        if (parse_value(lx, &v, "JSON value")) return -1;
        node_push(lx, obj, key, &cap);
        node_push(lx, obj, v, &cap);
        if (lex(lx)) return -1;
        if (lx->tok == T_RBRACE) break;
        if (lx->tok != T_COMMA) return expected(lx, "\",\" or \"}\"");
        if (lex(lx)) return -1;
        what = "string";
    }
    *out = obj;
    return 0;
}

/* The current token starts a value. */
static int parse_value(Lexer *lx, JNode **out, const char *what)
{
    int rc = parse_scalar(lx, out);
    if (rc != -2) return rc;
    if (lx->tok != T_LBRACE && lx->tok != T_LBRACKET) return expected(lx, what);
    if (++lx->depth > JSON_MAX_DEPTH) {
        db_error_set(lx->err, SQLSTATE_STATEMENT_TOO_COMPLEX, "stack depth limit exceeded");
        db_error_hint(lx->err, "Increase the configuration parameter \"max_stack_depth\" "
                               "(currently 2048kB), after ensuring the platform's stack depth "
                               "limit is adequate.");
        return -1;
    }
    rc = lx->tok == T_LBRACE ? parse_object(lx, out) : parse_array(lx, out);
    lx->depth--;
    return rc;
}

static int key_cmp(const JNode *a, const JNode *b)
{
    if (a->len != b->len) return a->len < b->len ? -1 : 1;
    return memcmp(a->s, b->s, a->len);
}

/* Sorts an object's pairs by key (stable, so equal keys keep input order)
 * and keeps the last of each run of equal keys. */
static void object_normalise(JNode *obj)
{
    size_t pairs = obj->n / 2;
    for (size_t i = 1; i < pairs; i++) {
        JNode *k = obj->items[2 * i], *v = obj->items[2 * i + 1];
        size_t j = i;
        while (j > 0 && key_cmp(obj->items[2 * (j - 1)], k) > 0) {
            obj->items[2 * j] = obj->items[2 * (j - 1)];
            obj->items[2 * j + 1] = obj->items[2 * (j - 1) + 1];
            j--;
        }
        obj->items[2 * j] = k;
        obj->items[2 * j + 1] = v;
    }
    size_t out = 0;
    for (size_t i = 0; i < pairs; i++) {
        if (i + 1 < pairs && key_cmp(obj->items[2 * i], obj->items[2 * (i + 1)]) == 0) continue;
        obj->items[2 * out] = obj->items[2 * i];
        obj->items[2 * out + 1] = obj->items[2 * i + 1];
        out++;
    }
    obj->n = out * 2;
}

static void escape_string(StrBuf *sb, const char *s, size_t len)
{
    strbuf_append_char(sb, '"');
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '\b':
            strbuf_append_str(sb, "\\b");
            break;
        case '\f':
            strbuf_append_str(sb, "\\f");
            break;
        case '\n':
            strbuf_append_str(sb, "\\n");
            break;
        case '\r':
            strbuf_append_str(sb, "\\r");
            break;
        case '\t':
            strbuf_append_str(sb, "\\t");
            break;
        case '"':
            strbuf_append_str(sb, "\\\"");
            break;
        case '\\':
            strbuf_append_str(sb, "\\\\");
            break;
        default:
            if (c < 0x20)
                strbuf_appendf(sb, "\\u%04x", c);
            else
                strbuf_append_char(sb, (char)c);
        }
    }
    strbuf_append_char(sb, '"');
}

static void print_node(StrBuf *sb, JNode *n)
{
    switch (n->kind) {
    case J_NULL:
        strbuf_append_str(sb, "null");
        return;
    case J_TRUE:
        strbuf_append_str(sb, "true");
        return;
    case J_FALSE:
        strbuf_append_str(sb, "false");
        return;
    case J_NUMBER:
        strbuf_append(sb, n->s, n->len);
        return;
    case J_STRING:
        escape_string(sb, n->s, n->len);
        return;
    case J_ARRAY:
        strbuf_append_char(sb, '[');
        for (size_t i = 0; i < n->n; i++) {
            if (i) strbuf_append_str(sb, ", ");
            print_node(sb, n->items[i]);
        }
        strbuf_append_char(sb, ']');
        return;
    case J_OBJECT:
        object_normalise(n);
        strbuf_append_char(sb, '{');
        for (size_t i = 0; i < n->n; i += 2) {
            if (i) strbuf_append_str(sb, ", ");
            print_node(sb, n->items[i]);
            strbuf_append_str(sb, ": ");
            print_node(sb, n->items[i + 1]);
        }
        strbuf_append_char(sb, '}');
        return;
    }
}

static int json_parse_tree(const char *s, size_t len, bool tree, MemContext *scratch, JNode **root,
                           DbError *err)
{
    Lexer lx = {.p = s, .end = s + len, .want_tree = tree, .cx = scratch, .err = err};
    strbuf_init(&lx.str);
    int rc = lex(&lx);
    if (rc == 0) rc = parse_value(&lx, root, "JSON value");
    if (rc == 0) rc = lex(&lx);
    if (rc == 0 && lx.tok != T_EOF) rc = expected(&lx, "end of input");
    strbuf_fini(&lx.str);
    return rc;
}

int tjson_parse(uint32_t oid, const char *s, size_t len, MemContext *cx, DatumBytes *out,
                DbError *err)
{
    MemContext *scratch = mem_context_create(NULL, "json parse");
    JNode *root = NULL;
    int rc = json_parse_tree(s, len, oid == TYPE_JSONB, scratch, &root, err);
    if (rc == 0) {
        if (oid == TYPE_JSONB) {
            StrBuf sb;
            strbuf_init(&sb);
            print_node(&sb, root);
            out->ptr = mem_strndup(cx, sb.data, sb.len);
            out->len = sb.len;
            strbuf_fini(&sb);
        } else {
            out->ptr = mem_strndup(cx, s, len);
            out->len = len;
        }
    }
    mem_context_destroy(scratch);
    return rc;
}

static const char *jkind_name(JKind k)
{
    switch (k) {
    case J_NULL:
        return "null";
    case J_TRUE:
    case J_FALSE:
        return "boolean";
    case J_NUMBER:
        return "numeric";
    case J_STRING:
        return "string";
    case J_ARRAY:
        return "array";
    default:
        return "object";
    }
}

int tjson_cast(const Datum *in, uint32_t target, int32_t typmod, MemContext *cx, Datum *out,
               DbError *err)
{
    if (target == TYPE_JSONB)
        return type_input(TYPE_JSONB, -1, in->v.s.ptr, in->v.s.len, cx, out, err);
    if (target == TYPE_JSON) {
        *out = datum_bytes(TYPE_JSON, mem_strndup(cx, in->v.s.ptr, in->v.s.len), in->v.s.len);
        return 0;
    }
    /* jsonb → bool / numbers: only from a scalar of the matching kind. */
    MemContext *scratch = mem_context_create(NULL, "jsonb cast");
    JNode *root = NULL;
    int rc = json_parse_tree(in->v.s.ptr, in->v.s.len, true, scratch, &root, err);
    if (rc == 0) {
        bool want_bool = target == TYPE_BOOL;
        bool ok =
            want_bool ? (root->kind == J_TRUE || root->kind == J_FALSE) : root->kind == J_NUMBER;
        if (!ok) {
            rc = db_error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE,
                              "cannot cast jsonb %s to type %s", jkind_name(root->kind),
                              type_format_name(target, -1, cx));
        } else if (want_bool) {
            *out = (Datum){.type = TYPE_BOOL, .is_null = false};
            out->v.b = root->kind == J_TRUE;
        } else {
            Datum num = datum_bytes(TYPE_NUMERIC, mem_strndup(cx, root->s, root->len), root->len);
            rc = type_coerce(&num, target, typmod, true, cx, out, err);
        }
    }
    mem_context_destroy(scratch);
    return rc;
}

/* jsonb ordering for comparisons: PostgreSQL orders by kind (object >
 * array > boolean > number > string > null), then by content.  Objects
 * compare pair count first, then pairs in key order; arrays length first,
 * then elements; strings as text. */
static int kind_rank(JKind k)
{
    switch (k) {
    case J_NULL:
        return 0;
    case J_STRING:
        return 1;
    case J_NUMBER:
        return 2;
    case J_FALSE:
    case J_TRUE:
        return 3;
    case J_ARRAY:
        return 4;
    default:
        return 5;
    }
}

static int node_cmp(JNode *a, JNode *b)
{
    int ra = kind_rank(a->kind), rb = kind_rank(b->kind);
    if (ra != rb) return ra < rb ? -1 : 1;
    switch (a->kind) {
    case J_NULL:
        return 0;
    case J_TRUE:
    case J_FALSE:
        return (a->kind == J_TRUE) - (b->kind == J_TRUE);
    case J_NUMBER: {
        DatumBytes x = {a->s, a->len}, y = {b->s, b->len};
        return tnum_cmp(x, y);
    }
    case J_STRING: {
        size_t n = a->len < b->len ? a->len : b->len;
        int c = n ? memcmp(a->s, b->s, n) : 0;
        if (c) return c < 0 ? -1 : 1;
        return a->len < b->len ? -1 : a->len > b->len ? 1 : 0;
    }
    default: {
        if (a->n != b->n) return a->n < b->n ? -1 : 1;
        if (a->kind == J_OBJECT) {
            object_normalise(a);
            object_normalise(b);
        }
        for (size_t i = 0; i < a->n; i++) {
            int c = node_cmp(a->items[i], b->items[i]);
            if (c) return c;
        }
        return 0;
    }
    }
}

int tjson_cmp(DatumBytes a, DatumBytes b)
{
    MemContext *scratch = mem_context_create(NULL, "jsonb compare");
    JNode *x = NULL, *y = NULL;
    DbError err;
    int c;
    if (json_parse_tree(a.ptr, a.len, true, scratch, &x, &err) != 0 ||
        json_parse_tree(b.ptr, b.len, true, scratch, &y, &err) != 0) {
        size_t n = a.len < b.len ? a.len : b.len;
        c = n ? memcmp(a.ptr, b.ptr, n) : 0;
        if (!c) c = a.len < b.len ? -1 : a.len > b.len ? 1 : 0;
    } else {
        c = node_cmp(x, y);
    }
    mem_context_destroy(scratch);
    return c < 0 ? -1 : c > 0 ? 1 : 0;
}
