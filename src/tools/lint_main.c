/*
 * borealis lint [--fix] [--format text|json] FILE|-
 *
 * Text: findings on stdout; with --fix the rewritten SQL on stdout and the
 * findings on stderr (so `borealis lint --fix - < a.sql > b.sql` works).
 * JSON: one document on stdout, nothing on stderr once the arguments are
 * valid.  Exit codes: 0 clean, 1 errors (lint) or unfixable errors left
 * (--fix), 2 usage or I/O error, 3 (--fix) all fixed but some need review.
 */
#include <string.h>

#include "tools/tools_int.h"

static void lint_usage(FILE *f)
{
    fprintf(f, "usage: borealis lint [--fix] [--format text|json] FILE|-\n\n"
               "Checks SQL for what Aurora DSQL refuses, with DSQL's own error texts.\n\n"
               "  --fix            print the SQL rewritten where a safe rewrite exists\n"
               "  --format FORMAT  text (default) or json (dsql-lint's schema_version 1)\n"
               "  FILE             the SQL file; - reads standard input\n\n"
               "exit codes: 0 clean, 1 errors found (with --fix: unfixable errors left),\n"
               "            2 usage or I/O error, 3 (--fix) all fixed, some fixes to review\n");
}

static void lint_json_io_error(FILE *out, const char *file, const char *message)
{
    StrBuf sb;
    strbuf_init(&sb);
    strbuf_append_str(&sb, "{\n  \"schema_version\": 1,\n  \"files\": [\n    {\n      \"file\": ");
    tools_json_append_string(&sb, file);
    strbuf_append_str(&sb, ",\n      \"diagnostics\": [],\n      \"error\": ");
    tools_json_append_string(&sb, message);
    strbuf_append_str(&sb,
                      ",\n      \"output_file\": null,\n      \"fixed_sql\": null\n    }\n"
                      "  ],\n  \"summary\": {\"errors\": 1, \"warnings\": 0, \"fixed\": 0}\n}\n");
    fputs(sb.data, out);
    strbuf_fini(&sb);
}

int tools_lint_run(int argc, char **argv, FILE *in, FILE *out, FILE *errout)
{
    bool fix = false, json = false;
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--fix") == 0) {
            fix = true;
        } else if (strcmp(a, "--format") == 0 || strncmp(a, "--format=", 9) == 0) {
            const char *v = a[8] == '=' ? a + 9 : (i + 1 < argc ? argv[++i] : NULL);
            if (v && strcmp(v, "json") == 0) {
                json = true;
            } else if (v && strcmp(v, "text") == 0) {
                json = false;
            } else {
                fprintf(errout, "borealis lint: --format takes text or json\n");
                return 2;
            }
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            lint_usage(out);
            return 0;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(errout, "borealis lint: unknown option \"%s\"\n", a);
            lint_usage(errout);
            return 2;
        } else if (path) {
            fprintf(errout, "borealis lint: one input at a time (got \"%s\" and \"%s\")\n", path,
                    a);
            return 2;
        } else {
            path = a;
        }
    }
    if (!path) {
        lint_usage(errout);
        return 2;
    }
    const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
    MemContext *cx = mem_context_create(NULL, "lint");
    DbError err;
    db_error_clear(&err);
    char *sql;
    int rc;
    LintResult r;
    if (tools_read_input(path, in, TOOLS_LINT_MAX_INPUT_BYTES, cx, &sql, &err) != 0 ||
        tools_lint_sql(sql, fix, cx, &r, &err) != 0) {
        if (json)
            lint_json_io_error(out, name, err.message);
        else
            fprintf(errout, "borealis lint: %s\n", err.message);
        rc = 2;
    } else {
        StrBuf sb;
        strbuf_init(&sb);
        if (json) {
            tools_lint_render_json(&r, name, fix, &sb);
            fputs(sb.data, out);
        } else {
            tools_lint_render_text(&r, name, fix, &sb);
            if (fix) fputs(r.fixed_sql, out);
            if (sb.len) fputs(sb.data, fix ? errout : out);
        }
        strbuf_fini(&sb);
        rc = tools_lint_exit_code(&r, fix);
    }
    fflush(out);
    mem_context_destroy(cx);
    return rc;
}

int tools_lint_main(int argc, char **argv)
{
    return tools_lint_run(argc, argv, stdin, stdout, stderr);
}
