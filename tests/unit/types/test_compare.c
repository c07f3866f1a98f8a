/*
 * Comparison: type_compare against PostgreSQL's answers for the same pairs
 * (`CASE WHEN a < b THEN -1 WHEN a = b THEN 0 ELSE 1 END` on PostgreSQL 15,
 * with bpchar as char(3)), including its cross-type operator choices.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "types/types.h"

typedef struct CmpCase {
    uint32_t ta;
    const char *a;
    uint32_t tb;
    const char *b;
    int want;
} CmpCase;

static const CmpCase basic_cases[] = {
    {TYPE_BOOL, "f", TYPE_BOOL, "t", -1},
    {TYPE_BOOL, "t", TYPE_BOOL, "t", 0},
    {TYPE_INT2, "5", TYPE_INT8, "5", 0},
    {TYPE_INT4, "-1", TYPE_INT8, "1", -1},
    {TYPE_INT8, "9223372036854775807", TYPE_INT4, "2147483647", 1},
    {TYPE_INT4, "1", TYPE_NUMERIC, "1.0", 0},
    {TYPE_INT4, "1", TYPE_NUMERIC, "1.01", -1},
    {TYPE_INT8, "9223372036854775807", TYPE_NUMERIC, "9223372036854775806.9", 1},
    {TYPE_NUMERIC, "NaN", TYPE_NUMERIC, "Infinity", 1},
    {TYPE_NUMERIC, "NaN", TYPE_NUMERIC, "NaN", 0},
    {TYPE_NUMERIC, "-Infinity", TYPE_NUMERIC, "-1e1000", -1},
    {TYPE_NUMERIC, "1.50", TYPE_NUMERIC, "1.5", 0},
    {TYPE_NUMERIC, "-0.001", TYPE_NUMERIC, "0", -1},
    {TYPE_NUMERIC, "-2", TYPE_NUMERIC, "-10", 1},
    {TYPE_NUMERIC, "123456789.000001", TYPE_NUMERIC, "123456789", 1},
    {TYPE_FLOAT8, "NaN", TYPE_FLOAT8, "Infinity", 1},
    {TYPE_FLOAT8, "NaN", TYPE_FLOAT8, "NaN", 0},
    {TYPE_FLOAT8, "-0", TYPE_FLOAT8, "0", 0},
    {TYPE_FLOAT4, "0.1", TYPE_FLOAT8, "0.1", 1},
    {TYPE_INT4, "16777217", TYPE_FLOAT4, "16777216", 1},
    {TYPE_INT8, "9007199254740993", TYPE_FLOAT8, "9007199254740992", 0},
    {TYPE_NUMERIC, "0.1", TYPE_FLOAT4, "0.1", -1},
    {TYPE_NUMERIC, "0.1", TYPE_FLOAT8, "0.1", 0},
    {TYPE_TEXT, "a", TYPE_TEXT, "B", 1},
    {TYPE_TEXT, "abc", TYPE_TEXT, "ab", 1},
    {TYPE_TEXT, "\303\251", TYPE_TEXT, "z", 1},
    {TYPE_TEXT, "a ", TYPE_TEXT, "a", 1},
    {TYPE_BPCHAR, "a", TYPE_BPCHAR, "a  ", 0},
    {TYPE_BPCHAR, "a", TYPE_TEXT, "a ", -1},
    {TYPE_BPCHAR, "a", TYPE_VARCHAR, "a  ", 0},
    {TYPE_TEXT, "a", TYPE_BPCHAR, "a", 0},
    {TYPE_NAME, "a ", TYPE_BPCHAR, "a", 1},
    {TYPE_NAME, "abc", TYPE_TEXT, "abd", -1},
    {TYPE_VARCHAR, "a ", TYPE_TEXT, "a", 1},
};

static Datum parse(uint32_t oid, const char *s, MemContext *cx)
{
    Datum d;
    DbError err;
    int32_t typmod = oid == TYPE_BPCHAR ? 7 : -1;
    if (type_input(oid, typmod, s, strlen(s), cx, &d, &err) != 0)
        fail_msg("input %u \"%s\": %s", oid, s, err.message);
    return d;
}

static void run_cases(const CmpCase *cases, size_t n)
{
    MemContext *cx = mem_context_create(NULL, "test");
    for (size_t i = 0; i < n; i++) {
        Datum a = parse(cases[i].ta, cases[i].a, cx), b = parse(cases[i].tb, cases[i].b, cx);
        int r, r2;
        DbError err;
        assert_int_equal(type_compare(&a, &b, &r, &err), 0);
        assert_int_equal(type_compare(&b, &a, &r2, &err), 0);
        int sign = r < 0 ? -1 : r > 0 ? 1 : 0, sign2 = r2 < 0 ? -1 : r2 > 0 ? 1 : 0;
        if (sign != cases[i].want || sign2 != -cases[i].want)
            fail_msg("compare(%u \"%s\", %u \"%s\") = %d, want %d", cases[i].ta, cases[i].a,
                     cases[i].tb, cases[i].b, sign, cases[i].want);
        assert_int_equal(type_equal_for_key(&a, &b), cases[i].want == 0);
    }
    mem_context_destroy(cx);
}

static void test_basic(void **state)
{
    (void)state;
    run_cases(basic_cases, sizeof basic_cases / sizeof basic_cases[0]);
}

static void test_incomparable(void **state)
{
    (void)state;
    Datum i = datum_int(TYPE_INT4, 1), t = datum_bytes(TYPE_TEXT, "1", 1);
    int r;
    DbError err;
    assert_false(type_comparable(TYPE_INT4, TYPE_TEXT));
    assert_true(type_comparable(TYPE_INT2, TYPE_NUMERIC));
    assert_int_equal(type_compare(&i, &t, &r, &err), -1);
    assert_string_equal(err.sqlstate, "42883");
    assert_string_equal(err.message, "operator does not exist: integer = text");
    assert_string_equal(err.hint, "No operator matches the given name and argument types. You "
                                  "might need to add explicit type casts.");
    Datum n1 = datum_null(TYPE_INT4), n2 = datum_null(TYPE_INT4);
    assert_true(type_equal_for_key(&n1, &n2));
    assert_false(type_equal_for_key(&n1, &i));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic),
        cmocka_unit_test(test_incomparable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
