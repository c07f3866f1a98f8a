/*
 * Unit tests for parse/: statement splitting, the PostgreSQL 16 literal
 * pre-pass, CREATE INDEX ASYNC, AWS IAM GRANT/REVOKE and error positions in
 * the client's text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "parse/parse.h"

static MemContext *cx;

static int setup(void **state)
{
    (void)state;
    cx = mem_context_create(NULL, "test");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    mem_context_destroy(cx);
    return 0;
}

static void test_multiple_statements(void **state)
{
    (void)state;
    ParseResult r;
    DbError err;
    assert_int_equal(parse_sql(cx, "SELECT 1; select 2 ;;  SHOW x", &r, &err), 0);
    assert_int_equal(r.n_stmts, 3);
    assert_string_equal(r.stmts[0].text, "SELECT 1");
    assert_string_equal(r.stmts[1].text, "select 2");
    assert_string_equal(r.stmts[2].text, "SHOW x");
    assert_int_equal(r.stmts[2].location, 23);
    assert_int_equal(r.stmts[0].node->node_case, PG_QUERY__NODE__NODE_SELECT_STMT);
    assert_string_equal(parse_node_kind_name(r.stmts[2].node), "variable_show_stmt");
}

static void test_syntax_error_position(void **state)
{
    (void)state;
    ParseResult r;
    DbError err;
    assert_int_equal(parse_sql(cx, "SELECT 1; SELEC 2", &r, &err), -1);
    assert_string_equal(err.sqlstate, "42601");
    assert_string_equal(err.message, "syntax error at or near \"SELEC\"");
    assert_int_equal(err.position, 11);
    /* Positions count characters, not bytes. */
    assert_int_equal(parse_sql(cx, "SELECT 'é', 0x10 FRM t", &r, &err), -1);
    assert_string_equal(err.message, "syntax error at or near \"t\"");
    assert_int_equal(err.position, 22);
}

static int64_t first_int_const(const ParseResult *r, size_t target)
{
    PgQuery__SelectStmt *s = r->stmts[0].node->select_stmt;
    PgQuery__Node *v = s->target_list[target]->res_target->val;
    assert_int_equal(v->node_case, PG_QUERY__NODE__NODE_A_CONST);
    return v->a_const->ival->ival;
}

static void test_pg16_literals(void **state)
{
    (void)state;
    ParseResult r;
    DbError err;
    assert_int_equal(parse_sql(cx, "SELECT 0x1F, 0o17, 0b101, 1_000, 0X_ff", &r, &err), 0);
    assert_int_equal(first_int_const(&r, 0), 31);
    assert_int_equal(first_int_const(&r, 1), 15);
    assert_int_equal(first_int_const(&r, 2), 5);
    assert_int_equal(first_int_const(&r, 3), 1000);
    assert_int_equal(first_int_const(&r, 4), 255);
    /* Strings, identifiers and comments are not touched. */
    ParsePrepass pp;
    assert_int_equal(
        parse_prepass_literals(cx, "select '0x1F', x1_0, \"0b1\" -- 1_0\n, $$0o7$$, 1_2.3_4e1_0",
                               &pp, &err),
        0);
    assert_string_equal(pp.text, "select '0x1F', x1_0, \"0b1\" -- 1_0\n, $$0o7$$, 12.34e10   ");
    /* A literal longer in decimal than in hex moves later offsets; the map
     * takes them back. */
    assert_int_equal(parse_prepass_literals(cx, "SELECT 0xFFFFFFFFFFFFFFFF x", &pp, &err), 0);
    assert_string_equal(pp.text, "SELECT 18446744073709551615 x");
    assert_int_equal(parse_prepass_map(&pp, 28), 26);
    assert_int_equal(parse_sql(cx, "SELECT 0xFFFFFFFFFFFFFFFF FRM t", &r, &err), -1);
    assert_string_equal(err.message, "syntax error at or near \"t\"");
    assert_int_equal(err.position, 31);
    /* Malformed literals are left to the grammar. */
    assert_int_equal(parse_sql(cx, "SELECT 1__0", &r, &err), -1);
    assert_string_equal(err.sqlstate, "42601");
}

static void test_create_index_async(void **state)
{
    (void)state;
    ParseResult r;
    DbError err;
    assert_int_equal(parse_sql(cx, "CREATE UNIQUE INDEX ASYNC idx ON t (a)", &r, &err), 0);
    assert_int_equal(r.n_stmts, 1);
    assert_true(r.stmts[0].flags & PARSE_FLAG_INDEX_ASYNC);
    assert_string_equal(r.stmts[0].node->index_stmt->idxname, "idx");
    assert_true(r.stmts[0].node->index_stmt->unique);
    assert_string_equal(r.stmts[0].text, "CREATE UNIQUE INDEX ASYNC idx ON t (a)");
    /* An index named async keeps PostgreSQL's meaning. */
    assert_int_equal(parse_sql(cx, "create index async on t(a)", &r, &err), 0);
    assert_false(r.stmts[0].flags & PARSE_FLAG_INDEX_ASYNC);
    assert_string_equal(r.stmts[0].node->index_stmt->idxname, "async");
    /* Error positions stay in the original text. */
    assert_int_equal(parse_sql(cx, "CREATE INDEX ASYNC idx ON t (a", &r, &err), -1);
    assert_string_equal(err.message, "syntax error at end of input");
    assert_int_equal(err.position, 31);
}

static void test_aws_iam(void **state)
{
    (void)state;
    ParseResult r;
    DbError err;
    assert_int_equal(
        parse_sql(cx,
                  "SELECT 1; AWS IAM GRANT \"My Role\" TO 'arn:aws:iam::1:role/it''s'; "
                  "aws iam revoke App FROM 'arn:aws:iam::1:user/u'; SELECT 2",
                  &r, &err),
        0);
    assert_int_equal(r.n_stmts, 4);
    assert_int_equal(r.stmts[1].dsql, PARSE_DSQL_IAM_GRANT);
    assert_string_equal(r.stmts[1].iam_role, "My Role");
    assert_string_equal(r.stmts[1].iam_arn, "arn:aws:iam::1:role/it's");
    assert_int_equal(r.stmts[2].dsql, PARSE_DSQL_IAM_REVOKE);
    assert_string_equal(r.stmts[2].iam_role, "app");
    assert_string_equal(r.stmts[2].text, "aws iam revoke App FROM 'arn:aws:iam::1:user/u'");
    assert_string_equal(r.stmts[3].text, "SELECT 2");
    assert_int_equal(r.stmts[3].node->node_case, PG_QUERY__NODE__NODE_SELECT_STMT);
    assert_int_equal(parse_sql(cx, "AWS IAM GRANT r FOR 'x'", &r, &err), -1);
    assert_string_equal(err.message, "syntax error at or near \"FOR\"");
    assert_int_equal(err.position, 17);
    assert_int_equal(parse_sql(cx, "AWS IAM GRANT r TO", &r, &err), -1);
    assert_string_equal(err.message, "syntax error at end of input");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_multiple_statements),
        cmocka_unit_test(test_syntax_error_position),
        cmocka_unit_test(test_pg16_literals),
        cmocka_unit_test(test_create_index_async),
        cmocka_unit_test(test_aws_iam),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
