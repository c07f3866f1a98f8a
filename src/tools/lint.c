/*
 * tools_lint_sql: the linter's driver.
 *
 *   input --ALTER TABLE ASYNC blanked--> parse_sql (whole input)
 *     ok:    every statement, in order, through the rule files
 *     error: split at top-level ';' with lint_lex, parse each piece alone;
 *            pieces that fail become parse_error findings, the rest are linted
 *   findings sorted by offset, line/column computed, edits applied (--fix)
 *
 * This file owns the finding list, the edit list, offsets (node locations
 * are mapped from the pre-pass text back to the client's bytes) and the
 * shared helpers; what DSQL refuses is decided in lint_table.c, lint_ddl.c
 * and lint_stmt.c.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tools/tools_int.h"

#define LINT_PREVIEW_CHARS 80

int lint_loc(const LintCtx *lc, int location)
{
    if (location < 0) return lc->stmt_start;
    return lc->base + parse_prepass_map(&lc->pp, location);
}

static const char *lint_preview(LintCtx *lc, int start, int end)
{
    StrBuf sb;
    strbuf_init(&sb);
    bool space = false;
    int chars = 0;
    for (int i = start; i < end && i < lc->sql_len; i++) {
        unsigned char c = (unsigned char)lc->sql[i];
        if (isspace(c)) {
            space = sb.len > 0;
            continue;
        }
        if ((c & 0xC0) != 0x80) {
            if (chars + (space ? 1 : 0) >= LINT_PREVIEW_CHARS) {
                strbuf_append_str(&sb, "...");
                break;
            }
            if (space) {
                strbuf_append_char(&sb, ' ');
                chars++;
            }
            space = false;
            chars++;
        }
        strbuf_append_char(&sb, (char)c);
    }
    const char *out = mem_strdup(lc->cx, sb.data ? sb.data : "");
    strbuf_fini(&sb);
    return out;
}

LintDiag *lint_report(LintCtx *lc, const char *rule, int offset, const char *message,
                      const char *suggestion)
{
    if (lc->n_diags == lc->cap_diags) {
        size_t cap = lc->cap_diags ? lc->cap_diags * 2 : 16;
        lc->diags = mem_realloc(lc->cx, lc->diags, sizeof(LintDiag) * lc->cap_diags,
                                sizeof(LintDiag) * cap);
        lc->cap_diags = cap;
    }
    LintDiag *d = &lc->diags[lc->n_diags++];
    memset(d, 0, sizeof *d);
    d->rule = rule;
    d->severity = LINT_SEVERITY_ERROR;
    d->offset = offset;
    d->message = message;
    d->suggestion = suggestion;
    d->statement_preview = lint_preview(lc, lc->stmt_start, lc->stmt_end);
    d->fix_status = LINT_FIX_UNFIXABLE;
    lc->edit_mark = lc->n_edits;
    return d;
}

void lint_edit_begin(LintCtx *lc)
{
    lc->edit_mark = lc->n_edits;
}

void lint_edit_add(LintCtx *lc, int start, int end, const char *text)
{
    if (lc->n_edits == lc->cap_edits) {
        size_t cap = lc->cap_edits ? lc->cap_edits * 2 : 16;
        lc->edits = mem_realloc(lc->cx, lc->edits, sizeof(LintEdit) * lc->cap_edits,
                                sizeof(LintEdit) * cap);
        lc->cap_edits = cap;
    }
    LintEdit *e = &lc->edits[lc->n_edits];
    e->start = start;
    e->end = end;
    e->text = text;
    e->seq = lc->n_edits;
    lc->n_edits++;
}

static int skip_inline_blanks(const LintCtx *lc, int pos)
{
    while (pos < lc->sql_len && (lc->sql[pos] == ' ' || lc->sql[pos] == '\t'))
        pos++;
    return pos;
}

void lint_edit_remove_span(LintCtx *lc, int start, int end)
{
    lint_edit_add(lc, start, skip_inline_blanks(lc, end), "");
}

void lint_edit_remove_token(LintCtx *lc, int pos)
{
    lint_edit_remove_span(lc, pos, lint_lex_token_end(lc->sql, lc->sql_len, pos));
}

void lint_edit_remove_stmt(LintCtx *lc)
{
    int end = skip_inline_blanks(lc, lc->stmt_end);
    if (end < lc->sql_len && lc->sql[end] == ';') end = skip_inline_blanks(lc, end + 1);
    if (end < lc->sql_len && lc->sql[end] == '\r') end++;
    if (end < lc->sql_len && lc->sql[end] == '\n') end++;
    lint_edit_add(lc, lc->stmt_start, end, "");
}

void lint_edit_remove_clause(LintCtx *lc, int start, int end)
{
    int from = start;
    while (from > lc->stmt_start && (lc->sql[from - 1] == ' ' || lc->sql[from - 1] == '\t' ||
                                     lc->sql[from - 1] == '\n' || lc->sql[from - 1] == '\r'))
        from--;
    lint_edit_add(lc, from, end, "");
}

static bool edits_overlap(const LintEdit *a, const LintEdit *b)
{
    if (a->start == a->end || b->start == b->end) /* insertions */
        return a->start > b->start && a->start < b->end ? true
                                                        : b->start > a->start && b->start < a->end;
    return a->start < b->end && b->start < a->end;
}

void lint_fix_set(LintCtx *lc, LintDiag *d, LintFixStatus status, const char *detail)
{
    for (size_t i = lc->edit_mark; i < lc->n_edits; i++) {
        for (size_t j = 0; j < lc->edit_mark; j++) {
            if (edits_overlap(&lc->edits[i], &lc->edits[j])) {
                lc->n_edits = lc->edit_mark;
                d->fix_status = LINT_FIX_UNFIXABLE;
                d->fix_detail = NULL;
                return;
            }
        }
    }
    d->fix_status = status;
    d->fix_detail = detail;
    lc->edit_mark = lc->n_edits;
}

/* ---- shared helpers ---- */

static bool ident_needs_quotes(const char *name)
{
    if (!*name || !(islower((unsigned char)*name) || *name == '_')) return true;
    for (const char *p = name; *p; p++)
        if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '_' || *p == '$'))
            return true;
    /* PostgreSQL's reserved key words (and those reserved except as
     * function or type names): as names they need quotes. */
    static const char *const reserved[] = {
        "all",
        "analyse",
        "analyze",
        "and",
        "any",
        "array",
        "as",
        "asc",
        "asymmetric",
        "authorization",
        "binary",
        "both",
        "case",
        "cast",
        "check",
        "collate",
        "collation",
        "column",
        "concurrently",
        "constraint",
        "create",
        "cross",
        "current_catalog",
        "current_date",
        "current_role",
        "current_schema",
        "current_time",
        "current_timestamp",
        "current_user",
        "default",
        "deferrable",
        "desc",
        "distinct",
        "do",
        "else",
        "end",
        "except",
        "false",
        "fetch",
        "for",
        "foreign",
        "freeze",
        "from",
        "full",
        "grant",
        "group",
        "having",
        "ilike",
        "in",
        "initially",
        "inner",
        "intersect",
        "into",
        "is",
        "isnull",
        "join",
        "lateral",
        "leading",
        "left",
        "like",
        "limit",
        "localtime",
        "localtimestamp",
        "natural",
        "not",
        "notnull",
        "null",
        "offset",
        "on",
        "only",
        "or",
        "order",
        "outer",
        "overlaps",
        "placing",
        "primary",
        "references",
        "returning",
        "right",
        "select",
        "session_user",
        "similar",
        "some",
        "symmetric",
        "table",
        "tablesample",
        "then",
        "to",
        "trailing",
        "true",
        "union",
        "unique",
        "user",
        "using",
        "variadic",
        "verbose",
        "when",
        "where",
        "window",
        "with",
    };
    for (size_t i = 0; i < ARRAY_LEN(reserved); i++)
        if (strcmp(name, reserved[i]) == 0) return true;
    return false;
}

const char *lint_quote_ident(MemContext *cx, const char *name)
{
    if (!ident_needs_quotes(name)) return name;
    StrBuf sb;
    strbuf_init(&sb);
    strbuf_append_char(&sb, '"');
    for (const char *p = name; *p; p++) {
        if (*p == '"') strbuf_append_char(&sb, '"');
        strbuf_append_char(&sb, *p);
    }
    strbuf_append_char(&sb, '"');
    const char *out = mem_strdup(cx, sb.data);
    strbuf_fini(&sb);
    return out;
}

const char *lint_range_var_name(MemContext *cx, const PgQuery__RangeVar *rv)
{
    if (!rv) return "";
    if (rv->schemaname && *rv->schemaname)
        return mem_sprintf(cx, "%s.%s", lint_quote_ident(cx, rv->schemaname),
                           lint_quote_ident(cx, rv->relname));
    return lint_quote_ident(cx, rv->relname);
}

const char *lint_name_last(PgQuery__Node **names, size_t n)
{
    if (n == 0 || !names[n - 1] || names[n - 1]->node_case != PG_QUERY__NODE__NODE_STRING)
        return "";
    return names[n - 1]->string->sval;
}

static const struct {
    const char *internal, *display;
} type_display_names[] = {
    {"int2", "smallint"},
    {"int4", "integer"},
    {"int8", "bigint"},
    {"float4", "real"},
    {"float8", "double precision"},
    {"bool", "boolean"},
    {"varchar", "character varying"},
    {"bpchar", "character"},
    {"timestamp", "timestamp without time zone"},
    {"timestamptz", "timestamp with time zone"},
    {"time", "time without time zone"},
    {"timetz", "time with time zone"},
    {"varbit", "bit varying"},
    {"int", "integer"},
    {"decimal", "numeric"},
};

const char *lint_type_display(const PgQuery__TypeName *tn)
{
    const char *name = lint_name_last(tn->names, tn->n_names);
    for (size_t i = 0; i < ARRAY_LEN(type_display_names); i++)
        if (strcmp(name, type_display_names[i].internal) == 0) return type_display_names[i].display;
    return name;
}

bool lint_defelem_int(const PgQuery__DefElem *de, long long *out)
{
    const PgQuery__Node *a = de->arg;
    if (!a) return false;
    if (a->node_case == PG_QUERY__NODE__NODE_INTEGER) {
        *out = a->integer->ival;
        return true;
    }
    if (a->node_case == PG_QUERY__NODE__NODE_FLOAT && a->float_->fval) {
        char *end;
        *out = strtoll(a->float_->fval, &end, 10);
        return *end == '\0';
    }
    return false;
}

/* ---- driver ---- */

static const char *const alter_actions[] = {
    "add",     "drop",    "alter",   "rename",  "validate", "owner", "set",
    "enable",  "disable", "cluster", "inherit", "no",       "of",    "not",
    "replica", "reset",   "attach",  "detach",  "force",
};

/* Blanks the ASYNC of DSQL's ALTER TABLE ASYNC (the parse room knows only
 * CREATE INDEX ASYNC) and records where. */
static char *blank_alter_async(LintCtx *lc, int **at, size_t *n_at)
{
    char *text = mem_strdup(lc->cx, lc->sql);
    *at = NULL;
    *n_at = 0;
    size_t cap = 0;
    LexToken t[4];
    int pos = 0;
    int n = 0; /* tokens since the statement start */
    for (;;) {
        LexToken tok;
        lint_lex_next(text, lc->sql_len, pos, &tok);
        if (tok.kind == LEX_EOF) break;
        pos = tok.end;
        if (lint_tok_is(text, &tok, ";")) {
            n = 0;
            continue;
        }
        if (n < 4) t[n] = tok;
        n++;
        if (n != 4) continue;
        if (!lint_tok_is(text, &t[0], "alter") || !lint_tok_is(text, &t[1], "table") ||
            !lint_tok_is(text, &t[2], "async"))
            continue;
        if (t[3].kind != LEX_WORD && t[3].kind != LEX_QIDENT) continue;
        bool action = false;
        for (size_t i = 0; i < ARRAY_LEN(alter_actions); i++)
            if (lint_tok_is(text, &t[3], alter_actions[i])) action = true;
        if (action) continue;
        memset(text + t[2].start, ' ', (size_t)(t[2].end - t[2].start));
        if (*n_at == cap) {
            size_t ncap = cap ? cap * 2 : 8;
            *at = mem_realloc(lc->cx, *at, sizeof(int) * cap, sizeof(int) * ncap);
            cap = ncap;
        }
        (*at)[(*n_at)++] = t[2].start;
    }
    return text;
}

static void lint_parsed(LintCtx *lc, const ParseResult *pr, const int *async_at, size_t n_async)
{
    for (size_t i = 0; i < pr->n_stmts; i++) {
        const ParsedStmt *ps = &pr->stmts[i];
        lc->stmt = ps;
        lc->stmt_end = lc->base + ps->location + ps->length;
        /* The statement's text may open with comments: point at its first
         * token. */
        LexToken first;
        lint_lex_next(lc->sql, lc->stmt_end, lc->base + ps->location, &first);
        lc->stmt_start = first.kind == LEX_EOF ? lc->base + ps->location : first.start;
        lc->stmt_async_alter = false;
        for (size_t k = 0; k < n_async; k++)
            if (async_at[k] >= lc->stmt_start && async_at[k] < lc->stmt_end)
                lc->stmt_async_alter = true;
        if (ps->dsql != PARSE_DSQL_NONE || !ps->node) continue;
        lint_statement(lc, ps->node);
        lint_walk(lc, ps->node);
        lint_txn_statement(lc, ps->node);
    }
}

/* Parses text (a piece of the blanked input starting at base) and lints it;
 * returns -1 with err set when the piece has a syntax error. */
static int lint_chunk(LintCtx *lc, const char *text, int base, const int *async_at, size_t n_async,
                      DbError *err)
{
    ParseResult pr;
    if (parse_sql(lc->cx, text, &pr, err) != 0) return -1;
    DbError perr;
    if (parse_prepass_literals(lc->cx, text, &lc->pp, &perr) != 0) return -1;
    lc->base = base;
    lint_parsed(lc, &pr, async_at, n_async);
    return 0;
}

static int char_pos_to_offset(const char *text, int pos)
{
    int chars = 0, i = 0;
    while (text[i] && chars < pos - 1) {
        i++;
        while (text[i] && ((unsigned char)text[i] & 0xC0) == 0x80)
            i++;
        chars++;
    }
    return i;
}

static void lint_parse_error(LintCtx *lc, const char *piece, int base, int piece_end,
                             const DbError *err)
{
    lc->stmt = NULL;
    lc->stmt_start = base;
    lc->stmt_end = piece_end;
    while (lc->stmt_start < piece_end && isspace((unsigned char)lc->sql[lc->stmt_start]))
        lc->stmt_start++;
    int at = err->position > 0 ? base + char_pos_to_offset(piece, err->position) : lc->stmt_start;
    lint_report(lc, "parse_error", at, mem_strdup(lc->cx, err->message),
                "Correct the syntax: DSQL reads PostgreSQL 16's grammar plus CREATE INDEX ASYNC, "
                "ALTER TABLE ASYNC and AWS IAM GRANT/REVOKE.");
}

/* After a syntax error: lint statement by statement. */
static void lint_pieces(LintCtx *lc, const char *text, const int *async_at, size_t n_async)
{
    int start = 0, pos = 0, depth = 0;
    for (;;) {
        LexToken t;
        lint_lex_next(text, lc->sql_len, pos, &t);
        bool end = t.kind == LEX_EOF || (depth == 0 && lint_tok_is(text, &t, ";"));
        if (lint_tok_is(text, &t, "(")) depth++;
        if (lint_tok_is(text, &t, ")") && depth > 0) depth--;
        if (end) {
            int stop = t.kind == LEX_EOF ? lc->sql_len : t.start;
            LexToken first;
            lint_lex_next(text, stop, start, &first);
            if (first.kind != LEX_EOF) {
                char *piece = mem_strndup(lc->cx, text + start, (size_t)(stop - start));
                DbError err;
                db_error_clear(&err);
                if (lint_chunk(lc, piece, start, async_at, n_async, &err) != 0)
                    lint_parse_error(lc, piece, start, stop, &err);
            }
            if (t.kind == LEX_EOF) break;
            start = t.end;
            depth = 0;
        }
        pos = t.end;
    }
}

static int diag_cmp(const void *a, const void *b)
{
    const LintDiag *x = a, *y = b;
    if (x->offset != y->offset) return x->offset < y->offset ? -1 : 1;
    /* Same offset: keep report order (stored in line before positions are
     * computed). */
    return x->line < y->line ? -1 : x->line > y->line;
}

static void lint_positions(LintCtx *lc)
{
    for (size_t i = 0; i < lc->n_diags; i++)
        lc->diags[i].line = (int)i; /* report order, for a stable sort */
    if (lc->n_diags > 1) qsort(lc->diags, lc->n_diags, sizeof(LintDiag), diag_cmp);
    int line = 1, col = 1, pos = 0;
    for (size_t i = 0; i < lc->n_diags; i++) {
        LintDiag *d = &lc->diags[i];
        int target = d->offset < lc->sql_len ? d->offset : lc->sql_len;
        for (; pos < target; pos++) {
            unsigned char c = (unsigned char)lc->sql[pos];
            if (c == '\n') {
                line++;
                col = 1;
            } else if ((c & 0xC0) != 0x80) {
                col++;
            }
        }
        d->line = line;
        d->column = col;
    }
}

int tools_lint_sql(const char *sql, bool fix, MemContext *cx, LintResult *out, DbError *err)
{
    memset(out, 0, sizeof *out);
    size_t len = strlen(sql);
    if (len > TOOLS_LINT_MAX_INPUT_BYTES)
        return db_error_set(err, SQLSTATE_PROGRAM_LIMIT_EXCEEDED,
                            "input of %zu bytes is larger than the linter's limit of %d bytes", len,
                            TOOLS_LINT_MAX_INPUT_BYTES);
    LintCtx lc;
    memset(&lc, 0, sizeof lc);
    lc.cx = cx;
    lc.sql = sql;
    lc.sql_len = (int)len;
    lc.fix = fix;

    int *async_at;
    size_t n_async;
    char *text = blank_alter_async(&lc, &async_at, &n_async);
    DbError perr;
    db_error_clear(&perr);
    if (lint_chunk(&lc, text, 0, async_at, n_async, &perr) != 0) {
        /* Nothing of a failed parse is kept: start over piece by piece. */
        lc.n_diags = 0;
        lc.n_edits = 0;
        lc.n_user_types = 0;
        lc.in_block = false;
        lc.block_ddl = lc.block_dml = 0;
        lint_pieces(&lc, text, async_at, n_async);
    }
    lint_positions(&lc);

    out->n_diags = lc.n_diags;
    out->diags = lc.diags;
    if (fix) out->fixed_sql = lint_fix_apply(&lc);
    for (size_t i = 0; i < lc.n_diags; i++) {
        const LintDiag *d = &lc.diags[i];
        if (!fix) {
            if (d->severity == LINT_SEVERITY_ERROR)
                out->n_errors++;
            else
                out->n_warnings++;
        } else if (d->fix_status == LINT_FIX_FIXED) {
            out->n_fixed++;
        } else if (d->fix_status == LINT_FIX_WITH_WARNING || d->severity == LINT_SEVERITY_WARNING) {
            out->n_warnings++;
        } else {
            out->n_errors++;
        }
    }
    return 0;
}

int tools_lint_exit_code(const LintResult *r, bool fix)
{
    if (r->n_errors > 0) return 1;
    if (fix && r->n_warnings > 0) return 3;
    return 0;
}
