/*
 * Whole-file tests of `borealis lint` and `borealis convert mysql` through
 * their run functions (the same code as the subcommands, with streams as
 * parameters): every input under tests/tools/ has its exact expected stdout,
 * stderr and exit code beside it.  The converted MySQL schema must also parse
 * with the parse room and lint clean.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "parse/parse.h"
#include "tools/tools.h"
#include "tools/tools_int.h"

static char fixtures[4096];

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) fail_msg("cannot open %s/%s", fixtures, path);
    StrBuf sb;
    strbuf_init(&sb);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        strbuf_append(&sb, buf, n);
    fclose(f);
    char *out = strdup(sb.data ? sb.data : "");
    strbuf_fini(&sb);
    return out;
}

typedef int (*RunFn)(int, char **, FILE *, FILE *, FILE *);

/* Runs a subcommand; checks stdout against out_file, stderr against
 * err_file (NULL: must be empty) and the exit code. */
static void check_run(RunFn run, int argc, char **argv, const char *out_file, const char *err_file,
                      int rc)
{
    char *out = NULL, *err = NULL;
    size_t out_len = 0, err_len = 0;
    FILE *o = open_memstream(&out, &out_len);
    FILE *e = open_memstream(&err, &err_len);
    assert_int_equal(run(argc, argv, stdin, o, e), rc);
    fclose(o);
    fclose(e);
    char *want_out = slurp(out_file);
    assert_string_equal(out, want_out);
    if (err_file) {
        char *want_err = slurp(err_file);
        assert_string_equal(err, want_err);
        free(want_err);
    } else {
        assert_string_equal(err, "");
    }
    free(want_out);
    free(out);
    free(err);
}

static int setup(void **state)
{
    (void)state;
    /* This file is tests/unit/tools/test_tools_files.c in the source tree. */
    snprintf(fixtures, sizeof fixtures, "%s", __FILE__);
    char *cut = strstr(fixtures, "tests/unit/tools/");
    if (!cut) return -1;
    strcpy(cut, "tests/tools");
    return chdir(fixtures);
}

static void test_lint_migration(void **state)
{
    (void)state;
    assert_int_equal(chdir("lint"), 0);
    char *text[] = {"lint", "migration.sql"};
    check_run(tools_lint_run, 2, text, "migration.txt", NULL, 1);
    char *json[] = {"lint", "--format", "json", "migration.sql"};
    check_run(tools_lint_run, 4, json, "migration.json", NULL, 1);
    char *fix[] = {"lint", "--fix", "migration.sql"};
    check_run(tools_lint_run, 3, fix, "migration.fixed.sql", "migration.fix.txt", 1);
    assert_int_equal(chdir(".."), 0);
}

static void test_lint_clean(void **state)
{
    (void)state;
    assert_int_equal(chdir("lint"), 0);
    char *text[] = {"lint", "clean.sql"};
    check_run(tools_lint_run, 2, text, "clean.txt", NULL, 0);
    char *json[] = {"lint", "--format=json", "clean.sql"};
    check_run(tools_lint_run, 3, json, "clean.json", NULL, 0);
    char *fix[] = {"lint", "--fix", "clean.sql"};
    check_run(tools_lint_run, 3, fix, "clean.fixed.sql", "clean.fix.txt", 0);
    assert_int_equal(chdir(".."), 0);
}

static void test_lint_usage(void **state)
{
    (void)state;
    char *out = NULL, *err = NULL;
    size_t ol, el;
    FILE *o = open_memstream(&out, &ol), *e = open_memstream(&err, &el);
    char *none[] = {"lint"};
    assert_int_equal(tools_lint_run(1, none, stdin, o, e), 2);
    char *bad[] = {"lint", "--format", "xml", "x.sql"};
    assert_int_equal(tools_lint_run(4, bad, stdin, o, e), 2);
    char *missing[] = {"lint", "no-such-file.sql"};
    assert_int_equal(tools_lint_run(2, missing, stdin, o, e), 2);
    fclose(o);
    fclose(e);
    assert_non_null(strstr(err, "borealis lint: --format takes text or json\n"));
    assert_non_null(strstr(
        err, "borealis lint: could not open \"no-such-file.sql\": No such file or directory\n"));
    free(out);
    free(err);
    /* JSON mode reports I/O errors in the document. */
    o = open_memstream(&out, &ol);
    e = open_memstream(&err, &el);
    char *jmissing[] = {"lint", "--format", "json", "no-such-file.sql"};
    assert_int_equal(tools_lint_run(4, jmissing, stdin, o, e), 2);
    fclose(o);
    fclose(e);
    assert_non_null(strstr(out,
                           "\"error\": \"could not open \\\"no-such-file.sql\\\": No such file "
                           "or directory\""));
    assert_string_equal(err, "");
    free(out);
    free(err);
}

static void test_convert_shop(void **state)
{
    (void)state;
    assert_int_equal(chdir("convert"), 0);
    char *argv[] = {"convert", "mysql", "shop.mysql.sql"};
    check_run(tools_convert_run, 3, argv, "shop.dsql.sql", "shop.warnings.txt", 1);
    /* The output is PostgreSQL that DSQL accepts: it parses, and the
     * linter finds nothing. */
    char *dsql = slurp("shop.dsql.sql");
    MemContext *cx = mem_context_create(NULL, "test");
    ParseResult pr;
    DbError err;
    /* The parse room does not know DSQL's ALTER TABLE ASYNC yet: blank the
     * ASYNC, as the linter does, before asking PostgreSQL's grammar. */
    for (char *p = strstr(dsql, "ALTER TABLE ASYNC "); p; p = strstr(p, "ALTER TABLE ASYNC "))
        memcpy(p, "ALTER TABLE       ", 18);
    if (parse_sql(cx, dsql, &pr, &err) != 0) fail_msg("%s at %d", err.message, err.position);
    assert_int_equal(pr.n_stmts, 41);
    LintResult lr;
    free(dsql);
    dsql = slurp("shop.dsql.sql");
    assert_int_equal(tools_lint_sql(dsql, false, cx, &lr, &err), 0);
    assert_int_equal(lr.n_diags, 0);
    mem_context_destroy(cx);
    free(dsql);
    assert_int_equal(chdir(".."), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lint_migration),
        cmocka_unit_test(test_lint_clean),
        cmocka_unit_test(test_lint_usage),
        cmocka_unit_test(test_convert_shop),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
