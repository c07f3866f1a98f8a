/*
 * parse_sql: pre-pass, token pass, PostgreSQL grammar, statement list.
 *
 *   text --prepass_literals--> rewritten text --pg_query_scan--> tokens
 *   tokens: split at top-level ';', lift out AWS IAM GRANT/REVOKE (blanked
 *           in the text), blank the ASYNC of CREATE INDEX ASYNC (flagged)
 *   blanked text --pg_query_parse_protobuf--> RawStmts, unpacked into cx
 *   RawStmts + DSQL statements, in text order --> ParseResult
 *
 * Blanking replaces bytes with spaces, so offsets into the rewritten text
 * stay valid; parse_prepass_map() takes them back to the client's text.
 */
#include "parse/parse.h"

#include <ctype.h>
#include <string.h>

/* protobuf-c allocator over a MemContext: frees are no-ops, the context's
 * reset frees everything at once. */
static void *parse_pb_alloc(void *data, size_t size)
{
    return mem_alloc((MemContext *)data, size);
}

static void parse_pb_free(void *data, void *ptr)
{
    (void)data;
    (void)ptr;
}

typedef struct TokenSpan {
    PgQuery__ScanToken **toks;
    size_t n;
} TokenSpan;

typedef struct DsqlStmt {
    ParseDsqlKind kind;
    int start, end; /* rewritten-text offsets, end exclusive (before ';') */
    const char *role;
    const char *arn;
} DsqlStmt;

/* Converts a 1-based character position (as PostgreSQL reports) in text to a
 * byte offset, and back. */
static int char_pos_to_byte(const char *text, int pos)
{
    int chars = 0;
    int i = 0;
    while (text[i] && chars < pos - 1) {
        unsigned char c = (unsigned char)text[i++];
        if ((c & 0xC0) != 0x80) {
            while ((text[i] & 0xC0) == 0x80)
                i++;
            chars++;
        }
    }
    return i;
}

static int byte_to_char_pos(const char *text, int offset)
{
    int chars = 0;
    for (int i = 0; i < offset && text[i]; i++)
        if (((unsigned char)text[i] & 0xC0) != 0x80) chars++;
    return chars + 1;
}

static int parse_syntax_error(DbError *err, const char *orig, const ParsePrepass *pp,
                              const char *message, int rewritten_offset)
{
    db_error_set(err, SQLSTATE_SYNTAX_ERROR, "%s", message);
    err->position = byte_to_char_pos(orig, parse_prepass_map(pp, rewritten_offset));
    return -1;
}

static char *token_text(MemContext *cx, const char *text, const PgQuery__ScanToken *t)
{
    return mem_strndup(cx, text + t->start, (size_t)(t->end - t->start));
}

static bool token_is_word(const char *text, const PgQuery__ScanToken *t, const char *word)
{
    size_t len = (size_t)(t->end - t->start);
    return t->token == PG_QUERY__TOKEN__IDENT && len == strlen(word) &&
           strncasecmp(text + t->start, word, len) == 0;
}

/* Identifier text → name: unquoted folds to lower case, quoted loses its
 * quotes and un-doubles "". */
static char *ident_name(MemContext *cx, const char *s, size_t len)
{
    char *out = mem_alloc(cx, len + 1);
    size_t o = 0;
    if (len >= 2 && s[0] == '"') {
        for (size_t i = 1; i + 1 < len; i++) {
            out[o++] = s[i];
            if (s[i] == '"') i++;
        }
    } else {
        for (size_t i = 0; i < len; i++)
            out[o++] = (char)tolower((unsigned char)s[i]);
    }
    out[o] = '\0';
    return out;
}

static char *string_const(MemContext *cx, const char *s, size_t len)
{
    char *out = mem_alloc(cx, len + 1);
    size_t o = 0;
    for (size_t i = 1; i + 1 < len; i++) {
        out[o++] = s[i];
        if (s[i] == '\'') i++;
    }
    out[o] = '\0';
    return out;
}

/* AWS IAM {GRANT role TO | REVOKE role FROM} 'arn' over tokens [0, n). */
static int parse_iam(MemContext *cx, const char *orig, const ParsePrepass *pp, const char *text,
                     PgQuery__ScanToken **t, size_t n, int stmt_end, DsqlStmt *out, DbError *err)
{
    bool grant = t[2]->token == PG_QUERY__TOKEN__GRANT;
    out->kind = grant ? PARSE_DSQL_IAM_GRANT : PARSE_DSQL_IAM_REVOKE;
    out->start = t[0]->start;
    out->end = stmt_end;
    if (n < 4) return parse_syntax_error(err, orig, pp, "syntax error at end of input", stmt_end);
    if (t[3]->token != PG_QUERY__TOKEN__IDENT &&
        t[3]->keyword_kind == PG_QUERY__KEYWORD_KIND__NO_KEYWORD)
        goto at_token3;
    out->role = ident_name(cx, text + t[3]->start, (size_t)(t[3]->end - t[3]->start));
    if (n < 5) return parse_syntax_error(err, orig, pp, "syntax error at end of input", stmt_end);
    if (t[4]->token != (grant ? PG_QUERY__TOKEN__TO : PG_QUERY__TOKEN__FROM)) {
        char *m = mem_sprintf(cx, "syntax error at or near \"%s\"", token_text(cx, text, t[4]));
        return parse_syntax_error(err, orig, pp, m, t[4]->start);
    }
    if (n < 6) return parse_syntax_error(err, orig, pp, "syntax error at end of input", stmt_end);
    if (t[5]->token != PG_QUERY__TOKEN__SCONST) {
        char *m = mem_sprintf(cx, "syntax error at or near \"%s\"", token_text(cx, text, t[5]));
        return parse_syntax_error(err, orig, pp, m, t[5]->start);
    }
    out->arn = string_const(cx, text + t[5]->start, (size_t)(t[5]->end - t[5]->start));
    if (n > 6) {
        char *m = mem_sprintf(cx, "syntax error at or near \"%s\"", token_text(cx, text, t[6]));
        return parse_syntax_error(err, orig, pp, m, t[6]->start);
    }
    return 0;
at_token3 : {
    char *m = mem_sprintf(cx, "syntax error at or near \"%s\"", token_text(cx, text, t[3]));
    return parse_syntax_error(err, orig, pp, m, t[3]->start);
}
}

const char *parse_node_kind_name(const PgQuery__Node *node)
{
    if (!node || node->node_case == PG_QUERY__NODE__NODE__NOT_SET) return "none";
    const ProtobufCFieldDescriptor *f = protobuf_c_message_descriptor_get_field(
        &pg_query__node__descriptor, (unsigned)node->node_case);
    return f ? f->name : "unknown";
}

int parse_sql(MemContext *cx, const char *sql, ParseResult *out, DbError *err)
{
    out->n_stmts = 0;
    out->stmts = NULL;
    ParsePrepass pp;
    if (parse_prepass_literals(cx, sql, &pp, err) != 0) return -1;
    char *text = pp.text;
    ProtobufCAllocator alloc = {parse_pb_alloc, parse_pb_free, cx};

    PgQueryScanResult scan = pg_query_scan(text);
    if (scan.error) {
        int pos = char_pos_to_byte(text, scan.error->cursorpos > 0 ? scan.error->cursorpos : 1);
        parse_syntax_error(err, sql, &pp, scan.error->message, pos);
        pg_query_free_scan_result(scan);
        return -1;
    }
    PgQuery__ScanResult *sr =
        pg_query__scan_result__unpack(&alloc, scan.pbuf.len, (const uint8_t *)scan.pbuf.data);
    pg_query_free_scan_result(scan);
    if (!sr) return db_error_set(err, SQLSTATE_INTERNAL_ERROR, "could not decode scanner output");

    /* Token pass: statement boundaries, DSQL statements, ASYNC. */
    DsqlStmt *dsql = mem_alloc0(cx, sizeof(DsqlStmt) * (sr->n_tokens + 1));
    size_t n_dsql = 0;
    int *async_at = mem_alloc0(cx, sizeof(int) * (sr->n_tokens + 1));
    size_t n_async = 0;
    size_t first = 0;
    int depth = 0;
    for (size_t k = 0; k <= sr->n_tokens; k++) {
        PgQuery__ScanToken *t = k < sr->n_tokens ? sr->tokens[k] : NULL;
        if (t && t->token == PG_QUERY__TOKEN__ASCII_40) depth++;
        if (t && t->token == PG_QUERY__TOKEN__ASCII_41 && depth > 0) depth--;
        if (t && !(t->token == PG_QUERY__TOKEN__ASCII_59 && depth == 0)) continue;
        /* Statement tokens are [first, k), comments excluded. */
        PgQuery__ScanToken **st = mem_alloc(cx, sizeof(*st) * (k - first + 1));
        size_t n = 0;
        for (size_t j = first; j < k; j++) {
            PgQuery__Token tk = sr->tokens[j]->token;
            if (tk != PG_QUERY__TOKEN__SQL_COMMENT && tk != PG_QUERY__TOKEN__C_COMMENT)
                st[n++] = sr->tokens[j];
        }
        int stmt_end = t ? t->start : (int)strlen(text);
        if (n >= 3 && token_is_word(text, st[0], "aws") && token_is_word(text, st[1], "iam") &&
            (st[2]->token == PG_QUERY__TOKEN__GRANT || st[2]->token == PG_QUERY__TOKEN__REVOKE)) {
            if (parse_iam(cx, sql, &pp, text, st, n, stmt_end, &dsql[n_dsql], err) != 0) return -1;
            memset(text + st[0]->start, ' ', (size_t)(stmt_end - st[0]->start));
            n_dsql++;
        }
        /* CREATE [UNIQUE] INDEX ASYNC <not ON> */
        size_t idx = 1;
        if (n > idx && st[0]->token == PG_QUERY__TOKEN__CREATE) {
            if (st[idx]->token == PG_QUERY__TOKEN__UNIQUE) idx++;
            if (n > idx + 1 && st[idx]->token == PG_QUERY__TOKEN__INDEX &&
                token_is_word(text, st[idx + 1], "async") &&
                (n <= idx + 2 || st[idx + 2]->token != PG_QUERY__TOKEN__ON)) {
                async_at[n_async++] = st[idx + 1]->start;
                memset(text + st[idx + 1]->start, ' ',
                       (size_t)(st[idx + 1]->end - st[idx + 1]->start));
            }
        }
        first = k + 1;
        depth = 0;
    }

    PgQueryProtobufParseResult pr = pg_query_parse_protobuf(text);
    if (pr.error) {
        int pos = pr.error->cursorpos > 0 ? char_pos_to_byte(text, pr.error->cursorpos) : -1;
        if (pos >= 0) {
            parse_syntax_error(err, sql, &pp, pr.error->message, pos);
        } else {
            db_error_set(err, SQLSTATE_SYNTAX_ERROR, "%s", pr.error->message);
        }
        pg_query_free_protobuf_parse_result(pr);
        return -1;
    }
    PgQuery__ParseResult *tree = pg_query__parse_result__unpack(
        &alloc, pr.parse_tree.len, (const uint8_t *)pr.parse_tree.data);
    pg_query_free_protobuf_parse_result(pr);
    if (!tree) return db_error_set(err, SQLSTATE_INTERNAL_ERROR, "could not decode parser output");

    out->stmts = mem_alloc0(cx, sizeof(ParsedStmt) * (tree->n_stmts + n_dsql + 1));
    size_t a = 0, b = 0;
    int text_len = (int)strlen(text);
    while (a < tree->n_stmts || b < n_dsql) {
        ParsedStmt *ps = &out->stmts[out->n_stmts++];
        int start, end;
        if (b >= n_dsql || (a < tree->n_stmts && tree->stmts[a]->stmt_location < dsql[b].start)) {
            PgQuery__RawStmt *rs = tree->stmts[a++];
            ps->node = rs->stmt;
            start = rs->stmt_location;
            end = rs->stmt_len ? start + rs->stmt_len : text_len;
            /* The grammar counts leading blanks (such as a blanked IAM
             * statement) into the first statement: skip them. */
            while (start < end && isspace((unsigned char)text[start]))
                start++;
            for (size_t k = 0; k < n_async; k++)
                if (async_at[k] >= start && async_at[k] < end) ps->flags |= PARSE_FLAG_INDEX_ASYNC;
        } else {
            DsqlStmt *d = &dsql[b++];
            ps->dsql = d->kind;
            ps->iam_role = d->role;
            ps->iam_arn = d->arn;
            start = d->start;
            end = d->end;
        }
        int ostart = parse_prepass_map(&pp, start);
        int oend = parse_prepass_map(&pp, end);
        while (oend > ostart && isspace((unsigned char)sql[oend - 1]))
            oend--;
        ps->location = ostart;
        ps->length = oend - ostart;
        ps->text = mem_strndup(cx, sql + ostart, (size_t)(oend - ostart));
    }
    return 0;
}
