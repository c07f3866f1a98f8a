/*
 * The linter's output: JSON in dsql-lint's shape (schema_version 1, what the
 * MCP dsql_lint tool reads: files[0].diagnostics, fixed_sql, summary) with
 * two additive fields per diagnostic (column, severity), and the text form
 * for people.  JSON is written by hand into a StrBuf; strings go through
 * tools_json_append_string, which also repairs invalid UTF-8.
 */
#include <string.h>

#include "tools/tools_int.h"

/* Length of the valid UTF-8 sequence at s (1-4), or 0 if invalid. */
static int utf8_valid_len(const unsigned char *s)
{
    unsigned char c = s[0];
    if (c < 0x80) return 1;
    int n;
    unsigned min;
    unsigned cp;
    if ((c & 0xE0) == 0xC0) {
        n = 2;
        cp = c & 0x1F;
        min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        n = 3;
        cp = c & 0x0F;
        min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        n = 4;
        cp = c & 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    for (int i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return n;
}

void tools_json_append_string(StrBuf *out, const char *s)
{
    strbuf_append_char(out, '"');
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    while (*p) {
        unsigned char c = *p;
        switch (c) {
        case '"':
            strbuf_append_str(out, "\\\"");
            p++;
            continue;
        case '\\':
            strbuf_append_str(out, "\\\\");
            p++;
            continue;
        case '\n':
            strbuf_append_str(out, "\\n");
            p++;
            continue;
        case '\r':
            strbuf_append_str(out, "\\r");
            p++;
            continue;
        case '\t':
            strbuf_append_str(out, "\\t");
            p++;
            continue;
        case '\b':
            strbuf_append_str(out, "\\b");
            p++;
            continue;
        case '\f':
            strbuf_append_str(out, "\\f");
            p++;
            continue;
        default:
            break;
        }
        if (c < 0x20 || c == 0x7F) {
            strbuf_appendf(out, "\\u%04x", c);
            p++;
            continue;
        }
        int n = utf8_valid_len(p);
        if (n == 0) {
            strbuf_append_str(out, "\\ufffd");
            p++;
            continue;
        }
        strbuf_append(out, p, (size_t)n);
        p += n;
    }
    strbuf_append_char(out, '"');
}

static const char *fix_status_name(LintFixStatus s)
{
    switch (s) {
    case LINT_FIX_FIXED:
        return "fixed";
    case LINT_FIX_WITH_WARNING:
        return "fixed_with_warning";
    default:
        return "unfixable";
    }
}

static const char *severity_name(LintSeverity s)
{
    return s == LINT_SEVERITY_ERROR ? "error" : "warning";
}

void tools_lint_render_json(const LintResult *r, const char *file, bool fix, StrBuf *out)
{
    strbuf_append_str(out, "{\n  \"schema_version\": 1,\n  \"files\": [\n    {\n      \"file\": ");
    tools_json_append_string(out, file);
    strbuf_append_str(out, ",\n      \"diagnostics\": [");
    for (size_t i = 0; i < r->n_diags; i++) {
        const LintDiag *d = &r->diags[i];
        strbuf_append_str(out, i ? ",\n        {\n" : "\n        {\n");
        strbuf_append_str(out, "          \"rule\": ");
        tools_json_append_string(out, d->rule);
        strbuf_appendf(out, ",\n          \"line\": %d,\n          \"column\": %d,\n", d->line,
                       d->column);
        strbuf_appendf(out, "          \"severity\": \"%s\",\n          \"message\": ",
                       severity_name(d->severity));
        tools_json_append_string(out, d->message);
        strbuf_append_str(out, ",\n          \"suggestion\": ");
        tools_json_append_string(out, d->suggestion);
        strbuf_append_str(out, ",\n          \"statement_preview\": ");
        tools_json_append_string(out, d->statement_preview);
        strbuf_appendf(out, ",\n          \"fix_result\": {\"status\": \"%s\"",
                       fix_status_name(d->fix_status));
        if (d->fix_status != LINT_FIX_UNFIXABLE && d->fix_detail) {
            strbuf_append_str(out, ", \"detail\": ");
            tools_json_append_string(out, d->fix_detail);
        }
        strbuf_append_str(out, "}\n        }");
    }
    strbuf_append_str(out, r->n_diags ? "\n      ],\n" : "],\n");
    strbuf_append_str(out, "      \"error\": null,\n      \"output_file\": null,\n"
                           "      \"fixed_sql\": ");
    if (fix && r->fixed_sql)
        tools_json_append_string(out, r->fixed_sql);
    else
        strbuf_append_str(out, "null");
    strbuf_appendf(out,
                   "\n    }\n  ],\n  \"summary\": {\"errors\": %d, \"warnings\": %d, "
                   "\"fixed\": %d}\n}\n",
                   r->n_errors, r->n_warnings, r->n_fixed);
}

void tools_lint_render_text(const LintResult *r, const char *file, bool fix, StrBuf *out)
{
    for (size_t i = 0; i < r->n_diags; i++) {
        const LintDiag *d = &r->diags[i];
        strbuf_appendf(out, "%s:%d:%d: ", file, d->line, d->column);
        if (!fix) {
            strbuf_appendf(out, "%s: %s [%s]\n", severity_name(d->severity), d->message, d->rule);
            strbuf_appendf(out, "  suggestion: %s\n", d->suggestion);
            if (d->fix_status != LINT_FIX_UNFIXABLE)
                strbuf_appendf(out, "  --fix: %s\n", d->fix_detail);
        } else if (d->fix_status == LINT_FIX_FIXED) {
            strbuf_appendf(out, "fixed: %s [%s]\n", d->fix_detail, d->rule);
        } else if (d->fix_status == LINT_FIX_WITH_WARNING) {
            strbuf_appendf(out, "fixed with warning: %s [%s]\n", d->fix_detail, d->rule);
        } else {
            strbuf_appendf(out, "%s (unfixable): %s [%s]\n", severity_name(d->severity), d->message,
                           d->rule);
            strbuf_appendf(out, "  suggestion: %s\n", d->suggestion);
        }
    }
    if (r->n_diags == 0) return;
    if (!fix)
        strbuf_appendf(out, "%s: %zu %s (%d %s, %d %s)\n", file, r->n_diags,
                       r->n_diags == 1 ? "problem" : "problems", r->n_errors,
                       r->n_errors == 1 ? "error" : "errors", r->n_warnings,
                       r->n_warnings == 1 ? "warning" : "warnings");
    else
        strbuf_appendf(out, "%s: %zu %s (%d fixed, %d to review, %d unfixable)\n", file, r->n_diags,
                       r->n_diags == 1 ? "problem" : "problems", r->n_fixed, r->n_warnings,
                       r->n_errors);
}
